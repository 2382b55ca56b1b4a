"""Secure aggregation over real Flower messages: an in-process simulation (Ray backend) of 5 SuperNodes.

Each client 'trains' by drawing a known random delta and weight, replies to the train message with the
plain delta (so the test can compute plain FedAvg) and stashes the same delta for secure aggregation.
Rounds: all survive; two drop (one at key sharing, one at masked input); three drop at unmasking
(→ clean abort); then a normal round again.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

from flwr.app import Array, ArrayRecord, ConfigRecord, Context, Message, MetricRecord, RecordDict  # noqa: E402
from flwr.clientapp import ClientApp  # noqa: E402
from flwr.serverapp import Grid, ServerApp  # noqa: E402

from privatune.client import secagg_handlers  # noqa: E402
from privatune.server.secagg_workflow import SecAggAborted, SecAggConfig, secure_sum  # noqa: E402

NUM_NODES = 5
SHAPES = {"base_model.model.layers.0.q_proj.lora_A.weight": (4, 32),
          "base_model.model.layers.0.q_proj.lora_B.weight": (48, 4)}
CONFIG = SecAggConfig(threshold=0.6, delta_bound=0.05, max_weight=1000, timeout=120)
# (round, partition-id) → stage at which that client fails
DROPS = {(2, 0): "secagg_share", (2, 1): "secagg_mask",
         (3, 2): "secagg_unmask", (3, 3): "secagg_unmask", (3, 4): "secagg_unmask"}
RESULTS: dict[int, object] = {}


def client_delta(partition: int, server_round: int) -> tuple[dict[str, np.ndarray], float]:
    rng = np.random.default_rng([partition, server_round])
    delta = {n: rng.uniform(-0.05, 0.05, s).astype(np.float32) for n, s in SHAPES.items()}
    return delta, float(rng.integers(10, 1000))


def drop_mod(message: Message, context: Context, call_next):
    stage = message.metadata.message_type.split(".")[-1]
    if DROPS.get((int(message.metadata.group_id), int(context.node_config["partition-id"]))) == stage:
        raise RuntimeError(f"test client drops out at {stage}")
    return call_next(message, context)


client_app = ClientApp()
secagg_handlers.register(client_app, mods=[drop_mod])


@client_app.train()
def train(message: Message, context: Context) -> Message:
    server_round = int(message.content["config"]["round"])
    partition = int(context.node_config["partition-id"])
    delta, weight = client_delta(partition, server_round)
    secagg_handlers.stash_input(context, delta, weight, server_round)
    content = RecordDict({"plain": ArrayRecord({n: Array(a) for n, a in delta.items()}),
                          "metrics": MetricRecord({"num-examples": weight, "partition-id": partition})})
    return Message(content, reply_to=message)


server_app = ServerApp()


@server_app.main()
def main(grid: Grid, context: Context) -> None:
    while len(list(grid.get_node_ids())) < NUM_NODES:
        time.sleep(0.1)
    for server_round in (1, 2, 3, 4):
        messages = [Message(RecordDict({"config": ConfigRecord({"round": server_round})}), dst_node_id=n,
                            message_type="train", group_id=str(server_round)) for n in grid.get_node_ids()]
        replies = [r for r in grid.send_and_receive(messages, timeout=120) if not r.has_error()]
        plain = {r.metadata.src_node_id: ({n: a.numpy() for n, a in r.content["plain"].items()},
                                          r.content["metrics"]["num-examples"],
                                          int(r.content["metrics"]["partition-id"])) for r in replies}
        try:
            result = secure_sum(grid, sorted(plain), server_round, SHAPES, CONFIG)
        except SecAggAborted as err:
            RESULTS[server_round] = err
            continue
        RESULTS[server_round] = (result, plain)


@pytest.fixture(scope="module")
def simulated() -> dict[int, object]:
    from flwr.simulation import run_simulation

    run_simulation(server_app=server_app, client_app=client_app, num_supernodes=NUM_NODES,
                   backend_config={"client_resources": {"num_cpus": 1, "num_gpus": 0.0},
                                   "init_args": {"num_cpus": 2, "include_dashboard": False}})
    return RESULTS


def _plain_fedavg(plain: dict, nodes: list[int]):
    weight_sum = sum(plain[n][1] for n in nodes)
    average = {name: sum(plain[n][0][name].astype(np.float64) * plain[n][1] for n in nodes) / weight_sum
               for name in SHAPES}
    return average, weight_sum


@pytest.mark.parametrize("server_round, expected_dropped", [(1, 0), (2, 2), (4, 0)])
def test_secure_average_equals_plain_fedavg(simulated, server_round, expected_dropped):
    result, plain = simulated[server_round]
    assert len(result.dropped) == expected_dropped and len(result.survivors) == NUM_NODES - expected_dropped
    average, weight_sum = _plain_fedavg(plain, result.survivors)
    assert result.weight_sum == pytest.approx(weight_sum, abs=1e-9)
    for name, shape in SHAPES.items():
        secure = result.sum[name].astype(np.float64) / result.weight_sum
        assert secure.shape == shape and result.sum[name].dtype == np.float32
        bound = result.error_bound + np.abs(average[name]) * weight_sum * 2.0**-23  # + float32 rounding
        np.testing.assert_array_less(np.abs(secure - average[name]) * weight_sum, bound)


def test_dropped_clients_are_the_ones_that_failed(simulated):
    result, plain = simulated[2]
    assert set(result.dropped) | set(result.survivors) == set(plain)
    assert {plain[n][2] for n in result.dropped} == {0, 1}


def test_too_many_drops_at_unmask_abort_cleanly(simulated):
    assert isinstance(simulated[3], SecAggAborted)
    assert "threshold" in str(simulated[3])
