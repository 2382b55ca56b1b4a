"""Weighted FedAvg of LoRA deltas, with a strict check of what clients sent."""

from __future__ import annotations

import numpy as np


class ReplyError(ValueError):
    """A client's reply breaks DESIGN.md contract 2."""


def check_delta(delta: dict[str, np.ndarray], reference: dict[str, np.ndarray], node: int) -> None:
    """A delta must hold exactly the LoRA tensors of the global adapter, same shapes, finite."""
    if set(delta) != set(reference):
        extra = sorted(set(delta) - set(reference))[:3]
        missing = sorted(set(reference) - set(delta))[:3]
        raise ReplyError(f"node {node} sent arrays that are not the global LoRA tensors "
                         f"(unexpected {extra}, missing {missing})")
    for key, value in delta.items():
        if value.shape != reference[key].shape:
            raise ReplyError(f"node {node}: '{key}' has shape {value.shape}, expected {reference[key].shape}")
        if not np.isfinite(value).all():
            raise ReplyError(f"node {node}: '{key}' holds NaN or inf")


class RunningSum:
    """Σ wᵢ·δᵢ and Σ wᵢ in float64, one delta at a time: memory is one model, whatever the clients."""

    def __init__(self, reference: dict[str, np.ndarray]):
        self.sum = {k: np.zeros(v.shape, dtype=np.float64) for k, v in reference.items()}
        self.weights: list[float] = []

    def add(self, delta: dict[str, np.ndarray], weight: float) -> None:
        for key, acc in self.sum.items():
            acc += weight * delta[key].astype(np.float64)
        self.weights.append(float(weight))

    def mean(self) -> dict[str, np.ndarray]:
        """Σ wᵢ·δᵢ / Σ wᵢ as float32."""
        if not self.weights:
            raise ValueError("no deltas to aggregate")
        total = float(sum(self.weights))
        if total <= 0:
            raise ValueError(f"weights must sum to > 0, got {self.weights}")
        return {k: (acc / total).astype(np.float32) for k, acc in self.sum.items()}


def weighted_delta(deltas: list[dict[str, np.ndarray]], weights: list[float]) -> dict[str, np.ndarray]:
    """Σ wᵢ·δᵢ / Σ wᵢ, accumulated in float64, returned as float32."""
    if not deltas:
        raise ValueError("no deltas to aggregate")
    total = RunningSum(deltas[0])
    for delta, weight in zip(deltas, weights):
        total.add(delta, weight)
    return total.mean()


def apply_delta(state: dict[str, np.ndarray], delta: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: (state[k].astype(np.float32) + delta[k]).astype(np.float32) for k in state}
