"""The ServerApp against clients that misbehave, through the real Flower simulation: malformed metrics
and a bound-breaking masked upload end the client's part or the round cleanly, never the run; a run
extended after the clients spent their budgets stops on the documented path."""

from __future__ import annotations

import json
import math

import numpy as np
from flwr.app import Array, ArrayRecord, MetricRecord

from privatune.privacy.secagg.protocol import MASKED_KEY


def _partition(context) -> int:
    return int(context.node_config["partition-id"])


def malicious_mod(msg, context, call_next):
    """Partition 0 sends broken metrics in round 1; partition 1 adds 2^30 to its masked upload in round 2."""
    reply = call_next(msg, context)
    kind = msg.metadata.message_type
    if reply.has_error():
        return reply
    if kind == "train" and int(msg.content["config"]["server-round"]) == 1 and _partition(context) == 0:
        metrics = dict(reply.content["metrics"])
        metrics.update({"train-loss": math.nan, "num-examples": -3.0})
        reply.content["metrics"] = MetricRecord(metrics)
    if kind.endswith("secagg_mask") and int(msg.metadata.group_id) == 2 and _partition(context) == 1:
        parts = reply.content[MASKED_KEY]
        name = sorted(parts)[0]
        bumped = parts[name].numpy().copy()
        bumped.ravel()[:1] += np.uint32(2**30)  # wraps mod 2^32, as the masked sum does
        reply.content[MASKED_KEY] = ArrayRecord({**{k: parts[k] for k in parts}, name: Array(bumped)})
    return reply


def test_malformed_metrics_and_a_bound_breaking_upload_fail_cleanly(small_config):
    from privatune.demo import run_simulation
    from privatune.privacy.report.runcheck import verify_run
    from privatune.server.rundir import RunDir

    config = small_config.replace(num_clients=3, min_clients=2, num_rounds=3, local_steps=1, dp=False,
                                  secure_aggregation=True, audit_canaries=0)
    run_simulation(config, client_mods=[malicious_mod])
    history = RunDir(config.run_dir).metrics()
    assert [m["round"] for m in history] == [0, 1, 3]  # round 2's sum broke the bounds: nothing written
    round_1 = history[1]
    assert sorted(c["client-index"] for c in round_1["clients"]) == [1, 2]
    assert len(round_1["dropped"]) == 1 and round_1["secure-aggregation"]["survivors"] == 2
    assert sorted(c["client-index"] for c in history[2]["clients"]) == [0, 1, 2]
    run_dir = RunDir(config.run_dir).path
    log = [json.loads(line) for line in (run_dir / "audit.log").read_text().splitlines()]
    assert [e["fields"]["round"] for e in log if e["event"] == "round-failed"] == [2]
    assert log[-1]["event"] == "run-finished"
    assert verify_run(run_dir).ok
    quality = json.loads((run_dir / "quality.json").read_text())  # every node's counts reached the operator
    assert len(quality) == 3 and all(q["records-in"] == q["records-used"] + q["records-rejected"] for q in quality.values())


def test_raising_num_rounds_after_the_budgets_are_spent_stops_cleanly(small_config):
    from privatune.demo import run_simulation
    from privatune.privacy.report.runcheck import verify_run
    from privatune.server.rundir import RunDir

    config = small_config.replace(num_clients=2, min_clients=2, num_rounds=1, local_steps=1, dp=True,
                                  secure_aggregation=False, audit_canaries=0, target_epsilon=2.0, accountant="rdp")
    run_simulation(config)  # σ calibrated so that this one round spends ε = 2
    run_simulation(config.replace(num_rounds=3))  # extended: every client must refuse round 2
    rundir = RunDir(config.run_dir)
    assert [m["round"] for m in rundir.metrics()] == [0, 1]
    assert rundir.stopped()["after-round"] == 1 and "privacy budget" in rundir.stopped()["reason"]
    events = [json.loads(line)["event"] for line in (rundir.path / "audit.log").read_text().splitlines()]
    assert events[-2:] == ["round-failed", "run-stopped"] or events[-1] == "run-stopped"
    assert verify_run(rundir.path).ok
