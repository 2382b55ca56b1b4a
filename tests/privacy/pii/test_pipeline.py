"""The scrub stage end to end: formats, bad input, manifest invariants, refusal, no leaks."""

import json
import logging
import subprocess
import sys

import pytest

from privatune.privacy.pii import ManifestError, ScrubConfig, require_manifest, scrub_file
from privatune.privacy.pii.evalset import generate, write_jsonl
from privatune.privacy.pii.manifest import ScrubManifest, manifest_path_for

pytest.importorskip("presidio_analyzer")
ONE = ScrubConfig(processes=1)


def planted_values(records):
    return {r["text"][s["start"]:s["end"]] for r in records for s in r["spans"]
            if len(r["text"][s["start"]:s["end"]]) >= 5}


def all_artifact_text(*paths) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in paths)


def test_planted_pii_never_reaches_any_artifact(tmp_path, caplog, capsys):
    records = generate(40, seed=123)
    source = write_jsonl([{"text": r["text"], "id": f"r{i}"} for i, r in enumerate(records)],
                         tmp_path / "records.jsonl")
    out = tmp_path / "scrubbed.jsonl"
    with caplog.at_level(logging.DEBUG):
        manifest = scrub_file(source, out, ONE, progress=True)
    artifacts = all_artifact_text(out, manifest_path_for(out)) + caplog.text + "".join(capsys.readouterr())
    leaked = [v for v in planted_values(records) if v in artifacts]
    assert leaked == [], f"{len(leaked)} planted values leaked, e.g. {leaked[:1]}"
    assert manifest.records_in == manifest.records_out == 40
    assert manifest.entities["PERSON"] > 0 and manifest.entities["CREDIT_CARD"] > 0
    scrubbed = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in scrubbed] == [f"r{i}" for i in range(40)]  # order and other fields kept
    assert "E11.9" in out.read_text() or "I10" in out.read_text()  # clinical content survives


def test_bad_input_is_rejected_per_record_with_reasons(tmp_path):
    source = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"text": "Patient John Smith, MRN 00482913."}).encode(),
             b'{"text": "caf\xe9 au lait"}',  # Latin-1 byte, not UTF-8
             b"",  # empty line
             b"not json at all",
             json.dumps({"text": "   "}).encode(),  # empty record
             json.dumps({"id": 7, "label": "x"}).encode(),  # wrong schema
             json.dumps({"text": "x" * 2000}).encode(),  # over the size limit set below
             json.dumps([1, 2]).encode(),
             json.dumps({"instruction": "Summarise", "response": "Call 617-555-0142."}).encode()]
    source.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    manifest = scrub_file(source, out, ScrubConfig(processes=1, max_record_bytes=1000), progress=False)
    assert manifest.records_in == 9
    assert manifest.records_out == 2 == len(out.read_text().splitlines())
    assert manifest.records_in == manifest.records_out + manifest.records_rejected
    assert manifest.rejections == {"not UTF-8": 1, "empty record": 2, "invalid JSON": 1,
                                   "no text field (expected one of text, instruction, input, response, "
                                   "output, prompt, completion, messages)": 1,
                                   "record over 1000 bytes": 1, "not a JSON object": 1}
    assert {"record": 2, "reason": "not UTF-8"} in manifest.rejected_records
    assert "617-555-0142" not in out.read_text()


def test_all_records_bad_is_a_clear_error(tmp_path):
    from privatune.privacy.pii.readers import ScrubError

    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1}\n{"id": 2}\n')
    with pytest.raises(ScrubError, match=r"bad.jsonl: no usable record among 2.*line 1: no text field"):
        scrub_file(source, tmp_path / "out.jsonl", ONE, progress=False)
    assert not (tmp_path / "out.jsonl").exists()


