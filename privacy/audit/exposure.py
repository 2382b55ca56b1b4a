"""Exposure of secret canaries (Carlini et al. 2019, "The Secret Sharer"), estimated by sampling,
and the bound that (ε, δ)-DP puts on it.

Definitions (the paper's). A canary is a record s[r] with a secret r from the format's space R.
Its log-perplexity under the model is Px(s[r]) = −log₂ P(s[r]) (all tokens, summed). Its rank is
|{r' ∈ R : Px(s[r']) ≤ Px(s[r])}| and its exposure log₂|R| − log₂ rank, between 0 and log₂|R| bits.

Estimate by sampling. We draw n candidates r₁..rₙ uniformly from R (independently of the model),
count c = #{i : Px(s[rᵢ]) ≤ Px(s[r])} (ties count against the secret) and report

    ρ = c + 1 (the secret's rank among the n + 1),   exposure = log₂((n + 1) / ρ),

which resolves up to log₂(n + 1) bits. c ~ Binomial(n, p) with p the fraction of R ranked at or above
the secret, so a Clopper–Pearson interval on p gives the interval [−log₂ p_hi, −log₂ p_lo] on the
exposure over the whole of R (the upper end is log₂|R| when c = 0: no candidate beat the secret).

DP bound (derivation). Sample-level (ε, δ)-DP with add/remove neighbours (Opacus' accountants):
for any event E of the released model M, P[M(D ∪ {x}) ∈ E] ≤ e^ε · P[M(D) ∈ E] + δ. Fix a canary,
its n candidates and every other record; let E_k = "the secret's rank ρ is ≤ k". Without the canary
the model does not depend on its secret, and the secret and the candidates are i.i.d. uniform on R,
so ρ is uniform on {1..n+1} (ties only push ρ up): P_without[ρ ≤ k] ≤ k / (n + 1). Averaging the DP
inequality over the secret and the candidates gives, for the canary inserted once,

    P[ρ ≤ k] ≤ F(k) := min(1, e^ε · k / (n + 1) + δ),   i.e.  P[exposure ≥ t] ≤ e^ε · 2^(−t) + δ.

Exposure = log₂((n + 1)/ρ) decreases in ρ, so its expectation is largest when ρ has the smallest
distribution this allows, P[ρ ≤ k] = F(k):

    E[exposure] ≤ B(ε, δ, n) := Σ_{k=1}^{n+1} (F(k) − F(k−1)) · log₂((n + 1)/k)
                              ≤ (ε + 1) · log₂ e + δ · log₂(n + 1)

(the closed form integrates the tail: ∫ min(1, e^ε 2^(−t)) dt = ε log₂ e + log₂ e). B is computed
exactly below. Per secret, P[exposure ≥ log₂(e^ε / (β − δ))] ≤ β: at β = 5 % this is the exposure
that at most 1 in 20 secrets may reach. A secret inserted c times is covered by group privacy,
(cε, c·e^((c−1)ε)·δ). The global model of a federation is post-processing of every client's
DP-noised updates, so a canary of client i is covered by client i's ε (we use the largest).
The bound is on the expectation over secrets; the audit compares the mean exposure of the inserted
secrets (with its 95 % interval over the canaries) against B, and reports when the sampled set is
too small for the check to fail (log₂(n + 1) ≤ B; at ε = 8, B ≈ 13 bits needs n ≳ 2¹⁴).
"""

from __future__ import annotations

import math
import random

import numpy as np
from scipy import stats

from privatune.privacy.audit.scores import _eval_mode, token_logprobs
from privatune.privacy.audit.secrets import SecretCanary, SecretCanarySet

LOG2E = 1.0 / math.log(2.0)


