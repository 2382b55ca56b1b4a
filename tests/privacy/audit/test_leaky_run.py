"""A deliberately leaky run (no DP, many passes over the canaries) must be caught by the audit."""

import argparse
import json

import numpy as np
import pytest
import torch

from privatune.privacy.audit import audit_report, generate_canaries, score_canaries
from privatune.privacy.report.runcheck import verify_run
from privatune.privacy.audit.cli import EXIT_BAD_INPUT, EXIT_DP_BROKEN, add_parser
from privatune.privacy.audit.harness import (
    byte_tokenizer, canary_experiment, tiny_llama, train_on_texts, with_lora)

M, K = 128, 32  # 32 + 32 guesses: the most ε̂ can show is 2.64 at 95 % (Bonferroni over 4 scores)


@pytest.fixture(scope="module")
def leaky():
    torch.set_num_threads(1)
    canaries = generate_canaries(M, seed=1, num_clients=2)
    history = []

    def train(model, tokenizer, texts):  # no DP, 60 passes over the included canaries
        history.extend(train_on_texts(model, tokenizer, texts, epochs=60, lr=5e-3, batch_size=16))
        return None  # no accountant ε: nothing is claimed

    result, model, tokenizer = canary_experiment(canaries, train, k_plus=K, k_minus=K)
    scores = score_canaries(model, None, tokenizer, canaries.texts)
    return canaries, tokenizer, model, history, scores, result


def test_leaky_run_gives_large_epsilon_and_auc(leaky):
    canaries, _, _, history, scores, result = leaky
    assert history[-1] < history[0] - 0.3
    assert result["num_included"] == int(canaries.inclusion_bits.sum())
    assert result["epsilon_lower_bound"] > 2
    assert result["scores"]["loss-vs-base"]["auc"] > 0.9
    assert result["verdict"]["status"] == "leak"


def test_leaky_run_contradicts_a_small_claimed_epsilon(leaky):
    canaries, _, _, _, scores, _ = leaky
    result = audit_report(scores, canaries.inclusion_bits, K, K, delta=1e-5, accountant_epsilon=1.0)
    assert result["verdict"]["status"] == "fail" and "FAIL" in result["verdict"]["text"]
    honest = audit_report(scores, canaries.inclusion_bits, K, K, delta=1e-5, accountant_epsilon=8.0)
    assert honest["verdict"]["status"] == "pass"


def test_disabled_adapter_equals_separate_base_model(leaky):
    canaries, tokenizer, model, _, scores, _ = leaky
    base = tiny_llama(len(tokenizer), seed=0)  # same seed → the weights the adapter was added to
    explicit = score_canaries(model, base, tokenizer, canaries.texts)
    np.testing.assert_allclose(explicit["loss-vs-base"], scores["loss-vs-base"], atol=1e-5)


def test_untrained_adapter_shows_nothing():
    canaries = generate_canaries(M, seed=1, num_clients=2)
    tokenizer = byte_tokenizer()
    model = with_lora(tiny_llama(len(tokenizer), seed=0))  # B = 0: the adapter is a no-op
    scores = score_canaries(model, None, tokenizer, canaries.texts)
    assert np.all(scores["loss-vs-base"] == 0)
    result = audit_report(scores, canaries.inclusion_bits, K, K, delta=1e-5)
    assert result["scores"]["loss-vs-base"]["epsilon_lower_bound"] == 0.0


def test_plain_model_needs_explicit_base():
    tokenizer = byte_tokenizer()
    with pytest.raises(TypeError, match="pass base_model"):
        score_canaries(tiny_llama(len(tokenizer)), None, tokenizer, ["some text"])


def _cli(argv):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_audits_saved_adapter(leaky, tmp_path, capsys):
    canaries, tokenizer, model, _, scores, _ = leaky
    base_dir, adapter_dir = tmp_path / "base", tmp_path / "run" / "adapters" / "round-3"
    tiny_llama(len(tokenizer), seed=0).save_pretrained(base_dir)
    tokenizer.save_pretrained(base_dir)
    model.save_pretrained(adapter_dir)
    canary_file = canaries.save(tmp_path / "canaries.json")
    common = ["audit", "--base", str(base_dir), "--adapter", str(adapter_dir), "--canaries", str(canary_file),
              "--k-plus", str(K), "--k-minus", str(K)]

    assert _cli(common + ["--out", str(tmp_path / "a.json"), "--run-dir", str(tmp_path / "run"), "--round", "3",
                          "--signing-key", str(tmp_path / "server.pem")]) == 0
    result = json.loads((tmp_path / "a.json").read_text())
    expected = audit_report(scores, canaries.inclusion_bits, K, K, delta=1e-5)
    assert result["epsilon_lower_bound"] == pytest.approx(expected["epsilon_lower_bound"])
    assert json.loads((tmp_path / "run" / "audit" / "round-3.json").read_text())["round"] == 3
    logged = verify_run(tmp_path / "run")
    assert logged.ok and logged.entries[-1]["event"] == "audit"
    assert logged.entries[-1]["fields"]["canary_commitment"] == canaries.commitment()
    assert "LEAK" in capsys.readouterr().out
    for c in canaries.canaries:  # the result holds scores and figures, never canary text
        assert c.text not in (tmp_path / "a.json").read_text()

    assert _cli(common + ["--accountant-epsilon", "1.0"]) == EXIT_DP_BROKEN
    assert _cli(common[:3] + ["--adapter", str(tmp_path), "--canaries", str(canary_file)]) == EXIT_BAD_INPUT
    assert "adapter_config.json" in capsys.readouterr().err
