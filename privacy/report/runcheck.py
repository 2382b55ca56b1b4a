"""Verify a run directory: its audit log, and every artifact the log names by path and SHA-256."""

from __future__ import annotations

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


def verify_run(run_dir: str | Path, public_key_file: str | Path | None = None) -> auditlog.Verification:
    run_dir = Path(run_dir)
    key = auditlog.load_public_key(public_key_file) if public_key_file else None
    result = auditlog.verify(run_dir / LOG_NAME, key)
    if result.entries:
        result.errors.extend(verify_artifacts(run_dir, result.entries))
    result.ok = not result.errors
    return result
