"""White-box audit inside the client's DP-SGD: Dirac gradient canaries, scored on the noised sums.

The black-box one-run audit (epsilon.py) can never show more than ε̂ ≈ 2 with 64 canaries, so it
cannot catch a run at ε = 8 whose noise is broken. This audit looks where the guarantee is made,
in the white-box threat model of Steinke, Nasr and Jagielski (2023, §6): the adversary sees every
noised gradient sum and may insert gradient canaries. Each of m canaries is a Dirac gradient
±K·C on one secret coordinate of the flat LoRA vector (norm K·C > C, so clipping is exercised too),
included in every step with a secret fair coin. After clipping and noise,

    S_j = Σ_t sign_j · (noised sum − records' clipped sum)_t[coord_j]  ~  N(T·c·b_j, T·s²),

where c is the clipped canary contribution (C when clipping works) and s the per-coordinate noise
std (σ·C when noise works). The client, as auditor, knows its records' clipped sum (DP's adversary
knows every other record too) and subtracts it, so what is scored is canary plus noise. As in the
one-shot estimator of Andrew et al. (ICLR 2024), the scores are fitted by Gaussians: c from the
difference of the means, s from the pooled spread, with one-sided confidence bounds (a t-bound on c,
a χ² bound on s, Bonferroni-split). The effective noise multiplier σ̂ = s⁺/c⁻ is an upper bound on the
noise the mechanism really adds per unit of sensitivity; ε̂ is what the run's accountant gives for
σ̂ at the run's sample rate and steps, set against the same accountant's ε for the claimed σ.

After the noise is drawn the canaries' exact contribution is subtracted again (the client knows
it), so the model trains as if they were not there; the audit costs no utility. Assumes Gaussian
noise and Poisson sampling as implemented (sampling itself is not audited here). σ̂ is floored at
SIGMA_FLOOR, so the largest ε̂ this audit can show is the accountant's ε at SIGMA_FLOOR.
"""

from __future__ import annotations

import math
import secrets

import numpy as np
import torch
from scipy import stats

SIGMA_FLOOR = 0.25  # smallest σ̂ converted to ε (the PRV accountant gets slow and unstable below)
CANARY_SCALE = 2.0  # canary gradient norm in units of C: clipping must bring it down to C


class GradientCanaries:
    """m secret Dirac gradient canaries over a flat parameter vector of `total` coordinates."""

    def __init__(self, m: int, total: int, max_grad_norm: float, device: torch.device | str = "cpu"):
        if not 4 <= m <= total:
            raise ValueError(f"white-box audit needs 4 ≤ canaries ≤ {total} parameters, got {m}")
        rng = np.random.default_rng(secrets.randbits(128))  # secret: whoever knows the coordinates could skew them
        self.coords = torch.as_tensor(rng.choice(total, size=m, replace=False), device=device)
        self.signs = torch.as_tensor(rng.choice([-1.0, 1.0], size=m), device=device)
        self.bits = rng.random(m) < 0.5
        self.bits[:2], self.bits[2:4] = True, False  # both groups non-empty (positions are random anyway)
        self.included = torch.as_tensor(self.bits, device=device)
        self.value = CANARY_SCALE * max_grad_norm
        self.scores = torch.zeros(m, dtype=torch.float64, device=device)
        self.steps = 0
        self._added: torch.Tensor | None = None
        self._real: torch.Tensor | None = None

    def inject(self, summed: torch.Tensor, clip_factors) -> None:
        """Add the included canaries, clipped by the optimizer's own clip rule, to the clipped sum."""
        self._real = summed[self.coords].clone()  # the records' clipped sum there, known to the client
        norms = torch.full((int(self.included.sum()),), self.value, dtype=summed.dtype, device=summed.device)
        added = clip_factors(norms) * norms * self.signs[self.included].to(summed.dtype)
        summed.index_add_(0, self.coords[self.included], added)
        self._added = added

    def observe_and_remove(self, noised: torch.Tensor) -> None:
        """Score every canary on the noised sum, then take the included canaries out of it again."""
        self.scores += (noised[self.coords] - self._real).double() * self.signs.double()
        self.steps += 1
        if self._added is not None:
            noised.index_add_(0, self.coords[self.included], -self._added)
            self._added = None


def estimate(scores, bits, steps: int, confidence: float = 0.999) -> dict:
    """Per-step clipped contribution c, noise std s and σ̂ = s⁺/c⁻ (one-sided bounds at `confidence`)."""
    scores, bits = np.asarray(scores, dtype=np.float64), np.asarray(bits, dtype=bool)
    n1, n0 = int(bits.sum()), int((~bits).sum())
    if steps < 1 or n1 < 2 or n0 < 2:
        return {"steps": steps, "sigma_hat": 0.0, "c_hat": math.nan, "s_hat": math.nan}
    alpha = (1 - confidence) / 2  # split between the two bounds
    diff = scores[bits].mean() - scores[~bits].mean()
    dof = n1 + n0 - 2
    pooled = (((scores[bits] - scores[bits].mean()) ** 2).sum() + ((scores[~bits] - scores[~bits].mean()) ** 2).sum()) / dof
    c_hat, s_hat = diff / steps, math.sqrt(pooled / steps)
    c_low = (diff - stats.t.ppf(1 - alpha, dof) * math.sqrt(pooled * (1 / n1 + 1 / n0))) / steps
    s_up = math.sqrt(dof * pooled / stats.chi2.ppf(alpha, dof) / steps)
    sigma_hat = s_up / c_low if c_low > 0 else math.inf
    return {"steps": steps, "c_hat": c_hat, "s_hat": s_hat, "c_lower": c_low, "s_upper": s_up,
            "sigma_hat": sigma_hat}


def audit(canaries: GradientCanaries, claimed_sigma: float, max_grad_norm: float, sample_rate: float,
          delta: float, accountant: str = "prv", confidence: float = 0.999) -> dict:
    """The white-box verdict for the steps the canaries saw: ε̂ (for σ̂) against ε (for the claimed σ)."""
    from privatune.privacy.dp import epsilon_of

    fit = estimate(canaries.scores.cpu().numpy(), canaries.bits, canaries.steps, confidence)
    steps = canaries.steps
    claimed = epsilon_of([(claimed_sigma, sample_rate, steps)], delta, accountant) if steps else 0.0
    eps_max = epsilon_of([(min(SIGMA_FLOOR, claimed_sigma), sample_rate, max(steps, 1))], delta, accountant)
    sigma_hat = fit["sigma_hat"]
    if steps == 0:
        eps_hat, status = eps_max, "fail"  # no noised step passed the canaries: the noise path did not run
    elif math.isinf(sigma_hat):
        eps_hat, status = 0.0, "pass"
    else:
        eps_hat = eps_max if sigma_hat <= SIGMA_FLOOR else epsilon_of([(sigma_hat, sample_rate, steps)], delta, accountant)
        status = "fail" if eps_hat > claimed * (1 + 1e-3) else "pass"
    return {"audit": "white-box", "canaries": len(canaries.bits), "steps": steps, "confidence": confidence,
            "claimed_sigma": claimed_sigma, "sigma_hat": sigma_hat if math.isfinite(sigma_hat) else None,
            "c_hat": fit["c_hat"] / max_grad_norm if steps else None,
            "s_hat": fit["s_hat"] / max_grad_norm if steps else None,
            "epsilon_hat": eps_hat, "epsilon_claimed": claimed, "epsilon_hat_max": eps_max, "status": status}
