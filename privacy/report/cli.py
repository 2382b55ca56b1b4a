"""`privatune report build RUN_DIR` and `privatune report verify RUN_DIR`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privatune.privacy.report.build import build_report
from privatune.privacy.report.runcheck import LOG_NAME, verify_run

EXIT_TAMPERED = 1
EXIT_NO_LOG = 2


def add_parser(subparsers) -> None:
    report = subparsers.add_parser("report", help="compliance report and audit-log verification of a run")
    actions = report.add_subparsers(dest="report_command", required=True)

    build = actions.add_parser("build", help="write RUN_DIR/report/report.{json,html}")
    build.add_argument("run_dir", type=Path)
    build.add_argument("--out", type=Path, help="output folder (default RUN_DIR/report)")
    build.add_argument("--signing-key", type=Path, help="the run's Ed25519 key: log the report's SHA-256 in audit.log")
    build.add_argument("--public-key", type=Path, help="pin the signer's public key (PEM) when checking the log")
    build.set_defaults(func=run_build)

    verify = actions.add_parser("verify", help="check audit.log chain, signatures, head and logged artifacts")
    verify.add_argument("run_dir", type=Path)
    verify.add_argument("--public-key", type=Path,
                        help="the signer's public key (PEM) obtained out of band; default RUN_DIR/audit.log.pub")
    verify.set_defaults(func=run_verify)


def run_build(args: argparse.Namespace) -> int:
    if not args.run_dir.is_dir():
        print(f"error: {args.run_dir}: not a run directory", file=sys.stderr)
        return EXIT_NO_LOG
    json_path, html_path = build_report(args.run_dir, args.out, args.signing_key, args.public_key)
    print(f"report: {html_path}\n        {json_path}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    log_path = args.run_dir / LOG_NAME
    if not log_path.exists():
        print(f"error: {log_path}: no audit log to verify", file=sys.stderr)
        return EXIT_NO_LOG
    result = verify_run(args.run_dir, args.public_key)
    if not result.ok:
        print(f"TAMPERED: {log_path} failed verification:", file=sys.stderr)
        for error in result.errors:
            print(f"  - {error}", file=sys.stderr)
        return EXIT_TAMPERED
    pinned = "pinned key" if args.public_key else f"key from {log_path.name}.pub: compare its fingerprint out of band"
    print(f"OK: {len(result.entries)} entries, chain, signatures and head verified; signer SHA-256 "
          f"{result.fingerprint} ({pinned})")
    return 0
