"""Empirical ε lower bound from one training run (Steinke, Nasr, Jagielski 2023, arXiv:2305.08846).

Each of m canaries was included with probability ½, independently. The auditor guesses "in" for the
k+ highest scores and "out" for the k− lowest and abstains on the rest. If training is (ε, δ)-DP,
the number of correct guesses v among r = k+ + k− is stochastically dominated by
Binomial(r, e^ε / (1 + e^ε)), up to a term in δ (their Theorem 5.2). The p-value of "the run is
(ε, δ)-DP" is therefore

    p(ε) = P[Binomial(r, q) ≥ v] + 2 m δ · max_{1≤i≤v} (1/i) · P[v − i ≤ Binomial(r, q) < v],
    q = e^ε / (1 + e^ε),

which grows with ε. ε̂ is the largest ε whose p-value is below 1 − confidence: every ε < ε̂ is
rejected at that confidence, so the run is not (ε, δ)-DP for any of them. ε̂ is a lower bound only;
a small ε̂ does not prove privacy.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats


def p_value(m: int, r: int, v: int, epsilon: float, delta: float) -> float:
    """P-value of v correct guesses out of r (m canaries) under the (ε, δ)-DP null hypothesis."""
    if not 0 <= v <= r <= m:
        raise ValueError(f"need 0 ≤ v ≤ r ≤ m, got v={v}, r={r}, m={m}")
    if epsilon < 0 or not 0 <= delta <= 1:
        raise ValueError(f"need ε ≥ 0 and 0 ≤ δ ≤ 1, got ε={epsilon}, δ={delta}")
    q = 1.0 / (1.0 + math.exp(-epsilon))  # accuracy of ε-DP randomized response
    tail = float(stats.binom.sf(v - 1, r, q))  # P[Binomial(r, q) ≥ v], exact
    slack = 0.0
    if delta > 0 and v > 0:
        # P[v − i ≤ B < v] for i = 1..v, then the largest of those divided by i
        below = stats.binom.pmf(np.arange(v - 1, -1, -1), r, q)
        slack = float(np.max(np.cumsum(below) / np.arange(1, v + 1)))
    return min(1.0, tail + 2.0 * m * delta * slack)


def epsilon_lower_bound(
    m: int, r: int, v: int, delta: float, confidence: float = 0.95, iterations: int = 60
) -> float:
    """Largest ε rejected at `confidence` given v of r guesses correct (bisection over ε)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    alpha = 1.0 - confidence
    if r == 0 or p_value(m, r, v, 0.0, delta) >= alpha:
        return 0.0  # not even ε = 0 is rejected
    low, high = 0.0, 1.0  # invariant: p(low) < alpha ≤ p(high)
    while p_value(m, r, v, high, delta) < alpha:
        low, high = high, high * 2  # ends: p → P[Binomial(r, 1) ≥ v] = 1 as ε grows
    for _ in range(iterations):
        mid = (low + high) / 2
        if p_value(m, r, v, mid, delta) < alpha:
            low = mid
        else:
            high = mid
    return low


def guess_counts(scores, inclusion_bits, k_plus: int, k_minus: int, seed: int = 0) -> tuple[int, int]:
    """(r, v): guess "in" for the k+ top scores and "out" for the k− bottom ones; count correct."""
    scores = np.asarray(scores, dtype=np.float64)
    bits = np.asarray(inclusion_bits, dtype=bool)
    m = len(scores)
    if scores.shape != bits.shape or scores.ndim != 1:
        raise ValueError(f"scores {scores.shape} and inclusion bits {bits.shape} must be 1-D of equal length")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores contain NaN or inf; check the model's outputs")
    if k_plus < 0 or k_minus < 0 or k_plus + k_minus > m:
        raise ValueError(f"need k+ ≥ 0, k− ≥ 0 and k+ + k− ≤ m = {m}, got k+={k_plus}, k−={k_minus}")
    # ties are broken by a random key so that list order (e.g. canary ids) cannot leak into guesses
    tie_break = np.random.default_rng(seed).random(m)
    order = np.lexsort((tie_break, -scores))  # descending score
    top, bottom = order[:k_plus], order[m - k_minus :] if k_minus else order[:0]
    correct = int(bits[top].sum()) + int((~bits[bottom]).sum())
    return k_plus + k_minus, correct


def one_run_epsilon(
    scores, inclusion_bits, k_plus: int, k_minus: int, delta: float, confidence: float = 0.95
) -> float:
    """ε̂: the one-run audit's lower bound on ε at `confidence`, from one score per canary."""
    r, v = guess_counts(scores, inclusion_bits, k_plus, k_minus)
    return epsilon_lower_bound(len(np.asarray(scores)), r, v, delta, confidence)


def default_guess_counts(m: int) -> tuple[int, int]:
    """k+ = k− = m/4: fixed before the scores are seen (choosing them afterwards voids the bound).

    Guessing half the canaries lets a strong attack show a large ε̂; a weak one would do better
    with fewer guesses, but an audit exists to catch strong leaks.
    """
    if m < 2:
        return m, 0
    k = max(1, m // 4)
    return k, k
