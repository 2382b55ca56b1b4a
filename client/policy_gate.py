"""The client's privacy gate: its policy, its dataset's ledger, refusals and DP-released statistics.

Everything here runs on the client before anything leaves it (DESIGN.md contracts 2 and 3):
- `node_policy` reads the SuperNode's policy (privacy/policy.py); `gate_config` applies it to the
  run config or refuses;
- `open_ledger` opens the one ledger of the records this node trains on, in the node's state
  directory (never the run directory), locked, absorbing a ledger an older version kept elsewhere;
- `refusal` is the reply a refusing client sends: a MetricRecord {"refused": 1} plus a ConfigRecord
  with the reason (MetricRecords hold numbers only); the server logs it and writes it to metrics.jsonl;
- `DPStatistics` releases the example counts (once per dataset, for life) and the loss sums through
  the Gaussian mechanism, each recorded in the ledger before it exists.
"""

from __future__ import annotations

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

import torch
from flwr.app import ConfigRecord, Context, Message, MetricRecord, RecordDict

from privatune.config import RunConfig
from privatune.data import TokenDataset, collate
from privatune.privacy.dp import (BudgetExhausted, DPConfig, check_release_budget, clipped_loss_sum,
                                  count_released, release, released_count)
from privatune.privacy.ledger import PrivacyLedger
from privatune.privacy.policy import ClientPolicy, PolicyRefused, effective
from privatune.privacy.report.hashing import sha256_file

log = logging.getLogger("privatune.client")

REFUSAL_KEY = "refusal"  # ConfigRecord {"reason": "refused: policy ...", "stage": "train" | "evaluate"}
LEGACY_LEDGER = "privacy-ledger.jsonl"


def node_policy(context: Context) -> ClientPolicy:
    return _policy(tuple(sorted((k, str(v)) for k, v in context.node_config.items())))


@lru_cache(maxsize=16)
def _policy(items: tuple) -> ClientPolicy:
    return ClientPolicy.from_node_config(dict(items))


def gate_config(context: Context, config: RunConfig) -> RunConfig:
    """The run config under this node's policy; PolicyRefused before anything is loaded or trained."""
    return effective(node_policy(context), config)


def partition(context: Context) -> int:
    return int(context.node_config.get("partition-id", -1))


def state_dir(context: Context, data_path: Path) -> Path:
    """This node's working state for one data file (scrubbed copy, counts): under the policy's state root."""
    key = hashlib.sha256(str(data_path.resolve()).encode()).hexdigest()[:16]
    return node_policy(context).state_root() / "data" / key


@lru_cache(maxsize=32)
def _records_id(path: str, size: int, mtime_ns: int) -> str:
    return sha256_file(path)


def records_id(data_path: Path) -> str:
    """The identity of the records: SHA-256 of the file the node trains from (cached while unchanged)."""
    st = os.stat(data_path)
    return _records_id(str(data_path), st.st_size, st.st_mtime_ns)


def open_ledger(context: Context, config: RunConfig, data_path: Path) -> PrivacyLedger:
    """The locked ledger of these records; a ledger an older privatune kept in the run directory
    (simulation) or directly in the node's state-dir is absorbed into it once."""
    policy = node_policy(context)
    ledger = PrivacyLedger(policy.ledger_path(records_id(data_path)))
    legacy = [Path(config.run_dir) / "clients" / f"client-{partition(context)}" / LEGACY_LEDGER]
    if policy.state_dir is not None:
        legacy.append(policy.state_dir / LEGACY_LEDGER)
    for old in legacy:
        if old.exists() and old.resolve() != ledger.path.resolve():
            taken = ledger.absorb(old)
            log.warning("privacy ledger %s: absorbed %d entries of the older ledger %s (renamed *.migrated)",
                        ledger.path, taken, old)
    return ledger


def refusal(msg: Message, reason: str, stage: str, **numbers) -> Message:
    log.warning("%s refused: %s", stage, reason)
    metrics = MetricRecord({"refused": 1, "num-examples": 0, **numbers})
    return Message(RecordDict({"metrics": metrics, REFUSAL_KEY: ConfigRecord({"reason": reason, "stage": stage})}),
                   reply_to=msg)


def planned_releases(config: RunConfig) -> int:
    """Statistics a full run releases: a train loss per round, an eval loss per evaluation, two counts."""
    return config.num_rounds + (config.num_rounds + 1) + 2


class DPStatistics:
    """Counts and losses the client reports under DP: clipped, Gaussian-noised, in the ledger first."""

    def __init__(self, dp: DPConfig, ledger: PrivacyLedger, server_round: int):
        self.dp, self.ledger, self.round = dp, ledger, server_round

    def pending(self, name: str) -> int:
        return 0 if count_released(name, self.ledger) else 1

    def afford(self, releases: int) -> None:
        """BudgetExhausted unless `releases` more statistics fit in the budget."""
        check_release_budget(self.ledger, self.dp, releases)

    def count(self, name: str, n: int) -> int:
        return released_count(name, n, self.dp, self.ledger, self.round)

    def loss_sum(self, clipped_sum: float) -> float:
        """A sum of per-example losses clipped to [0, loss_bound]: sensitivity loss_bound."""
        return release(clipped_sum, self.dp.loss_bound, self.dp, self.ledger, self.round)


@torch.no_grad()
def clipped_eval_sum(model, dataset: TokenDataset, batch_size: int, dp: DPConfig) -> float:
    """Σ over the held-out records of the per-example loss clipped to [0, loss_bound]."""
    from .trainer import _to, per_example_loss

    device = next(model.parameters()).device
    model.eval()
    total = 0.0
    for start in range(0, len(dataset), batch_size):
        batch = collate([dataset[i] for i in range(start, min(start + batch_size, len(dataset)))], dataset.pad_id)
        total += clipped_loss_sum(per_example_loss(model, _to(batch, device)), dp)
    return total


__all__ = ["BudgetExhausted", "DPStatistics", "PolicyRefused", "REFUSAL_KEY", "clipped_eval_sum", "gate_config",
           "node_policy", "open_ledger", "planned_releases", "records_id", "refusal", "state_dir"]
