"""LoRA tensors ↔ Flower ArrayRecord (PEFT state-dict names, float32 numpy)."""

from __future__ import annotations

import numpy as np
from flwr.app import Array, ArrayRecord


def to_array_record(state: dict[str, np.ndarray]) -> ArrayRecord:
    return ArrayRecord({k: Array(np.ascontiguousarray(v, dtype=np.float32)) for k, v in state.items()})


def from_array_record(record: ArrayRecord) -> dict[str, np.ndarray]:
    return {k: v.numpy() for k, v in record.items()}
