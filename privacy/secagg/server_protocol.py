"""The server's side of SecAgg+: a state machine with no Flower in it.

The server relays encrypted shares it cannot read, adds masked uploads into one running uint32 sum
as they arrive (memory O(model size), not O(clients × model size)), and at the end removes the
self-masks of the survivors and the pairwise masks that survivors shared with dropped clients.
It learns Σ w_i Δ_i and Σ w_i, nothing about any one client. Below the threshold it raises
SecAggAborted and holds no usable partial sum.

Against a client that deviates, the unmasked sum is checked before anything is decoded for use
(`check_aggregate`): the round words must sum to s·round (an upload masked in another round leaves
random words there), the weight sum must lie in the sum of the survivors' allowed weight ranges and
be > 0, and every coordinate must satisfy |Σ w_i Δ_i| ≤ B·Σ w_i (each honest client clamps to ±B).
Self-mask seeds are rebuilt from shares and checked against each owner's commitment, mask keys
against its public key; a crafted share is outvoted by the other holders where possible, and its
holder named in `misbehaved`. Any violation raises SecAggViolation (a SecAggAborted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from privatune.privacy.secagg import crypto, shamir
from privatune.privacy.secagg.config import SecAggAborted, SecAggConfig, SecAggProtocolError, SecAggViolation
from privatune.privacy.secagg.graph import choose_degree, neighbour_graph, threshold_for
from privatune.privacy.secagg.protocol import PAIR_MASK_PURPOSE, RoundParams, mask_sign
from privatune.privacy.secagg.quantize import TRAILER_WORDS, FixedPoint, Layout


class ServerProtocol:
    def __init__(self, node_ids: Sequence[int], server_round: int, layout: Layout, config: SecAggConfig,
                 weight_ranges: Mapping[int, tuple[float, float]] | None = None):
        """`weight_ranges`: node → [w_min, w_max] its weight must lie in (e.g. [n, n] when the server
        knows a client's exact example count); default [min_weight, max_weight] of the config."""
        if len(set(node_ids)) < max(2, config.min_survivors):
            raise SecAggAborted(f"round {server_round}: {len(set(node_ids))} clients, secure aggregation "
                                f"needs at least {max(2, config.min_survivors)}")
        self.server_round = server_round
        self.layout = layout
        self.config = config
        self.graph = neighbour_graph(list(node_ids), choose_degree(len(node_ids), config.degree))
        self.threshold = threshold_for(min(len(p) for p in self.graph.values()), config.threshold)
        self.fixed_point = FixedPoint.for_round(len(self.graph), config.range(), config.max_weight)
        default = (config.min_weight, config.max_weight)
        self.weight_ranges = {n: tuple(float(w) for w in (weight_ranges or {}).get(n, default)) for n in self.graph}
        for node, (low, high) in self.weight_ranges.items():
            if not 0 < low <= high <= config.max_weight:
                raise ValueError(f"node {node}: weight range [{low}, {high}] not inside (0, {config.max_weight}]")
        self.public_keys: dict[int, tuple[bytes, bytes]] = {}
        self.seed_commits: dict[int, bytes] = {}
        self.misbehaved: set[int] = set()  # holders whose shares were outvoted
        self.sharing: set[int] = set()  # U2: clients whose shares were relayed and whom others mask with
        self.relay: dict[int, dict[int, bytes]] = defaultdict(dict)  # receiver → {sender: ciphertext}
        self.masked_sum: np.ndarray | None = None
        self.uploaded: set[int] = set()  # U3
        self.seed_shares: dict[int, dict[int, bytes]] = defaultdict(dict)  # owner → {holder: share}
        self.key_shares: dict[int, dict[int, bytes]] = defaultdict(dict)
        self.unmasked_by: set[int] = set()  # U4
        self._unmask_requests: dict[int, tuple[list[int], list[int]]] = {}

    # ---- helpers ------------------------------------------------------------------------------
    def _abort(self, why: str) -> SecAggAborted:
        self.masked_sum = None  # nothing partial survives an abort
        return SecAggAborted(f"secure aggregation round {self.server_round} aborted: {why}")

    def _prune(self, alive: set[int], stage: str) -> set[int]:
        """Drop clients with fewer than threshold live share holders until every one has enough."""
        alive = set(alive)
        while True:
            short = {n for n in alive if len(self.graph[n] & alive) + 1 < self.threshold}
            if not short:
                break
            alive -= short
        if len(alive) < self.config.min_survivors:
            raise self._abort(f"after {stage}, {len(alive)} clients can still be unmasked "
                              f"(threshold {self.threshold}, min survivors {self.config.min_survivors})")
        return alive

    def mask_peers(self, node: int) -> frozenset[int]:
        return self.graph[node] & self.sharing

    # ---- stage 0: setup -----------------------------------------------------------------------
    def setup_requests(self) -> dict[int, RoundParams]:
        return {node: RoundParams(self.server_round, tuple(sorted(peers)), self.threshold, self.layout,
                                  self.fixed_point, self.weight_ranges[node]) for node, peers in self.graph.items()}

    def receive_public_keys(self, keys: Mapping[int, tuple[bytes, bytes, bytes]]) -> None:
        """node → (c_pk, s_pk, commitment to b); a node with anything else is dropped."""
        valid = {n: tuple(k) for n, k in keys.items() if n in self.graph and len(k) == 3
                 and all(isinstance(x, bytes) and len(x) == crypto.KEY_BYTES for x in k)}
        alive = self._prune(set(valid), "setup")
        self.public_keys = {n: valid[n][:2] for n in alive}
        self.seed_commits = {n: valid[n][2] for n in alive}

    # ---- stage 1: share keys --------------------------------------------------------------------
    def share_requests(self) -> dict[int, dict[int, tuple[bytes, bytes]]]:
        return {n: {p: self.public_keys[p] for p in self.graph[n] if p in self.public_keys}
                for n in self.public_keys}

    def receive_shares(self, ciphertexts: Mapping[int, Mapping[int, bytes]]) -> None:
        complete = {}
        for sender, addressed in ciphertexts.items():
            expected = {p for p in self.graph.get(sender, ()) if p in self.public_keys}
            if sender in self.public_keys and set(addressed) == expected:
                complete[sender] = addressed
        self.sharing = self._prune(set(complete), "key sharing")
        for sender in self.sharing:
            for receiver, blob in complete[sender].items():
                if receiver in self.sharing:
                    self.relay[receiver][sender] = blob

    # ---- stage 2: masked input ------------------------------------------------------------------
    def mask_requests(self) -> dict[int, dict[int, bytes]]:
        return {n: dict(self.relay[n]) for n in self.sharing}

    def add_masked_input(self, node: int, vector: np.ndarray) -> None:
        """Fold one upload into the running sum; the upload itself is not kept."""
        if node not in self.sharing or node in self.uploaded:
            raise SecAggProtocolError(f"unexpected or repeated masked input from node {node}")
        size = self.layout.size + TRAILER_WORDS
        if vector.dtype != np.uint32 or vector.shape != (size,):
            raise SecAggProtocolError(f"masked input from node {node} is {vector.dtype}{vector.shape}, "
                                      f"expected uint32({size},)")
        if self.masked_sum is None:
            self.masked_sum = np.zeros(size, dtype=np.uint32)
        self.masked_sum += vector
        self.uploaded.add(node)

    def close_mask_stage(self) -> None:
        self._check_recoverable(self.uploaded, "masked input")
        self._unmask_requests = {}
        for node in self.uploaded:
            peers = self.mask_peers(node)
            self._unmask_requests[node] = (sorted((peers & self.uploaded) | {node}), sorted(peers - self.uploaded))

    def _check_recoverable(self, responders: set[int], stage: str) -> None:
        if len(self.uploaded) < self.config.min_survivors:
            raise self._abort(f"{len(self.uploaded)} masked inputs, need {self.config.min_survivors}")
        for owner in self.sharing:
            holders = (self.mask_peers(owner) | {owner}) & responders
            if len(holders) < self.threshold:
                raise self._abort(f"after {stage}, node {owner}'s masks have {len(holders)} live share "
                                  f"holders, threshold {self.threshold}")

    # ---- stage 3: unmask ------------------------------------------------------------------------
    def unmask_requests(self) -> dict[int, tuple[list[int], list[int]]]:
        """Per survivor: (its surviving mask peers and itself, its dropped mask peers)."""
        return dict(self._unmask_requests)

    def receive_unmask_shares(self, node: int, shares: Mapping[int, bytes]) -> None:
        survivors, dropped = self._unmask_requests.get(node, ([], []))
        if node in self.unmasked_by or set(shares) != set(survivors) | set(dropped):
            raise SecAggProtocolError(f"unmask reply from node {node} does not answer its request")
        for owner, share in shares.items():
            (self.seed_shares if owner in self.uploaded else self.key_shares)[owner][node] = share
        self.unmasked_by.add(node)

    # ---- result ---------------------------------------------------------------------------------
    def result(self) -> tuple[np.ndarray, float]:
        """(Σ w_i Δ_i as flat float64, Σ w_i) over the clients whose masked input arrived."""
        self._check_recoverable(self.unmasked_by, "unmasking")
        total = self.masked_sum
        assert total is not None
        for owner in self.uploaded:
            commitment = self.seed_commits[owner]
            seed = self._recover(self.seed_shares[owner], owner, "self-mask seed",
                                 lambda b, o=owner, c=commitment: crypto.seed_matches(b, c, self.server_round, o))
            total -= crypto.expand_mask(seed, total.size)
        for gone in self.sharing - self.uploaded:
            public = self.public_keys[gone][1]
            secret = self._recover(self.key_shares[gone], gone, "mask key",
                                   lambda k, p=public: crypto.public_key_of(k) == p)
            for survivor in self.mask_peers(gone) & self.uploaded:
                seed = crypto.agree(secret, self.public_keys[survivor][1], PAIR_MASK_PURPOSE,
                                    self.server_round, gone, survivor)
                # undo what the survivor added for this pair: +mask if survivor < gone, else −mask
                if mask_sign(survivor, gone) > 0:
                    total -= crypto.expand_mask(seed, total.size)
                else:
                    total += crypto.expand_mask(seed, total.size)
        self.masked_sum = None
        return self.check_aggregate(total)

    def check_aggregate(self, total: np.ndarray) -> tuple[np.ndarray, float]:
        """Decode the unmasked sum, or raise SecAggViolation if no set of honest clients could give it."""
        count, fixed = len(self.uploaded), self.fixed_point
        expected_round = (count * self.server_round) % 2**32
        if int(total[-2]) != expected_round:
            raise self._violation(f"round word of the sum is {int(total[-2])}, {count} uploads of round "
                                  f"{self.server_round} give {expected_round}: an upload was masked for another "
                                  "round (replayed) or forged")
        values, weight_sum = fixed.decode_sum(total)
        low = sum(self.weight_ranges[n][0] for n in self.uploaded)
        high = sum(self.weight_ranges[n][1] for n in self.uploaded)
        weight_slack = fixed.weight_error_bound(count)
        if not (weight_sum > 0 and low - weight_slack <= weight_sum <= high + weight_slack):
            raise self._violation(f"decoded weight sum {weight_sum:g} outside [{low:g}, {high:g}], the range "
                                  f"the {count} clients' allowed weights give: a weight word was forged")
        limit = fixed.delta_bound * (weight_sum + weight_slack) + fixed.sum_error_bound(count)
        largest = float(np.abs(values).max()) if values.size else 0.0
        if not largest <= limit * (1 + 1e-9):
            raise self._violation(f"a coordinate of the weighted sum is {largest:.6g}, above the bound "
                                  f"B·Σw = {limit:.6g} that {count} clamped inputs can reach: a client "
                                  "sent an input outside the protocol's range")
        return values, weight_sum

    def _violation(self, why: str) -> SecAggViolation:
        self.masked_sum = None
        return SecAggViolation(f"secure aggregation round {self.server_round} aborted: {why}; nothing is "
                               "aggregated")

    def _recover(self, shares: dict[int, bytes], owner: int, what: str, is_secret) -> bytes:
        try:
            secret, bad = shamir.combine_checked(shares, self.threshold, is_secret)
        except shamir.ShamirError as err:
            raise self._violation(f"cannot recover node {owner}'s {what}: {err}") from err
        self.misbehaved.update(bad)
        return secret

    @property
    def dropped(self) -> list[int]:
        return sorted(set(self.graph) - self.uploaded)
