"""Values for the labelled evaluation set: names, places and identifiers with valid checksums in
many formats, non-PII clinical and banking content, and a builder that records every offset."""

from __future__ import annotations

import random
import string

FIRST = ("James Mary Robert Patricia Michael Jennifer David Linda William Elizabeth Aisha Mohammed "
         "Priya Rahul Wei Mei Hiroshi Yuki Olumide Chiamaka Sofia Mateo Lucia Alejandro Ingrid Lars "
         "Anneliese Klaus Camille Étienne Giulia Marco Fatima Omar Siobhan Declan Nguyen Thi Kwame "
         "Ama Dmitri Olga Zanele Thabo Ravi Ananya Carmen Diego Hannah Noah").split()
LAST = ("Okafor Hernandez Kowalski Nakamura Fitzgerald Johansson Abernathy Castellanos Dubois "
        "Schneider Rossi Patel Chen Haddad O'Brien MacLeod Nguyen Mensah Ivanova Dlamini "
        "Gallagher Lindqvist Moreau Bianchi Yamamoto Adeyemi Whitfield Carrington Brennan Sokolov "
        "Varga Novak Petrov Sandoval Quintero Delacroix Hartmann Weber Fischer Murphy").split()
CITIES_US = [("Springfield", "IL", "62704"), ("Tucson", "AZ", "85701"), ("Albany", "NY", "12207"),
             ("Madison", "WI", "53703"), ("Savannah", "GA", "31401"), ("Boise", "ID", "83702")]
CITIES = ["Boston", "Chicago", "Denver", "Leeds", "Manchester", "Glasgow", "Munich", "Hamburg",
          "Lyon", "Marseille", "Toronto", "Dublin"]
