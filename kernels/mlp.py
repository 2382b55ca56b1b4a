"""SwiGLU MLP whose gate/up/down projections are routed LoRA layers: one Function, hand-written backward.

    g = lora(x; gate)    u = lora(x; up)    h = silu(g)·u    y = lora(h; down)

Forward saves x, g, u and the three [tokens, r] LoRA factors; h is recomputed in backward, so one
[tokens, intermediate] tensor fewer is kept than with autograd through the parts. Backward runs
down's LoRA backward, the Triton SwiGLU backward, then gate's and up's, adding both dx into one
buffer (`addmm_`), with the per-example A/B gradients of all six LoRA matrices (DESIGN.md contract 1).

`swiglu_mlp_forward` is what `patch.py` installs on Llama/Mistral/Qwen2 MLP modules: the fused
Function when the three projections qualify (routed, one active adapter, no dropout), else the
parts through autograd with the Triton SwiGLU between them.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from privatune.kernels._utils import use_triton
from privatune.kernels.lora_fused import lora_backward, lora_forward, per_example_batch, rows
from privatune.kernels.swiglu import swiglu, swiglu_backward

PROJECTIONS = ("gate_proj", "up_proj", "down_proj")


class LoRASwiGLUFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, A_gate, B_gate, A_up, B_up, A_down, B_down, bases, scales, per_example):
        batch = per_example_batch(x, per_example)
        x2 = rows(x)
        gate, xa_gate = lora_forward(x2, x2, A_gate, B_gate, bases[0], scales[0])
        up, xa_up = lora_forward(x2, x2, A_up, B_up, bases[1], scales[1])
        h = swiglu(gate, up)
        y, xa_down = lora_forward(h, h, A_down, B_down, bases[2], scales[2])
        ctx.save_for_backward(x2, gate, up, xa_gate, xa_up, xa_down)
        # The Parameters themselves (not recomputed copies) receive .grad_sample.
        ctx.lora_params = ((A_gate, B_gate), (A_up, B_up), (A_down, B_down))
        ctx.bases, ctx.scales, ctx.batch, ctx.x_shape = bases, scales, batch, x.shape
        return y.view(*x.shape[:-1], y.shape[-1])

    @staticmethod
    def backward(ctx, dy):
        x2, gate, up, xa_gate, xa_up, xa_down = ctx.saved_tensors
        p_gate, p_up, p_down = ctx.lora_params
        (b_gate, b_up, b_down), (s_gate, s_up, s_down), batch = ctx.bases, ctx.scales, ctx.batch
        h = swiglu(gate, up)  # recomputed rather than saved
        dh, _, dA_down, dB_down = lora_backward(rows(dy.to(x2.dtype)), h, xa_down, p_down, b_down, s_down,
                                                batch, want_dx=True, lora_into_dx=True)
        del h
        d_gate, d_up = swiglu_backward(dh, gate, up)
        del dh
        want_dx = ctx.needs_input_grad[0]
        dx, _, dA_gate, dB_gate = lora_backward(d_gate, x2, xa_gate, p_gate, b_gate, s_gate, batch,
                                                want_dx=want_dx, lora_into_dx=True)
        del d_gate
        dx, _, dA_up, dB_up = lora_backward(d_up, x2, xa_up, p_up, b_up, s_up, batch,
                                            want_dx=want_dx, lora_into_dx=True, dx=dx)
        dx = dx.view(ctx.x_shape) if dx is not None else None
        return dx, dA_gate, dB_gate, dA_up, dB_up, dA_down, dB_down, None, None, None


def _single_adapter(layer) -> str | None:
    """The active adapter's name when `layer` can join a fused Function, else None."""
    if not hasattr(layer, "_privatune_per_example") or layer.disable_adapters or layer.merged:
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
        return self._privatune_original_forward(x)
    parts = fused_lora_parts(self)
    if parts is None:
        return self.down_proj(swiglu(self.gate_proj(x), self.up_proj(x)))
    (A_g, B_g, base_g, s_g), (A_u, B_u, base_u, s_u), (A_d, B_d, base_d, s_d) = parts
    per_example = self.down_proj._privatune_per_example
    return LoRASwiGLUFunction.apply(x, A_g, B_g, A_u, B_u, A_d, B_d, (base_g, base_u, base_d),
                                    (s_g, s_u, s_d), per_example)
