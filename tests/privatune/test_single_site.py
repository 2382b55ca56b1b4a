"""`privatune train DATA`: scrub → DP-SGD → ledger → audit → report for one site, no federation."""

from __future__ import annotations

import json
import re


def _raw(parquet) -> str:
    import pyarrow.parquet as pq

    return "\n".join(pq.read_table(parquet).column("text").to_pylist())


def test_single_site_run_scrubs_charges_the_ledger_audits_and_reports(site_run, site_data, monkeypatch):
    from privatune.config import RunConfig
    from privatune.privacy.dp import epsilon_of
    from privatune.privacy.ledger import PrivacyLedger
    from privatune.privacy.pii import require_manifest
    from privatune.privacy.report.runcheck import verify_run
    from privatune.server.rundir import RunDir

    rundir = RunDir(site_run)
    history = rundir.metrics()
    assert [m["round"] for m in history] == [0, 1, 2]
    assert all(m["eval-loss"] > 0 for m in history)

    # scrubbed once into the site's own state dir, from the Parquet input; the manifest pins the input
    scrubbed = site_run / "clients" / "client-0" / "scrubbed" / "records.jsonl"
    manifest = require_manifest(scrubbed)
    assert manifest.records_in == 40 and sum(manifest.entities.values()) > 0
    assert re.search(r"\bSSN \d{3}-\d{2}-\d{4}", _raw(site_data))
    assert not re.search(r"\b\d{3}-\d{2}-\d{4}\b", scrubbed.read_text())  # no SSN survived

    # every DP step is in the ledger; the reported ε is recomputed from it and within the target
    from privatune.single_site import site_ledger

    monkeypatch.setenv("PRIVATUNE_STATE_DIR", str(site_run.parent / "state"))  # where the site_run fixture kept it
    ledger = site_ledger(None, site_data)  # the records' lifetime ledger, not under the run dir
    assert not list(site_run.rglob("*ledger*.jsonl"))
    assert len(ledger.entries) == 2 * 3 and ledger.rounds() == [1, 2]
    ledger.close()
    config = RunConfig.from_flower({k: v for k, v in json.loads((site_run / "config.json").read_text())["config"].items()
                                    if k in RunConfig().to_flower()})
    epsilon = epsilon_of(ledger.history(), config.dp.delta, config.dp.accountant)
    assert history[-1]["clients"][0]["epsilon"] == epsilon
    assert 0 < epsilon <= config.dp.target_epsilon * 1.001
    assert history[-1]["clients"][0]["noise-multiplier"] > 0

    # the canary audit ran on the final adapter, and the signed log pins adapters and report
    audit = json.loads((site_run / "audit" / "round-2.json").read_text())
    assert audit["num_canaries"] == 8
    check = verify_run(site_run)
    assert check.ok, check.errors
    events = [e["event"] for e in check.entries]
    assert events.count("round-committed") == 3 and "run-finished" in events and "report-built" in events
    report = json.loads((site_run / "report" / "report.json").read_text())
    assert report["dp"]["max_epsilon"] == epsilon
    assert report["dp"]["used"]["site"]["noise_multiplier"] == history[-1]["clients"][0]["noise-multiplier"]
    assert report["hashes"]["base_model"]["path"].endswith("tiny-llama-v1")
    assert report["pii_counts"]["client-0"] == manifest.entities
    assert report["summary"][0].startswith("This run fine-tuned tiny-llama-v1 on the records of 1 site over 2 rounds")
    assert (site_run / "privatune.log").stat().st_size > 0


def test_single_site_run_writes_tensorboard_scalars(site_run):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(site_run / "tensorboard"))
    events.Reload()
    tags = set(events.Tags()["scalars"])
    assert {"loss/eval", "loss/train", "epsilon/site", "time/round_s"} <= tags
    assert [e.step for e in events.Scalars("loss/eval")] == [0, 1, 2]
    eps = [e.value for e in events.Scalars("epsilon/site")]
    assert eps == sorted(eps) and eps[0] > 0  # ε only grows


def test_train_fails_fast_with_one_clean_line_naming_the_setting(tmp_path, capsys):
    from privatune.cli import main

    bad = tmp_path / "records.csv"
    bad.write_text("instruction,answer\nSummarise the note,Fine\nAnd this one,Also fine\n")
    code = main(["train", str(bad), "--run-dir", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 1
    assert "response-field" in err and "records.csv" in err and "row 1" in err
    assert "Traceback" not in err
    assert not (tmp_path / "run").exists()  # nothing started