def sequence_log2probs(model, tokenizer, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """log₂ P(text) under the model: all tokens after the first (BOS), summed (= −Px)."""
    encoded = [list(tokenizer(t, add_special_tokens=True)["input_ids"]) for t in texts]
    with _eval_mode(model):
        per_token = token_logprobs(model, encoded, batch_size)
    return np.array([lp.sum() for lp in per_token]) * LOG2E


def clopper_pearson(count: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    alpha = 1.0 - confidence
    low = 0.0 if count == 0 else float(stats.beta.ppf(alpha / 2, count, trials - count + 1))
    high = 1.0 if count == trials else float(stats.beta.ppf(1 - alpha / 2, count + 1, trials - count))
    return low, high


def canary_exposure(model, tokenizer, canary: SecretCanary, fmt, num_candidates: int, rng: random.Random,
                    batch_size: int = 64, confidence: float = 0.95) -> dict:
    """Rank of the secret among `num_candidates` uniform candidates, exposure and its interval."""
    candidates = [fmt.draw(rng) for _ in range(num_candidates)]
    lp = sequence_log2probs(model, tokenizer, [canary.text] + [canary.with_secret(c) for c in candidates], batch_size)
    beaten_by = int(np.sum(lp[1:] >= lp[0]))  # Px(candidate) ≤ Px(secret)
    rank = beaten_by + 1
    p_low, p_high = clopper_pearson(beaten_by, num_candidates, confidence)
    return {"id": canary.id, "client": canary.client, "inserted": canary.inserted, "format": fmt.name,
            "rank": rank, "num_candidates": num_candidates,
            "exposure": math.log2((num_candidates + 1) / rank),
            "exposure_interval": [-math.log2(p_high), fmt.log2_size if p_low == 0 else min(fmt.log2_size, -math.log2(p_low))],
            "log2_space": fmt.log2_size}


def exposures(model, tokenizer, canaries: SecretCanarySet, num_candidates: int = 255, seed: int = 0,
              batch_size: int = 64, confidence: float = 0.95) -> list[dict]:
    """Exposure of every canary, inserted and held-out (no secret or record text in the result)."""
    if num_candidates < 1:
        raise ValueError(f"num_candidates must be ≥ 1, got {num_candidates}")
    rng = random.Random(seed)  # candidates need only be independent of the model, not secret
    return [canary_exposure(model, tokenizer, c, canaries.format_of(c), num_candidates, rng, batch_size, confidence)
            for c in canaries.canaries]


def dp_exposure_bound(epsilon: float, delta: float, num_candidates: int, copies: int = 1) -> float:
    """B(ε, δ, n): the largest expected sampled exposure of a secret under (ε, δ)-DP (see module doc)."""
    if epsilon < 0 or not 0 <= delta <= 1 or num_candidates < 1 or copies < 1:
        raise ValueError(f"need ε ≥ 0, 0 ≤ δ ≤ 1, n ≥ 1, copies ≥ 1; got {epsilon}, {delta}, {num_candidates}, {copies}")
    eps, dlt = copies * epsilon, min(1.0, copies * math.exp((copies - 1) * epsilon) * delta)
    n1 = num_candidates + 1
    k = np.arange(1, n1 + 1, dtype=np.float64)
    cdf = np.minimum(1.0, np.exp(min(eps, 700.0)) * k / n1 + dlt)
    mass = np.diff(np.concatenate([[0.0], cdf]))
    return float(np.sum(mass * np.log2(n1 / k)))


def dp_exposure_quantile(epsilon: float, delta: float, beta: float = 0.05) -> float:
    """The exposure a secret exceeds with probability at most β under (ε, δ)-DP (inf when δ ≥ β)."""
    if beta <= delta:
        return math.inf
    return epsilon * LOG2E + math.log2(1.0 / (beta - delta))


def _mean_interval(values: np.ndarray, confidence: float) -> list[float]:
    if len(values) < 2:
        return [float("nan"), float("nan")]
    half = stats.t.ppf(0.5 + confidence / 2, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values))
    return [float(values.mean() - half), float(values.mean() + half)]


def exposure_summary(per_canary: list[dict], accountant_epsilon: float | None, delta: float,
                     confidence: float = 0.95) -> dict:
    """Inserted vs held-out exposure, the DP bound at the run's ε, and whether they agree."""
    ins = np.array([c["exposure"] for c in per_canary if c["inserted"]])
    held = np.array([c["exposure"] for c in per_canary if not c["inserted"]])
    if len(ins) == 0:
        raise ValueError("no inserted secret canaries: nothing to measure")
    n = per_canary[0]["num_candidates"]
    out = {"num_inserted": len(ins), "num_heldout": len(held), "num_candidates": n,
           "resolution_bits": math.log2(n + 1),
           "log2_space": {c["format"]: c["log2_space"] for c in per_canary},
           "inserted": {"median": float(np.median(ins)), "mean": float(ins.mean()),
                        "mean_interval": _mean_interval(ins, confidence), "max": float(ins.max())},
           "heldout": ({"median": float(np.median(held)), "mean": float(held.mean()), "max": float(held.max())}
                       if len(held) else None),
           "chance_mean": _chance_mean(n), "accountant_epsilon": accountant_epsilon, "delta": delta}
    if len(held):  # one-sided: are inserted secrets ranked higher than held-out ones?
        out["inserted_vs_heldout_p"] = float(stats.mannwhitneyu(ins, held, alternative="greater").pvalue)
    if accountant_epsilon is None:
        out["dp_bound"] = None
        leak = out.get("inserted_vs_heldout_p", 1.0) < 1 - confidence
        out["status"] = "leak" if leak else "no-leak-detected"
        return out
    bound = dp_exposure_bound(accountant_epsilon, delta, n)
    out["dp_bound"] = {"expected": bound, "closed_form": (accountant_epsilon + 1) * LOG2E + delta * math.log2(n + 1),
                       "quantile_95": dp_exposure_quantile(accountant_epsilon, delta, 0.05),
                       "can_contradict": math.log2(n + 1) > bound}
    low = out["inserted"]["mean_interval"][0]
    out["status"] = "exceeds-bound" if (low if math.isfinite(low) else ins.mean()) > bound else "consistent"
    return out


def _chance_mean(num_candidates: int) -> float:
    """Mean sampled exposure of a secret the model never saw (ρ uniform on 1..n+1): ≈ log₂ e."""
    n1 = num_candidates + 1
    return float(np.mean(np.log2(n1 / np.arange(1, n1 + 1))))
