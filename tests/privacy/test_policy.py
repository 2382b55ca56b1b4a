"""The client's privacy policy: read from node-config and a policy file, stricter of both, and a run
config that would loosen it is refused with a reason."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from privatune.config import RunConfig
from privatune.privacy.policy import ClientPolicy, PolicyError, PolicyRefused, effective


def test_simulation_defaults_require_nothing_and_keep_the_run_config():
    policy = ClientPolicy.from_node_config({"partition-id": 0})
    config = RunConfig.from_flower({"dp": False, "secure-aggregation": False})
    assert not policy.dp_required and not policy.secagg_required and policy.epsilon_max == math.inf
    assert effective(policy, config) == config


def test_deployment_requires_dp_secagg_and_a_state_dir(tmp_path):
    with pytest.raises(PolicyError, match="state-dir"):
        ClientPolicy.from_node_config({"data-path": "/data/notes.jsonl"})
    policy = ClientPolicy.from_node_config({"data-path": "/d.jsonl", "state-dir": str(tmp_path)})
    assert policy.dp_required and policy.secagg_required and policy.state_root() == tmp_path
    opted_out = ClientPolicy.from_node_config({"data-path": "/d.jsonl", "state-dir": str(tmp_path),
                                               "secagg-required": "false"})
    assert not opted_out.secagg_required and opted_out.dp_required


@pytest.mark.parametrize("overrides, reason", [
    ({"dp": False}, "dp-required = true: the run config sets dp = false"),
    ({"secure-aggregation": False}, "secagg-required = true: the run config sets secure-aggregation = false"),
    ({"target-epsilon": 9.0}, "epsilon-max = 4: the run config asks for target-epsilon = 9"),
    ({"delta": 1e-4}, "delta-max = 1e-06"),
])
def test_a_run_config_that_loosens_the_policy_is_refused(overrides, reason):
    policy = ClientPolicy.from_node_config({"dp-required": True, "secagg-required": "true", "epsilon-max": 4,
                                            "delta-max": 1e-6})
    config = RunConfig.from_flower({"target-epsilon": 2.0, "delta": 1e-7, **overrides})
    with pytest.raises(PolicyRefused, match="^refused: policy ") as err:
        effective(policy, config)
    assert reason in str(err.value)
    stricter = RunConfig.from_flower({"target-epsilon": 2.0, "delta": 1e-7})
    assert effective(policy, stricter) == stricter  # a stricter run config is kept as it is


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_the_policy_file_makes_it_stricter_never_looser(tmp_path, suffix):
    values = {"epsilon-max": 3.0, "dp-required": True, "secagg-min-clients": 3, "secagg-min-threshold": 0.8}
    path = tmp_path / f"policy{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(values))
    else:
        path.write_text("[privatune]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in values.items()))
    policy = ClientPolicy.from_node_config({"policy-file": str(path), "epsilon-max": 5.0, "secagg-min-clients": 4,
                                            "dp-required": False})
    assert policy.epsilon_max == 3.0 and policy.secagg_min_clients == 4 and policy.dp_required
    assert policy.secagg_min_threshold == 0.8 and str(path) in policy.sources


def test_bad_policy_input_names_the_source_and_key(tmp_path):
    unknown = tmp_path / "u.json"
    unknown.write_text(json.dumps({"epsilon": 1}))
    with pytest.raises(PolicyError, match="u.json: unknown policy key 'epsilon'"):
        ClientPolicy.from_node_config({"policy-file": str(unknown)})
    bad = tmp_path / "p.toml"
    bad.write_text('epsilon-max = "lots"')
    with pytest.raises(PolicyError, match=r"p.toml: key 'epsilon-max' has the invalid value 'lots'"):
        ClientPolicy.from_node_config({"policy-file": str(bad)})
    with pytest.raises(PolicyError, match="missing.toml cannot be read"):
        ClientPolicy.from_node_config({"policy-file": str(tmp_path / "missing.toml")})


def test_secagg_checks_refuse_a_low_threshold_or_a_small_sum():
    from privatune.privacy.secagg.protocol import RoundParams
    from privatune.privacy.secagg.quantize import FixedPoint, Layout

    policy = ClientPolicy.from_node_config({"secagg-min-threshold": 0.75, "secagg-min-clients": 4})
    params = lambda threshold, n: RoundParams(1, tuple(range(10, 10 + n)), threshold,  # noqa: E731
                                              Layout.from_shapes({"a": (2,)}), FixedPoint(1.0, 10.0, 1.0, 1.0))
    policy.check_secagg(params(3, 3))  # 3 of 4 = 0.75
    with pytest.raises(PolicyRefused, match="threshold of 2 of 4"):
        policy.check_secagg(params(2, 3))
    with pytest.raises(PolicyRefused, match="group of 3"):
        policy.check_secagg(params(3, 2))
    policy.check_sum_size(4)
    with pytest.raises(PolicyRefused, match="unmask a sum of 3"):
        policy.check_sum_size(3)


def test_state_root_is_never_the_run_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("PRIVATUNE_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    policy = ClientPolicy.from_node_config({})
    assert policy.state_root() == tmp_path / "xdg" / "privatune"
    assert policy.ledger_path("ab12").parent == tmp_path / "xdg" / "privatune" / "ledgers"
    monkeypatch.setenv("PRIVATUNE_STATE_DIR", str(tmp_path / "env"))
    assert policy.ledger_path("ab12") == tmp_path / "env" / "ledgers" / "ab12.jsonl"
    with pytest.raises(PolicyError, match="plain file name"):
        dataclasses.replace(policy, ledger_id="../x").ledger_path("ab12")


def test_max_reject_rate_refuses_a_file_the_scrub_mostly_rejected():
    policy = ClientPolicy.from_node_config({"max-reject-rate": 0.1})
    policy.check_reject_rate(100, 10, "notes.jsonl")
    with pytest.raises(PolicyRefused, match="notes.jsonl rejected 11 of 100 records"):
        policy.check_reject_rate(100, 11, "notes.jsonl")
    ClientPolicy().check_reject_rate(100, 100, "x.jsonl")  # no floor set: nothing refused
