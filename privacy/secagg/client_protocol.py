"""The client's side of SecAgg+: a state machine with no Flower in it.

Its whole state is a dict of ints, bytes and lists (`to_dict` / `from_dict`), so the Flower handlers
can keep it in `Context.state` between stages. Secret keys and seeds never leave the client except
as Shamir shares encrypted to a neighbour.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np

from privatune.privacy.secagg import crypto, shamir
from privatune.privacy.secagg.config import SecAggProtocolError
from privatune.privacy.secagg.protocol import (
    PAIR_MASK_PURPOSE, SHARE_KEY_PURPOSE, RoundParams, mask_sign, pack_shares, unpack_shares,
)


@dataclass
class ClientProtocol:
    node_id: int
    params: dict[str, Any]  # RoundParams.to_dict()
    stage: str = "setup"
    enc_secret: bytes = b""  # c_sk: decrypts shares sent to us
    mask_secret: bytes = b""  # s_sk: agrees pairwise mask seeds; Shamir-shared
    self_seed: bytes = b""  # b: seed of the self-mask; Shamir-shared
    seed_commit: bytes = b""  # H(round, node, b), sent at setup so the server can check the rebuilt b
    min_clients: int = 2  # fewest clients this client lets its input be summed with (itself included)
    peer_ids: list[int] = field(default_factory=list)
    peer_enc_keys: list[bytes] = field(default_factory=list)
    peer_mask_keys: list[bytes] = field(default_factory=list)
    share_owner_ids: list[int] = field(default_factory=list)  # whose shares we hold (self included)
    held_key_shares: list[bytes] = field(default_factory=list)
    held_seed_shares: list[bytes] = field(default_factory=list)
    mask_peer_ids: list[int] = field(default_factory=list)

    # ---- serialisation (Context.state) -------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Flat dict (round params under "param:" keys), as a Flower ConfigRecord can hold it."""
        flat = asdict(self)
        flat.update({f"param:{k}": v for k, v in flat.pop("params").items()})
        return flat

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> ClientProtocol:
        values = {k: (list(v) if isinstance(v, list) else v) for k, v in record.items()}
        params = {k.removeprefix("param:"): values.pop(k) for k in list(values) if k.startswith("param:")}
        return cls(params=params, **values)

    @property
    def round_params(self) -> RoundParams:
        return RoundParams.from_dict(self.params)

    @property
    def server_round(self) -> int:
        return int(self.params["round"])

    def _expect(self, stage: str) -> None:
        if self.stage != stage:
            raise SecAggProtocolError(f"node {self.node_id}: got a '{stage}' request while in stage "
                                      f"'{self.stage}' of round {self.server_round}; refusing it")
        self.stage = "failed"  # any error below leaves the round unusable for this client

    # ---- stage 0: setup ---------------------------------------------------------------------
    @classmethod
    def setup(cls, node_id: int, params: RoundParams, min_threshold_fraction: float | None = None,
              min_clients: int | None = None) -> tuple[ClientProtocol, bytes, bytes]:
        """Fresh per-round key pairs and self-mask seed; returns the state and (c_pk, s_pk) to advertise.

        Refuses a threshold below ⌊m/2⌋+1 of its neighbourhood of m (itself included), or below
        `min_threshold_fraction`·m (the client's policy): with t ≤ m/2 a server could ask two
        disjoint groups of holders for the two secrets of one client and unmask its input alone.
        Refuses a neighbourhood smaller than `min_clients` (default 2).
        """
        if node_id in params.neighbours:
            raise SecAggProtocolError(f"node {node_id} is listed as its own neighbour")
        size = len(set(params.neighbours)) + 1
        if size != len(params.neighbours) + 1:
            raise SecAggProtocolError(f"node {node_id}: neighbour list has duplicates")
        floor = size // 2 + 1
        if min_threshold_fraction is not None:
            if not 0.5 < float(min_threshold_fraction) <= 1.0:
                raise ValueError(f"min_threshold_fraction must be in (0.5, 1], got {min_threshold_fraction}")
            floor = max(floor, math.ceil(float(min_threshold_fraction) * size - 1e-9))
        if not floor <= params.threshold <= size:
            raise SecAggProtocolError(
                f"node {node_id}: server asks for threshold {params.threshold} of {size} clients; this "
                f"client needs at least {floor} (a lower threshold would let the server unmask a single "
                "client's input); refusing the round")
        min_clients = max(2, int(min_clients or 2))
        if size < min_clients:
            raise SecAggProtocolError(f"node {node_id}: round has {size} clients in its neighbourhood, this "
                                      f"client's policy requires at least {min_clients} in any sum")
        low, high = params.weight_range
        if not 0 < low <= high <= params.fixed_point.max_weight:
            raise SecAggProtocolError(f"node {node_id}: weight range [{low}, {high}] is not inside "
                                      f"(0, {params.fixed_point.max_weight}]")
        seed = os.urandom(crypto.KEY_BYTES)
        state = cls(node_id, params.to_dict(), stage="share",
                    enc_secret=crypto.generate_private_key(), mask_secret=crypto.generate_private_key(),
                    self_seed=seed, seed_commit=crypto.commit_seed(seed, params.server_round, node_id),
                    min_clients=min_clients)
        return state, crypto.public_key_of(state.enc_secret), crypto.public_key_of(state.mask_secret)

    @property
    def quorum(self) -> int:
        """Fewest live clients (itself included) this client goes on with: threshold and policy minimum."""
        return max(int(self.params["threshold"]), self.min_clients)

    # ---- stage 1: share keys ----------------------------------------------------------------
    def share_keys(self, peer_keys: dict[int, tuple[bytes, bytes]],
                   check: Callable[[dict[int, tuple[bytes, bytes]]], None] | None = None) -> dict[int, bytes]:
        """Shamir-share s_sk and a fresh b among the live neighbours; encrypt each neighbour's pair.

        `check(peer_keys)` raises when the keys are not the neighbours' own (identity.Roster)."""
        self._expect("share")
        params = self.round_params
        if check is not None:
            check(peer_keys)
        strangers = set(peer_keys) - set(params.neighbours)
        if strangers:
            raise SecAggProtocolError(f"node {self.node_id}: server sent keys of non-neighbours {sorted(strangers)}")
        if len(peer_keys) + 1 < self.quorum:
            raise SecAggProtocolError(f"node {self.node_id}: only {len(peer_keys)} live neighbours, "
                                      f"threshold {params.threshold}, min clients {self.min_clients}")
        all_keys = [k for pair in peer_keys.values() for k in pair]
        if len(set(all_keys)) != len(all_keys) or any(len(k) != crypto.KEY_BYTES for k in all_keys):
            raise SecAggProtocolError(f"node {self.node_id}: neighbours' public keys are not distinct 32-byte keys")
        holders = [self.node_id, *peer_keys]
        key_shares = shamir.split(self.mask_secret, holders, params.threshold)
        seed_shares = shamir.split(self.self_seed, holders, params.threshold)
        ciphertexts = {}
        for peer, (enc_key, _) in peer_keys.items():
            key = crypto.agree(self.enc_secret, enc_key, SHARE_KEY_PURPOSE, self.server_round, self.node_id, peer)
            plaintext = pack_shares(self.node_id, peer, key_shares[peer], seed_shares[peer])
            ciphertexts[peer] = crypto.encrypt_for(key, plaintext, self.server_round, self.node_id, peer)
        self.peer_ids = list(peer_keys)
        self.peer_enc_keys = [pair[0] for pair in peer_keys.values()]
        self.peer_mask_keys = [pair[1] for pair in peer_keys.values()]
        self.share_owner_ids = [self.node_id]
        self.held_key_shares = [key_shares[self.node_id]]
        self.held_seed_shares = [seed_shares[self.node_id]]
        self.stage = "mask"
        return ciphertexts

    # ---- stage 2: masked input --------------------------------------------------------------
    def mask(self, ciphertexts: dict[int, bytes], flat_delta: np.ndarray, weight: float) -> tuple[np.ndarray, int]:
        """Decrypt and keep the neighbours' shares; return (masked uint32 vector, clamped count)."""
        self._expect("mask")
        params = self.round_params
        peers = dict(zip(self.peer_ids, zip(self.peer_enc_keys, self.peer_mask_keys)))
        strangers = set(ciphertexts) - set(peers)
        if strangers:
            raise SecAggProtocolError(f"node {self.node_id}: shares from nodes {sorted(strangers)} that "
                                      "were not live neighbours")
        if len(ciphertexts) + 1 < self.quorum:
            raise SecAggProtocolError(f"node {self.node_id}: shares from only {len(ciphertexts)} neighbours, "
                                      f"threshold {params.threshold}, min clients {self.min_clients}")
        low, high = params.weight_range
        if not low <= weight <= high:
            raise SecAggProtocolError(f"node {self.node_id}: weight {weight} outside the range [{low}, {high}] "
                                      "the server set for this round; refusing to send")
        for sender, blob in ciphertexts.items():
            key = crypto.agree(self.enc_secret, peers[sender][0], SHARE_KEY_PURPOSE, self.server_round,
                               self.node_id, sender)
            plaintext = crypto.decrypt_from(key, blob, self.server_round, sender, self.node_id)
            key_share, seed_share = unpack_shares(plaintext, sender, self.node_id)
            self.share_owner_ids.append(sender)
            self.held_key_shares.append(key_share)
            self.held_seed_shares.append(seed_share)
        masked, clamped = self._masked_vector(params, flat_delta, weight, {p: peers[p][1] for p in ciphertexts})
        self.mask_peer_ids = list(ciphertexts)
        self.stage = "unmask"
        return masked, clamped

    def _masked_vector(self, params: RoundParams, flat_delta: np.ndarray, weight: float,
                       peer_mask_keys: dict[int, bytes]) -> tuple[np.ndarray, int]:
        if flat_delta.size != params.layout.size:
            raise SecAggProtocolError(f"node {self.node_id}: delta has {flat_delta.size} values, "
                                      f"round layout has {params.layout.size}")
        vector, clamped = params.fixed_point.encode(flat_delta, weight, round_word=params.server_round)
        vector += crypto.expand_mask(self.self_seed, vector.size)
        for peer, public_key in peer_mask_keys.items():
            seed = crypto.agree(self.mask_secret, public_key, PAIR_MASK_PURPOSE, self.server_round,
                                self.node_id, peer)
            if mask_sign(self.node_id, peer) > 0:
                vector += crypto.expand_mask(seed, vector.size)
            else:
                vector -= crypto.expand_mask(seed, vector.size)
        return vector, clamped

    # ---- stage 3: unmask --------------------------------------------------------------------
    def unmask(self, survivors: list[int], dropped: list[int]) -> dict[int, bytes]:
        """Shares of b for surviving neighbours, of s_sk for dropped ones; answered once per round."""
        self._expect("unmask")
        params = self.round_params
        survived, gone = set(survivors), set(dropped)
        known = set(self.mask_peer_ids) | {self.node_id}
        if survived & gone:
            raise SecAggProtocolError(f"node {self.node_id}: server asks for both secrets of nodes "
                                      f"{sorted(survived & gone)}; that would reveal their inputs")
        if not survived | gone <= known or self.node_id not in survived:
            raise SecAggProtocolError(f"node {self.node_id}: unmask request names nodes it never masked with")
        if len(survived) < self.quorum:
            raise SecAggProtocolError(f"node {self.node_id}: only {len(survived)} survivors, "
                                      f"threshold {params.threshold}, min clients {self.min_clients}")
        held = dict(zip(self.share_owner_ids, zip(self.held_key_shares, self.held_seed_shares)))
        shares = {owner: held[owner][1] for owner in survived}
        shares.update({owner: held[owner][0] for owner in gone})
        self.stage = "done"
        return shares
