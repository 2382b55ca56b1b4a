"""Values by the name of their field: table columns, row labels, JSON keys and `key=value` keys.

One mechanism for every layout that names a field once and gives its values elsewhere: a CSV /
TSV / `;` / `|` table or a fixed-width listing with a header row, a table whose first cell labels
the row ("Telefon | 030 1234567"), JSON keys and `key=value` logs. The field name is looked up
in one table of field words (vocab.LABELS for identifiers, plus vocab.FIELD_WORDS for names,
addresses, postcodes, towns, ages, dates and e-mail) in EN, DE, FR, ES, IT and NL, and the value
is taken as that kind when its shape fits the kind: a phone column's cell has digits, an age
column's cell is 90-129, a name column's cell has no digits. The longest matching field words
decide ("account holder" is a name, "account" an account); a "number" word ("Nr", "n°", "id")
rules out a name.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex as re
from presidio_analyzer import EntityRecognizer

from privatune.privacy.pii import vocab
from privatune.privacy.pii.recognizers import make_result

# Compiled once: a call with a pattern string looks the pattern up in a cache each time.
AMOUNT_VALUE = re.compile(r"\d+[.,]\d{1,2}|[$€£]\s?[\d.,]+|[\d.,]+\s?(?:%|€|eur|usd)", re.I)
SPACED_CELL = re.compile(r"\S+(?: \S+)*")

WORD = re.compile(r"[a-z0-9#]+")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
NUMBER_WORDS = frozenset("no nr n num nbr number nummer numero id ident code ref #".split())
# Label words too common as column names for other things (a ward "unit", a "lab" value, a
# "sample" type, a "grade"): as a field name alone they say nothing.
WEAK = frozenset("""unit lab sample order visit plan group fall probe examen monster campione muestra
serie grade episode file case record asset device mac pass permis carnet deposit contract facility
portfolio coverage insurance insurer reg cert registration certificate status type test result
code ref id no nr number nummer numero ident identifier reference ordine onderzoek untersuchung
befund auftrag examen prueba esame analyse""".split())
PERSON_HOLDERS = frozenset("""patient patienten patientin patiente paciente paziente customer client
cliente klant kunde kunden member beneficiary insured assicurato assicurata assure assuree asegurado
asegurada versicherte versicherter verzekerde subscriber policy holder payee payer debtor creditor
titular titolare pt pat""".split())
# Kinds whose values are numbers or codes (≥ 2 digits); others have their own check below.
PRIORITY = ["PERSON", "MEDICAL_RECORD_NUMBER", "BANK_ACCOUNT", "OTHER_ID"]
MONTH_WORD = re.compile(rf"\b{vocab.MONTHS}\b", re.IGNORECASE)
AGE_VALUE = re.compile(r"^\s*(9\d|1[0-2]\d)\s*(?:[a-zA-Zéè./-]{0,6})\s*$")
NAME_VALUE = re.compile(r"^[^\W\d_][\w'’.,\-+&/ ]{0,60}$")  # "emma harrington + Bethany", "Weiß/von der Heyde"
TIME_VALUE = re.compile(r"^\d{1,2}[:h.]\d{2}(?::\d{2})?(?:\s?(?:uhr|h|uur))?$", re.IGNORECASE)
TRAILING_TIME = re.compile(r"[ \t,]+\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s?(?:uhr|h|uur))?$", re.IGNORECASE)
EMPTY = frozenset("- -- n/a na none null unknown nil — –".split())


def _plain(text: str) -> str:
    text = CAMEL.sub(" ", text)
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ß", "ss")


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(_plain(text).replace("°", " n ").replace("º", " n ")))


def _phrases() -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for kind, words in list(vocab.LABELS.items()) + list(vocab.FIELD_WORDS.items()):
        for phrase in words.split("|"):
            key = _words(phrase)
            if key and not (len(key) == 1 and key[0] in WEAK) and key not in table:
                table[key] = kind
    return table


PHRASES = _phrases()
# Weak label words that do name an identifier column in a table header ("Fall", "Episode",
# "Sample"); their values must have at least four digits.
HEADER_WEAK = {key[0]: kind for kind, words in reversed(list(vocab.LABELS.items()))
               for key in (_words(p) for p in words.split("|"))
               if len(key) == 1 and key[0] in ("fall case episode record file visit sample order probe monster "
                                               "campione muestra asset device contract policy").split()}
KEEP_PHRASES = frozenset(_words(p) for p in vocab.CONTENT_FIELDS.split("|") if _words(p))
KEEP_TAILS = tuple(k[0] for k in KEEP_PHRASES if len(k) == 1 and len(k[0]) >= 5)
LONGEST = max(len(k) for k in PHRASES)


@lru_cache(maxsize=4096)
def field_kind(name: str) -> str | None:
    """The kind of value a field called `name` holds, or None when the name says nothing."""
    words = _words(name)
    if not words or len(words) > 8:
        return None
    if words in KEEP_PHRASES:
        return KEEP
    best, best_len = None, 0
    for n in range(min(LONGEST, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            kind = PHRASES.get(words[i:i + n])
            if kind and (best is None or (n == best_len and _rank(kind) < _rank(best))):
                best, best_len = kind, n
        if best:
            break
    if best is None:
        # a glued compound: "Telefonnummer", "patientid", "kontonr", "geburtsdatum"
        joined = "".join(words)
        for key, kind in PHRASES.items():
            if len(key) == 1 and len(key[0]) >= 4 and (joined.startswith(key[0]) or joined.endswith(key[0])):
                if best is None or len(key[0]) > best_len:
                    best, best_len = kind, len(key[0])
    if best is None:
        # "Patnr.", "ID paz.", "Belegnr", "Versichertennr": an unknown word with a number word
        for suffix in ("nummer", "number", "nr", "no", "num", "id"):
            if joined.endswith(suffix) and len(joined) > len(suffix) + 2:
                stem = joined[:-len(suffix)]
                best = PHRASES.get((stem + "nummer",)) or PHRASES.get((stem,)) or "OTHER_ID"
                break
        if best is None and any(w in NUMBER_WORDS for w in words) and len(words) > 1:
            best = "OTHER_ID"
    if best is None and any(joined.endswith(w) for w in KEEP_TAILS):
        return KEEP  # "Rechnungsbetrag", "Gesamtbetrag", "Eigenanteil"
    if best == "PERSON" and any(w in NUMBER_WORDS for w in words):
        return "OTHER_ID"
    return best


def _rank(kind: str) -> int:
    return PRIORITY.index(kind) + 1 if kind in PRIORITY else 0


def value_fits(kind: str, value: str, field: str = "") -> str | None:
    """The entity to report for `value` in a field of `kind`, or None when the value does not fit."""
    value = value.strip().strip("\"'").strip()
    if not value or value.lower() in EMPTY or len(value) > 120:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if kind != "DATE" and TIME_VALUE.match(value):
        return None
    if kind == "PERSON":
        return "PERSON" if digits == 0 and NAME_VALUE.match(value) and len(value.split()) <= 5 else None
    if kind == "ADDRESS":
        return "ADDRESS" if any(ch.isalpha() for ch in value) else None  # not "10:10 / 04:15" under "Ort"
    if kind == "ZIP_CODE":
        return "ZIP_CODE" if digits >= 3 and len(value) <= 10 else None
    if kind == "AGE_OVER_89":
        return "AGE_OVER_89" if AGE_VALUE.match(value) else None
    if kind == "DATE":
        return "DATE" if (digits >= 3 or MONTH_WORD.search(value)) and len(value) <= 40 else None
    if kind == "EMAIL_ADDRESS":
        return "EMAIL_ADDRESS" if "@" in value else None
    if digits == 0:
        holders = set(_words(field)) & PERSON_HOLDERS
        if holders and NAME_VALUE.match(value) and len(value.split()) <= 4 and value[:1].isupper():
            return "PERSON"  # a "Patient" or "Kunde" column of names
        return None
    if kind == "PHONE_NUMBER":
        return "PHONE_NUMBER" if digits >= 6 else None
    if digits < 2 or AMOUNT_VALUE.fullmatch(value):
        return None
    return kind


def value_span(line: str, start: int, end: int) -> tuple[int, int]:
    """The cell without its padding, quotes and a leading `:` ("MRN     : 81996")."""
    while start < end and (line[start] in " \t\"'" or (line[start] in ":=" and line[start + 1:start + 2] in " \t")):
        start += 1
    while end > start and line[end - 1] in " \t\"'\r":
        end -= 1
    return start, end


def split_cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell; double-quoted cells may hold the separator."""
    if sep == "  ":
        return [(m.start(), m.end()) for m in SPACED_CELL.finditer(line)]
    cells, start, quoted = [], 0, False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            cells.append((start, i))
            start = i + 1
    cells.append((start, len(line)))
    return cells


