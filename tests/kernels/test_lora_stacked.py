"""privatune.kernels.lora_stacked: several LoRA projections of one input as one GEMM pair, against
each projection written out in float64 (forward, dx, dA/dB and per-example gradients), on odd
shapes with mixed biases and scales; and the stacked factors follow in-place changes of A and B."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from privatune.kernels import lora_stacked
from privatune.kernels.lora_stacked import stacked_backward, stacked_forward


def rel_err(a, b):
    return ((a.double() - b).norm() / b.norm()).item()


def projections(d_in, widths, ranks, biases, scales, seed=0):
    generator = torch.Generator().manual_seed(seed)
    params, bases = [], []
    for w, r, bias in zip(widths, ranks, biases):
        base = nn.Linear(d_in, w, bias=bias)
        base.requires_grad_(False)
        with torch.no_grad():
            base.weight.copy_(torch.randn(w, d_in, generator=generator) * 0.2)
            if bias:
                base.bias.copy_(torch.randn(w, generator=generator))
        A = torch.randn(r, d_in, generator=generator).requires_grad_(True)
        B = (torch.randn(w, r, generator=generator) * 0.3).requires_grad_(True)
        params.append((A, B))
        bases.append(base)
    return params, bases, list(scales)


def reference(x3, params, bases, scales, dy3):
    """Per projection in float64: y_i, and dx, dA_i, dB_i and per-example A_i/B_i grads by autograd."""
    x = x3.double().requires_grad_(True)
    leaves = [(A.detach().double().requires_grad_(True), B.detach().double().requires_grad_(True)) for A, B in params]
    ys = []
    for (A, B), base, s in zip(leaves, bases, scales):
        y = x @ base.weight.double().t() + s * (x @ A.t()) @ B.t()
        ys.append(y + base.bias.double() if base.bias is not None else y)
    y = torch.cat(ys, dim=-1)
    flat = [p for pair in leaves for p in pair]
    dx, *grads = torch.autograd.grad(y, [x] + flat, dy3.double(), retain_graph=True)
    per_example = []
    for i in range(x3.shape[0]):  # each example alone: its rows of dy only
        mask = torch.zeros_like(dy3, dtype=torch.float64)
        mask[i] = dy3[i].double()
        per_example.append(torch.autograd.grad(y, flat, mask, retain_graph=True))
    samples = [torch.stack([g[j] for g in per_example]) for j in range(len(flat))]
    return y.detach(), dx, grads, samples


@pytest.mark.parametrize("batch, tokens, d_in, widths, ranks, biases, scales", [
    (2, 5, 24, (16, 8, 8), (4, 4, 4), (False, False, False), (2.0, 2.0, 2.0)),  # q/k/v, GQA widths
    (3, 7, 40, (33, 17), (3, 5), (True, False), (1.0, 0.5)),                    # gate/up-like, odd sizes
    (1, 9, 16, (8, 12, 4), (2, 1, 6), (True, True, False), (0.25, 1.0, 3.0)),    # one example, mixed biases
])
@pytest.mark.parametrize("per_example", [False, True])
def test_stacked_projections_match_each_projection_in_fp64(batch, tokens, d_in, widths, ranks, biases, scales,
                                                           per_example):
    params, bases, scales = projections(d_in, widths, ranks, biases, scales)
    x3 = torch.randn(batch, tokens, d_in)
    dy3 = torch.randn(batch, tokens, sum(widths))
    ref_y, ref_dx, ref_grads, ref_samples = reference(x3, params, bases, scales, dy3)

    x2 = x3.reshape(-1, d_in)
    y, xa = stacked_forward(x2, params, bases, scales)
    assert y.shape == (batch * tokens, sum(widths)) and xa.shape == (batch * tokens, sum(ranks))
    assert rel_err(y.view(batch, tokens, -1), ref_y) < 1e-5
    for p in (p for pair in params for p in pair):
        p.grad_sample = None
    dx, grads = stacked_backward(dy3.reshape(-1, sum(widths)), x2, xa, params, bases, scales,
                                 batch if per_example else 0, want_dx=True)
    assert rel_err(dx.view(batch, tokens, d_in), ref_dx) < 1e-5
    flat = [p for pair in params for p in pair]
    if per_example:
        for p, g, ref_sample, ref_grad in zip(flat, grads, ref_samples, ref_grads):
            assert p.grad_sample.shape == (batch, *p.shape)
            assert rel_err(p.grad_sample, ref_sample) < 1e-5
            assert rel_err(g, ref_grad) < 1e-5  # without an arena .grad gets the batch sum
    else:
        for g, ref_grad, p in zip(grads, ref_grads, flat):
            assert g.shape == p.shape and rel_err(g, ref_grad) < 1e-5


def test_no_dx_when_not_wanted():
    params, bases, scales = projections(16, (8, 8), (2, 2), (False, False), (1.0, 1.0))
    x2 = torch.randn(6, 16)
    _, xa = stacked_forward(x2, params, bases, scales)
    dx, grads = stacked_backward(torch.randn(6, 16), x2, xa, params, bases, scales, 0, want_dx=False)
    assert dx is None and len(grads) == 4


def test_stacked_factors_follow_in_place_updates_of_A_and_B():
    params, bases, scales = projections(16, (8, 4), (3, 2), (False, True), (2.0, 0.5))
    x2 = torch.randn(5, 16)
    before, _ = stacked_forward(x2, params, bases, scales)
    with torch.no_grad():  # an optimizer-like in-place update bumps the version counters
        params[1][0].mul_(-3.0)
        params[0][1].add_(1.0)
    after, _ = stacked_forward(x2, params, bases, scales)
    A, sB = lora_stacked.stacked_factors(params, scales, torch.float32)
    torch.testing.assert_close(A, torch.cat([params[0][0], params[1][0]]).detach())
    torch.testing.assert_close(sB[:8, :3], 2.0 * params[0][1].detach())
    torch.testing.assert_close(sB[8:, 3:], 0.5 * params[1][1].detach())
    assert sB[:8, 3:].abs().sum() == 0 and sB[8:, :3].abs().sum() == 0  # block diagonal
    widths = (8, 4)
    expected = torch.cat([x2 @ b.weight.t() + s * (x2 @ a.t()) @ bb.t() for (a, bb), b, s in zip(params, bases, scales)],
                         dim=1)
    expected[:, 8:] += bases[1].bias
    torch.testing.assert_close(after, expected.detach(), rtol=1e-5, atol=1e-5)
    assert not torch.allclose(before, after)
    assert sum(widths) == after.shape[1]
