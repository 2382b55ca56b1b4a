"""Secure-aggregation settings and the errors the protocol raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from privatune.privacy.secagg.quantize import delta_bound as _delta_bound


class SecAggAborted(RuntimeError):
    """Too few clients left to unmask the sum: the round is abandoned and nothing is aggregated."""


class SecAggProtocolError(ValueError):
    """A peer (or the server) sent something the protocol does not allow; the receiver refuses it."""


@dataclass(frozen=True)
class SecAggConfig:
    """How one secure-aggregation round runs.

    enabled       secure aggregation on (run-config `secure-aggregation`); off, deltas travel in clear.
    threshold     fraction of a node's neighbourhood (itself included) whose shares recover its secrets;
                  at most a (1 - threshold) share of each neighbourhood may drop out. In (0.5, 1].
    clip_norm, learning_rate, local_steps, slack
                  give the per-coordinate delta range B = slack·lr·steps·C (see quantize.py), unless
                  `delta_bound` sets B directly.
    max_weight    largest client weight (number of examples); larger weights are refused.
    degree        SecAgg+ neighbours per client; None = 2·⌈log2 n⌉ (complete graph for small n).
    min_survivors fewest clients whose inputs may be summed (2 keeps one client's input hidden
                  from the server; raise it to hide each input inside a larger crowd).
    timeout       seconds the server waits for each stage's replies; late clients count as dropped.
    """

    enabled: bool = True
    threshold: float = 0.6
    clip_norm: float = 1.0
    learning_rate: float = 1e-3
    local_steps: int = 10
    slack: float = 4.0
    delta_bound: float | None = None
    max_weight: float = 1e6
    degree: int | None = None
    min_survivors: int = 2
    timeout: float | None = 600.0

    # Run-config keys of this section (RunConfig.from_flower builds `config.secagg` from them; the delta
    # range's clip norm, learning rate and local steps come from the training settings).
    KEYS: ClassVar[dict[str, str]] = {
        "secure-aggregation": "enabled", "secagg-threshold": "threshold", "secagg-slack": "slack",
        "secagg-delta-bound": "delta_bound", "secagg-max-weight": "max_weight", "secagg-degree": "degree",
        "secagg-min-survivors": "min_survivors", "secagg-timeout": "timeout",
    }

    def __post_init__(self) -> None:
        if not 0.5 < self.threshold <= 1.0:
            raise ValueError(f"secagg-threshold must be in (0.5, 1], got {self.threshold}")
        if self.min_survivors < 2:
            raise ValueError(f"secagg-min-survivors must be ≥ 2, got {self.min_survivors}")
        if self.delta_bound is not None and not self.delta_bound > 0:
            raise ValueError(f"secagg-delta-bound must be > 0, got {self.delta_bound}")
        self.range()  # validates clip norm, lr, steps, slack

    def range(self) -> float:
        """Per-coordinate bound B on one client's (unweighted) delta."""
        if self.delta_bound is not None:
            return float(self.delta_bound)
        return _delta_bound(self.clip_norm, self.learning_rate, self.local_steps, self.slack)
