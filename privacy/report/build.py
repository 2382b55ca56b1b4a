"""Build the report of a run: RUN_DIR/report/report.json and report.html (same content)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from privatune.privacy.report.auditlog import AuditLog
from privatune.privacy.report.collect import collect
from privatune.privacy.report.hashing import sha256_file
from privatune.privacy.report.html_page import render
from privatune.privacy.report.plots import all_plots
from privatune.privacy.report.runcheck import LOG_NAME


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def build_report(
    run_dir: str | os.PathLike,
    out_dir: str | os.PathLike | None = None,
    signing_key: str | os.PathLike | None = None,
    public_key_file: str | os.PathLike | None = None,
) -> tuple[Path, Path]:
    """Write report.json and report.html; with `signing_key`, log both files' SHA-256 in audit.log."""
    run_dir = Path(run_dir)
    out = Path(out_dir) if out_dir else run_dir / "report"
    out.mkdir(parents=True, exist_ok=True)
    report = collect(run_dir, public_key_file)
    json_path, html_path = out / "report.json", out / "report.html"
    _write(json_path, json.dumps(report, indent=1, sort_keys=True))
    _write(html_path, render(report, all_plots(report)))
    if signing_key is not None:
        log = AuditLog(run_dir / LOG_NAME, signing_key)
        for path in (json_path, html_path):
            rel = os.path.relpath(path, run_dir)
            if not rel.startswith(".."):  # only artifacts inside the run can be checked by `verify`
                log.append("report-built", path=Path(rel).as_posix(), sha256=sha256_file(path))
    return json_path, html_path
