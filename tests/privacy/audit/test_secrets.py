"""Secret canaries, the exposure estimate and its DP bound, the extraction matcher, the server's dealing."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from privatune.privacy.audit.exposure import (
    _chance_mean, clopper_pearson, dp_exposure_bound, dp_exposure_quantile, exposure_summary)
from privatune.privacy.audit.extraction import closest_run, edit_distance
from privatune.privacy.audit.secrets import FORMATS, SecretCanarySet, generate_secret_canaries


def test_each_client_gets_only_its_own_inserted_secrets():
    canaries = generate_secret_canaries(12, num_clients=3)
    assert len(canaries) == 24 and len(canaries.inserted) == 12
    dealt = [canaries.for_client(i) for i in range(3)]
    sent = [t for texts in dealt for t in texts]
    assert sorted(sent) == sorted(c.text for c in canaries.inserted)  # every inserted one, once
    for i, texts in enumerate(dealt):
        own = {c.text for c in canaries.canaries if c.client == i and c.inserted}
        assert set(texts) == own
    heldout = [c for c in canaries.canaries if not c.inserted]
    assert not any(c.secret in t for c in heldout for t in sent)
    assert len({c.secret for c in canaries.canaries}) == 24
    with pytest.raises(ValueError, match="client 3 out of range"):
        canaries.for_client(3)


def test_secrets_follow_the_institution_pattern_and_come_from_a_csprng():
    a, b = generate_secret_canaries(8, num_clients=2), generate_secret_canaries(8, num_clients=2)
    assert {c.secret for c in a.canaries}.isdisjoint({c.secret for c in b.canaries})  # 2^-23 per pair to collide
    for c in a.canaries:
        fmt = a.format_of(c)
        assert c.format == ("mrn" if c.client % 2 == 0 else "account")  # hospitals even, banks odd
        assert len(c.secret) == fmt.digits and c.secret.isdigit() and c.secret[0] != "0"
        assert c.text == c.prefix + c.secret + c.suffix and c.secret not in c.naming_prompt
    assert FORMATS["mrn"].log2_size == pytest.approx(math.log2(9e6))
    assert FORMATS["account"].log2_size == pytest.approx(math.log2(9e9))


def test_save_load_round_trip_and_errors_name_the_field(tmp_path):
    canaries = generate_secret_canaries(4, num_clients=2, rng=random.Random(1))
    path = canaries.save(tmp_path / "secrets.json")
    again = SecretCanarySet.load(path)
    assert again.commitment() == canaries.commitment() and again.for_client(1) == canaries.for_client(1)
    data = json.loads(path.read_text())
    data["canaries"][2]["secret"] = "12ab"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"canaries\[2\]: field 'secret'"):
        SecretCanarySet.load(path)
    path.write_text(json.dumps({"format": "privatune-canaries/1"}))
    with pytest.raises(ValueError, match="field 'format'"):
        SecretCanarySet.load(path)


def test_dp_bound_is_chance_at_zero_epsilon_grows_with_epsilon_and_stays_under_the_closed_form():
    n = 255
    assert dp_exposure_bound(0.0, 0.0, n) == pytest.approx(_chance_mean(n))
    assert _chance_mean(10**5) == pytest.approx(1 / math.log(2), abs=1e-3)  # E[−log₂ U] = log₂ e
    bounds = [dp_exposure_bound(eps, 1e-5, n) for eps in (0.5, 1, 2, 4, 8)]
    assert bounds == sorted(bounds)
    for eps, b in zip((0.5, 1, 2, 4, 8), bounds):
        assert b <= (eps + 1) / math.log(2) + 1e-5 * math.log2(n + 1) + 1e-9
        assert b <= math.log2(n + 1)
    assert dp_exposure_bound(8.0, 1e-5, n) == pytest.approx(math.log2(n + 1), abs=0.2)  # ε = 8 saturates n = 255
    assert dp_exposure_bound(8.0, 1e-5, 2**16) < 14  # ... and needs 2^14+ candidates to be informative
    assert dp_exposure_bound(1.0, 0, n, copies=2) == pytest.approx(dp_exposure_bound(2.0, 0, n))
    assert dp_exposure_quantile(1.0, 0.0, 0.05) == pytest.approx(math.log2(math.e / 0.05))


def test_dp_bound_holds_for_the_most_leaky_mechanism_the_definition_allows():
    """A randomized-response secret guesser that is exactly ε-DP: exposure mean ≈ the bound, not above."""
    rng = np.random.default_rng(0)
    eps, n, trials = 2.0, 63, 200_000
    # With probability p the mechanism puts the secret first; otherwise its rank is uniform.
    # P[ρ ≤ 1] = p + (1-p)/(n+1) must equal e^ε/(n+1) for the DP CDF bound to be tight at k = 1.
    p = (math.exp(eps) - 1) / n
    top = rng.random(trials) < p
    rank = np.where(top, 1, rng.integers(1, n + 2, trials))
    exposure = np.log2((n + 1) / rank)
    assert exposure.mean() <= dp_exposure_bound(eps, 0.0, n) + 0.02
    assert exposure.mean() > _chance_mean(n) + 0.2  # this mechanism does leak


def test_clopper_pearson_covers():
    low, high = clopper_pearson(0, 63)
    assert low == 0 and 0 < high < 0.06
    low, high = clopper_pearson(30, 63)
    assert low < 30 / 63 < high


def _fake(exposures_in, exposures_out, n=63):
    rows = [{"exposure": e, "inserted": True, "num_candidates": n, "format": "mrn", "log2_space": 23.1}
            for e in exposures_in]
    return rows + [{"exposure": e, "inserted": False, "num_candidates": n, "format": "mrn", "log2_space": 23.1}
                   for e in exposures_out]


def test_summary_flags_exposure_above_the_dp_bound_and_accepts_chance():
    chance = list(np.log2(64 / np.arange(1, 65))[::8])  # 8 secrets spread like never-seen ones
    high = [6.0] * 8
    assert exposure_summary(_fake(high, chance), 1.0, 1e-5)["status"] == "exceeds-bound"
    assert exposure_summary(_fake(chance, chance), 1.0, 1e-5)["status"] == "consistent"
    assert exposure_summary(_fake(high, chance), None, 1e-5)["status"] == "leak"
    assert exposure_summary(_fake(chance, chance), None, 1e-5)["status"] == "no-leak-detected"
    assert not exposure_summary(_fake(chance, chance), 8.0, 1e-5)["dp_bound"]["can_contradict"]


def test_edit_distance_and_closest_run():
    assert edit_distance("1234567", "1234567") == 0
    assert edit_distance("1234567", "1234667") == 1
    assert edit_distance("1234567", "123456") == 1
    assert edit_distance("1234567", "12345678") == 1
    assert edit_distance("1234567", "7654321") == 6
    assert closest_run("is 12345. Also 9876543, ok", "9876543", "0123456789") == 0
    assert closest_run(" 987654.", "9876543", "0123456789") == 1
    assert closest_run("no digits", "9876543", "0123456789") == 7


def test_server_deals_each_node_its_own_secrets_next_to_the_membership_canaries(tmp_path):
    from privatune.config import RunConfig
    from privatune.server.auditing import RunAuditor
    from privatune.server.rundir import RunDir

    config = RunConfig.from_flower({"run-dir": str(tmp_path / "run"), "num-clients": 2, "audit-canaries": 8,
                                    "audit-secret-canaries": 6, "audit-signing-key": str(tmp_path / "k.pem")})
    rundir = RunDir(config.run_dir)
    rundir.open(config)
    auditor = RunAuditor(rundir, config, model=None, tokenizer=None)
    dealt = auditor.canaries_for([17, 5])
    secret_set = auditor.secret_canaries
    assert (tmp_path / "run" / "audit" / "secrets.json").exists()
    for i, node in enumerate([5, 17]):
        own = set(secret_set.for_client(i)) | set(auditor.canaries.for_client(i))
        assert set(dealt[node]) == own  # its membership and secret canaries, nobody else's
    assert not any(c.text in t for c in secret_set.canaries if not c.inserted for ts in dealt.values() for t in ts)
    log = (tmp_path / "run" / "audit.log").read_text()
    assert "secret-canaries-generated" in log and all(c.secret not in log for c in secret_set.canaries)
    again = RunAuditor(rundir, config, model=None, tokenizer=None)  # a resumed server keeps the same secrets
    assert again.secret_canaries.commitment() == secret_set.commitment()


def test_server_final_audit_writes_and_logs_the_extraction_audit(tmp_path, tiny_model_dir):
    from privatune.config import RunConfig
    from privatune.model import initial_lora_state, load_model
    from privatune.privacy.report.runcheck import verify_run
    from privatune.server.auditing import RunAuditor
    from privatune.server.rundir import RunDir

    config = RunConfig.from_flower({"run-dir": str(tmp_path / "run"), "num-clients": 2, "audit-canaries": 0,
                                    "audit-secret-canaries": 2, "audit-secret-candidates": 7,
                                    "audit-secret-samples": 0, "audit-signing-key": str(tmp_path / "k.pem"),
                                    "max-seq-len": 64})
    rundir = RunDir(config.run_dir)
    rundir.open(config)
    model, tokenizer = load_model(config)
    auditor = RunAuditor(rundir, config, model, tokenizer)
    assert auditor.canaries is None and auditor.wants_audit(1, final=True)
    assert sum(len(t) for t in auditor.canaries_for([3, 4]).values()) == 2  # only the secret canaries
    auditor.audit(1, initial_lora_state(model), history=[])
    result = json.loads((tmp_path / "run" / "audit" / "secrets-round-1.json").read_text())
    assert result["exposure"]["num_candidates"] == 7 and result["exposure"]["dp_bound"] is None
    assert result["extraction"]["inserted"]["count"] == 2
    logged = verify_run(tmp_path / "run")
    assert logged.ok and logged.entries[-1]["event"] == "secret-audit"
    with pytest.raises(Exception, match="audit-secret-canaries"):
        from privatune.server.secret_canaries import load_or_generate

        bad = RunConfig.from_flower({"run-dir": str(tmp_path / "b"), "audit-secret-canaries": "many"})
        load_or_generate(tmp_path / "b", bad, audit_log=None)
