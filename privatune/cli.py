"""The `privatune` command line.

Each feature module contributes its sub-commands through an `add_parser(subparsers)` function listed
in COMMANDS, so this file stays a table, not a pile of `if`s.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# module path → that module exposes add_parser(subparsers) which sets `func` on its parser(s)
COMMANDS = [
    "privatune.certs",
    "privatune.demo",
    "privatune.gguf_import",
    "privatune.synthetic",
    "privatune.privacy.audit.cli",
    "privatune.privacy.report.cli",
    "privatune.privacy.pii.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="privatune", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMANDS:
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
