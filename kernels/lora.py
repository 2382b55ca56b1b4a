"""The LoRA linear as one autograd Function, with per-example gradients for DP-SGD (DESIGN.md contract 1).

    y = x·deq(W)ᵀ + b + s·(x'·Aᵀ)·Bᵀ        x' = dropout(x) (x itself when dropout is 0)

In per-example mode the backward also writes, for a batch-first input [batch, tokens, d_in],

    A.grad_sample[i] = s · Σ_t (dy·B)[i,t]ᵀ ⊗ x'[i,t]      [batch, r, d_in]
    B.grad_sample[i] = s · Σ_t  dy[i,t]ᵀ   ⊗ (x'·Aᵀ)[i,t] [batch, d_out, r]

as two batched matmuls, so no [batch, tokens, d_out, r] tensor ever exists. Padding needs no mask
here: with right padding and a causal attention mask nothing flows from a padded position to the
loss, so dy is exactly zero there. Opacus' DPOptimizer consumes `.grad_sample`; no Opacus hooks are
involved, so gradient checkpointing (which re-runs forward) and fused kernels keep working.

This file is the torch implementation: the reference and the CPU path. On CUDA (Triton importable,
PRIVATUNE_KERNELS not "0") `lora_linear` takes the fused path of `lora_fused.py` instead: same
function and contract, NF4 dequantised by Triton into a shared buffer, bf16 throughout, in-place
LoRA adds. Every PEFT LoRA layer of a model is routed through `lora_linear` by
`peft_routing.route_lora_layers`; the per-example gradients are stored by
`grad_sample_arena.per_example_grads`.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from privatune.kernels._utils import use_triton
from privatune.kernels.grad_sample_arena import per_example_grads


# ---- the frozen base weight, by base-layer type (a registry, not an if-chain) ------------------

def _bnb_4bit_weight(layer, dtype: torch.dtype) -> torch.Tensor:
    import bitsandbytes.functional as bnbf

    weight = layer.weight
    data, state = weight.data, weight.quant_state
    if getattr(state, "packing_format_for_cpu", False):  # bitsandbytes repacks on its first CPU forward
        data, state = bnbf._convert_weight_packed_for_cpu_inverse(data, state)
    return bnbf.dequantize_4bit(data, state).to(dtype)


def _dense_weight(layer, dtype: torch.dtype) -> torch.Tensor:
    return layer.weight.to(dtype)


def weight_registry(nf4_weight, dense_weight) -> dict[type, callable]:
    """Base-layer type → fn(layer, dtype) giving its frozen weight [d_out, d_in]. Most specific type
    first: bitsandbytes' Linear4bit is itself an nn.Linear."""
    registry = {}
    try:
        import bitsandbytes as bnb

        registry[bnb.nn.Linear4bit] = nf4_weight
    except ImportError:
        pass
    registry[nn.Linear] = dense_weight
    return registry


def lookup_weight_fn(registry: dict[type, callable], layer: nn.Module, route: str):
    for cls, fn in registry.items():
        if isinstance(layer, cls):
            return fn
    raise TypeError(f"no {route} route for base layer {type(layer).__name__}; supported: nn.Linear, bnb Linear4bit")


def base_weight_fn(layer: nn.Module):
    return lookup_weight_fn(weight_registry(_bnb_4bit_weight, _dense_weight), layer, "LoRA")


# ---- the autograd Function -----------------------------------------------------------------------

class LoRALinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, x_lora, A, B, base_layer, weight_fn, scale, per_example):
        weight = weight_fn(base_layer, x.dtype)
        y = x @ weight.t()
        bias = getattr(base_layer, "bias", None)
        if bias is not None:
            y = y + bias.to(y.dtype)
        xl = x_lora.to(A.dtype)
        xa = xl @ A.t()  # [..., r]: tiny, kept for B's gradient
        y = y + (scale * (xa @ B.t())).to(y.dtype)
        ctx.save_for_backward(xl, xa, A, B)
        ctx.base_layer, ctx.weight_fn, ctx.scale, ctx.per_example = base_layer, weight_fn, scale, per_example
        # Under activation checkpointing saved_tensors are recomputed copies, not the Parameters:
        # keep the Parameter objects themselves to attach .grad_sample to.
        ctx.lora_params = (A, B)
        ctx.x_dtype, ctx.x_lora_dtype = x.dtype, x_lora.dtype
        return y

    @staticmethod
    def backward(ctx, dy):
        xl, xa, A, B = ctx.saved_tensors
        s = ctx.scale
        dx = dx_lora = dA = dB = None
        dyl = dy.to(A.dtype)
        dyB = dyl @ B  # [..., r]
        if ctx.needs_input_grad[0]:
            dx = dy @ ctx.weight_fn(ctx.base_layer, ctx.x_dtype)  # recomputed: never keep a dense W
        if ctx.needs_input_grad[1]:
            dx_lora = (s * (dyB @ A)).to(ctx.x_lora_dtype)
        if ctx.per_example:
            if xl.dim() != 3:
                raise ValueError(f"per-example LoRA gradients need a [batch, tokens, features] input, got {tuple(xl.shape)}")
            grad_A = s * torch.bmm(dyB.transpose(1, 2), xl)  # [batch, r, d_in]
            grad_B = s * torch.bmm(dyl.transpose(1, 2), xa)  # [batch, d_out, r]
            dA, dB = per_example_grads(ctx.lora_params, (grad_A, grad_B))
        else:
            dA = s * dyB.flatten(0, -2).t() @ xl.flatten(0, -2)
            dB = s * dyl.flatten(0, -2).t() @ xa.flatten(0, -2)
        return dx, dx_lora, dA, dB, None, None, None, None


def lora_linear(x, base_layer, A, B, scale: float, *, x_lora=None, per_example: bool = False):
    """y = base(x) + scale·(x_lora·Aᵀ)·Bᵀ with a hand-written backward (see the module docstring)."""
    if use_triton(x, fused=True):
        from privatune.kernels.lora_fused import LoRALinearFusedFunction

        return LoRALinearFusedFunction.apply(x, x if x_lora is None else x_lora, A, B, base_layer,
                                             float(scale), per_example)
    return LoRALinearFunction.apply(x, x if x_lora is None else x_lora, A, B, base_layer,
                                    base_weight_fn(base_layer), float(scale), per_example)


# PEFT routing moved to privatune.kernels.peft_routing; re-exported for importers not yet moved
# (client/rounds.py, tests/privacy, tests/server).
from privatune.kernels._utils import fused_path_on_cpu  # noqa: E402,F401
from privatune.kernels.peft_routing import base_linear, lora_layers, route_lora_layers, set_per_example  # noqa: E402,F401
