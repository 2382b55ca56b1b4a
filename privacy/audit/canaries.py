"""Audit canaries: secret-like records with secret inclusion bits (DESIGN.md contract 4).

The server, as auditor, draws m canaries and flips a fair coin for each: heads, the canary is
handed to its assigned client and trained on like that client's own records; tails, it is held
back. Only the server keeps the bits. A client's file holds the texts of its included canaries and
nothing else (no ids, no bits, no excluded canaries), so a client learns nothing about the others.

Canaries are synthetic and high-entropy (random names, MRNs, tokens), so no two share their secret
part and a model can only predict that part well if it saw the canary. Clients should add them
*after* PII scrubbing: the scrubber would otherwise replace the secret parts with placeholders and
the audit would measure nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

FORMAT = "privatune-canaries/1"
_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: a token a human could copy


@dataclass(frozen=True)
class Canary:
    id: str
    text: str
    included: bool  # the secret inclusion bit
    client: int  # the client that trains on it when included


def _random_name(rng: np.random.Generator) -> str:
    syllables = int(rng.integers(2, 4))
    word = "".join(rng.choice(list(_CONSONANTS)) + rng.choice(list(_VOWELS)) for _ in range(syllables))
    return word.capitalize()


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(d) for d in rng.integers(0, 10, size=n))


def _patient_line(rng: np.random.Generator) -> str:
    return (
        f"Patient {_random_name(rng)} {_random_name(rng)}, MRN {_digits(rng, 8)}, "
        f"DOB {int(rng.integers(1930, 2010))}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}."
    )


def _token_line(rng: np.random.Generator) -> str:
    token = "".join(rng.choice(list(_ALNUM), size=16))
    return f"API key for {_random_name(rng).lower()}: {token}"


_KINDS = (_patient_line, _token_line)


class CommittedSet:
    """A canary set the auditor keeps: `to_json()` is its whole content, secret bits included."""

    def to_json(self) -> dict:
        raise NotImplementedError

    def commitment(self) -> str:
        """SHA-256 of the canonical JSON: logged at generation so the bits cannot change later."""
        canonical = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def save(self, path: str | os.PathLike) -> Path:
        """Write the whole set, bits included (server side; keep it away from clients), atomically."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")
        os.replace(tmp, path)
        return path


class CanarySet(CommittedSet):
    """All canaries of one audit, with their bits. Lives on the server only."""

    def __init__(self, canaries: list[Canary], seed: int, num_clients: int):
        self.canaries = list(canaries)
        self.seed = seed
        self.num_clients = num_clients

    def __len__(self) -> int:
        return len(self.canaries)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.canaries]

    @property
    def inclusion_bits(self) -> np.ndarray:
        return np.array([c.included for c in self.canaries], dtype=bool)

    def for_client(self, client: int) -> list[str]:
        """Texts of the canaries client `client` trains on: its included ones, nothing else."""
        if not 0 <= client < self.num_clients:
            raise ValueError(f"client {client} out of range: this canary set has {self.num_clients} clients")
        return [c.text for c in self.canaries if c.included and c.client == client]

    def save_for_client(self, path: str | os.PathLike, client: int) -> Path:
        """Write the client's canaries as JSONL records with a `text` field (no ids, no bits)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as f:
            for text in self.for_client(client):
                f.write(json.dumps({"text": text}) + "\n")
        return path

    def add_group(self, count: int, seed: int) -> int:
        """A fresh group of `count` canaries with fresh bits, for a client that joins mid-run; its index."""
        group = self.num_clients
        known = set(self.texts)
        fresh = [c for c in generate_canaries(count, seed, 1).canaries if c.text not in known]
        start = len(self.canaries)
        self.canaries += [Canary(f"canary-{start + i:05d}", c.text, c.included, group) for i, c in enumerate(fresh)]
        self.num_clients += 1
        return group

    def restricted(self, groups: set[int]) -> "CanarySet":
        """The canaries of `groups` only, included or not (dropping a whole group never looks at bits)."""
        return CanarySet([c for c in self.canaries if c.client in groups], self.seed, self.num_clients)

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "seed": self.seed,
            "num_clients": self.num_clients,
            "canaries": [asdict(c) for c in self.canaries],
        }


    @classmethod
    def load(cls, path: str | os.PathLike) -> "CanarySet":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path}: canary file not found; create one with generate_canaries(...).save()") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ValueError(f"{path}: not a JSON canary file ({e}); pass the server-side file written by CanarySet.save") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(
                f"{path}: field 'format' must be {FORMAT!r}; this looks like a client file or another format "
                "(the audit needs the server-side file with inclusion bits)"
            )
        canaries = []
        for i, raw in enumerate(data.get("canaries", [])):
            canaries.append(_parse_canary(path, i, raw, data.get("num_clients")))
        if not canaries:
            raise ValueError(f"{path}: field 'canaries' is empty; regenerate the canary set")
        return cls(canaries, seed=int(data.get("seed", -1)), num_clients=int(data["num_clients"]))


def _parse_canary(path: Path, index: int, raw: object, num_clients: object) -> Canary:
    where = f"{path}: canaries[{index}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be an object with id, text, included, client")
    for field, kind in (("id", str), ("text", str), ("included", bool), ("client", int)):
        if not isinstance(raw.get(field), kind):
            raise ValueError(f"{where}: field {field!r} missing or not {kind.__name__}; regenerate the canary set")
    if not isinstance(num_clients, int) or not 0 <= raw["client"] < num_clients:
        raise ValueError(f"{where}: field 'client' = {raw['client']} outside 0..num_clients-1")
    return Canary(raw["id"], raw["text"], raw["included"], raw["client"])


def generate_canaries(m: int, seed: int, num_clients: int) -> CanarySet:
    """m canaries, each included with probability ½, spread evenly over `num_clients` clients."""
    if m < 1 or num_clients < 1:
        raise ValueError(f"need m ≥ 1 and num_clients ≥ 1, got m={m}, num_clients={num_clients}")
    rng = np.random.default_rng(seed)
    included = rng.random(m) < 0.5
    clients = rng.permutation(m) % num_clients  # balanced assignment, random order
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < m:
        text = _KINDS[len(texts) % len(_KINDS)](rng)
        if text not in seen:  # duplicates would make a pair of canaries one audit instance
            seen.add(text)
            texts.append(text)
    canaries = [
        Canary(f"canary-{i:05d}", texts[i], bool(included[i]), int(clients[i])) for i in range(m)
    ]
    return CanarySet(canaries, seed=seed, num_clients=num_clients)
