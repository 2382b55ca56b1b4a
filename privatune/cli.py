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
    "privatune.single_site",
    "privatune.export",
    "privatune.gguf_import",
    "privatune.synthetic",
    "privatune.privacy.audit.cli",
    "privatune.privacy.report.cli",
    "privatune.privacy.pii.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="privatune", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error, and debug logs")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMANDS:
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.debug:
        return int(args.func(args) or 0)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except Exception as err:  # one clean line; --debug shows the traceback
        print(f"privatune {args.command}: error: {_message(err)}", file=sys.stderr)
        print("(run with `privatune --debug ...` for the traceback)", file=sys.stderr)
        return 1


def _message(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text if type(err).__module__.startswith(("privatune", "builtins")) else f"{text} ({type(err).__name__})"

if __name__ == "__main__":
    sys.exit(main())
