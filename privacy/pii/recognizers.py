"""Recognizers for what hospitals and banks hold, on top of Presidio's.

Stock Presidio misses spelled-out dates, 2-series Mastercards, MRNs, account and routing numbers
and internal e-mail domains, and reads sort codes and "4-6 weeks" as dates. Each recognizer here is
a regex with a checksum or range check where the identifier has one, and labelled forms
("Acct #: 12345678") matched through a look-behind so only the value is replaced. Context words
are given only where a pattern scores below the threshold without them (Presidio's context step
costs time per hit).
"""

from __future__ import annotations

import phonenumbers
import regex as re
from presidio_analyzer import (
    AnalysisExplanation, EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult,
)
from presidio_analyzer.predefined_recognizers import (
    IbanRecognizer, IpRecognizer, UsNpiRecognizer, UsSsnRecognizer,
)

from privatune.privacy.pii import checks

FLAGS = re.DOTALL | re.MULTILINE | re.IGNORECASE
SEP = r"[\s:#.=\-–]{0,4}"  # between a label and its value: "MRN: ", "acct# ", "No. -"
NO = r"(?:\s*(?:no\.?|num(?:ber)?|nbr|#|id))?"  # "number" in its many spellings

MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
         r"|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
         r"|décembre|januar|februar|märz|maerz|juni|juli|oktober|dezember)")
ORD = r"(?:st|nd|rd|th)?"


def labelled(label: str, value: str) -> str:
    """A value preceded by its label; the label stays in the text (look-behind)."""
    return rf"(?<=\b(?:{label}){NO}{SEP})(?:{value})"


class CheckedPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer whose matches must also pass `check` (checksum, range ...)."""

    def __init__(self, entity: str, patterns: list[Pattern], check=None, context=(), flags=FLAGS):
        super().__init__(supported_entity=entity, name=f"privatune_{entity.lower()}",
                         patterns=patterns, context=list(context), global_regex_flags=flags)
        self._check = check

    def validate_result(self, pattern_text: str):
        # None keeps the pattern's score; False drops the match (a failed checksum is no identifier).
        if self._check is None:
            return None
        return None if self._check(pattern_text) else False


def email_recognizer() -> PatternRecognizer:
    # No public-suffix check: hospitals use internal domains (.local, .internal, .lan).
    return CheckedPatternRecognizer("EMAIL_ADDRESS", [
        Pattern("email", r"\b[a-z0-9][a-z0-9._%+'-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b", 0.9),
        Pattern("email, dotless host", r"\b[a-z0-9][a-z0-9._%+'-]*@[a-z][a-z0-9-]{2,}\b", 0.5),
    ])


def url_recognizer() -> PatternRecognizer:
    path = r"[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?]"
    return CheckedPatternRecognizer("URL", [
        Pattern("url with scheme", rf"\b(?:https?|ftp|sftp)://{path}", 0.9),
        Pattern("www url", rf"\bwww\d{{0,3}}\.[a-z0-9-]+\.{path}", 0.8),
        Pattern("host with path", r"\b(?:[a-z0-9-]+\.)+[a-z]{2,12}/[^\s<>\"']*[a-z0-9/=]", 0.6),
    ])


def card_recognizer() -> PatternRecognizer:
    return CheckedPatternRecognizer("CREDIT_CARD", [
        Pattern("card digits", r"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])", 0.5),
    ], check=checks.is_card_number)


def account_recognizer() -> PatternRecognizer:
    label = r"account|acct|acc|a/c|chequing|checking|savings|konto"
    value = r"[a-z]{0,4}\d(?:[ -]?\d){5,19}\b"
    return CheckedPatternRecognizer("BANK_ACCOUNT", [
        Pattern("labelled account", labelled(label, value), 0.9),
        Pattern("bare account digits", r"\b\d{8,17}\b", 0.05),
    ], context=["account", "acct", "a/c", "checking", "savings", "deposit", "balance"])


def routing_recognizer() -> PatternRecognizer:
    label = r"routing|aba|rtn|transit|routing\s+and\s+transit"
    return CheckedPatternRecognizer("ROUTING_NUMBER", [
        Pattern("labelled routing", labelled(label, r"\d{9}\b|\d{4}-\d{4}-\d\b"), 0.95),
        Pattern("aba digits", r"\b\d{9}\b", 0.15),
    ], check=checks.is_aba_routing, context=["routing", "aba", "rtn", "transit", "wire"])


def sort_code_recognizer() -> PatternRecognizer:
    value = r"\d{2}[- ]\d{2}[- ]\d{2}\b|\d{6}\b"
    return CheckedPatternRecognizer("SORT_CODE", [
        Pattern("labelled sort code", labelled(r"sort\s*code|sort|s/c|bsb", value), 0.95),
        Pattern("sort code shape", r"\b\d{2}-\d{2}-\d{2}\b", 0.1),
    ], context=["sort", "code", "branch", "bsb"])


def ssn_recognizer() -> list[EntityRecognizer]:
    label = r"ssn|social\s+security|social\s+sec|ss#|soc\s*sec"
    labelled_ssn = CheckedPatternRecognizer("US_SSN", [
        Pattern("labelled ssn", labelled(label, r"\d{3}[- .]?\d{2}[- .]?\d{4}\b"), 0.95),
        # A valid-looking bare 9-digit number is removed too: in these records it is nearly always
        # some identifier (SSN, routing, passport, phone), and a form's header may be far away.
        Pattern("bare ssn digits", r"(?<![\d-])\d{9}(?![\d-])", 0.4),
    ], check=checks.is_ssn)
    return [labelled_ssn, UsSsnRecognizer()]


def mrn_recognizer() -> PatternRecognizer:
    label = (r"mrn|mr|medical\s+record|med\s+rec|medical\s+record\s+number|hospital|hosp|"
             r"patient|pt|chart|unit|case|encounter|admission|visit|emr|ehr|nhs")
    value = r"(?=(?:[a-z-]*\d){4})[a-z]{0,4}-?\d[a-z0-9-]{3,18}[a-z0-9]\b"
    return CheckedPatternRecognizer("MEDICAL_RECORD_NUMBER", [
        Pattern("labelled mrn", labelled(label, value), 0.9),
        Pattern("mrn-prefixed", r"\bmrn[-:]?\d{5,12}\b", 0.9),
    ], check=checks.has_identifier_shape)


def npi_recognizer() -> list[EntityRecognizer]:
    labelled_npi = CheckedPatternRecognizer("NPI", [
        Pattern("labelled npi", labelled(r"npi|national\s+provider", r"\d{10}\b|\d{4}[ -]\d{3}[ -]\d{3}\b"), 0.95),
    ])
    return [labelled_npi, UsNpiRecognizer(supported_entity="NPI")]


def passport_recognizer() -> PatternRecognizer:
    value = r"(?=(?:[a-z]*\d){5})[a-z0-9]{6,10}\b"
    return CheckedPatternRecognizer("PASSPORT", [
        Pattern("labelled passport", labelled(r"passport|pass\s*port|reisepass|passeport", value), 0.9),
    ])


def driver_license_recognizer() -> PatternRecognizer:
    label = (r"driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|drivers?\s+lic|licen[cs]e|"
             r"dl|d/l|dln|führerschein")
    value = r"(?=(?:[a-z-]*\d){3})[a-z0-9][a-z0-9-]{4,17}[a-z0-9]\b"
    return CheckedPatternRecognizer("DRIVER_LICENSE", [
        Pattern("labelled licence", labelled(label, value), 0.9),
    ], check=checks.has_identifier_shape)


def date_recognizer() -> PatternRecognizer:
    year = r"(?:\d{4}|'\d{2})"
    return CheckedPatternRecognizer("DATE", [
        Pattern("numeric d/m/y or m/d/y", r"\b\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})\b", 0.6),
        Pattern("iso y-m-d", r"\b\d{4}([/.-])\d{1,2}\1\d{1,2}\b", 0.6),
        Pattern("compact yyyymmdd", r"(?<=\b(?:dob|born|birth|date)\W{0,3})\d{8}\b", 0.6),
        Pattern("month d, y", rf"\b{MONTH}\.?[ \t]+\d{{1,2}}{ORD},?[ \t]+{year}\b", 0.8),
        Pattern("d month y", rf"\b\d{{1,2}}{ORD}(?:[ \t]+of)?[ \t.-]+{MONTH}\.?,?[ \t.-]+{year}\b", 0.8),
        Pattern("month y", rf"\b{MONTH}\.?,?[ \t]+(?:of[ \t]+)?\d{{4}}\b", 0.5),
        Pattern("month d", rf"\b{MONTH}\.?[ \t]+\d{{1,2}}{ORD}\b(?![:.,]?\d)", 0.4),
        Pattern("d month", rf"\b\d{{1,2}}{ORD}[ \t]+(?:of[ \t]+)?{MONTH}\b\.?", 0.4),
    ], check=checks.is_calendar_date)


def age_recognizer() -> PatternRecognizer:
    age = r"(?:9\d|1[0-2]\d)"
    unit = r"(?=\s*-?\s*(?:years?|yrs?|y/?o\b|y\.o\.|yo\b|-?year-old|year\s+old))"
    return CheckedPatternRecognizer("AGE_OVER_89", [
        Pattern("age with unit", rf"\b{age}{unit}", 0.85),
        Pattern("labelled age", rf"(?<=\b(?:age|aged|age:)\s*){age}\b", 0.85),
    ])


def address_recognizer() -> PatternRecognizer:
    street_types = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|"
                    r"place|pl|terrace|ter|way|parkway|pkwy|circle|cir|highway|hwy|square|sq|"
                    r"close|crescent|cres|gardens|row|mews|walk|hill|grove|park")
    unit = r"(?:,?\s+(?:apt|apartment|suite|ste|unit|flat|fl|floor|room|rm|#)\.?\s*#?[a-z0-9-]{1,6})?"
    uk_postcode = r"\b(?-i:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b"
    city_zip = (r"(?:,\s*(?:(?-i:[A-Z][a-z]+)\s?){1,3},?\s+(?-i:[A-Z]{2})\.?\s+\d{5}(?:-\d{4})?"
                rf"|,\s*(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?\s+{uk_postcode})?")
    name_word = r"(?:(?-i:[A-Z][A-Za-z'.-]+)|\d{1,3}(?:st|nd|rd|th))"
    lower_word = r"[a-z][a-z'-]+"
    full_types = r"street|avenue|road|boulevard|lane|drive"
    return CheckedPatternRecognizer("ADDRESS", [
        Pattern("street", rf"\b\d{{1,6}}[a-z]?\s+(?:{name_word}\s+){{1,4}}(?:{street_types})\b\.?"
                          rf"{unit}{city_zip}", 0.75),
        Pattern("lowercase street", rf"\b\d{{1,5}}\s+(?:{lower_word}\s+){{1,3}}(?:{full_types})\b", 0.5),
        Pattern("flat/apartment", rf"\b(?:flat|apt|apartment|unit)\s+\d{{1,4}}[a-z]?,?\s+\d{{1,5}}\s+"
                                  rf"(?:{name_word}\s+){{1,3}}(?:{street_types})\b{city_zip}", 0.75),
        Pattern("german street", r"\b(?-i:[A-ZÄÖÜ][a-zäöüß-]+)(?:straße|strasse|str\.|weg|allee|"
                                 r"platz|gasse|ring|damm)\s+\d{1,4}[a-z]?\b"
                                 r"(?:,\s*\d{5}\s+(?-i:[A-ZÄÖÜ][a-zäöüß]+))?", 0.75),
        Pattern("french street", r"\b\d{1,4},?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|"
                                 r"quai|impasse)\s+(?:(?:de|du|des|la|le|l'|d')\s*)*"
                                 r"(?-i:[A-Z][\w'-]+)(?:\s+(?-i:[A-Z][\w'-]+)){0,3}"
                                 r"(?:,\s*\d{5}\s+(?-i:[A-Z][\w'-]+))?", 0.75),
        Pattern("us state + zip", r"(?<=,\s*)(?-i:[A-Z]{2})\s+\d{5}(?:-\d{4})?\b", 0.6),
        Pattern("uk postcode", uk_postcode, 0.6),
        Pattern("po box", r"\bp\.?\s?o\.?\s+box\s+\d{1,6}\b", 0.8),
    ])


def institution_term_recognizer(terms) -> PatternRecognizer:
    return PatternRecognizer(supported_entity="INSTITUTION_TERM", name="privatune_deny_list",
                             deny_list=list(terms), deny_list_score=1.0)


def extra_pattern_recognizers(extra_patterns: dict[str, list[str]]) -> list[PatternRecognizer]:
    recognizers = []
    for entity, regexes in extra_patterns.items():
        patterns = [Pattern(f"{entity} #{i}", rx, 0.9) for i, rx in enumerate(regexes)]
        recognizers.append(CheckedPatternRecognizer(entity, patterns))
    return recognizers


class PhoneShapeRecognizer(EntityRecognizer):
    """Phone-shaped strings confirmed by `phonenumbers` for the regions our clients are in.

    Cheaper than Presidio's PhoneNumberMatcher (one scan per region) and it does not read bare
    9-digit routing numbers as phones: a phone here has a `+`, parentheses or separators.
    """

    REGIONS = ("US", "GB", "DE", "FR", "IN", "CA", "AU", "IE", "NL", "ES", "IT", "CH")
    CANDIDATE = re.compile(
        r"(?<![\w+]|\d[\s.-])(?:"
        r"(?:\+|00)\d{1,3}[\s.-]?(?:\(0\)\s?)?(?:\(0?\d{1,4}\)|\d{1,4})(?:[\s.-]?\d{2,4}){1,4}"  # +31 (0)6 ...
        r"|\(\d{2,5}\)\s?\d{3,4}[\s.-]?\d{3,4}"                                      # (617) 555-0199
        r"|\d{3}[.-]\d{3}[.-]\d{4}|\d{3}\s\d{3}\s\d{4}"                              # 617-555-0199
        r"|0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}"                                        # 020 7946 0958
        r")(?![\w]|[\s.-]\d)(?:\s*(?:x|ext\.?)\s*\d{1,5})?", FLAGS)
    LABELLED = re.compile(labelled(r"phone|tel|telephone|mobile|cell|fax|contact|ph", r"\d{7,12}\b"), FLAGS)

    def __init__(self):
        super().__init__(supported_entities=["PHONE_NUMBER"], name="privatune_phone")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for match in self.CANDIDATE.finditer(text):
            if self._is_phone(match.group()):
                results.append(self._result(match, 0.7))
        for match in self.LABELLED.finditer(text):
            results.append(self._result(match, 0.8))
        return results

    def _is_phone(self, candidate: str) -> bool:
        for region in self.REGIONS:
            try:
                number = phonenumbers.parse(candidate, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(number):
                return True
        return False

    def _result(self, match, score):
        return make_result(self, "PHONE_NUMBER", match.start(), match.end(), score)


class CombinedPatternRecognizer(EntityRecognizer):
    """Several CheckedPatternRecognizers without context words run as one recognizer: the same
    patterns, scores and checks, without Presidio's per-recognizer and per-pattern overhead
    (timing, debug logging, explanation objects per match)."""

    def __init__(self, parts: list[CheckedPatternRecognizer]):
        self._patterns = [(part.supported_entities[0], re.compile(p.regex, part.global_regex_flags),
                           p.score, part._check) for part in parts for p in part.patterns]
        super().__init__(supported_entities=sorted({e for e, _, _, _ in self._patterns}),
                         name="privatune_patterns")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for entity, pattern, score, check in self._patterns:
            for match in pattern.finditer(text):
                if match.end() > match.start() and (check is None or check(match.group())):
                    results.append(make_result(self, entity, match.start(), match.end(), score))
        return results


def make_result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float):
    """A result as Presidio's own recognizers build it (context enhancement needs the explanation)."""
    explanation = AnalysisExplanation(recognizer=recognizer.name, original_score=score)
    return RecognizerResult(entity, start, end, score, analysis_explanation=explanation,
                            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
                                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id})


