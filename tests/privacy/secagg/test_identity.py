"""Signed SecAgg round keys and the hospitals' roster (privacy/secagg/identity.py)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from privatune.certs import create_node_keys
from privatune.privacy.secagg import SecAggProtocolError
from privatune.privacy.secagg.identity import Roster, load_identity, sign_round_keys

ENC, MASK = bytes(range(32)), bytes(range(32, 64))


@pytest.fixture
def parties(tmp_path):
    """Node 11: the ECDSA P-384 OpenSSH key `privatune certs node` writes; node 12: an Ed25519 PEM key."""
    ec_private, ec_public = create_node_keys(tmp_path, "hospital-a")
    ed = ed25519.Ed25519PrivateKey.generate()
    (tmp_path / "b.pem").write_bytes(ed.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    ed_public = ed.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    roster = tmp_path / "roster.txt"
    roster.write_text(f"# the federation\n11 {ec_public.read_text().strip()}\n\n12 {ed_public.decode()} hospital-b\n")
    return {11: load_identity(ec_private), 12: load_identity(tmp_path / "b.pem")}, Roster.load(roster)


@pytest.mark.parametrize("node", [11, 12])
def test_a_signature_verifies_only_for_its_run_round_node_and_keys(parties, node):
    keys, roster = parties
    signature = sign_round_keys(keys[node], 5, 3, node, ENC, MASK)
    roster.verify(node, signature, 5, 3, ENC, MASK)
    for run_id, server_round, enc, mask in ((6, 3, ENC, MASK), (5, 4, ENC, MASK), (5, 3, MASK, ENC),
                                            (5, 3, ENC, bytes(32))):
        with pytest.raises(SecAggProtocolError, match="substituted or altered"):
            roster.verify(node, signature, run_id, server_round, enc, mask)
    other = 12 if node == 11 else 11
    with pytest.raises(SecAggProtocolError, match=f"relayed for node {other}"):  # node 11's keys signed by 12
        roster.verify(other, signature, 5, 3, ENC, MASK)
    with pytest.raises(SecAggProtocolError, match="substituted or altered"):
        roster.verify(node, b"", 5, 3, ENC, MASK)


def test_a_node_not_on_the_roster_is_refused(parties):
    keys, roster = parties
    with pytest.raises(SecAggProtocolError, match="node 13 is not on the roster"):
        roster.verify(13, sign_round_keys(keys[11], 5, 3, 13, ENC, MASK), 5, 3, ENC, MASK)


def test_a_malformed_roster_names_its_file_and_line(tmp_path):
    bad = tmp_path / "roster.txt"
    bad.write_text("11 ssh-ed25519 not-base64\n")
    with pytest.raises(ValueError, match=r"roster.txt, line 1: expected 'NODE_ID KEY_TYPE BASE64"):
        Roster.load(bad)
    _, public = create_node_keys(tmp_path, "a")
    bad.write_text(f"11 {public.read_text()}11 {public.read_text()}")
    with pytest.raises(ValueError, match="line 2: node 11 is listed twice"):
        Roster.load(bad)


def test_an_unreadable_or_unsupported_identity_key_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="cannot be read"):
        load_identity(tmp_path / "missing")
    (tmp_path / "junk").write_text("not a key")
    with pytest.raises(ValueError, match="not an unencrypted OpenSSH or PEM private key"):
        load_identity(tmp_path / "junk")
