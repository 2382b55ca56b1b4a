"""What a scrub run does: entities, anonymisation, NLP pipeline, institution lists, parallelism.

Plain data only (no Presidio import), so the trainer can read a manifest's config on a machine
without the scrubbing stack.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

# Entity names this package emits. Structured identifiers are the ones held to recall >= 0.99.
STRUCTURED_ENTITIES = (
    "EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "IP_ADDRESS", "CREDIT_CARD", "IBAN_CODE",
    "BANK_ACCOUNT", "ROUTING_NUMBER", "SORT_CODE", "US_SSN", "MEDICAL_RECORD_NUMBER", "NPI",
    "PASSPORT", "DRIVER_LICENSE", "DATE", "AGE_OVER_89",
    # HIPAA Safe Harbor identifiers beyond the above, and national identity documents.
    "HEALTH_PLAN_ID", "NATIONAL_ID", "VEHICLE_ID", "DEVICE_ID", "BIOMETRIC_ID", "LICENSE_NUMBER",
    "ZIP_CODE", "OTHER_ID",
)
NER_ENTITIES = ("PERSON", "LOCATION", "ADDRESS")
DEFAULT_ENTITIES = NER_ENTITIES + STRUCTURED_ENTITIES

ANONYMISATION_MODES = ("placeholder", "pseudonym")
PROFILES = ("default", "safe-harbor")

# Fields that mark a record as training text when no field list is configured.
TEXT_FIELDS = ("text", "instruction", "input", "response", "output", "prompt", "completion",
               "messages")

MAX_RECORD_BYTES = 1_000_000


class ConfigError(ValueError):
    """A scrub configuration that cannot be used; the message says which setting and why."""


@dataclass
class ScrubConfig:
    """Settings of one scrub run. Every field is JSON-serialisable and goes into the manifest."""

    entities: tuple[str, ...] = DEFAULT_ENTITIES
    mode: str = "placeholder"  # "placeholder" → <PERSON>; "pseudonym" → <PERSON_1a2b3c4d> (keyed HMAC)
    hmac_key_path: str | None = None  # required for pseudonyms; created (0600) when missing
    spacy_pipeline: str = "auto"  # installed package name, a model directory, or "auto"
    allow_pattern_only: bool = False  # accept scrubbing without NER (names/places will leak)
    deny_list: tuple[str, ...] = ()  # institution terms always removed (ward names, staff ...)
    allow_list: tuple[str, ...] = ()  # terms never removed (drug names, the hospital's name ...)
    extra_patterns: dict[str, list[str]] = field(default_factory=dict)  # entity → regexes
    score_threshold: float = 0.35
    # 1 by default: on a loaded 2-core machine a second process is slower than one (start-up and
    # contention; benchmarks/RESULTS-pii.md). 0 → as many as there are idle cores, at least one.
    processes: int = 1
    fields: tuple[str, ...] | None = None  # None → every string in records with a text field
    max_record_bytes: int = MAX_RECORD_BYTES
    chunk_chars: int = 4000  # long texts are analysed in pieces (NER cost is super-linear)
    # "safe-harbor": HIPAA Safe Harbor. Dates become their year and ZIP codes their first three
    # digits ("000" for the sparsely populated prefixes) instead of a placeholder.
    profile: str = "default"

    def __post_init__(self) -> None:
        self.entities = tuple(self.entities)
        self.deny_list = tuple(self.deny_list)
        self.allow_list = tuple(self.allow_list)
        if self.fields is not None:
            self.fields = tuple(self.fields)
        self.validate()

    def validate(self) -> None:
        if self.mode not in ANONYMISATION_MODES:
            raise ConfigError(f"mode={self.mode!r}: use one of {', '.join(ANONYMISATION_MODES)}")
        if self.mode == "pseudonym" and not self.hmac_key_path:
            raise ConfigError("mode='pseudonym' needs hmac_key_path: a file holding the client's "
                              "secret key (created if missing; it never leaves this machine)")
        unknown = [e for e in self.entities if e not in DEFAULT_ENTITIES
                   and e not in self.extra_patterns and e != "INSTITUTION_TERM"]
        if unknown:
            raise ConfigError(f"unknown entities {unknown}; known: {', '.join(DEFAULT_ENTITIES)} "
                              "(or define them in extra_patterns)")
        if not 0.0 <= self.score_threshold <= 1.0:
            raise ConfigError(f"score_threshold={self.score_threshold}: must be within [0, 1]")
        if self.processes < 0:
            raise ConfigError(f"processes={self.processes}: use a positive count, or 0 for one per idle core")
        if self.profile not in PROFILES:
            raise ConfigError(f"profile={self.profile!r}: use one of {', '.join(PROFILES)}")
        if self.chunk_chars < 200:
            raise ConfigError(f"chunk_chars={self.chunk_chars}: use at least 200")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ScrubConfig":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown scrub settings {unknown}; known: {', '.join(sorted(known))}")
        return cls(**data)

    @classmethod
    def from_file(cls, path: str | Path) -> "ScrubConfig":
        """Read an institution's settings from JSON or TOML (a `[scrub]` table or the top level)."""
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise ConfigError(f"{path}: cannot read scrub config ({err.strerror})") from err
        try:
            if path.suffix == ".toml":
                import tomllib

                data = tomllib.loads(raw.decode("utf-8"))
                data = data.get("scrub", data)
            else:
                data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'}: {err}") from err
        try:
            return cls.from_dict(data)
        except (ConfigError, TypeError) as err:
            raise ConfigError(f"{path}: {err}") from err
