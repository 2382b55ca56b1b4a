"""The per-client privacy ledger (DESIGN.md contract 3): durable, append-only, recomputed from scratch.

One JSON line per DP-SGD step group, on the client's own disk:

    {"seq": 7, "round": 3, "noise_multiplier": 0.93, "sample_rate": 0.037, "steps": 1, "sha256": "..."}

Durability: a line is committed once it is written and fsync'd; `seq` numbers lines so none is
counted twice, and the checksum exposes a line torn by a crash (kill -9 mid-write). On opening,
a torn tail is cut off by rewriting the valid prefix to a temporary file, fsync'ing it and renaming
it over the ledger (atomic), so the file always holds exactly the committed steps. ε is never
stored: it is recomputed from the whole history by an Opacus accountant.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


class LedgerError(RuntimeError):
    """The ledger is damaged beyond a torn last line; it must not be silently repaired."""


@dataclass(frozen=True)
class Entry:
    seq: int
    round: int
    noise_multiplier: float
    sample_rate: float
    steps: int


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class PrivacyLedger:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.entries: list[Entry] = self._load_and_repair()

    # ---- reading --------------------------------------------------------------------------------
    def _load_and_repair(self) -> list[Entry]:
        if not self.path.exists():
            return []
        raw = self.path.read_bytes()
        lines = raw.split(b"\n")
        entries, kept = [], []
        for number, line in enumerate(lines, start=1):
            last = number == len(lines)  # the only line a crash can have torn: no newline after it
            if not line:
                if not last:
                    raise LedgerError(f"{self.path}, line {number}: empty line inside the ledger")
                continue
            entry = self._parse(line, torn_ok=last)
            if entry is None:
                break
            if entry.seq != len(entries):
                raise LedgerError(f"{self.path}, line {number}: seq {entry.seq} where {len(entries)} was expected")
            entries.append(entry)
            kept.append(line + b"\n")
        if b"".join(kept) != raw:
            self._rewrite(b"".join(kept))
        return entries

    def _parse(self, line: bytes, torn_ok: bool = False) -> Entry | None:
        try:
            obj = json.loads(line)
            digest = obj.pop("sha256")
            if digest != _checksum(obj):
                raise ValueError("checksum mismatch")
            return Entry(**obj)
        except (ValueError, KeyError, TypeError) as err:
            if torn_ok:
                return None
            raise LedgerError(f"{self.path}: a committed line is damaged ({err}); restore the ledger from "
                              "backup — privacy spending cannot be reconstructed otherwise") from None

    def _rewrite(self, content: bytes) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(self.path)
        _fsync_dir(self.path.parent)

    # ---- writing --------------------------------------------------------------------------------
    def record(self, server_round: int, noise_multiplier: float, sample_rate: float, steps: int = 1) -> Entry:
        """Append and fsync one entry; when this returns, the steps are committed."""
        entry = Entry(seq=len(self.entries), round=int(server_round), noise_multiplier=float(noise_multiplier),
                      sample_rate=float(sample_rate), steps=int(steps))
        body = entry.__dict__.copy()
        line = json.dumps({**body, "sha256": _checksum(body)}, sort_keys=True) + "\n"
        new_file = not self.path.exists()
        with self.path.open("ab") as f:
            f.write(line.encode())
            f.flush()
            os.fsync(f.fileno())
        if new_file:
            _fsync_dir(self.path.parent)
        self.entries.append(entry)
        return entry

    # ---- history for the accountant ---------------------------------------------------------------
    def history(self) -> list[tuple[float, float, int]]:
        """(noise_multiplier, sample_rate, steps) runs, as Opacus accountants keep them."""
        runs: list[tuple[float, float, int]] = []
        for e in self.entries:
            if runs and runs[-1][:2] == (e.noise_multiplier, e.sample_rate):
                runs[-1] = (e.noise_multiplier, e.sample_rate, runs[-1][2] + e.steps)
            else:
                runs.append((e.noise_multiplier, e.sample_rate, e.steps))
        return runs

    def rounds(self) -> list[int]:
        return sorted({e.round for e in self.entries})


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
