"""Routing PEFT LoRA layers through `privatune.kernels.lora.lora_linear` (per-example gradients for DP).

    route_lora_layers(model) -> int        every PEFT LoraLayer's forward → `_routed_forward`
    set_per_example(model, enabled)        per-example gradient mode on every routed layer (privacy/dp.py)

A routed layer with one active adapter runs `lora_linear` (the torch reference Function, or the
fused path on CUDA); anything else (adapters disabled or merged, DoRA, several adapters, mixed
batches) runs PEFT's own forward, kept by `forwards.replace_forward`. With the adapter disabled the
base layer alone runs through the same dequantisation as `lora_linear` (`base_linear`).
`mlp.py` and `attention.py` read `is_routed` / `per_example_mode` to join the fused groups.
"""

from __future__ import annotations

import torch.nn as nn

from privatune.kernels.forwards import is_replaced, original, replace_forward

_PER_EXAMPLE = "_privatune_per_example"  # on each routed layer: per-example gradient mode


def is_routed(layer: nn.Module) -> bool:
    return hasattr(layer, _PER_EXAMPLE)


def per_example_mode(layer: nn.Module) -> bool:
    return getattr(layer, _PER_EXAMPLE)


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
        return original(self)(x, *args, **kwargs)  # base only, merged, DoRA, mixed batches
    name = active[0]
    dropout = self.lora_dropout[name]
    x_lora = x if isinstance(dropout, nn.Identity) else dropout(x)
    return lora_linear(x, self.base_layer, self.lora_A[name].weight, self.lora_B[name].weight,
                       self.scaling[name], x_lora=x_lora, per_example=getattr(self, _PER_EXAMPLE))


def lora_layers(model: nn.Module) -> list[nn.Module]:
    from peft.tuners.lora import LoraLayer

    return [m for m in model.modules() if isinstance(m, LoraLayer) and hasattr(m, "base_layer")]


def route_lora_layers(model: nn.Module) -> int:
    """Send every PEFT LoRA layer of `model` through `lora_linear`; returns how many were routed."""
    layers = lora_layers(model)
    for layer in layers:
        base_weight_fn(layer.base_layer)  # fail now, not mid-training, on an unsupported base layer
        if not is_replaced(layer):
            replace_forward(layer, _routed_forward)
            setattr(layer, _PER_EXAMPLE, False)
    return len(layers)


def set_per_example(model: nn.Module, enabled: bool) -> None:
    """Switch per-example gradient mode (set by privatune.privacy.dp) on every routed LoRA layer."""
    layers = [m for m in lora_layers(model) if is_routed(m)]
    if not layers:
        raise RuntimeError("no routed LoRA layers: call privatune.kernels.peft_routing.route_lora_layers(model) first")
    for layer in layers:
        setattr(layer, _PER_EXAMPLE, enabled)


# Imported last: kernels/lora.py re-exports this module's functions (for importers not yet moved,
# see there), so whichever of the two is imported first, the other finds its names defined.
from privatune.kernels.lora import base_weight_fn, lora_linear  # noqa: E402
