"""Flower client mods for experiments: injected drop-outs and a traffic meter.

Both wrap a ClientApp (`build_client_app(mods=[...])`, `run_simulation(client_mods=[...])`) and leave
the handlers unaware of them, like Flower's own mods. Neither is used in a deployment.

- `dropout_mod(rate, stage)`: a client fails the SecAgg+ `stage` (default the mask stage: it has
  shared its keys, so the others must recover its masks) with probability `rate`, drawn per node
  and round from a fixed hash so a run is repeatable; or exactly ⌊rate·n⌋ of the round's clients.
- `traffic_mod(path)`: appends one JSON line per message to `path`: the message type, the node,
  the bytes of the request and of the reply (array payloads plus config values), and for SecAgg+
  setup the number of neighbours the server assigned. Sizes only: no content.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

from flwr.app import ConfigRecord, Context, Message

from privatune.privacy.secagg.protocol import CONTENT_KEY
from privatune.timing import payload_bytes


class InjectedDropout(RuntimeError):
    """Raised by dropout_mod: this node plays a client that went offline."""


def _round_of(msg: Message) -> int:
    content = msg.content
    if CONTENT_KEY in content.config_records:
        return int(content.config_records[CONTENT_KEY].get("round", -1))
    if "config" in content.config_records:
        return int(content.config_records["config"].get("server-round", -1))
    return -1


def drops_out(node_id: int, server_round: int, rate: float) -> bool:
    digest = hashlib.sha256(f"{node_id}/{server_round}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def exact_dropouts(nodes: list[int], server_round: int, rate: float) -> set[int]:
    """The ⌊rate·n⌋ nodes of `nodes` with the smallest hashes: an exact share, the same from any view."""
    ranked = sorted(nodes, key=lambda n: hashlib.sha256(f"{n}/{server_round}".encode()).digest())
    return set(ranked[: math.floor(rate * len(nodes))])


def dropout_mod(rate: float, stage: str = "query.secagg_mask", exact: bool = False):
    """Fail `stage` with probability `rate` per node and round, or (`exact`) for exactly ⌊rate·n⌋ of the
    round's clients — decided from the SecAgg+ setup's neighbour list, so it needs a complete graph."""
    def mod(msg: Message, context: Context, call_next) -> Message:
        kind, server_round = msg.metadata.message_type, _round_of(msg)
        if exact and kind == "query.secagg_setup":
            members = [context.node_id, *msg.content.config_records[CONTENT_KEY]["neighbours"]]
            context.state["dropout"] = ConfigRecord(
                {"round": server_round, "drop": int(context.node_id in exact_dropouts(members, server_round, rate))})
        if kind == stage:
            if exact:
                plan = context.state.get("dropout")
                drop = plan is not None and plan["round"] == server_round and bool(plan["drop"])
            else:
                drop = drops_out(context.node_id, server_round, rate)
            if drop:
                raise InjectedDropout(f"node {context.node_id} drops out at {stage}")
        return call_next(msg, context)

    return mod


def traffic_mod(path: str | Path):
    path = str(path)

    def mod(msg: Message, context: Context, call_next) -> Message:
        reply = call_next(msg, context)
        entry = {"type": msg.metadata.message_type, "node": context.node_id,
                 "partition": context.node_config.get("partition-id"), "round": _round_of(msg),
                 "down": payload_bytes(msg.content), "up": 0 if reply.has_error() else payload_bytes(reply.content)}
        if msg.metadata.message_type == "query.secagg_setup":
            entry["neighbours"] = len(msg.content.config_records[CONTENT_KEY]["neighbours"])
        line = (json.dumps(entry) + "\n").encode()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)  # one short append: atomic
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return reply

    return mod
