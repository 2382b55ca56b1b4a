"""Building blocks of secure aggregation: AES-GCM share encryption, Shamir, fixed point, neighbour graph."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest

from privatune.privacy.secagg import FixedPoint, Layout, SecAggConfig, SecAggCryptoError, crypto, shamir
from privatune.privacy.secagg.graph import choose_degree, neighbour_graph, threshold_for
from privatune.privacy.secagg.quantize import delta_bound


def _pair_key(server_round=3, a=11, b=22):
    sk_a, sk_b = crypto.generate_private_key(), crypto.generate_private_key()
    key_ab = crypto.agree(sk_a, crypto.public_key_of(sk_b), b"share-key", server_round, a, b)
    key_ba = crypto.agree(sk_b, crypto.public_key_of(sk_a), b"share-key", server_round, b, a)
    return key_ab, key_ba


def test_both_ends_derive_the_same_key_bound_to_round_and_purpose():
    sk_a, sk_b = crypto.generate_private_key(), crypto.generate_private_key()
    pk_b = crypto.public_key_of(sk_b)
    key = crypto.agree(sk_a, pk_b, b"share-key", 3, 11, 22)
    assert key == crypto.agree(sk_b, crypto.public_key_of(sk_a), b"share-key", 3, 22, 11)
    assert key != crypto.agree(sk_a, pk_b, b"share-key", 4, 11, 22)
    assert key != crypto.agree(sk_a, pk_b, b"pair-mask", 3, 11, 22)


def test_share_ciphertext_round_trips():
    key_ab, key_ba = _pair_key()
    blob = crypto.encrypt_for(key_ab, b"secret shares", 3, 11, 22)
    assert crypto.decrypt_from(key_ba, blob, 3, 11, 22) == b"secret shares"


@pytest.mark.parametrize("position", [0, 12, 20, -1])  # nonce, ciphertext, tag
def test_tampered_ciphertext_is_rejected(position):
    key_ab, key_ba = _pair_key()
    blob = bytearray(crypto.encrypt_for(key_ab, b"secret shares", 3, 11, 22))
    blob[position] ^= 0x01
    with pytest.raises(SecAggCryptoError, match="failed authentication"):
        crypto.decrypt_from(key_ba, bytes(blob), 3, 11, 22)


@pytest.mark.parametrize("server_round, sender, receiver", [(4, 11, 22), (3, 33, 22), (3, 22, 11), (3, 11, 33)])
def test_ciphertext_from_another_round_sender_or_receiver_is_rejected(server_round, sender, receiver):
    key_ab, key_ba = _pair_key()
    blob = crypto.encrypt_for(key_ab, b"secret shares", 3, 11, 22)
    with pytest.raises(SecAggCryptoError):
        crypto.decrypt_from(key_ba, blob, server_round, sender, receiver)


def test_masks_are_deterministic_per_seed_and_differ_across_seeds():
    seed = os.urandom(32)
    mask = crypto.expand_mask(seed, 1000)
    assert mask.dtype == np.uint32 and mask.shape == (1000,)
    np.testing.assert_array_equal(mask, crypto.expand_mask(seed, 1000))
    assert np.count_nonzero(mask == crypto.expand_mask(os.urandom(32), 1000)) < 3


@pytest.mark.parametrize("holders, threshold", [(5, 3), (11, 7), (2, 2), (30, 30)])
def test_any_threshold_shares_recover_the_secret(holders, threshold):
    secret = os.urandom(32)
    ids = [int.from_bytes(os.urandom(8), "big") | 1 for _ in range(holders)]
    shares = shamir.split(secret, ids, threshold)
    subsets = list(itertools.islice(itertools.combinations(ids, threshold), 20))
    for subset in subsets:
        assert shamir.combine({i: shares[i] for i in subset}, threshold) == secret
    with pytest.raises(shamir.ShamirError):
        shamir.combine({i: shares[i] for i in ids[: threshold - 1]}, threshold)


def test_fewer_shares_than_threshold_do_not_give_the_secret():
    secret = os.urandom(32)
    shares = shamir.split(secret, [1, 2, 3, 4, 5], 3)
    try:  # interpolating a polynomial of too low a degree gives an unrelated field element
        recovered = shamir.combine({1: shares[1], 2: shares[2]}, 2)
    except shamir.ShamirError:
        recovered = None
    assert recovered != secret


def test_delta_bound_follows_clip_norm_lr_steps_and_slack():
    assert delta_bound(clip_norm=1.0, learning_rate=1e-3, local_steps=10, slack=4.0) == pytest.approx(0.04)
    assert SecAggConfig(clip_norm=0.5, learning_rate=2e-4, local_steps=50).range() == pytest.approx(0.02)
    assert SecAggConfig(delta_bound=0.3).range() == 0.3
    with pytest.raises(ValueError, match="clip_norm"):
        delta_bound(0.0, 1e-3, 10)


def test_run_config_keys_are_read():
    from privatune.config import RunConfig

    config = RunConfig.from_flower({"secagg-threshold": 0.75, "max-grad-norm": 2, "secagg-degree": 6,
                                    "learning-rate": 1e-4, "local-steps": 3, "unrelated": "x"}).secagg
    assert (config.threshold, config.clip_norm, config.degree, config.local_steps) == (0.75, 2.0, 6, 3)


def test_fixed_point_sum_of_clients_is_within_the_stated_bound():
    rng = np.random.default_rng(0)
    fixed = FixedPoint.for_round(num_clients=7, delta_bound=0.05, max_weight=500)
    deltas = [rng.uniform(-0.05, 0.05, 10_000).astype(np.float32) for _ in range(7)]
    weights = [float(w) for w in rng.integers(1, 501, 7)]
    total = np.zeros(10_001, dtype=np.uint32)
    for delta, weight in zip(deltas, weights):
        encoded, clamped = fixed.encode(delta, weight)
        assert clamped == 0
        total += encoded
    values, weight_sum = fixed.decode_sum(total)
    expected = sum(d.astype(np.float64) * w for d, w in zip(deltas, weights))
    assert weight_sum == sum(weights)  # integer weights are summed exactly
    error = np.abs(values - expected).max()
    assert 0 < error <= fixed.sum_error_bound(7)


def test_extreme_values_at_max_weight_do_not_wrap():
    fixed = FixedPoint.for_round(num_clients=4, delta_bound=1.0, max_weight=100)
    total = np.zeros(3, dtype=np.uint32)
    for _ in range(4):
        total += fixed.encode(np.array([1.0, -1.0], np.float32), 100.0)[0]
    values, weight_sum = fixed.decode_sum(total)
    np.testing.assert_allclose(values, [400.0, -400.0], atol=fixed.sum_error_bound(4))
    assert weight_sum == 400.0


def test_out_of_range_coordinates_are_clamped_and_counted():
    fixed = FixedPoint.for_round(num_clients=2, delta_bound=0.1, max_weight=10)
    encoded, clamped = fixed.encode(np.array([0.5, -0.3, 0.05], np.float32), 1.0)
    assert clamped == 2
    values, _ = fixed.decode_sum(encoded)
    np.testing.assert_allclose(values, [0.1, -0.1, 0.05], atol=1e-6)
    with pytest.raises(ValueError, match="max-weight"):
        fixed.encode(np.zeros(3, np.float32), 11.0)
    with pytest.raises(ValueError, match="NaN"):
        fixed.encode(np.array([np.nan], np.float32), 1.0)


def test_layout_flattens_sorted_by_name_and_names_mismatches():
    layout = Layout.from_shapes({"b": (2, 3), "a": (4,)})
    arrays = {"a": np.arange(4, dtype=np.float32), "b": np.ones((2, 3), np.float32)}
    flat = layout.flatten(arrays)
    assert flat.tolist() == [0, 1, 2, 3, 1, 1, 1, 1, 1, 1]
    assert {k: v.shape for k, v in layout.split(flat).items()} == {"a": (4,), "b": (2, 3)}
    with pytest.raises(ValueError, match=r"b has shape \(3, 2\)"):
        layout.check({"a": arrays["a"], "b": np.ones((3, 2))}, "client 7")
    with pytest.raises(ValueError, match="missing b"):
        layout.check({"a": arrays["a"]}, "client 7")


@pytest.mark.parametrize("n", [2, 5, 7])
def test_small_federations_use_the_complete_graph(n):
    graph = neighbour_graph(list(range(1, n + 1)), choose_degree(n))
    assert all(peers == set(range(1, n + 1)) - {node} for node, peers in graph.items())


@pytest.mark.parametrize("n, degree", [(20, 10), (50, 12), (200, 16)])
def test_large_federations_use_a_sparse_symmetric_graph_of_degree_log_n(n, degree):
    assert choose_degree(n) == degree
    graph = neighbour_graph(list(range(100, 100 + n)), degree)
    assert all(len(peers) == degree and node not in peers for node, peers in graph.items())
    assert all(node in graph[peer] for node, peers in graph.items() for peer in peers)
    reached, frontier = {100}, [100]
    while frontier:  # connected
        frontier = [p for node in frontier for p in graph[node] if p not in reached]
        reached.update(frontier)
    assert len(reached) == n


def test_threshold_is_a_strict_majority_of_the_neighbourhood():
    assert threshold_for(4, 0.6) == 3
    assert threshold_for(12, 0.6) == 8
    assert threshold_for(1, 0.6) == 2
    with pytest.raises(ValueError):
        threshold_for(4, 0.5)
