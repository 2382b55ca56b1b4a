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
from dataclasses import dataclass

import numpy as np
from flwr.app import ConfigRecord, Message, RecordDict
from flwr.serverapp import Grid

from privatune.privacy.secagg import Layout, SecAggAborted, SecAggConfig, SecAggProtocolError, ServerProtocol
from privatune.privacy.secagg.protocol import CONTENT_KEY, MASKED_KEY, WEIGHT_SLOT, check_round

__all__ = ["SecAggAborted", "SecAggConfig", "SecureSumResult", "secure_sum"]

log = logging.getLogger(__name__)
PULL_INTERVAL_S = 0.05


@dataclass
class SecureSumResult:
    sum: dict[str, np.ndarray]  # Σ w_i Δ_i per tensor, float32
    weight_sum: float  # Σ w_i
    survivors: list[int]  # whose inputs are in the sum
    dropped: list[int]  # asked to take part but not in the sum
    error_bound: float  # per-coordinate quantisation error bound of `sum` (plus float32 rounding)


def secure_sum(grid: Grid, node_ids: list[int], server_round: int, shapes: Mapping[str, tuple],
               config: SecAggConfig) -> SecureSumResult:
    """Σ w_i Δ_i over the clients in `node_ids` that see the round through; raises SecAggAborted."""
    layout = Layout.from_shapes(shapes)
    server = ServerProtocol(node_ids, server_round, layout, config)
    started = time.perf_counter()

    keys = _stage(grid, "secagg_setup", {n: p.to_dict() for n, p in server.setup_requests().items()},
                  server_round, config.timeout)
    server.receive_public_keys({n: (r["enc-key"], r["mask-key"]) for n, (r, _) in keys.items()})

    shares = _stage(grid, "secagg_share", {
        n: {"peers": list(peers), "enc-keys": [k[0] for k in peers.values()],
            "mask-keys": [k[1] for k in peers.values()]}
        for n, peers in server.share_requests().items()}, server_round, config.timeout)
    server.receive_shares({n: dict(zip((int(x) for x in r["receivers"]), r["ciphertexts"]))
                           for n, (r, _) in shares.items()})

    def add_upload(node: int, _: dict, content: RecordDict) -> None:
        parts = content.array_records[MASKED_KEY]
        vector = np.concatenate([parts[name].numpy().ravel() for name in (*layout.names, WEIGHT_SLOT)])
        server.add_masked_input(node, vector)

    _stage(grid, "secagg_mask", {n: {"senders": list(relayed), "ciphertexts": list(relayed.values())}
                                 for n, relayed in server.mask_requests().items()},
           server_round, config.timeout, on_reply=add_upload)
    server.close_mask_stage()

    def add_shares(node: int, record: dict, _: RecordDict) -> None:
        server.receive_unmask_shares(node, dict(zip((int(o) for o in record["owners"]), record["shares"])))

    _stage(grid, "secagg_unmask", {n: {"survivors": s, "dropped": d}
                                   for n, (s, d) in server.unmask_requests().items()},
           server_round, config.timeout, on_reply=add_shares)
    flat, weight_sum = server.result()
    survivors = sorted(server.uploaded)
    log.info("secagg round %d: summed %d of %d clients in %.1fs", server_round, len(survivors),
             len(node_ids), time.perf_counter() - started)
    return SecureSumResult(
        sum={name: view.astype(np.float32) for name, view in layout.split(flat).items()},
        weight_sum=weight_sum, survivors=survivors, dropped=server.dropped,
        error_bound=server.fixed_point.sum_error_bound(len(survivors)),
    )


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
    except (KeyError, ValueError, SecAggProtocolError) as err:
        log.warning("secagg %s round %d: rejected reply from node %d: %s", action, server_round, node, err)
