"""White-box audit power on CPU: ε̂ with DP intact and with the noise switched off, on the demo's settings.

    OMP_NUM_THREADS=1 python -P benchmarks/audit_whitebox.py

One client of the default demo (tiny embedded Llama, 240 synthetic records → 216 train, batch 8,
LoRA r 8 on all projections), one round of 10 DP-SGD steps with σ calibrated for ε = 8 over the
planned 3 × 10 steps plus the released statistics (as the client does), PRV accountant, δ = 1e-5.
"""

import tempfile
import time
from pathlib import Path

import torch

import privatune.privacy.flat_dp as flat_dp
from privatune.client.trainer import train_local_dp
from privatune.config import RunConfig
from privatune.data import TokenDataset, load_client_data
from privatune.demo import prepare
from privatune.model import load_model
from privatune.privacy.audit import whitebox
from privatune.privacy.dp import DPPlan, calibrate_noise, epsilon_of
from privatune.privacy.ledger import PrivacyLedger


def one_round(m: int, noise: bool) -> dict:
    config = RunConfig.from_flower({"audit-whitebox-canaries": m})
    _, files = prepare(config)
    model, tokenizer = load_model(config)
    data = TokenDataset(load_client_data(files[0], config).train, tokenizer, config.max_seq_len)
    q = config.batch_size / len(data)
    sigma = calibrate_noise(config.dp, q, config.num_rounds * config.local_steps, releases=config.num_rounds * 2 + 3)
    original = flat_dp._generate_noise
    if not noise:  # the deliberate bug: the noise draw returns zeros
        flat_dp._generate_noise = lambda std, reference, **kw: torch.zeros_like(reference)
    try:
        with tempfile.TemporaryDirectory() as tmp, PrivacyLedger(Path(tmp) / "l.jsonl") as ledger:
            start = time.perf_counter()
            result = train_local_dp(model, data, DPPlan(config.dp, sigma, q, config.local_steps), ledger,
                                    lr=config.learning_rate, server_round=1)
            seconds = time.perf_counter() - start
    finally:
        flat_dp._generate_noise = original
    audit = whitebox.audit(result.canaries, sigma, config.dp.max_grad_norm, q, config.dp.delta, config.dp.accountant)
    return {**audit, "seconds": seconds, "sigma": sigma, "q": q,
            "run_epsilon": epsilon_of([(sigma, q, config.num_rounds * config.local_steps)], 1e-5, "prv")}


def main():
    print("| canaries | noise | σ | c/C | s/C | σ̂ | ε̂ | ε claimed (these 10 steps) | largest ε̂ | verdict | s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for m in (256, 1024):
        for noise in (True, False):
            r = one_round(m, noise)
            print(f"| {m} | {'on' if noise else 'off (bug)'} | {r['sigma']:.3f} | {r['c_hat']:.3f} | {r['s_hat']:.3f} | "
                  f"{r['sigma_hat'] if r['sigma_hat'] is not None else float('inf'):.3f} | {r['epsilon_hat']:.2f} | "
                  f"{r['epsilon_claimed']:.2f} | {r['epsilon_hat_max']:.2f} | {r['status']} | {r['seconds']:.1f} |")
    print(f"\nq = {r['q']:.4f}; the run's 30 planned steps at σ: ε = {r['run_epsilon']:.2f} (PRV; the released "
          "statistics take the rest up to 8)")


if __name__ == "__main__":
    main()
