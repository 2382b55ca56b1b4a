"""Secret canaries (Carlini et al. 2019, "The Secret Sharer"): records of the data's own shape with a
random secret of the institution's format, for the data-extraction audit.

A hospital client's secret canary reads like its triage notes and ends in an MRN of its pattern
(`MRN-` and 7 digits, as privatune/synthetic.py writes them); a bank client's reads like its KYC
reviews and ends in a 10-digit account number. Every secret, every person in it and the split into
*inserted* (sent to the client, trained on) and *held-out* (never sent; the chance baseline) are drawn
with the operating system's CSPRNG (`secrets.SystemRandom`), so neither the clients nor anyone who
sees the code can predict them. Only the server keeps the whole set (RUN_DIR/audit/secrets.json); a
client receives the texts of its own inserted canaries and nothing else, and adds them after PII
scrubbing like the membership canaries (the scrubber would replace the secret).
"""

from __future__ import annotations

import json
import math
import os
import random
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from privatune.privacy.audit.canaries import CommittedSet
from privatune.synthetic import DIAGNOSES, FIRST, LAST, institution_of

FORMAT = "privatune-secret-canaries/1"


@dataclass(frozen=True)
class SecretFormat:
    """A secret of `digits` decimal digits (first non-zero when `first_nonzero`): the candidate space R."""

    name: str
    digits: int
    first_nonzero: bool = True
    alphabet: str = "0123456789"

    @property
    def size(self) -> int:
        return (9 if self.first_nonzero else 10) * 10 ** (self.digits - 1)

    @property
    def log2_size(self) -> float:
        """The largest exposure a secret of this format can have, in bits."""
        return math.log2(self.size)

    def draw(self, rng: random.Random) -> str:
        first = rng.randrange(1 if self.first_nonzero else 0, 10)
        return str(first) + "".join(str(rng.randrange(10)) for _ in range(self.digits - 1))


# the institutions' patterns (privatune/synthetic.py): MRN-1234567, account 1234567890
FORMATS = {"mrn": SecretFormat("mrn", 7), "account": SecretFormat("account", 10)}
KIND_FORMAT = {"hospital": "mrn", "bank": "account"}


@dataclass(frozen=True)
class SecretCanary:
    id: str
    client: int  # the client that trains on it when inserted
    inserted: bool
    format: str  # a key of the set's formats
    prefix: str  # the record up to the secret: the extraction prompt
    secret: str
    suffix: str
    naming_prompt: str  # another context that names the person: "Patient: <name>, MRN-"

    @property
    def text(self) -> str:
        return self.prefix + self.secret + self.suffix

    def with_secret(self, secret: str) -> str:
        """The same record with another candidate secret (exposure ranks these)."""
        return self.prefix + secret + self.suffix


def _dob(rng: random.Random) -> str:
    return f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1935, 2004)}"


def _record(kind: str, rng: random.Random, name: str) -> tuple[str, str, str]:
    """(prefix, suffix, naming prompt) of a short record in the shape of the client's own data."""
    if kind == "hospital":  # short, as a triage line of privatune/synthetic.py's hospital notes
        _, icd = rng.choice(DIAGNOSES)
        return f"Triage: {name}, DOB {_dob(rng)}, {icd}. MRN-", ".", f"Patient {name}, MRN-"
    return f"KYC: {name}, born {_dob(rng)}. Account ", ".", f"Customer {name}, account "


