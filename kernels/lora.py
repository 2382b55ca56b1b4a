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
LoRA adds. Every PEFT LoRA layer of a model is routed through `lora_linear` by `route_lora_layers`.
"""

from __future__ import annotations

import contextlib
import types

import torch
import torch.nn as nn

from privatune.kernels._utils import use_triton
from privatune.kernels.grad_sample_arena import store_grad_sample


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


# ---- per-example gradient storage (the layout Opacus' DPOptimizer reads) ------------------------
# One tensor per backward (a list after several), or views of the model's grad-sample arena when a
# DP optimizer attached one (privatune.kernels.grad_sample_arena).

def per_example_grads(params, grads) -> tuple:
    """Store each [batch, *shape] grad as its parameter's `.grad_sample`; returns what `.grad` gets.

    That is the batch sum, except for a parameter with an arena: a DP optimizer that owns one
    overwrites `.grad` with the noisy clipped mean anyway, so the sum (a reduction and an
    AccumulateGrad per tensor per step) is skipped and `.grad` stays as it was.
    """
    sums = []
    for param, grad in zip(params, grads):
        stored, in_arena = store_grad_sample(param, grad)  # grad: made inside a backward, no graph
        sums.append(None if in_arena else stored.sum(0).to(param.dtype))
    return tuple(sums)


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


_FUSED_ON_CPU = False  # tests: run the fused path under TRITON_INTERPRET on CPU tensors


@contextlib.contextmanager
def fused_path_on_cpu():
    """Take the fused (GPU) path on CPU tensors too, when TRITON_INTERPRET is set (tests, dry runs)."""
    global _FUSED_ON_CPU
    previous, _FUSED_ON_CPU = _FUSED_ON_CPU, True
    try:
        yield
    finally:
        _FUSED_ON_CPU = previous


def fused_path_enabled(x: torch.Tensor) -> bool:
    """CUDA + Triton + kernels on; on CPU only inside `fused_path_on_cpu()` under the interpreter."""
    return use_triton(x) and (x.is_cuda or _FUSED_ON_CPU)


def lora_linear(x, base_layer, A, B, scale: float, *, x_lora=None, per_example: bool = False):
    """y = base(x) + scale·(x_lora·Aᵀ)·Bᵀ with a hand-written backward (see the module docstring)."""
    if fused_path_enabled(x):
        from privatune.kernels.lora_fused import LoRALinearFusedFunction

        return LoRALinearFusedFunction.apply(x, x if x_lora is None else x_lora, A, B, base_layer,
                                             float(scale), per_example)
    return LoRALinearFunction.apply(x, x if x_lora is None else x_lora, A, B, base_layer,
                                    base_weight_fn(base_layer), float(scale), per_example)


# ---- routing PEFT LoRA layers through lora_linear -------------------------------------------------

def base_linear(x, base_layer):
    """The frozen base layer alone, with the same dequantisation as lora_linear (used when the
    adapter is disabled, e.g. as the audit's reference model). bitsandbytes' own CPU forward would
    repack the weights with a lossy bf16 absmax, changing every later result of the layer."""
    y = x @ base_weight_fn(base_layer)(base_layer, x.dtype).t()
    bias = getattr(base_layer, "bias", None)
    return y if bias is None else y + bias.to(y.dtype)


def _routed_forward(self, x, *args, **kwargs):
    if self.disable_adapters and not self.merged and not args and not kwargs:
        return base_linear(x, self.base_layer)
    active = [a for a in self.active_adapters if a in self.lora_A]
    if (self.disable_adapters or self.merged or len(active) != 1 or kwargs.get("adapter_names") is not None
            or active[0] in getattr(self, "lora_variant", {})):
        return self._privatune_peft_forward(x, *args, **kwargs)  # base only, merged, DoRA, mixed batches
    name = active[0]
    dropout = self.lora_dropout[name]
    x_lora = x if isinstance(dropout, nn.Identity) else dropout(x)
    return lora_linear(x, self.base_layer, self.lora_A[name].weight, self.lora_B[name].weight,
                       self.scaling[name], x_lora=x_lora, per_example=self._privatune_per_example)


def lora_layers(model: nn.Module) -> list[nn.Module]:
    from peft.tuners.lora import LoraLayer

    return [m for m in model.modules() if isinstance(m, LoraLayer) and hasattr(m, "base_layer")]


def route_lora_layers(model: nn.Module) -> int:
    """Send every PEFT LoRA layer of `model` through `lora_linear`; returns how many were routed."""
    layers = lora_layers(model)
    for layer in layers:
        base_weight_fn(layer.base_layer)  # fail now, not mid-training, on an unsupported base layer
        if not hasattr(layer, "_privatune_peft_forward"):
            layer._privatune_peft_forward = layer.forward
            layer._privatune_per_example = False
            layer.forward = types.MethodType(_routed_forward, layer)
    return len(layers)


def set_per_example(model: nn.Module, enabled: bool) -> None:
    """Switch per-example gradient mode (set by privatune.privacy.dp) on every routed LoRA layer."""
    layers = [m for m in lora_layers(model) if hasattr(m, "_privatune_per_example")]
    if not layers:
        raise RuntimeError("no routed LoRA layers: call privatune.kernels.lora.route_lora_layers(model) first")
    for layer in layers:
        layer._privatune_per_example = enabled