SEPARATORS = ("|", "\t", ";", ",", "  ")
VALUE_DIGITS = re.compile(r"\d{3}")
RULE = re.compile(r"^[\s|+:=-]*$")
KEEP = "KEEP"
WEAK_PREFIX = "weak:"


def _header(line: str, sep: str) -> list[str | None] | None:
    """The kind of each column (KEEP for content columns) when `line` is a header row split by `sep`.
    Two-cell lines are `label | value` rows, not headers."""
    cells = [line[a:b].strip().strip("\"'") for a, b in split_cells(line, sep)]
    named = [c for c in cells if c]
    if len(named) < 3:
        return None
    if sum(any(ch.isdigit() for ch in c) for c in named) > len(named) // 3:
        return None  # a data row, not a header
    if any(len(c) > 40 or ":" in c or "=" in c or "@" in c or VALUE_DIGITS.search(c) for c in named):
        return None  # prose, `label: value` pairs or values (an e-mail, a number), not column names
    kinds = [field_kind(c) or (WEAK_PREFIX + HEADER_WEAK[_words(c)[0]]
                               if len(_words(c)) == 1 and _words(c)[0] in HEADER_WEAK else None)
             if c else None for c in cells]
    if any(k is None and any(ch.isdigit() for ch in c) for c, k in zip(cells, kinds)):
        return None  # "| Name | Ingrid Holmberg | 1961 |": a labelled row, not column names
    known = sum(k is not None for k in kinds)
    if not any(k and k != KEEP for k in kinds) or 3 * known < len(named):
        return None
    return kinds


