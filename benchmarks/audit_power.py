"""Audit figures on CPU: what ε̂ the one-run audit can show, and a leaky tiny-model run end to end.

    OMP_NUM_THREADS=1 python -P benchmarks/audit_power.py
"""

import time

import torch

from privatune.privacy.audit import generate_canaries
from privatune.privacy.audit.epsilon import default_guess_counts, epsilon_lower_bound
from privatune.privacy.audit.harness import canary_experiment


def power_table(delta=1e-5, confidence=0.95, num_scores=4):
    """Largest ε̂ a perfect attack can show with m canaries and the default k+ = k− = m/4."""
    per_score = 1 - (1 - confidence) / num_scores
    print("| m canaries | guesses | max ε̂ (headline, 4 scores) | max ε̂ (one score) |\n|---|---|---|---|")
    for m in (128, 256, 512, 1000, 2000, 5000):
        r = sum(default_guess_counts(m))
        print(f"| {m} | {r} | {epsilon_lower_bound(m, r, r, delta, per_score):.2f} | "
              f"{epsilon_lower_bound(m, r, r, delta, confidence):.2f} |")


def leaky_runs():
    print("\n| m | train+audit s | ε̂ | AUC loss-vs-base | TPR@1%FPR loss-vs-base |\n|---|---|---|---|---|")
    for m in (128, 256):
        start = time.perf_counter()
        result, _, _ = canary_experiment(generate_canaries(m, seed=1, num_clients=2))
        s = result["scores"]["loss-vs-base"]
        print(f"| {m} | {time.perf_counter() - start:.1f} | {result['epsilon_lower_bound']:.2f} | {s['auc']:.3f} | "
              f"{s['tpr_at_fpr']['0.01']:.3f} |")


if __name__ == "__main__":
    torch.set_num_threads(1)
    power_table()
    leaky_runs()
