"""Who is who in SecAgg+: each hospital signs its round's public keys; its neighbours check them.

Without signatures the coordinator relays the public keys unchecked, so it can hand a hospital keys of
its own in place of a neighbour's (a man in the middle): it then decrypts the Shamir shares meant for
that neighbour, and with a threshold of such neighbours it rebuilds one hospital's secrets and unmasks
its input alone. Bonawitz et al. (2017, "active security") close this with a PKI: every client signs
its round keys and checks its neighbours' signatures. Here the PKI is a *roster* the hospitals agree
on out of band — one line per SuperNode:

    NODE_ID  KEY_TYPE BASE64 [comment]        e.g. 1363…6161 ecdsa-sha2-nistp384 AAAAE2Vj… hospital-a

(the node id `flwr supernode register` printed, then the node's public key in OpenSSH form, i.e. the
`.pub` file `privatune certs node` wrote and the SuperLink authenticates the node by). Each node signs
with the matching private key (node-config `secagg-identity-key`). Signed: the protocol label, the
Flower run id, the round, the node id and both public keys, so a signature from another run, round or
node does not verify. Ed25519 and ECDSA (P-256/384/521, SHA-384) keys are accepted.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from privatune.privacy.secagg.config import SecAggProtocolError
from privatune.privacy.secagg.crypto import PROTOCOL_LABEL

_KEY_TYPES = (ed25519.Ed25519PrivateKey, ec.EllipticCurvePrivateKey)


def _message(run_id: int, server_round: int, node: int, enc_key: bytes, mask_key: bytes) -> bytes:
    return PROTOCOL_LABEL + b"/round-keys" + struct.pack(">QQQ", run_id, server_round, node) + enc_key + mask_key


def load_identity(path: str | Path):
    """The node's signing key: an OpenSSH or PEM private key file (Ed25519 or ECDSA), unencrypted."""
    path = Path(path).expanduser()
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ValueError(f"secagg-identity-key {path} cannot be read ({err.strerror})") from None
    loaders = (serialization.load_ssh_private_key, serialization.load_pem_private_key)
    for load in loaders:
        try:
            key = load(raw, password=None)
            break
        except (ValueError, TypeError):
            continue
    else:
        raise ValueError(f"secagg-identity-key {path} is not an unencrypted OpenSSH or PEM private key")
    if not isinstance(key, _KEY_TYPES):
        raise ValueError(f"secagg-identity-key {path}: {type(key).__name__} keys are not supported; "
                         "use Ed25519 or ECDSA (e.g. the key `privatune certs node` wrote)")
    return key


def sign_round_keys(private_key, run_id: int, server_round: int, node: int, enc_key: bytes,
                    mask_key: bytes) -> bytes:
    message = _message(run_id, server_round, node, enc_key, mask_key)
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(message)
    return private_key.sign(message, ec.ECDSA(hashes.SHA384()))


@dataclass(frozen=True)
class Roster:
    """node id → public key, as the hospitals agreed it (see the module docstring)."""

    path: Path
    keys: dict

    @classmethod
    def load(cls, path: str | Path) -> "Roster":
        path = Path(path).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise ValueError(f"secagg-roster {path} cannot be read ({err})") from None
        keys: dict[int, object] = {}
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            node, _, key_text = line.partition(" ")
            try:
                node_id = int(node)
                key = serialization.load_ssh_public_key(key_text.strip().encode())
            except ValueError as err:
                raise ValueError(f"secagg-roster {path}, line {number}: expected 'NODE_ID KEY_TYPE BASE64 "
                                 f"[comment]' with an OpenSSH public key ({err})") from None
            if not isinstance(key, (ed25519.Ed25519PublicKey, ec.EllipticCurvePublicKey)):
                raise ValueError(f"secagg-roster {path}, line {number}: {type(key).__name__} keys are not supported")
            if node_id in keys:
                raise ValueError(f"secagg-roster {path}, line {number}: node {node_id} is listed twice")
            keys[node_id] = key
        return cls(path, keys)

    def verify(self, node: int, signature: bytes, run_id: int, server_round: int, enc_key: bytes,
               mask_key: bytes) -> None:
        """SecAggProtocolError unless `node` is on the roster and signed exactly these keys."""
        key = self.keys.get(int(node))
        if key is None:
            raise SecAggProtocolError(f"node {node} is not on the roster {self.path}: the server put a party "
                                      "nobody vouched for in this node's neighbourhood; refusing the round")
        message = _message(run_id, server_round, node, enc_key, mask_key)
        try:
            if isinstance(key, ed25519.Ed25519PublicKey):
                key.verify(signature, message)
            else:
                key.verify(signature, message, ec.ECDSA(hashes.SHA384()))
        except (InvalidSignature, ValueError, TypeError):
            raise SecAggProtocolError(
                f"the round keys relayed for node {node} do not carry its signature (roster {self.path}): "
                "the server substituted or altered them; refusing the round") from None

    def check_peers(self, peer_keys: dict[int, tuple[bytes, bytes]], signatures: dict[int, bytes],
                    run_id: int, server_round: int) -> None:
        for peer, (enc_key, mask_key) in peer_keys.items():
            self.verify(peer, signatures.get(peer, b""), run_id, server_round, enc_key, mask_key)
