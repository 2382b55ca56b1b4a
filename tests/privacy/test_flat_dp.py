"""FlatDPOptimizer (one flat buffer, fed by the grad-sample arena) against stock Opacus DPOptimizer:
same update without noise, the generator's draw used exactly once per logical batch, micro-batch
accumulation, empty Poisson batches, several backward passes per step, the zero_grad check, arena
growth, per-layer clipping left to Opacus, and a discarded optimizer leaving the parameters as they were.

The per-example grads come from the real LoRA backward (torch reference and fused path) of a
two-layer LoRA stack."""

from __future__ import annotations

import gc

import pytest
import torch
import torch.nn as nn
from opacus.optimizers import DPOptimizer, DPPerLayerOptimizer

from privatune.kernels.grad_sample_arena import has_arena
from privatune.kernels.lora import fused_path_on_cpu, lora_linear
from privatune.privacy.dp import DPConfig, make_optimizer, mark_empty_batch
from privatune.privacy.flat_dp import FlatDPOptimizer

D_IN, D_HID, R, TOKENS = 16, 24, 4, 5


class TinyLoRA(nn.Module):
    """x → LoRA(16→24) → tanh → LoRA(24→16) → mean: four LoRA tensors, per-example grads on."""

    def __init__(self, seed=0, fused=False):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.base1, self.base2 = nn.Linear(D_IN, D_HID), nn.Linear(D_HID, D_IN)
        for p in (*self.base1.parameters(), *self.base2.parameters()):
            p.requires_grad_(False).copy_(torch.randn(p.shape, generator=g) * 0.3)
        self.A1 = nn.Parameter(torch.randn(R, D_IN, generator=g) * 0.3)
        self.B1 = nn.Parameter(torch.randn(D_HID, R, generator=g) * 0.3)
        self.A2 = nn.Parameter(torch.randn(R, D_HID, generator=g) * 0.3)
        self.B2 = nn.Parameter(torch.randn(D_IN, R, generator=g) * 0.3)
        self.fused = fused

    def lora(self):
        return [self.A1, self.B1, self.A2, self.B2]

    def per_example_loss(self, x):
        with fused_path_on_cpu() if self.fused else _nothing():
            h = torch.tanh(lora_linear(x, self.base1, self.A1, self.B1, 2.0, per_example=True))
            y = lora_linear(h, self.base2, self.A2, self.B2, 2.0, per_example=True)
        return (y ** 2).mean(dim=(1, 2))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def pair(fused=False, **kwargs):
    """Two identical models, one under FlatDPOptimizer and one under Opacus' DPOptimizer (SGD, lr 1)."""
    out = []
    for cls in (FlatDPOptimizer, DPOptimizer):
        model = TinyLoRA(fused=fused)
        base = torch.optim.SGD(model.lora(), lr=1.0)
        settings = dict(noise_multiplier=0.0, max_grad_norm=6.0, expected_batch_size=6, loss_reduction="mean")
        settings.update(kwargs)
        out.append((model, cls(base, **settings)))
    return out


def data(n, seed=1):
    return torch.randn(n, TOKENS, D_IN, generator=torch.Generator().manual_seed(seed))


def step(model, optimizer, x, slices=1):
    """One logical batch in `slices` physical ones, as the trainer's dp_step does."""
    parts = x.chunk(slices) if len(x) else [x]
    for i, part in enumerate(parts):
        if len(part):
            model.per_example_loss(part).sum().backward()
        else:
            mark_empty_batch(list(model.lora()))
        if i < len(parts) - 1:
            optimizer.signal_skip_step(do_skip=True)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)


def weights(model):
    return [p.detach().clone() for p in model.lora()]


def assert_same(a, b, rtol=1e-5, atol=1e-6):
    # fp32, two summation orders (one flat buffer against per-tensor norms): a few ulps apart after
    # several steps on some CPUs (2 ulps seen on an Intel Xeon). A wrong clip factor, scale or noise
    # draw moves the weights by 1e-3 or more.
    for x, y in zip(a, b):
        torch.testing.assert_close(x, y, rtol=rtol, atol=atol)


@pytest.mark.parametrize("fused", [False, True])
def test_noiseless_update_equals_opacus_with_some_examples_clipped(fused):
    (flat_model, flat), (stock_model, stock) = pair(fused=fused)
    x = data(6)
    before = weights(flat_model)
    step(flat_model, flat, x)
    step(stock_model, stock, x)
    assert_same(weights(flat_model), weights(stock_model))
    moved = [(a - b).norm() for a, b in zip(weights(flat_model), before)]
    assert all(m > 0 for m in moved)
    # the clip bound is active for some examples and not others (6.0 sits between the norms)
    probe = TinyLoRA()
    probe.per_example_loss(x).sum().backward()
    norms = torch.stack([p.grad_sample.flatten(1).norm(dim=1) for p in probe.lora()], 1).norm(dim=1)
    assert (norms > 6.0).any() and (norms < 6.0).any()


