"""Canary generation, the secrecy of inclusion bits, and the ROC figures."""

import json

import numpy as np
import pytest

from privatune.privacy.audit import CanarySet, auc, generate_canaries, roc_curve, roc_summary, tpr_at_fpr


def test_generation_is_seeded_unique_balanced():
    a, b = generate_canaries(2000, seed=3, num_clients=4), generate_canaries(2000, seed=3, num_clients=4)
    assert a.texts == b.texts and (a.inclusion_bits == b.inclusion_bits).all()
    assert generate_canaries(2000, seed=4, num_clients=4).texts != a.texts
    assert len(set(a.texts)) == 2000
    assert 0.45 < a.inclusion_bits.mean() < 0.55
    per_client = np.bincount([c.client for c in a.canaries], minlength=4)
    assert per_client.tolist() == [500, 500, 500, 500]


def test_for_client_holds_only_its_included_canaries():
    canaries = generate_canaries(300, seed=1, num_clients=3)
    handed_out = [canaries.for_client(i) for i in range(3)]
    included = {c.text for c in canaries.canaries if c.included}
    assert set().union(*map(set, handed_out)) == included
    assert sum(map(len, handed_out)) == len(included)  # no canary goes to two clients
    for i, texts in enumerate(handed_out):
        assert all(c.client == i for c in canaries.canaries if c.text in texts)
    with pytest.raises(ValueError, match="out of range"):
        canaries.for_client(3)


def test_client_file_carries_no_bits_ids_or_excluded_canaries(tmp_path):
    canaries = generate_canaries(100, seed=2, num_clients=2)
    path = canaries.save_for_client(tmp_path / "client0.jsonl", 0)
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert all(set(r) == {"text"} for r in records)
    assert [r["text"] for r in records] == canaries.for_client(0)
    raw = path.read_text()
    for c in canaries.canaries:
        assert c.id not in raw
        if not c.included:
            assert c.text not in raw


def test_save_load_roundtrip_and_commitment(tmp_path):
    canaries = generate_canaries(64, seed=5, num_clients=2)
    loaded = CanarySet.load(canaries.save(tmp_path / "canaries.json"))
    assert loaded.canaries == canaries.canaries and loaded.num_clients == 2
    assert loaded.commitment() == canaries.commitment()
    data = json.loads((tmp_path / "canaries.json").read_text())
    data["canaries"][7]["included"] = not data["canaries"][7]["included"]
    (tmp_path / "flipped.json").write_text(json.dumps(data))
    assert CanarySet.load(tmp_path / "flipped.json").commitment() != canaries.commitment()


def test_load_errors_name_file_record_and_field(tmp_path):
    canaries = generate_canaries(8, seed=0, num_clients=1)
    client_file = canaries.save_for_client(tmp_path / "c.jsonl", 0)
    with pytest.raises(ValueError, match="c.jsonl.*not a JSON canary file|c.jsonl.*format"):
        CanarySet.load(client_file)
    data = canaries.to_json()
    del data["canaries"][3]["included"]
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"bad.json: canaries\[3\]: field 'included'"):
        CanarySet.load(tmp_path / "bad.json")
    with pytest.raises(FileNotFoundError, match="missing.json"):
        CanarySet.load(tmp_path / "missing.json")


def mann_whitney_auc(scores, labels):
    pos, neg = scores[labels], scores[~labels]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (len(pos) * len(neg))


def test_auc_equals_mann_whitney_with_ties():
    rng = np.random.default_rng(0)
    labels = rng.random(400) < 0.5
    scores = np.round(labels * 0.7 + rng.normal(0, 1, 400), 1)  # rounding makes many ties
    assert auc(scores, labels) == pytest.approx(mann_whitney_auc(scores, labels), abs=1e-12)


def test_roc_points_and_tpr_at_fpr():
    labels = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    scores = np.array([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], dtype=float)
    fpr, tpr, _ = roc_curve(scores, labels)
    assert fpr[:5].tolist() == [0, 0, 0, 1 / 7, 1 / 7]
    assert tpr[:5].tolist() == [0, 1 / 3, 2 / 3, 2 / 3, 1]
    assert tpr_at_fpr(scores, labels, 0.0) == pytest.approx(2 / 3)
    assert tpr_at_fpr(scores, labels, 0.15) == 1.0
    summary = roc_summary(scores, labels)
    assert summary["fpr_resolution"] == pytest.approx(1 / 7)
    assert summary["tpr_at_fpr"]["0.01"] == pytest.approx(2 / 3)


def test_roc_needs_both_classes():
    with pytest.raises(ValueError, match="both members and non-members"):
        auc(np.arange(4.0), np.ones(4, bool))