def test_csv_and_parquet_inputs(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_path = tmp_path / "notes.csv"
    csv_path.write_text('id,text\n1,"Seen by Dr. Okafor, call 617-555-0142"\n2,"BP 132/84 mmHg"\n')
    parquet_path = tmp_path / "chat.parquet"
    pq.write_table(pa.table({"instruction": ["Reply to Ms. Haddad", "Explain HbA1c"],
                             "response": ["Her IBAN is GB82 WEST 1234 5698 7654 32.", "A 3-month average."]}),
                   parquet_path)
    for source in (csv_path, parquet_path):
        out = tmp_path / (source.stem + ".jsonl")
        manifest = scrub_file(source, out, ONE, progress=False)
        text = out.read_text()
        assert manifest.records_out == 2 and manifest.input_format == source.suffix[1:]
        assert "617-555-0142" not in text and "GB82" not in text and "Okafor" not in text
        assert "Haddad" not in text
        assert ("132/84" in text) or ("HbA1c" in text)


def test_require_manifest_accepts_only_the_scrubbed_file(tmp_path):
    source = write_jsonl([{"text": "Acct # 98765432 for Mary Jones"}], tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    with pytest.raises(ManifestError, match="no scrub manifest"):
        require_manifest(source)  # raw data: refused
    scrub_file(source, out, ONE, progress=False)
    manifest = require_manifest(out)
    assert manifest.output_sha256 and manifest.input_sha256 != manifest.output_sha256
    assert json.loads(manifest_path_for(out).read_text())["libraries"]["spacy-pipeline"]
    out.write_text(out.read_text() + '{"text": "Mary Jones 98765432"}\n')  # edited after scrubbing
    with pytest.raises(ManifestError, match="changed after scrubbing"):
        require_manifest(out)


def test_manifest_count_invariant_is_checked(tmp_path):
    source = write_jsonl([{"text": "hello"}], tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    scrub_file(source, out, ONE, progress=False)
    path = manifest_path_for(out)
    data = json.loads(path.read_text())
    data["records_rejected"] = 3
    path.write_text(json.dumps(data))
    with pytest.raises(ManifestError, match="inconsistent"):
        require_manifest(out)
    path.write_text("{not json")
    with pytest.raises(ManifestError, match="unreadable"):
        ScrubManifest.read(path)


def test_pseudonyms_are_consistent_keyed_and_unlinkable(tmp_path):
    text = "Maria Garcia called. Later maria garcia's card 4111 1111 1111 1111 was used."
    source = write_jsonl([{"text": text}, {"text": "Maria Garcia again, card 4111-1111-1111-1111"}],
                         tmp_path / "in.jsonl")
    outs = {}
    for client in ("a", "b"):
        config = ScrubConfig(mode="pseudonym", hmac_key_path=str(tmp_path / f"{client}.key"), processes=1)
        out = tmp_path / f"out_{client}.jsonl"
        manifest = scrub_file(source, out, config, progress=False)
        assert (tmp_path / f"{client}.key").stat().st_mode & 0o777 == 0o600
        assert manifest.key_id and manifest.key_id not in (tmp_path / f"{client}.key").read_bytes().hex()
        outs[client] = [json.loads(x)["text"] for x in out.read_text().splitlines()]
    import re

    cards_a = {m for line in outs["a"] for m in re.findall(r"<CREDIT_CARD_[0-9a-f]+>", line)}
    cards_b = {m for line in outs["b"] for m in re.findall(r"<CREDIT_CARD_[0-9a-f]+>", line)}
    assert len(cards_a) == 1, outs["a"]  # same card, two formats, two records → one pseudonym
    assert cards_a != cards_b  # another client's key gives unrelated tokens
    assert "Garcia" not in "".join(outs["a"]) and "4111" not in "".join(outs["a"])


def test_refuses_without_ner_unless_pattern_only_is_accepted(tmp_path, monkeypatch):
    import spacy

    from privatune.privacy.pii.analyzer import AnalyzerSetupError, PiiAnalyzer

    monkeypatch.setattr(spacy.util, "get_installed_models", lambda: [])
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    monkeypatch.setattr(spacy.cli, "download", lambda *a, **k: pytest.fail("tried to download"))
    with pytest.raises(AnalyzerSetupError, match="no spaCy NER pipeline is installed"):
        PiiAnalyzer(ScrubConfig())
    with pytest.raises(AnalyzerSetupError, match="neither installed nor a directory"):
        PiiAnalyzer(ScrubConfig(spacy_pipeline="en_core_web_trf"))
    analyzer = PiiAnalyzer(ScrubConfig(allow_pattern_only=True))
    found = {(r.entity_type) for r in analyzer.analyze("Email ann@clinic.local, SSN 123-45-6789")}
    assert {"EMAIL_ADDRESS", "US_SSN"} <= found and analyzer.description == "pattern-only"


def test_scrub_with_worker_processes_matches_in_process(tmp_path):
    records = generate(30, seed=5)
    source = write_jsonl([{"text": r["text"]} for r in records], tmp_path / "in.jsonl")
    single = scrub_file(source, tmp_path / "one.jsonl", ONE, progress=False)
    pooled = scrub_file(source, tmp_path / "two.jsonl", ScrubConfig(processes=2), progress=False)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert single.entities == pooled.entities and single.output_sha256 == pooled.output_sha256


def test_cli_scrub(tmp_path):
    import argparse

    from privatune.privacy.pii import cli

    source = write_jsonl([{"text": "Dr. Okafor, NPI 1234567893"}], tmp_path / "in.jsonl")
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["scrub", str(source), str(tmp_path / "o.jsonl"), "--processes", "1",
                              "--no-progress", "--deny", "Ward 5"])
    assert args.func(args) == 0
    assert "1234567893" not in (tmp_path / "o.jsonl").read_text()
    args = parser.parse_args(["scrub", str(tmp_path / "missing.jsonl"), str(tmp_path / "x.jsonl")])
    assert args.func(args) == 2


def test_package_import_is_light():
    code = ("import sys, privatune.privacy.pii as p; p.ScrubConfig(); "
            "print(any(m.split('.')[0] in ('presidio_analyzer', 'spacy', 'torch') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
