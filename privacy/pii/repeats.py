"""Every other occurrence of an identifier found once.

A record number, date or account that a label gives away in a header ("MRN: 81996") is repeated
elsewhere without one: on the addressograph sticker at the foot of the form, in a barcode line
(`*24.B.21138*`), in a flowsheet footer or in prose ("please quote 52676"). Once a value has been
found, each of its other occurrences as a whole token is the same identifier and goes too. Names
have their own rule (names.propagate_names); values with fewer than four digits are left alone,
so a year, a score or a dose is never taken because an identifier happens to contain it.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult

SKIPPED = frozenset({"PERSON", "LOCATION", "NRP"})
MIN_DIGITS = 4
MIN_LENGTH = 5
JOINERS = ".,/-:"


def _standalone(text: str, start: int, end: int) -> bool:
    """Not part of a longer token: "81996" in "*81996*" or "81996 / 2024", not in "181996" or "81996.5"."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or after.isalnum():
        return False
    if before in JOINERS and start >= 2 and text[start - 2].isalnum():
        return False
    return not (after in JOINERS and end + 1 < len(text) and text[end + 1].isalnum())


def propagate_values(text: str, results: list) -> list:
    """Add a hit of the same type at every other whole-token occurrence of each found value."""
    covered = [(r.start, r.end) for r in results]
    values: dict[str, RecognizerResult] = {}
    for r in results:
        value = text[r.start:r.end].strip()
        if (r.entity_type not in SKIPPED and len(value) >= MIN_LENGTH
                and sum(ch.isdigit() for ch in value) >= MIN_DIGITS):
            values.setdefault(value, r)
    extra = []
    for value, origin in values.items():
        at = text.find(value)
        while at != -1:
            end = at + len(value)
            if _standalone(text, at, end) and not any(a <= at and end <= b for a, b in covered):
                extra.append(RecognizerResult(origin.entity_type, at, end, origin.score))
            at = text.find(value, at + 1)
    return results + extra
