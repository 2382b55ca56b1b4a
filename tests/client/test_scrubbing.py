"""The PII gate in front of training: never raw records unless declared de-identified."""

from __future__ import annotations

import dataclasses
import json

import pytest

from privatune.client.scrubbing import training_file
from privatune.config import RunConfig
from privatune.data import DataError
from privatune.synthetic import write_federation


@pytest.fixture
def raw(tmp_path):
    return write_federation(tmp_path / "raw", 1, 12, seed=4)[0]


def test_raw_records_are_scrubbed_once_and_the_copy_reused_until_the_input_changes(raw, tmp_path):
    state = tmp_path / "client-state"
    path = training_file(raw, RunConfig(), state)
    assert path != raw and path.parent == state / "scrubbed"
    manifest = json.loads(path.with_name(path.name + ".manifest.json").read_text())
    assert manifest["records_in"] == 12 == manifest["records_out"] + manifest["records_rejected"]
    originals = [json.loads(line)["text"] for line in raw.read_text().splitlines()]
    scrubbed = path.read_text()
    ssns = [t.split("SSN ")[1][:11] for t in originals if "SSN " in t]
    assert ssns and not any(ssn in scrubbed for ssn in ssns)
    stamp = path.stat().st_mtime_ns
    assert training_file(raw, RunConfig(), state) == path and path.stat().st_mtime_ns == stamp  # reused
    with raw.open("a") as f:
        f.write(json.dumps({"text": "New record for Maria Garcia, SSN 123-45-6789."}) + "\n")
    assert training_file(raw, RunConfig(), state) == path and path.stat().st_mtime_ns != stamp  # re-scrubbed
    assert "123-45-6789" not in path.read_text()


def test_a_file_with_a_valid_manifest_is_used_as_it_is(raw, tmp_path):
    first = training_file(raw, RunConfig(), tmp_path / "a")
    assert training_file(first, dataclasses.replace(RunConfig(), pii_scrub=False), tmp_path / "b") == first


def test_raw_records_are_refused_when_the_client_may_not_scrub(raw, tmp_path):
    with pytest.raises(DataError, match="no valid PII scrub manifest"):
        training_file(raw, dataclasses.replace(RunConfig(), pii_scrub=False), tmp_path)
    declared = dataclasses.replace(RunConfig(), pii_scrub=False, data_deidentified=True)
    assert training_file(raw, declared, tmp_path) == raw
