"""Verify a run directory: its audit log, every artifact the log names by path and SHA-256, and
every line of metrics.jsonl (each `round-committed` event pins its round's line)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from privatune.privacy.report import auditlog
from privatune.privacy.report.hashing import sha256_tree

LOG_NAME = "audit.log"


def verify_artifacts(run_dir: Path, entries: list[dict]) -> list[str]:
    """Events with fields `path` (relative to the run) and `sha256` pin that artifact's content.

    Only the latest event per path counts, so a report rebuilt and logged again is not an error.
    """
    latest: dict[str, tuple[int, str]] = {}
    for entry in entries:
        fields = entry.get("fields", {})
        if isinstance(fields.get("path"), str) and isinstance(fields.get("sha256"), str):
            latest[fields["path"]] = (entry["seq"], fields["sha256"])
    errors = []
    root = run_dir.resolve()
    for rel, (seq, digest) in sorted(latest.items()):
        target = (run_dir / rel).resolve()
        if root not in target.parents and target != root:
            errors.append(f"log entry {seq}: path {rel!r} points outside the run directory")
        elif not target.exists():
            errors.append(f"{rel}: named in log entry {seq} but missing")
        elif sha256_tree(target) != digest:
            errors.append(f"{rel}: content differs from the SHA-256 in log entry {seq} (changed after it was logged)")
    return errors


def metrics_line_digest(line: str) -> str:
    return hashlib.sha256(line.strip().encode("utf-8")).hexdigest()


def verify_metrics(run_dir: Path, entries: list[dict]) -> list[str]:
    """Every metrics.jsonl line must match the digest its round's latest `round-committed` event pinned,
    and every pinned round must still have its line (so an edited eval loss, or a removed round, fails)."""
    pinned: dict[int, tuple[int, str]] = {}
    for entry in entries:
        fields = entry.get("fields", {})
        if entry.get("event") == "round-committed" and isinstance(fields.get("metrics_sha256"), str):
            pinned[fields.get("round")] = (entry["seq"], fields["metrics_sha256"])
    path = run_dir / "metrics.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    errors, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            server_round = json.loads(line).get("round")
        except (ValueError, AttributeError):
            errors.append(f"metrics.jsonl line {number}: not a JSON object (changed after it was logged)")
            continue
        seen.add(server_round)
        if server_round not in pinned:
            errors.append(f"metrics.jsonl line {number} (round {server_round}): not pinned by any round-committed "
                          "event in the audit log")
        elif metrics_line_digest(line) != pinned[server_round][1]:
            errors.append(f"metrics.jsonl line {number} (round {server_round}): differs from the SHA-256 in log "
                          f"entry {pinned[server_round][0]} (changed after it was logged)")
    for server_round, (seq, _) in sorted(pinned.items(), key=lambda kv: str(kv[0])):
        if server_round not in seen:
            errors.append(f"metrics.jsonl: round {server_round}, pinned in log entry {seq}, is missing")
    return errors


def verify_run(run_dir: str | Path, public_key_file: str | Path | None = None) -> auditlog.Verification:
    run_dir = Path(run_dir)
    key = auditlog.load_public_key(public_key_file) if public_key_file else None
    result = auditlog.verify(run_dir / LOG_NAME, key)
    if result.entries:
        result.errors.extend(verify_artifacts(run_dir, result.entries))
        result.errors.extend(verify_metrics(run_dir, result.entries))
    result.ok = not result.errors
    return result
