"""The misses of the privatune scrubber on a DEV set, with context, for tuning (issue 13).

Prints each leaked PII value and each removed KEEP value with the text around it, grouped by kind.
It refuses the frozen held-out split (benchmarks/pii_heldout/test.jsonl): that split is scored only
by pii_eval.py, in aggregate, and no recognizer change may be tuned on its records.

    python benchmarks/pii_misses.py benchmarks/pii_dev3/dev3.jsonl [--kind RECORD_ID] [--keep]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from pii_eval import PIPELINE, redact  # noqa: E402  (also puts the held-out scorer on the path)
from score import load, occurrences  # noqa: E402

from privatune.privacy.pii.analyzer import PiiAnalyzer  # noqa: E402
from privatune.privacy.pii.config import ScrubConfig  # noqa: E402

FROZEN = (HERE / "pii_heldout" / "test.jsonl").resolve()


def context(text: str, start: int, end: int, width: int = 60) -> str:
    return (text[max(0, start - width):start] + "[[" + text[start:end] + "]]"
            + text[end:end + width // 2]).replace("\n", "⏎").replace("\t", "⇥")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--kind", help="only this kind (RECORD_ID, PERSON, ...)")
    parser.add_argument("--style", help="only records of this style")
    parser.add_argument("--keep", action="store_true", help="removed KEEP values instead of leaks")
    args = parser.parse_args(argv)
    if args.path.resolve() == FROZEN:
        parser.error("the frozen held-out split is not for tuning; use a dev set")
    records = [r for r in load(args.path) if not args.style or r["style"] == args.style]
    texts = [r["text"] for r in records]
    analyzer = PiiAnalyzer(ScrubConfig(spacy_pipeline=PIPELINE))
    outputs = [redact(t, found) for t, found in zip(texts, analyzer.analyze_batch(texts))]
    counts = Counter()
    for record, out in zip(records, outputs):
        for span in record["spans"]:
            is_keep = span["kind"] == "KEEP"
            if is_keep != args.keep or (args.kind and span["kind"] != args.kind):
                continue
            present = bool(occurrences(out, span["value"]))
            if present == (not is_keep):
                counts[span["kind"]] += 1
                print(f"{span['kind']:<12} {record['id']} {record['style']:<20} {record['language']} "
                      f"{context(record['text'], span['start'], span['end'])}")
    print(dict(counts.most_common()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
