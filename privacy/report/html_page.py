"""Render the report content as one self-contained HTML page (inline CSS, PNGs as data URIs)."""

from __future__ import annotations

import html
import json

from privatune.privacy.report.secrets_section import secret_audit_section, summary_line

_CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;
font-size:.9em}th{background:#f4f4f4}.verdict{padding:.8em 1em;border-radius:6px;font-weight:600}
.pass,.no-leak-detected{background:#e6f4ea}.fail,.leak{background:#fde8e8}.unknown{background:#f4f4f4}
code{font-size:.85em;word-break:break-all}img{max-width:100%}.note{color:#666}
"""


def _e(value) -> str:
    return html.escape("—" if value is None else str(value))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return _e(value)


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _image(png: str | None, what: str) -> str:
    if png is None:
        return f'<p class="note">No {_e(what)} data in this run.</p>'
    return f'<img alt="{_e(what)}" src="data:image/png;base64,{png}">'


def _summary(report: dict) -> str:
    audit = report.get("audit")
    if audit:
        status, text = audit["verdict"]["status"], audit["verdict"]["text"]
    else:
        status, text = "unknown", "No membership-inference audit was run for this run."
    failed = [a for a in report.get("whitebox_audit", []) if a["status"] == "fail"]
    if failed:
        worst = max(failed, key=lambda a: a["epsilon_hat"])
        status, text = "fail", (f"FAIL: the white-box audit of node {worst['node']} in round {worst['round']} measured "
                                f"ε̂ = {worst['epsilon_hat']:.2f} > ε = {worst['epsilon_claimed']:.2f} claimed for its "
                                "DP-SGD steps: the noise or the clipping is broken. " + text)
    refused = report.get("refusals", [])
    if not failed and any("white-box audit" in str(r["reason"]) for r in refused):
        status, text = "fail", "FAIL: a client's white-box audit found its DP noise or clipping broken; it sent nothing. " + text
    if refused:
        text += " " + " ".join(f"Node {r['node']} ({r['stage']}, round {r['round']}): {r['reason']}." for r in refused[:5])
    log = report["audit_log"]
    log_line = ("No audit log in this run: its events cannot be verified." if not log.get("present") else
                f"Audit log verified: {log['entries']} signed entries, signer key SHA-256 "
                f"<code>{_e(log['signer_fingerprint'])}</code>."
                if log["verified"] else "Audit log FAILED verification: " + _e("; ".join(log["errors"][:3])))
    return (f'<div class="verdict {_e(status)}">{_e(text)}</div>' + summary_line(report)
            + f'<p>{log_line}</p>')


def _plain_summary(report: dict) -> str:
    lines = report.get("summary") or []
    return "<h2>In plain words</h2>" + "".join(f"<p>{_e(line)}</p>" for line in lines) if lines else ""


def _run_section(report: dict) -> str:
    hashes = report["hashes"]
    base = hashes["base_model"]
    rows = [["base model", base["path"] if base else None, base["sha256"] if base else None]]
    rows += [[f"adapter {name}", f"adapters/{name}", digest] for name, digest in hashes["adapters"].items()]
    versions = [[name, version] for name, version in report["versions"].items()]
    config = json.dumps(report.get("config"), indent=1, sort_keys=True)
    return (
        "<h2>Run</h2>" + _table(["artifact", "path", "SHA-256"], rows)
        + "<h3>Library versions</h3>" + _table(["library", "version"], versions)
        + f"<h3>Configuration</h3><pre>{_e(config)}</pre>"
    )


def _training_section(report: dict, plots: dict) -> str:
    rows = [[r["round"], ", ".join(r["clients"]) or None, r.get("train-loss"), r.get("eval-loss")]
            for r in report["rounds"]]
    refused = [[r["round"], r["node"], r["stage"], r["reason"]] for r in report.get("refusals", [])]
    return ("<h2>Training</h2>" + _table(["round", "clients", "train loss", "eval loss"], rows)
            + _image(plots.get("loss"), "loss")
            + ("<h3>Refusals</h3>" + _table(["round", "node", "stage", "reason"], refused) if refused else ""))


def _privacy_section(report: dict, plots: dict) -> str:
    dp = report["dp"]
    params = [[k, v] for k, v in sorted(dp["parameters"].items())]
    used = dp.get("used") or {}
    spent = [[client, eps, (used.get(client) or {}).get("noise_multiplier"), (used.get(client) or {}).get("sample_rate")]
             for client, eps in sorted(dp["final_epsilon_per_client"].items())]
    secagg = report["secure_aggregation"]
    ran = {True: "yes", False: "no", None: "not recorded in this run"}[secagg["ran"]]
    return (
        "<h2>Differential privacy</h2>" + (_table(["parameter", "value"], params) if params
                                           else '<p class="note">No DP parameters in config.json.</p>')
        + (_table(["client", "ε spent (accountant)", "σ used", "sample rate q"], spent) if spent
           else '<p class="note">No client reported ε: training ran without DP accounting.</p>')
        + _image(plots.get("epsilon"), "privacy budget")
        + f"<h2>Secure aggregation</h2><p>Secure aggregation ran: <b>{_e(ran)}</b>.</p>"
        + _table(["source", "detail"], [[e["source"], json.dumps({k: v for k, v in e.items() if k != "source"})]
                                         for e in secagg["evidence"]])
    )


def _whitebox_section(report: dict) -> str:
    rows = [[a["round"], a["node"], a["epsilon_hat"], a["epsilon_claimed"], a["epsilon_hat_max"], a["status"]]
            for a in report.get("whitebox_audit", [])]
    if not rows:
        return ""
    return ("<h3>White-box audit (gradient canaries inside each client's DP-SGD)</h3><p>Each client measured the "
            "noise its DP-SGD steps really added, from secret gradient canaries on the noised sums, and the ε̂ "
            "that noise gives; a client whose ε̂ exceeds the ε claimed for those steps sends nothing.</p>"
            + _table(["round", "node", "ε̂", "ε claimed for these steps", "largest ε̂ it could show", "verdict"], rows))


def _audit_section(report: dict, plots: dict) -> str:
    audit = report.get("audit")
    if not audit:
        return ('<h2>Membership-inference audit</h2><p class="note">Black-box audit not run for this run.</p>'
                + _whitebox_section(report))
    federation = audit.get("federation") or {}
    events = "; ".join(f"node {e['node']} {e['event']} at round {e['round']}" for e in federation.get("events", [])
                       if e.get("event") != "dealt")
    dealing = (f" Canary groups: {federation.get('groups')} (one per connected node), {federation.get('groups_audited')}"
               f" audited; {federation.get('canaries_not_audited')} canaries of nodes that never trained left out."
               + (f" Federation changes: {events}." if events else "")) if federation else ""
    rows = [[name, s["auc"], s["tpr_at_fpr"].get("0.001"), s["tpr_at_fpr"].get("0.01"),
             f"{s['correct']}/{s['guesses']}", s["epsilon_lower_bound"]] for name, s in audit["scores"].items()]
    facts = (f"Round {_e(audit.get('round'))}: {audit['num_canaries']} canaries, {audit['num_included']} included "
             f"(the inclusion bits were known only to the server). Guesses: top {audit['k_plus']} as members, "
             f"bottom {audit['k_minus']} as non-members. ε̂ at {audit['confidence']:.0%} confidence overall "
             f"({audit['confidence_per_score']:.4f} per score), δ = {audit['delta']:g}; accountant's ε: "
             f"{_fmt(audit.get('accountant_epsilon'))}. Largest ε̂ these canaries can show: "
             f"{audit['epsilon_lower_bound_max']:.2f}. Smallest resolvable FPR: "
             f"{audit['scores'][audit['strongest_score']]['fpr_resolution']:.3g}." + dealing)
    return ("<h2>Membership-inference audit</h2>" + f"<p>{_e(facts)}</p>"
            + _table(["score", "AUC", "TPR @ 0.1 % FPR", "TPR @ 1 % FPR", "correct guesses", "ε̂"], rows)
            + _image(plots.get("roc"), "ROC")
            + _table(["round", "ε̂", "accountant ε", "verdict"],
                     [[a["round"], a["epsilon_lower_bound"], a["accountant_epsilon"], a["status"]]
                      for a in report["audit_history"]])
            + _whitebox_section(report))


def _pii_section(report: dict, plots: dict) -> str:
    counts = report["pii_counts"]
    rows = [[client, entity, n] for client, per in sorted(counts.items()) for entity, n in sorted(per.items())]
    return ("<h2>PII scrubbing</h2>" + (_table(["client", "entity type", "count"], rows) if rows else "")
            + _image(plots.get("pii"), "PII count"))


def _quality_section(report: dict) -> str:
    quality = report.get("data_quality") or {}
    rows = [[node, key, n] for node, per in sorted(quality.items()) for key, n in sorted(per.items())]
    return ("<h2>Data quality (counts reported by each node)</h2>"
            + (_table(["node", "count", "value"], rows) if rows else "<p>No node reported data-quality counts.</p>"))


def render(report: dict, plots: dict) -> str:
    notes = "".join(f"<li>{_e(n)}</li>" for n in report["notes"]) or "<li>none</li>"
    log_errors = "".join(f"<li>{_e(e)}</li>" for e in report["audit_log"]["errors"])
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>privatune report: {_e(report['run_dir'])}"
        f"</title><style>{_CSS}</style></head><body>"
        f"<h1>privatune compliance report: {_e(report['run_dir'])}</h1>"
        f"<p>Generated {_e(report['generated_at'])}. Contains counts, hashes and scores only: no record text.</p>"
        + _plain_summary(report) + _summary(report) + _run_section(report) + _training_section(report, plots)
        + _privacy_section(report, plots) + _audit_section(report, plots)
        + secret_audit_section(report, plots) + _pii_section(report, plots)
        + _quality_section(report) + "<h2>Audit log</h2>" + (f"<ul>{log_errors}</ul>" if log_errors else
                                  f"<p>{report['audit_log']['entries']} entries; chain, signatures and head verified.</p>")
        + f"<h2>Missing parts and notes</h2><ul>{notes}</ul></body></html>"
    )
