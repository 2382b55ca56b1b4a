"""The SecAgg+ protocol end to end between in-memory clients and server: sums, drop-outs, aborts, attacks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chisquare

from privatune.privacy.secagg import (
    ClientProtocol, Layout, SecAggAborted, SecAggConfig, SecAggCryptoError, SecAggProtocolError, ServerProtocol,
)
from privatune.privacy.secagg.local_round import run_local_round

CONFIG = SecAggConfig(threshold=0.6, delta_bound=0.05, max_weight=1000)
STAGES = ("setup", "share", "mask", "unmask")


def make_inputs(n: int, size: int = 2000, seed: int = 0, first_id: int = 1):
    rng = np.random.default_rng(seed)
    return {first_id + i: (rng.uniform(-0.05, 0.05, size).astype(np.float32), float(rng.integers(1, 1001)))
            for i in range(n)}


def assert_correct_sum(server, total, weight_sum, inputs):
    survivors = sorted(server.uploaded)
    expected = sum(inputs[n][0].astype(np.float64) * inputs[n][1] for n in survivors)
    assert weight_sum == sum(inputs[n][1] for n in survivors)
    assert np.abs(total - expected).max() <= server.fixed_point.sum_error_bound(len(survivors))


@pytest.mark.parametrize("n, seed", [(2, 1), (5, 2), (20, 3)])
def test_unmasked_sum_equals_plain_sum_within_the_quantisation_bound(n, seed):
    inputs = make_inputs(n, seed=seed, first_id=1000 + seed)
    server, total, weight_sum = run_local_round(inputs, CONFIG)
    assert server.uploaded == set(inputs)
    assert_correct_sum(server, total, weight_sum, inputs)


@pytest.mark.parametrize("stage", STAGES)
def test_up_to_n_minus_t_drop_outs_at_any_stage_still_give_the_right_sum(stage):
    inputs = make_inputs(5)
    server = ServerProtocol(list(inputs), 1, Layout(("d",), ((1,),)), CONFIG)
    assert server.threshold == 3  # complete graph of 5, ⌈0.6·5⌉
    server, total, weight_sum = run_local_round(inputs, CONFIG, drop={stage: {2, 4}})
    assert_correct_sum(server, total, weight_sum, inputs)
    assert len(server.uploaded) == (5 if stage == "unmask" else 3)


def test_drop_outs_spread_over_several_stages():
    inputs = make_inputs(5)
    server, total, weight_sum = run_local_round(inputs, CONFIG, drop={"share": {1}, "unmask": {5}})
    assert server.uploaded == {2, 3, 4, 5}
    assert_correct_sum(server, total, weight_sum, inputs)


@pytest.mark.parametrize("stage", STAGES)
def test_more_than_n_minus_t_drop_outs_abort_cleanly(stage):
    inputs = make_inputs(5)
    with pytest.raises(SecAggAborted, match="aborted"):
        run_local_round(inputs, CONFIG, drop={stage: {1, 3, 5}})


def test_abort_leaves_no_partial_sum_on_the_server():
    inputs = make_inputs(5)
    server, clients, requests = _round_until_mask(inputs)
    for node, relayed in list(requests.items())[:2]:
        server.add_masked_input(node, clients[node].mask(relayed, *inputs[node])[0])
    with pytest.raises(SecAggAborted):
        server.close_mask_stage()
    assert server.masked_sum is None


def test_secagg_plus_graph_survives_random_drop_outs_within_each_neighbourhood():
    inputs = make_inputs(20, size=500, seed=7, first_id=50)
    rng = np.random.default_rng(11)
    dropped = rng.choice(sorted(inputs), size=4, replace=False)
    drop = {"share": {int(dropped[0])}, "mask": {int(dropped[1]), int(dropped[2])}, "unmask": {int(dropped[3])}}
    server, total, weight_sum = run_local_round(inputs, CONFIG, drop=drop)
    assert max(len(p) for p in server.graph.values()) == 10  # sparse: 10 of 19 others
    assert server.uploaded == set(inputs) - set(int(d) for d in dropped[:3])
    assert_correct_sum(server, total, weight_sum, inputs)


def _round_until_mask(inputs, server_round=1):
    """Clients and server after key sharing: (server, clients, relayed ciphertexts per receiver)."""
    size = next(iter(inputs.values()))[0].size
    server = ServerProtocol(list(inputs), server_round, Layout(("delta",), ((size,),)), CONFIG)
    clients, keys = {}, {}
    for node, params in server.setup_requests().items():
        clients[node], *keys[node] = ClientProtocol.setup(node, params)
    server.receive_public_keys(keys)
    server.receive_shares({n: clients[n].share_keys(p) for n, p in server.share_requests().items()})
    return server, clients, server.mask_requests()


def test_tampered_share_ciphertext_is_rejected_by_the_receiver():
    inputs = make_inputs(3)
    _, clients, relayed = _round_until_mask(inputs)
    tampered = dict(relayed[1])
    blob = bytearray(tampered[2])
    blob[-5] ^= 0x80
    tampered[2] = bytes(blob)
    with pytest.raises(SecAggCryptoError, match="from node 2"):
        clients[1].mask(tampered, *inputs[1])


def test_share_replayed_from_another_round_is_rejected():
    inputs = make_inputs(3)
    _, _, old_relayed = _round_until_mask(inputs, server_round=1)
    _, clients, relayed = _round_until_mask(inputs, server_round=2)
    replayed = {**relayed[1], 2: old_relayed[1][2]}
    with pytest.raises(SecAggCryptoError, match="round 2"):
        clients[1].mask(replayed, *inputs[1])


def test_share_attributed_to_the_wrong_sender_is_rejected():
    inputs = make_inputs(3)
    _, clients, relayed = _round_until_mask(inputs)
    swapped = {2: relayed[1][3], 3: relayed[1][2]}
    with pytest.raises(SecAggCryptoError, match="wrong sender"):
        clients[1].mask(swapped, *inputs[1])


def test_share_readdressed_to_another_receiver_is_rejected():
    inputs = make_inputs(3)
    _, clients, relayed = _round_until_mask(inputs)
    with pytest.raises(SecAggCryptoError):
        clients[1].mask({2: relayed[3][2], 3: relayed[1][3]}, *inputs[1])  # 2's share meant for node 3


def test_client_never_reveals_both_secrets_of_a_node_and_answers_unmask_once():
    inputs = make_inputs(3)
    _, clients, relayed = _round_until_mask(inputs)
    clients[1].mask(relayed[1], *inputs[1])
    with pytest.raises(SecAggProtocolError, match="both secrets"):
        clients[1].unmask([1, 2, 3], [2])
    _, clients, relayed = _round_until_mask(inputs)
    clients[1].mask(relayed[1], *inputs[1])
    assert set(clients[1].unmask([1, 2, 3], [])) == {1, 2, 3}
    with pytest.raises(SecAggProtocolError, match="stage"):
        clients[1].unmask([1, 2], [3])


def test_client_state_survives_a_round_trip_through_its_dict():
    inputs = make_inputs(3)
    _, clients, relayed = _round_until_mask(inputs)
    restored = ClientProtocol.from_dict(clients[1].to_dict())
    masked, _ = restored.mask(relayed[1], *inputs[1])
    assert masked.shape == (2001,) and restored.stage == "unmask"


def _uniformity_p_values(vector: np.ndarray) -> tuple[float, float]:
    high = np.bincount(vector >> 24, minlength=256)
    low = np.bincount(vector & 0xFF, minlength=256)
    return chisquare(high).pvalue, chisquare(low).pvalue


@pytest.mark.parametrize("kind", ["random", "zeros"])
def test_what_the_server_holds_of_one_upload_is_uniform_and_never_the_delta(kind):
    size = 100_000
    rng = np.random.default_rng(5)
    delta = rng.normal(0, 0.01, size) if kind == "random" else np.zeros(size)
    inputs = {n: (delta.astype(np.float32), 100.0) for n in (1, 2, 3)}
    _, clients, relayed = _round_until_mask(inputs)
    upload, _ = clients[1].mask(relayed[1], *inputs[1])
    encoded, _ = clients[1].round_params.fixed_point.encode(inputs[1][0], inputs[1][1])
    assert np.count_nonzero(upload == encoded) < 5  # chance agreement ~ size / 2^32
    assert min(_uniformity_p_values(upload)) > 1e-6
    assert min(_uniformity_p_values(encoded)) < 1e-6  # the test can tell: the plain encoding is not uniform



def test_server_keeps_one_running_sum_not_every_upload():
    inputs = make_inputs(5, size=50_000)
    server, clients, requests = _round_until_mask(inputs)
    for node, relayed in requests.items():
        server.add_masked_input(node, clients[node].mask(relayed, *inputs[node])[0])
    held = [v for v in vars(server).values() if isinstance(v, np.ndarray)]
    assert sum(a.nbytes for a in held) == 4 * 50_001  # one uint32 vector, whatever the number of clients
