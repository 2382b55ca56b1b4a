"""Flower ServerApp: sample clients, send the global adapter, average their LoRA deltas, checkpoint.

The loop drives Flower's Grid directly (Message API), so resuming, privacy budgets and secure
aggregation can hook into it without a Strategy subclass per feature. Every round ends with the
global adapter on disk in PEFT format (see rundir.py); a restarted server continues from there.
"""

from __future__ import annotations

import logging
import math
import random
import time
from typing import Callable

import numpy as np
from flwr.app import ConfigRecord, Context, Message, MessageType, RecordDict
from flwr.serverapp import Grid, ServerApp

from privatune.config import RunConfig
from privatune.model import initial_lora_state, load_model, save_adapter
from privatune.arrays import from_array_record, to_array_record

from .aggregate import apply_delta, check_delta, weighted_delta
from .auditing import RunAuditor
from .rundir import RunDir
from .secagg_workflow import SecAggAborted, secure_sum

log = logging.getLogger("privatune.server")

OnRound = Callable[[int, dict, dict], None]  # (round, metrics, global LoRA state)


class RoundFailed(RuntimeError):
    """Too few clients answered; nothing of this round is written."""


def wait_for_nodes(grid: Grid, count: int, timeout: float = 600.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while len(nodes := sorted(grid.get_node_ids())) < count:
        if time.monotonic() > deadline:
            raise RoundFailed(f"only {len(nodes)} of the {count} clients needed connected within {timeout:.0f} s")
        time.sleep(1.0)
    return nodes


def sample_nodes(nodes: list[int], config: RunConfig, server_round: int) -> list[int]:
    count = min(len(nodes), max(config.min_clients, round(config.fraction_train * len(nodes))))
    return sorted(random.Random(f"{config.seed}/{server_round}").sample(nodes, count))


def _send(grid: Grid, nodes: list[int], message_type: str, state: dict, server_round: int,
          per_node: dict[int, dict] | None = None) -> list[Message]:
    """The global adapter to every node; `per_node` adds node-specific config (its canaries)."""
    arrays = to_array_record(state)
    messages = [Message(RecordDict({"arrays": arrays, "config": ConfigRecord(
                    {"server-round": server_round, **(per_node or {}).get(node, {})})}),
                        dst_node_id=node, message_type=message_type) for node in nodes]
    replies = list(grid.send_and_receive(messages))
    for reply in replies:
        if reply.has_error():
            log.warning("round %d: node %d failed %s: %s", server_round, reply.metadata.src_node_id,
                        message_type, reply.error.reason)
    return [r for r in replies if not r.has_error()]


def federated_evaluate(grid: Grid, nodes: list[int], state: dict, server_round: int) -> dict:
    replies = _send(grid, nodes, MessageType.EVALUATE, state, server_round)
    if not replies:
        raise RoundFailed(f"round {server_round}: no client returned an evaluation")
    metrics = [r.content["metrics"] for r in replies]
    total = sum(m["num-examples"] for m in metrics)
    return {"eval-loss": sum(m["eval-loss"] * m["num-examples"] for m in metrics) / total,
            "eval-examples": total}


def train_round(grid: Grid, nodes: list[int], state: dict, server_round: int, config: RunConfig,
                canaries: dict[int, list[str]] | None = None) -> tuple[dict, dict]:
    """One round of FedAvg over LoRA deltas; returns (new global state, round metrics).

    The aggregation stage is plain weighted FedAvg of the deltas in the replies, or, with secure
    aggregation, the SecAgg+ stages: then the train replies carry metrics only and the server sees
    only the weighted sum. Clients whose privacy budget is spent answer `budget-exhausted`; they
    are listed in metrics["exhausted"].
    """
    per_node = {node: {"canaries": texts} for node, texts in (canaries or {}).items() if texts}
    replies = _send(grid, nodes, MessageType.TRAIN, state, server_round, per_node)
    trained, exhausted = [], []
    for reply in replies:
        node = reply.metadata.src_node_id
        m = reply.content["metrics"]
        if m.get("budget-exhausted"):
            exhausted.append(node)
            log.warning("round %d: node %d has spent its privacy budget (ε = %.3f) and is dropped",
                        server_round, node, m["epsilon"])
            continue
        client = {"node": node, "client-index": int(m.get("client-index", -1)),
                  "num-examples": int(m["num-examples"]), "train-loss": m["train-loss"],
                  "epsilon": _finite_or_none(m["epsilon"]), "delta": m["delta"]}
        trained.append((client, reply.content))
    if len(trained) < config.min_clients:
        raise RoundFailed(f"round {server_round}: {len(trained)} clients trained ({len(exhausted)} out of privacy "
                          f"budget), min-clients is {config.min_clients}; nothing was written")
    aggregate = secure_average if config.secagg.enabled else plain_average
    average, clients, summary = aggregate(grid, trained, state, server_round, config)
    metrics: dict = {"exhausted": exhausted, **summary}
    new_state = apply_delta(state, average)
    metrics["train-loss"] = (sum(c["train-loss"] * c["num-examples"] for c in clients)
                             / sum(c["num-examples"] for c in clients))
    metrics["clients"] = clients
    return new_state, metrics


Trained = tuple[dict, RecordDict]  # (client metrics, its train reply's content)


def plain_average(grid: Grid, trained: list[Trained], state: dict, server_round: int, config: RunConfig):
    """Weighted mean of the deltas the replies carry in clear; (mean, clients, summary)."""
    deltas, weights = [], []
    for client, content in trained:
        delta = from_array_record(content["arrays"])
        check_delta(delta, state, client["node"])
        deltas.append(delta)
        weights.append(float(client["num-examples"]))
    return weighted_delta(deltas, weights), [client for client, _ in trained], {}


def secure_average(grid: Grid, trained: list[Trained], state: dict, server_round: int, config: RunConfig):
    """Weighted mean of the trained clients' deltas through SecAgg+; (mean, surviving clients, summary)."""
    clients = [client for client, _ in trained]
    try:
        result = secure_sum(grid, [c["node"] for c in clients], server_round,
                            {k: v.shape for k, v in state.items()}, config.secagg)
    except SecAggAborted as err:
        raise RoundFailed(f"round {server_round}: secure aggregation aborted ({err}); nothing was written") from None
    survivors = [c for c in clients if c["node"] in set(result.survivors)]
    if len(survivors) < config.min_clients:
        raise RoundFailed(f"round {server_round}: {len(survivors)} clients survived secure aggregation, "
                          f"min-clients is {config.min_clients}; nothing was written")
    mean = {k: (v / result.weight_sum).astype(np.float32) for k, v in result.sum.items()}
    summary = {"survivors": len(result.survivors), "dropped": len(result.dropped),
               "error-bound": result.error_bound / result.weight_sum}
    return mean, survivors, {"secure-aggregation": summary}


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None  # JSON has no infinity: no DP → null


def run_federation(grid: Grid, config: RunConfig, on_round: OnRound | None = None) -> RunDir:
    rundir = RunDir(config.run_dir)
    last = rundir.open(config)
    model, tokenizer = load_model(config)  # the server needs it to write PEFT adapters and to audit
    auditor = RunAuditor(rundir, config, model, tokenizer)
    nodes = wait_for_nodes(grid, config.min_clients)
    canaries = auditor.canaries_for(nodes)

    def commit(server_round: int, state: dict, metrics: dict) -> None:
        rundir.commit(server_round, lambda tmp: save_adapter(model, state, tmp), metrics)
        auditor.round_committed(server_round, metrics)
        log.info("round %d committed: %s", server_round, {k: v for k, v in metrics.items() if k != "clients"})
        if on_round:
            on_round(server_round, metrics, state)

    if last < 0:
        state = initial_lora_state(model)
        commit(0, state, federated_evaluate(grid, nodes, state, 0))
        last = 0
    else:
        state = rundir.load_adapter_state(last)
        log.info("resuming %s after round %d", rundir.path, last)
        if on_round:
            on_round(last, {"resumed": True}, state)

    exhausted: set[int] = set()
    for server_round in range(last + 1, config.num_rounds + 1):
        started = time.monotonic()
        nodes = wait_for_nodes(grid, config.min_clients)
        eligible = [n for n in nodes if n not in exhausted]
        if len(eligible) < config.min_clients:
            reason = (f"only {len(eligible)} clients have privacy budget left (min-clients is "
                      f"{config.min_clients}); the run ends after round {server_round - 1}")
            log.warning(reason)
            rundir.stop(server_round - 1, reason)
            auditor.log.append("run-stopped", after_round=server_round - 1, reason="privacy budgets spent")
            _final_audit(auditor, rundir, server_round - 1, state)
            return rundir
        if set(nodes) != set(canaries):
            canaries = auditor.canaries_for(nodes)
        sampled = sample_nodes(eligible, config, server_round)
        state, metrics = train_round(grid, sampled, state, server_round, config, canaries)
        exhausted.update(metrics["exhausted"])
        metrics.update(federated_evaluate(grid, nodes, state, server_round))
        metrics["seconds"] = round(time.monotonic() - started, 3)
        commit(server_round, state, metrics)
        if auditor.wants_audit(server_round, final=False):
            auditor.audit(server_round, state, rundir.metrics())
    _final_audit(auditor, rundir, config.num_rounds, state)
    auditor.log.append("run-finished", rounds=config.num_rounds)
    return rundir


def _final_audit(auditor: RunAuditor, rundir: RunDir, server_round: int, state: dict) -> None:
    if server_round > 0 and auditor.wants_audit(server_round, final=True) and not (
            rundir.path / "audit" / f"round-{server_round}.json").exists():
        auditor.audit(server_round, state, rundir.metrics())


def build_server_app(on_round: OnRound | None = None, **overrides) -> ServerApp:
    """A ServerApp; `overrides` (python names) win over the Flower run config (used by `privatune demo`)."""
    app = ServerApp()

    @app.main()
    def main(grid: Grid, context: Context) -> None:
        run_federation(grid, RunConfig.from_flower(context.run_config, **overrides), on_round)

    return app


app = build_server_app()
