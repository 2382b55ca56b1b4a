"""repeats.propagate_values: every other whole-token occurrence of a found identifier goes too."""

import pytest

pytest.importorskip("presidio_analyzer")

from presidio_analyzer import RecognizerResult  # noqa: E402

from privatune.privacy.pii.repeats import propagate_values  # noqa: E402


def spans(text, results):
    return sorted(text[r.start:r.end] for r in results)


def test_each_other_whole_token_occurrence_is_added_with_the_same_type():
    text = "MRN: 81996\n*81996* | 81996 / 2024 | 181996 | 81996.5 | 81996-2"
    found = [RecognizerResult("MEDICAL_RECORD_NUMBER", 5, 10, 0.8)]
    out = propagate_values(text, found)
    added = out[1:]
    assert [text[r.start:r.end] for r in added] == ["81996", "81996"]  # "*81996*" and "| 81996 /"
    assert {r.entity_type for r in added} == {"MEDICAL_RECORD_NUMBER"}
    assert all(r.start in (text.index("*81996*") + 1, text.index("| 81996 /") + 2) for r in added)


def test_short_values_and_names_are_not_propagated():
    text = "Age 2024, year 2024; Dr Weber saw Weber"
    weber = text.index("Weber")
    found = [RecognizerResult("DATE", 4, 8, 0.8), RecognizerResult("PERSON", weber, weber + 5, 0.8)]
    assert spans(text, propagate_values(text, found)) == ["2024", "Weber"]
