"""What the server reads from one client's reply: every malformed shape is a ReplyError (the client is
left out), never another exception; malformed SecAgg stage replies drop that client from the round."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from flwr.app import ConfigRecord, MetricRecord, RecordDict

from privatune.server.aggregate import ReplyError
from privatune.server.replies import eval_reply, train_reply
from privatune.server.secagg_workflow import _ciphertexts, _parsed, _public_keys

GOOD = {"num-examples": 40, "train-loss": 2.5, "epsilon": 1.5, "delta": 1e-5, "client-index": 3}


def reply(content: RecordDict):
    """What the parsers read of a Flower reply (a real Message needs a run context)."""
    return SimpleNamespace(content=content, metadata=SimpleNamespace(src_node_id=7))


def test_a_well_formed_train_reply_is_read():
    parsed = train_reply(reply(RecordDict({"metrics": MetricRecord(GOOD)})))
    assert parsed["num-examples"] == 40 and parsed["train-loss"] == 2.5 and not parsed["budget-exhausted"]
    no_dp = train_reply(reply(RecordDict({"metrics": MetricRecord({**GOOD, "epsilon": math.inf})})))
    assert no_dp["epsilon"] == math.inf


@pytest.mark.parametrize("change", [
    {"num-examples": -3}, {"num-examples": 0}, {"num-examples": 2.5}, {"train-loss": math.nan},
    {"train-loss": math.inf}, {"epsilon": math.nan}, {"epsilon": -1.0}, {"delta": -0.1},
    {"data-quality-refused": 1},
])
def test_malformed_train_metrics_are_reply_errors(change):
    with pytest.raises(ReplyError):
        train_reply(reply(RecordDict({"metrics": MetricRecord({**GOOD, **change})})))


@pytest.mark.parametrize("missing", ["num-examples", "train-loss"])
def test_missing_train_metrics_are_reply_errors(missing):
    with pytest.raises(ReplyError, match=missing):
        train_reply(reply(RecordDict({"metrics": MetricRecord({k: v for k, v in GOOD.items() if k != missing})})))


def test_wrong_types_and_missing_records_are_reply_errors():
    with pytest.raises(ReplyError, match="not a number"):
        train_reply(reply(RecordDict({"metrics": ConfigRecord({**GOOD, "num-examples": "forty"})})))
    with pytest.raises(ReplyError, match="no 'metrics'"):
        train_reply(reply(RecordDict({"config": ConfigRecord({"x": 1})})))
    with pytest.raises(ReplyError):
        eval_reply(reply(RecordDict({"metrics": MetricRecord({"num-examples": 5, "eval-loss": math.nan})})))
    assert eval_reply(reply(RecordDict({"metrics": MetricRecord({"num-examples": 5, "eval-loss": 1.0})}))) == (1.0, 5)


def test_budget_refusal_is_read_without_training_metrics():
    parsed = train_reply(reply(RecordDict({"metrics": MetricRecord({"budget-exhausted": 1, "epsilon": 8.1})})))
    assert parsed["budget-exhausted"] and parsed["epsilon"] == 8.1


def test_malformed_secagg_stage_replies_drop_only_that_client():
    key = bytes(32)
    replies = {1: ({"enc-key": key, "mask-key": key, "seed-commit": key}, None),
               2: ({"enc-key": "not bytes", "mask-key": key, "seed-commit": key}, None),
               3: ({"enc-key": key, "mask-key": key}, None)}
    assert set(_parsed(replies, "secagg_setup", 1, _public_keys)) == {1}
    shares = {1: ({"receivers": [2, 3], "ciphertexts": [b"a", b"b"]}, None),
              2: ({"receivers": [1], "ciphertexts": [b"a", b"b"]}, None),
              3: ({"receivers": ["1"], "ciphertexts": [b"a"]}, None),
              4: ({"receivers": 7, "ciphertexts": [b"a"]}, None)}
    assert _parsed(shares, "secagg_share", 1, _ciphertexts) == {1: {2: b"a", 3: b"b"}}