class SecretCanarySet(CommittedSet):  # commitment() and save() as the membership canaries
    """All secret canaries of one run, inserted and held-out. Lives on the server only."""

    def __init__(self, canaries: list[SecretCanary], num_clients: int, formats: dict[str, SecretFormat]):
        self.canaries, self.num_clients, self.formats = list(canaries), num_clients, dict(formats)

    def __len__(self) -> int:
        return len(self.canaries)

    def format_of(self, canary: SecretCanary) -> SecretFormat:
        return self.formats[canary.format]

    @property
    def inserted(self) -> list[SecretCanary]:
        return [c for c in self.canaries if c.inserted]

    def for_client(self, client: int) -> list[str]:
        """Texts of the canaries client `client` trains on: its inserted ones, nothing else."""
        if not 0 <= client < self.num_clients:
            raise ValueError(f"client {client} out of range: this secret-canary set has {self.num_clients} clients")
        return [c.text for c in self.canaries if c.inserted and c.client == client]

    def to_json(self) -> dict:
        return {"format": FORMAT, "num_clients": self.num_clients,
                "formats": {k: asdict(f) for k, f in self.formats.items()},
                "canaries": [asdict(c) for c in self.canaries]}


    @classmethod
    def load(cls, path: str | os.PathLike) -> "SecretCanarySet":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path}: secret-canary file not found; create one with "
                                    "generate_secret_canaries(...).save()") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ValueError(f"{path}: not a JSON secret-canary file ({e}); pass the server-side "
                             "RUN_DIR/audit/secrets.json") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{path}: field 'format' must be {FORMAT!r}; pass the server-side file "
                             "written by SecretCanarySet.save (RUN_DIR/audit/secrets.json)")
        num_clients = data.get("num_clients")
        if not isinstance(num_clients, int) or num_clients < 1:
            raise ValueError(f"{path}: field 'num_clients' must be an integer ≥ 1")
        formats = {}
        for key, raw in (data.get("formats") or {}).items():
            try:
                formats[key] = SecretFormat(**raw)
            except TypeError:
                raise ValueError(f"{path}: formats[{key!r}] must have name, digits, first_nonzero, alphabet") from None
        canaries = [_parse(path, i, raw, num_clients, formats) for i, raw in enumerate(data.get("canaries") or [])]
        if not canaries:
            raise ValueError(f"{path}: field 'canaries' is empty; regenerate the secret-canary set")
        return cls(canaries, num_clients, formats)


def _parse(path: Path, index: int, raw: object, num_clients: int, formats: dict) -> SecretCanary:
    where = f"{path}: canaries[{index}]"
    fields = {"id": str, "client": int, "inserted": bool, "format": str, "prefix": str, "secret": str,
              "suffix": str, "naming_prompt": str}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be an object with {', '.join(fields)}")
    for field, kind in fields.items():
        if not isinstance(raw.get(field), kind):
            raise ValueError(f"{where}: field {field!r} missing or not {kind.__name__}; regenerate the set")
    if not 0 <= raw["client"] < num_clients:
        raise ValueError(f"{where}: field 'client' = {raw['client']} outside 0..{num_clients - 1}")
    fmt = formats.get(raw["format"])
    if fmt is None:
        raise ValueError(f"{where}: field 'format' = {raw['format']!r} is not in the file's 'formats'")
    if len(raw["secret"]) != fmt.digits or any(ch not in fmt.alphabet for ch in raw["secret"]):
        raise ValueError(f"{where}: field 'secret' does not match format {fmt.name!r} ({fmt.digits} digits)")
    return SecretCanary(**{k: raw[k] for k in fields})


def generate_secret_canaries(
    num_inserted: int,
    num_clients: int,
    num_heldout: int | None = None,
    formats: dict[str, SecretFormat] | None = None,
    rng: random.Random | None = None,
) -> SecretCanarySet:
    """`num_inserted` + `num_heldout` (default: as many) secret canaries spread evenly over the clients.

    `formats` overrides the kind → format table ({"hospital": ..., "bank": ...}); `rng` is for tests
    that need a fixed set — the default, and what the server uses, is the OS CSPRNG.
    """
    num_heldout = num_inserted if num_heldout is None else num_heldout
    if num_inserted < 1 or num_heldout < 0 or num_clients < 1:
        raise ValueError(f"need num_inserted ≥ 1, num_heldout ≥ 0, num_clients ≥ 1; got "
                         f"{num_inserted}, {num_heldout}, {num_clients}")
    rng = rng or secrets.SystemRandom()
    by_kind = {kind: (formats or {}).get(kind, FORMATS[name]) for kind, name in KIND_FORMAT.items()}
    total = num_inserted + num_heldout
    inserted = set(rng.sample(range(total), num_inserted))
    clients = [i % num_clients for i in range(total)]
    rng.shuffle(clients)  # balanced over clients, random order
    people = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], min(total, len(FIRST) * len(LAST)))
    canaries, used = [], set()
    for i in range(total):
        kind = institution_of(clients[i])[0]
        fmt = by_kind[kind]
        secret = fmt.draw(rng)
        while secret in used:  # two canaries with one secret would count one memorisation twice
            secret = fmt.draw(rng)
        used.add(secret)
        prefix, suffix, naming = _record(kind, rng, people[i % len(people)])
        canaries.append(SecretCanary(f"secret-{i:04d}", clients[i], i in inserted, fmt.name, prefix, secret,
                                     suffix, naming))
    return SecretCanarySet(canaries, num_clients, {f.name: f for f in by_kind.values()})
