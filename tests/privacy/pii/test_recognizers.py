"""Each recognizer against positives and hard negatives, through the real analyzer (Presidio + spaCy)."""

import pytest

from privatune.privacy.pii import checks
from privatune.privacy.pii.anonymize import Anonymizer
from privatune.privacy.pii.config import ScrubConfig

pytest.importorskip("presidio_analyzer")


@pytest.fixture(scope="module")
def analyzer():
    from privatune.privacy.pii.analyzer import PiiAnalyzer

    return PiiAnalyzer(ScrubConfig(processes=1))


def scrub(analyzer, text):
    return Anonymizer().apply(text, analyzer.analyze(text))[0]


def assert_removed(analyzer, text, value, entity=None):
    scrubbed = scrub(analyzer, text)
    assert value not in scrubbed, f"{value!r} survived: {scrubbed!r}"
    if entity:
        assert f"<{entity}>" in scrubbed, scrubbed


def assert_kept(analyzer, text, value):
    scrubbed = scrub(analyzer, text)
    assert value in scrubbed, f"{value!r} was removed: {scrubbed!r}"


@pytest.mark.parametrize("text, value, entity", [
    ("MRN: 00482913 admitted", "00482913", "MEDICAL_RECORD_NUMBER"),
    ("Hospital No. H-2291834, ward 5", "H-2291834", "MEDICAL_RECORD_NUMBER"),
    ("medical record number 7734120", "7734120", "MEDICAL_RECORD_NUMBER"),
    ("NPI 1234567893 on file", "1234567893", "NPI"),
    ("Account number: 000123456789", "000123456789", "BANK_ACCOUNT"),
    ("acct # 98765432 closed", "98765432", "BANK_ACCOUNT"),
    ("routing 021000021 for the wire", "021000021", "ROUTING_NUMBER"),
    ("sort code 20-45-67 account", "20-45-67", "SORT_CODE"),
    ("IBAN GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32", "IBAN_CODE"),
    ("paid with 2221 0000 0000 0009 today", "2221 0000 0000 0009", "CREDIT_CARD"),  # 2-series MC
    ("card 4111-1111-1111-1111 declined", "4111-1111-1111-1111", "CREDIT_CARD"),
    ("amex 378282246310005 on file", "378282246310005", "CREDIT_CARD"),
    ("SSN 123-45-6789.", "123-45-6789", "US_SSN"),
    ("call +44 20 7946 0958 today", "+44 20 7946 0958", "PHONE_NUMBER"),
    ("tel (617) 555-0142 ext 12", "(617) 555-0142", "PHONE_NUMBER"),
    ("Tel. +49 30 12345678", "+49 30 12345678", "PHONE_NUMBER"),
    ("mail j.doe@radiology.hospital.local now", "j.doe@radiology.hospital.local", "EMAIL_ADDRESS"),
    ("write to ops@corp.internal", "ops@corp.internal", "EMAIL_ADDRESS"),
    ("DOB: August 19, 1998", "August 19, 1998", "DATE"),
    ("born 19th of August 1998", "19th of August 1998", "DATE"),
    ("seen 03.11.2024 in clinic", "03.11.2024", "DATE"),
    ("admitted 2024-11-03", "2024-11-03", "DATE"),
    ("a 93-year-old woman", "93", "AGE_OVER_89"),
    ("aged 101, lives alone", "101", "AGE_OVER_89"),
    ("lives at 1234 Oak Street, Springfield, IL 62704", "1234 Oak Street, Springfield, IL 62704", "ADDRESS"),
    ("wohnhaft Hauptstraße 12, 10115 Berlin", "Hauptstraße 12", "ADDRESS"),
    ("login from 192.168.10.24", "192.168.10.24", "IP_ADDRESS"),
    ("see https://portal.clinic.internal/patients/4821", "https://portal.clinic.internal/patients/4821", "URL"),
    ("passport no. X12345678", "X12345678", "PASSPORT"),
    ("Driver's license: D1234567", "D1234567", "DRIVER_LICENSE"),
])
def test_identifier_is_removed(analyzer, text, value, entity):
    assert_removed(analyzer, text, value, entity)


