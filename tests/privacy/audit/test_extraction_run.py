"""The data-extraction audit on real training: a leaky run is caught, a DP run at ε = 1 is consistent
with its exposure bound, and the audit reaches the CLI and the report.

One training pipeline (privatune's DP-SGD trainer, Opacus clipping) runs twice over the same kind of
secret canaries: with the noise off (leaky: 250 full passes, no privacy) and with the noise
calibrated to ε = 1. Sizes are chosen so each test can fail: with 63 candidates exposures resolve up
to 6 bits, the DP bound at ε = 1 is 2.7 bits, and the leaky run is checked against that same bound.
"""

from __future__ import annotations

import argparse
import json

import pytest
import torch

from privatune.privacy.audit.exposure import exposure_summary
from privatune.privacy.audit.harness import secret_canary_experiment, tiny_llama
from privatune.privacy.audit.secrets import generate_secret_canaries

INSERTED, CANDIDATES, SAMPLES, STEPS, EPSILON = 8, 63, 2, 250, 1.0


def train_secret_canaries(tmp_path, noise: bool):
    """DP-SGD over the inserted secret canaries (q = 1); noise off = the leaky run."""
    torch.set_num_threads(1)
    canaries = generate_secret_canaries(INSERTED, num_clients=2)  # fresh CSPRNG secrets every run
    result, model, tokenizer = secret_canary_experiment(
        canaries, tmp_path / f"ledger-{noise}.jsonl", noise, EPSILON, STEPS, num_candidates=CANDIDATES,
        num_samples=SAMPLES)
    return canaries, model, tokenizer, result


@pytest.fixture(scope="module")
def leaky(tmp_path_factory):
    return train_secret_canaries(tmp_path_factory.mktemp("leaky"), noise=False)


def test_leaky_run_shows_high_exposure_and_extracted_secrets(leaky):
    canaries, _, _, result = leaky
    exposure, extraction = result["exposure"], result["extraction"]
    assert exposure["inserted"]["median"] >= exposure["resolution_bits"] - 1  # ranked above ~all candidates
    assert exposure["heldout"]["median"] < 3  # never-seen secrets stay at chance (≈ 1 bit)
    assert exposure["inserted_vs_heldout_p"] < 0.01
    assert extraction["inserted"]["attacks"]["greedy-prefix"]["exact"] >= 2
    assert extraction["heldout"]["any_within_1"] == 0  # the model cannot say what it never saw
    assert result["status"] == "leak"
    assert f"of {INSERTED} inserted secrets extracted" in result["headline"]
    text = json.dumps(result)
    assert not any(c.secret in text or c.prefix in text for c in canaries.canaries)  # ids and figures only


def test_leaky_exposure_contradicts_a_claimed_epsilon_of_one(leaky):
    _, _, _, result = leaky
    claimed = exposure_summary(result["canaries"], accountant_epsilon=EPSILON, delta=1e-5)
    assert claimed["dp_bound"]["can_contradict"]
    assert claimed["status"] == "exceeds-bound"  # what the DP test below would say if DP were broken


def test_dp_run_at_epsilon_one_is_consistent_with_its_exposure_bound(tmp_path):
    _, _, _, result = train_secret_canaries(tmp_path, noise=True)
    exposure = result["exposure"]
    assert exposure["accountant_epsilon"] <= EPSILON + 1e-6
    assert exposure["dp_bound"]["can_contradict"]  # 6 bits resolvable > 2.7 bits bound
    assert exposure["status"] == "consistent", result["headline"]
    assert exposure["inserted"]["mean"] <= exposure["dp_bound"]["expected"] + 1.0
    assert result["extraction"]["inserted"]["any_exact"] == 0
    assert "consistent with the bound" in result["headline"]


def _cli(argv):
    from privatune.privacy.audit.cli import add_parser

    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_and_report_carry_the_extraction_audit(leaky, tmp_path, capsys):
    from privatune.privacy.audit.cli import EXIT_BAD_INPUT, EXIT_DP_BROKEN
    from privatune.privacy.report.build import build_report
    from privatune.privacy.report.runcheck import verify_run

    canaries, model, tokenizer, _ = leaky
    base_dir, run = tmp_path / "base", tmp_path / "run"
    tiny_llama(len(tokenizer), seed=0).save_pretrained(base_dir)
    tokenizer.save_pretrained(base_dir)
    model.save_pretrained(run / "adapters" / "round-2")
    secret_file = canaries.save(tmp_path / "secrets.json")
    common = ["audit", "--base", str(base_dir), "--adapter", str(run / "adapters" / "round-2"),
              "--secret-canaries", str(secret_file), "--candidates", str(CANDIDATES), "--extraction-samples", "0"]
    assert _cli(common + ["--out", str(tmp_path / "s.json"), "--run-dir", str(run), "--round", "2",
                          "--signing-key", str(tmp_path / "server.pem")]) == 0
    out = capsys.readouterr().out
    result = json.loads((tmp_path / "s.json").read_text())
    assert result["extraction"]["inserted"]["any_exact"] >= 1 and "extracted exactly" in out
    logged = verify_run(run)
    assert logged.ok and logged.entries[-1]["event"] == "secret-audit"

    json_path, html_path = build_report(run)
    report = json.loads(json_path.read_text())
    assert report["secret_audit"]["headline"] == result["headline"]
    page = html_path.read_text()
    assert "Data-extraction audit" in page and "inserted secrets extracted exactly" in page
    assert not any(c.secret in page or c.secret in json_path.read_text() for c in canaries.canaries)

    assert _cli(common + ["--accountant-epsilon", "1.0"]) == EXIT_DP_BROKEN  # leaky exposure vs ε = 1
    assert _cli(["audit", "--base", str(base_dir), "--adapter", str(run / "adapters" / "round-2")]) == EXIT_BAD_INPUT
    assert "--secret-canaries" in capsys.readouterr().err
