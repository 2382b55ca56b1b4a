"""SecAgg+ against a party that deviates: a server asking for a low threshold or too small a crowd, and
clients that send inputs outside the bounds, forged weight words, crafted Shamir shares or an upload
replayed from another round. Each is refused by the client or ends the round with SecAggViolation —
never a wrong sum, never an unhandled error."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from privatune.privacy.secagg import (
    ClientProtocol, Layout, SecAggAborted, SecAggConfig, SecAggProtocolError, ServerProtocol,
)
from privatune.privacy.secagg.config import SecAggViolation
from privatune.privacy.secagg import shamir
from privatune.privacy.secagg.local_round import run_local_round

CONFIG = SecAggConfig(threshold=0.6, delta_bound=0.05, max_weight=1000)
LAYOUT = Layout(("delta",), ((300,),))


def make_inputs(n: int = 5, seed: int = 0):
    rng = np.random.default_rng(seed)
    return {1 + i: (rng.uniform(-0.05, 0.05, 300).astype(np.float32), float(rng.integers(1, 1001)))
            for i in range(n)}


def plain_sum(inputs, nodes):
    return sum(inputs[n][0].astype(np.float64) * inputs[n][1] for n in nodes), sum(inputs[n][1] for n in nodes)


# ---- a malicious server ------------------------------------------------------------------------------
def _params(threshold: int, n: int = 5):
    server = ServerProtocol(list(range(1, n + 1)), 1, LAYOUT, CONFIG)
    return {node: dataclasses.replace(p, threshold=threshold) for node, p in server.setup_requests().items()}


def test_clients_refuse_a_server_that_asks_for_threshold_2_of_5():
    for node, params in _params(2).items():
        with pytest.raises(SecAggProtocolError, match="threshold 2 of 5 .* at least 3"):
            ClientProtocol.setup(node, params)


def test_honest_threshold_is_accepted_and_a_stricter_policy_raises_the_floor():
    params = _params(3)[1]
    ClientProtocol.setup(1, params)  # ⌊5/2⌋+1 = 3
    with pytest.raises(SecAggProtocolError, match="at least 4"):
        ClientProtocol.setup(1, params, min_threshold_fraction=0.8)
    with pytest.raises(SecAggProtocolError, match="at least 6 in any sum"):
        ClientProtocol.setup(1, params, min_clients=6)


def test_client_refuses_to_unmask_when_the_server_claims_too_few_survivors_for_its_policy():
    inputs = make_inputs(5)
    server = ServerProtocol(list(inputs), 1, LAYOUT, CONFIG)
    clients, keys = {}, {}
    for node, params in server.setup_requests().items():
        clients[node], enc, mask = ClientProtocol.setup(node, params, min_clients=4)
        keys[node] = (enc, mask, clients[node].seed_commit)
    server.receive_public_keys(keys)
    server.receive_shares({n: clients[n].share_keys(p) for n, p in server.share_requests().items()})
    relayed = server.mask_requests()
    clients[1].mask(relayed[1], *inputs[1])
    with pytest.raises(SecAggProtocolError, match="only 3 survivors"):  # threshold 3 would allow it
        clients[1].unmask([1, 2, 3], [4, 5])


def test_client_refuses_a_weight_outside_the_range_the_server_set():
    inputs = make_inputs(3)
    with pytest.raises(SecAggProtocolError, match="outside the range"):
        run_local_round(inputs, CONFIG, weight_ranges={1: (1.0, inputs[1][1] - 1)})


# ---- a malicious client ------------------------------------------------------------------------------
def test_honest_round_passes_the_bound_checks_with_exact_weight_ranges():
    inputs = make_inputs(5)
    ranges = {n: (w, w) for n, (_, w) in inputs.items()}
    server, total, weight_sum = run_local_round(inputs, CONFIG, weight_ranges=ranges)
    expected, expected_weight = plain_sum(inputs, inputs)
    assert weight_sum == expected_weight
    assert np.abs(total - expected).max() <= server.fixed_point.sum_error_bound(5)


def test_adding_2_to_the_30_to_one_coordinate_is_detected():
    # As deployed: the weight cap (10 000 here) sits far above the clients' example counts (≤ 1000), so
    # 2^30 stays inside n·W·B and only the bound B·Σw of the decoded weight catches it.
    config = dataclasses.replace(CONFIG, max_weight=10_000)

    def bump(node, upload):
        if node == 3:
            upload = upload.copy()
            upload[7:8] += np.uint32(2**30)  # array add wraps mod 2^32
        return upload
    with pytest.raises(SecAggViolation, match="above the bound"):
        run_local_round(make_inputs(5), config, deviate={"mask": bump})


def test_a_forged_weight_word_making_the_weight_sum_zero_is_detected():
    inputs = make_inputs(5)
    # The colluding client knows the others' weights: it makes the decoded Σw exactly 0.
    probe = FixedPointProbe(inputs)

    def zero_weight(node, upload):
        if node == 2:
            upload = upload.copy()
            upload[-1] -= np.uint32(probe.total_weight_word())
        return upload
    with pytest.raises(SecAggViolation, match=r"weight sum 0 outside"):
        run_local_round(inputs, CONFIG, deviate={"mask": zero_weight})


def test_a_weight_word_inside_the_global_range_but_not_the_clients_exact_count_is_detected():
    inputs = make_inputs(5)
    ranges = {n: (w, w) for n, (_, w) in inputs.items()}

    def inflate(node, upload):
        if node == 4:
            upload = upload.copy()
            upload[-1] += np.uint32(10 * probe.weight_scale)  # claims 10 more examples
        return upload
    probe = FixedPointProbe(inputs)
    with pytest.raises(SecAggViolation, match="weight word was forged"):
        run_local_round(inputs, CONFIG, deviate={"mask": inflate}, weight_ranges=ranges)


class FixedPointProbe:
    """What a colluding client would know: the round's fixed point and the other clients' weights."""

    def __init__(self, inputs):
        server = ServerProtocol(list(inputs), 1, LAYOUT, CONFIG)
        self.weight_scale = server.fixed_point.weight_scale
        self.weights = [w for _, w in inputs.values()]

    def total_weight_word(self) -> int:
        return int(sum(round(w * self.weight_scale) for w in self.weights)) % 2**32


def _craft_share(shares: dict[int, bytes], owner: int, victim_holders: list[int], threshold: int, liar: int):
    """Shift `liar`'s share so that the first threshold-subset rebuilds secret + 1: still a valid 32-byte
    value (passes the range check), but not the committed seed."""
    points = sorted(victim_holders)[:threshold]
    assert liar in points
    numerator, denominator = 1, 1
    for x in points:
        if x != liar:
            numerator = numerator * x % shamir.PRIME
            denominator = denominator * (x - liar) % shamir.PRIME
    lagrange = numerator * pow(denominator, -1, shamir.PRIME) % shamir.PRIME
    value = int.from_bytes(shares[owner], "big")
    crafted = (value + pow(lagrange, -1, shamir.PRIME)) % shamir.PRIME
    return {**shares, owner: crafted.to_bytes(shamir.ELEMENT_BYTES, "big")}


def test_a_crafted_shamir_share_is_outvoted_and_its_holder_named():
    inputs = make_inputs(5)

    def lie(node, shares):
        return _craft_share(shares, owner=3, victim_holders=list(inputs), threshold=3, liar=1) if node == 1 else shares
    server, total, weight_sum = run_local_round(inputs, CONFIG, deviate={"unmask": lie})
    expected, expected_weight = plain_sum(inputs, inputs)
    assert server.misbehaved == {1}
    assert weight_sum == expected_weight
    assert np.abs(total - expected).max() <= server.fixed_point.sum_error_bound(5)


def test_a_crafted_share_that_cannot_be_outvoted_ends_the_round():
    inputs = make_inputs(5)

    def lie(node, shares):  # only 3 holders answer (threshold 3): no honest subset is left
        return _craft_share(shares, owner=1, victim_holders=[1, 2, 3], threshold=3, liar=2) if node == 2 else shares
    with pytest.raises(SecAggViolation, match="cannot recover node 1's self-mask seed"):
        run_local_round(inputs, CONFIG, drop={"unmask": {4, 5}}, deviate={"unmask": lie})


def test_an_upload_replayed_from_another_round_is_detected():
    inputs = make_inputs(4)
    captured = {}

    def capture(node, upload):
        captured.setdefault(node, upload.copy())
        return upload
    run_local_round(inputs, CONFIG, server_round=1, deviate={"mask": capture})

    def replay(node, upload):
        return captured[node] if node == 2 else upload
    with pytest.raises(SecAggViolation, match="another round"):
        run_local_round(inputs, CONFIG, server_round=2, deviate={"mask": replay})


def test_a_seed_commitment_that_does_not_match_the_shared_seed_ends_the_round():
    inputs = make_inputs(4)

    def wrong_commit(node, keys):
        return (keys[0], keys[1], bytes(32)) if node == 4 else keys
    with pytest.raises(SecAggViolation, match="node 4's self-mask seed"):
        run_local_round(inputs, CONFIG, deviate={"setup": wrong_commit})


def test_violations_are_aborts_so_callers_handling_aborts_end_the_round_cleanly():
    assert issubclass(SecAggViolation, SecAggAborted)
