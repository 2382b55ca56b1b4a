"""`privatune scrub` on the user's side: overwriting, directory outputs, wrong field types, and a
terminal summary that names the rejected lines."""

import argparse
import json

import pytest

from privatune.privacy.pii import cli
from privatune.privacy.pii.evalset import write_jsonl

pytest.importorskip("presidio_analyzer")


def run_cli(capsys, *argv):
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["scrub", *argv, "--no-progress"])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_existing_output_needs_force_and_directory_output_is_refused(tmp_path, capsys):
    source = write_jsonl([{"text": "call 617-555-0142"}], tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n")
    code, _, err = run_cli(capsys, str(source), str(out))
    assert code == 2 and "already exists" in err and "--force" in err
    assert out.read_text() == "keep me\n"  # untouched
    code, _, _ = run_cli(capsys, str(source), str(out), "--force")
    assert code == 0 and "617-555-0142" not in out.read_text()
    folder = tmp_path / "folder"
    folder.mkdir()
    code, _, err = run_cli(capsys, str(source), str(folder))
    assert code == 2 and "is a directory" in err and "Traceback" not in err
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob("*.partial"))


def test_non_string_field_and_rejected_lines_in_summary(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([json.dumps({"text": "Dr. Okafor, MRN 00482913"}),
                                 json.dumps({"text": 12345}),
                                 "not json",
                                 json.dumps({"text": "fine"})]) + "\n")
    out = tmp_path / "out.jsonl"
    code, stdout, _ = run_cli(capsys, str(source), str(out))
    summary = json.loads(stdout)
    assert code == 0 and summary["records_rejected"] == 2
    assert any(line.startswith("line 2: 'text' is not a string") for line in summary["rejected"])
    assert "line 3: invalid JSON" in summary["rejected"]
    assert "12345" not in stdout  # reasons name fields, never values
