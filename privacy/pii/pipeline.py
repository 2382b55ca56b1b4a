"""The scrub stage: stream a record file through every core, write scrubbed JSONL and a manifest.

Records are read in batches and sent to a pool of worker processes, each holding its own analyzer
(spaCy is not shared across processes). At most two batches per worker are in flight, so memory
stays flat however large the file; results come back in input order. Only counts and hashes are
logged or written to the manifest.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import platform
import time
from collections import Counter, deque
from datetime import datetime, timezone
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from privatune.privacy.pii.anonymize import Anonymizer, key_id, load_or_create_key
from privatune.privacy.pii.config import ScrubConfig
from privatune.privacy.pii.manifest import ScrubManifest, manifest_path_for, sha256_file
from privatune.privacy.pii.readers import (
    RawRecord, ScrubError, check_schema, count_records, detect_format, iter_records,
)

log = logging.getLogger(__name__)
BATCH_RECORDS = 64
KEPT_REJECTIONS = 100  # the manifest lists the first rejected record numbers (never their content)
LIBRARIES = ("privatune", "presidio-analyzer", "spacy", "phonenumbers", "regex")


class RecordScrubber:
    """Scrubs batches of records in one process."""

    def __init__(self, config: ScrubConfig, key: bytes | None):
        from privatune.privacy.pii.analyzer import PiiAnalyzer  # heavy: spaCy + Presidio

        self.config = config
        self.analyzer = PiiAnalyzer(config)
        self.anonymizer = Anonymizer(config.mode, key)

    def scrub_batch(self, batch: list[RawRecord]) -> list[tuple[int, dict | None, str | None, Counter]]:
        outcomes, slots = [], []  # slots: (outcome index, container, key) of each text to scrub
        for raw in batch:
            reason = raw.reason or check_schema(raw.record, self.config.fields)
            outcomes.append([raw.number, None if reason else raw.record, reason, Counter()])
            if reason is None:
                names = self.config.fields or list(raw.record)
                for name in names:
                    _collect_texts(raw.record, name, len(outcomes) - 1, slots)
        texts = [container[key] for _, container, key in slots]
        for (index, container, key), text, results in zip(slots, texts, self.analyzer.analyze_batch(texts)):
            container[key], spans = self.anonymizer.apply(text, results)
            outcomes[index][3].update(span.entity_type for span in spans)
        return [tuple(o) for o in outcomes]


def _collect_texts(container, key, index: int, slots: list) -> None:
    """Every string under container[key] (chat `messages` lists and nested objects included)."""
    value = container[key]
    if isinstance(value, str):
        if value.strip():
            slots.append((index, container, key))
    elif isinstance(value, list):
        for i in range(len(value)):
            _collect_texts(value, i, index, slots)
    elif isinstance(value, dict):
        for k in list(value):
            _collect_texts(value, k, index, slots)


_worker: RecordScrubber | None = None


def _init_worker(config_dict: dict, key: bytes | None) -> None:
    global _worker
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one process per core, one thread each
    _worker = RecordScrubber(ScrubConfig.from_dict(config_dict), key)


def _scrub_in_worker(batch):
    return _worker.scrub_batch(batch)


def _batches(records, size: int):
    records = iter(records)
    while batch := list(islice(records, size)):
        yield batch


def _process_count(config: ScrubConfig) -> int:
    if config.processes:
        return config.processes
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worker_context():
    """Workers fork from a server that has already imported spaCy and Presidio (seconds saved per
    worker), and never from the caller, which may hold threads (a Flower client, torch)."""
    try:
        context = get_context("forkserver")
    except ValueError:  # platforms without fork
        return get_context("spawn")
    context.set_forkserver_preload(["privatune.privacy.pii.analyzer"])
    return context


def _scrubbed_outcomes(batches, config: ScrubConfig, key: bytes | None):
    """Outcomes in input order, from a worker pool (or this process when one is asked for)."""
    processes = _process_count(config)
    if processes == 1:
        scrubber = RecordScrubber(config, key)
        for batch in batches:
            yield from scrubber.scrub_batch(batch)
        return
    with worker_context().Pool(processes, _init_worker, (config.to_dict(), key)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(_scrub_in_worker, (batch,)))
            if len(pending) >= 2 * processes:  # back-pressure: do not read the file ahead
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def library_versions(pipeline: str) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["spacy-pipeline"] = pipeline
    return versions


def _describe_pipeline(config: ScrubConfig) -> str:
    from privatune.privacy.pii.analyzer import PATTERN_ONLY, resolve_pipeline

    name = resolve_pipeline(config.spacy_pipeline, config.allow_pattern_only)
    if name == PATTERN_ONLY:
        return name
    try:
        return f"{name} {importlib.metadata.version(name.replace('_', '-'))}"
    except importlib.metadata.PackageNotFoundError:
        return name


def scrub_file(input_path, output_path, config: ScrubConfig, progress: bool = True) -> ScrubManifest:
    """Scrub `input_path` (JSONL / CSV / Parquet) into JSONL at `output_path` plus its manifest."""
    input_path, output_path = Path(input_path), Path(output_path)
    if not input_path.is_file():
        raise ScrubError(f"{input_path}: no such file")
    if input_path.resolve() == output_path.resolve():
        raise ScrubError(f"{output_path}: output must differ from the input file")
    fmt = detect_format(input_path)
    pipeline = _describe_pipeline(config)  # refuses here, before any work, without NER
    key = load_or_create_key(config.hmac_key_path) if config.mode == "pseudonym" else None
    started = time.perf_counter()
    input_sha256 = sha256_file(input_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = output_path.with_name(output_path.name + ".partial")
    totals = _Totals()
    records = iter_records(input_path, fmt, config.max_record_bytes)
    digest = hashlib.sha256()
    with open(tmp_path, "wb") as out, _progress_bar(progress) as bar:
        task = bar.add_task(f"scrubbing {input_path.name}", total=count_records(input_path, fmt))
        for number, record, reason, counts in _scrubbed_outcomes(
                _batches(records, BATCH_RECORDS), config, key):
            if record is not None:
                line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
                out.write(line)
                digest.update(line)
            totals.add(number, reason, counts)
            bar.advance(task)
    if totals.records_out == 0:
        tmp_path.unlink()
        raise ScrubError(f"{input_path}: no usable record among {totals.records_in}; first problems: "
                         f"{totals.first_problems('line' if fmt == 'jsonl' else 'row')}. "
                         "Fix the file and scrub again")
    tmp_path.replace(output_path)
    seconds = time.perf_counter() - started
    manifest = ScrubManifest(
        input_path=str(input_path), input_sha256=input_sha256, input_format=fmt,
        output_path=str(output_path), output_sha256=digest.hexdigest(),
        records_in=totals.records_in, records_out=totals.records_out,
        records_rejected=totals.records_in - totals.records_out,
        rejections=dict(totals.reasons), rejected_records=totals.rejected,
        entities=dict(sorted(totals.entities.items())), config=config.to_dict(),
        libraries=library_versions(pipeline), nlp_pipeline=pipeline,
        key_id=key_id(key) if key else None, seconds=round(seconds, 3),
        records_per_second=round(totals.records_in / seconds, 1) if seconds else 0.0,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    manifest.check_counts()
    manifest.write(manifest_path_for(output_path))
    log.info("scrubbed %s: %d records in, %d out, %d rejected, %d spans replaced",
             input_path.name, manifest.records_in, manifest.records_out, manifest.records_rejected,
             sum(manifest.entities.values()))
    return manifest


class _Totals:
    def __init__(self):
        self.records_in = self.records_out = 0
        self.reasons: Counter = Counter()
        self.entities: Counter = Counter()
        self.rejected: list[dict] = []

    def add(self, number: int, reason: str | None, counts: Counter) -> None:
        self.records_in += 1
        if reason is None:
            self.records_out += 1
            self.entities.update(counts)
            return
        self.reasons[reason] += 1
        if len(self.rejected) < KEPT_REJECTIONS:
            self.rejected.append({"record": number, "reason": reason})

    def first_problems(self, unit: str) -> str:
        return "; ".join(f"{unit} {r['record']}: {r['reason']}" for r in self.rejected[:3]) or "none"


def _progress_bar(enabled: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), disable=not enabled, transient=False)
