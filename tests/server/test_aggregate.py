import numpy as np
import pytest

from privatune.server.aggregate import ReplyError, apply_delta, check_delta, weighted_delta


def test_weighted_fedavg_matches_hand_computation():
    rng = np.random.default_rng(0)
    deltas = [{"a": rng.normal(size=(3, 2)).astype(np.float32)} for _ in range(3)]
    weights = [10.0, 30.0, 60.0]
    expected = (10 * deltas[0]["a"] + 30 * deltas[1]["a"] + 60 * deltas[2]["a"]) / 100
    np.testing.assert_allclose(weighted_delta(deltas, weights)["a"], expected, rtol=1e-6)
    state = {"a": np.ones((3, 2), np.float32)}
    np.testing.assert_allclose(apply_delta(state, {"a": expected})["a"], 1 + expected, rtol=1e-6)


def test_replies_with_foreign_tensors_wrong_shapes_or_nan_are_rejected():
    ref = {"x.lora_A.weight": np.zeros((2, 4), np.float32)}
    check_delta({"x.lora_A.weight": np.ones((2, 4), np.float32)}, ref, node=1)
    with pytest.raises(ReplyError, match="lm_head"):
        check_delta({**ref, "lm_head.weight": np.zeros(1, np.float32)}, ref, node=1)
    with pytest.raises(ReplyError, match="shape"):
        check_delta({"x.lora_A.weight": np.zeros((4, 2), np.float32)}, ref, node=1)
    with pytest.raises(ReplyError, match="NaN"):
        check_delta({"x.lora_A.weight": np.full((2, 4), np.nan, np.float32)}, ref, node=1)
