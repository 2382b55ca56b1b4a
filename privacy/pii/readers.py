"""Reading client records one at a time, and deciding which ones can be scrubbed.

JSONL is read line by line as bytes so one bad line (not UTF-8, not JSON, too large) is rejected
with its line number instead of failing the file; CSV through the csv module; Parquet in row
batches through pyarrow. Nothing is held in memory beyond the current batch.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from privatune.privacy.pii.config import TEXT_FIELDS

FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
           ".parquet": "parquet", ".pq": "parquet"}


class ScrubError(RuntimeError):
    """A file that cannot be scrubbed at all; the message names the file (and line) and the fix."""


@dataclass
class RawRecord:
    number: int  # 1-based line (JSONL), data row (CSV) or row (Parquet)
    record: dict | None
    reason: str | None = None  # why it is rejected; None when usable so far


def detect_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ScrubError(f"{path}: unknown record format {path.suffix!r}; use .jsonl, .csv or .parquet")
    return fmt


def count_records(path: Path, fmt: str) -> int | None:
    """Roughly how many records (for the progress bar): lines, or Parquet rows."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    count = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
    return count - (1 if fmt == "csv" else 0) or None


def iter_records(path: Path, fmt: str, max_bytes: int) -> Iterator[RawRecord]:
    readers = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}
    return readers[fmt](path, max_bytes)


def _jsonl(path: Path, max_bytes: int) -> Iterator[RawRecord]:
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if len(line) > max_bytes:
                yield RawRecord(number, None, f"record over {max_bytes} bytes")
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                yield RawRecord(number, None, "not UTF-8")
                continue
            if not text.strip():
                yield RawRecord(number, None, "empty record")
                continue
            try:
                record = json.loads(text)
            except ValueError:
                yield RawRecord(number, None, "invalid JSON")
                continue
            if not isinstance(record, dict):
                yield RawRecord(number, None, "not a JSON object")
                continue
            yield RawRecord(number, record)


def _csv(path: Path, max_bytes: int) -> Iterator[RawRecord]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # size is checked per record below
    # surrogateescape: a bad byte becomes a lone surrogate, found per record instead of aborting.
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise ScrubError(f"{path}: empty CSV (no header line); the first line must name the fields")
        if any(_has_bad_bytes(name) for name in reader.fieldnames):
            raise ScrubError(f"{path}, line 1: header is not UTF-8; save the file as UTF-8")
        for number, row in enumerate(reader, start=1):
            values = [v for v in row.values() if isinstance(v, str)]
            if None in row:
                yield RawRecord(number, None, "more values than header fields")
            elif sum(len(v.encode("utf-8", "surrogateescape")) for v in values) > max_bytes:
                yield RawRecord(number, None, f"record over {max_bytes} bytes")
            elif any(_has_bad_bytes(v) for v in values):
                yield RawRecord(number, None, "not UTF-8")
            else:
                yield RawRecord(number, dict(row))


def _parquet(path: Path, max_bytes: int) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            number += 1
            reason = None
            for key, value in row.items():
                if isinstance(value, bytes):
                    try:
                        row[key] = value.decode("utf-8")
                    except UnicodeDecodeError:
                        reason = "not UTF-8"
            if reason is None and len(json.dumps(row, default=str)) > max_bytes:
                reason = f"record over {max_bytes} bytes"
            yield RawRecord(number, None if reason else row, reason)


def _has_bad_bytes(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def check_schema(record: dict, fields: tuple[str, ...] | None) -> str | None:
    """Why a parsed record cannot be scrubbed, or None. Names fields, never values."""
    if fields:
        for name in fields:
            if name not in record:
                return f"missing field {name!r}"
            if not isinstance(record[name], (str, list, dict)) and record[name] is not None:
                return f"field {name!r} is not text"
        texts = [record[name] for name in fields]
    else:
        present = [name for name in TEXT_FIELDS if name in record]
        if not present:
            return f"no text field (expected one of {', '.join(TEXT_FIELDS)})"
        texts = [record[name] for name in present]
    if not any(_has_text(value) for value in texts):
        return "empty record"
    return None


def _has_text(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_has_text(v) for v in value)
    if isinstance(value, dict):
        return any(_has_text(v) for v in value.values())
    return False
