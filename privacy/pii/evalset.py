"""A labelled synthetic set for measuring the scrubber: where every PII value is, and what must stay.

Distinct from the training-data generator (`privatune.synthetic`) on purpose: other templates, name
lists and formats, so recall is not measured on the text the recognizers were tuned on. Styles:
clinical notes, discharge letters, intake forms, lower-case bank chats, e-mails, wire instructions,
card disputes, UK, German and French records. Each record holds `spans` (PII: start, end, type)
and `keep` (non-PII that must survive: ICD-10 codes, lab values, drug doses, amounts, CPT codes,
durations).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from privatune.privacy.pii.evalvalues import (
    AMOUNTS, CITIES, CPT, DRUGS, DURATIONS, ICD10, LABS, Builder, Values,
)


def clinical_note(b: Builder, v: Values, r: random.Random) -> None:
    first, last = v.first(), v.last()
    pre, age, post = v.age_over_89() if r.random() < 0.3 else ("", str(r.randint(23, 88)), "-year-old")
    b.add("CLINIC NOTE\nPatient: ").pii("PERSON", f"{first} {last}").add("  MRN: ").pii(
        "MEDICAL_RECORD_NUMBER", v.mrn()).add("  DOB: ").pii("DATE", v.date()).add("\n")
    b.add(pre)
    (b.pii("AGE_OVER_89", age) if int(age) > 89 else b.add(age))
    b.add(f"{post} seen on ").pii("DATE", v.date(2019, 2025)).add(" for follow-up of ").safe(
        "icd10", r.choice(ICD10)).add(". Current meds: ").safe("drug", r.choice(DRUGS)).add(
        ". Labs: ").safe("lab", r.choice(LABS)).add(", ").safe("lab", r.choice(LABS)).add(
        ". Billed ").safe("cpt", r.choice(CPT)).add(". ")
    b.add(f"{r.choice(['Mr.', 'Ms.', 'Mrs.'])} ").pii("PERSON", last).add(" reports improved "
        "sleep; ").pii("PERSON", f"{last.lower()}'s").add(" daughter ").pii("PERSON", f"{v.first()} {last}").add(
        " can be reached at ").pii("PHONE_NUMBER", v.phone()).add(". Return in ").safe(
        "duration", r.choice(DURATIONS)).add(".\nAttending: Dr. ").pii("PERSON", v.last()).add(
        ", NPI ").pii("NPI", v.npi()).add("\n")


def discharge_letter(b: Builder, v: Values, r: random.Random) -> None:
    first, last = v.first(), v.last()
    b.add("Dear Dr. ").pii("PERSON", v.last()).add(",\n\nRe: ").pii("PERSON", f"{first} {last}").add(
        f", hospital number ").pii("MEDICAL_RECORD_NUMBER", v.mrn()).add(", born ").pii(
        "DATE", v.date()).add("\nYour patient was admitted on ").pii("DATE", v.date(2020, 2025)).add(
        " with ").safe("icd10", r.choice(ICD10)).add(" and discharged home to ").pii(
        "ADDRESS", v.us_address()).add(". We started ").safe("drug", r.choice(DRUGS)).add(
        "; please repeat ").safe("lab", r.choice(LABS)).add(" in ").safe(
        "duration", r.choice(DURATIONS)).add(f". {first} prefers e-mail: ").pii(
        "EMAIL_ADDRESS", v.email(first, last)).add(".\n\nKind regards,\n").pii(
        "PERSON", f"{v.first()} {v.last()}").add(", MD")
    _mark_repeats(b, first)


def intake_form(b: Builder, v: Values, r: random.Random) -> None:
    first, last = v.first(), v.last()
    b.add("name,dob,ssn,phone,insurance_note\n").pii("PERSON", f"{last}, {first}").add(",").pii(
        "DATE", v.date()).add(",").pii("US_SSN", v.ssn()).add(",").pii("PHONE_NUMBER", v.phone()).add(
        ",copay ").safe("amount", r.choice(AMOUNTS)).add("\nDriver's license: ").pii(
        "DRIVER_LICENSE", r.choice("ABCDFGS") + v.digits(7)).add("; passport no. ").pii(
        "PASSPORT", r.choice(["", "C", "X"]) + v.digits(8)).add("\nHome: ").pii(
        "ADDRESS", v.us_address()).add("\nPortal: ").pii(
        "URL", f"https://portal.stmarys-hospital.org/patients/{v.digits(6)}").add(" (login from ").pii(
        "IP_ADDRESS", f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}").add(")\n")


def bank_chat(b: Builder, v: Values, r: random.Random) -> None:
    first, last = v.first().lower(), v.last().lower()
    b.add("customer: hi my name is ").pii("PERSON", f"{first} {last}").add(
        " and my card ").pii("CREDIT_CARD", v.card()).add(" was charged twice, ").safe(
        "amount", r.choice(AMOUNTS)).add(" on ").pii("DATE", v.date(2023, 2025)).add(
        "\nagent: sorry to hear that. can you confirm the account number?\ncustomer: acct # ").pii(
        "BANK_ACCOUNT", v.digits(r.randint(8, 12))).add(", you can call me on ").pii(
        "PHONE_NUMBER", v.phone()).add("\nagent: thanks ").pii("PERSON", first).add(
        ", refund of ").safe("amount", r.choice(AMOUNTS)).add(" arrives in ").safe(
        "duration", r.choice(DURATIONS)).add(".\n")


def wire_instructions(b: Builder, v: Values, r: random.Random) -> None:
    b.add("WIRE TRANSFER REQUEST\nBeneficiary: ").pii("PERSON", f"{v.first()} {v.last()}").add(
        "\nRouting number: ").pii("ROUTING_NUMBER", v.aba()).add("\nAccount No.: ").pii(
        "BANK_ACCOUNT", v.digits(r.randint(9, 14))).add("\nIBAN: ").pii("IBAN_CODE", v.iban()).add(
        "\nAmount: ").safe("amount", r.choice(AMOUNTS)).add("\nReference: invoice 2024-Q3, fee ").safe(
        "amount", r.choice(AMOUNTS)).add("\nRequested by ").pii("EMAIL_ADDRESS", v.email(v.first(), v.last())).add(
        " from ").pii("IP_ADDRESS", f"203.0.113.{r.randint(1, 254)}").add("\n")


def card_dispute_email(b: Builder, v: Values, r: random.Random) -> None:
    first, last = v.first(), v.last()
    b.add("Subject: Disputed transaction\n\nHello,\n\nI am writing about a charge of ").safe(
        "amount", r.choice(AMOUNTS)).add(" on my Mastercard ending ").add(v.digits(4)).add(
        " (full number ").pii("CREDIT_CARD", v.card()).add("). I was in ").pii(
        "LOCATION", r.choice(CITIES)).add(" on ").pii("DATE", v.date(2023, 2025)).add(
        " and never visited the merchant. My SSN is ").pii("US_SSN", v.ssn()).add(
        " if you need to verify.\n\nThank you,\n").pii("PERSON", f"{first} {last}").add("\n").pii(
        "ADDRESS", v.us_address()).add("\n").pii("EMAIL_ADDRESS", v.email(first, last)).add("\n")


def uk_record(b: Builder, v: Values, r: random.Random) -> None:
    first, last = v.first(), v.last()
    postcode = f"{r.choice(['NW1', 'SW1A', 'M4', 'LS6', 'EC2V'])} {r.randint(1, 9)}{r.choice('ABDEFG')}{r.choice('HJLNPQ')}"
    b.add("Customer ").pii("PERSON", f"{first} {last}").add(" of ").pii(
        "ADDRESS", f"Flat {r.randint(1, 30)}, {r.randint(2, 300)} {r.choice(['Baker', 'Kings', 'Abbey', 'Mill'])} "
                   f"{r.choice(['Street', 'Road', 'Lane'])}").add(", ").pii("LOCATION", "London").add(" ").pii(
        "ADDRESS", postcode).add(
        " asked to move ").safe("amount", r.choice(AMOUNTS)).add(" to sort code ").pii(
        "SORT_CODE", f"{v.digits(2)}-{v.digits(2)}-{v.digits(2)}").add(", account ").pii(
        "BANK_ACCOUNT", v.digits(8)).add(". Contact ").pii("PHONE_NUMBER", v.r.choice(
            [f"+44 20 {v.digits(4)} {v.digits(4)}", f"020 {v.digits(4)} {v.digits(4)}",
             f"07{v.digits(3)} {v.digits(6)}"])).add(", DOB ").pii("DATE", v.date()).add(".\n")


def german_record(b: Builder, v: Values, r: random.Random) -> None:
    street = r.choice(["Haupt", "Linden", "Bahnhof", "Schiller", "Goethe"]) + r.choice(["straße", "weg", "allee"])
    b.add("Patientin ").pii("PERSON", f"{v.first()} {v.last()}").add(", geb. ").pii(
        "DATE", f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(1930, 2005)}").add(
        ", wohnhaft ").pii("ADDRESS", f"{street} {r.randint(1, 120)}, {v.digits(5)} "
                                       f"{r.choice(['Berlin', 'München', 'Köln', 'Hamburg'])}").add(
        ". Diagnose ").safe("icd10", r.choice(ICD10)).add(", Therapie ").safe("drug", r.choice(DRUGS)).add(
        ". IBAN ").pii("IBAN_CODE", v.iban()).add(", Tel. ").pii("PHONE_NUMBER", f"+49 {r.randint(30, 89)} {v.digits(7)}").add(".\n")


def french_record(b: Builder, v: Values, r: random.Random) -> None:
    b.add("Mme ").pii("PERSON", v.last()).add(" (").pii("EMAIL_ADDRESS", v.email(v.first(), v.last())).add(
        "), domiciliée ").pii("ADDRESS", f"{r.randint(1, 99)} rue de la {r.choice(['Paix', 'République', 'Gare'])}, "
                                          f"{v.digits(5)} {r.choice(['Paris', 'Lyon', 'Nantes'])}").add(
        ", née le ").pii("DATE", f"{r.randint(1, 28)} {r.choice(['janvier', 'mars', 'juin', 'octobre'])} "
                                 f"{r.randint(1930, 2000)}").add(", tél. ").pii(
        "PHONE_NUMBER", f"+33 {r.randint(1, 9)} {v.digits(2)} {v.digits(2)} {v.digits(2)} {v.digits(2)}").add(
        ". Traitement: ").safe("drug", r.choice(DRUGS)).add(" pendant ").safe("duration", r.choice(DURATIONS)).add(".\n")


def lab_summary(b: Builder, v: Values, r: random.Random) -> None:
    first, last = v.first(), v.last()
    b.add(f"Results for ").pii("PERSON", f"{first[0]}. {last}").add(" (MRN-").pii(
        "MEDICAL_RECORD_NUMBER", v.digits(7)).add(")\n")
    for _ in range(r.randint(2, 4)):
        b.add("- ").safe("lab", r.choice(LABS)).add("\n")
    b.add("Assessment: ").safe("icd10", r.choice(ICD10)).add("; continue ").safe("drug", r.choice(DRUGS)).add(
        ". Ordering provider NPI: ").pii("NPI", v.npi()).add(". ")
    b.add("Next visit ").pii("DATE", v.date(2025, 2026)).add(
        ", patient lives in ").pii("LOCATION", r.choice(CITIES)).add(".\n")


STYLES = {f.__name__: f for f in (clinical_note, discharge_letter, intake_form, bank_chat, wire_instructions,
                                  card_dispute_email, uk_record, german_record, french_record, lab_summary)}


def _mark_repeats(b: Builder, word: str) -> None:
    """Label later bare mentions of a name word that the template wrote without pii()."""
    text, covered = "".join(b.parts), [(s["start"], s["end"]) for s in b.spans]
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not any(s <= start < e for s, e in covered):
            b.spans.append({"start": start, "end": end, "type": "PERSON"})
        start = text.find(word, end)


def generate(n: int, seed: int = 7) -> list[dict]:
    """`n` labelled records, styles in rotation, values from a seeded generator."""
    rng = random.Random(seed)
    values = Values(rng)
    records = []
    styles = list(STYLES.values())
    for i in range(n):
        builder = Builder()
        style = styles[i % len(styles)]
        style(builder, values, rng)
        record = builder.record(style.__name__)
        record["spans"].sort(key=lambda s: s["start"])
        records.append(record)
    return records


def write_jsonl(records: list[dict], path: str | Path) -> Path:
    path = Path(path)
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _covered(start: int, end: int, text: str, predicted: list[tuple[int, int]]) -> bool:
    """Every letter and digit of [start, end) lies inside some predicted span."""
    return all(any(s <= i < e for s, e in predicted)
               for i in range(start, end) if text[i].isalnum())


def score(records: list[dict], predictions: list[list[tuple[int, int, str]]]) -> dict:
    """Recall per gold type, precision per predicted type, share of must-keep values untouched.

    A PII value counts as found only when all its letters and digits are removed (a partly masked
    account number still leaks); a prediction counts as correct when it overlaps any PII value.
    """
    found, total, tp, pred_n = {}, {}, {}, {}
    kept, keep_n = {}, {}
    for record, predicted in zip(records, predictions):
        text, spans = record["text"], [(s, e) for s, e, _ in predicted]
        for gold in record["spans"]:
            kind = gold["type"]
            total[kind] = total.get(kind, 0) + 1
            found[kind] = found.get(kind, 0) + _covered(gold["start"], gold["end"], text, spans)
        for s, e, kind in predicted:
            pred_n[kind] = pred_n.get(kind, 0) + 1
            tp[kind] = tp.get(kind, 0) + any(s < g["end"] and g["start"] < e for g in record["spans"])
        for keep in record["keep"]:
            kind = keep["kind"]
            keep_n[kind] = keep_n.get(kind, 0) + 1
            kept[kind] = kept.get(kind, 0) + (not any(s < keep["end"] and keep["start"] < e for s, e in spans))
    return {
        "recall": {k: found[k] / total[k] for k in sorted(total)},
        "support": dict(sorted(total.items())),
        "precision": {k: tp[k] / pred_n[k] for k in sorted(pred_n)},
        "predicted": dict(sorted(pred_n.items())),
        "kept": {k: kept[k] / keep_n[k] for k in sorted(keep_n)},
        "recall_all": sum(found.values()) / max(1, sum(total.values())),
        "precision_all": sum(tp.values()) / max(1, sum(pred_n.values())),
        "kept_all": sum(kept.values()) / max(1, sum(keep_n.values())),
        "found": found,
        "total": total,
    }
