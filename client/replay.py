"""A DP reply the client already released is sent again, never recomputed: a repeat spends no ε.

A ServerApp that dies after its round's messages went out asks the same round again when it resumes
(server/rundir.py restarts from the last committed round). The client's steps for that round are in
its ledger already: training again would spend the round twice, and a budget calibrated for the run
would refuse it, so the resumed run could not finish. Sending one released value a second time
reveals nothing the first sending did not (post-processing), so the client keeps each DP reply it
computes — the noised delta and the numbers it released, never records — in its state directory,
keyed by everything the reply depends on: the effective run config, the records, the message type,
the round, the global adapter it was sent and the auditor's canaries. The same request gets the same
reply; a request that differs in any of these is new work and goes through the budget check.

Only the latest `KEEP` replies of a dataset are kept (a resume repeats the last round, not older ones).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import save_file

KEEP = 4
FOLDER = "replies"


def request_key(*, stage: str, config_repr: str, records_id: str, server_round: int,
                global_state: dict[str, np.ndarray], canaries: list[str] = ()) -> str:
    """SHA-256 over everything a DP reply depends on."""
    h = hashlib.sha256()
    for part in (stage, config_repr, records_id, str(int(server_round)), json.dumps(list(canaries))):
        h.update(part.encode())
        h.update(b"\0")
    for name in sorted(global_state):
        value = np.ascontiguousarray(global_state[name])
        h.update(f"{name}:{value.dtype.str}:{value.shape}".encode())
        h.update(value.tobytes())
    return h.hexdigest()


def load(state_dir: Path, key: str) -> tuple[dict[str, np.ndarray], dict] | None:
    """(arrays, metrics) of the reply stored under `key`, or None."""
    path = Path(state_dir) / FOLDER / f"{key}.safetensors"
    if not path.exists():
        return None
    with safe_open(str(path), framework="numpy") as f:
        return {name: f.get_tensor(name) for name in f.keys()}, json.loads(f.metadata()["metrics"])


def store(state_dir: Path, key: str, arrays: dict[str, np.ndarray], metrics: dict, *, stage: str,
          server_round: int) -> Path:
    """Write the reply durably (temporary file, fsync, rename) before it is sent; keep the latest KEEP."""
    folder = Path(state_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.safetensors"
    tmp = folder / f".{key}.tmp"
    tensors = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    save_file(tensors, str(tmp), metadata={"metrics": json.dumps(metrics, sort_keys=True), "stage": stage,
                                           "round": str(int(server_round))})
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    older = sorted(folder.glob("*.safetensors"), key=lambda p: p.stat().st_mtime_ns)[:-KEEP]
    for old in older:
        old.unlink(missing_ok=True)
    return path


def kept(state_root: Path) -> list[tuple[str, int]]:
    """(stage, round) of every reply kept under a node's state root (numbers only: for operators)."""
    out = []
    for path in sorted(Path(state_root).rglob(f"{FOLDER}/*.safetensors")):
        with safe_open(str(path), framework="numpy") as f:
            meta = f.metadata()
        out.append((meta["stage"], int(meta["round"])))
    return out
