"""The fused (CUDA) LoRA path, run on CPU through the Triton interpreter, against the torch reference:
forward, backward, per-example gradients, dropout input, NF4 base through the shared buffer,
checkpointing, and the switches that choose the path."""

from __future__ import annotations

import bitsandbytes as bnb
import pytest
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

from privatune.kernels import lora_fused
from privatune.kernels._utils import fused_path_on_cpu, use_triton
from privatune.kernels.lora import LoRALinearFunction, lora_linear


def rel_err(a, b):
    return ((a - b).norm() / b.norm()).item()


@pytest.fixture(autouse=True)
def _eager_bitsandbytes():
    with torch.compiler.set_stance("force_eager"):  # bnb's CPU ops recompile per shape otherwise
        yield


def nf4_layer(d_in, d_out, bias):
    # in_features a multiple of the 64-blocksize: bitsandbytes 0.50.2's own CPU dequantize_4bit
    # (the reference path's) is wrong otherwise (e.g. 20×48: 34 % off; our NF4 kernel is not).
    assert d_in % 64 == 0
    layer = bnb.nn.Linear4bit(d_in, d_out, bias=bias, compute_dtype=torch.float32, quant_type="nf4")
    layer.weight = bnb.nn.Params4bit(torch.randn(d_out, d_in) * 0.1, requires_grad=False,
                                     quant_type="nf4", compress_statistics=True)
    if bias:
        layer.bias = nn.Parameter(torch.randn(d_out) * 0.1, requires_grad=False)
    return layer.to("cpu")


def run(fused, x, base, A, B, scale, x_lora=None, per_example=True):
    """(y, grads of x, x_lora, A, B, and A/B.grad_sample) for a fixed random upstream gradient."""
    for t in (x, x_lora, A, B):
        if t is not None:
            t.grad = None
    A.grad_sample = B.grad_sample = None
    if fused:
        with fused_path_on_cpu():
            y = lora_linear(x, base, A, B, scale, x_lora=x_lora, per_example=per_example)
        assert type(y.grad_fn).__name__.startswith("LoRALinearFusedFunction")
    else:
        y = lora_linear(x, base, A, B, scale, x_lora=x_lora, per_example=per_example)
        assert type(y.grad_fn).__name__.startswith("LoRALinearFunction")
    y.backward(torch.randn(y.shape, generator=torch.Generator().manual_seed(7)))
    grads = [t.grad.clone() for t in (x, x_lora, A, B) if t is not None]
    samples = [A.grad_sample.clone(), B.grad_sample.clone()] if per_example else []
    return [y.detach()] + grads + samples


@pytest.mark.parametrize("batch, tokens, d_in, d_out, r", [(2, 5, 16, 12, 1), (3, 7, 24, 40, 8), (1, 33, 64, 64, 64)])
@pytest.mark.parametrize("bias", [False, True])
def test_fused_matches_reference_on_a_dense_base(batch, tokens, d_in, d_out, r, bias):
    base = nn.Linear(d_in, d_out, bias=bias)
    A = torch.randn(r, d_in, requires_grad=True)
    B = torch.randn(d_out, r, requires_grad=True)
    x = torch.randn(batch, tokens, d_in, requires_grad=True)
    ref = run(False, x, base, A, B, 0.5)
    got = run(True, x, base, A, B, 0.5)
    for g, e in zip(got, ref):
        assert g.shape == e.shape and rel_err(g, e) < 1e-5


@pytest.mark.parametrize("per_example", [False, True])
def test_fused_matches_reference_on_an_nf4_base_with_dropout_input(per_example):
    base = nf4_layer(64, 20, bias=True)
    A = torch.randn(8, 64, requires_grad=True)
    B = torch.randn(20, 8, requires_grad=True)
    x = torch.randn(2, 9, 64, requires_grad=True)
    x_lora = torch.nn.functional.dropout(x.detach(), 0.3).requires_grad_(True)
    ref = run(False, x, base, A, B, 2.0, x_lora=x_lora, per_example=per_example)
    got = run(True, x, base, A, B, 2.0, x_lora=x_lora, per_example=per_example)
    for g, e in zip(got, ref):
        assert rel_err(g, e) < 1e-5
    if per_example:  # per-example gradients still sum to the batch gradient
        torch.testing.assert_close(A.grad_sample.sum(0), A.grad, rtol=1e-5, atol=1e-6)


def test_fp16_activations_with_fp32_adapters():
    base = nf4_layer(64, 24, bias=False)
    A = (torch.randn(4, 64) * 0.1).requires_grad_(True)
    B = (torch.randn(24, 4) * 0.1).requires_grad_(True)
    x = torch.randn(2, 6, 64, dtype=torch.float16, requires_grad=True)
    ref = run(False, x, base, A, B, 1.0)
    got = run(True, x, base, A, B, 1.0)
    assert got[0].dtype == torch.float16 and got[2].dtype == A.dtype and got[4].dtype == torch.float32
    for g, e in zip(got, ref):
        assert rel_err(g.float(), e.float()) < 5e-3  # fp16 operands in the fused path, fp32 LoRA in the reference


