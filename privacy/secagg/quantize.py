"""Fixed-point encoding of a weighted LoRA delta into Z_2^32, and back from the sum.

Masks live in Z_2^32 (numpy uint32 arithmetic wraps modulo 2^32 for free), so the upload is 4 bytes per
parameter, the same as fp32. The encoding has to be exact for the *sum* of n clients, i.e. the signed
sum must stay inside [-2^31, 2^31).

The bound. With DP-SGD each step's update is lr × (mean of per-example gradients clipped to norm C
+ Gaussian noise), so after `steps` local steps every coordinate of the delta satisfies
|Δ_k| ≤ ‖Δ‖₂ ≤ lr · steps · C for the clipped part; the noise (std lr·σC/B per step and coordinate) and
adaptive optimizers can exceed it, so the range is B = slack · lr · steps · C with slack 4 by default.
Coordinates outside [-B, B] are clamped (counted and logged on the client, never sent). A client
encodes w·clamp(Δ) with weight w ≤ W (its number of examples, capped by `max_weight`), so with n
clients |Σ w_i Δ_i| ≤ n·W·B and

    value_scale  = (2^31 - 1 - n) / (n · W · B)   (n units spare for rounding up)
    weight_scale = floor((2^31 - 1) / (n · W))   (≥ 1, so integer weights are summed exactly)

Rounding to nearest costs at most 1/2 unit per client and coordinate, so the decoded weighted sum
differs from Σ w_i clamp(Δ_i) by at most n / (2 · value_scale) per coordinate
(`FixedPoint.sum_error_bound`); the Flower workflow returns it as float32, which adds float32
rounding (relative 2^-24).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

SUM_LIMIT = 2**31 - 1  # largest magnitude a signed 32-bit sum may reach
TRAILER_WORDS = 2  # after the delta: the round word, then the weight word
_CHUNK = 1 << 16


def delta_bound(clip_norm: float, learning_rate: float, local_steps: int, slack: float = 4.0) -> float:
    """Per-coordinate range B of one client's delta (see module docstring)."""
    for name, value in (("clip_norm", clip_norm), ("learning_rate", learning_rate),
                        ("local_steps", local_steps), ("slack", slack)):
        if not value > 0:
            raise ValueError(f"secure aggregation bound: {name} must be > 0, got {value}")
    return float(slack * learning_rate * local_steps * clip_norm)


