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

from privatune.client.policy_gate import REFUSAL_KEY
from privatune.client.quality import from_metrics as quality_from_metrics
from privatune.privacy.report.hashing import sha256_tree

from .aggregate import ReplyError, RunningSum, apply_delta, check_delta
from .auditing import RunAuditor
from .replies import eval_reply, timings, train_reply
from .rundir import RunDir
from .secagg_workflow import SecAggAborted, SecAggViolation, secure_sum

log = logging.getLogger("privatune.server")

OnRound = Callable[[int, dict, dict], None]  # (round, metrics, global LoRA state)
WHITEBOX_KEYS = ("whitebox-epsilon", "whitebox-epsilon-max", "whitebox-epsilon-claimed", "whitebox-failed")


class RoundFailed(RuntimeError):
    """Too few clients answered, or the aggregate broke the protocol's bounds; nothing of this round is
    written. `exhausted`: nodes that answered that their privacy budget is spent."""

    def __init__(self, message: str, exhausted: list[int] | None = None):
        super().__init__(message)
        self.exhausted = list(exhausted or [])
        self.quality: dict[str, dict[str, int]] = {}  # nodes' data-quality counts, written even so


def wait_for_nodes(grid: Grid, count: int, timeout: float = 600.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while len(nodes := sorted(grid.get_node_ids())) < count:
        if time.monotonic() > deadline:
            raise RoundFailed(f"only {len(nodes)} of the {count} clients needed connected within {timeout:.0f} s")
        time.sleep(1.0)
    return nodes


def sample_nodes(nodes: list[int], config: RunConfig, server_round: int, stage: str = "train") -> list[int]:
    """The round's clients for a stage: fraction-train (or fraction-evaluate) of the nodes, ≥ min-clients."""
    fraction = config.fraction_train if stage == "train" else config.fraction_evaluate
    count = min(len(nodes), max(config.min_clients, round(fraction * len(nodes))))
    tag = f"{config.seed}/{server_round}" if stage == "train" else f"{config.seed}/{server_round}/{stage}"
    return sorted(random.Random(tag).sample(nodes, count))


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


def refusal_of(reply: Message) -> dict | None:
    """{"node", "stage", "reason"} when the client refused (its policy, its budget, its white-box audit)."""
    record = reply.content.config_records.get(REFUSAL_KEY)
    if record is None:
        return None
    return {"node": reply.metadata.src_node_id, "stage": str(record["stage"]), "reason": str(record["reason"])}


def federated_evaluate(grid: Grid, nodes: list[int], state: dict, server_round: int) -> dict:
    replies = _send(grid, nodes, MessageType.EVALUATE, state, server_round)
    results, seconds = [], {}
    refused = [r for r in map(refusal_of, replies) if r]
    for r in refused:
        log.warning("round %d: node %d refused evaluate: %s", server_round, r["node"], r["reason"])
    for reply in replies:
        if refusal_of(reply) is not None:
            continue
        try:
            results.append(eval_reply(reply))
        except ReplyError as err:
            log.warning("round %d: evaluation left out: %s", server_round, err)
            continue
        if found := timings(dict(reply.content["metrics"])):
            seconds[str(reply.metadata.src_node_id)] = found
    if not results:
        raise RoundFailed(f"round {server_round}: no client returned a valid evaluation"
                          + "".join(f"; node {r['node']} {r['reason']}" for r in refused))
    total = sum(n for _, n in results)
    out = {"eval-loss": sum(loss * n for loss, n in results) / total, "eval-examples": total}
    if refused:
        out["eval-refused"] = refused
    return {**out, "eval-seconds": seconds} if seconds else out


def train_round(grid: Grid, nodes: list[int], state: dict, server_round: int, config: RunConfig,
                canaries: dict[int, list[str]] | None = None) -> tuple[dict, dict]:
    """One round of FedAvg over LoRA deltas; returns (new global state, round metrics).

    The aggregation stage is plain weighted FedAvg of the deltas in the replies, or, with secure
    aggregation, the SecAgg+ stages: then the train replies carry metrics only and the server sees
    only the weighted sum. Clients whose privacy budget is spent answer `budget-exhausted`; they
    are listed in metrics["exhausted"].
    """
    per_node = {node: {"canaries": texts} for node, texts in (canaries or {}).items() if texts}
    started = time.monotonic()
    replies = _send(grid, nodes, MessageType.TRAIN, state, server_round, per_node)
    train_seconds = round(time.monotonic() - started, 3)
    trained, exhausted, quality, refused = [], [], {}, []
    for reply in replies:
        if "metrics" in reply.content and (found := quality_from_metrics(dict(reply.content["metrics"]))):
            quality[str(reply.metadata.src_node_id)] = found  # counts only; kept even from a refusing node
        if (refusal := refusal_of(reply)) is not None:  # the node's policy or its own audit said no
            refused.append(refusal)
            log.warning("round %d: node %d %s", server_round, refusal["node"], refusal["reason"])
            continue
        try:
            parsed = train_reply(reply)
        except ReplyError as err:
            log.warning("round %d: reply left out: %s", server_round, err)
            continue
        node = parsed["node"]
        if parsed["budget-exhausted"]:
            exhausted.append(node)
            log.warning("round %d: node %d has spent its privacy budget (ε = %.3f) and is dropped",
                        server_round, node, parsed["epsilon"])
            continue
        client = {k: parsed[k] for k in ("node", "client-index", "num-examples", "train-loss", "delta")}
        client["epsilon"] = _finite_or_none(parsed["epsilon"])
        client.update({k: parsed["metrics"][k] for k in WHITEBOX_KEYS if k in parsed["metrics"]})
        if parsed["seconds"]:
            client["seconds"] = parsed["seconds"]
        trained.append((client, reply.content))
    if quality:
        log.info("round %d: data quality per node (counts): %s", server_round, quality)
    try:
        if len(trained) < config.min_clients:
            raise RoundFailed(f"round {server_round}: {len(trained)} clients trained ({len(exhausted)} out of "
                              f"privacy budget), min-clients is {config.min_clients}; nothing was written"
                              + "".join(f"; node {r['node']} {r['reason']}" for r in refused))
        aggregate = secure_average if config.secagg.enabled else plain_average
        started = time.monotonic()
        average, clients, summary = aggregate(grid, trained, state, server_round, config)
    except RoundFailed as err:
        err.exhausted, err.quality, err.refused = exhausted, quality, refused
        raise
    metrics: dict = {"exhausted": exhausted, "refused": refused, **summary,
                     "stage-seconds": {"train": train_seconds, "aggregate": round(time.monotonic() - started, 3),
                                       **summary.get("secure-aggregation", {}).pop("stage-seconds", {})}}
    new_state = apply_delta(state, average)
    metrics["train-loss"] = (sum(c["train-loss"] * c["num-examples"] for c in clients)
                             / sum(c["num-examples"] for c in clients))
    metrics["clients"] = clients
    in_sum = {c["node"] for c in clients}
    metrics["dropped"] = sorted(n for n in nodes if n not in in_sum and n not in exhausted)
    if quality:
        metrics["quality"] = quality
    return new_state, metrics


Trained = tuple[dict, RecordDict]  # (client metrics, its train reply's content)


def plain_average(grid: Grid, trained: list[Trained], state: dict, server_round: int, config: RunConfig):
    """Weighted mean of the deltas the replies carry in clear; (mean, clients, summary)."""
    total, clients = RunningSum(state), []
    for client, content in trained:
        try:
            delta = from_array_record(content["arrays"])
            check_delta(delta, state, client["node"])
        except (KeyError, TypeError, ValueError) as err:  # ReplyError is a ValueError
            log.warning("round %d: node %d's delta left out: %s", server_round, client["node"], err)
            continue
        total.add(delta, float(client["num-examples"]))
        clients.append(client)
    if len(clients) < config.min_clients:
        raise RoundFailed(f"round {server_round}: {len(clients)} valid deltas, min-clients is {config.min_clients}; "
                          "nothing was written")
    return total.mean(), clients, {}


def secure_average(grid: Grid, trained: list[Trained], state: dict, server_round: int, config: RunConfig):
    """Weighted mean of the trained clients' deltas through SecAgg+; (mean, surviving clients, summary)."""
    cfg = config.secagg
    clients = []
    for client, _ in trained:  # the weight word must equal the reported count (see server_protocol)
        if cfg.min_weight <= client["num-examples"] <= cfg.max_weight:
            clients.append(client)
        else:
            log.warning("round %d: node %d reports %d examples, outside [%g, %g]; left out", server_round,
                        client["node"], client["num-examples"], cfg.min_weight, cfg.max_weight)
    if len(clients) < max(2, config.min_clients):
        raise RoundFailed(f"round {server_round}: {len(clients)} clients for secure aggregation, min-clients is "
                          f"{config.min_clients}; nothing was written")
    ranges = {c["node"]: (float(c["num-examples"]),) * 2 for c in clients}
    stage_seconds: dict[str, float] = {}
    try:
        result = secure_sum(grid, [c["node"] for c in clients], server_round,
                            {k: v.shape for k, v in state.items()}, cfg, weight_ranges=ranges, timings=stage_seconds)
    except SecAggViolation as err:
        log.error("round %d: %s", server_round, err)
        raise RoundFailed(f"round {server_round}: the unmasked sum broke the protocol's bounds ({err}); nothing "
                          "was written") from None
    except SecAggAborted as err:
        raise RoundFailed(f"round {server_round}: secure aggregation aborted ({err}); nothing was written") from None
    finally:
        for stage, seconds in stage_seconds.items():
            log.info("privatune-stage %s %.3fs", stage, seconds)
    survivors = [c for c in clients if c["node"] in set(result.survivors)]
    if len(survivors) < config.min_clients:
        raise RoundFailed(f"round {server_round}: {len(survivors)} clients survived secure aggregation, "
                          f"min-clients is {config.min_clients}; nothing was written")
    mean = {k: (v / result.weight_sum).astype(np.float32) for k, v in result.sum.items()}
    summary = {"survivors": len(result.survivors), "dropped": len(result.dropped),
               "error-bound": result.error_bound / result.weight_sum, "misbehaved": result.misbehaved,
               "stage-seconds": {f"secagg-{k}": v for k, v in result.stage_seconds.items()}}
    return mean, survivors, {"secure-aggregation": summary}


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None  # JSON has no infinity: no DP → null


def run_federation(grid: Grid, config: RunConfig, on_round: OnRound | None = None) -> RunDir:
    """Rounds until `num-rounds`, or a clean stop (stopped.json + a `run-stopped` log event) when the
    clients' budgets are spent or too few clients connect. A failed round (RoundFailed) writes nothing
    and the run goes on with the next round; no client message raises out of here."""
    rundir = RunDir(config.run_dir)
    last = rundir.open(config)
    model, tokenizer = load_model(config)  # the server needs it to write PEFT adapters and to audit
    auditor = RunAuditor(rundir, config, model, tokenizer)

    def stop(after_round: int, reason: str, why: str, state: dict | None) -> RunDir:
        log.warning(reason)
        rundir.stop(after_round, reason)
        auditor.log.append("run-stopped", after_round=after_round, reason=why, path="stopped.json",
                           sha256=sha256_tree(rundir.path / "stopped.json"))
        if state is not None:
            _final_audit(auditor, rundir, after_round, state)
        return rundir

    def record_quality(server_round: int, quality: dict) -> None:
        if quality:
            path = rundir.write_quality(quality)
            auditor.log.append("data-quality", round=server_round, nodes=len(quality), path=path.name,
                               sha256=sha256_tree(path))

    def commit(server_round: int, state: dict, metrics: dict) -> None:
        rundir.commit(server_round, lambda tmp: save_adapter(model, state, tmp), metrics)
        auditor.round_committed(server_round, metrics)
        record_quality(server_round, metrics.get("quality", {}))
        log.info("round %d committed: %s", server_round, {k: v for k, v in metrics.items() if k != "clients"})
        if on_round:
            on_round(server_round, metrics, state)

    try:
        nodes = wait_for_nodes(grid, config.min_clients)
    except RoundFailed as err:
        return stop(max(last, 0), str(err), "too few clients connected", None)
    canaries = auditor.canaries_for(nodes)
    if last < 0:
        state = initial_lora_state(model)
        try:
            commit(0, state, federated_evaluate(grid, sample_nodes(nodes, config, 0, "evaluate"), state, 0))
        except RoundFailed as err:
            return stop(-1, f"round 0: {err}", "no initial evaluation", None)
        last = 0
    else:
        state = rundir.load_adapter_state(last)
        log.info("resuming %s after round %d", rundir.path, last)
        if on_round:
            on_round(last, {"resumed": True}, state)

    exhausted: set[int] = set()  # out of privacy budget
    refusing: dict[int, str] = {}  # node → the reason its policy or its own audit gave: not asked again

    def left_reason(after: int) -> str:
        return (f"only {len([n for n in nodes if n not in exhausted and n not in refusing])} clients have privacy "
                f"budget left and accept the run (min-clients is {config.min_clients}); the run ends after round "
                f"{after}" + "".join(f"; node {n} {reason}" for n, reason in refusing.items()))

    for server_round in range(last + 1, config.num_rounds + 1):
        started = time.monotonic()
        try:
            nodes = wait_for_nodes(grid, config.min_clients)
        except RoundFailed as err:
            return stop(last, str(err), "too few clients connected", state)
        eligible = [n for n in nodes if n not in exhausted and n not in refusing]
        if len(eligible) < config.min_clients:
            return stop(last, left_reason(last), "privacy budgets spent" if not refusing else
                        "clients refused the run (policy)", state)
        if set(nodes) != set(canaries):
            canaries = auditor.canaries_for(nodes, server_round)
        sampled = sample_nodes(eligible, config, server_round)
        try:
            new_state, metrics = train_round(grid, sampled, state, server_round, config, canaries)
            exhausted.update(metrics["exhausted"])
            refusing.update({r["node"]: r["reason"] for r in metrics["refused"]})
            evaluated = time.monotonic()
            metrics.update(federated_evaluate(grid, sample_nodes(nodes, config, server_round, "evaluate"),
                                              new_state, server_round))
            metrics["stage-seconds"]["evaluate"] = round(time.monotonic() - evaluated, 3)
        except RoundFailed as err:
            exhausted.update(getattr(err, "exhausted", []))
            refusing.update({r["node"]: r["reason"] for r in getattr(err, "refused", [])})
            record_quality(server_round, getattr(err, "quality", {}))
            log.warning("round %d failed, nothing written: %s", server_round, err)
            auditor.log.append("round-failed", round=server_round, exhausted=len(getattr(err, "exhausted", [])),
                               refused=len(getattr(err, "refused", [])), reason=str(err)[:200])
            if len([n for n in eligible if n not in exhausted and n not in refusing]) < config.min_clients:
                return stop(last, left_reason(last), "privacy budgets spent" if not refusing else
                            "clients refused the run (policy)", state)
            continue
        state = new_state
        metrics["seconds"] = round(time.monotonic() - started, 3)
        commit(server_round, state, metrics)
        last = server_round
        if auditor.wants_audit(server_round, final=False):
            auditor.audit(server_round, state, rundir.metrics())
    _final_audit(auditor, rundir, last, state)
    auditor.log.append("run-finished", rounds=config.num_rounds, last_committed=last)
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
