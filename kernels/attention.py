"""Self-attention whose q/k/v projections are routed LoRA layers: the three projections as ONE Function.

q_proj, k_proj and v_proj read the same x: `LoRAQKVFunction` runs them stacked along d_out
(`lora_stacked`: one base GEMM over [W_q; W_k; W_v], one thin LoRA GEMM over [A_q; A_k; A_v],
block-diagonal s·B) and returns q, k, v as column slices of the one output. Forward saves x and the
[tokens, 3r] LoRA factor only; backward concatenates dq, dk, dv into one dy and runs the stacked
backward (one dx GEMM, one dA GEMM, per-example gradients in DP mode).

`attention_forward` is what `patch.py` installs on Llama/Mistral/Qwen2 attention modules: in
training on the fused path it runs this Function, Triton RoPE, torch SDPA and o_proj; anything it
does not cover (a KV cache, attention dropout, a sliding window shorter than the sequence, an
attention implementation other than sdpa/eager, LoRA dropout, ...) goes to the original forward.
"""

from __future__ import annotations

import torch

from privatune.kernels._utils import use_triton
from privatune.kernels.forwards import original
from privatune.kernels.lora_fused import per_example_batch, rows
from privatune.kernels.lora_stacked import stacked_backward, stacked_forward
from privatune.kernels.mlp import fused_lora_parts
from privatune.kernels.peft_routing import per_example_mode

PROJECTIONS = ("q_proj", "k_proj", "v_proj")


class LoRAQKVFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, A_q, B_q, A_k, B_k, A_v, B_v, bases, scales, per_example):
        batch = per_example_batch(x, per_example)
        x2 = rows(x)
        params = ((A_q, B_q), (A_k, B_k), (A_v, B_v))
        y, xa = stacked_forward(x2, params, bases, scales)
        ctx.save_for_backward(x2)
        ctx.xa = xa  # [tokens, 3r]: small, an attribute (see lora_fused's docstring)
        # Under activation checkpointing saved tensors are recomputed copies, not the Parameters:
        # keep the Parameter objects themselves to attach .grad_sample to.
        ctx.lora_params, ctx.bases, ctx.scales, ctx.batch, ctx.x_shape = params, bases, scales, batch, x.shape
        widths = [B.shape[0] for _, B in params]
        lead = x.shape[:-1]
        return tuple(part.view(*lead, w) for part, w in zip(y.split(widths, dim=1), widths))

    @staticmethod
    def backward(ctx, dq, dk, dv):
        (x2,), xa = ctx.saved_tensors, ctx.xa
        widths = [B.shape[0] for _, B in ctx.lora_params]
        dy = torch.cat([d.reshape(-1, w).to(x2.dtype) for d, w in zip((dq, dk, dv), widths)], dim=1)  # [tokens, D]
        dx, grads = stacked_backward(dy, x2, xa, ctx.lora_params, ctx.bases, ctx.scales, ctx.batch,
                                     want_dx=ctx.needs_input_grad[0])
        return (dx.view(ctx.x_shape) if dx is not None else None, *grads, None, None, None)


def lora_qkv(x, parts, per_example: bool = False):
    """(q, k, v) [..., d_i] for [(A, B, base_layer, scale)] of q/k/v, through `LoRAQKVFunction`."""
    (A_q, B_q, base_q, s_q), (A_k, B_k, base_k, s_k), (A_v, B_v, base_v, s_v) = parts
    return LoRAQKVFunction.apply(x, A_q, B_q, A_k, B_k, A_v, B_v, (base_q, base_k, base_v),
                                 (float(s_q), float(s_k), float(s_v)), per_example)


# ---- the patched attention forward -----------------------------------------------------------------

def _sliding_window(attn) -> int | None:
    # Qwen2 sets it per layer (None on full-attention layers); Mistral reads it from the config.
    if hasattr(attn, "sliding_window"):
        return attn.sliding_window
    return getattr(attn.config, "sliding_window", None)


def _fast_path_parts(attn, hidden_states, position_embeddings, attention_mask, args, kwargs):
    """q/k/v LoRA parts when this call can take the fused path, else None (see the module docstring)."""
    if args or not use_triton(hidden_states, fused=True) or hidden_states.dim() != 3:
        return None
    if kwargs.get("past_key_values") is not None or kwargs.get("cache") is not None:
        return None  # generation: the KV cache is the original forward's business
    if kwargs.get("output_attentions") or kwargs.get("position_bias") is not None:
        return None
    if getattr(attn.config, "_attn_implementation", None) not in ("sdpa", "eager"):
        return None
    if attn.training and getattr(attn, "attention_dropout", 0.0) > 0:
        return None
    window = _sliding_window(attn)
    if window is not None and window < hidden_states.shape[1]:
        return None
    if position_embeddings is None or position_embeddings[0].shape[-1] != attn.head_dim:
        return None
    if attention_mask is not None and not (isinstance(attention_mask, torch.Tensor) and attention_mask.dim() == 4):
        return None
    return fused_lora_parts(attn, PROJECTIONS)


def _repeat_kv(t: torch.Tensor, groups: int) -> torch.Tensor:
    batch, heads, tokens, head_dim = t.shape
    return t[:, :, None].expand(batch, heads, groups, tokens, head_dim).reshape(batch, heads * groups, tokens, head_dim)


def attention_forward(self, hidden_states, position_embeddings=None, attention_mask=None, *args, **kwargs):
    """Installed as `forward` on Llama/Mistral/Qwen2 attention; returns (attn_output, attn_weights)."""
    parts = _fast_path_parts(self, hidden_states, position_embeddings, attention_mask, args, kwargs)
    if parts is None:
        return original(self)(hidden_states, position_embeddings, attention_mask, *args, **kwargs)
    from privatune.kernels.rope import apply_rope

    batch, tokens, _ = hidden_states.shape
    q, k, v = lora_qkv(hidden_states, parts, per_example=per_example_mode(self.q_proj))
    q, k, v = (t.view(batch, tokens, -1, self.head_dim).transpose(1, 2) for t in (q, k, v))  # [b, heads, t, hd]
    cos, sin = position_embeddings
    q, k = apply_rope(q, k, cos, sin)
    groups = q.shape[1] // k.shape[1]
    is_causal = kwargs.get("is_causal")
    is_causal = getattr(self, "is_causal", True) if is_causal is None else is_causal
    sdpa_kwargs = {}
    if attention_mask is not None:
        attention_mask = attention_mask[:, :, :, : k.shape[-2]]
        if groups > 1:  # as HF's sdpa: CUDA's mem-efficient kernel takes a mask but not enable_gqa
            k, v = _repeat_kv(k, groups), _repeat_kv(v, groups)
    elif groups > 1:
        sdpa_kwargs["enable_gqa"] = True
    out = torch.nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=attention_mask, dropout_p=0.0, scale=self.scaling,
        is_causal=bool(is_causal and attention_mask is None and tokens > 1), **sdpa_kwargs,
    )
    out = out.transpose(1, 2).reshape(batch, tokens, -1)
    return self.o_proj(out), None
