"""Synthetic hospital notes and bank records with realistic PII, split non-IID across clients.

Every client is one institution (hospitals and banks alternate) with its own mix of document styles,
so the federation is non-IID the way real ones are. Records are JSONL lines
`{"id", "institution", "style", "text"}`. Everything is derived from one seed: the same arguments
always write the same bytes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

FIRST = ["James", "Maria", "Wei", "Fatima", "Olga", "Kwame", "Priya", "Lucas", "Aiko", "Mohammed",
         "Sofia", "Liam", "Chloe", "Mateo", "Hannah", "Dmitri", "Amara", "Noah", "Isabella", "Ravi"]
LAST = ["Smith", "Garcia", "Chen", "Khan", "Ivanova", "Mensah", "Patel", "Silva", "Tanaka", "Haddad",
        "Rossi", "O'Brien", "Dubois", "Fernandez", "Schmidt", "Petrov", "Okafor", "Brown", "Lopez", "Nair"]
STREETS = ["Maple Ave", "Oak Street", "Harbor Rd", "Elm Court", "King's Way", "Cedar Lane", "Main St"]
CITIES = [("Springfield", "IL", "62704"), ("Portland", "OR", "97205"), ("Austin", "TX", "73301"),
          ("Boston", "MA", "02118"), ("Denver", "CO", "80203"), ("Madison", "WI", "53703")]
DIAGNOSES = [("community-acquired pneumonia", "J18.9"), ("type 2 diabetes mellitus", "E11.9"),
             ("acute appendicitis", "K35.80"), ("congestive heart failure", "I50.9"),
             ("atrial fibrillation", "I48.91"), ("COPD exacerbation", "J44.1"), ("cellulitis", "L03.90")]
DRUGS = ["amoxicillin 500 mg PO TID", "metformin 1000 mg PO BID", "apixaban 5 mg PO BID",
         "furosemide 40 mg IV daily", "prednisone 40 mg PO daily", "cefazolin 2 g IV q8h"]
MERCHANTS = ["ACME Online", "City Grocers", "FlyFast Airlines", "Metro Fuel", "Bookworm Ltd", "TechHub"]
BANKS = ["First Harbor Bank", "Northwind Credit Union", "Meridian Savings"]
HOSPITALS = ["St. Mary's General", "Lakeside Medical Center", "Riverside University Hospital"]

HOSPITAL_STYLES = ["discharge_summary", "lab_report", "referral_letter", "triage_note"]
BANK_STYLES = ["dispute", "kyc_review", "wire_request", "loan_note"]


class _Person:
    def __init__(self, rng: random.Random):
        self.first, self.last = rng.choice(FIRST), rng.choice(LAST)
        self.name = f"{self.first} {self.last}"
        self.phone = f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
        self.email = f"{self.first.lower()}.{self.last.lower().replace(chr(39), '')}{rng.randint(1, 99)}@{rng.choice(['mail.com', 'example.org', 'corp.internal'])}"
        self.ssn = f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
        self.dob = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1935, 2004)}"
        city, state, zip_code = rng.choice(CITIES)
        self.address = f"{rng.randint(10, 9999)} {rng.choice(STREETS)}, {city}, {state} {zip_code}"
        self.mrn = f"MRN-{rng.randint(10**6, 10**7 - 1)}"
        self.account = f"{rng.randint(10**9, 10**10 - 1)}"
        self.iban = f"DE{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}"
        self.card = _luhn_card(rng)

    def planted(self) -> dict[str, str]:
        """Every identifying value this person's records can hold (for leak tests)."""
        return {"name": self.name, "first": self.first, "last": self.last, "phone": self.phone,
                "email": self.email, "ssn": self.ssn, "dob": self.dob, "address": self.address,
                "mrn": self.mrn, "account": self.account, "iban": self.iban, "card": self.card}


