"""The data-extraction audit of one adapter: exposure + black-box extraction → a plain-language line.

Result file: RUN_DIR/audit/secrets-round-N.json (ids, ranks, distances and figures; never a secret
or a record's text), read by the report next to the membership audit's round-N.json.
"""

from __future__ import annotations

import json
import os
import secrets as _secrets
from pathlib import Path

from privatune.privacy.audit.exposure import exposure_summary, exposures
from privatune.privacy.audit.extraction import extract_secrets, extraction_summary
from privatune.privacy.audit.secrets import SecretCanarySet

RESULT_FORMAT = "privatune-secret-audit/1"


def headline(exposure: dict, extraction: dict) -> str:
    """'0 of 64 secrets extracted; median exposure 1.3 bits of 23.1 possible; ...'."""
    ins, held = extraction["inserted"], extraction["heldout"]
    space = max(exposure["log2_space"].values())
    text = (f"{ins['any_exact']} of {ins['count']} inserted secrets extracted exactly "
            f"({ins['any_within_1']} within one digit) by prompting the model; median exposure "
            f"{exposure['inserted']['median']:.1f} bits of {space:.1f} possible (the sampled "
            f"{exposure['num_candidates']} candidates resolve up to {exposure['resolution_bits']:.1f} bits)")
    if held["count"]:
        text += (f"; held-out secrets (never trained on): {held['any_exact']} of {held['count']} reproduced, "
                 f"median exposure {exposure['heldout']['median']:.1f} bits")
    bound = exposure.get("dp_bound")
    if bound is None:
        text += ". No DP guarantee is claimed, so nothing bounds the exposure."
        if exposure["status"] == "leak":
            text += " Inserted secrets rank significantly above held-out ones: the model memorised them."
        return text
    mean = exposure["inserted"]["mean"]
    text += (f". At the accountant's ε = {exposure['accountant_epsilon']:.2f}, DP bounds the expected exposure by "
             f"{bound['expected']:.1f} bits (any one secret exceeds {bound['quantile_95']:.1f} bits with ≤ 5 % "
             f"probability); measured mean {mean:.1f} bits: ")
    if exposure["status"] == "exceeds-bound":
        return text + "ABOVE the bound — the DP guarantee does not hold for this run."
    text += "consistent with the bound."
    if not bound["can_contradict"]:
        text += (f" (With {exposure['num_candidates']} candidates the audit cannot resolve exposures above the "
                 "bound, so it could not have shown a violation.)")
    return text


def audit_secrets(model, tokenizer, canaries: SecretCanarySet, accountant_epsilon: float | None = None,
                  delta: float = 1e-5, num_candidates: int = 255, num_samples: int = 8, seed: int | None = None,
                  confidence: float = 0.95, batch_size: int = 64) -> dict:
    """Exposure and extraction of every secret canary on `model`, with the summary and its headline."""
    seed = _secrets.randbits(31) if seed is None else seed
    per_exposure = exposures(model, tokenizer, canaries, num_candidates, seed, batch_size, confidence)
    per_extraction = extract_secrets(model, tokenizer, canaries, num_samples, seed)
    exposure = exposure_summary(per_exposure, accountant_epsilon, delta, confidence)
    extraction = extraction_summary(per_extraction)
    by_id = {e["id"]: e for e in per_extraction}
    return {"format": RESULT_FORMAT, "seed": seed, "confidence": confidence, "num_samples": num_samples,
            "secret_commitment": canaries.commitment(), "exposure": exposure, "extraction": extraction,
            "status": "exceeds-bound" if exposure["status"] == "exceeds-bound" else
                      ("leak" if exposure["status"] == "leak" or extraction["inserted"]["any_exact"] else exposure["status"]),
            "headline": headline(exposure, extraction),
            "canaries": [{**e, "distance": by_id[e["id"]]["distance"], "exact_samples": by_id[e["id"]]["exact_samples"]}
                         for e in per_exposure]}


def secret_result_path(run_dir: str | os.PathLike, round_number: int) -> Path:
    return Path(run_dir) / "audit" / f"secrets-round-{round_number}.json"


def write_secret_audit(run_dir: str | os.PathLike, round_number: int, result: dict, log=None) -> Path:
    """RUN_DIR/audit/secrets-round-N.json; with `log` (an AuditLog) a `secret-audit` event pinning it."""
    path = secret_result_path(run_dir, round_number)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"round": round_number, **result}, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    if log is not None:
        from privatune.privacy.report.hashing import sha256_file

        ins = result["extraction"]["inserted"]
        log.append("secret-audit", round=round_number, path=path.relative_to(run_dir).as_posix(),
                   sha256=sha256_file(path), extracted=ins["any_exact"], inserted=ins["count"],
                   median_exposure=result["exposure"]["inserted"]["median"], status=result["status"],
                   secret_commitment=result["secret_commitment"])
    return path
