"""`privatune report build`: a self-contained HTML page and the same content as JSON."""

import argparse
import base64
import json
import re

import numpy as np
import pytest

from privatune.privacy.audit import audit_report, generate_canaries, write_audit_result
from privatune.privacy.report.auditlog import AuditLog
from privatune.privacy.report.build import build_report
from privatune.privacy.report.cli import EXIT_TAMPERED, add_parser
from privatune.privacy.report.hashing import sha256_tree

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_run(root, with_everything=True):
    run = root / "run-1"
    run.mkdir()
    clients = ["0", "1", "2"]
    with (run / "metrics.jsonl").open("w") as f:
        for rnd in (1, 2, 3):
            f.write(json.dumps({
                "round": rnd, "eval-loss": 3.0 - 0.2 * rnd, "train-loss": 3.2 - 0.25 * rnd,
                "clients": [{"node": c, "epsilon": 1.1 * rnd + int(c) * 0.1, "delta": 1e-5,
                             "num-examples": 100, "train-loss": 3.1 - 0.2 * rnd} for c in clients[: 2 + rnd % 2]],
            }) + "\n")
    if not with_everything:
        return run, None
    base = root / "base-model"
    base.mkdir()
    (base / "config.json").write_text('{"model_type": "llama"}')
    (base / "model.safetensors").write_bytes(b"\x07" * 128)
    (run / "config.json").write_text(json.dumps({
        "base-model": str(base), "rounds": 3, "dp": {"noise-multiplier": 1.1, "max-grad-norm": 1.0,
                                                     "target-epsilon": 8.0, "delta": 1e-5},
        "secagg": True}))
    for rnd in (1, 2, 3):
        adapter = run / "adapters" / f"round-{rnd}"
        adapter.mkdir(parents=True)
        (adapter / "adapter_model.safetensors").write_bytes(bytes([rnd]) * 32)
    canaries = generate_canaries(200, seed=0, num_clients=3)
    rng = np.random.default_rng(0)
    scores = {"loss": rng.normal(size=200) + 0.3 * canaries.inclusion_bits, "loss-vs-base": rng.normal(size=200)}
    write_audit_result(run, 3, audit_report(scores, canaries.inclusion_bits, delta=1e-5, accountant_epsilon=3.5))
    (run / "manifests").mkdir()
    for c in clients:
        (run / "manifests" / f"client-{c}.json").write_text(json.dumps(
            {"client": c, "records": 100, "entity_counts": {"PERSON": 10 + int(c), "MRN": 4, "EMAIL": 2}}))
    log = AuditLog(run / "audit.log", root / "server.pem")
    log.append("run-started", clients=3)
    log.append("adapter-saved", round=3, path="adapters/round-3", sha256=sha256_tree(run / "adapters" / "round-3"))
    return run, canaries


def images(html):
    return re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)


def test_full_report_content(tmp_path):
    run, canaries = make_run(tmp_path)
    json_path, html_path = build_report(run)
    report = json.loads(json_path.read_text())
    html = html_path.read_text()

    assert report["versions"]["torch"] and report["versions"]["cryptography"]
    assert report["hashes"]["base_model"]["sha256"] == sha256_tree(tmp_path / "base-model")
    assert report["hashes"]["adapters"] == {f"round-{r}": sha256_tree(run / "adapters" / f"round-{r}") for r in (1, 2, 3)}
    assert [r["clients"] for r in report["rounds"]] == [["0", "1", "2"], ["0", "1"], ["0", "1", "2"]]
    assert report["dp"]["parameters"]["dp.noise-multiplier"] == 1.1
    assert report["dp"]["max_epsilon"] == pytest.approx(3.5)
    assert report["secure_aggregation"]["ran"] is True
    assert report["audit"]["round"] == 3 and report["audit"]["verdict"]["status"] in ("pass", "fail")
    assert report["pii_counts"]["1"] == {"PERSON": 11, "MRN": 4, "EMAIL": 2}
    assert report["audit_log"]["verified"] and report["audit_log"]["entries"] == 3
    assert not any("not run" in n or "manifests" in n for n in report["notes"])

    pngs = images(html)
    assert len(pngs) == 4  # ROC/log-ROC, ε per client, loss, PII
    assert all(base64.b64decode(p).startswith(PNG_MAGIC) for p in pngs)
    assert not re.search(r'(src|href)="(https?:)?//', html)  # self-contained: nothing fetched
    assert report["audit"]["verdict"]["text"] in html.replace("&#x27;", "'")
    for text in canaries.texts:  # the canaries' (secret-like) text never reaches the report
        assert text not in html and text not in json_path.read_text()


def test_minimal_run_says_what_is_missing(tmp_path):
    run, _ = make_run(tmp_path, with_everything=False)
    json_path, html_path = build_report(run)
    report = json.loads(json_path.read_text())
    notes = " ".join(report["notes"])
    for missing in ("config.json", "audit: not run", "adapters/", "PII", "base model"):
        assert missing in notes
    assert report["audit"] is None and report["secure_aggregation"]["ran"] is None
    assert report["audit_log"]["present"] is False
    html = html_path.read_text()
    assert "No membership-inference audit was run" in html and "No audit log in this run" in html
    assert len(images(html)) == 2  # ε per client and loss still have data


def _cli(argv):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_signed_report_then_tampered_report_fails_verify(tmp_path, capsys):
    run, _ = make_run(tmp_path)
    assert _cli(["report", "build", str(run), "--signing-key", str(tmp_path / "server.pem")]) == 0
    assert _cli(["report", "verify", str(run)]) == 0
    html = run / "report" / "report.html"
    html.write_text(html.read_text().replace("PASS", "PASS!").replace("FAIL", "PASS"))
    capsys.readouterr()
    assert _cli(["report", "verify", str(run)]) == EXIT_TAMPERED
    assert "report/report.html" in capsys.readouterr().err
