"""The server's Flower side of secure aggregation: runs the SecAgg+ stages over a `Grid`.

    result = secure_sum(grid, node_ids, server_round, shapes, config.secagg)
    average = {name: s / result.weight_sum for name, s in result.sum.items()}

Each stage pushes one `query.secagg_*` message per live client and pulls replies until all are in or
the stage's timeout passes; a client that errs or is late counts as dropped. Masked uploads are added
into one running sum the moment they are pulled, so memory is O(model size).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from flwr.app import ConfigRecord, Message, RecordDict
from flwr.serverapp import Grid

from privatune.privacy.secagg import Layout, SecAggAborted, SecAggConfig, SecAggProtocolError, ServerProtocol
from privatune.privacy.secagg.config import SecAggViolation
from privatune.privacy.secagg.protocol import CONTENT_KEY, MASKED_KEY, WEIGHT_SLOT, check_round

__all__ = ["SecAggAborted", "SecAggConfig", "SecAggViolation", "SecureSumResult", "secure_sum"]

log = logging.getLogger(__name__)
PULL_INTERVAL_S = 0.05


@dataclass
class SecureSumResult:
    sum: dict[str, np.ndarray]  # Σ w_i Δ_i per tensor, float32
    weight_sum: float  # Σ w_i
    survivors: list[int]  # whose inputs are in the sum
    dropped: list[int]  # asked to take part but not in the sum
    error_bound: float  # per-coordinate quantisation error bound of `sum` (plus float32 rounding)
    misbehaved: list[int] = field(default_factory=list)  # sent shares inconsistent with committed secrets
    stage_seconds: dict[str, float] = field(default_factory=dict)  # wall time of each SecAgg+ stage


def secure_sum(grid: Grid, node_ids: list[int], server_round: int, shapes: Mapping[str, tuple],
               config: SecAggConfig, weight_ranges: Mapping[int, tuple[float, float]] | None = None,
               timings: dict[str, float] | None = None) -> SecureSumResult:
    """Σ w_i Δ_i over the clients in `node_ids` that see the round through; raises SecAggAborted
    (SecAggViolation when the unmasked sum breaks the protocol's bounds).

    `weight_ranges`: node → [w_min, w_max] its weight word must lie in (its exact example count when
    the server knows it); `timings`, if given, receives seconds per stage.
    """
    layout = Layout.from_shapes(shapes)
    server = ServerProtocol(node_ids, server_round, layout, config, weight_ranges)
    started = stage_started = time.perf_counter()
    clock = timings if timings is not None else {}

    def lap(stage: str) -> None:
        nonlocal stage_started
        now = time.perf_counter()
        clock[stage] = clock.get(stage, 0.0) + now - stage_started
        stage_started = now

    keys = _stage(grid, "secagg_setup", {n: p.to_dict() for n, p in server.setup_requests().items()},
                  server_round, config.timeout)
    advertised = _parsed(keys, "secagg_setup", server_round, _public_keys)
    server.receive_public_keys({n: k[:3] for n, k in advertised.items()})
    signatures = {n: k[3] for n, k in advertised.items()}  # relayed as they came: the clients check them
    lap("setup")

    shares = _stage(grid, "secagg_share", {
        n: {"peers": list(peers), "enc-keys": [k[0] for k in peers.values()],
            "mask-keys": [k[1] for k in peers.values()], "signatures": [signatures[p] for p in peers]}
        for n, peers in server.share_requests().items()}, server_round, config.timeout)
    server.receive_shares(_parsed(shares, "secagg_share", server_round, _ciphertexts))
    lap("share")

    def add_upload(node: int, _: dict, content: RecordDict) -> None:
        parts = content.array_records[MASKED_KEY]
        if set(parts) != {*layout.names, WEIGHT_SLOT}:
            raise SecAggProtocolError(f"masked upload holds {len(parts)} arrays, not the round's layout")
        vector = np.concatenate([np.asarray(parts[name].numpy()).ravel() for name in (*layout.names, WEIGHT_SLOT)])
        server.add_masked_input(node, vector)

    _stage(grid, "secagg_mask", {n: {"senders": list(relayed), "ciphertexts": list(relayed.values())}
                                 for n, relayed in server.mask_requests().items()},
           server_round, config.timeout, on_reply=add_upload)
    server.close_mask_stage()

    lap("mask")

    def add_shares(node: int, record: dict, _: RecordDict) -> None:
        owners, values = _int_list(record["owners"]), list(record["shares"])
        if len(owners) != len(values) or not all(isinstance(v, bytes) for v in values):
            raise SecAggProtocolError("owners and shares do not pair up as ids and bytes")
        server.receive_unmask_shares(node, dict(zip(owners, values)))

    _stage(grid, "secagg_unmask", {n: {"survivors": s, "dropped": d}
                                   for n, (s, d) in server.unmask_requests().items()},
           server_round, config.timeout, on_reply=add_shares)
    lap("unmask")
    try:
        flat, weight_sum = server.result()
    finally:
        lap("recover")
    survivors = sorted(server.uploaded)
    if server.misbehaved:
        log.warning("secagg round %d: nodes %s sent Shamir shares inconsistent with the committed secrets; "
                    "they were outvoted", server_round, sorted(server.misbehaved))
    log.info("secagg round %d: summed %d of %d clients in %.1fs", server_round, len(survivors),
             len(node_ids), time.perf_counter() - started)
    return SecureSumResult(
        sum={name: view.astype(np.float32) for name, view in layout.split(flat).items()},
        weight_sum=weight_sum, survivors=survivors, dropped=server.dropped,
        error_bound=server.fixed_point.sum_error_bound(len(survivors)), misbehaved=sorted(server.misbehaved),
        stage_seconds={k: round(v, 3) for k, v in clock.items()},
    )


def _int_list(values) -> list[int]:
    if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise SecAggProtocolError("expected a list of node ids")
    return values


def _public_keys(record: dict) -> tuple[bytes, bytes, bytes, bytes]:
    """(c_pk, s_pk, seed commitment, the node's signature of its keys or b"" when it signs none)."""
    keys = (record["enc-key"], record["mask-key"], record["seed-commit"], record.get("key-signature", b""))
    if not all(isinstance(k, bytes) for k in keys):
        raise SecAggProtocolError("public keys, seed commitment and signature must be bytes")
    return keys


def _ciphertexts(record: dict) -> dict[int, bytes]:
    receivers, blobs = _int_list(record["receivers"]), list(record["ciphertexts"])
    if len(receivers) != len(blobs) or not all(isinstance(b, bytes) for b in blobs):
        raise SecAggProtocolError("receivers and ciphertexts do not pair up as ids and bytes")
    return dict(zip(receivers, blobs))


def _parsed(replies: Mapping[int, tuple[dict, RecordDict]], action: str, server_round: int,
            parse: Callable[[dict], object]) -> dict:
    """{node: parse(reply)}; a node whose reply does not parse is dropped from the round, with a log line."""
    out = {}
    for node, (record, _) in replies.items():
        try:
            out[node] = parse(record)
        except (KeyError, TypeError, ValueError, SecAggProtocolError) as err:
            log.warning("secagg %s round %d: malformed reply from node %d (%s); treated as dropped", action,
                        server_round, node, err)
    return out


ReplyHandler = Callable[[int, dict, RecordDict], None]


def _stage(grid: Grid, action: str, requests: Mapping[int, dict], server_round: int,
           timeout: float | None, on_reply: ReplyHandler | None = None) -> dict[int, tuple[dict, RecordDict]]:
    """Send one request per node; return {node: (reply config, content)} of the valid replies.

    With `on_reply` each reply is handed over as it is pulled and not kept (the result maps to an
    empty dict then). Errors, malformed or stale replies and late nodes are dropped from the round.
    """
    messages = [Message(RecordDict({CONTENT_KEY: ConfigRecord({"round": server_round, **body})}),
                        dst_node_id=node, message_type=f"query.{action}", group_id=str(server_round))
                for node, body in requests.items()]
    pending = {mid: msg.metadata.dst_node_id for mid, msg in zip(grid.push_messages(messages), messages)}
    del messages
    deadline = None if timeout is None else time.monotonic() + timeout
    replies: dict[int, tuple[dict, RecordDict]] = {}
    while pending and (deadline is None or time.monotonic() < deadline):
        for reply in grid.pull_messages(list(pending)):
            node = pending.pop(reply.metadata.reply_to_message_id, None)
            if node is not None:
                _accept(reply, node, action, server_round, replies, on_reply)
        if pending:
            time.sleep(PULL_INTERVAL_S)
    for node in pending.values():
        log.warning("secagg %s round %d: node %d did not answer in time; treated as dropped", action,
                    server_round, node)
    return replies


def _accept(reply: Message, node: int, action: str, server_round: int,
            replies: dict[int, tuple[dict, RecordDict]], on_reply: ReplyHandler | None) -> None:
    if reply.has_error():
        log.warning("secagg %s round %d: node %d failed (%s); treated as dropped", action, server_round,
                    node, reply.error.reason.splitlines()[-1][:200] if reply.error.reason else reply.error.code)
        return
    try:
        if reply.metadata.src_node_id != node:
            raise SecAggProtocolError(f"reply claims to come from node {reply.metadata.src_node_id}")
        record = dict(reply.content.config_records[CONTENT_KEY])
        check_round(record, server_round, action)
        if on_reply is not None:
            on_reply(node, record, reply.content)
        else:
            replies[node] = (record, reply.content)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, SecAggProtocolError) as err:
        log.warning("secagg %s round %d: rejected reply from node %d: %s", action, server_round, node, err)
