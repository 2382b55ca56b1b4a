"""Shamir t-of-n secret sharing of 32-byte secrets over the prime field GF(2^521 - 1).

The Mersenne prime 2^521 - 1 is larger than any 256-bit secret, so a secret is one field element and
needs no splitting. Share x-coordinates are the holders' node ids (distinct and non-zero), so a share
says by itself whose it is. Coefficients come from `secrets` (the OS CSPRNG).
"""

from __future__ import annotations

import itertools
import math
import secrets as _csprng
from collections.abc import Callable, Iterable, Mapping

PRIME = 2**521 - 1
ELEMENT_BYTES = 66  # ceil(521 / 8)
SECRET_BYTES = 32


class ShamirError(ValueError):
    """Not enough, duplicate or malformed shares."""


def split(secret: bytes, holders: Iterable[int], threshold: int) -> dict[int, bytes]:
    """Share `secret` among `holders` (node ids); any `threshold` shares recover it, fewer reveal nothing."""
    if len(secret) != SECRET_BYTES:
        raise ShamirError(f"secret must be {SECRET_BYTES} bytes, got {len(secret)}")
    xs = sorted(set(holders))
    if threshold < 1 or threshold > len(xs):
        raise ShamirError(f"threshold {threshold} impossible with {len(xs)} holders")
    if any(x <= 0 or x >= PRIME for x in xs):
        raise ShamirError("holder ids must be positive (they are the shares' x-coordinates)")
    coefficients = [int.from_bytes(secret, "big")]
    coefficients += [_csprng.randbelow(PRIME) for _ in range(threshold - 1)]
    return {x: _evaluate(coefficients, x).to_bytes(ELEMENT_BYTES, "big") for x in xs}


def _evaluate(coefficients: list[int], x: int) -> int:
    value = 0
    for coefficient in reversed(coefficients):  # Horner
        value = (value * x + coefficient) % PRIME
    return value


def combine(shares: Mapping[int, bytes], threshold: int) -> bytes:
    """Recover the secret from at least `threshold` shares {holder id: share} (Lagrange at 0)."""
    if len(shares) < threshold:
        raise ShamirError(f"{len(shares)} shares, need {threshold}")
    points = [(x, _decode(y)) for x, y in sorted(shares.items())[:threshold]]
    secret = 0
    for i, (x_i, y_i) in enumerate(points):
        numerator, denominator = 1, 1
        for j, (x_j, _) in enumerate(points):
            if i != j:
                numerator = numerator * x_j % PRIME
                denominator = denominator * (x_j - x_i) % PRIME
        secret = (secret + y_i * numerator * pow(denominator, -1, PRIME)) % PRIME
    if secret >= 2 ** (8 * SECRET_BYTES):
        raise ShamirError("shares are inconsistent: recovered value is not a 32-byte secret")
    return secret.to_bytes(SECRET_BYTES, "big")


def combine_checked(shares: Mapping[int, bytes], threshold: int, is_secret: Callable[[bytes], bool],
                    max_subsets: int = 256) -> tuple[bytes, list[int]]:
    """(secret, holders whose shares are not on its polynomial), trying threshold-subsets until one
    rebuilds a secret that `is_secret` accepts (its commitment or public key). A holder that crafts its
    share can then only be named, not change the result. Raises ShamirError if no subset works."""
    if len(shares) < threshold:
        raise ShamirError(f"{len(shares)} shares, need {threshold}")
    holders = sorted(shares)
    for subset in itertools.islice(itertools.combinations(holders, threshold), max_subsets):
        try:
            secret = combine({h: shares[h] for h in subset}, threshold)
        except ShamirError:
            continue
        if is_secret(secret):
            base = list(subset[:threshold - 1])
            bad = [h for h in holders if h not in subset and not _rebuilds(shares, base + [h], threshold, secret)]
            return secret, bad
    raise ShamirError(f"no {threshold} of the {len(shares)} shares rebuild the committed secret "
                      f"(tried {min(max_subsets, math.comb(len(shares), threshold))} subsets)")


def _rebuilds(shares: Mapping[int, bytes], holders: list[int], threshold: int, secret: bytes) -> bool:
    try:
        return combine({h: shares[h] for h in holders}, threshold) == secret
    except ShamirError:
        return False


def _decode(share: bytes) -> int:
    if len(share) != ELEMENT_BYTES:
        raise ShamirError(f"share must be {ELEMENT_BYTES} bytes, got {len(share)}")
    value = int.from_bytes(share, "big")
    if value >= PRIME:
        raise ShamirError("share is not a field element")
    return value