def pattern_recognizers(deny_list=(), extra_patterns=None) -> list[EntityRecognizer]:
    """Every recognizer that works without NER."""
    from privatune.privacy.pii.dates import DateAgeRecognizer
    from privatune.privacy.pii.fields import FieldValueRecognizer
    from privatune.privacy.pii.labelled import IdentifierShapeRecognizer, LabelledIdentifierRecognizer
    from privatune.privacy.pii.places import AddressRecognizer

    labelled_ssn, stock_ssn = ssn_recognizer()
    labelled_npi, stock_npi = npi_recognizer()
    # Labelled MRN, passport and licence values are LabelledIdentifierRecognizer's (vocab.LABELS,
    # six languages, same entity types); of these recognizers only the label-free patterns remain.
    unlabelled = [mrn_recognizer(), passport_recognizer(), driver_license_recognizer()]
    for part in unlabelled:
        part.patterns = [p for p in part.patterns if not p.name.startswith("labelled")]
    combined = CombinedPatternRecognizer([
        email_recognizer(), url_recognizer(), card_recognizer(), labelled_ssn, labelled_npi,
        *[part for part in unlabelled if part.patterns]])
    recognizers: list[EntityRecognizer] = [
        combined, IpRecognizer(), IbanRecognizer(), routing_recognizer(), sort_code_recognizer(),
        stock_ssn, stock_npi, PhoneShapeRecognizer(), LabelledIdentifierRecognizer(), IdentifierShapeRecognizer(),
        DateAgeRecognizer(), AddressRecognizer(), FieldValueRecognizer(),
    ]
    if deny_list:
        recognizers.append(institution_term_recognizer(deny_list))
    recognizers += extra_pattern_recognizers(extra_patterns or {})
    return recognizers
