"""Facts the report finds beyond the run directory's own files, and the plain-language summary.

- the base model: run-config `model`, or (when empty) the embedded model in privatune's cache;
- scrub manifests wherever scrubbing happened: the clients' state dirs (simulation), and next to
  the data when it was scrubbed beforehand (`privatune scrub`), for data-dir and single-site runs;
- client names for people (`client-<index>`, never a 20-digit node id);
- the σ and sample rate actually used (the config's `noise-multiplier = 0` means "calibrate").
Counts, hashes and numbers only: nothing here reads record text.
"""

from __future__ import annotations

import json
from pathlib import Path

from privatune.privacy.pii.manifest import MANIFEST_SUFFIX


def run_settings(config: dict | None) -> dict:
    """The run-config keys of config.json (written as {"fingerprint", "config": {...}} by server.rundir)."""
    config = config or {}
    inner = config.get("config")
    return inner if isinstance(inner, dict) else config


def base_model_path(config: dict) -> Path | None:
    """The base model directory this run used, if it exists on this machine."""
    value = run_settings(config).get("model")
    if isinstance(value, str) and value:
        path = Path(value).expanduser()
        return path if path.is_dir() else None
    if value == "":  # the embedded default, created in privatune's cache on first use
        from privatune.embedded import TINY_MODEL_NAME, cache_dir

        path = cache_dir() / "models" / TINY_MODEL_NAME
        return path if (path / "config.json").is_file() else None
    return None


def manifest_files(run_dir: Path, config: dict) -> dict[str, Path]:
    """{client name: scrub manifest} from the clients' state dirs and from beside the input data."""
    found: dict[str, Path] = {}
    clients = run_dir / "clients"
    for path in sorted(clients.glob(f"*/scrubbed/*{MANIFEST_SUFFIX}")) if clients.is_dir() else []:
        found[path.parents[1].name] = path
    data = run_settings(config).get("data-dir")
    if isinstance(data, str) and data:
        data = Path(data).expanduser()
        candidates = [data.with_name(data.name + MANIFEST_SUFFIX)] if data.is_file() else (
            sorted(data.glob(f"client-*{MANIFEST_SUFFIX}")) if data.is_dir() else [])
        for path in (p for p in candidates if p.is_file()):
            name = path.name.split(".")[0] if data.is_dir() else "client-0"
            found.setdefault(name, path)  # the client's own scrub of the same input counts once
    return found


def manifest_counts(run_dir: Path, config: dict, notes: list[str]) -> dict[str, dict]:
    counts = {}
    for client, path in manifest_files(run_dir, config).items():
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            notes.append(f"{path.name}: unreadable scrub manifest ({type(err).__name__}); left out")
            continue
        entities = manifest.get("entities")
        if isinstance(entities, dict):
            counts[client] = {str(k): v for k, v in entities.items() if isinstance(v, int)}
    return counts


def client_name(client: dict) -> str:
    if client.get("name"):
        return str(client["name"])
    index = client.get("client-index")
    if isinstance(index, int) and index >= 0:
        return f"client-{index}"
    node = str(client.get("node", "?"))
    return node if len(node) <= 8 else f"node …{node[-6:]}"  # a deployment's 20-digit id, shortened


def dp_used(metrics: list[dict]) -> dict[str, dict]:
    """Per client, the noise multiplier and sample rate its DP-SGD steps actually used (last round)."""
    used: dict[str, dict] = {}
    for row in metrics:
        for c in row.get("clients", []):
            if isinstance(c, dict) and isinstance(c.get("noise-multiplier"), (int, float)):
                used[client_name(c)] = {"noise_multiplier": c["noise-multiplier"], "sample_rate": c.get("sample-rate")}
    return used


def plain_summary(report: dict) -> list[str]:
    """A few sentences for a reader who is not an ML engineer: what ran, what it cost, what was checked."""
    config = run_settings(report.get("config"))
    rounds = [r for r in report.get("rounds", []) if r["round"] > 0]
    clients = sorted({c for r in rounds for c in r["clients"]})
    base = (report.get("hashes") or {}).get("base_model")
    model = Path(base["path"]).name if base else (config.get("model") or "the embedded model")
    lines = [f"This run fine-tuned {model} on the records of {len(clients) or 'no'} "
             f"{'site' if len(clients) == 1 else 'sites'} over {len(rounds)} round{'s' * (len(rounds) != 1)}; "
             "only LoRA adapter weights were trained, and no record left a site."]
    pii = report.get("pii_counts") or {}
    if pii:
        total = sum(sum(v for v in per.values() if isinstance(v, (int, float))) for per in pii.values())
        lines.append(f"Before training, {int(total)} pieces of personal information (names, dates, identifiers …) "
                     f"were found and replaced in the records of {len(pii)} client{'s' * (len(pii) != 1)}.")
    dp = report.get("dp") or {}
    if dp.get("max_epsilon") is not None:
        sigma = [u["noise_multiplier"] for u in (dp.get("used") or {}).values()]
        noise = f", with noise σ = {min(sigma):.2f}–{max(sigma):.2f} added to every step" if sigma and min(sigma) != max(sigma) \
            else (f", with noise σ = {sigma[0]:.2f} added to every step" if sigma else "")
        lines.append(f"Differential privacy: each client's privacy loss is at most ε = {dp['max_epsilon']:.2f} "
                     f"(δ = {config.get('delta', '?')}, target ε = {config.get('target-epsilon', '?')}){noise}. "
                     "Smaller ε means stronger protection; ε ≤ 8 is a common bound for sensitive data.")
    else:
        lines.append("No differential privacy was applied: the adapter carries no formal privacy guarantee.")
    secagg = report.get("secure_aggregation") or {}
    if len(clients) > 1:
        lines.append("Secure aggregation was on: the server saw only the sum of the clients' updates."
                     if secagg.get("ran") else "Secure aggregation was off: the server saw each client's update.")
    audit = report.get("audit")
    if audit:
        lines.append(f"A membership test with {audit['num_canaries']} planted test records measured "
                     f"ε̂ = {audit['epsilon_lower_bound']:.2f}: {audit['verdict']['status']}.")
    log = report.get("audit_log") or {}
    lines.append("The signed audit log verifies: these facts have not been altered since they were recorded."
                 if log.get("verified") else "The signed audit log does NOT verify: treat this report as untrusted.")
    return lines
