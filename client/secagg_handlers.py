"""The client's Flower side of secure aggregation: a mod around the train handler, and the stages.

`secagg_mod` wraps the ClientApp the way Flower's own `secaggplus_mod` does: the train handler knows
nothing of secure aggregation and always returns its delta in "arrays"; when the reply says the round
runs under secure aggregation, the mod takes the arrays out of the reply and keeps them, with the
client's weight, in `Context.state` (on the client) until the server runs the SecAgg+ stages. Those
arrive as `query.secagg_setup`, `query.secagg_share`, `query.secagg_mask` and `query.secagg_unmask`
messages handled here (`register(app)` adds them to a ClientApp). The only model data that leaves
the client is the masked uint32 vector.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import numpy as np
from flwr.app import Array, ArrayRecord, ConfigRecord, Context, Message, MessageType, RecordDict
from flwr.clientapp import ClientApp

from privatune.arrays import from_array_record, to_array_record
from privatune.privacy.secagg import ClientProtocol, RoundParams, SecAggProtocolError, identity
from privatune.privacy.policy import ClientPolicy
from privatune.privacy.secagg.protocol import CONTENT_KEY, MASKED_KEY, WEIGHT_SLOT, check_round

log = logging.getLogger(__name__)

SECAGG_FLAG = "secure-aggregation"  # train-reply metric: 1 when the delta must leave only masked
STATE_INPUT = "secagg-input"
STATE_INPUT_META = "secagg-input-meta"
STATE_PROTOCOL = "secagg-protocol"
ACTIONS = ("secagg_setup", "secagg_share", "secagg_mask", "secagg_unmask")


def stash_input(context: Context, delta: Mapping[str, np.ndarray], weight: float, round: int) -> None:  # noqa: A002
    """Keep this round's LoRA delta (PEFT names → float32) and weight on the client for SecAgg."""
    if not weight > 0:
        raise ValueError(f"secure aggregation: client weight must be > 0, got {weight}")
    context.state[STATE_INPUT] = to_array_record(delta)
    context.state[STATE_INPUT_META] = ConfigRecord({"weight": float(weight), "round": int(round)})
    context.state.pop(STATE_PROTOCOL, None)


def secagg_mod(msg: Message, context: Context, call_next) -> Message:
    """Flower mod: under secure aggregation, keep the train reply's delta on the client (stashed).

    The reply then carries metrics only; the delta leaves later, masked, in the secagg_mask stage.
    The weight masked with it is the reply's `num-examples`, the same value plain FedAvg weights by.
    """
    reply = call_next(msg, context)
    if msg.metadata.message_type != MessageType.TRAIN or reply.has_error():
        return reply
    content = reply.content
    if "arrays" not in content or not int(content["metrics"].get(SECAGG_FLAG, 0)):
        return reply
    stash_input(context, from_array_record(content["arrays"]), weight=float(content["metrics"]["num-examples"]),
                round=int(msg.content["config"]["server-round"]))
    return Message(RecordDict({"metrics": content["metrics"]}), reply_to=msg)


def _reply(message: Message, server_round: int, **values) -> Message:
    return Message(RecordDict({CONTENT_KEY: ConfigRecord({"round": server_round, **values})}), reply_to=message)


def _request(message: Message) -> dict:
    try:
        return dict(message.content.config_records[CONTENT_KEY])
    except KeyError as err:
        raise SecAggProtocolError(f"{message.metadata.message_type} message has no '{CONTENT_KEY}' record") from err


def _load(context: Context, request: dict, stage: str) -> ClientProtocol:
    if STATE_PROTOCOL not in context.state:
        raise SecAggProtocolError(f"node {context.node_id}: '{stage}' request without a secagg setup")
    state = ClientProtocol.from_dict(dict(context.state[STATE_PROTOCOL]))
    check_round(request, state.server_round, stage)
    return state


def _save(context: Context, state: ClientProtocol) -> None:
    context.state[STATE_PROTOCOL] = ConfigRecord(state.to_dict())


def _stashed_input(context: Context, params: RoundParams) -> tuple[dict[str, np.ndarray], float]:
    if STATE_INPUT not in context.state:
        raise SecAggProtocolError(f"node {context.node_id}: secagg round {params.server_round} started but "
                                  "no delta was stashed (call stash_input after training)")
    meta = context.state[STATE_INPUT_META]
    if meta["round"] != params.server_round:
        raise SecAggProtocolError(f"node {context.node_id}: stashed delta is from round {meta['round']}, "
                                  f"secagg round is {params.server_round}")
    arrays = {name: array.numpy() for name, array in context.state[STATE_INPUT].items()}
    params.layout.check(arrays, f"node {context.node_id} secagg round {params.server_round}")
    return arrays, float(meta["weight"])