@dataclass(frozen=True)
class Layout:
    """Names and shapes of the delta's tensors; the masked vector is their concatenation (sorted by name)."""

    names: tuple[str, ...]
    shapes: tuple[tuple[int, ...], ...]

    @classmethod
    def from_shapes(cls, shapes: Mapping[str, tuple[int, ...]]) -> Layout:
        names = tuple(sorted(shapes))
        return cls(names, tuple(tuple(int(d) for d in shapes[n]) for n in names))

    @property
    def sizes(self) -> list[int]:
        return [math.prod(shape) for shape in self.shapes]

    @property
    def size(self) -> int:
        return sum(self.sizes)

    def check(self, arrays: Mapping[str, np.ndarray], where: str) -> None:
        """Raise a ValueError naming every tensor whose name or shape differs from the layout."""
        problems = [f"missing {n}" for n in self.names if n not in arrays]
        problems += [f"unexpected {n}" for n in arrays if n not in self.names]
        problems += [
            f"{n} has shape {tuple(arrays[n].shape)}, expected {s}"
            for n, s in zip(self.names, self.shapes) if n in arrays and tuple(arrays[n].shape) != s
        ]
        if problems:
            raise ValueError(f"{where}: delta does not match the round's adapter layout: "
                             + "; ".join(problems[:5]) + " — send the delta of the global adapter's LoRA tensors")

    def flatten(self, arrays: Mapping[str, np.ndarray]) -> np.ndarray:
        return np.concatenate([np.asarray(arrays[n], dtype=np.float32).ravel() for n in self.names])

    def split(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        """Views of `flat` reshaped to each tensor (no copy)."""
        out, start = {}, 0
        for name, shape, size in zip(self.names, self.shapes, self.sizes):
            out[name] = flat[start:start + size].reshape(shape)
            start += size
        return out


@dataclass(frozen=True)
class FixedPoint:
    """The round's encoding; the server fixes it at setup and sends it to every client."""

    delta_bound: float
    max_weight: float
    value_scale: float
    weight_scale: float

    @classmethod
    def for_round(cls, num_clients: int, delta_bound: float, max_weight: float) -> FixedPoint:
        if num_clients < 1 or delta_bound <= 0 or max_weight <= 0:
            raise ValueError(f"fixed point needs clients ≥ 1, bound > 0, max weight > 0; got "
                             f"{num_clients}, {delta_bound}, {max_weight}")
        weight_scale = math.floor(SUM_LIMIT / (num_clients * max_weight))
        if weight_scale < 1:
            raise ValueError(f"secagg max-weight {max_weight} × {num_clients} clients exceeds 2^31; lower "
                             "`secagg-max-weight` in the run config")
        # n fewer than the limit: each client's rounding may add ½ unit beyond n·W·B·scale
        value_scale = (SUM_LIMIT - num_clients) / (num_clients * max_weight * delta_bound)
        return cls(delta_bound, max_weight, value_scale, float(weight_scale))

    def encode(self, flat_delta: np.ndarray, weight: float, round_word: int = 0) -> tuple[np.ndarray, int]:
        """uint32 vector [w·Δ quantised..., round word, w quantised] and the number of clamped coordinates.

        The round word sits inside the masked vector so an upload masked for another round (whose
        masks do not cancel here) cannot be told apart from garbage: the server checks Σ round words.
        """
        if not 0 < weight <= self.max_weight:
            raise ValueError(f"client weight {weight} outside (0, {self.max_weight}]; raise "
                             "`secagg-max-weight` in the run config")
        flat_delta = np.asarray(flat_delta).ravel()
        encoded = np.empty(flat_delta.size + TRAILER_WORDS, dtype=np.uint32)
        factor, bound, clamped = weight * self.value_scale, self.delta_bound, 0
        for start in range(0, flat_delta.size, _CHUNK):  # chunks stay in cache: ~3× faster than whole-array passes
            values = flat_delta[start:start + _CHUNK].astype(np.float64)
            if not np.isfinite(values.sum()):
                raise ValueError("delta holds NaN or inf; refusing to aggregate it")
            clamped += int(np.count_nonzero(values > bound)) + int(np.count_nonzero(values < -bound))
            np.clip(values, -bound, bound, out=values)
            values *= factor
            np.rint(values, out=values)
            # one client's value fits in int32 (|w·Δ·scale| < 2^31 / n); its bits are the Z_2^32 residue
            encoded[start:start + values.size] = values.astype(np.int32).view(np.uint32)
        encoded[-2] = np.uint32(round_word % 2**32)
        encoded[-1] = np.uint32(round(weight * self.weight_scale))
        return encoded, clamped

    def decode_sum(self, summed: np.ndarray) -> tuple[np.ndarray, float]:
        """(Σ w_i Δ_i as float64, Σ w_i) from the unmasked uint32 sum."""
        signed = summed.view(np.int32)
        values = signed[:-TRAILER_WORDS].astype(np.float64) / self.value_scale
        return values, float(summed[-1]) / self.weight_scale

    def weight_error_bound(self, num_summed: int) -> float:
        """Largest error of the decoded Σ w_i from rounding each weight to 1/weight_scale."""
        return num_summed / (2.0 * self.weight_scale)

    def sum_error_bound(self, num_summed: int) -> float:
        """Largest per-coordinate error of the decoded weighted sum from quantisation alone."""
        return num_summed / (2.0 * self.value_scale)

    def to_list(self) -> list[float]:
        return [float(self.delta_bound), float(self.max_weight), float(self.value_scale), float(self.weight_scale)]

    @classmethod
    def from_list(cls, values: list[float]) -> FixedPoint:
        return cls(*(float(v) for v in values))
