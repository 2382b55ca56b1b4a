"""Data-quality counts: from a real scrub of a file with bad records to the metrics a node sends, the
node's refusal to train on a mostly-bad file, and the server's parsing of what a client claims."""

from __future__ import annotations

import json
import math

import pytest

from privatune.client.quality import DataQualityRefused, check_rejects, from_metrics, summary_of, to_metrics
from privatune.privacy.pii import ScrubConfig, scrub_file


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quality")
    source = folder / "mixed.jsonl"
    good = [json.dumps({"text": f"Visit {i}: blood pressure stable, follow up in two weeks."}).encode() for i in range(6)]
    bad = [b'{"text": "caf\xe9"}', b"not json", json.dumps({"text": "  "}).encode(), json.dumps([1]).encode()]
    source.write_bytes(b"\n".join(good + bad) + b"\n")
    out = folder / "scrubbed.jsonl"
    scrub_file(source, out, ScrubConfig(processes=1), progress=False)
    return out


def test_summary_counts_records_in_used_and_rejected_by_reason(scrubbed):
    summary = summary_of(scrubbed)
    assert summary["records-in"] == 10 and summary["records-used"] == 6 and summary["records-rejected"] == 4
    assert summary["rejected:not UTF-8"] == 1 and summary["rejected:invalid JSON"] == 1
    assert sum(v for k, v in summary.items() if k.startswith("rejected:")) == 4
    assert "caf" not in json.dumps(summary)  # counts only, never a value


def test_under_dp_only_the_rejection_counts_are_sent(scrubbed):
    summary = summary_of(scrubbed)
    plain, private = to_metrics(summary, dp=False), to_metrics(summary, dp=True)
    assert plain["quality-records-in"] == 10 and plain["quality-records-used"] == 6
    assert "quality-records-in" not in private and "quality-records-used" not in private
    assert private["quality-records-rejected"] == 4 and private["quality-rejected-not UTF-8"] == 1
    assert from_metrics(private) == {"records-rejected": 4, **{k.removeprefix("quality-"): v
                                                               for k, v in private.items() if k != "quality-records-rejected"}}


def test_node_refuses_to_train_when_rejects_exceed_its_threshold(scrubbed):
    summary = summary_of(scrubbed)
    check_rejects(summary, 0.5, "node 1")  # 40 % rejected: allowed
    check_rejects(summary, None, "node 1")  # no threshold set
    with pytest.raises(DataQualityRefused, match=r"4 of 10 records rejected \(40%.*max-reject-fraction 25%"):
        check_rejects(summary, 0.25, "node 1")


def test_a_file_without_manifest_has_no_summary(tmp_path):
    plain = tmp_path / "deidentified.jsonl"
    plain.write_text(json.dumps({"text": "x"}) + "\n")
    assert summary_of(plain) is None and to_metrics(None, dp=False) == {}


def test_server_drops_quality_values_that_are_not_counts():
    claimed = {"quality-records-rejected": 3, "quality-rejected-x": math.nan, "quality-records-in": -4,
               "quality-records-used": "many", "quality-rejected-y": True, "train-loss": 1.0}
    assert from_metrics(claimed) == {"records-rejected": 3}
