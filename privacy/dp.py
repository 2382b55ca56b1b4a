"""Sample-level DP-SGD for LoRA through Opacus, with a privacy budget that lasts across rounds.

Opacus does the clipping, the noise and the accounting; privatune supplies the per-example
gradients itself (privatune.kernels.lora writes `.grad_sample`), so no Opacus hooks run and gradient
checkpointing works. The noise multiplier is calibrated once for the whole planned run
(rounds × local steps at the client's sample rate); ε is always recomputed from the client's
ledger, and a round that would overspend the budget is refused before any step runs.

Imports neither flwr nor presidio (the GPU benchmark machine has neither).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import torch

from privatune.kernels.grad_sample_arena import detach_arena
from privatune.kernels.lora import route_lora_layers, set_per_example

from .ledger import PrivacyLedger

ACCOUNTANTS = ("prv", "rdp")
CLIPPING = ("flat", "per_layer")


class BudgetExhausted(RuntimeError):
    """This round would take the client past its (ε, δ) budget."""


@dataclass(frozen=True)
class DPConfig:
    enabled: bool = True
    target_epsilon: float = 8.0
    delta: float = 1e-5
    max_grad_norm: float = 1.0
    noise_multiplier: float = 0.0  # 0 = calibrate from target ε, δ, sample rate and planned steps
    accountant: str = "prv"
    clipping: str = "flat"
    physical_batch_size: int = 0  # 0 = the whole logical batch at once

    # Run-config keys of this section (RunConfig.from_flower builds `config.dp` from them).
    KEYS: ClassVar[dict[str, str]] = {
        "dp": "enabled", "target-epsilon": "target_epsilon", "delta": "delta", "max-grad-norm": "max_grad_norm",
        "noise-multiplier": "noise_multiplier", "accountant": "accountant", "clipping": "clipping",
        "physical-batch-size": "physical_batch_size",
    }

    def validate(self) -> None:
        if self.accountant not in ACCOUNTANTS:
            raise ValueError(f"run-config 'accountant' must be one of {ACCOUNTANTS}, got '{self.accountant}'")
        if self.clipping not in CLIPPING:
            raise ValueError(f"run-config 'clipping' must be one of {CLIPPING}, got '{self.clipping}'")
        if self.enabled and not (self.target_epsilon > 0 and 0 < self.delta < 1 and self.max_grad_norm > 0):
            raise ValueError("run-config needs target-epsilon > 0, 0 < delta < 1 and max-grad-norm > 0 with dp = true")
        if self.noise_multiplier < 0 or self.physical_batch_size < 0:
            raise ValueError("run-config 'noise-multiplier' and 'physical-batch-size' must be ≥ 0")


@dataclass(frozen=True)
class DPPlan:
    """One round of DP-SGD as the accountant sees it: the settings, σ, the sample rate q and the steps."""

    config: DPConfig
    noise_multiplier: float
    sample_rate: float
    steps: int

    @property
    def history_entry(self) -> tuple[float, float, int]:
        return (self.noise_multiplier, self.sample_rate, self.steps)


# ---- accounting -----------------------------------------------------------------------------------

def make_accountant(kind: str, history: list[tuple[float, float, int]] = ()):
    from opacus.accountants import create_accountant

    accountant = create_accountant(kind)
    accountant.history = list(history)
    return accountant


def epsilon_of(history: list[tuple[float, float, int]], delta: float, accountant: str = "prv") -> float:
    """ε after the whole history (noise multiplier, sample rate, steps); 0 for an empty one."""
    if not history:
        return 0.0
    return float(make_accountant(accountant, history).get_epsilon(delta=delta))


def calibrate_noise(config: DPConfig, sample_rate: float, total_steps: int) -> float:
    """σ that spends exactly the target ε over the planned steps (or the configured override)."""
    if config.noise_multiplier > 0:
        return config.noise_multiplier
    from opacus.accountants.utils import get_noise_multiplier

    return float(get_noise_multiplier(target_epsilon=config.target_epsilon, target_delta=config.delta,
                                      sample_rate=sample_rate, steps=total_steps, accountant=config.accountant))


def check_budget(ledger: PrivacyLedger, plan: DPPlan) -> float:
    """ε after this round if it ran; raises BudgetExhausted, before any step, if that exceeds the target."""
    config = plan.config
    planned = ledger.history() + [plan.history_entry]
    after = epsilon_of(planned, config.delta, config.accountant)
    if after > config.target_epsilon * (1 + 1e-3):  # 1e-3: the accountant's numerical slack
        spent = epsilon_of(ledger.history(), config.delta, config.accountant)
        raise BudgetExhausted(f"this round would raise ε from {spent:.3f} to {after:.3f}, past the budget "
                              f"ε = {config.target_epsilon} (δ = {config.delta})")
    return after


# ---- the optimizer and the sampler ------------------------------------------------------------------

def prepare_model(model: torch.nn.Module) -> None:
    """Route LoRA layers through the Function that writes `.grad_sample`, in per-example mode."""
    if route_lora_layers(model) == 0:
        raise RuntimeError("the model has no PEFT LoRA layers: DP-SGD here trains LoRA adapters only")
    set_per_example(model, True)


def make_optimizer(optimizer: torch.optim.Optimizer, config: DPConfig, noise_multiplier: float,
                   expected_batch_size: int, generator: torch.Generator | None = None, *, flat: bool = True):
    """The DP-SGD optimizer: Opacus semantics and accounting, clipping per config.clipping.

    Flat clipping: privatune's FlatDPOptimizer (an Opacus DPOptimizer working on one flat buffer, fed
    by the grad-sample arena; see flat_dp.py), or Opacus' own DPOptimizer with `flat=False` or when
    the parameters mix dtypes or devices. Per-layer clipping: Opacus' DPPerLayerOptimizer (C/√L per tensor).
    """
    from opacus.optimizers import DPOptimizer, DPPerLayerOptimizer

    from .flat_dp import FlatDPOptimizer, flat_layout_supported

    kwargs = dict(noise_multiplier=noise_multiplier, expected_batch_size=expected_batch_size,
                  loss_reduction="mean", generator=generator)
    params = [p for g in optimizer.param_groups for p in g["params"]]
    if flat and config.clipping == "flat" and flat_layout_supported(params):
        return FlatDPOptimizer(optimizer, max_grad_norm=config.max_grad_norm, **kwargs)
    detach_arena(params)  # an earlier FlatDPOptimizer's arena, should it still be alive
    if config.clipping == "per_layer":
        n = len(params)
        return DPPerLayerOptimizer(optimizer, max_grad_norm=[config.max_grad_norm / math.sqrt(n)] * n, **kwargs)
    return DPOptimizer(optimizer, max_grad_norm=config.max_grad_norm, **kwargs)


def poisson_loader(dataset, sample_rate: float, collate_fn, generator: torch.Generator | None = None):
    """Opacus' DPDataLoader: every example joins each batch independently with probability q."""
    from opacus.data_loader import DPDataLoader

    return DPDataLoader(dataset, sample_rate=sample_rate, collate_fn=collate_fn, generator=generator)


def mark_empty_batch(params: list[torch.nn.Parameter]) -> None:
    """A Poisson batch can be empty; the step still adds noise (the accountant counts it)."""
    for p in params:
        p.grad_sample = torch.zeros((0, *p.shape), dtype=p.dtype, device=p.device)
