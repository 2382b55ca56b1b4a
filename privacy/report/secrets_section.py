"""The report's data-extraction part: read RUN_DIR/audit/secrets-round-N.json, plot exposures, render.

Only ids, ranks, distances and figures are in those files (no secret, no record text), so nothing
here can put a secret into the report.
"""

from __future__ import annotations

import html
from pathlib import Path

KEYS = ("exposure", "extraction", "headline", "status", "num_samples")


def secret_audit_results(run_dir: Path, notes: list[str]) -> list[dict]:
    from privatune.privacy.report.collect import round_results

    # no note when absent: the audit is opt-in (audit-secret-canaries) and its section says "not run"
    return round_results(run_dir, "secrets-round-*.json", KEYS, "a secret-audit result", notes)


def exposure_plot(secret_audit: dict | None) -> str | None:
    """Histogram of exposures, inserted vs held-out, with the DP bound and the audit's resolution."""
    if not secret_audit or not secret_audit.get("canaries"):
        return None
    from privatune.privacy.report.plots import _png  # imported first: it selects the Agg backend
    import matplotlib.pyplot as plt  # noqa: E402

    exposure = secret_audit["exposure"]
    fig, axis = plt.subplots(figsize=(7, 4))
    top = exposure["resolution_bits"]
    bins = [i * top / 12 for i in range(13)]
    for inserted, label in ((True, "inserted (trained on)"), (False, "held-out (chance)")):
        values = [c["exposure"] for c in secret_audit["canaries"] if c["inserted"] == inserted]
        if values:
            axis.hist(values, bins=bins, alpha=0.6, label=f"{label}, {len(values)} secrets")
    bound = exposure.get("dp_bound")
    if bound:
        axis.axvline(bound["expected"], color="k", linestyle="--",
                     label=f"DP bound on mean at ε = {exposure['accountant_epsilon']:.2f}")
    axis.axvline(exposure["inserted"]["mean"], color="r", label="mean, inserted")
    axis.set_xlabel(f"exposure (bits; resolution {top:.1f}, space {max(exposure['log2_space'].values()):.1f})")
    axis.set_ylabel("secrets")
    axis.set_title("Exposure of secret canaries")
    axis.legend(fontsize=8)
    return _png(fig)


def _e(value) -> str:
    return html.escape("—" if value is None else str(value))


def _f(value) -> str:
    return _e(f"{value:.2f}" if isinstance(value, float) else value)


def summary_line(report: dict) -> str:
    audit = report.get("secret_audit")
    if not audit:
        return ""
    status = {"exceeds-bound": "fail", "leak": "leak"}.get(audit["status"], "pass")
    return f'<div class="verdict {status}">Data extraction: {_e(audit["headline"])}</div>'


def secret_audit_section(report: dict, plots: dict) -> str:
    audit = report.get("secret_audit")
    if not audit:
        return ('<h2>Data-extraction audit</h2><p class="note">Not run for this run '
                "(run-config audit-secret-canaries=N enables it).</p>")
    exposure, extraction = audit["exposure"], audit["extraction"]
    rows = []
    for group in ("inserted", "heldout"):
        part = extraction[group]
        for attack, counts in part["attacks"].items():
            rows.append([group, attack, f"{counts['exact']} / {counts['of']}", f"{counts['within_1']} / {counts['of']}"])
    held = exposure.get("heldout") or {}
    bound = exposure.get("dp_bound") or {}
    figures = [["exposure, inserted: median / mean", f"{exposure['inserted']['median']:.2f} / {exposure['inserted']['mean']:.2f}"],
               ["95 % interval of the mean (inserted)", " – ".join(f"{v:.2f}" for v in exposure["inserted"]["mean_interval"])],
               ["exposure, held-out: median / mean", f"{held.get('median', float('nan')):.2f} / {held.get('mean', float('nan')):.2f}"],
               ["exposure of a never-seen secret (expected)", f"{exposure['chance_mean']:.2f}"],
               ["largest possible exposure (log₂ of the candidate space)",
                ", ".join(f"{k}: {v:.1f}" for k, v in exposure["log2_space"].items())],
               ["resolution (log₂ of candidates + 1)", f"{exposure['resolution_bits']:.2f}"],
               ["accountant ε / δ", f"{_f(exposure.get('accountant_epsilon'))} / {exposure['delta']:g}"],
               ["DP bound on mean exposure", _f(bound.get("expected"))],
               ["DP: exposure one secret exceeds with ≤ 5 %", _f(bound.get("quantile_95"))]]
    body = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in figures)
    attacks = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    image = plots.get("exposure")
    return ("<h2>Data-extraction audit</h2>"
            f"<p>Round {_e(audit.get('round'))}: {_e(audit['headline'])}</p>"
            f"<table><tr><th>figure</th><th>value</th></tr>{body}</table>"
            "<h3>Prompted extraction (greedy and sampled, from the record's prefix and from a prompt naming "
            f"the person; {_e(audit['num_samples'])} samples per prompt)</h3>"
            f"<table><tr><th>secrets</th><th>attack</th><th>exact</th><th>within 1 edit</th></tr>{attacks}</table>"
            + (f'<img alt="exposure" src="data:image/png;base64,{image}">' if image else ""))
