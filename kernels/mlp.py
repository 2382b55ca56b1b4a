"""SwiGLU MLP whose gate/up/down projections are routed LoRA layers: two Functions, hand-written backward.

    [g | u] = lora([gate; up]; x)    h = silu(g)·u    xa = h·(s·A_down)ᵀ    y = h·W_downᵀ + xa·B_downᵀ

`LoRASwiGLUFunction` computes x → (h, xa): gate and up run stacked (`lora_stacked`: one base GEMM
over [W_gate; W_up], one thin LoRA GEMM), the packed Triton SwiGLU reads [g | u] as written. It
saves x and [g | u] (the [tokens, 2r] LoRA factor is an attribute); h is recomputed in backward, so
one [tokens, intermediate] tensor fewer is kept than with autograd through the parts.

`LoRADownFunction` computes (h, xa) → y and saves no tensor (it keeps the small xa as an
attribute). So when the decoder layer is checkpointed, torch's non-reentrant checkpoint, which
stops re-running forward once the last saved tensor is back, stops right after the first Function
(the last one in the layer to save anything) and never re-runs the down projection's GEMM — the
largest of the layer, whose output back-propagation does not need.

Backward: down's dh = dy·W + (dy·B)·(s·A) and B's gradients, then the packed Triton SwiGLU backward
into one [d_g | d_u], then the stacked gate/up LoRA backward (one dx GEMM, one dA GEMM), with the
per-example A/B gradients of all six LoRA matrices (DESIGN.md contract 1).

`swiglu_mlp_forward` is what `patch.py` installs on Llama/Mistral/Qwen2 MLP modules: the fused
Functions when the three projections qualify (routed, one active adapter, no dropout) — tiled
along the sequence (`mlp_tiled.py`) when it is longer than twice PRIVATUNE_MLP_TILE —, else the
parts through autograd with the Triton SwiGLU between them.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from privatune.kernels._utils import use_triton
from privatune.kernels.forwards import original
from privatune.kernels.grad_sample_arena import per_example_grads
from privatune.kernels.lora_fused import base_weight, lora_weights, per_example_batch, rows
from privatune.kernels.peft_routing import is_routed, per_example_mode
from privatune.kernels.lora_stacked import stacked_backward, stacked_forward
from privatune.kernels.mlp_tiled import tile_tokens, tiled_lora_mlp, use_tiles
from privatune.kernels.swiglu import swiglu, swiglu_packed, swiglu_packed_backward

PROJECTIONS = ("gate_proj", "up_proj", "down_proj")


class LoRASwiGLUFunction(torch.autograd.Function):
    """x → (h, xa_down): gate and up LoRA projections, SwiGLU, and down's thin LoRA factor."""

    @staticmethod
    def forward(ctx, x, A_gate, B_gate, A_up, B_up, A_down, B_down, bases, scales, per_example):
        batch = per_example_batch(x, per_example)
        x2 = rows(x)
        gate_up = ((A_gate, B_gate), (A_up, B_up))
        gu, xa = stacked_forward(x2, gate_up, bases[:2], scales[:2])  # [tokens, 2·I] = [g | u], [tokens, 2r]
        h = swiglu_packed(gu)
        xa_down = torch.mm(h, lora_weights(A_down, B_down, scales[2], h.dtype)[0].t())  # [tokens, r], carries s
        ctx.save_for_backward(x2, gu)
        ctx.xa = xa  # [tokens, 2r]: small, an attribute (see lora_fused's docstring)
        # The Parameters themselves (not recomputed copies) receive .grad_sample.
        ctx.lora_params = (gate_up, A_down)
        ctx.bases, ctx.scales, ctx.batch, ctx.x_shape = bases, scales, batch, x.shape
        return h, xa_down

    @staticmethod
    def backward(ctx, dh, dxa_down):
        # dh already holds down's whole input gradient dy·W + s·(dy·B)·A (LoRADownFunction);
        # dxa_down = dy·B_down is left for A_down's gradient, which needs h.
        (x2, gu), xa = ctx.saved_tensors, ctx.xa
        gate_up, A_down = ctx.lora_params
        bases, scales, batch = ctx.bases, ctx.scales, ctx.batch
        s_down = scales[2]
        h = swiglu_packed(gu)  # recomputed rather than saved
        dxa_s = dxa_down.to(h.dtype) * s_down
        if batch:
            r, inter = dxa_s.shape[1], h.shape[1]
            grad_A = torch.bmm(dxa_s.view(batch, -1, r).transpose(1, 2), h.view(batch, -1, inter))
            (dA_down,) = per_example_grads((A_down,), (grad_A,))
        else:
            dA_down = torch.mm(dxa_s.t(), h).to(A_down.dtype)
        del h
        dgu = swiglu_packed_backward(dh.to(x2.dtype), gu)  # [tokens, 2·I] = [d_g | d_u]
        del dh
        dx, (dA_gate, dB_gate, dA_up, dB_up) = stacked_backward(
            dgu, x2, xa, gate_up, bases[:2], scales[:2], batch, want_dx=ctx.needs_input_grad[0])
        dx = dx.view(ctx.x_shape) if dx is not None else None
        return dx, dA_gate, dB_gate, dA_up, dB_up, dA_down, None, None, None, None


