"""privatune.kernels.peft_routing: PEFT LoRA layers routed through lora_linear give PEFT's own
outputs and gradients, per-example gradients on request, the base layer alone when the adapter is
disabled, PEFT's forward for what the route does not cover, and clear errors."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from privatune.kernels.forwards import original, restore
from privatune.kernels.peft_routing import (base_linear, is_routed, lora_layers, per_example_mode, route_lora_layers,
                                            set_per_example)


class Tiny(nn.Module):
    def __init__(self, d=16, d_out=9):
        super().__init__()
        self.a, self.b = nn.Linear(d, 24), nn.Linear(24, d_out, bias=False)

    def forward(self, x):
        return self.b(torch.relu(self.a(x)))


def peft_tiny(route=True, seed=0, **lora):
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    model = get_peft_model(Tiny(), LoraConfig(r=3, lora_alpha=6, target_modules=["a", "b"], **lora))
    with torch.no_grad():
        for layer in lora_layers(model):
            layer.lora_B["default"].weight.normal_(0, 0.3)
    if route:
        assert route_lora_layers(model) == 2
    return model


def grads(model, x):
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.grad = None
    out = model(x)
    out.square().sum().backward()
    return out.detach(), [p.grad.clone() for p in params]


def test_routed_layers_equal_peft_and_route_once():
    x = torch.randn(3, 5, 16)
    ref_out, ref_grads = grads(peft_tiny(route=False), x)
    model = peft_tiny()
    layer = lora_layers(model)[0]
    assert type(model(x).grad_fn).__name__ == "LoRALinearFunctionBackward"
    out, got = grads(model, x)
    torch.testing.assert_close(out, ref_out, rtol=1e-5, atol=1e-6)
    for g, e in zip(got, ref_grads):
        torch.testing.assert_close(g, e, rtol=1e-5, atol=1e-6)
    peft_forward = original(layer)
    assert route_lora_layers(model) == 2 and original(layer) == peft_forward  # never wraps the wrapper
    assert all(is_routed(m) and not per_example_mode(m) for m in lora_layers(model))
    restore(layer)
    assert "forward" not in vars(layer)  # PEFT's class method again


def test_per_example_gradients_sum_to_the_batch_gradient():
    model = peft_tiny()
    set_per_example(model, True)
    x = torch.randn(4, 3, 16)
    _, batch_grads = grads(model, x)
    for p, g in zip((p for p in model.parameters() if p.requires_grad), batch_grads):
        assert p.grad_sample.shape == (4, *p.shape)
        torch.testing.assert_close(p.grad_sample.sum(0), g, rtol=1e-5, atol=1e-6)
    # example 1 alone gives row 1
    p0 = next(p for p in model.parameters() if p.requires_grad)
    row = p0.grad_sample[1].clone()
    p0.grad_sample = None
    model(x[1:2]).square().sum().backward()
    torch.testing.assert_close(p0.grad_sample[0], row, rtol=1e-5, atol=1e-6)


def test_disabled_adapter_runs_the_base_layer_and_merged_runs_peft():
    model = peft_tiny()
    x = torch.randn(2, 16)
    layer = lora_layers(model)[0]
    with model.disable_adapter():
        torch.testing.assert_close(layer(x), base_linear(x, layer.base_layer), rtol=0, atol=0)
        torch.testing.assert_close(layer(x), layer.base_layer(x), rtol=1e-6, atol=1e-6)
    before = model(x).detach()
    model.merge_adapter()  # merged weights: PEFT's own forward, the same function
    torch.testing.assert_close(model(x), before, rtol=1e-5, atol=1e-5)


def test_clear_errors():
    with pytest.raises(RuntimeError, match="route_lora_layers"):
        set_per_example(peft_tiny(route=False), True)

    from peft import LoraConfig, get_peft_model

    class WithEmbedding(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 4)

    embedded = get_peft_model(WithEmbedding(), LoraConfig(r=2, target_modules=["emb"]))
    with pytest.raises(TypeError, match="no LoRA route for base layer Embedding"):
        route_lora_layers(embedded)