def _row_kind(label: str) -> str | None:
    """A row label is a field name and nothing else ("Telefon", "N° de dossier", "Patientennummer"),
    not "Patient - Abernathy, William"."""
    words = tuple(w for w in _words(label) if w not in NUMBER_WORDS) or _words(label)
    if words in PHRASES or words in KEEP_PHRASES or len(words) == 1:
        return field_kind(label)
    return None


class _Scan:
    """One pass over a text: the values found by their field name, and the cells that hold
    content (header cells, code, amount, drug, ward, time columns) where no hit may stand."""

    KEY_VALUE = re.compile(
        r"(?:(?P<q>[\"'])(?P<qkey>[A-Za-z][\w.\- ]{0,38})(?P=q)|(?<![\w.\-])(?P<key>[A-Za-z][\w.\-]{0,38}))"
        r"[ \t]*(?P<sep>[=:])[ \t]*"
        r"(?:\"(?P<quoted>[^\"\n]{1,120})\"|'(?P<quoted2>[^'\n]{1,120})'|(?P<bare>[^\s\"',;&|}\]]+))")
    ROW = re.compile(r"^[ \t|]*(?P<label>[^\W\d_][^\t|;:=]{0,38}?)[ \t]*(?:\t|\|| {2,})[ \t|]*"
                     r"(?P<value>[^\t|]+?)(?:[ \t]*(?:\t|\||  )|[ \t|]*$)")

    def __init__(self, text: str):
        self.text, self.hits, self.protected, self.headers = text, [], [], []
        self._tables()
        self._keys()
        _swift(self)

    def _emit(self, kind, field, start, end):
        if kind == KEEP:
            self.protected.append((start, end))
            return
        if kind.startswith(WEAK_PREFIX):
            kind = kind[len(WEAK_PREFIX):]
            if sum(ch.isdigit() for ch in self.text[start:end]) < 4:
                return
        entity = value_fits(kind, self.text[start:end], field)
        if entity == "DATE":
            time = TRAILING_TIME.search(self.text, start, end)
            end = time.start() if time and time.start() > start else end  # "24.01.2023 23:45": the time stays
        if entity:
            self.hits.append((entity, start, end))

    def _tables(self) -> None:
        offset, columns, sep, width = 0, None, None, 0
        for line in self.text.split("\n"):
            if "|" in line and line[3:4] == "|" and _hl7(self, line, offset):
                offset += len(line) + 1
                continue
            if columns is not None and line.strip():
                if RULE.match(line):
                    offset += len(line) + 1
                    continue
                cells = split_cells(line, sep)
                if (len(cells) >= 2) if sep == "  " else (len(cells) == width):
                    for index, (a, b) in enumerate(cells):
                        column = _column_index(columns, index, a, sep)
                        if column < len(columns) and columns[column][1]:
                            a, b = value_span(line, a, b)
                            if b > a:
                                self._emit(columns[column][1], columns[column][2], offset + a, offset + b)
                    offset += len(line) + 1
                    continue
            columns = None
            found = None
            for candidate in SEPARATORS:
                if candidate in line and not (candidate == "  " and ("|" in line or "\t" in line)):
                    kinds = _header(line, candidate)
                    if kinds:
                        found = candidate, kinds
                        break
            if found:
                sep, kinds = found
                cells = split_cells(line, sep)
                columns = [(a, k, line[a:b]) for (a, b), k in zip(cells, kinds)]
                width = len(cells)
                self.headers += [(offset + a, offset + b) for a, b in cells]
            else:
                self._row_label(line, offset)
            offset += len(line) + 1

    def _row_label(self, line: str, offset: int) -> None:
        """`Telefon | 030 1234567`, `Alter\t93`: the first cell names the row's value."""
        match = self.ROW.match(line)
        if not match or any(ch.isdigit() for ch in match.group("label")):
            return  # "IBAN DE12 ...   Kunde ...": a label with its value, then the next field
        kind = _row_kind(match.group("label"))
        if kind:
            self.headers.append((offset + match.start("label"), offset + match.end("label")))
            self._emit(kind, match.group("label"), offset + match.start("value"), offset + match.end("value"))

    def _keys(self) -> None:
        for match in self.KEY_VALUE.finditer(self.text):
            quoted = match.group("q")
            key = match.group("qkey") if quoted else match.group("key")
            if not quoted and match.group("sep") == ":" and "_" not in key and "." not in key:
                continue  # "Diagnosis: ..." is prose (labels are labelled.py's); `patient_id: ...` a field
            kind = field_kind(key)
            if not kind or kind == KEEP:
                continue
            group = next(g for g in ("quoted", "quoted2", "bare") if match.group(g) is not None)
            self._emit(kind, key, match.start(group), match.end(group))


