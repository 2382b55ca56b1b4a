"""A coordinator in the middle of SecAgg+: it hands a hospital its own keys in place of a neighbour's.

Without a roster the hospital encrypts its Shamir shares to the coordinator, which reads them; with a
roster (node-config `secagg-roster` + `secagg-identity-key`) the hospital sees that the keys do not
carry the neighbour's signature and refuses the round. The real client handlers, the real server
state machine; at the end a whole federation with rosters through the real ClientApp and ServerApp
loop (tests/client/local_grid.py)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from flwr.app import ConfigRecord, Context, Message, Metadata, RecordDict

from privatune.certs import create_node_keys
from privatune.client import secagg_handlers
from privatune.privacy.secagg import Layout, SecAggConfig, SecAggProtocolError, ServerProtocol, crypto
from privatune.privacy.secagg.protocol import CONTENT_KEY, SHARE_KEY_PURPOSE, unpack_shares

SHAPES = {"lora_A": (2, 8), "lora_B": (8, 2)}
NODES = [7, 8, 9]


def _roster(tmp_path, nodes, listed) -> dict[int, dict]:
    """node → node-config with its own identity key and a roster listing `listed`."""
    public = {n: create_node_keys(tmp_path / "keys", f"node-{n}")[1] for n in nodes}
    roster = tmp_path / "roster.txt"
    roster.write_text("".join(f"{n} {public[n].read_text()}" for n in listed))
    return {n: {"secagg-identity-key": str(tmp_path / "keys" / f"node-{n}"), "secagg-roster": str(roster)}
            for n in nodes}


def _message(action: str, node: int, body: dict) -> Message:
    metadata = Metadata(run_id=1, message_id=f"{action}-{node}", src_node_id=1, dst_node_id=node,
                        reply_to_message_id="", group_id="1", created_at=time.time(), ttl=60.0,
                        message_type=f"query.{action}")
    return Message(content=RecordDict({CONTENT_KEY: ConfigRecord({"round": 1, **body})}), metadata=metadata)


def _set_up(node_configs: dict[int, dict]):
    """Every node through the real setup handler; the honest server's share requests."""
    server = ServerProtocol(NODES, 1, Layout.from_shapes(SHAPES), SecAggConfig(delta_bound=1.0))
    contexts, replies = {}, {}
    for node, params in server.setup_requests().items():
        contexts[node] = Context(run_id=1, node_id=node, node_config=node_configs.get(node, {}), state=RecordDict(),
                                 run_config={})
        delta = {name: np.full(shape, 0.1, np.float32) for name, shape in SHAPES.items()}
        secagg_handlers.stash_input(contexts[node], delta, 10.0, 1)
        record = secagg_handlers.handle_setup(_message("secagg_setup", node, params.to_dict()), contexts[node])
        replies[node] = dict(record.content[CONTENT_KEY])
    server.receive_public_keys({n: (r["enc-key"], r["mask-key"], r["seed-commit"]) for n, r in replies.items()})
    return server, contexts, replies


def _share(node: int, peers: dict[int, tuple[bytes, bytes]], replies: dict, context: Context) -> dict[int, bytes]:
    body = {"peers": list(peers), "enc-keys": [k[0] for k in peers.values()],
            "mask-keys": [k[1] for k in peers.values()],
            "signatures": [replies[p].get("key-signature", b"") for p in peers]}
    reply = secagg_handlers.handle_share(_message("secagg_share", node, body), context)
    record = reply.content[CONTENT_KEY]
    return dict(zip(record["receivers"], record["ciphertexts"]))


def _in_the_middle(server: ServerProtocol, victim: int, impersonated: int):
    """The coordinator's own key pairs in place of `impersonated`'s, in `victim`'s share request."""
    enc_secret, mask_secret = crypto.generate_private_key(), crypto.generate_private_key()
    peers = dict(server.share_requests()[victim])
    peers[impersonated] = (crypto.public_key_of(enc_secret), crypto.public_key_of(mask_secret))
    return peers, enc_secret


