"""Self-attention whose q/k/v projections are routed LoRA layers: the three projections as ONE Function.

q_proj, k_proj and v_proj read the same x, and their LoRA GEMMs are thin and memory-bound, so they
are stacked along d_out (D = d_q + d_k + d_v) and each GEMM reads x once:

    W = [W_q; W_k; W_v]  [D, d_in]      dequantised row slice by row slice into the shared buffer
    A = [A_q; A_k; A_v]  [3r, d_in]     sB = blockdiag(s_q·B_q, s_k·B_k, s_v·B_v)  [D, 3r]
    xa = x·Aᵀ [tokens, 3r];   y = xa·sBᵀ + b;   y += x·Wᵀ (addmm_, beta = 1)   → q, k, v = column slices of y

Forward saves x and xa only (W is dequantised again in backward, never kept). Backward concatenates
dq, dk, dv into one dy [tokens, D] and runs

    dyB = dy·sB [tokens, 3r] (= s_i·dy_i·B_i per block)    dx = dyB·A;  dx += dy·W
    dA  = dyBᵀ·x [3r, d_in], split in three                 dB_i = s_i·dy_iᵀ·xa_i

and in per-example mode (DP, DESIGN.md contract 1) A.grad_sample of all three from one bmm, B's from
one bmm each, stored exactly as `lora_fused.lora_backward` does.

`attention_forward` is what `patch.py` installs on Llama/Mistral/Qwen2 attention modules: in
training on the fused path it runs this Function, Triton RoPE, torch SDPA and o_proj; anything it
does not cover (a KV cache, attention dropout, a sliding window shorter than the sequence, an
attention implementation other than sdpa/eager, LoRA dropout, ...) goes to the original forward.
"""

from __future__ import annotations

import torch

from privatune.kernels.lora import fused_path_enabled
from privatune.kernels.lora_fused import (base_weight, derived, per_example_batch, per_example_grads, rows,
                                          weight_buffer)
from privatune.kernels.mlp import fused_lora_parts

PROJECTIONS = ("q_proj", "k_proj", "v_proj")


def _stacked_weight(bases, widths, d_in, dtype, device) -> torch.Tensor:
    """[D, d_in] view of the shared buffer holding W_q, W_k, W_v as contiguous row slices."""
    weight = weight_buffer((sum(widths), d_in), dtype, device)
    for base, rows_i in zip(bases, weight.split(widths)):
        base_weight(base, dtype, out=rows_i)
    return weight


def _stacked_bias(bases, widths, dtype, device) -> torch.Tensor | None:
    """[D] biases of q, k, v (Qwen2 has them), zeros for a projection without one; None if none has."""
    biases = [getattr(base, "bias", None) for base in bases]
    if all(b is None for b in biases):
        return None
    present = tuple(b for b in biases if b is not None)
    return derived(present, ("qkv-bias", dtype, tuple(widths), tuple(b is None for b in biases)),
                   lambda: torch.cat([torch.zeros(w, dtype=dtype, device=device) if b is None else b.to(dtype)
                                      for b, w in zip(biases, widths)]))


def _stacked_factors(params, scales, dtype):
    """(A [3r, d_in], sB = blockdiag(s_i·B_i) [D, 3r]) in `dtype`, made once per optimizer step."""
    As, Bs = tuple(A for A, _ in params), tuple(B for _, B in params)
    A = derived(As, ("qkv-A", dtype), lambda: torch.cat(As).to(dtype))
    sB = derived(Bs, ("qkv-sB", dtype, scales), lambda: torch.block_diag(*(B * s for B, s in zip(Bs, scales))).to(dtype))
    return A, sB


class LoRAQKVFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, A_q, B_q, A_k, B_k, A_v, B_v, bases, scales, per_example):
        batch = per_example_batch(x, per_example)
        x2, dtype = rows(x), x.dtype
        widths = [B.shape[0] for B in (B_q, B_k, B_v)]
        A, sB = _stacked_factors(((A_q, B_q), (A_k, B_k), (A_v, B_v)), scales, dtype)  # [3r, d_in], [D, 3r]
        xa = torch.mm(x2, A.t())  # [tokens, 3r]
        bias = _stacked_bias(bases, widths, dtype, x.device)
        y = torch.addmm(bias, xa, sB.t()) if bias is not None else torch.mm(xa, sB.t())
        # Thin product first, the big base GEMM accumulates onto it (as lora_fused.lora_forward).
        y.addmm_(x2, _stacked_weight(bases, widths, x2.shape[1], dtype, x.device).t())
        ctx.save_for_backward(x2, xa)
        # Under activation checkpointing saved tensors are recomputed copies, not the Parameters:
        # keep the Parameter objects themselves to attach .grad_sample to.
        ctx.lora_params = ((A_q, B_q), (A_k, B_k), (A_v, B_v))
        ctx.bases, ctx.scales, ctx.batch, ctx.widths, ctx.x_shape = bases, scales, batch, widths, x.shape
        lead = x.shape[:-1]
        return tuple(part.view(*lead, w) for part, w in zip(y.split(widths, dim=1), widths))

    @staticmethod
    def backward(ctx, dq, dk, dv):
        x2, xa = ctx.saved_tensors
        dtype, widths, scales, batch = x2.dtype, ctx.widths, ctx.scales, ctx.batch
        params = ctx.lora_params
        dy = torch.cat([d.reshape(-1, w).to(dtype) for d, w in zip((dq, dk, dv), widths)], dim=1)  # [tokens, D]
        A, sB = _stacked_factors(params, scales, dtype)
        dyB = torch.mm(dy, sB)  # [tokens, 3r]: block i is s_i·dy_i·B_i
        dx = None
        if ctx.needs_input_grad[0]:
            dx = torch.mm(dyB, A).addmm_(dy, _stacked_weight(ctx.bases, widths, x2.shape[1], dtype, x2.device))
            dx = dx.view(ctx.x_shape)
        ranks = [A_i.shape[0] for A_i, _ in params]
        dys, xas = dy.split(widths, dim=1), xa.split(ranks, dim=1)
        xa_s = xas if scales == (1.0, 1.0, 1.0) else [xa_i * s for xa_i, s in zip(xas, scales)]  # [tokens, r]
        if batch:
            d_in = x2.shape[1]
            # In the activation dtype; the store casts (into the arena, when the DP optimizer has one).
            grad_A = torch.bmm(dyB.view(batch, -1, sum(ranks)).transpose(1, 2), x2.view(batch, -1, d_in))
            grads_B = [torch.bmm(dy_i.view(batch, -1, w).transpose(1, 2), xa_i.view(batch, -1, r))
                       for dy_i, xa_i, w, r in zip(dys, xa_s, widths, ranks)]
            flat = [p for pair in params for p in pair]
            grads = [g for pair in zip(grad_A.split(ranks, dim=1), grads_B) for g in pair]
            out = per_example_grads(flat, grads)
        else:
            dA = torch.mm(dyB.t(), x2).split(ranks)
            out = [g for (A_i, B_i), dA_i, dy_i, xa_i in zip(params, dA, dys, xa_s)
                   for g in (dA_i.to(A_i.dtype), torch.mm(dy_i.t(), xa_i).to(B_i.dtype))]
        return (dx, *out, None, None, None)


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
    if args or not fused_path_enabled(hidden_states) or hidden_states.dim() != 3:
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
        return self._privatune_original_forward(hidden_states, position_embeddings, attention_mask, *args, **kwargs)
    from privatune.kernels.rope import apply_rope

    batch, tokens, _ = hidden_states.shape
    q, k, v = lora_qkv(hidden_states, parts, per_example=self.q_proj._privatune_per_example)
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