STREETS = ["Oak", "Maple", "Cedar", "Willow", "Highland", "Lincoln", "Jefferson", "Birch", "Park"]
STREET_TYPES = ["Street", "St.", "Avenue", "Ave", "Road", "Drive", "Lane", "Blvd", "Court"]
DOMAINS = ["gmail.com", "outlook.com", "stmarys-hospital.org", "clinic.local", "corp.internal",
           "northbank.co.uk", "mail.example", "web.de"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ICD10 = ["E11.9", "I10", "J45.909", "N18.3", "F32.1", "K21.0", "M54.5", "E78.5", "I48.91", "Z79.4"]
DRUGS = ["metformin 500 mg twice daily", "Lisinopril 10 mg PO daily", "atorvastatin 40 mg nightly",
         "Apixaban 5 mg BID", "insulin glargine 22 units at bedtime", "amoxicillin 875 mg q12h",
         "sertraline 50 mg once daily", "Furosemide 40 mg IV"]
LABS = ["HbA1c 7.2%", "creatinine 1.1 mg/dL", "potassium 4.1 mmol/L", "eGFR 54 mL/min/1.73m2",
        "hemoglobin 13.5 g/dL", "LDL 128 mg/dL", "TSH 2.3 mIU/L", "BP 132/84 mmHg", "WBC 7.8"]
CPT = ["CPT 99213", "CPT 93000", "CPT 80053", "CPT 36415"]
DURATIONS = ["4-6 weeks", "3 days", "2-3 months", "10 days", "6 weeks"]
AMOUNTS = ["$1,234.56", "$89.00", "£2,450.00", "€3,400.75", "$12,500", "USD 640.20"]


class Builder:
    """Concatenates text pieces, recording where PII and must-keep values land."""

    def __init__(self):
        self.parts, self.length, self.spans, self.keep = [], 0, [], []

    def add(self, text: str) -> "Builder":
        self.parts.append(text)
        self.length += len(text)
        return self

    def pii(self, entity: str, value: str) -> "Builder":
        self.spans.append({"start": self.length, "end": self.length + len(value), "type": entity})
        return self.add(value)

    def safe(self, kind: str, value: str) -> "Builder":
        self.keep.append({"start": self.length, "end": self.length + len(value), "kind": kind})
        return self.add(value)

    def record(self, style: str) -> dict:
        return {"text": "".join(self.parts), "spans": self.spans, "keep": self.keep, "style": style}


class Values:
    """Random but valid identifiers (checksums right) in varied formats."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def digits(self, n: int) -> str:
        return "".join(self.r.choice(string.digits) for _ in range(n))

    def first(self) -> str:
        return self.r.choice(FIRST)

    def last(self) -> str:
        return self.r.choice(LAST)

    def date(self, year_from=1925, year_to=2024) -> str:
        y, m, d = self.r.randint(year_from, year_to), self.r.randint(1, 12), self.r.randint(1, 28)
        mon = MONTHS[m - 1]
        return self.r.choice([
            f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y % 100:02d}", f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}",
            f"{mon} {d}, {y}", f"{d} {mon[:3]} {y}", f"{d}th of {mon}, {y}", f"{mon[:3]}. {d}, {y}",
            f"{d:02d}-{mon[:3]}-{y}", f"{d} {mon} {y}"])

    def phone(self) -> str:
        a, b = self.r.randint(201, 989), self.r.randint(200, 989)
        return self.r.choice([
            f"({a}) {b}-{self.digits(4)}", f"{a}-{b}-{self.digits(4)}", f"+1 {a} {b} {self.digits(4)}",
            f"+44 20 {self.digits(4)} {self.digits(4)}", f"020 {self.digits(4)} {self.digits(4)}",
            f"+49 30 {self.digits(8)}", f"+33 1 {self.digits(2)} {self.digits(2)} {self.digits(2)} "
            f"{self.digits(2)}", f"+91 98{self.digits(3)} {self.digits(5)}", f"{a}.{b}.{self.digits(4)}"])

    def email(self, first: str, last: str) -> str:
        local = self.r.choice([f"{first}.{last}", f"{first[0]}{last}", f"{last}{self.r.randint(1, 99)}"])
        local = local.lower().replace("'", "").replace("é", "e").replace("É", "e")
        return f"{local}@{self.r.choice(DOMAINS)}"

    def card(self) -> str:
        prefix, length = self.r.choice([("4", 16), ("51", 16), ("55", 16), (str(self.r.randint(2221, 2720)), 16),
                                         ("34", 15), ("37", 15), ("6011", 16), ("3530", 16)])
        body = prefix + self.digits(length - len(prefix) - 1)
        number = body + _luhn_digit(body)
        sep = self.r.choice([" ", "-", ""])
        groups = [number[i:i + 4] for i in range(0, len(number), 4)] if length == 16 else \
            [number[:4], number[4:10], number[10:]]
        return sep.join(groups)

    def iban(self) -> str:
        country, bban = self.r.choice([
            ("GB", "NWBK" + self.digits(14)), ("DE", self.digits(18)), ("FR", self.digits(23)),
            ("NL", "ABNA" + self.digits(10)), ("ES", self.digits(20))])
        check = 98 - int(_iban_number(bban + country + "00")) % 97
        iban = f"{country}{check:02d}{bban}"
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if self.r.random() < 0.6 else iban

    def aba(self) -> str:
        while True:
            d = [self.r.choice([0, 1, 2, 3]), self.r.randint(0, 9)] + [self.r.randint(0, 9) for _ in range(6)]
            prefix = d[0] * 10 + d[1]
            if not (prefix <= 12 or 21 <= prefix <= 32):
                continue
            for last in range(10):
                if (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + last) % 10 == 0:
                    return "".join(map(str, d)) + str(last)

    def ssn(self) -> str:
        area, group, serial = self.r.randint(100, 665), self.r.randint(10, 99), self.r.randint(1000, 9999)
        return self.r.choice([f"{area}-{group}-{serial}", f"{area} {group} {serial}", f"{area}{group}{serial}"])

    def npi(self) -> str:
        body = self.r.choice("12") + self.digits(8)
        return body + _luhn_digit("80840" + body)

    def mrn(self) -> str:
        return self.r.choice([self.digits(8), self.digits(7), "H-" + self.digits(7), "MRN" + self.digits(6),
                              self.digits(3) + "-" + self.digits(2) + "-" + self.digits(3)])

    def street(self) -> str:
        return f"{self.r.randint(2, 9899)} {self.r.choice(STREETS)} {self.r.choice(STREET_TYPES)}"

    def us_address(self) -> str:
        city, state, zip_code = self.r.choice(CITIES_US)
        unit = self.r.choice(["", f", Apt {self.r.randint(1, 40)}{self.r.choice('AB')}"])
        return f"{self.street()}{unit}, {city}, {state} {zip_code}"

    def age_over_89(self) -> tuple[str, str, str]:
        age = str(self.r.randint(90, 104))
        return self.r.choice([("", age, "-year-old"), ("aged ", age, ""), ("age: ", age, ""), ("", age, " y/o")])


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _iban_number(text: str) -> str:
    return "".join(str(int(c, 36)) for c in text)  # letters count 10..35
