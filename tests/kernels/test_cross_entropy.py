"""Fused linear + CE: per-example losses and grads vs full-logits autograd, chunked paths, edge cases."""

import pytest
import torch

from privatune.kernels import cross_entropy as ce
from privatune.kernels._utils import triton

requires_triton = pytest.mark.skipif(triton is None, reason="triton is not importable here")
TOL = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float16: dict(rtol=5e-3, atol=5e-3)}


def make_batch(n_rows=37, hidden=24, vocab=101, examples=4, dtype=torch.float32):
    h = torch.randn(n_rows, hidden, dtype=dtype, requires_grad=True)
    w = (torch.randn(vocab, hidden) / hidden**0.5).to(dtype).requires_grad_()
    labels = torch.randint(0, vocab, (n_rows,))
    labels[::5] = -100
    example_index = torch.arange(n_rows) % examples
    labels[example_index == 1] = -100  # an example with nothing to predict
    return h, w, labels, example_index, examples


def grads(losses, inputs, upstream):
    return torch.autograd.grad(losses, inputs, upstream, retain_graph=True)


@pytest.fixture(params=["triton", "torch"])
def path(request, monkeypatch):
    if request.param == "triton" and triton is None:
        pytest.skip("triton is not importable here")
    if request.param == "torch":
        monkeypatch.setenv("PRIVATUNE_KERNELS", "0")  # the chunk loop with the torch chunk twin
    return request.param


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
@pytest.mark.parametrize("chunk_size", [None, 8, 1])
def test_matches_full_logits_reference(path, dtype, chunk_size):
    h, w, labels, ex, b = make_batch(dtype=dtype)
    losses = ce.fused_linear_cross_entropy(h, w, labels, ex, b, chunk_size=chunk_size)
    ref = ce.cross_entropy_reference(h, w, labels, ex, b)
    assert losses.dtype == torch.float32 and losses.shape == (b,)
    assert losses[1] == 0 and torch.isfinite(losses).all()
    torch.testing.assert_close(losses, ref, **TOL[dtype])
    # Uniform upstream grads (loss = losses.mean()) and per-example weights (recomputes dW).
    for upstream in (torch.full((b,), 1.0 / b), torch.rand(b)):
        for got, want in zip(grads(losses, (h, w), upstream), grads(ref, (h, w), upstream)):
            torch.testing.assert_close(got, want, **TOL[dtype])


@requires_triton
def test_vocab_spanning_several_kernel_blocks(monkeypatch):
    monkeypatch.setattr(ce, "_MAX_BLOCK", 32)  # 101 logits → four blocks, the last one partial
    h, w, labels, ex, b = make_batch()
    losses = ce.fused_linear_cross_entropy(h, w, labels, ex, b, chunk_size=16)
    ref = ce.cross_entropy_reference(h, w, labels, ex, b)
    torch.testing.assert_close(losses, ref)
    torch.testing.assert_close(grads(losses, h, torch.ones(b))[0], grads(ref, h, torch.ones(b))[0])


def test_batch_seq_layout_with_shifted_labels(path):
    batch, seq, hidden, vocab = 3, 11, 16, 50
    h = torch.randn(batch, seq, hidden, requires_grad=True)
    w = torch.randn(vocab, hidden) / 4
    tokens = torch.randint(0, vocab, (batch, seq))
    tokens[2, 7:] = -100  # right padding
    labels = ce.shift_labels(tokens)
    assert (labels[:, -1] == -100).all() and torch.equal(labels[:, :-1], tokens[:, 1:])
    losses = ce.fused_linear_cross_entropy(h, w, labels)
    ex = torch.arange(batch).repeat_interleave(seq)
    ref = ce.cross_entropy_reference(h.reshape(-1, hidden), w, labels.reshape(-1), ex, batch)
    torch.testing.assert_close(losses, ref)
    per_example = torch.nn.functional.cross_entropy(h[0] @ w.t(), labels[0], ignore_index=-100)
    torch.testing.assert_close(losses[0], per_example)  # example 0 on its own, plain torch
    (dh,) = torch.autograd.grad(losses.mean(), h)
    (dh_ref,) = torch.autograd.grad(ref.mean(), h)
    torch.testing.assert_close(dh, dh_ref)


def test_no_grad_mode_and_frozen_weight(path):
    h, w, labels, ex, b = make_batch()
    with torch.no_grad():
        losses = ce.fused_linear_cross_entropy(h, w, labels, ex, b)
    assert losses.grad_fn is None
    torch.testing.assert_close(losses, ce.cross_entropy_reference(h, w, labels, ex, b))
    frozen = w.detach()
    losses = ce.fused_linear_cross_entropy(h, frozen, labels, ex, b)
    (dh,) = torch.autograd.grad(losses.sum(), h)
    (dh_ref,) = torch.autograd.grad(ce.cross_entropy_reference(h, frozen, labels, ex, b).sum(), h)
    torch.testing.assert_close(dh, dh_ref)


@pytest.mark.parametrize("kernels", ["1", "0"])
def test_hand_written_gradient_gradcheck_float64(monkeypatch, kernels):
    if kernels == "1" and triton is None:
        pytest.skip("triton is not importable here")
    monkeypatch.setenv("PRIVATUNE_KERNELS", kernels)
    h, w, labels, ex, b = make_batch(n_rows=7, hidden=4, vocab=6, examples=3, dtype=torch.float64)
    # The Triton kernel's softmax is fp32 whatever the input dtype: finite differences need a larger step.
    tolerances = dict(eps=1e-3, atol=1e-3, rtol=1e-3) if kernels == "1" else {}
    assert torch.autograd.gradcheck(
        lambda a, c: ce.fused_linear_cross_entropy(a, c, labels, ex, b, chunk_size=4), (h, w), **tolerances
    )


def test_reference_grad_matches_plain_autograd_gradcheck():
    h, w, labels, ex, b = make_batch(n_rows=6, hidden=4, vocab=5, examples=2, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda a, c: ce.cross_entropy_reference(a, c, labels, ex, b), (h, w))


def test_bad_inputs_raise_clear_errors():
    h, w, labels, ex, b = make_batch()
    bad = labels.clone()
    bad[3] = 101
    with pytest.raises(ValueError, match="label 101 at row 3 is outside the vocabulary"):
        ce.fused_linear_cross_entropy(h, w, bad, ex, b)
    with pytest.raises(ValueError, match="needs example_index"):
        ce.fused_linear_cross_entropy(h, w, labels)
    with pytest.raises(ValueError, match="hidden size"):
        ce.fused_linear_cross_entropy(h, w[:, :5], labels, ex, b)


@pytest.mark.parametrize("vocab, rows", [(128256, 1024), (32000, 1024), (151936, 512), (256000, 512)])
def test_default_chunk_is_1024_rows_with_logits_capped_at_128_mi(vocab, rows):
    got = ce._chunk_rows(8192, 4096, vocab, None)
    assert got == rows and got * vocab <= 1 << 27 or got == 64
    assert ce._chunk_rows(8192, 4096, vocab, 8) == 8
