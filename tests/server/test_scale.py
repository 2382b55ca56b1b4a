"""A CI-sized cross-device federation: 20 clients, half sampled per round, 20 % drop out mid-SecAgg+.

Real Flower simulation with DP-SGD and SecAgg+ on. Checks that every round commits with exactly the
sampled clients that did not drop out in the sum, that the dropped count is the true one, and that
a client's ledger holds exactly the rounds it trained in (a client sampled in k of R rounds spends
ε for k rounds). simulations/scale.py runs the same at 10–1000 clients and measures it.
"""

from __future__ import annotations

import json

from privatune.client.experiment_mods import dropout_mod, exact_dropouts, traffic_mod

CLIENTS, FRACTION, DROPOUT, ROUNDS, STEPS = 20, 0.5, 0.2, 2, 1


def test_sampled_clients_with_dropouts_are_recovered_and_each_ledger_counts_its_rounds(tmp_path, tiny_model_dir):
    from flwr.app import Context, RecordDict

    from privatune.client.rounds import client_data_path
    from privatune.client.policy_gate import open_ledger
    from privatune.config import RunConfig
    from privatune.demo import prepare, run_simulation
    from privatune.server.rundir import RunDir

    config = RunConfig.from_flower({
        "run-dir": str(tmp_path / "run"), "num-clients": CLIENTS, "records-per-client": 12, "eval-fraction": 0.25,
        "num-rounds": ROUNDS, "fraction-train": FRACTION, "fraction-evaluate": 0.2, "local-steps": STEPS,
        "batch-size": 2, "max-seq-len": 32, "data-deidentified": True, "audit-canaries": 0,
        "secagg-degree": round(FRACTION * CLIENTS) - 1,  # a complete graph: the exact drop-out share is one view
    })
    prepare(config)
    traffic = tmp_path / "traffic.jsonl"
    run_simulation(config, client_mods=[traffic_mod(traffic), dropout_mod(DROPOUT, exact=True)])

    history = RunDir(config.run_dir).metrics()
    assert [m["round"] for m in history] == list(range(ROUNDS + 1))
    messages = [json.loads(line) for line in traffic.read_text().splitlines()]
    trained: dict[int, list[int]] = {}  # partition → rounds it trained in
    for m in messages:
        if m["type"] == "train":
            trained.setdefault(m["partition"], []).append(m["round"])
    for metrics in history[1:]:
        r = metrics["round"]
        sampled = {m["node"] for m in messages if m["type"] == "train" and m["round"] == r}
        assert len(sampled) == round(FRACTION * CLIENTS)
        expected_dropped = exact_dropouts(sorted(sampled), r, DROPOUT)
        assert len(expected_dropped) == int(DROPOUT * len(sampled))
        survivors = {c["node"] for c in metrics["clients"]}
        assert survivors == sampled - expected_dropped  # the sum holds exactly the clients that saw it through
        assert metrics["secure-aggregation"]["dropped"] == len(expected_dropped)
        assert metrics["secure-aggregation"]["survivors"] == len(survivors)
    for partition in range(CLIENTS):
        context = Context(run_id=0, node_id=0, node_config={"partition-id": partition}, state=RecordDict(),
                          run_config={})
        with open_ledger(context, config, client_data_path(context, config)) as ledger:
            steps = [e for e in ledger.entries if e.kind == "dp-sgd"]  # not the released statistics
        rounds = sorted({e.round for e in steps})
        assert rounds == sorted(trained.get(partition, []))  # dropped mid-SecAgg+ still spent: it trained
        assert len(steps) == len(rounds) * STEPS
    participation = [len(trained.get(p, [])) for p in range(CLIENTS)]
    assert len(set(participation)) > 1  # sampling really gave clients different numbers of rounds
