"""What the SecAgg+ stages exchange, shared by the client and server state machines.

Stages (Bonawitz et al. 2017, with the neighbour graph of Bell et al. 2020):

  setup    server → client: round parameters (neighbours, threshold, layout, fixed point)
           client → server: two fresh X25519 public keys (c_pk encrypts shares, s_pk agrees masks)
  share    server → client: its surviving neighbours' public keys
           client → server: for each neighbour, AES-GCM(Shamir share of s_sk ‖ share of self-mask seed b)
  mask     server → client: the ciphertexts addressed to it (relayed)
           client → server: y = q(w·Δ, w) + PRG(b) + Σ_j ±PRG(s_ij)  (mod 2^32)
  unmask   server → client: which of its neighbours survived and which dropped
           client → server: shares of b for survivors, shares of s_sk for the dropped — never both

Every request and reply carries the round, and the client refuses anything from another round.
Messages here are plain dicts of ints, floats, strings, bytes and lists of them, so they map 1:1
onto Flower ConfigRecords without this module knowing Flower.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from privatune.privacy.secagg.config import SecAggProtocolError
from privatune.privacy.secagg.quantize import FixedPoint, Layout
from privatune.privacy.secagg.shamir import ELEMENT_BYTES

STAGES = ("setup", "share", "mask", "unmask")

# Wire keys of the Flower messages (client/secagg_handlers.py and server/secagg_workflow.py).
CONTENT_KEY = "secagg"  # ConfigRecord in every stage message
MASKED_KEY = "secagg-masked"  # ArrayRecord of the masked upload
WEIGHT_SLOT = "secagg:weight"  # entry of MASKED_KEY holding the masked weight word
PAIR_MASK_PURPOSE = b"pair-mask"
SHARE_KEY_PURPOSE = b"share-key"
_SHARE_HEADER = struct.Struct(">QQ")  # sender, receiver (also bound by the AES-GCM associated data)


@dataclass(frozen=True)
class RoundParams:
    """What the server tells one client at setup."""

    server_round: int
    neighbours: tuple[int, ...]
    threshold: int
    layout: Layout
    fixed_point: FixedPoint

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.server_round,
            "neighbours": list(self.neighbours),
            "threshold": self.threshold,
            "names": list(self.layout.names),
            "ndims": [len(shape) for shape in self.layout.shapes],
            "dims": [d for shape in self.layout.shapes for d in shape],
            "fixed-point": self.fixed_point.to_list(),
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> RoundParams:
        try:
            dims, shapes, start = list(record["dims"]), [], 0
            for ndim in record["ndims"]:
                shapes.append(tuple(dims[start:start + ndim]))
                start += ndim
            return cls(
                server_round=int(record["round"]),
                neighbours=tuple(int(n) for n in record["neighbours"]),
                threshold=int(record["threshold"]),
                layout=Layout(tuple(record["names"]), tuple(shapes)),
                fixed_point=FixedPoint.from_list(list(record["fixed-point"])),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise SecAggProtocolError(f"malformed secagg setup message: {err!r}") from err


def pack_shares(sender: int, receiver: int, key_share: bytes, seed_share: bytes) -> bytes:
    return _SHARE_HEADER.pack(sender, receiver) + key_share + seed_share


def unpack_shares(plaintext: bytes, sender: int, receiver: int) -> tuple[bytes, bytes]:
    """(share of sender's s_sk, share of sender's b); checks the plaintext names the expected pair."""
    expected = _SHARE_HEADER.size + 2 * ELEMENT_BYTES
    if len(plaintext) != expected:
        raise SecAggProtocolError(f"share plaintext from node {sender} has {len(plaintext)} bytes, "
                                  f"expected {expected}")
    if _SHARE_HEADER.unpack_from(plaintext) != (sender, receiver):
        raise SecAggProtocolError(f"share from node {sender} names another sender or receiver")
    body = plaintext[_SHARE_HEADER.size:]
    return body[:ELEMENT_BYTES], body[ELEMENT_BYTES:]


def mask_sign(own: int, peer: int) -> int:
    """+1 if `own` adds the pair's mask, −1 if it subtracts it; the pair's masks cancel in the sum."""
    return 1 if own < peer else -1


def check_round(record: dict[str, Any], server_round: int, stage: str) -> None:
    got = record.get("round")
    if got != server_round:
        raise SecAggProtocolError(f"secagg {stage} message is for round {got}, this round is {server_round}; "
                                  "refusing a replayed or stale message")
