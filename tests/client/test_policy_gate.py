"""The hospital owns its privacy: the client's policy, its dataset's lifetime ledger, its refusals.

Real ClientApps (the one `flwr run` loads) and the real server loop (run_federation), connected by an
in-process Grid (tests/client/local_grid.py): each node has the node-config its SuperNode would be
started with, and its own state directory."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .local_grid import LocalGrid

RUN = {"num-clients": 4, "records-per-client": 30, "num-rounds": 1, "local-steps": 2, "batch-size": 4,
       "max-seq-len": 32, "learning-rate": 0.005, "audit-canaries": 0, "accountant": "rdp",
       "audit-whitebox-canaries": 64, "min-clients": 2}


@pytest.fixture(scope="module")
def data_files(tmp_path_factory, tiny_model_dir):
    from privatune.config import RunConfig
    from privatune.demo import prepare

    _, files = prepare(RunConfig.from_flower(RUN))
    return files


def federation(tmp_path, files, run: dict, policies: dict[int, dict]):
    """Nodes 1..n, node i deployed on files[i-1] with its own state dir and policy; the ServerApp's loop."""
    from privatune.client.app import build_client_app
    from privatune.config import RunConfig

    nodes = {i: {"data-path": str(files[i - 1]), "state-dir": str(tmp_path / f"node-{i}"), **extra}
             for i, extra in policies.items()}
    flower_run = {**RUN, "run-dir": str(tmp_path / run.pop("run-dir-name", "run")),
                  "audit-signing-key": str(tmp_path / "key.pem"), **run}
    return LocalGrid(build_client_app(), nodes, flower_run), RunConfig.from_flower(flower_run)


PERMISSIVE = {"dp-required": False, "secagg-required": False}


DP_OFF = "refused: policy dp-required = true: the run config sets dp = false"
SECAGG_OFF = "refused: policy secagg-required = true: the run config sets secure-aggregation = false"


def test_a_run_config_that_loosens_a_nodes_policy_is_refused_and_the_federation_says_why(tmp_path, data_files):
    from privatune.privacy.report.collect import collect
    from privatune.privacy.report.html_page import render
    from privatune.server.app import run_federation
    from privatune.server.rundir import RunDir

    grid, config = federation(tmp_path, data_files, {"dp": False, "secure-aggregation": False},
                              {1: {}, 2: {"dp-required": False}, 3: PERMISSIVE, 4: PERMISSIVE})  # 1, 2: deployed defaults
    run_federation(grid, config)
    history = RunDir(config.run_dir).metrics()
    assert {r["node"]: r["reason"] for r in history[1]["refused"]} == {1: DP_OFF, 2: SECAGG_OFF}
    assert sorted(c["node"] for c in history[1]["clients"]) == [3, 4]
    assert {r["node"] for r in history[0]["eval-refused"]} == {1, 2}
    for node, request, reply in grid.sent:  # a refusing node sent its reason and nothing else
        if node in (1, 2):
            assert set(reply.content) == {"metrics", "refusal"} and reply.content["metrics"]["num-examples"] == 0
    report = collect(config.run_dir)
    assert {(r["node"], r["stage"], r["reason"]) for r in report["refusals"]} == {
        ("1", "train", DP_OFF), ("2", "train", SECAGG_OFF), ("1", "evaluate", DP_OFF), ("2", "evaluate", SECAGG_OFF)}
    assert DP_OFF in render(report, {})


@pytest.mark.parametrize("node_config, run, reason", [
    ({"epsilon-max": 4}, {"target-epsilon": 9.0}, "refused: policy epsilon-max = 4: the run config asks for "
                                                  "target-epsilon = 9"),
    ({"delta-max": 1e-6}, {}, "refused: policy delta-max = 1e-06: the run config asks for delta = 1e-05"),
])
def test_a_larger_epsilon_or_delta_is_refused_before_any_data_is_read(tmp_path, data_files, node_config, run, reason):
    from flwr.app import ConfigRecord, Message, MessageType, RecordDict

    from privatune.arrays import to_array_record

    grid, _ = federation(tmp_path, data_files, run, {1: node_config})
    grid.contexts[1].node_config["data-path"] = str(tmp_path / "not-read.jsonl")  # refused before it is opened
    message = Message(RecordDict({"arrays": to_array_record({}), "config": ConfigRecord({"server-round": 1})}),
                      dst_node_id=1, message_type=MessageType.TRAIN)
    (reply,) = grid.send_and_receive([message])
    assert reply.content["refusal"]["reason"] == reason and "arrays" not in reply.content


