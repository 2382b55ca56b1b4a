"""Cryptographic primitives of secure aggregation, all from the `cryptography` package.

- per-round X25519 key pairs (one to encrypt shares, one to agree pairwise mask seeds),
- HKDF-SHA256 to turn an X25519 shared secret into a 32-byte key bound to its purpose, round and pair,
- AES-256-GCM for the Shamir shares relayed through the server; the associated data binds the
  round, the sender and the receiver, so a ciphertext replayed from another round, re-addressed or
  attributed to another sender fails authentication,
- ChaCha20 keystream expansion of a 32-byte seed into a uint32 mask vector (vectorised, ~5 GB/s).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PROTOCOL_LABEL = b"privatune/secagg/v1"
KEY_BYTES = 32
NONCE_BYTES = 12
_CHUNK_BYTES = 1 << 22
_ZEROS = bytes(_CHUNK_BYTES)


class SecAggCryptoError(ValueError):
    """A ciphertext or key failed verification (tampered, replayed, or wrongly attributed)."""


def generate_private_key() -> bytes:
    """A fresh X25519 private key, as its 32 raw bytes (what gets Shamir-shared)."""
    return X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_key_of(private_key: bytes) -> bytes:
    """The 32 raw bytes of the X25519 public key that belongs to `private_key`."""
    return (
        X25519PrivateKey.from_private_bytes(private_key)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def _pair_info(purpose: bytes, server_round: int, node_a: int, node_b: int) -> bytes:
    # Sorted so both ends of a pair derive the same key.
    low, high = sorted((node_a, node_b))
    return PROTOCOL_LABEL + b"/" + purpose + struct.pack(">QQQ", server_round, low, high)


def agree(private_key: bytes, peer_public_key: bytes, purpose: bytes, server_round: int,
          node_a: int, node_b: int) -> bytes:
    """X25519 + HKDF-SHA256: a 32-byte key shared by nodes a and b for `purpose` in this round."""
    try:
        peer = X25519PublicKey.from_public_bytes(peer_public_key)
        shared = X25519PrivateKey.from_private_bytes(private_key).exchange(peer)
    except ValueError as err:  # wrong length or a low-order point
        raise SecAggCryptoError(f"bad X25519 public key from node {node_b}: {err}") from err
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=None,
        info=_pair_info(purpose, server_round, node_a, node_b),
    ).derive(shared)


def _share_associated_data(server_round: int, sender: int, receiver: int) -> bytes:
    return PROTOCOL_LABEL + b"/share" + struct.pack(">QQQ", server_round, sender, receiver)


def encrypt_for(key: bytes, plaintext: bytes, server_round: int, sender: int, receiver: int) -> bytes:
    """AES-256-GCM; returns nonce || ciphertext+tag. The tag covers round, sender and receiver."""
    nonce = os.urandom(NONCE_BYTES)
    aad = _share_associated_data(server_round, sender, receiver)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt_from(key: bytes, blob: bytes, server_round: int, sender: int, receiver: int) -> bytes:
    """Inverse of `encrypt_for`; raises SecAggCryptoError if anything was altered or misattributed."""
    if len(blob) <= NONCE_BYTES:
        raise SecAggCryptoError(f"share ciphertext from node {sender} is truncated ({len(blob)} bytes)")
    aad = _share_associated_data(server_round, sender, receiver)
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as err:
        raise SecAggCryptoError(
            f"share ciphertext claimed from node {sender} to node {receiver} in round {server_round} "
            "failed authentication (tampered, replayed from another round, or wrong sender)"
        ) from err


def expand_mask(seed: bytes, length: int) -> np.ndarray:
    """A uint32 vector of `length` words from the ChaCha20 keystream of `seed` (nonce 0).

    Every seed is used for exactly one mask (self-mask seeds are fresh per round, pairwise seeds are
    HKDF-bound to round and pair), so a fixed nonce is safe.
    """
    if len(seed) != KEY_BYTES:
        raise ValueError(f"mask seed must be {KEY_BYTES} bytes, got {len(seed)}")
    mask = np.empty(length, dtype=np.uint32)
    out = memoryview(mask).cast("B")
    encryptor = Cipher(algorithms.ChaCha20(seed, bytes(16)), mode=None).encryptor()
    for start in range(0, len(out), _CHUNK_BYTES):  # keystream = encryption of zeros, written in place
        end = min(start + _CHUNK_BYTES, len(out))
        encryptor.update_into(_ZEROS[: end - start], out[start:end])
    return mask


def commit_seed(seed: bytes, server_round: int, node: int) -> bytes:
    """SHA-256 commitment to a self-mask seed, bound to round and owner (the seed is 256 random bits,
    so the hash hides it); lets the server tell a seed rebuilt from crafted shares from the real one."""
    return hashlib.sha256(PROTOCOL_LABEL + b"/seed-commit" + struct.pack(">QQ", server_round, node) + seed).digest()


def seed_matches(seed: bytes, commitment: bytes, server_round: int, node: int) -> bool:
    return hmac.compare_digest(commit_seed(seed, server_round, node), commitment)