def secagg_floor(context: Context) -> dict:
    """The node's own minimums (node config; the client policy's values when it sets them): the
    threshold fraction it accepts at least, and the fewest clients it lets its input be summed with."""
    floor = {}
    if "secagg-min-threshold" in context.node_config:
        floor["min_threshold_fraction"] = float(context.node_config["secagg-min-threshold"])
    if "secagg-min-clients" in context.node_config:
        floor["min_clients"] = int(context.node_config["secagg-min-clients"])
    return floor


def handle_setup(message: Message, context: Context) -> Message:
    request = _request(message)
    params = RoundParams.from_dict(request)
    policy = ClientPolicy.from_node_config(context.node_config)
    policy.check_secagg(params)  # the node's floor, not the server's
    _stashed_input(context, params)  # fail now, not after the others have shared keys
    state, enc_key, mask_key = ClientProtocol.setup(context.node_id, params, **secagg_floor(context))
    _save(context, state)
    signed = {}
    if policy.secagg_identity_key is not None:  # its neighbours check it against their roster
        own_key = identity.load_identity(policy.secagg_identity_key)
        signed["key-signature"] = identity.sign_round_keys(own_key, context.run_id, params.server_round,
                                                           context.node_id, enc_key, mask_key)
    return _reply(message, params.server_round,
                  **{"enc-key": enc_key, "mask-key": mask_key, "seed-commit": state.seed_commit, **signed})


def handle_share(message: Message, context: Context) -> Message:
    request = _request(message)
    state = _load(context, request, "share")
    peer_keys = {int(p): (c, s) for p, c, s in zip(request["peers"], request["enc-keys"], request["mask-keys"])}
    roster = ClientPolicy.from_node_config(context.node_config).secagg_roster
    check = None
    if roster is not None:  # only keys the neighbours signed themselves (no server in the middle)
        signatures = dict(zip((int(p) for p in request["peers"]), request.get("signatures", [])))
        check = lambda keys: identity.Roster.load(roster).check_peers(  # noqa: E731
            keys, signatures, context.run_id, state.server_round)
    try:
        ciphertexts = state.share_keys(peer_keys, check)
    finally:
        _save(context, state)
    return _reply(message, state.server_round, receivers=list(ciphertexts), ciphertexts=list(ciphertexts.values()))


def handle_mask(message: Message, context: Context) -> Message:
    request = _request(message)
    state = _load(context, request, "mask")
    params = state.round_params
    arrays, weight = _stashed_input(context, params)
    relayed = dict(zip((int(s) for s in request["senders"]), request["ciphertexts"]))
    try:
        masked, clamped = state.mask(relayed, params.layout.flatten(arrays), weight)
    finally:
        _save(context, state)
    if clamped:  # a count only; values never leave the client or reach the log
        log.warning("secagg round %d: %d delta coordinates clamped to ±%g (raise secagg-slack or "
                    "secagg-delta-bound)", params.server_round, clamped, params.fixed_point.delta_bound)
    parts = {name: Array(np.ascontiguousarray(view)) for name, view in params.layout.split(masked[:params.layout.size]).items()}
    parts[WEIGHT_SLOT] = Array(masked[params.layout.size:].copy())  # round word, weight word
    reply = _reply(message, state.server_round)
    reply.content[MASKED_KEY] = ArrayRecord(parts)
    return reply


def handle_unmask(message: Message, context: Context) -> Message:
    request = _request(message)
    state = _load(context, request, "unmask")
    try:
        # no shares for a sum smaller than the node's policy allows (PolicyRefused; the round then aborts)
        ClientPolicy.from_node_config(context.node_config).check_sum_size(len(request["survivors"]))
        shares = state.unmask([int(n) for n in request["survivors"]], [int(n) for n in request["dropped"]])
    finally:
        _save(context, state)
        context.state.pop(STATE_INPUT, None)  # the round is over for this client either way
    return _reply(message, state.server_round, owners=list(shares), shares=list(shares.values()))


HANDLERS: dict[str, Callable[[Message, Context], Message]] = dict(
    zip(ACTIONS, (handle_setup, handle_share, handle_mask, handle_unmask))
)


def register(app: ClientApp, mods: list | None = None) -> ClientApp:
    """Route `query.secagg_*` messages to the handlers above (Flower mods optional)."""
    for action, handler in HANDLERS.items():
        app.query(action, mods=mods)(handler)
    return app
