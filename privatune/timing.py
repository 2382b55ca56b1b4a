"""Per-process stage timers, and a Flower client mod that writes them down once per message.

The code that does the work says what a stage is (`with stage("model-load")`, `count("train-tokens",
n)`); `timing_mod(folder)` snapshots the counters around each message a ClientApp handles and appends
one JSON line to `folder/timings-<pid>.jsonl`: wall time, stage seconds, counts, GPU memory of the
process and the bytes of the reply. Only times, sizes and counts: never record text, and nothing that
is a statistic of the records beyond what the reply itself already releases (sizes of sent tensors).
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

SECONDS: dict[str, float] = defaultdict(float)  # this process's totals since it started
COUNTS: dict[str, int] = defaultdict(int)
STARTED: dict[str, float] = {}  # wall-clock start of each stage's latest run


@contextmanager
def stage(name: str):
    """Add the wall time of the block to SECONDS[name] (waits for the GPU, so the time is the work's)."""
    started = time.perf_counter()
    STARTED[name] = time.time()
    try:
        yield
    finally:
        _sync()
        SECONDS[name] += time.perf_counter() - started
        COUNTS[name + "-calls"] += 1


def timed(name: str):
    """Decorator form of `stage`."""
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            with stage(name):
                return fn(*args, **kwargs)
        return inner
    return wrap


def count(name: str, value: int = 1) -> None:
    COUNTS[name] += int(value)


def _sync() -> None:
    import sys

    torch = sys.modules.get("torch")  # never import torch just to time something
    if torch is not None and torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.synchronize()


def gpu_memory() -> dict:
    """This process's CUDA allocator figures in MiB (empty without CUDA)."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_available() or not torch.cuda.is_initialized():
        return {}
    mib = 2**20
    return {"allocated-mib": torch.cuda.memory_allocated() / mib,
            "max-allocated-mib": torch.cuda.max_memory_allocated() / mib,
            "reserved-mib": torch.cuda.memory_reserved() / mib}


def reset_peak() -> None:
    import sys

    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.reset_peak_memory_stats()


def payload_bytes(content) -> int:
    """Bytes of the values in a Flower RecordDict: array buffers, bytes and strings, 8 per number."""
    total = 0
    for record in content.values():
        for value in record.values():
            total += _value_bytes(value)
    return total


def _value_bytes(value) -> int:
    data = getattr(value, "data", None)  # flwr Array
    if isinstance(data, (bytes, bytearray)):
        return len(data)
    if isinstance(value, (bytes, bytearray, str)):
        return len(value)
    if isinstance(value, (list, tuple)):
        return sum(_value_bytes(v) for v in value)
    return 8


def _round_of(msg) -> int:
    if msg.has_content():
        for record in msg.content.config_records.values():
            for key in ("server-round", "round"):
                if key in record:
                    return int(record[key])
    return -1


def timing_mod(folder: str | Path):
    """A Flower client mod: one JSON line per handled message in `folder/timings-<pid>.jsonl`."""
    folder = Path(folder)

    def mod(msg, context, call_next):
        # The module's own counters, looked up here: Ray pickles this closure by value, and the
        # globals it captured would be the driver's copies, not this client process's.
        from privatune import timing

        seconds, counts = dict(timing.SECONDS), dict(timing.COUNTS)
        timing.reset_peak()
        started_at, started = time.time(), time.perf_counter()
        reply = call_next(msg, context)
        timing._sync()
        wall = time.perf_counter() - started
        now_s, now_c = timing.SECONDS, timing.COUNTS
        entry = {"pid": os.getpid(), "node": int(context.node_id),
                 "partition": int(context.node_config.get("partition-id", -1)),
                 "type": msg.metadata.message_type, "round": timing._round_of(msg),
                 "group": msg.metadata.group_id, "start": started_at, "wall-s": wall,
                 "stages-s": {k: v - seconds.get(k, 0.0) for k, v in now_s.items() if v != seconds.get(k, 0.0)},
                 "counts": {k: v - counts.get(k, 0) for k, v in now_c.items() if v != counts.get(k, 0)},
                 "stage-starts": {k: v for k, v in timing.STARTED.items() if v >= started_at},
                 "process-totals": {"model-loads": now_c.get("model-load-calls", 0)},
                 "sent-bytes": timing.payload_bytes(reply.content) if reply.has_content() else 0,
                 "received-bytes": timing.payload_bytes(msg.content) if msg.has_content() else 0,
                 **timing.gpu_memory()}
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"timings-{os.getpid()}.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        return reply

    return mod