def _luhn_card(rng: random.Random) -> str:
    digits = [rng.choice([4, 5])] + [rng.randint(0, 9) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return f"{s[:4]} {s[4:8]} {s[8:12]} {s[12:]}"


def _hospital_record(style: str, p: _Person, rng: random.Random, institution: str,
                     others: list[str]) -> str:
    dx, icd = rng.choice(DIAGNOSES)
    drug = rng.choice(DRUGS)
    if style == "discharge_summary":
        return (f"DISCHARGE SUMMARY - {institution}. Patient: {p.name}, DOB {p.dob}, {p.mrn}. "
                f"Admitted with {dx} ({icd}). Treated with {drug}. Discharged home to {p.address}. "
                f"Follow up in {rng.randint(1, 6)} weeks; contact {p.phone}.")
    if style == "lab_report":
        return (f"LAB REPORT {p.mrn} ({p.name}, DOB {p.dob}): WBC {rng.uniform(3, 18):.1f} x10^9/L, "
                f"Hb {rng.uniform(8, 17):.1f} g/dL, creatinine {rng.uniform(0.5, 3):.2f} mg/dL, "
                f"HbA1c {rng.uniform(4.5, 11):.1f}%. Ordered for suspected {dx}.")
    if style == "referral_letter":
        others.append(rng.choice(LAST))
        return (f"Dear Dr. {others[-1]}, I am referring {p.name} (DOB {p.dob}, SSN {p.ssn}) "
                f"for evaluation of {dx}, ICD-10 {icd}. Current medication: {drug}. The patient can be "
                f"reached at {p.phone} or {p.email}. Sincerely, {institution}.")
    return (f"Triage note: {p.first} {p.last}, age {2026 - int(p.dob[-4:])}, presents with symptoms "
            f"consistent with {dx}. BP {rng.randint(95, 170)}/{rng.randint(55, 100)}, HR "
            f"{rng.randint(55, 130)}. {p.mrn}. Emergency contact phone {p.phone}.")


def _bank_record(style: str, p: _Person, rng: random.Random, institution: str,
                 others: list[str]) -> str:
    amount = f"${rng.uniform(10, 9000):,.2f}"
    if style == "dispute":
        return (f"Card dispute opened by {p.name} for card {p.card}: charge of {amount} at "
                f"{rng.choice(MERCHANTS)} not recognised. Customer phone {p.phone}, email {p.email}. "
                f"Provisional credit issued to account {p.account}.")
    if style == "kyc_review":
        return (f"KYC review at {institution}: {p.name}, born {p.dob}, SSN {p.ssn}, residing at "
                f"{p.address}. Source of funds verified; account {p.account} risk rating "
                f"{rng.choice(['low', 'medium', 'high'])}.")
    if style == "wire_request":
        others += [rng.choice(FIRST), rng.choice(LAST)]
        return (f"Wire transfer request: {amount} from account {p.account} to IBAN {p.iban}, "
                f"beneficiary {others[-2]} {others[-1]}. Requested by {p.name} by phone "
                f"{p.phone}; callback verification completed.")
    return (f"Loan note: applicant {p.name} ({p.email}), DOB {p.dob}, requests {amount} over "
            f"{rng.choice([12, 24, 36, 60])} months at {rng.uniform(3, 14):.2f}% APR. Collateral "
            f"address {p.address}. Repayment account {p.account}.")


def institution_of(client: int) -> tuple[str, str, list[str]]:
    """(kind, name, styles) of client `client`: hospitals on even indices, banks on odd ones."""
    if client % 2 == 0:
        return "hospital", HOSPITALS[(client // 2) % len(HOSPITALS)], HOSPITAL_STYLES
    return "bank", BANKS[(client // 2) % len(BANKS)], BANK_STYLES


def client_records(client: int, n: int, seed: int = 0) -> list[dict]:
    """n records of client `client`: its institution's own skewed mix of document styles."""
    return [record for record, _ in _client_rows(client, n, seed)]


def planted_values(client: int, n: int, seed: int = 0) -> list[dict[str, list[str]]]:
    """For each record of `client_records(client, n, seed)`, the identifying values planted in it:
    the person's (name, phone, e-mail, SSN, DOB, address, MRN, account, IBAN, card) and other
    people's names ("others": the referring doctor, the wire beneficiary)."""
    return [planted for _, planted in _client_rows(client, n, seed)]


def _client_rows(client: int, n: int, seed: int):
    rng = random.Random(f"{seed}/{client}")
    kind, name, styles = institution_of(client)
    weights = [rng.random() ** 3 + 0.05 for _ in styles]  # skewed: one or two styles dominate
    make = _hospital_record if kind == "hospital" else _bank_record
    for i in range(n):
        style = rng.choices(styles, weights)[0]
        person, others = _Person(rng), []
        text = make(style, person, rng, name, others)
        yield ({"id": f"c{client}-{i}", "institution": name, "style": style, "text": text},
               {"person": person.planted(), "others": others})


def write_federation(out_dir: str | Path, num_clients: int, records_per_client: int, seed: int = 0) -> list[Path]:
    """Write client-{i}.jsonl for every client; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for client in range(num_clients):
        path = out / f"client-{client}.jsonl"
        tmp = path.with_suffix(".jsonl.tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for record in client_records(client, records_per_client, seed):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        tmp.replace(path)
        paths.append(path)
    return paths


def corpus(num_records: int = 2000, seed: int = 0) -> list[str]:
    """Mixed texts of all styles, for training the embedded tokenizer."""
    texts = []
    for client in range(4):
        texts += [r["text"] for r in client_records(client, num_records // 4, seed + 1000)]
    return texts


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("generate-data", help="write synthetic hospital/bank records per client (JSONL)")
    p.add_argument("out_dir")
    p.add_argument("--clients", type=int, default=3)
    p.add_argument("--records", type=int, default=240, help="records per client")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_cmd_generate)


def _cmd_generate(args) -> int:
    for path in write_federation(args.out_dir, args.clients, args.records, args.seed):
        print(path)
    return 0
