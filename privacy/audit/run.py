"""The audit of one global adapter: scores → ROC figures → ε̂ per score → a plain-language verdict."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from privatune.privacy.audit.canaries import CanarySet
from privatune.privacy.audit.epsilon import default_guess_counts, epsilon_lower_bound, guess_counts
from privatune.privacy.audit.roc import roc_summary
from privatune.privacy.audit.scores import score_canaries

AUDIT_DIR = "audit"


def _verdict(eps_hat: float, eps_max: float, accountant_epsilon: float | None, strongest: dict, confidence: float) -> dict:
    conf = f"{confidence:.0%}"
    attack = (
        f"The strongest membership attack reaches AUC {strongest['auc']:.2f} and "
        f"TPR {strongest['tpr_at_fpr']['0.01']:.0%} at 1 % FPR on the canaries."
    )
    power = (
        f" With these canaries the audit could show at most ε̂ = {eps_max:.2f}, so it can only catch a "
        "violation of a claimed ε below that."
    )
    if accountant_epsilon is None:
        if eps_hat > 0:
            return {"status": "leak", "text": f"LEAK: training-set membership of the canaries is detectable; at {conf} confidence "
                    f"the run is not ε-DP for any ε < {eps_hat:.2f}, and no DP guarantee is claimed. {attack}"}
        return {"status": "no-leak-detected", "text": f"NO LEAK DETECTED (ε̂ = 0), but no DP guarantee is claimed, so none "
                f"holds. {attack}{power}"}
    if eps_hat > accountant_epsilon:
        return {"status": "fail", "text": f"FAIL: at {conf} confidence the run leaks more than its privacy accountant "
                f"claims (ε̂ = {eps_hat:.2f} > ε = {accountant_epsilon:.2f}). The DP guarantee is broken: check "
                f"clipping, noise and sampling before releasing this adapter. {attack}"}
    return {"status": "pass", "text": f"PASS: the audit found no contradiction with the accountant's ε = "
            f"{accountant_epsilon:.2f} (ε̂ = {eps_hat:.2f} ≤ ε). ε̂ is a lower bound: this is consistent with "
            f"the guarantee, not a proof of it. {attack}{power}"}


def audit_report(
    scores: dict[str, np.ndarray],
    inclusion_bits,
    k_plus: int | None = None,
    k_minus: int | None = None,
    delta: float = 1e-5,
    accountant_epsilon: float | None = None,
    confidence: float = 0.95,
) -> dict:
    """AUC, TPR at 0.1 % / 1 % FPR and ε̂ per score, the headline ε̂, and a verdict.

    The headline ε̂ is the largest over the scores; each score's bound uses confidence
    1 − (1 − confidence)/n (Bonferroni), so the headline holds at `confidence` overall.
    """
    bits = np.asarray(inclusion_bits, dtype=bool)
    m = len(bits)
    default_plus, default_minus = default_guess_counts(m)
    k_plus = default_plus if k_plus is None else k_plus
    k_minus = default_minus if k_minus is None else k_minus
    per_score_confidence = 1.0 - (1.0 - confidence) / len(scores)
    per_score = {}
    for name, values in scores.items():
        r, v = guess_counts(values, bits, k_plus, k_minus)
        entry = roc_summary(values, bits)
        entry.update(guesses=r, correct=v, epsilon_lower_bound=epsilon_lower_bound(m, r, v, delta, per_score_confidence))
        per_score[name] = entry
    strongest_name = max(per_score, key=lambda n: (per_score[n]["epsilon_lower_bound"], per_score[n]["auc"]))
    eps_hat = per_score[strongest_name]["epsilon_lower_bound"]
    eps_max = epsilon_lower_bound(m, k_plus + k_minus, k_plus + k_minus, delta, per_score_confidence)
    return {
        "num_canaries": m,
        "num_included": int(bits.sum()),
        "k_plus": k_plus,
        "k_minus": k_minus,
        "delta": delta,
        "confidence": confidence,
        "confidence_per_score": per_score_confidence,
        "scores": per_score,
        "strongest_score": strongest_name,
        "epsilon_lower_bound": eps_hat,
        "epsilon_lower_bound_max": eps_max,
        "accountant_epsilon": accountant_epsilon,
        "verdict": _verdict(eps_hat, eps_max, accountant_epsilon, per_score[strongest_name], confidence),
    }


def audit_model(
    model,
    tokenizer,
    canaries: CanarySet,
    base_model=None,
    accountant_epsilon: float | None = None,
    delta: float = 1e-5,
    k_plus: int | None = None,
    k_minus: int | None = None,
    confidence: float = 0.95,
    batch_size: int = 16,
) -> dict:
    """Score every canary on `model` (vs `base_model`, or the adapter disabled) and audit."""
    scores = score_canaries(model, base_model, tokenizer, canaries.texts, batch_size=batch_size)
    result = audit_report(scores, canaries.inclusion_bits, k_plus, k_minus, delta, accountant_epsilon, confidence)
    result["canary_commitment"] = canaries.commitment()
    return result


def write_audit_result(run_dir: str | os.PathLike, round_number: int, result: dict, log=None) -> Path:
    """RUN_DIR/audit/round-N.json, which the report reads; with `log` (an AuditLog) also an
    `audit` event pinning the file's SHA-256, the headline figures and the canary commitment."""
    path = Path(run_dir) / AUDIT_DIR / f"round-{round_number}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"round": round_number, **result}, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    if log is not None:
        from privatune.privacy.report.hashing import sha256_file

        log.append("audit", round=round_number, path=path.relative_to(run_dir).as_posix(), sha256=sha256_file(path),
                   epsilon_lower_bound=result["epsilon_lower_bound"], accountant_epsilon=result["accountant_epsilon"],
                   status=result["verdict"]["status"], canary_commitment=result.get("canary_commitment"))
    return path
