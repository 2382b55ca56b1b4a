"""The client's Flower handlers, called directly with Flower Messages and a Context."""

from __future__ import annotations

import time

import numpy as np
import pytest
from flwr.app import ConfigRecord, Context, Message, Metadata, RecordDict

from privatune.client import secagg_handlers
from privatune.privacy.secagg import Layout, SecAggConfig, SecAggProtocolError, ServerProtocol
from privatune.privacy.secagg.protocol import CONTENT_KEY

SHAPES = {"lora_A": (2, 8), "lora_B": (8, 2)}
NODES = [7, 8, 9]


def _context(node_id: int) -> Context:
    return Context(run_id=1, node_id=node_id, node_config={}, state=RecordDict(), run_config={})


def _message(action: str, server_round: int, body: dict) -> Message:
    content = RecordDict({CONTENT_KEY: ConfigRecord({"round": server_round, **body})})
    metadata = Metadata(run_id=1, message_id=f"{action}-{server_round}", src_node_id=1, dst_node_id=7,
                        reply_to_message_id="", group_id=str(server_round), created_at=time.time(), ttl=60.0,
                        message_type=f"query.{action}")
    return Message(content=content, metadata=metadata)


def _setup(server_round: int, stash_round: int | None = None, shapes=SHAPES):
    server = ServerProtocol(NODES, server_round, Layout.from_shapes(SHAPES), SecAggConfig(delta_bound=1.0))
    context = _context(7)
    delta = {name: np.full(shape, 0.1, np.float32) for name, shape in shapes.items()}
    secagg_handlers.stash_input(context, delta, 10.0, stash_round or server_round)
    params = server.setup_requests()[7].to_dict()
    return context, secagg_handlers.handle_setup(_message("secagg_setup", server_round, params), context)


def test_setup_advertises_two_fresh_public_keys_and_keeps_secrets_local():
    context, reply = _setup(server_round=2)
    record = reply.content[CONTENT_KEY]
    assert record["round"] == 2 and len(record["enc-key"]) == 32 and len(record["mask-key"]) == 32
    assert record["enc-key"] != record["mask-key"]
    state = context.state[secagg_handlers.STATE_PROTOCOL]
    assert state["enc_secret"] not in (record["enc-key"], record["mask-key"])
    assert "enc_secret" not in record and "mask_secret" not in record


def test_stale_request_from_another_round_is_refused():
    context, _ = _setup(server_round=2)
    stale = _message("secagg_share", 1, {"peers": [], "enc-keys": [], "mask-keys": []})
    with pytest.raises(SecAggProtocolError, match="round 1, this round is 2"):
        secagg_handlers.handle_share(stale, context)


def test_setup_refuses_a_delta_stashed_in_another_round():
    with pytest.raises(SecAggProtocolError, match="stashed delta is from round 1"):
        _setup(server_round=2, stash_round=1)


def test_setup_names_the_tensor_whose_shape_does_not_match():
    with pytest.raises(ValueError, match=r"lora_B has shape \(2, 8\), expected \(8, 2\)"):
        _setup(server_round=1, shapes={"lora_A": (2, 8), "lora_B": (2, 8)})


def test_share_request_without_setup_is_refused():
    with pytest.raises(SecAggProtocolError, match="without a secagg setup"):
        secagg_handlers.handle_share(_message("secagg_share", 1, {}), _context(7))


@pytest.mark.parametrize("run_config, enabled", [({}, True), ({"secure-aggregation": False}, False),
                                                  ({"secure-aggregation": "false"}, False),
                                                  ({"secure-aggregation": True}, True)])
def test_secure_aggregation_is_on_unless_the_run_config_turns_it_off(run_config, enabled):
    from privatune.config import RunConfig

    assert RunConfig.from_flower(run_config).secagg.enabled is enabled


def _train_message(server_round: int) -> Message:
    metadata = Metadata(run_id=1, message_id=f"train-{server_round}", src_node_id=1, dst_node_id=7,
                        reply_to_message_id="", group_id=str(server_round), created_at=time.time(), ttl=60.0,
                        message_type="train")
    return Message(content=RecordDict({"config": ConfigRecord({"server-round": server_round})}), metadata=metadata)


@pytest.mark.parametrize("secure", [1, 0])
def test_secagg_mod_keeps_the_delta_on_the_client_only_under_secure_aggregation(secure):
    from flwr.app import MetricRecord

    from privatune.arrays import to_array_record

    delta = {name: np.full(shape, 0.25, np.float32) for name, shape in SHAPES.items()}

    def train_handler(msg: Message, context: Context) -> Message:  # knows nothing of secure aggregation
        metrics = MetricRecord({"num-examples": 12, secagg_handlers.SECAGG_FLAG: secure})
        return Message(RecordDict({"arrays": to_array_record(delta), "metrics": metrics}), reply_to=msg)

    context = _context(7)
    reply = secagg_handlers.secagg_mod(_train_message(3), context, train_handler)
    assert ("arrays" in reply.content) is (not secure)
    assert reply.content["metrics"]["num-examples"] == 12
    if secure:
        assert dict(context.state[secagg_handlers.STATE_INPUT_META]) == {"weight": 12.0, "round": 3}
        stashed = {k: v.numpy() for k, v in context.state[secagg_handlers.STATE_INPUT].items()}
        assert all(np.array_equal(stashed[k], delta[k]) for k in delta)
    else:
        assert secagg_handlers.STATE_INPUT not in context.state


def test_secagg_mod_passes_other_messages_through():
    context = _context(7)
    message = _message("secagg_share", 1, {})
    sentinel = object()
    assert secagg_handlers.secagg_mod(message, context, lambda msg, ctx: sentinel) is sentinel
