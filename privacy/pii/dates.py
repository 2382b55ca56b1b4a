"""Dates in six languages and ages over 89 in the short forms of clinical notes.

Dates: numeric in any national order, ISO (with a time), month names and abbreviations of EN, DE,
FR, ES, IT and NL in every usual arrangement ("5. März 2024", "le 1er mars 1950", "5 de marzo de
1982", "12-Mar-2024", "March 5th"), and spelled-out English dates ("the fifth of March, nineteen
eighty-two"). Ages: 90-129 with a unit or sex marker in any of the languages ("92F", "91W", "96H",
"95aa", "âgée de 93 ans", "95-jährige", "anni 96"), or after an age label (age columns: fields.py).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer

from privatune.privacy.pii import checks
from privatune.privacy.pii.recognizers import make_result
from privatune.privacy.pii.vocab import DAY_WORDS, MONTHS, YEAR_WORDS

# Compiled once: a call with a pattern string looks the pattern up in a cache each time.
DAY_MONTH_SEP = re.compile(r"[/.]")
FOUR_DIGITS = re.compile(r"\d{4}")

FLAGS = re.IGNORECASE | re.MULTILINE
DAY = r"(?:[0-3]?\d)(?:\.|st|nd|rd|th|er|ère|re|º|°|o|ª)?"
YEAR = r"(?:\d{4}|'\d{2}|\d{2}(?![\d:]))"
MON = rf"{MONTHS}\.?"
SEP = r"(?:[ \t]+(?:de|of|del|di|van)[ \t]+|[ \t./-]+|,[ \t]*)"  # a date stays on one line
DATES = [
    ("numeric", 0.6, re.compile(r"(?<![\d.,/])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/]|[.,]\d)")),
    ("iso", 0.7, re.compile(r"(?<![\d.])\d{4}([/.-])\d{1,2}\1\d{1,2}(?:T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                            r"(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d])")),  # a time alone is kept
    ("compact", 0.5, re.compile(r"(?<=\b(?:dob|born|birth|geb|né|née|nacido|nata|nato|geboren|date|datum|fecha|data)"
                                r"\W{0,4})(?:19|20)\d{6}\b", FLAGS)),
    ("day month year", 0.8, re.compile(rf"\b(?:le\s+|el\s+|il\s+|am\s+|den\s+)?{DAY}{SEP}{MON}(?:{SEP}{YEAR})?\b", FLAGS)),
    ("month day year", 0.8, re.compile(rf"\b{MON}[ \t./-]*{DAY}(?:(?:,[ \t]*|[ \t]+|[./-]){YEAR})?\b(?![:.,]?\d|\s?%)", FLAGS)),
    ("month year", 0.6, re.compile(rf"\b{MON}{SEP}(?:\d{{4}}|'\d{{2}})\b", FLAGS)),
    # A day and month without a year ("on 3/12", "seit 15.12", "15/12 08:00"), only where a date
    # word or a time says it is one: "7/10" alone is a pain score, "14/15" a GCS.
    ("day/month", 0.5, re.compile(r"(?<![\w./,:-])[0-3]?\d([/.])[01]?\d(?![/.,]?\d|\s?%|\1|\w)")),
    ("spelled out", 0.7, re.compile(
        rf"\b(?:the\s+)?{DAY_WORDS}(?:\s+(?:of|de|di))?\s+{MON}(?:,?\s+(?:{YEAR_WORDS}|\d{{4}}))?"
        rf"|\b{MON}\s+(?:the\s+)?{DAY_WORDS}(?:,?\s+(?:{YEAR_WORDS}|\d{{4}}))?", FLAGS)),
]
AGE = r"(?:9\d|1[0-2]\d)"
AGES = [
    re.compile(rf"\b{AGE}(?=\s?-?\s?(?:years?|yrs?|y/?o\b|y\.o\.|yo\b|-?year-old|year\s+old|jahre?|j\.|"
               rf"-?jährige[rn]?|jährig|ans\b|an\b|años|anni|aa\b|a\.|jaar|-?jarige|jr\.?))", FLAGS),
    # 92F, 91 W (weiblich), 96H (homme), 95V (vrouw), 93J (Jahre), 104a (ans), 102m
    re.compile(rf"\b{AGE}(?=\s?/?\s?[mfwhvdja]\b)", FLAGS),
    re.compile(rf"\b(?:age|aged|âge|âgée?|agé|agée|alter|im\s+alter\s+von|edad|de\s+edad|età|eta|anni|"
               rf"leeftijd|lft|alt|âgé\s+de|âgée\s+de|age\s+at\s+death)\.?[\s:=|.]*(?:de\s+)?(?P<age>{AGE})\b", FLAGS),
    # "Geb.: 18.08.31 (94)", "F. nac.: 22-04-1932 (92)": an age in parentheses after a date.
    re.compile(rf"(?<=\b\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d{{2}})[ \t]*\(){AGE}(?=\))", FLAGS),
]
MAY_VERB = re.compile(r"(?-i:may)\b")  # "may 2 weeks" in lower case is the verb


DATE_WORD_BEFORE = re.compile(
    r"\b(?:on|since|from|until|till|by|dated|date|seen|admitted|discharged|returned|visit|le|du|au|"
    r"depuis|jusqu'au|el|desde|hasta|il|dal|al|fino al|am|seit|bis|vom|ab|op|sinds|tot|per|datum|"
    r"fecha|data)[ \t:]+$", FLAGS)
TIME_AFTER = re.compile(r"[ \t]+(?:[01]?\d|2[0-3])[:h]\d{2}\b")


def _day_month(value: str) -> bool:
    a, b = (int(n) for n in DAY_MONTH_SEP.split(value))
    return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)


class DateAgeRecognizer(EntityRecognizer):
    def __init__(self):
        super().__init__(supported_entities=["DATE", "AGE_OVER_89"], name="privatune_dates")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for name, score, pattern in DATES:
            for match in pattern.finditer(text):
                value = match.group()
                if name in ("numeric", "compact") and not checks.is_calendar_date(value):
                    continue
                if name == "day/month" and not (_day_month(value) and (
                        DATE_WORD_BEFORE.search(text, max(0, match.start() - 24), match.start())
                        or TIME_AFTER.match(text, match.end()))):
                    continue
                if MAY_VERB.match(value) and not FOUR_DIGITS.search(value):
                    continue
                results.append(make_result(self, "DATE", match.start(), match.end(), score))
        for pattern in AGES:
            for match in pattern.finditer(text, overlapped=True):  # group "age": after a label
                group = "age" if match.groupdict().get("age") else 0
                results.append(make_result(self, "AGE_OVER_89", match.start(group), match.end(group), 0.85))
        return results
