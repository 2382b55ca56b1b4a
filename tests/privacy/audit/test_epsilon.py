"""The one-run ε lower bound against binomial tails computed here independently (math.comb + fsum)."""

import math

import numpy as np
import pytest

from privatune.privacy.audit.epsilon import epsilon_lower_bound, guess_counts, one_run_epsilon, p_value


def binomial_tail(r: int, v: int, epsilon: float) -> float:
    """P[Binomial(r, q) ≥ v], q = e^ε/(1+e^ε), summed term by term without scipy."""
    q = math.exp(epsilon) / (1 + math.exp(epsilon))
    return math.fsum(math.comb(r, j) * q**j * (1 - q) ** (r - j) for j in range(v, r + 1))


def delta_slack(r: int, v: int, epsilon: float) -> float:
    """max over i of P[v − i ≤ B < v] / i, as Steinke et al. (2023) Theorem 5.2 writes it."""
    q = math.exp(epsilon) / (1 + math.exp(epsilon))
    pmf = [math.comb(r, j) * q**j * (1 - q) ** (r - j) for j in range(r + 1)]
    return max(math.fsum(pmf[v - i : v]) / i for i in range(1, v + 1))


FIXED_COUNTS = [(100, 20, 20), (100, 40, 35), (1000, 200, 150), (50, 10, 9), (500, 250, 160)]


@pytest.mark.parametrize("m,r,v", FIXED_COUNTS)
def test_bound_sits_where_the_exact_tail_crosses_five_percent(m, r, v):
    eps = epsilon_lower_bound(m, r, v, delta=0.0, confidence=0.95)
    assert eps > 0
    assert binomial_tail(r, v, eps - 1e-6) < 0.05  # every ε below ε̂ is rejected ...
    assert binomial_tail(r, v, eps + 1e-6) > 0.05  # ... and none above it
    assert binomial_tail(r, v, eps) == pytest.approx(0.05, rel=1e-6)


@pytest.mark.parametrize("r", [5, 24, 100])
def test_all_correct_matches_closed_form(r):
    # P[B ≥ r] = q^r = 0.05  ⇒  q = 0.05^(1/r), ε = log(q / (1 − q))
    q = 0.05 ** (1 / r)
    assert q > 0.5  # r ≥ 5: five correct guesses out of five already reject ε = 0
    assert epsilon_lower_bound(10 * r, r, r, delta=0.0) == pytest.approx(math.log(q / (1 - q)), abs=1e-9)


@pytest.mark.parametrize("r,v", [(20, 10), (20, 14), (100, 57), (10, 0)])
def test_chance_level_guessing_gives_zero(r, v):
    # at ε = 0 the tail is ≥ 5 %: not even ε = 0 can be rejected
    assert binomial_tail(r, v, 0.0) >= 0.05
    assert epsilon_lower_bound(1000, r, v, delta=1e-5) == 0.0


@pytest.mark.parametrize("m,r,v", FIXED_COUNTS)
@pytest.mark.parametrize("epsilon", [0.5, 2.0])
def test_p_value_with_delta_matches_theorem(m, r, v, epsilon):
    delta = 1e-3
    expected = min(1.0, binomial_tail(r, v, epsilon) + 2 * m * delta * delta_slack(r, v, epsilon))
    assert p_value(m, r, v, epsilon, delta) == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("m,r,v", FIXED_COUNTS)
def test_delta_only_lowers_the_bound(m, r, v):
    assert epsilon_lower_bound(m, r, v, 1e-3) <= epsilon_lower_bound(m, r, v, 0.0)


def test_higher_confidence_gives_lower_bound():
    assert epsilon_lower_bound(100, 40, 36, 0.0, 0.99) < epsilon_lower_bound(100, 40, 36, 0.0, 0.95)


def test_guess_counts_on_known_ordering():
    bits = np.array([1, 1, 0, 1, 0, 0, 1, 0, 0, 1], dtype=bool)
    scores = np.array([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], dtype=float)
    # top 3 → canaries 0,1,2 (2 in); bottom 2 → canaries 8,9 (one out)
    assert guess_counts(scores, bits, 3, 2) == (5, 3)
    assert guess_counts(scores, bits, 0, 4) == (4, 2)


def test_guess_counts_rejects_bad_input():
    with pytest.raises(ValueError, match="k\\+"):
        guess_counts(np.zeros(4), np.ones(4, bool), 3, 2)
    with pytest.raises(ValueError, match="NaN"):
        guess_counts(np.array([0.0, np.nan]), np.array([True, False]), 1, 1)


def test_one_run_epsilon_perfect_scores():
    rng = np.random.default_rng(0)
    bits = rng.random(200) < 0.5
    scores = bits + rng.normal(0, 0.01, 200)
    assert one_run_epsilon(scores, bits, 25, 25, delta=1e-5) == pytest.approx(
        epsilon_lower_bound(200, 50, 50, 1e-5))


@pytest.mark.parametrize("true_epsilon", [0.0, 1.0])
def test_bound_is_sound_on_randomized_response(true_epsilon):
    """A genuinely ε-DP mechanism (randomized response per canary) must give ε̂ > ε in ≤ 5 % of runs."""
    rng = np.random.default_rng(7)
    keep = math.exp(true_epsilon) / (1 + math.exp(true_epsilon))
    trials, exceeded = 300, 0
    for _ in range(trials):
        bits = rng.random(200) < 0.5
        released = np.where(rng.random(200) < keep, bits, ~bits).astype(float)
        exceeded += one_run_epsilon(released, bits, 40, 40, delta=0.0) > true_epsilon
    # expected ≤ 15 of 300; 27 is beyond the 99.9th percentile of Binomial(300, 0.05)
    assert exceeded <= 27
