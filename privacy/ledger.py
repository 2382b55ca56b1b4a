"""The per-client privacy ledger (DESIGN.md contract 3): durable, append-only, recomputed from scratch.

One JSON line per DP-SGD step group, on the client's own disk:

    {"seq": 7, "round": 3, "noise_multiplier": 0.93, "sample_rate": 0.037, "steps": 1, "sha256": "..."}

Durability: a line is committed once it is written and fsync'd; `seq` numbers lines so none is
counted twice, and the checksum exposes a line torn by a crash (kill -9 mid-write). On opening,
a torn tail is cut off by rewriting the valid prefix to a temporary file, fsync'ing it and renaming
it over the ledger (atomic), so the file always holds exactly the committed steps. ε is never
stored: it is recomputed from the whole history by an Opacus accountant.

Exclusive: opening takes a non-blocking `fcntl.flock` on `<ledger>.lock` (which holds the owner's
pid) for as long as the ledger is open; a second process, or a second open in this one, gets
LedgerLocked naming the file and the pid, instead of both passing the budget check.

Entries with `kind = "gaussian"` are statistics (a noised loss or count) released through the
Gaussian mechanism: sample_rate 1, one step, their own noise multiplier (σ / sensitivity).
Opacus' accountants compose them with the DP-SGD steps like any other (σ, q, steps) entry.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


class LedgerError(RuntimeError):
    """The ledger is damaged beyond a torn last line; it must not be silently repaired."""


class LedgerLocked(LedgerError):
    """Another process (or another open in this one) holds the ledger."""


@dataclass(frozen=True)
class Entry:
    seq: int
    round: int
    noise_multiplier: float
    sample_rate: float
    steps: int
    kind: str = "dp-sgd"  # or "gaussian": a statistic released by the Gaussian mechanism


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class PrivacyLedger:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd: int | None = None
        self._lock()
        try:
            self.entries: list[Entry] = self._load_and_repair()
        except BaseException:
            self.close()
            raise

    # ---- the lock -------------------------------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _lock(self) -> None:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise LedgerLocked(f"privacy ledger {self.path} is in use by process {holder} (lock {self.lock_path}); "
                               "two trainings on one dataset must not spend its budget at once: wait for that "
                               "process to finish or stop it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def close(self) -> None:
        """Release the lock (also on garbage collection); the committed entries stay on disk."""
        if getattr(self, "_lock_fd", None) is not None:
            fd, self._lock_fd = self._lock_fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> "PrivacyLedger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

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
            if obj.get("kind", "dp-sgd") not in ("dp-sgd", "gaussian"):
                raise ValueError(f"unknown kind {obj['kind']!r}")
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
    def record(self, server_round: int, noise_multiplier: float, sample_rate: float, steps: int = 1,
               kind: str = "dp-sgd") -> Entry:
        """Append and fsync one entry; when this returns, the steps are committed."""
        if self._lock_fd is None:
            raise LedgerError(f"{self.path}: the ledger was closed; open it again to record")
        entry = Entry(seq=len(self.entries), round=int(server_round), noise_multiplier=float(noise_multiplier),
                      sample_rate=float(sample_rate), steps=int(steps), kind=str(kind))
        body = entry.__dict__.copy()
        if kind == "dp-sgd":
            del body["kind"]  # lines written before "kind" existed keep their checksums
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

    def rounds(self, kind: str = "dp-sgd") -> list[int]:
        return sorted({e.round for e in self.entries if e.kind == kind})

    def steps(self) -> int:
        """DP-SGD steps recorded (the released statistics not counted)."""
        return sum(e.steps for e in self.entries if e.kind == "dp-sgd")

    # ---- migration ------------------------------------------------------------------------------
    def absorb(self, legacy: Path) -> int:
        """Append every committed entry of an older ledger file (one per run directory, or
        STATE_DIR/privacy-ledger.jsonl) to this one, then rename it `*.migrated`: counting its
        spending here is never less than before (composition only adds). Returns entries taken."""
        with PrivacyLedger(legacy) as old:
            for e in old.entries:
                self.record(e.round, e.noise_multiplier, e.sample_rate, e.steps, e.kind)
            taken = len(old.entries)
        legacy.replace(legacy.with_name(legacy.name + ".migrated"))
        Path(str(legacy) + ".lock").unlink(missing_ok=True)
        _fsync_dir(legacy.parent)
        return taken


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
