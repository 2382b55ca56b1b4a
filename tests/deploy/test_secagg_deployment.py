"""Secure aggregation in a real deployment, keys signed: SuperLink with TLS, SuperNode authentication
and a `--database`; three SuperNodes whose node-config names the federation's roster and their own
private key (docs/deploy.md, step 3); `flwr run` of this app with SecAgg+ and DP on, one round.

Each Flower message starts a fresh ClientApp process, so the four SecAgg+ stages are four more
processes per node: this scenario has no faults (tests/deploy/test_deployment.py has them, with
SecAgg off); what a coordinator in the middle meets is tested in tests/client/test_secagg_roster.py.
"""

from __future__ import annotations

import json
import os
import time

import pytest

BUDGET_S = float(os.environ.get("PRIVATUNE_DEPLOY_BUDGET_S", "480"))

pytestmark = [pytest.mark.deploy, pytest.mark.timeout(BUDGET_S + 150)]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, tiny_model_dir, harness):
    h = harness
    deadline = time.monotonic() + BUDGET_S
    left = lambda: max(1.0, deadline - time.monotonic())  # noqa: E731
    d = h.Deployment(tmp_path_factory.mktemp("secagg-deploy"), nodes=3, records_per_node=24)
    run_dir = d.root / "run"
    facts: dict = {"errors": []}
    try:
        d.make_keys(), d.make_data(), d.write_flwr_config()
        d.start_superlink(timeout=min(60, left()))
        facts["node_ids"] = {name: d.register(name) for name in d.node_names}
        d.write_roster(facts["node_ids"])
        for i, name in enumerate(d.node_names):
            d.start_node(i, policy=d.roster_policy(name))
        h.wait_until("the three SuperNodes online",
                     lambda: sum(n.get("status") == "online" for n in d.registered()) >= 3, min(90, left()), 2.0)
        run_id = d.flwr_run({**h.TINY_RUN_CONFIG, "num-rounds": 1, "min-clients": 3, "run-dir": str(run_dir)},
                            timeout=min(120, left()))
        h.wait_until("round 1 committed", lambda: 1 in h.metrics_rounds(run_dir), left(), 1.0)
        h.wait_until("the run finished", lambda: "finished" in d.run_status(run_id), min(60, left()), 2.0)
    except Exception as err:  # the test reports it with the logs' tails
        facts["errors"].append(f"{type(err).__name__}: {err}")
    finally:
        d.stop_all()
    facts["metrics"] = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()
                        if line.strip()] if (run_dir / "metrics.jsonl").exists() else []
    facts["logs"] = {p.name: p.read_text(errors="replace")[-1500:] for p in (d.root / "logs").glob("*.log")}
    return facts


def test_a_round_under_secagg_with_signed_keys_sums_all_three_hospitals(deployed):
    explain = f"errors: {deployed['errors']}\n" + "\n".join(f"--- {k}\n{v}" for k, v in sorted(deployed["logs"].items()))
    assert not deployed["errors"], explain
    round_1 = next(m for m in deployed["metrics"] if m["round"] == 1)
    assert round_1["secure-aggregation"]["survivors"] == 3 and round_1["secure-aggregation"]["dropped"] == 0, round_1
    assert sorted(c["node"] for c in round_1["clients"]) == sorted(deployed["node_ids"].values())
