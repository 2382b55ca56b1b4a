"""A whole SecAgg+ round between in-memory client and server state machines, without Flower.

For tests, benchmarks and for reading the protocol top to bottom; `drop` says which nodes vanish
before answering which stage ("setup", "share", "mask", "unmask"); `timings`, if given, collects
seconds per (role, stage): a list with one entry per client for "client", one entry for "server".
`deviate` plays a malicious client: stage → f(node, what the client sends) → what is sent instead.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from privatune.privacy.secagg.client_protocol import ClientProtocol
from privatune.privacy.secagg.config import SecAggConfig
from privatune.privacy.secagg.quantize import Layout
from privatune.privacy.secagg.server_protocol import ServerProtocol


def run_local_round(inputs: Mapping[int, tuple[np.ndarray, float]], config: SecAggConfig,
                    server_round: int = 1, drop: Mapping[str, set[int]] | None = None,
                    timings: dict[tuple[str, str], list[float]] | None = None,
                    deviate: Mapping[str, Callable[[int, Any], Any]] | None = None,
                    weight_ranges: Mapping[int, tuple[float, float]] | None = None,
                    ) -> tuple[ServerProtocol, np.ndarray, float]:
    """inputs: node → (flat float32 delta, weight). Returns (server, Σ w_i Δ_i as float64, Σ w_i)."""
    drop = {stage: set(nodes) for stage, nodes in (drop or {}).items()}
    clock = timings if timings is not None else defaultdict(list)

    @contextmanager
    def timed(role: str, stage: str):
        start = time.perf_counter()
        yield
        clock.setdefault((role, stage), []).append(time.perf_counter() - start)

    def live(stage: str, requests: dict) -> dict:
        return {node: request for node, request in requests.items() if node not in drop.get(stage, ())}

    def sent(stage: str, node: int, message):
        return (deviate or {}).get(stage, lambda _, m: m)(node, message)

    size = next(iter(inputs.values()))[0].size
    with timed("server", "setup"):
        server = ServerProtocol(list(inputs), server_round, Layout(("delta",), ((size,),)), config, weight_ranges)
        setup_requests = server.setup_requests()
    clients: dict[int, ClientProtocol] = {}
    keys = {}
    for node, params in live("setup", setup_requests).items():
        with timed("client", "setup"):
            clients[node], enc_key, mask_key = ClientProtocol.setup(node, params)
        keys[node] = sent("setup", node, (enc_key, mask_key, clients[node].seed_commit))
    with timed("server", "share"):
        server.receive_public_keys(keys)
        share_requests = server.share_requests()
    shares = {}
    for node, peer_keys in live("share", share_requests).items():
        with timed("client", "share"):
            shares[node] = sent("share", node, clients[node].share_keys(peer_keys))
    with timed("server", "mask"):
        server.receive_shares(shares)
        mask_requests = server.mask_requests()
    for node, relayed in live("mask", mask_requests).items():
        delta, weight = inputs[node]
        with timed("client", "mask"):
            masked, _ = clients[node].mask(relayed, delta, weight)
        with timed("server", "mask"):
            server.add_masked_input(node, sent("mask", node, masked))
        del masked
    with timed("server", "unmask"):
        server.close_mask_stage()
        unmask_requests = server.unmask_requests()
    for node, (survivors, dropped) in live("unmask", unmask_requests).items():
        with timed("client", "unmask"):
            shares_out = clients[node].unmask(survivors, dropped)
        with timed("server", "unmask"):
            server.receive_unmask_shares(node, sent("unmask", node, shares_out))
    with timed("server", "result"):
        total, weight_sum = server.result()
    return server, total, weight_sum
