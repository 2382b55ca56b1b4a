"""Replace found spans: typed placeholders, or consistent keyed pseudonyms.

Overlapping spans are merged before replacement (not resolved by picking one), so every character
any recognizer flagged is removed; the merged span takes the type of its strongest part.
Pseudonyms are HMAC-SHA256(client key, type + normalised value): the same person gets the same
token in every record of that client, no mapping table exists, and without the key the token
cannot be reversed or linked across clients.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from privatune.privacy.pii.safe_harbor import generalise

# Compiled once: a call with a pattern string looks the pattern up in a cache each time.
NON_ALNUM = re.compile(r"[^0-9a-z]")
POSSESSIVE_END = re.compile(r"['’]s$")
LEADING_TITLE = re.compile(r"^(mr|mrs|ms|miss|mx|dr|prof)\.?\s+")

KEY_BYTES = 32
_DIGIT_TYPES = {"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "BANK_ACCOUNT", "ROUTING_NUMBER",
                "SORT_CODE", "US_SSN", "NPI", "MEDICAL_RECORD_NUMBER", "PASSPORT", "DRIVER_LICENSE",
                "HEALTH_PLAN_ID", "NATIONAL_ID", "VEHICLE_ID", "DEVICE_ID", "BIOMETRIC_ID",
                "LICENSE_NUMBER", "ZIP_CODE", "OTHER_ID"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity_type: str
    score: float


NER_TYPES = {"PERSON", "LOCATION"}


def _type_priority(span: Span) -> tuple:
    # A pattern type is more specific than NER's guess: "12 Main St" is an ADDRESS, not a LOCATION.
    return span.entity_type not in NER_TYPES, span.score, span.end - span.start


def merge_spans(results) -> list[Span]:
    """Union of overlapping spans, sorted by start; each takes the type of its most specific part."""
    spans = sorted((Span(r.start, r.end, r.entity_type, r.score) for r in results if r.end > r.start),
                   key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            strongest = max((last, span), key=_type_priority)
            merged[-1] = Span(last.start, max(last.end, span.end), strongest.entity_type,
                              strongest.score)
        else:
            merged.append(span)
    return merged


def load_or_create_key(path: str | Path) -> bytes:
    """The client's pseudonym key; created with owner-only permissions when it does not exist."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
    key = path.read_bytes()
    if len(key) < 16:
        raise ValueError(f"{path}: pseudonym key has {len(key)} bytes; need at least 16 "
                         "(delete the file to have a new 32-byte key created)")
    return key


def key_id(key: bytes) -> str:
    """Names a key in the manifest (which runs used the same key) without revealing it."""
    return hmac.new(key, b"privatune key id", hashlib.sha256).hexdigest()[:16]


def normalise(entity_type: str, value: str) -> str:
    """One form per identity: case, spacing and separators do not change the pseudonym."""
    value = unicodedata.normalize("NFKC", value).casefold().strip()
    if entity_type in _DIGIT_TYPES:
        return NON_ALNUM.sub("", value)
    if entity_type == "PERSON":
        value = POSSESSIVE_END.sub("", value)
        value = LEADING_TITLE.sub("", value)
    return " ".join(value.split())


class Anonymizer:
    def __init__(self, mode: str = "placeholder", key: bytes | None = None, profile: str = "default"):
        if mode == "pseudonym" and not key:
            raise ValueError("pseudonym mode needs the client's key")
        self.mode = mode
        self.key = key
        self.profile = profile

    def token(self, entity_type: str, value: str) -> str:
        if self.profile == "safe-harbor":
            generalised = generalise(entity_type, value)
            if generalised is not None:
                return generalised
        if self.mode == "placeholder":
            return f"<{entity_type}>"
        message = f"{entity_type}\x00{normalise(entity_type, value)}".encode()
        return f"<{entity_type}_{hmac.new(self.key, message, hashlib.sha256).hexdigest()[:10]}>"

    def apply(self, text: str, results) -> tuple[str, list[Span]]:
        """The text with every span replaced, and the merged spans that were replaced."""
        spans = merge_spans(results)
        parts, cursor = [], 0
        for span in spans:
            parts.append(text[cursor:span.start])
            parts.append(self.token(span.entity_type, text[span.start:span.end]))
            cursor = span.end
        parts.append(text[cursor:])
        return "".join(parts), spans
