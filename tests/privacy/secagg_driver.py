"""Runs a whole SecAgg+ round between in-memory client and server state machines (no Flower).

Shared by the protocol tests and the overhead benchmark; `drop` says which nodes vanish before
answering which stage.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from privatune.privacy.secagg import ClientProtocol, Layout, SecAggConfig, ServerProtocol


def run_round(inputs: Mapping[int, tuple[np.ndarray, float]], config: SecAggConfig, server_round: int = 1,
              drop: Mapping[str, set[int]] | None = None):
    """inputs: node → (flat float32 delta, weight). Returns (server, flat sum, weight sum)."""
    drop = {stage: set(nodes) for stage, nodes in (drop or {}).items()}
    size = next(iter(inputs.values()))[0].size
    server = ServerProtocol(list(inputs), server_round, Layout(("delta",), ((size,),)), config)
    clients: dict[int, ClientProtocol] = {}
    keys = {}
    for node, params in server.setup_requests().items():
        if node not in drop.get("setup", ()):
            clients[node], c_pk, s_pk = ClientProtocol.setup(node, params)
            keys[node] = (c_pk, s_pk)
    server.receive_public_keys(keys)
    shares = {node: clients[node].share_keys(peers) for node, peers in server.share_requests().items()
              if node not in drop.get("share", ())}
    server.receive_shares(shares)
    for node, relayed in server.mask_requests().items():
        if node not in drop.get("mask", ()):
            delta, weight = inputs[node]
            masked, _ = clients[node].mask(relayed, delta, weight)
            server.add_masked_input(node, masked)
    server.close_mask_stage()
    for node, (survivors, dropped) in server.unmask_requests().items():
        if node not in drop.get("unmask", ()):
            server.receive_unmask_shares(node, clients[node].unmask(survivors, dropped))
    total, weight_sum = server.result()
    return server, total, weight_sum