class LoRADownFunction(torch.autograd.Function):
    """(h, xa) → y = h·Wᵀ + xa·Bᵀ (+ b); saves no tensor (see the module docstring)."""

    @staticmethod
    def forward(ctx, h, xa, A, B, base_layer, scale, batch):
        dtype = h.dtype
        _, B16 = lora_weights(A, B, scale, dtype)
        bias = getattr(base_layer, "bias", None)
        y = torch.addmm(bias.to(dtype), xa, B16.t()) if bias is not None else torch.mm(xa, B16.t())
        y.addmm_(h, base_weight(base_layer, dtype).t())  # thin product first, the big GEMM accumulates
        ctx.xa = xa.detach()  # [tokens, r]: an attribute, not a saved tensor, so recompute skips us
        ctx.lora_params, ctx.base_layer, ctx.scale, ctx.batch = (A, B), base_layer, scale, batch
        return y

    @staticmethod
    def backward(ctx, dy):
        (A, B), xa, batch = ctx.lora_params, ctx.xa, ctx.batch
        dy2 = dy.to(xa.dtype)
        sA, B16 = lora_weights(A, B, ctx.scale, xa.dtype)
        dxa = torch.mm(dy2, B16)  # [tokens, r]
        dh = torch.mm(dxa, sA).addmm_(dy2, base_weight(ctx.base_layer, xa.dtype))
        if batch:
            d_out, r = dy2.shape[1], xa.shape[1]
            grad_B = torch.bmm(dy2.view(batch, -1, d_out).transpose(1, 2), xa.view(batch, -1, r))
            (dB,) = per_example_grads((B,), (grad_B,))
        else:
            dB = torch.mm(dy2.t(), xa).to(B.dtype)
        return dh, dxa, None, dB, None, None, None


def _single_adapter(layer) -> str | None:
    """The active adapter's name when `layer` can join a fused Function, else None."""
    if not is_routed(layer) or layer.disable_adapters or layer.merged:
        return None
    active = [a for a in layer.active_adapters if a in layer.lora_A]
    if len(active) != 1 or active[0] in getattr(layer, "lora_variant", {}):
        return None
    name = active[0]
    return name if isinstance(layer.lora_dropout[name], nn.Identity) else None


def fused_lora_parts(module: nn.Module, projections=PROJECTIONS):
    """[(A, B, base_layer, scale)] for each named projection when all qualify (routed, one active
    adapter, no dropout), else None. Shared with `privatune.kernels.attention` (q/k/v)."""
    parts = []
    for attr in projections:
        layer = getattr(module, attr, None)
        name = _single_adapter(layer) if layer is not None else None
        if name is None:
            return None
        parts.append((layer.lora_A[name].weight, layer.lora_B[name].weight, layer.base_layer, float(layer.scaling[name])))
    return parts


def swiglu_mlp_forward(self, x):
    """Installed as `forward` on a SwiGLU MLP (gate_proj, up_proj, down_proj, silu)."""
    if not use_triton(x):  # PRIVATUNE_KERNELS=0 at run time, or a CPU tensor without the interpreter
        return original(self)(x)
    parts = fused_lora_parts(self)
    if parts is None:
        return self.down_proj(swiglu(self.gate_proj(x), self.up_proj(x)))
    per_example = per_example_mode(self.down_proj)
    tile = tile_tokens()
    if use_tiles(x, tile):  # long sequences: one tile's [g | u] at a time (mlp_tiled.py)
        return tiled_lora_mlp(x, parts, per_example, tile)
    (A_g, B_g, base_g, s_g), (A_u, B_u, base_u, s_u), (A_d, B_d, base_d, s_d) = parts
    h, xa = LoRASwiGLUFunction.apply(x, A_g, B_g, A_u, B_u, A_d, B_d, (base_g, base_u, base_d),
                                     (s_g, s_u, s_d), per_example)
    y = LoRADownFunction.apply(h, xa, A_d, B_d, base_d, s_d, per_example_batch(x, per_example))
    return y.view(*x.shape[:-1], y.shape[-1])

