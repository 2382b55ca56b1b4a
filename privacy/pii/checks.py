"""Checksums and range checks that tell an identifier from a number that merely looks like one."""

from __future__ import annotations

import re

# Compiled once: a call with a pattern string looks the pattern up in a cache each time.
YEAR_ONLY = re.compile(r"(19|20)\d\d")
HAS_YEAR = re.compile(r"\d{4}|'\d\d")
DIGIT_RUN = re.compile(r"\d+")
LETTER_RUN = re.compile(r"[^\W\d_]{3,}")

_NON_DIGIT = re.compile(r"\D")


def digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_brand(number: str) -> str | None:
    """Issuer of a card number by its prefix and length (all ranges current in 2025)."""
    n, p2, p4 = len(number), int(number[:2]), int(number[:4])
    if number[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (number.startswith("6011") or p2 == 65 or 644 <= int(number[:3]) <= 649
            or 622126 <= int(number[:6]) <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (p2 in (36, 38, 39) or 300 <= int(number[:3]) <= 305) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if (number[:2] in ("50", "56", "57", "58") or number[0] == "6") and 12 <= n <= 19:
        return "maestro"
    if number[:4] in ("2200", "2201", "2202", "2203", "2204") and n == 16:
        return "mir"
    return None


def is_card_number(text: str) -> bool:
    number = digits(text)
    return 12 <= len(number) <= 19 and card_brand(number) is not None and luhn_ok(number)


def is_aba_routing(text: str) -> bool:
    """ABA routing transit number: 9 digits, Federal Reserve prefix, 3-7-1 weighted checksum."""
    d = [int(c) for c in digits(text)]
    if len(d) != 9:
        return False
    prefix = d[0] * 10 + d[1]
    if not (prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    checksum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return checksum % 10 == 0 and any(d)


def is_ssn(text: str) -> bool:
    d = digits(text)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def has_identifier_shape(text: str) -> bool:
    """A labelled value is an identifier if it has a run of digits and is not a plain year/date."""
    d = digits(text)
    if len(d) < 4:
        return False
    return not YEAR_ONLY.fullmatch(text.strip())


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def is_calendar_date(text: str) -> bool:
    """A real date: some reading of the numbers gives a valid day and month."""
    lowered = text.lower().strip()
    if lowered.startswith("may") and text[:1] == "m" and not HAS_YEAR.search(text):
        return False  # "may 2 ..." in lower case is the verb far more often than the month
    numbers = [int(n) for n in DIGIT_RUN.findall(lowered)]
    if LETTER_RUN.search(lowered):  # the regex matched a month name
        days = [n for n in numbers if n <= 31]
        years = [n for n in numbers if n > 31]
        return bool(days or years) and all(1 <= n for n in days)
    if len(numbers) != 3 and len(numbers) != 1:
        return False
    if len(numbers) == 1:  # compact yyyymmdd
        s = digits(text)
        return len(s) == 8 and _valid_day_month(int(s[6:]), int(s[4:6])) and 1900 <= int(s[:4]) <= 2100
    a, b, c = numbers
    if a > 31:  # year first: y-m-d
        return 1000 <= a <= 2100 and _valid_day_month(c, b)
    if len(DIGIT_RUN.findall(lowered)[2]) == 3:
        return False
    return _valid_day_month(a, b) or _valid_day_month(b, a)
