"""privatune.kernels.mlp: the SwiGLU MLP with LoRA on gate/up/down as two Functions (Triton SwiGLU
through the CPU interpreter) against the MLP written out in float64: output, dx, every LoRA gradient
and every per-example gradient, on odd shapes; and the installed forward's fallbacks."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from privatune.kernels import mlp
from privatune.kernels.forwards import replace_forward
from privatune.kernels.mlp import LoRADownFunction, LoRASwiGLUFunction, fused_lora_parts, swiglu_mlp_forward
from privatune.kernels.peft_routing import lora_layers, route_lora_layers, set_per_example


def rel_err(a, b):
    return ((a.double() - b).norm() / b.norm()).item()


def dense(d_in, d_out, bias, generator):
    layer = nn.Linear(d_in, d_out, bias=bias)
    layer.requires_grad_(False)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(d_out, d_in, generator=generator) * 0.2)
        if bias:
            layer.bias.copy_(torch.randn(d_out, generator=generator) * 0.1)
    return layer


def reference(x, parts, dy):
    """y = down(silu(gate(x))·up(x)) with LoRA, in float64; grads by autograd, per example by masking dy."""
    xd = x.detach().double().requires_grad_(True)
    leaves = [(A.detach().double().requires_grad_(True), B.detach().double().requires_grad_(True), base, s)
              for A, B, base, s in parts]

    def lora(t, A, B, base, s):
        y = t @ base.weight.double().t() + s * (t @ A.t()) @ B.t()
        return y + base.bias.double() if base.bias is not None else y

    (g_part, u_part, d_part) = leaves
    h = torch.nn.functional.silu(lora(xd, *g_part)) * lora(xd, *u_part)
    y = lora(h, *d_part)
    flat = [t for A, B, _, _ in leaves for t in (A, B)]
    dx, *grads = torch.autograd.grad(y, [xd] + flat, dy.double(), retain_graph=True)
    samples = []
    for i in range(x.shape[0]):
        mask = torch.zeros_like(dy, dtype=torch.float64)
        mask[i] = dy[i].double()
        samples.append(torch.autograd.grad(y, flat, mask, retain_graph=True))
    return y.detach(), dx, grads, [torch.stack([s[j] for s in samples]) for j in range(len(flat))]


@pytest.mark.parametrize("batch, tokens, hidden, inter, r, bias", [(2, 5, 24, 40, 4, False), (3, 7, 16, 33, 3, True),
                                                                    (1, 9, 32, 17, 1, False)])
@pytest.mark.parametrize("per_example", [False, True])
def test_fused_mlp_matches_fp64_reference(batch, tokens, hidden, inter, r, bias, per_example):
    generator = torch.Generator().manual_seed(3)
    shapes = ((hidden, inter, 2.0), (hidden, inter, 0.5), (inter, hidden, 1.5))  # gate, up, down
    parts = [(torch.randn(r, d_in, generator=generator).requires_grad_(True),
              (torch.randn(d_out, r, generator=generator) * 0.3).requires_grad_(True),
              dense(d_in, d_out, bias, generator), s) for d_in, d_out, s in shapes]
    x = torch.randn(batch, tokens, hidden, generator=generator, requires_grad=True)
    dy = torch.randn(batch, tokens, hidden, generator=generator)
    ref_y, ref_dx, ref_grads, ref_samples = reference(x, parts, dy)

    (A_g, B_g, base_g, s_g), (A_u, B_u, base_u, s_u), (A_d, B_d, base_d, s_d) = parts
    flat = [A_g, B_g, A_u, B_u, A_d, B_d]
    for p in flat:
        p.grad_sample = None
    h, xa = LoRASwiGLUFunction.apply(x, A_g, B_g, A_u, B_u, A_d, B_d, (base_g, base_u, base_d),
                                     (s_g, s_u, s_d), per_example)
    y = LoRADownFunction.apply(h, xa, A_d, B_d, base_d, s_d, batch if per_example else 0)
    y = y.view(batch, tokens, hidden)
    assert rel_err(y, ref_y) < 1e-5
    y.backward(dy)
    assert rel_err(x.grad, ref_dx) < 1e-5
    for p, g in zip(flat, ref_grads):
        assert rel_err(p.grad, g) < 1e-5
    if per_example:
        for p, s in zip(flat, ref_samples):
            assert p.grad_sample.shape == (batch, *p.shape) and rel_err(p.grad_sample, s) < 1e-5
    else:
        assert all(p.grad_sample is None for p in flat)


class TinyMLP(nn.Module):
    """The shape of LlamaMLP (gate_proj, up_proj, down_proj, SiLU)."""

    def __init__(self, hidden=16, inter=24):
        super().__init__()
        self.gate_proj, self.up_proj = nn.Linear(hidden, inter, bias=False), nn.Linear(hidden, inter, bias=False)
        self.down_proj = nn.Linear(inter, hidden, bias=False)
        self.act_fn = nn.SiLU()

    def forward(self, x):
        return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))


def peft_mlp(dropout=0.0):
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(0)
    model = get_peft_model(TinyMLP(), LoraConfig(r=2, lora_alpha=4, lora_dropout=dropout,
                                                 target_modules=["gate_proj", "up_proj", "down_proj"]))
    route_lora_layers(model)
    with torch.no_grad():
        for layer in lora_layers(model):
            layer.lora_B["default"].weight.normal_(0, 0.3)
    inner = model.get_base_model()
    expected = inner.forward  # the class's forward through PEFT's (routed) layers
    replace_forward(inner, swiglu_mlp_forward)
    return model, inner, expected


def test_installed_forward_takes_the_fused_functions_and_matches_the_module():
    model, inner, expected = peft_mlp()
    set_per_example(model, True)
    x = torch.randn(2, 5, 16)
    assert fused_lora_parts(inner) is not None
    y = inner(x)
    assert type(y.grad_fn).__name__ == "ViewBackward0"
    assert type(y.grad_fn.next_functions[0][0]).__name__ == "LoRADownFunctionBackward"
    torch.testing.assert_close(y, expected(x), rtol=1e-5, atol=1e-6)


def test_installed_forward_falls_back(monkeypatch):
    model, inner, expected = peft_mlp(dropout=0.1)  # LoRA dropout: not a fused group
    inner.eval()  # dropout off, so the two paths see the same input
    x = torch.randn(2, 3, 16)
    assert fused_lora_parts(inner) is None
    torch.testing.assert_close(inner(x), expected(x), rtol=1e-5, atol=1e-6)
    monkeypatch.setenv("PRIVATUNE_KERNELS", "0")  # switched off after patching: the original forward
    calls = []
    monkeypatch.setattr(mlp, "swiglu", lambda *a: calls.append(a))
    torch.testing.assert_close(inner(x), expected(x), rtol=0, atol=0)
    assert calls == []


# ---- the sequence-tiled MLP (long contexts) ------------------------------------------------------------

@pytest.mark.parametrize("batch, tokens, tile", [(1, 23, 5), (3, 11, 4), (2, 9, 9)])  # uneven last tile, one tile
@pytest.mark.parametrize("per_example", [False, True])
def test_tiled_mlp_matches_fp64_reference(batch, tokens, tile, per_example):
    from privatune.kernels.mlp_tiled import tiled_lora_mlp

    hidden, inter, r = 24, 33, 3
    generator = torch.Generator().manual_seed(5)
    shapes = ((hidden, inter, 2.0), (hidden, inter, 0.5), (inter, hidden, 1.5))
    parts = [(torch.randn(r, d_in, generator=generator).requires_grad_(True),
              (torch.randn(d_out, r, generator=generator) * 0.3).requires_grad_(True),
              dense(d_in, d_out, bias, generator), s) for (d_in, d_out, s), bias in zip(shapes, (True, False, True))]
    x = torch.randn(batch, tokens, hidden, generator=generator, requires_grad=True)
    dy = torch.randn(batch, tokens, hidden, generator=generator)
    ref_y, ref_dx, ref_grads, ref_samples = reference(x, parts, dy)
    flat = [t for A, B, _, _ in parts for t in (A, B)]
    for p in flat:
        p.grad_sample = None
    y = tiled_lora_mlp(x, parts, per_example, tile)
    assert type(y.grad_fn).__name__ == "TiledLoRAMLPFunctionBackward"
    assert rel_err(y, ref_y) < 1e-5
    y.backward(dy)
    assert rel_err(x.grad, ref_dx) < 1e-5
    for p, g in zip(flat, ref_grads):
        assert rel_err(p.grad, g) < 1e-5
    if per_example:  # stored once, summed over the tiles: one [batch, *shape] tensor, not a list
        for p, s in zip(flat, ref_samples):
            assert isinstance(p.grad_sample, torch.Tensor) and rel_err(p.grad_sample, s) < 1e-5


def test_installed_forward_tiles_long_sequences(monkeypatch):
    model, inner, expected = peft_mlp()
    set_per_example(model, True)
    monkeypatch.setenv("PRIVATUNE_MLP_TILE", "4")
    short, long = torch.randn(2, 8, 16), torch.randn(2, 9, 16)
    assert type(inner(short).grad_fn).__name__ == "ViewBackward0"  # 8 ≤ 2 × 4: untiled
    y = inner(long)
    assert type(y.grad_fn).__name__ == "TiledLoRAMLPFunctionBackward"
    torch.testing.assert_close(y, expected(long), rtol=1e-5, atol=1e-6)