def test_two_runs_with_different_run_dirs_compose_into_one_epsilon_and_the_crossing_round_is_refused(
        tmp_path, data_files):
    from privatune.privacy.dp import epsilon_of
    from privatune.privacy.ledger import PrivacyLedger
    from privatune.server.app import run_federation
    from privatune.server.rundir import RunDir

    policy = {"epsilon-max": 2.0}
    first, config = federation(tmp_path, data_files, {"target-epsilon": 2.0, "run-dir-name": "run-a"},
                               {1: policy, 2: policy})
    run_federation(first, config)
    ledgers = {i: sorted((tmp_path / f"node-{i}" / "ledgers").glob("*.jsonl")) for i in (1, 2)}
    assert all(len(paths) == 1 for paths in ledgers.values())  # one ledger per dataset, in the node's state dir
    spent = {}
    for i, (path,) in ledgers.items():
        with PrivacyLedger(path) as ledger:
            spent[i] = epsilon_of(ledger.history(), 1e-5, "rdp")
            assert 1.5 < spent[i] <= 2.0 * 1.001 and ledger.rounds() == [1]
    assert not list((tmp_path / "run-a").rglob("*ledger*"))  # nothing of the budget under the run dir

    second, config_b = federation(tmp_path, data_files, {"target-epsilon": 2.0, "run-dir-name": "run-b"},
                                  {1: policy, 2: policy})
    run_federation(second, config_b)  # the same records: the same ledgers, whatever the run dir
    stopped = RunDir(config_b.run_dir).stopped()  # refused before any step: the run stops cleanly
    # even the initial evaluation (a DP release too) no longer fits: the run stops before round 1
    assert stopped["after-round"] <= 0 and "budget" in stopped["reason"]
    for i, (path,) in ledgers.items():
        with PrivacyLedger(path) as ledger:
            assert ledger.rounds() == [1] and epsilon_of(ledger.history(), 1e-5, "rdp") == pytest.approx(spent[i])


HOLDER = """
import sys, time
from privatune.privacy.ledger import PrivacyLedger
ledger = PrivacyLedger(sys.argv[1])
print("locked", flush=True)
time.sleep(120)
"""


def test_a_second_process_on_the_nodes_ledger_makes_the_client_refuse_without_a_step(tmp_path, data_files):
    from privatune.client.policy_gate import records_id
    from privatune.server.app import run_federation
    from privatune.server.rundir import RunDir

    grid, config = federation(tmp_path, data_files, {"secure-aggregation": False, "min-clients": 1},
                              {1: {"secagg-required": False}})
    ledger = tmp_path / "node-1" / "ledgers" / f"{records_id(data_files[0])}.jsonl"
    ledger.parent.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(ledger)], stdout=subprocess.PIPE, text=True,
                              cwd=tmp_path)
    try:
        assert holder.stdout.readline().strip() == "locked"
        run_federation(grid, config)  # the node refuses; the run stops cleanly and says why
        assert f"in use by process {holder.pid}" in RunDir(config.run_dir).stopped()["reason"]
    finally:
        holder.kill()
        holder.wait()
    assert not ledger.exists()  # nothing was spent


def _leaves(content, prefix: str):
    """Every value a reply carries, by path (bytes and arrays by their SHA-256)."""
    import hashlib

    import numpy as np

    for name, record in content.items():
        for key, value in record.items():
            if hasattr(value, "numpy"):
                value = hashlib.sha256(np.ascontiguousarray(value.numpy()).tobytes()).hexdigest()
            elif isinstance(value, (bytes, list)):
                value = hashlib.sha256(repr(value).encode()).hexdigest()
            yield f"{prefix}/{name}/{key}", value


def test_with_huge_noise_nothing_a_client_sends_moves_deterministically_with_one_record(tmp_path, data_files):
    """Node 1 trains on D (twice, fresh state each time) and on D minus one record; node 2 is fixed.
    Every value in every message node 1 sends (train, evaluate and all SecAgg stages) must be either
    the same in all three runs (independent of the data) or differ between the two runs on D (noised):
    a value equal on D and D but different on D' would be a deterministic function of the records."""
    from privatune.server.app import run_federation

    smaller = tmp_path / "d-minus-one.jsonl"
    lines = data_files[0].read_text().splitlines(keepends=True)
    smaller.write_text("".join(lines[:-1]))
    def sent_by_node_1(i, path):
        run = {"noise-multiplier": 1e4, "local-steps": 1, "secagg-min-survivors": 2, "run-dir-name": f"run-{i}"}
        grid, config = federation(tmp_path / f"try-{i}", [path, data_files[1]], run, {1: {}, 2: {}})
        run_federation(grid, config)
        values = {}
        for node, request, reply in grid.sent:
            if node == 1:
                step = request.metadata.message_type + "@" + str(request.content.config_records.get("config", {})
                                                                .get("server-round", ""))
                values.update(_leaves(reply.content, step))
        return values

    other = sent_by_node_1(0, smaller)
    on_d = [sent_by_node_1(1, data_files[0]), sent_by_node_1(2, data_files[0])]
    assert set(on_d[0]) == set(on_d[1]) == set(other) and any("secagg_mask" in k for k in other)
    leaking = lambda: [k for k in other if len({r[k] for r in on_d}) == 1 and on_d[0][k] != other[k]]  # noqa: E731
    noised = {"train@1/metrics/num-examples", "train@1/metrics/train-loss", "evaluate@1/metrics/eval-loss",
              "evaluate@1/metrics/num-examples"}
    random_ones = lambda: {k for k in other if len({r[k] for r in on_d}) > 1}  # noqa: E731
    # A noised count is rounded, so two runs can release the same one by chance: ask again (the
    # chance that every run repeats it falls geometrically; a deterministic value never moves).
    while (leaking() or not noised <= random_ones()) and len(on_d) < 6:
        on_d.append(sent_by_node_1(len(on_d) + 1, data_files[0]))
    assert not leaking(), f"deterministic in the records: {leaking()}"
    assert noised <= random_ones()
