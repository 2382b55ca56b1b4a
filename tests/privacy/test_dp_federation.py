"""DP through the real Flower simulation: ε per client per round, and a client at its budget refuses."""

from __future__ import annotations

import pytest

from privatune.privacy.dp import epsilon_of
from privatune.privacy.ledger import PrivacyLedger


def test_client_at_its_budget_refuses_and_the_federation_carries_on(small_config):
    from privatune.demo import run_simulation
    from privatune.server.rundir import RunDir

    config = small_config.replace(num_clients=3, min_clients=2, noise_multiplier=1.0,
                                 target_epsilon=8.0, accountant="rdp")
    spent = PrivacyLedger(f"{config.run_dir}/clients/client-0/privacy-ledger.jsonl")
    spent.record(0, 0.6, 0.5, steps=300)  # client 0 spent its budget in an earlier run
    assert epsilon_of(spent.history(), config.dp.delta, "rdp") > 8.0

    run_simulation(config)
    history = RunDir(config.run_dir).metrics()
    assert [m["round"] for m in history] == [0, 1, 2]
    assert len(history[1]["exhausted"]) == 1 and history[2]["exhausted"] == []  # asked once, then never again
    for m in history[1:]:
        assert sorted(c["client-index"] for c in m["clients"]) == [1, 2]
    for c in history[2]["clients"]:  # ε per client = the accountant over that client's whole ledger
        ledger = PrivacyLedger(f"{config.run_dir}/clients/client-{c['client-index']}/privacy-ledger.jsonl")
        assert ledger.rounds() == [1, 2]
        assert c["epsilon"] == pytest.approx(epsilon_of(ledger.history(), config.dp.delta, "rdp"))
        assert c["epsilon"] > next(x["epsilon"] for x in history[1]["clients"] if x["client-index"] == c["client-index"])
    assert len(spent.__class__(spent.path).entries) == 1  # the refusing client ran no step
