"""Soundness of DP against the canary audit: a DP run's ε̂ stays at or below the accountant's ε.

The claimed ε is 1 so that the test can fail: with 256 canaries the audit can show up to ε̂ ≈ 3.3,
and the same training with the noise switched off (the control) does exceed ε = 1.
"""

from __future__ import annotations

import pytest
import torch

from privatune.privacy.audit import generate_canaries
from privatune.privacy.audit.harness import canary_experiment

M, K = 256, 64
EPSILON = 1.0


def dp_trainer(tmp_path, noise: bool):
    def train(model, tokenizer, texts):
        from privatune.client.trainer import train_local_dp
        from privatune.data import TokenDataset
        from privatune.kernels.lora import route_lora_layers
        from privatune.privacy.dp import DPConfig, DPPlan, calibrate_noise, epsilon_of
        from privatune.privacy.ledger import PrivacyLedger

        route_lora_layers(model)
        data = TokenDataset(texts, tokenizer, max_len=96)
        q, steps = 32 / len(data), 300
        config = DPConfig(target_epsilon=EPSILON, delta=1e-5, accountant="rdp", max_grad_norm=1.0)
        sigma = calibrate_noise(config, q, steps) if noise else 0.0
        ledger = PrivacyLedger(tmp_path / f"ledger-{noise}.jsonl")
        train_local_dp(model, data, DPPlan(config, sigma, q, steps), ledger, lr=1e-2, server_round=1)
        model.eval()
        return epsilon_of(ledger.history(), 1e-5, "rdp") if noise else EPSILON  # the control claims ε = 1 too

    return train


@pytest.fixture(scope="module")
def canaries():
    return generate_canaries(M, seed=3, num_clients=1)


def test_dp_run_at_epsilon_one_is_not_contradicted_by_the_audit(canaries, tmp_path):
    torch.set_num_threads(1)
    result, _, _ = canary_experiment(canaries, dp_trainer(tmp_path, noise=True), k_plus=K, k_minus=K)
    assert result["accountant_epsilon"] <= EPSILON + 1e-6
    assert result["epsilon_lower_bound_max"] > EPSILON  # the audit could have shown a violation
    assert result["epsilon_lower_bound"] <= result["accountant_epsilon"]
    assert result["verdict"]["status"] != "fail"


def test_the_same_training_without_noise_is_caught(canaries, tmp_path):
    torch.set_num_threads(1)
    result, _, _ = canary_experiment(canaries, dp_trainer(tmp_path, noise=False), k_plus=K, k_minus=K)
    assert result["epsilon_lower_bound"] > EPSILON  # clipping alone is not privacy: the audit says so
    assert result["verdict"]["status"] == "fail"
