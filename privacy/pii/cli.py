"""`privatune scrub IN OUT [...]`: remove PII from a record file before training."""

from __future__ import annotations

import argparse
import json
import sys

from privatune.privacy.pii.config import DEFAULT_ENTITIES, ConfigError, ScrubConfig


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "scrub", help="remove PII from client records (JSONL/CSV/Parquet → JSONL + manifest)",
        description="Scrub PII from a record file offline. Writes OUT (JSONL) and "
                    "OUT.manifest.json (counts and hashes only); training requires that manifest.")
    parser.add_argument("input", help="records: .jsonl, .csv or .parquet")
    parser.add_argument("output", help="scrubbed records, JSONL")
    parser.add_argument("--config", help="institution settings (JSON or TOML; a [scrub] table); "
                                         "flags below override it")
    parser.add_argument("--mode", choices=["placeholder", "pseudonym"])
    parser.add_argument("--hmac-key", dest="hmac_key_path",
                        help="pseudonym key file (created if missing; keep it on this machine)")
    parser.add_argument("--spacy-pipeline", help="installed spaCy pipeline, model directory, or auto")
    parser.add_argument("--allow-pattern-only", action="store_true", default=None,
                        help="scrub without NER when no spaCy pipeline is installed "
                             "(person names and places will NOT be removed)")
    parser.add_argument("--entities", help=f"comma-separated subset of {','.join(DEFAULT_ENTITIES)}")
    parser.add_argument("--fields", help="comma-separated fields to scrub (default: every string "
                                         "in records with a text/instruction/response/messages field)")
    parser.add_argument("--deny", action="append", dest="deny_list", help="term always removed (repeatable)")
    parser.add_argument("--allow", action="append", dest="allow_list", help="term never removed (repeatable)")
    parser.add_argument("--processes", type=int, help="worker processes (default: every core)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def build_config(args: argparse.Namespace) -> ScrubConfig:
    settings = ScrubConfig.from_file(args.config).to_dict() if args.config else {}
    for name in ("mode", "hmac_key_path", "spacy_pipeline", "allow_pattern_only", "processes"):
        if getattr(args, name) is not None:
            settings[name] = getattr(args, name)
    for name in ("entities", "fields"):
        if getattr(args, name):
            settings[name] = tuple(x.strip() for x in getattr(args, name).split(",") if x.strip())
    for name in ("deny_list", "allow_list"):
        if getattr(args, name):
            settings[name] = tuple(settings.get(name, ())) + tuple(getattr(args, name))
    return ScrubConfig.from_dict(settings)


def run(args: argparse.Namespace) -> int:
    from privatune.privacy.pii import scrub_file
    from privatune.privacy.pii.analyzer import AnalyzerSetupError
    from privatune.privacy.pii.readers import ScrubError

    try:
        manifest = scrub_file(args.input, args.output, build_config(args), progress=not args.no_progress)
    except (ConfigError, ScrubError, AnalyzerSetupError) as err:
        print(f"privatune scrub: {err}", file=sys.stderr)
        return 2
    summary = {"records_in": manifest.records_in, "records_out": manifest.records_out,
               "records_rejected": manifest.records_rejected, "rejections": manifest.rejections,
               "entities": manifest.entities, "records_per_second": manifest.records_per_second,
               "manifest": args.output + ".manifest.json"}
    print(json.dumps(summary, indent=2))
    return 0
