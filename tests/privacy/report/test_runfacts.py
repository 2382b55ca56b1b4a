"""The report finds the base model, scrub manifests wherever scrubbing ran, names clients, shows σ used."""

from __future__ import annotations

import json

from privatune.privacy.report.collect import collect
from privatune.privacy.report.hashing import sha256_tree


def _manifest(entities: dict) -> str:
    return json.dumps({"format": "privatune-scrub-manifest/1", "records_in": 10, "records_out": 10,
                       "entities": entities})


def make_run(tmp_path, data_dir, rounds=(0, 1)):
    run = tmp_path / "run"
    (run / "clients" / "client-0" / "scrubbed").mkdir(parents=True)
    (run / "config.json").write_text(json.dumps({"fingerprint": "x", "config": {
        "model": "", "data-dir": str(data_dir), "noise-multiplier": 0.0, "dp": True, "delta": 1e-5,
        "target-epsilon": 8.0}}))
    with (run / "metrics.jsonl").open("w") as f:
        for r in rounds:
            clients = [] if r == 0 else [
                {"node": 13401857264019283746 + i, "client-index": i, "epsilon": 2.5 + i, "delta": 1e-5,
                 "noise-multiplier": 1.25, "sample-rate": 0.05, "train-loss": 3.0, "num-examples": 50}
                for i in range(2)]
            f.write(json.dumps({"round": r, "eval-loss": 3.0, "clients": clients}) + "\n")
    # client 0 scrubbed in its own state dir; client 1 brought data scrubbed beforehand (`privatune scrub`)
    (run / "clients" / "client-0" / "scrubbed" / "client-0.jsonl.manifest.json").write_text(
        _manifest({"PERSON": 7, "US_SSN": 3}))
    (data_dir / "client-1.jsonl.manifest.json").write_text(_manifest({"PERSON": 4, "EMAIL_ADDRESS": 2}))
    return run


def test_report_finds_embedded_base_model_manifests_names_and_sigma(tmp_path, tiny_model_dir):
    data = tmp_path / "data"
    data.mkdir()
    report = collect(make_run(tmp_path, data))
    assert report["hashes"]["base_model"] == {"path": str(tiny_model_dir), "sha256": sha256_tree(tiny_model_dir)}
    assert report["pii_counts"] == {"client-0": {"PERSON": 7, "US_SSN": 3},
                                    "client-1": {"PERSON": 4, "EMAIL_ADDRESS": 2}}
    assert report["rounds"][1]["clients"] == ["client-0", "client-1"]
    assert report["dp"]["used"] == {"client-0": {"noise_multiplier": 1.25, "sample_rate": 0.05},
                                    "client-1": {"noise_multiplier": 1.25, "sample_rate": 0.05}}
    summary = " ".join(report["summary"])
    assert "2 sites over 1 round" in summary and "16 pieces of personal information" in summary
    assert "ε = 3.50" in summary and "σ = 1.25" in summary


def test_plain_summary_comes_first_and_sigma_is_in_the_dp_table(tmp_path, tiny_model_dir):
    from privatune.privacy.report.build import build_report

    data = tmp_path / "data"
    data.mkdir()
    _, html_path = build_report(make_run(tmp_path, data))
    html = html_path.read_text()
    assert html.index("In plain words") < html.index("<h2>Run</h2>")
    assert "σ used" in html and "1.25" in html
    assert "13401857264019283746" not in html.split("<h3>Configuration</h3>")[0]


def test_one_round_charts_have_a_sensible_axis(monkeypatch):
    from privatune.privacy.report import plots

    monkeypatch.setattr(plots, "_png", lambda fig: (fig.axes[0].get_xlim(), fig.axes[0].get_ylim()))
    rounds = [{"round": 0, "client_epsilon": {}, "eval-loss": 3.0},
              {"round": 1, "client_epsilon": {"client-0": 1.0}, "eval-loss": 2.9, "train-loss": 3.1}]
    (x0, x1), (y0, y1) = plots.epsilon_plot(rounds, [])
    assert (x0, x1) == (-0.5, 1.5) and y0 == 0 and y1 > 1.0
    (x0, x1), _ = plots.loss_plot(rounds)
    assert (x0, x1) == (-0.5, 1.5)
