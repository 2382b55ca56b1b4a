"""DP through the real Flower simulation: ε per client per round, and a client at its budget refuses."""

from __future__ import annotations

import pytest

from privatune.privacy.dp import epsilon_of
from privatune.privacy.ledger import PrivacyLedger


def client_ledger(config, index: int) -> PrivacyLedger:
    """Where client `index` keeps the ledger of its records: the state dir, keyed by the file's SHA-256."""
    from privatune.client.policy_gate import records_id
    from privatune.embedded import resolve_data_dir
    from privatune.privacy.policy import ClientPolicy

    return PrivacyLedger(ClientPolicy().ledger_path(records_id(resolve_data_dir(config) / f"client-{index}.jsonl")))


def test_client_at_its_budget_refuses_and_the_federation_carries_on(small_config):
    from privatune.demo import prepare, run_simulation
    from privatune.server.rundir import RunDir

    config = small_config.replace(num_clients=3, min_clients=2, noise_multiplier=1.0, target_epsilon=8.0,
                                  accountant="rdp")
    prepare(config)
    legacy = f"{config.run_dir}/clients/client-0/privacy-ledger.jsonl"  # where an older privatune kept it
    with PrivacyLedger(legacy) as spent:
        spent.record(0, 0.6, 0.5, steps=300)  # client 0 spent its budget in an earlier run
        assert epsilon_of(spent.history(), config.dp.delta, "rdp") > 8.0

    run_simulation(config)
    history = RunDir(config.run_dir).metrics()
    assert [m["round"] for m in history] == [0, 1, 2]
    assert len(history[1]["exhausted"]) == 1 and history[2]["exhausted"] == []  # asked once, then never again
    for m in history[1:]:
        assert sorted(c["client-index"] for c in m["clients"]) == [1, 2]
    for c in history[2]["clients"]:  # ε per client = the accountant over that client's whole ledger
        with client_ledger(config, c["client-index"]) as ledger:
            assert ledger.rounds() == [1, 2]
            # ε reported after training = the whole ledger up to then (the last entry, round 2's noised
            # eval loss, was released after the train reply)
            assert ledger.entries[-1].kind == "gaussian" and ledger.entries[-1].round == 2
            before_eval = [(e.noise_multiplier, e.sample_rate, e.steps) for e in ledger.entries[:-1]]
            assert c["epsilon"] == pytest.approx(epsilon_of(before_eval, config.dp.delta, "rdp"))
        assert c["epsilon"] > next(x["epsilon"] for x in history[1]["clients"] if x["client-index"] == c["client-index"])
    with client_ledger(config, 0) as migrated:  # the old ledger was absorbed; the refusing client ran no step
        assert [(e.noise_multiplier, e.steps) for e in migrated.entries] == [(0.6, 300)]