def test_one_shared_buffer_holds_the_largest_dequantised_weight():
    lora_fused.free_weight_buffers()
    layers = [nf4_layer(64, 48, False), nf4_layer(128, 16, False), nf4_layer(64, 16, False)]
    for layer in layers:
        W = lora_fused.base_weight(layer, torch.float32)
        expected = bnb.functional.dequantize_4bit(layer.weight.data, layer.weight.quant_state)
        torch.testing.assert_close(W, expected, rtol=0, atol=0)
    buffers = lora_fused._WEIGHT_BUFFERS
    assert len(buffers) == 1 and next(iter(buffers.values())).numel() == 64 * 48
    lora_fused.base_weight(layers[0], torch.float16)
    assert len(buffers) == 2  # one per dtype


def test_per_example_grads_are_identical_under_checkpointing():
    torch.manual_seed(3)
    bases = [nf4_layer(64, 64, False), nf4_layer(64, 64, False)]
    As = [torch.randn(4, 64, requires_grad=True) for _ in bases]
    Bs = [(torch.randn(64, 4) * 0.1).requires_grad_(True) for _ in bases]

    def block(x):
        for base, A, B in zip(bases, As, Bs):
            x = torch.tanh(lora_linear(x, base, A, B, 0.5, per_example=True))
        return x

    x = torch.randn(3, 5, 64)
    results = []
    with fused_path_on_cpu():
        for use_checkpoint in (False, True):
            for p in As + Bs:
                p.grad, p.grad_sample = None, None
            out = checkpoint(block, x, use_reentrant=False) if use_checkpoint else block(x)
            out.square().sum().backward()
            results.append([p.grad_sample.clone() for p in As + Bs])
    for a, b in zip(*results):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_path_switches(monkeypatch):
    x = torch.randn(2, 3)
    assert not use_triton(x, fused=True)  # CPU: the reference path, byte for byte
    with fused_path_on_cpu():
        assert use_triton(x, fused=True)
        monkeypatch.setenv("PRIVATUNE_KERNELS", "0")
        assert not use_triton(x, fused=True)
    assert LoRALinearFunction is not None


def test_per_example_mode_needs_batched_input():
    base = nn.Linear(8, 8)
    A, B = torch.randn(2, 8, requires_grad=True), torch.randn(8, 2, requires_grad=True)
    with fused_path_on_cpu(), pytest.raises(ValueError, match=r"\[batch, tokens, features\]"):
        lora_linear(torch.randn(4, 8), base, A, B, 1.0, per_example=True)


@pytest.mark.parametrize("update", ["fused_adamw", "sgd", "in_place", "load_state_dict"])
def test_cached_bf16_factors_follow_every_parameter_update(update):
    """The fused path casts A and B once per step; any update must be seen by the next forward."""
    base = nf4_layer(64, 24, bias=False)
    A = (torch.randn(4, 64) * 0.1).requires_grad_(True)
    B = (torch.randn(24, 4) * 0.1).requires_grad_(True)
    x = torch.randn(2, 6, 64, dtype=torch.float16)

    def fused_y(keep_graph=False):
        with fused_path_on_cpu():
            y = lora_linear(x, base, A, B, 2.0)
        return y if keep_graph else y.detach()

    def reference_y():
        return lora_linear(x.float(), base, A, B, 2.0).detach()

    before = fused_y()
    if update in ("fused_adamw", "sgd"):
        opt = torch.optim.AdamW([A, B], lr=0.5, fused=True) if update == "fused_adamw" else torch.optim.SGD([A, B], lr=5.0)
        fused_y(keep_graph=True).float().sum().backward()
        opt.step()
    elif update == "in_place":
        with torch.no_grad():
            B.mul_(3.0)
    else:
        holder = nn.Module()
        holder.A, holder.B = nn.Parameter(A.detach()), nn.Parameter(B.detach())
        A, B = holder.A, holder.B
        fused_y()  # cache the current values, then load new ones in place
        holder.load_state_dict({"A": torch.randn(4, 64) * 0.1, "B": torch.randn(24, 4) * 0.1})
    after = fused_y()
    assert rel_err(after.float(), before.float()) > 1e-2  # the update changed the output ...
    assert rel_err(after.float(), reference_y()) < 1e-2  # ... and the fused path used the new weights


def test_mirrors_of_a_dropped_model_are_freed():
    """The bf16 mirrors refer to their parameters weakly: dropping the parameters drops the mirrors."""
    import gc
    import weakref

    base = nf4_layer(64, 24, bias=False)
    A = (torch.randn(4, 64) * 0.1).requires_grad_(True)
    B = (torch.randn(24, 4) * 0.1).requires_grad_(True)
    with fused_path_on_cpu():
        lora_linear(torch.randn(2, 3, 64, dtype=torch.float16), base, A, B, 2.0)
    alive = weakref.ref(A)
    gc.collect()  # earlier tests' dropped models first
    count = len(lora_fused._MIRRORS)
    del A, B
    gc.collect()
    assert alive() is None and len(lora_fused._MIRRORS) == count - 2