def test_the_seeded_noise_is_one_draw_over_the_flat_vector_with_the_configured_std():
    sigma, clip, batch = 3.0, 0.05, 6
    (model, flat), (quiet_model, quiet) = [
        (m, FlatDPOptimizer(torch.optim.SGD(m.lora(), lr=1.0), noise_multiplier=s, max_grad_norm=clip,
                            expected_batch_size=batch, generator=torch.Generator().manual_seed(11)))
        for m, s in ((TinyLoRA(), sigma), (TinyLoRA(), 0.0))]
    x = data(batch)
    before = torch.cat([p.detach().flatten() for p in model.lora()])
    step(model, flat, x)
    step(quiet_model, quiet, x)
    after = torch.cat([p.detach().flatten() for p in model.lora()])
    noiseless = torch.cat([p.detach().flatten() for p in quiet_model.lora()])
    replay = torch.normal(0, sigma * clip, size=before.shape, generator=torch.Generator().manual_seed(11))
    torch.testing.assert_close(noiseless - after, replay / batch, rtol=1e-4, atol=1e-6)
    # stock Opacus draws tensor by tensor: other numbers from the same seed, the same distribution
    stock_model = TinyLoRA()
    stock = DPOptimizer(torch.optim.SGD(stock_model.lora(), lr=1.0), noise_multiplier=sigma,
                        max_grad_norm=clip, expected_batch_size=batch, generator=torch.Generator().manual_seed(11))
    step(stock_model, stock, x)
    stock_noise = (noiseless - torch.cat([p.detach().flatten() for p in stock_model.lora()])) * batch
    for noise in (replay, stock_noise):
        assert abs(noise.std().item() / (sigma * clip) - 1) < 0.08  # 320 coordinates
        assert abs(noise.mean().item()) < 4 * sigma * clip / noise.numel() ** 0.5


@pytest.mark.parametrize("slices", [2, 3, 6])
def test_micro_batches_accumulate_like_opacus_and_add_noise_once(slices):
    (flat_model, flat), (stock_model, stock) = pair()
    whole_model = TinyLoRA()
    whole = FlatDPOptimizer(torch.optim.SGD(whole_model.lora(), lr=1.0), noise_multiplier=0.0,
                            max_grad_norm=6.0, expected_batch_size=6)
    calls = []
    add_noise = flat.add_noise
    flat.add_noise = lambda: (calls.append(1), add_noise())
    x = data(6)
    step(flat_model, flat, x, slices)
    step(stock_model, stock, x, slices)
    step(whole_model, whole, x, 1)
    assert calls == [1]
    assert_same(weights(flat_model), weights(stock_model))
    assert_same(weights(flat_model), weights(whole_model))


def test_an_empty_poisson_batch_adds_only_noise_like_opacus():
    (flat_model, flat), (stock_model, stock) = pair(noise_multiplier=2.0)
    flat.generator = torch.Generator().manual_seed(5)
    before = weights(flat_model)
    step(flat_model, flat, data(0))
    step(stock_model, stock, data(0))  # Opacus runs the step too
    delta = torch.cat([(b - a).flatten() for a, b in zip(weights(flat_model), before)])
    replay = torch.normal(0, 2.0 * 6.0, size=delta.shape, generator=torch.Generator().manual_seed(5)) / 6
    torch.testing.assert_close(delta, replay, rtol=1e-4, atol=1e-7)
    assert any((a != b).any() for a, b in zip(weights(stock_model), before))


def test_two_backward_passes_before_one_step_match_opacus():
    (flat_model, flat), (stock_model, stock) = pair()
    for model, optimizer in ((flat_model, flat), (stock_model, stock)):
        for seed in (2, 5):  # twice: the arena's views are reused by the second step
            model.per_example_loss(data(3, seed=seed)).sum().backward()
            model.per_example_loss(data(4, seed=seed + 1)).sum().backward()  # more rows: the arena grows
            assert isinstance(model.A1.grad_sample, list) and optimizer.accumulated_iterations == 2
            optimizer.step()
            optimizer.zero_grad()
    assert_same(weights(flat_model), weights(stock_model))


@pytest.mark.parametrize("fused", [False, True])
def test_consecutive_steps_equal_opacus(fused):
    (flat_model, flat), (stock_model, stock) = pair(fused=fused)
    for seed in range(3):
        x = data(6, seed=seed)
        step(flat_model, flat, x)
        step(stock_model, stock, x)
        assert_same(weights(flat_model), weights(stock_model))


def test_grad_samples_in_the_arena_equal_the_plain_ones_and_stepping_twice_is_refused():
    plain = TinyLoRA()
    plain.per_example_loss(data(4)).sum().backward()
    model = TinyLoRA()
    optimizer = FlatDPOptimizer(torch.optim.SGD(model.lora(), lr=1.0), noise_multiplier=0.0,
                                max_grad_norm=1.0, expected_batch_size=4)
    model.per_example_loss(data(4)).sum().backward()
    for p, q in zip(model.lora(), plain.lora()):
        assert p.grad is None  # the DP optimizer writes .grad; the batch sum is skipped
        assert p.grad_sample.untyped_storage().data_ptr() == optimizer.arena.storage.untyped_storage().data_ptr()
        torch.testing.assert_close(p.grad_sample, q.grad_sample, rtol=1e-6, atol=1e-8)
    optimizer.step()
    with pytest.raises(ValueError, match="zero_grad"):
        optimizer.step()


def test_make_optimizer_picks_flat_or_opacus_and_a_dropped_optimizer_releases_the_arena():
    model = TinyLoRA()
    params = list(model.lora())
    flat = make_optimizer(torch.optim.SGD(params, lr=1.0), DPConfig(), 1.0, 4)
    assert type(flat) is FlatDPOptimizer and all(has_arena(p) for p in params)
    assert type(make_optimizer(torch.optim.SGD(params, lr=1.0), DPConfig(clipping="per_layer"), 1.0, 4)) \
        is DPPerLayerOptimizer
    assert not any(has_arena(p) for p in params)  # Opacus' classes get Opacus' layout
    assert type(make_optimizer(torch.optim.SGD(params, lr=1.0), DPConfig(), 1.0, 4, flat=False)) is DPOptimizer
    flat = make_optimizer(torch.optim.SGD(params, lr=1.0), DPConfig(), 1.0, 4)
    del flat
    gc.collect()
    model.per_example_loss(data(2)).sum().backward()
    assert not any(has_arena(p) for p in params)
    assert all(p.grad is not None and torch.allclose(p.grad, p.grad_sample.sum(0)) for p in params)