# HL7 v2 segments: (segment, field number) → kind. Fields are `|`-separated, repetitions `~`,
# components `^`; MSH counts its own field separator as field 1.
HL7_SEGMENT = re.compile(r"^(?P<seg>MSH|PID|PD1|PV1|PV2|NK1|GT1|IN1|IN2|ORC|OBR|OBX|NTE|EVN|MRG|ROL|AL1|DG1)\|")
HL7_FIELDS = {
    ("MSH", 7): "DATE", ("MSH", 10): "OTHER_ID", ("EVN", 2): "DATE", ("EVN", 6): "DATE",
    ("PID", 2): "MEDICAL_RECORD_NUMBER", ("PID", 3): "MEDICAL_RECORD_NUMBER",
    ("PID", 4): "MEDICAL_RECORD_NUMBER", ("PID", 5): "PERSON", ("PID", 6): "PERSON",
    ("PID", 7): "DATE", ("PID", 9): "PERSON", ("PID", 11): "ADDRESS", ("PID", 13): "PHONE_NUMBER",
    ("PID", 14): "PHONE_NUMBER", ("PID", 18): "BANK_ACCOUNT", ("PID", 19): "NATIONAL_ID",
    ("PID", 20): "DRIVER_LICENSE", ("PID", 21): "MEDICAL_RECORD_NUMBER", ("PID", 29): "DATE",
    ("MRG", 1): "MEDICAL_RECORD_NUMBER", ("MRG", 7): "PERSON",
    ("PD1", 4): "PERSON", ("PV1", 7): "PERSON", ("PV1", 8): "PERSON", ("PV1", 9): "PERSON",
    ("PV1", 17): "PERSON", ("PV1", 19): "MEDICAL_RECORD_NUMBER", ("PV1", 44): "DATE",
    ("PV1", 45): "DATE", ("NK1", 2): "PERSON", ("NK1", 4): "ADDRESS", ("NK1", 5): "PHONE_NUMBER",
    ("NK1", 6): "PHONE_NUMBER", ("GT1", 2): "OTHER_ID", ("GT1", 3): "PERSON", ("GT1", 5): "ADDRESS",
    ("GT1", 6): "PHONE_NUMBER", ("GT1", 7): "PHONE_NUMBER", ("GT1", 8): "DATE", ("GT1", 12): "NATIONAL_ID",
    ("IN1", 16): "PERSON", ("IN1", 18): "DATE", ("IN1", 19): "ADDRESS", ("IN1", 36): "HEALTH_PLAN_ID",
    ("IN1", 49): "HEALTH_PLAN_ID", ("IN1", 8): "HEALTH_PLAN_ID",
    ("ORC", 2): "OTHER_ID", ("ORC", 3): "OTHER_ID", ("ORC", 4): "OTHER_ID", ("ORC", 9): "DATE",
    ("ORC", 10): "PERSON", ("ORC", 11): "PERSON", ("ORC", 12): "PERSON",
    ("OBR", 2): "OTHER_ID", ("OBR", 3): "OTHER_ID", ("OBR", 7): "DATE", ("OBR", 8): "DATE",
    ("OBR", 14): "DATE", ("OBR", 16): "PERSON", ("OBR", 22): "DATE", ("OBR", 28): "PERSON",
    ("OBR", 32): "PERSON", ("OBX", 14): "DATE", ("OBX", 16): "PERSON", ("ROL", 4): "PERSON",
}
HL7_TITLES = frozenset("dr dr. md mr mrs ms prof phd rn jr sr ii iii".split())


