"""A resumed run repeats the round its ServerApp died in: the clients answer with the replies they
already released (no step, no ε), so a budget calibrated for the run still finishes it.

Real ClientApps and the real server loop (run_federation) over the in-process Grid of
tests/client/local_grid.py, secure aggregation on, the nodes' own state directories and ledgers."""

from __future__ import annotations

import numpy as np
import pytest
from flwr.app import MessageType

from .local_grid import LocalGrid

RUN = {"num-clients": 2, "records-per-client": 30, "num-rounds": 2, "local-steps": 2, "batch-size": 4,
       "max-seq-len": 32, "learning-rate": 0.005, "audit-canaries": 0, "accountant": "rdp",
       "audit-whitebox-canaries": 0, "min-clients": 2, "target-epsilon": 2.0}


class ServerCrash(BaseException):
    """The ServerApp process dies (nothing in it catches this)."""


class CrashingGrid(LocalGrid):
    """Delivers like LocalGrid until round `crash_round`'s first evaluate message: by then every
    train reply of that round was computed (and its ε spent), and nothing of the round is committed."""

    def __init__(self, *args, crash_round: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.crash_round = crash_round

    def _deliver(self, message):
        if (message.metadata.message_type == MessageType.EVALUATE
                and int(message.content["config"]["server-round"]) == self.crash_round):
            raise ServerCrash(f"killed before round {self.crash_round} was committed")
        return super()._deliver(message)


@pytest.fixture(scope="module")
def data_files(tmp_path_factory, tiny_model_dir):
    from privatune.config import RunConfig
    from privatune.demo import prepare

    _, files = prepare(RunConfig.from_flower(RUN))
    return files


def _dp_steps(tmp_path, files) -> dict[int, list[tuple[int, int]]]:
    from privatune.client.policy_gate import records_id
    from privatune.privacy.ledger import PrivacyLedger

    out = {}
    for node, path in ((1, files[0]), (2, files[1])):
        with PrivacyLedger(tmp_path / f"node-{node}" / "ledgers" / f"{records_id(path)}.jsonl") as ledger:
            out[node] = [(e.round, e.seq) for e in ledger.entries if e.kind == "dp-sgd"]
    return out


def test_a_resumed_run_gets_the_released_replies_again_and_finishes_within_the_budget(tmp_path, data_files):
    from flwr.app import ConfigRecord, Message, RecordDict

    from privatune.arrays import from_array_record, to_array_record
    from privatune.client.app import build_client_app
    from privatune.config import RunConfig
    from privatune.server.app import run_federation
    from privatune.server.rundir import RunDir

    nodes = {i: {"data-path": str(data_files[i - 1]), "state-dir": str(tmp_path / f"node-{i}"),
                 "epsilon-max": 2.0} for i in (1, 2)}
    run = {**RUN, "run-dir": str(tmp_path / "run"), "audit-signing-key": str(tmp_path / "key.pem")}
    config = RunConfig.from_flower(run)
    app = build_client_app()

    first = CrashingGrid(app, nodes, run, crash_round=2)
    with pytest.raises(ServerCrash):
        run_federation(first, config)
    assert [m["round"] for m in RunDir(config.run_dir).metrics()] == [0, 1]
    spent = _dp_steps(tmp_path, data_files)
    assert all({r for r, _ in steps} == {1, 2} for steps in spent.values())  # round 2 trained, then lost
    first_replies = {node: reply for node, request, reply in first.sent
                     if request.metadata.message_type == MessageType.TRAIN
                     and int(request.content["config"]["server-round"]) == 2}
    assert set(first_replies) == {1, 2}

    second = LocalGrid(app, nodes, run)  # the ServerApp restarted on the same run directory
    run_federation(second, config)
    rundir = RunDir(config.run_dir)
    assert rundir.stopped() is None, rundir.stopped()
    assert [m["round"] for m in rundir.metrics()] == [0, 1, 2]
    assert _dp_steps(tmp_path, data_files) == spent  # no DP-SGD step ran again
    again = [(node, reply) for node, request, reply in second.sent
             if request.metadata.message_type == MessageType.TRAIN]
    assert sorted(node for node, _ in again) == [1, 2]
    for node, reply in again:
        assert reply.content["metrics"]["replayed"] == 1
        before = first_replies[node].content["metrics"]
        assert reply.content["metrics"]["epsilon"] == before["epsilon"] <= 2.0 * 1.001

    # a request that differs (another global adapter) is new work: it meets the budget, spent by now
    state = rundir.load_adapter_state(1)
    changed = {k: v + np.float32(1e-3) for k, v in state.items()}
    message = Message(RecordDict({"arrays": to_array_record(changed), "config": ConfigRecord({"server-round": 2})}),
                      dst_node_id=1, message_type=MessageType.TRAIN)
    (reply,) = LocalGrid(app, {1: nodes[1]}, run).send_and_receive([message])
    metrics = reply.content["metrics"]
    assert "replayed" not in metrics and metrics["budget-exhausted"] == 1 and "arrays" not in reply.content
    same = Message(RecordDict({"arrays": to_array_record(from_array_record(to_array_record(state))),
                               "config": ConfigRecord({"server-round": 2})}),
                   dst_node_id=1, message_type=MessageType.TRAIN)
    (reply,) = LocalGrid(app, {1: nodes[1]}, run).send_and_receive([same])
    assert reply.content["metrics"]["replayed"] == 1  # the very request again: the same answer