def test_with_a_roster_every_honest_neighbour_verifies(tmp_path):
    server, contexts, replies = _set_up(_roster(tmp_path, NODES, NODES))
    assert all(len(r["key-signature"]) > 0 for r in replies.values())
    for node, peers in server.share_requests().items():
        assert set(_share(node, peers, replies, contexts[node])) == set(NODES) - {node}


def test_without_a_roster_the_server_in_the_middle_reads_the_shares_meant_for_a_neighbour(tmp_path):
    server, contexts, replies = _set_up({})
    peers, enc_secret = _in_the_middle(server, victim=7, impersonated=9)
    ciphertexts = _share(7, peers, replies, contexts[7])  # accepted: nothing ties the keys to node 9
    key = crypto.agree(enc_secret, replies[7]["enc-key"], SHARE_KEY_PURPOSE, 1, 9, 7)
    key_share, seed_share = unpack_shares(crypto.decrypt_from(key, ciphertexts[9], 1, 7, 9), 7, 9)
    assert key_share and seed_share  # node 7's Shamir shares of s_sk and b, in the coordinator's hands


def test_with_a_roster_substituted_keys_are_refused_and_the_round_is_over_for_that_node(tmp_path):
    server, contexts, replies = _set_up(_roster(tmp_path, NODES, NODES))
    peers, _ = _in_the_middle(server, victim=7, impersonated=9)
    with pytest.raises(SecAggProtocolError, match="relayed for node 9 do not carry its signature"):
        _share(7, peers, replies, contexts[7])
    with pytest.raises(SecAggProtocolError, match="while in stage 'failed'"):  # no second try with other keys
        _share(7, server.share_requests()[7], replies, contexts[7])


def test_with_a_roster_a_neighbour_nobody_vouched_for_is_refused(tmp_path):
    server, contexts, replies = _set_up(_roster(tmp_path, NODES, listed=[7, 8]))  # 9: a party of the server's
    with pytest.raises(SecAggProtocolError, match="node 9 is not on the roster"):
        _share(7, server.share_requests()[7], replies, contexts[7])


def test_a_roster_without_an_identity_key_is_a_policy_error():
    from privatune.privacy.policy import ClientPolicy, PolicyError

    with pytest.raises(PolicyError, match="secagg-roster is set but secagg-identity-key is not"):
        ClientPolicy.from_node_config({"secagg-roster": "roster.txt"})


def test_a_federation_whose_nodes_check_a_roster_runs_its_rounds(tmp_path, tiny_model_dir):
    from privatune.client.app import build_client_app
    from privatune.config import RunConfig
    from privatune.demo import prepare
    from privatune.server.app import run_federation
    from privatune.server.rundir import RunDir

    from .local_grid import LocalGrid

    run = {"num-clients": 3, "records-per-client": 24, "num-rounds": 1, "local-steps": 1, "batch-size": 4,
           "max-seq-len": 32, "audit-canaries": 0, "audit-whitebox-canaries": 0, "accountant": "rdp",
           "min-clients": 3, "run-dir": str(tmp_path / "run"), "audit-signing-key": str(tmp_path / "key.pem")}
    _, files = prepare(RunConfig.from_flower(run))
    nodes = _roster(tmp_path, [1, 2, 3], [1, 2, 3])
    for i, cfg in nodes.items():
        cfg.update({"data-path": str(files[i - 1]), "state-dir": str(tmp_path / f"node-{i}")})
    grid = LocalGrid(build_client_app(), nodes, run)
    run_federation(grid, RunConfig.from_flower(run))
    rounds = RunDir(run["run-dir"]).metrics()
    assert [m["round"] for m in rounds] == [0, 1] and len(rounds[1]["clients"]) == 3
    shares = [req for _, req, _ in grid.sent if req.metadata.message_type == "query.secagg_share"]
    assert len(shares) == 3 and all(len(s.content[CONTENT_KEY]["signatures"]) == 2 for s in shares)