def _hl7(scan: "_Scan", line: str, offset: int) -> bool:
    match = HL7_SEGMENT.match(line)
    if not match:
        return False
    segment = match.group("seg")
    start = 0
    for number, field in enumerate(line.split("|")):
        index = number + 1 if segment == "MSH" else number
        kind = HL7_FIELDS.get((segment, index))
        if kind and field:
            _hl7_field(scan, kind, field, offset + start)
        start += len(field) + 1
    return True


def _hl7_field(scan: "_Scan", kind: str, field: str, offset: int) -> None:
    position = 0
    for repetition in field.split("~"):
        components, at = [], position
        for component in repetition.split("^"):
            components.append((at, component))
            at += len(component) + 1
        for i, (at, component) in enumerate(components):
            value = component.strip()
            if not value:
                continue
            digits = any(ch.isdigit() for ch in value)
            if kind == "DATE" or kind == "PHONE_NUMBER":
                chosen = kind if (i == 0 or sum(ch.isdigit() for ch in value) >= 6) else None
            elif kind == "PERSON":
                chosen = "LICENSE_NUMBER" if digits else (
                    "PERSON" if len(value) > 1 and value.lower() not in HL7_TITLES and i < 4 else None)
            elif kind == "ADDRESS":
                chosen = "ADDRESS" if i <= 4 else None  # street, other, city, state, postcode
            else:
                chosen = kind if i == 0 else None  # the id; then check digit, authority, type
            if chosen:
                scan.hits.append((chosen, offset + at, offset + at + len(component)))
        position += len(repetition) + 1


# SWIFT MT parties: after :50a: (ordering customer) or :59a: (beneficiary) and the account line
# come the name and up to three address lines ("1/NAME", "2/STREET", "3/CC/TOWN" in option F).
SWIFT_PARTY = re.compile(r"^:(?:50[AFK]?|59[AF]?):(?:/[^\n]*\n|(?=[^\n/]))(?P<block>(?:(?!:\d{2}[A-Z]?:|-\})[^\n]+(?:\n|$)){1,4})",
                         re.MULTILINE)
SWIFT_LINE = re.compile(r"^(?:[1-8]/(?:[A-Z]{2}/)?)?(?P<value>.+?)\s*$")


def _swift(scan: "_Scan") -> None:
    if ":5" not in scan.text:
        return
    for match in SWIFT_PARTY.finditer(scan.text):
        offset = match.start("block")
        for i, line in enumerate(match.group("block").split("\n")):
            value = SWIFT_LINE.match(line)
            if value and value.group("value"):
                kind = "PERSON" if i == 0 else "ADDRESS"  # the name, then the address lines
                scan.hits.append((kind, offset + value.start("value"), offset + value.end("value")))
            offset += len(line) + 1


def _column_index(columns, index, start, sep):
    if sep != "  ":
        return index
    best = 0
    for i, (a, _, _) in enumerate(columns):
        if a <= start + 1:
            best = i
    return best


@lru_cache(maxsize=64)
def scan(text: str) -> _Scan:
    return _Scan(text)


# Shapes that stay identifiers even in a content column ("Note: call 030 1234567").
UNMISTAKABLE = frozenset("DATE EMAIL_ADDRESS URL IP_ADDRESS IBAN_CODE CREDIT_CARD PHONE_NUMBER".split())


def drop_protected(text: str, results: list) -> list:
    """Drop hits that lie inside a header cell, and guesses (names, codes taken for ids) inside a
    content column's cell."""
    found = scan(text)
    if not found.protected and not found.headers:
        return results
    return [r for r in results
            if not any(a <= r.start and r.end <= b for a, b in found.headers)
            and (r.entity_type in UNMISTAKABLE
                 or not any(a <= r.start and r.end <= b for a, b in found.protected))]


class FieldValueRecognizer(EntityRecognizer):
    """Values under a header naming their kind, after a row label, and after JSON / log keys."""

    def __init__(self):
        super().__init__(supported_entities=sorted(set(vocab.LABELS) | set(vocab.FIELD_WORDS)
                                                   | {"PERSON", "OTHER_ID"}),
                         name="privatune_fields")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        return [make_result(self, kind, start, end, 0.75) for kind, start, end in scan(text).hits]
