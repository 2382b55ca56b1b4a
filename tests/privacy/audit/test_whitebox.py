"""White-box audit: Dirac gradient canaries inside FlatDPOptimizer, scored on the noised sums.

A deviating implementation (noise switched off by a bug, clipping switched off) must fail; the
real one must pass; the canaries must not change the update the model receives."""

from __future__ import annotations

import pytest
import torch

from privatune.privacy.audit import whitebox
from privatune.privacy.flat_dp import FlatDPOptimizer

from tests.privacy.test_flat_dp import TinyLoRA, data, step

SIGMA, C, Q = 1.0, 0.5, 0.05


def run(steps=20, m=200, sigma=SIGMA, seed=0, canaries=True):
    model = TinyLoRA()
    opt = FlatDPOptimizer(torch.optim.SGD(model.lora(), lr=0.1), noise_multiplier=sigma, max_grad_norm=C,
                          expected_batch_size=6, loss_reduction="mean",
                          generator=torch.Generator().manual_seed(seed))
    planted = opt.attach_canaries(m) if canaries else None
    for t in range(steps):
        step(model, opt, data(6, seed=t))
    return model, planted


def verdict(planted, sigma=SIGMA):
    return whitebox.audit(planted, claimed_sigma=sigma, max_grad_norm=C, sample_rate=Q, delta=1e-5, accountant="rdp")


def test_intact_dp_passes_and_measures_clip_and_noise():
    _, planted = run()
    result = verdict(planted)
    assert result["status"] == "pass", result
    assert result["c_hat"] == pytest.approx(1.0, abs=0.15)  # canaries of norm 2C clipped to C
    assert result["s_hat"] == pytest.approx(SIGMA, rel=0.1)  # noise std σ·C per coordinate
    assert result["epsilon_hat"] <= result["epsilon_claimed"] < result["epsilon_hat_max"]


def test_noise_switched_off_by_a_bug_fails(monkeypatch):
    import privatune.privacy.flat_dp as flat_dp

    monkeypatch.setattr(flat_dp, "_generate_noise", lambda std, reference, **kw: torch.zeros_like(reference))
    _, planted = run()
    result = verdict(planted)
    assert result["status"] == "fail" and result["epsilon_hat"] > 8 > result["epsilon_claimed"], repr(result)


def test_clipping_switched_off_by_a_bug_fails(monkeypatch):
    import privatune.privacy.flat_dp as flat_dp

    monkeypatch.setattr(flat_dp, "clip_factors", lambda norms, c: torch.ones_like(norms))
    _, planted = run(steps=40, m=300)
    result = verdict(planted)
    assert result["c_hat"] == pytest.approx(2.0, abs=0.3)  # the canary's full norm got through
    assert result["status"] == "fail"


def test_canaries_leave_the_update_unchanged():
    with_canaries, _ = run(steps=5, seed=3)
    without, _ = run(steps=5, seed=3, canaries=False)
    for a, b in zip(with_canaries.lora(), without.lora()):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=0)
