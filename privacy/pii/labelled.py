"""Identifiers by their label, and identifier shapes that need none: recall first.

A value after an identifier label ("Fallnummer: 2024-118", "n° de dossier 55 120", "acount no
12345678", `patient_id=88213`) is removed whatever its checksum says: a mistyped or invalid
identifier still identifies. The label stays. Labels come from vocab.LABELS (six languages) and
the value is the run of digit-bearing tokens that follows, so a new label is one word in a table.

Shapes removed without a label: IBAN-shaped strings of any IBAN country (no mod-97 check), grouped
card numbers (no Luhn or prefix check), long digit runs and digit groups, VINs, MAC addresses,
European and UK number plates, and phone numbers read out as words. Amounts, percentages and
values after a code-system label (NDC, SNOMED CT ...) are left to keep.py.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer

from privatune.privacy.pii import vocab
from privatune.privacy.pii.recognizers import make_result

# Compiled once: a call with a pattern string looks the pattern up in a cache each time.
VALUE_TOKEN = re.compile(r"[^ \-/]+")
TIME_AFTER_COLON = re.compile(r"\s?:\d")
CURRENCY_PREFIX = re.compile(r"^(?:[A-Z]{3}|[$€£])\s?")

FLAGS = re.IGNORECASE | re.MULTILINE
_KINDS = {kind: re.compile(vocab.alternation(words), FLAGS) for kind, words in vocab.LABELS.items()}
_ALL_LABELS = vocab.alternation("|".join(vocab.LABELS.values()))
_TOKEN = r"[+(]?[^\W_](?:[\w/.\-()]*[^\W_)])?"
LABELLED = re.compile(
    rf"(?<![\w./-])(?P<label>{_ALL_LABELS}){vocab.LABEL_TAIL}"
    rf"(?P<value>(?=[^\s]*\d|(?-i:[A-ZÄÖÜ]{{1,3}})\b){_TOKEN}(?:[ \-/](?!\d{{1,2}}[:h.]\d{{2}}\b|\d{{1,2}}:)(?=[^\s\-/]*\d|(?-i:[A-ZÄÖÜ]{{1,3}})\b){_TOKEN}){{0,7}})", FLAGS)
# `key=value`, or `key: value` / `"key": "value"` when the key is snake_case or dotted (a log or
# an export, not prose).
KEY_VALUE = re.compile(
    rf"(?<![\w.])(?P<key>{vocab.KEY_ID})[\"']?\s*(?P<sep>[=:])\s*(?:\"(?P<quoted>[^\"\n]{{1,80}})\""
    rf"|'(?P<quoted2>[^'\n]{{1,80}})'|(?P<bare>[^\s\"',;&|}}\]]+))")
KEY_PART = re.compile(r"[_.\-]|(?<=[a-z])(?=[A-Z])")
KEY_HINT = re.compile(vocab.KEY_HINTS, re.IGNORECASE)
KEY_NAME = re.compile(vocab.KEY_NAME_HINTS, re.IGNORECASE)
AMOUNT = re.compile(r"\d{1,3}(?:[,. ']\d{3})+(?:[.,]\d{1,2})?|\d+[.,]\d{1,2}|\d+(?:[.,]\d+)?%")
CURRENCY = re.compile(r"[$€£¥₹]|\b(?:eur|usd|gbp|chf|euros?|dollars?|pounds?|mio|million|k)\b", re.IGNORECASE)
UNIT_PART = re.compile(r"(?:^|/)(?:ml|min|mg|dl|kg|m2|mmol|µmol|umol|g|l|h|s)(?:/|$)", re.IGNORECASE)
UPPER_SHORT = re.compile(r"(?-i:[A-ZÄÖÜ]{1,3})")
LABELLED_DATE = re.compile(r"(?:^|\s)\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d{2})$")
DOCUMENTS = {"PASSPORT", "NATIONAL_ID", "DRIVER_LICENSE"}
DOCUMENT = re.compile(r"(?-i:[A-Z0-9]{6,12})")
VIN = re.compile(r"(?-i:[A-HJ-NPR-Z0-9]{17})")
SHORT_DIGITS = 3  # fewest digits in a labelled value of a kind with its own explicit label
GENERIC_DIGITS = 4  # for kinds whose labels are also ordinary words ("customer", "order")
EXPLICIT = {"NATIONAL_ID", "PASSPORT", "DRIVER_LICENSE", "VEHICLE_ID", "DEVICE_ID", "BIOMETRIC_ID",
            "HEALTH_PLAN_ID", "LICENSE_NUMBER", "ZIP_CODE", "IBAN_CODE", "CREDIT_CARD"}

IBAN_MIN = 15
IBAN_COUNTRIES = set("""AD AE AL AT AZ BA BE BG BH BR BY CH CR CY CZ DE DK DO EE EG ES FI FO FR GB GE GI
GL GR GT HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MR MT MU NL NO PK PL PS PT QA
RO RS SA SC SD SE SI SK SM ST SV TL TN TR UA VA VG XK""".split())
SHAPES = [
    ("IBAN_CODE", 0.85, re.compile(r"\b(?P<cc>[A-Z]{2})\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")),
    ("CREDIT_CARD", 0.8, re.compile(r"(?<![\d-])\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}(?![\d-])"
                                    r"|(?<![\d-])\d{4}[ -]\d{6}[ -]\d{4,5}(?![\d-])")),
    ("CREDIT_CARD", 0.6, re.compile(r"(?<![\w.,/-])\d{13,19}(?![\w.,/-])")),
    ("OTHER_ID", 0.5, re.compile(r"(?<![\w.,/+-])\d{7,40}(?![\w/-]|[.,]\d)")),  # 23-digit ARNs too
    ("OTHER_ID", 0.45, re.compile(r"(?<![\w.,/+-])\d{2,4}(?:[ .-]\d{2,4}){2,5}(?![\w/:-]|[.,]\d|\s?(?:uhr|uur|h)\b)")),
    # Reference codes: "APT-F9X-W855", "E2E4531437", "RX-2024-16989", "face_tpl_ae8055f83d",
    # accession numbers with dots ("H24.80094", "24.B.21138"); ICD-10 codes are keep.py's.
    ("OTHER_ID", 0.5, re.compile(r"(?<![\w.-])(?=(?:[\w/.-]*\d){3})(?=[\w/.-]*[A-Za-z])[A-Za-z0-9]"
                                 r"(?:[\w/-]|\.(?=\w)){5,40}[A-Za-z0-9](?![\w-]|\.\w|,\d)")),  # not "240114EUR2497,29"
    # Case, record, registration and account numbers: a short prefix and a serial ("2024/349677",
    # "25-211696", "77/721359", "643-0313951", "28/40788061/57"), and bare five- or six-digit
    # numbers (short MRNs on stickers, wristbands, bed boards, pager lines).
    ("OTHER_ID", 0.5, re.compile(r"(?<![\w/.-])(?:(?:19|20)\d{2}/(?!(?:19|20)\d{2}\b)\d{4,7}"
                                 r"|\d{2,4}([/-])\d{5,10}(?:\1\d{2,4})?)(?![\w/-]|[.,]\d)")),
    ("OTHER_ID", 0.45, re.compile(r"(?<![\w.,/+-])\d{5,6}(?![\w/-]|[.,]\d|\s?(?:uhr|uur|h)\b)")),
    # Image files: a photograph of the person (HIPAA Safe Harbor (Q)).
    ("BIOMETRIC_ID", 0.6, re.compile(r"(?<![\w.-])[\w-]{2,60}\.(?:jpe?g|png|heic|heif|gif|bmp|tiff?|webp)\b",
                                     re.IGNORECASE)),
    ("OTHER_ID", 0.5, re.compile(r"\b[A-Z0-9]{2,6}(?:-[A-Z0-9]{3,6}){2,}\b")),
    ("PHONE_NUMBER", 0.55, re.compile(r"(?<![\w/.])0\d{2,5} ?/ ?\d{3,9}(?:-\d{1,5})?(?![\w/])"
                                      r"|(?<![\w+/.,-])0\d{1,4}(?:[ \-.]\d{2,8}){1,4}(?![\w/:-]|[.,]\d)")),
    ("VEHICLE_ID", 0.7, re.compile(r"\b(?=[A-HJ-NPR-Z0-9]{17}\b)(?=(?:[A-Z]*\d){3})(?=(?:\d*[A-Z]){3})"
                                   r"[A-HJ-NPR-Z0-9]{17}\b")),
    ("DEVICE_ID", 0.7, re.compile(r"\b[0-9A-F]{2}(?:([:-])[0-9A-F]{2})(?:\1[0-9A-F]{2}){4}\b")),
    ("VEHICLE_ID", 0.6, re.compile(
        r"\b(?:[A-Z]{2}-\d{3}-[A-Z]{2}|[A-Z]{2} \d{3} [A-Z]{2}|\d{4} ?[BCDFGHJKLMNPRSTVWXYZ]{3}"
        r"|[A-Z]{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2,3}-\d{1,2}|\d{1,2}-[A-Z]{3}-\d{2}|[A-Z]{2}-\d{3}-[A-Z]"
        r"|[A-Z]{3}-\d{2}-[A-Z]|[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} ?\d{1,4}[EH]?|[A-Z]{2}\d{2} ?[A-Z]{3})\b")),
]
PHONE_WORDS = re.compile(rf"\b{vocab.DIGIT_WORDS}(?:[\s,-]+{vocab.DIGIT_WORDS}){{6,}}\b", FLAGS)


def kind_of(label: str) -> str:
    for kind, pattern in _KINDS.items():
        if pattern.fullmatch(label):
            return kind
    return "OTHER_ID"


def value_end(value: str, kind: str = "") -> int:
    """How much of the matched value is the identifier: letter groups ≤ 3 (plates: "M AB 1234",
    "AB 123 CD"), then digit-bearing tokens; a word without digits ends it."""
    tokens = list(VALUE_TOKEN.finditer(value))
    end, seen_digit, i = 0, False, 0
    while i < len(tokens) and not seen_digit and UPPER_SHORT.fullmatch(tokens[i].group()):
        i += 1  # leading letter groups count only if digits follow
    if i == len(tokens) or not any(ch.isdigit() for ch in tokens[i].group()):
        i = 0
        if not any(ch.isdigit() for ch in tokens[0].group()):
            return 0
    for token in tokens[i:]:
        text = token.group()
        if any(ch.isdigit() for ch in text):
            if seen_digit and len(text) > 6 and not text[0].isdigit():
                break
            end, seen_digit = token.end(), True
        elif UPPER_SHORT.fullmatch(text) and seen_digit and kind == "VEHICLE_ID":
            end = token.end()  # "AB 123 CD": a trailing letter group, then stop
            break
        else:
            break
    return end


TIME = re.compile(r"\d{1,2}[:h.]\d{2}(?::\d{2})?|\d{1,2}")


def plausible(value: str, kind: str, after: str) -> bool:
    """Enough digits for an identifier, and not an amount, measurement, time or percentage."""
    if TIME.fullmatch(value) or TIME_AFTER_COLON.match(after):
        return False
    digits = sum(ch.isdigit() for ch in value)
    if kind == "PHONE_NUMBER" and digits < 6:
        return False  # "bleep 4168", "ext. 4747": an internal extension, not a dialable number
    if kind != "DATE" and LABELLED_DATE.search(value):
        return False  # "Plan: IP 20-07-2025": a date after a label word, not an identifier
    if digits < (SHORT_DIGITS if kind in EXPLICIT else GENERIC_DIGITS):
        # Document numbers mix letters and digits ("XMKAJZWC5"); a VIN has 17 characters.
        return (kind in DOCUMENTS and digits >= 1 and DOCUMENT.fullmatch(value) is not None) or \
            (kind == "VEHICLE_ID" and digits >= 1 and VIN.fullmatch(value) is not None)
    bare = CURRENCY_PREFIX.sub("", value)
    if (AMOUNT.fullmatch(bare) or CURRENCY.match(value)) and kind not in ("PHONE_NUMBER", "ZIP_CODE"):
        return False
    return not (after.lstrip()[:1] == "%" or CURRENCY.match(after.lstrip()[:8] or "x"))


class LabelledIdentifierRecognizer(EntityRecognizer):
    """Values after identifier labels in six languages, and `key=value` fields."""

    def __init__(self):
        super().__init__(supported_entities=sorted(set(_KINDS) | {"OTHER_ID", "PERSON"}),
                         name="privatune_labelled")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for match in LABELLED.finditer(text):
            value = match.group("value")
            kind = kind_of(match.group("label"))
            end = value_end(value, kind)
            start = match.start("value")
            if end and plausible(value[:end], kind, text[start + end:start + end + 10]):
                results.append(make_result(self, kind, start, start + end, 0.8))
        for match in KEY_VALUE.finditer(text):
            key = match.group("key")
            parts = [p for p in KEY_PART.split(key) if p]
            if match.group("sep") == ":" and len(parts) < 2:
                continue  # "Diagnosis: ..." is prose; "patient_id: ..." is a field
            group = next(g for g in ("quoted", "quoted2", "bare") if match.group(g) is not None)
            value, start, end = match.group(group), match.start(group), match.end(group)
            if any(KEY_NAME.fullmatch(p) for p in parts) and not any(ch.isdigit() for ch in value):
                results.append(make_result(self, "PERSON", start, end, 0.7))
            elif any(KEY_HINT.fullmatch(p) for p in parts) and any(ch.isdigit() for ch in value) \
                    and len(value) >= 5:
                results.append(make_result(self, "OTHER_ID", start, end, 0.7))
        return results


class IdentifierShapeRecognizer(EntityRecognizer):
    """Identifier shapes that need no label (see the module docstring)."""

    def __init__(self):
        super().__init__(supported_entities=["IBAN_CODE", "CREDIT_CARD", "OTHER_ID", "VEHICLE_ID",
                                             "DEVICE_ID", "PHONE_NUMBER"], name="privatune_shapes")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for kind, score, pattern in SHAPES:
            for match in pattern.finditer(text):
                if kind == "IBAN_CODE" and (match.group("cc") not in IBAN_COUNTRIES
                                            or len(match.group().replace(" ", "")) < IBAN_MIN):
                    continue  # IBANs have 15-34 characters; "IT0003128367" is a 12-character ISIN
                value = match.group()
                if kind == "OTHER_ID" and UNIT_PART.search(value):
                    continue  # "mL/min/1.73m2": a unit
                if kind == "OTHER_ID" and (AMOUNT.fullmatch(value) or value.isdigit()) \
                        and _near_currency(text, match):
                    continue
                if kind == "PHONE_NUMBER" and sum(ch.isdigit() for ch in value) < 8:
                    continue  # "09.43": a time, not a national number
                results.append(make_result(self, kind, match.start(), match.end(), score))
        for match in PHONE_WORDS.finditer(text):
            results.append(make_result(self, "PHONE_NUMBER", match.start(), match.end(), 0.6))
        return results


def _near_currency(text: str, match) -> bool:
    return bool(CURRENCY.search(text[max(0, match.start() - 6):match.start()])
                or CURRENCY.match(text[match.end():match.end() + 8].lstrip() or "x"))