@pytest.mark.parametrize("text, value", [
    ("hi my name is maria garcia and my card was charged", "garcia"),  # lower case
    ("Mr. Okafor reports pain; okafor's daughter called", "okafor"),  # repeat + possessive
    ("Results for A. MacLeod (MRN-7075709)", "MacLeod"),  # initial
    ("Dear Dr. Lindqvist,\nthanks", "Lindqvist"),
    ("Beneficiary: Klaus Fitzgerald\nRouting number: 021000021", "Fitzgerald"),
    ("Thank you,\nFatima Ivanova\n", "Ivanova"),
])
def test_person_names_are_removed(analyzer, text, value):
    scrubbed = scrub(analyzer, text)
    assert value.lower() not in scrubbed.lower(), scrubbed


@pytest.mark.parametrize("text, value", [
    ("follow up in 4-6 weeks", "4-6 weeks"),  # stock Presidio: a date
    ("Billed CPT 99213 today", "99213"),
    ("Diagnosis E11.9, I10 and J45.909", "E11.9"),
    ("Diagnosis E11.9, I10 and J45.909", "J45.909"),
    ("Lisinopril 10 mg PO daily", "Lisinopril"),  # small NER: a person
    ("HbA1c 7.2%, creatinine 1.1 mg/dL", "creatinine 1.1 mg/dL"),
    ("BP 132/84 mmHg", "132/84"),
    ("refund of $1,234.56 arrives", "$1,234.56"),
    ("take 1/2 tablet twice daily", "1/2 tablet"),
    ("card number 4111 1111 1111 1112 is invalid", "4111 1111 1111 1112"),  # fails Luhn
])
def test_non_pii_is_kept(analyzer, text, value):
    assert_kept(analyzer, text, value)


def test_age_under_90_is_kept(analyzer):
    assert_kept(analyzer, "a 67-year-old man", "67")


def test_checks_reject_near_misses():
    assert checks.is_card_number("4111 1111 1111 1111")
    assert not checks.is_card_number("4111 1111 1111 1112")
    assert checks.is_card_number("2720 9900 0000 0006") == checks.luhn_ok("2720990000000006")
    assert checks.card_brand("2221000000000009") == "mastercard"
    assert checks.is_aba_routing("021000021") and not checks.is_aba_routing("021000022")
    assert not checks.is_aba_routing("991000021")  # no Federal Reserve prefix 99
    assert checks.is_ssn("123-45-6789") and not checks.is_ssn("666-45-6789")
    assert not checks.is_ssn("123-00-6789") and not checks.is_ssn("923-45-6789")
    assert checks.is_calendar_date("08/19/1998") and not checks.is_calendar_date("13/13/1998")
    assert not checks.is_calendar_date("may 2")  # the verb


def test_deny_and_allow_lists(tmp_path):
    from privatune.privacy.pii.analyzer import PiiAnalyzer

    config = ScrubConfig(deny_list=("Ward Seven",), allow_list=("Boston",), processes=1)
    analyzer = PiiAnalyzer(config)
    scrubbed = Anonymizer().apply(text := "Moved to Ward Seven from Boston.", analyzer.analyze(text))[0]
    assert "Ward Seven" not in scrubbed and "<INSTITUTION_TERM>" in scrubbed
    assert "Boston" in scrubbed


def test_extra_patterns_for_institution_formats():
    from privatune.privacy.pii.analyzer import PiiAnalyzer

    config = ScrubConfig(extra_patterns={"CLINIC_ID": [r"\bSTM-\d{6}\b"]},
                         entities=("PERSON", "CLINIC_ID"), processes=1)
    text = "visit STM-004512 booked"
    assert Anonymizer().apply(text, PiiAnalyzer(config).analyze(text))[0] == "visit <CLINIC_ID> booked"


def test_long_text_is_split_and_offsets_stay_right(analyzer):
    filler = "The patient rested comfortably overnight. " * 300  # ~12k characters, 3+ pieces
    text = filler + "Contact j.doe@clinic.local or 617-555-0142." + filler
    results = analyzer.analyze(text)
    found = {text[r.start:r.end] for r in results}
    assert "j.doe@clinic.local" in found and "617-555-0142" in found
