"""Read a run directory into the report's content (a plain dict, the same for JSON and HTML).

Run directory (written by privatune.server): config.json, metrics.jsonl, adapters/round-N/,
audit.log (+ .head, .pub), audit/round-N.json (audit results), audit/secrets-round-N.json (extraction
audits), manifests/*.json (scrub manifests, counts only), quality.json (nodes' data-quality counts).
Everything but the directory itself is optional; what is missing becomes a note.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from datetime import datetime, timezone
from pathlib import Path

from privatune.privacy.report.runcheck import verify_run
from privatune.privacy.report.secrets_section import secret_audit_results
from privatune.privacy.report.hashing import sha256_tree
from privatune.privacy.report.runfacts import base_model_path, client_name, dp_used, manifest_counts, plain_summary

FORMAT = "privatune-report/1"
LIBRARIES = ("privatune", "torch", "transformers", "peft", "flwr", "opacus", "bitsandbytes", "triton",
             "cryptography", "presidio-analyzer", "datasets", "numpy", "scipy")
BASE_MODEL_KEYS = ("base-model", "base_model", "model", "model-path", "model_path", "model-dir", "base")
DP_KEY = re.compile(r"(noise|clip|max.grad|epsilon|delta|sample.rate|batch|dp|accountant|budget)", re.I)
AUDIT_KEYS = ("epsilon_lower_bound", "epsilon_lower_bound_max", "scores", "verdict", "num_canaries", "num_included",
              "k_plus", "k_minus", "delta", "confidence", "confidence_per_score", "strongest_score")
SECAGG_KEY = re.compile(r"(secagg|secure.agg)", re.I)


def _round_number(path: Path) -> int:
    match = re.search(r"(\d+)$", path.stem if path.is_file() else path.name)
    return int(match.group(1)) if match else -1


def read_json(path: Path, notes: list[str]) -> dict | None:
    if not path.exists():
        notes.append(f"{path.name}: not found")
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        notes.append(f"{path.name}: unreadable JSON ({e}); left out")
        return None


def read_metrics(path: Path, notes: list[str]) -> list[dict]:
    if not path.exists():
        notes.append("metrics.jsonl: not found (no rounds recorded)")
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            notes.append(f"metrics.jsonl line {number}: not JSON; left out")
            continue
        if isinstance(row, dict) and isinstance(row.get("round"), int):
            rows.append(row)
        else:
            notes.append(f"metrics.jsonl line {number}: no integer 'round'; left out")
    return sorted(rows, key=lambda r: r["round"])


def flatten(config: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def library_versions() -> dict:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def model_hashes(run_dir: Path, config: dict, notes: list[str]) -> dict:
    flat = flatten(config or {})
    base = None
    base_value = next((flat[k] for k in BASE_MODEL_KEYS if isinstance(flat.get(k), str)), None)
    found = base_model_path(config or {})
    if found is not None:
        base = {"path": str(found), "sha256": sha256_tree(found)}
    elif base_value and Path(base_value).exists():
        base = {"path": base_value, "sha256": sha256_tree(base_value)}
    else:
        notes.append("base model: no local path in config.json that exists here; its SHA-256 is not reported")
    adapters = {}
    adapter_root = run_dir / "adapters"
    for folder in sorted(adapter_root.glob("round-*"), key=_round_number) if adapter_root.is_dir() else []:
        adapters[folder.name] = sha256_tree(folder)
    if not adapters:
        notes.append("adapters/: no saved adapters")
    return {"base_model": base, "adapters": adapters}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rounds_table(metrics: list[dict]) -> list[dict]:
    table = []
    for row in metrics:
        clients = [c for c in row.get("clients", []) if isinstance(c, dict)]
        table.append({
            "round": row["round"],
            "clients": [client_name(c) for c in clients],
            "train-loss": row.get("train-loss"),
            "eval-loss": row.get("eval-loss"),
            "client_epsilon": {client_name(c): c["epsilon"] for c in clients if _is_number(c.get("epsilon"))},
            "client_delta": {client_name(c): c["delta"] for c in clients if _is_number(c.get("delta"))},
            "client_train_loss": {client_name(c): c.get("train-loss") for c in clients},
        })
    return table


def refusals(metrics: list[dict], stopped: dict | None) -> list[dict]:
    """Every refusal a client sent ("refused: policy ...", budget, its white-box audit), by round."""
    out = [{"round": row["round"], "node": str(r.get("node")), "stage": r.get("stage"), "reason": r.get("reason")}
           for row in metrics for r in [*row.get("refused", []), *row.get("eval-refused", [])] if isinstance(r, dict)]
    if stopped:
        out.append({"round": stopped.get("after-round"), "node": "server", "stage": "run stopped",
                    "reason": stopped.get("reason")})
    return out


def whitebox_audits(metrics: list[dict]) -> list[dict]:
    """The white-box audit each client ran inside its DP-SGD, per round: ε̂, the ε claimed, the largest ε̂."""
    return [{"round": row["round"], "node": str(c.get("node")), "epsilon_hat": c["whitebox-epsilon"],
             "epsilon_claimed": c.get("whitebox-epsilon-claimed"), "epsilon_hat_max": c.get("whitebox-epsilon-max"),
             "status": "fail" if c.get("whitebox-failed") else "pass"}
            for row in metrics for c in row.get("clients", []) if isinstance(c, dict) and "whitebox-epsilon" in c]


def dp_summary(config: dict, rounds: list[dict]) -> dict:
    params = {k: v for k, v in flatten(config or {}).items() if DP_KEY.search(k) and not SECAGG_KEY.search(k)}
    final_eps: dict[str, float] = {}
    for row in rounds:  # a client's ε is cumulative: its latest report is its current spend
        final_eps.update(row["client_epsilon"])
    return {"parameters": params, "final_epsilon_per_client": final_eps,
            "max_epsilon": max(final_eps.values()) if final_eps else None}


def secagg_summary(config: dict, metrics: list[dict], entries: list[dict]) -> dict:
    evidence = []
    for key, value in flatten(config or {}).items():
        if SECAGG_KEY.search(key):
            evidence.append({"source": "config.json", "key": key, "value": value})
    for row in metrics:
        for key, value in row.items():
            if SECAGG_KEY.search(key):
                evidence.append({"source": "metrics.jsonl", "round": row["round"], "key": key, "value": value})
    logged = [e for e in entries if SECAGG_KEY.search(e.get("event", ""))]
    if logged:
        evidence.append({"source": "audit.log", "events": len(logged)})
    values = [e["value"] for e in evidence if "value" in e and isinstance(e["value"], bool)]
    ran = bool(logged) or (any(values) if values else None)
    return {"ran": ran, "evidence": evidence}


def _entity_counts(manifest: dict) -> dict | None:
    for key, value in manifest.items():
        if isinstance(value, dict) and ("entit" in key.lower() or key.lower() in ("counts", "pii-counts")):
            counts = {str(k): v for k, v in value.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
            if counts:
                return counts
        if isinstance(value, dict):
            nested = _entity_counts(value)
            if nested:
                return nested
    return None


def pii_counts(run_dir: Path, metrics: list[dict], notes: list[str], config: dict | None = None) -> dict:
    counts: dict[str, dict] = manifest_counts(run_dir, config or {}, notes)
    for folder in ("manifests", "pii"):
        for path in sorted((run_dir / folder).glob("*.json")) if (run_dir / folder).is_dir() else []:
            manifest = read_json(path, notes)
            found = _entity_counts(manifest) if isinstance(manifest, dict) else None
            if found is None:
                notes.append(f"{folder}/{path.name}: no per-entity counts found; left out")
                continue
            client = next((str(manifest[k]) for k in ("client", "node", "client-id", "client_id") if k in manifest), path.stem)
            counts[client] = found
    for row in metrics:  # clients may also report counts with their metrics
        for c in row.get("clients", []):
            if isinstance(c, dict) and isinstance(c.get("pii-counts"), dict):
                counts.setdefault(client_name(c), c["pii-counts"])
    if not counts:
        notes.append("PII: no scrub manifests (clients' state dirs, next to the data, or manifests/*.json) "
                     "or client PII counts in this run")
    return counts


def round_results(run_dir: Path, pattern: str, keys, what: str, notes: list[str]) -> list[dict]:
    """audit/<pattern> files in round order that hold `keys`; others are left out with a note."""
    folder = run_dir / "audit"
    results = []
    for path in sorted(folder.glob(pattern), key=_round_number) if folder.is_dir() else []:
        data = read_json(path, notes)
        if isinstance(data, dict) and all(k in data for k in keys):
            data.setdefault("round", _round_number(path))
            results.append(data)
        elif data is not None:
            notes.append(f"audit/{path.name}: not {what} of this version (needs {', '.join(keys)}); left out")
    return results


def audit_results(run_dir: Path, notes: list[str]) -> list[dict]:
    results = round_results(run_dir, "round-*.json", AUDIT_KEYS, "an audit result", notes)
    if not results:
        notes.append("membership-inference audit: not run for this run (no audit/round-N.json)")
    return results


def data_quality(run_dir: Path, notes: list[str]) -> dict:
    """quality.json: per node, its data-quality counts (records in/used, rejected by reason)."""
    path = run_dir / "quality.json"
    if not path.exists():
        notes.append("data quality: no node reported counts (no quality.json)")
        return {}
    data = read_json(path, notes)
    if not isinstance(data, dict):
        return {}
    return {str(node): {str(k): v for k, v in counts.items() if _is_number(v)}
            for node, counts in data.items() if isinstance(counts, dict)}


def collect(run_dir: str | Path, public_key_file: str | Path | None = None) -> dict:
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"{run_dir}: not a run directory")
    notes: list[str] = []
    config = read_json(run_dir / "config.json", notes)
    metrics = read_metrics(run_dir / "metrics.jsonl", notes)
    log = verify_run(run_dir, public_key_file)
    rounds = rounds_table(metrics)
    audits = audit_results(run_dir, notes)
    secret_audits = secret_audit_results(run_dir, notes)
    dp = dp_summary(config, rounds)
    dp["used"] = dp_used(metrics)
    report = {
        "format": FORMAT,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "run_dir": run_dir.name,
        "config": config,
        "versions": library_versions(),
        "hashes": model_hashes(run_dir, config, notes),
        "rounds": rounds,
        "dp": dp,
        "secure_aggregation": secagg_summary(config, metrics, log.entries),
        "audit": audits[-1] if audits else None,
        "whitebox_audit": whitebox_audits(metrics),
        "refusals": refusals(metrics, read_json(run_dir / "stopped.json", []) if (run_dir / "stopped.json").exists()
                             else None),
        "audit_history": [{k: a.get(k) for k in ("round", "epsilon_lower_bound", "accountant_epsilon")}
                          | {"status": a.get("verdict", {}).get("status")} for a in audits],
        "secret_audit": secret_audits[-1] if secret_audits else None,
        "pii_counts": pii_counts(run_dir, metrics, notes, config),
        "data_quality": data_quality(run_dir, notes),
        "audit_log": {"present": (run_dir / "audit.log").exists(), "verified": log.ok, "entries": len(log.entries), "errors": log.errors[:20],
                      "signer_fingerprint": log.fingerprint},
        "notes": notes,
    }
    report["summary"] = plain_summary(report)
    if report["secret_audit"]:  # the extraction audit's plain-words line, beside ε and ε̂
        report["summary"].append("Data extraction: " + report["secret_audit"]["headline"])
    return report
