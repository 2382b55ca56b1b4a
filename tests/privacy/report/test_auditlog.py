"""The hash-chained signed audit log: any change, removal or reordering of a line fails `verify`."""

import argparse
import json
import math

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from privatune.privacy.report import auditlog
from privatune.privacy.report.auditlog import AuditLog, verify
from privatune.privacy.report.cli import EXIT_TAMPERED, add_parser
from privatune.privacy.report.hashing import sha256_tree
from privatune.privacy.report.runcheck import verify_run

EVENTS = [
    ("run-started", {"clients": 3, "rounds": 2}),
    ("round-done", {"round": 1, "clients": ["0", "1", "2"], "secagg": True}),
    ("adapter-saved", {"round": 1, "sha256": "ab" * 32}),
    ("round-done", {"round": 2, "clients": ["0", "2"], "secagg": True}),
    ("audit", {"round": 2, "epsilon_lower_bound": 0.0, "accountant_epsilon": 7.5}),
]


@pytest.fixture
def run(tmp_path):
    log = AuditLog(tmp_path / "audit.log", tmp_path / "keys" / "server.pem")
    for event, fields in EVENTS:
        log.append(event, **fields)
    return tmp_path


def lines(run):
    return (run / "audit.log").read_text().splitlines()


def write_lines(run, new_lines):
    (run / "audit.log").write_text("".join(line + "\n" for line in new_lines))


def test_untouched_log_verifies(run):
    result = verify(run / "audit.log")
    assert result.ok, result.errors
    assert [e["event"] for e in result.entries] == ["log-opened"] + [e for e, _ in EVENTS]
    assert oct((run / "keys" / "server.pem").stat().st_mode)[-3:] == "600"


def _change_value(line: str) -> str:
    entry = json.loads(line)
    entry["fields"]["tampered"] = 1
    return auditlog.canonical(entry)


def _change_and_rehash(line: str) -> str:
    entry = json.loads(line)
    entry["fields"]["tampered"] = 1
    entry["hash"] = auditlog._entry_hash(entry)  # the forger cannot re-sign without the key
    return auditlog.canonical(entry)


MUTATIONS = {
    "change": lambda ls, i: ls[:i] + [_change_value(ls[i])] + ls[i + 1:],
    "change-and-rehash": lambda ls, i: ls[:i] + [_change_and_rehash(ls[i])] + ls[i + 1:],
    "reformat": lambda ls, i: ls[:i] + [json.dumps(json.loads(ls[i]), indent=None)] + ls[i + 1:],
    "remove": lambda ls, i: ls[:i] + ls[i + 1:],
    "reorder": lambda ls, i: ls[:i] + [ls[(i + 1) % len(ls)]] + [ls[i]] + ls[i + 2:] if i + 1 < len(ls)
    else [ls[i]] + ls[1:i] + [ls[0]],
    "duplicate": lambda ls, i: ls[: i + 1] + [ls[i]] + ls[i + 1:],
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("index", range(len(EVENTS) + 1))
def test_any_tampering_with_any_line_fails(run, mutation, index):
    original = lines(run)
    tampered = MUTATIONS[mutation](original, index)
    assert tampered != original
    write_lines(run, tampered)
    result = verify(run / "audit.log")
    assert not result.ok and result.errors


def test_verify_command_exit_codes(run, capsys):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["report", "verify", str(run)])
    assert args.func(args) == 0
    write_lines(run, lines(run)[:-1])  # cut the last event off
    assert args.func(args) == EXIT_TAMPERED
    assert "TAMPERED" in capsys.readouterr().err


def test_missing_head_fails(run):
    (run / "audit.log.head").unlink()
    assert not verify(run / "audit.log").ok


def test_resigned_log_fails_against_the_pinned_key(run):
    """An attacker with write access re-signs a rewritten log with their own key."""
    original_public = auditlog.load_public_key(run / "audit.log.pub")
    original_fp = verify(run / "audit.log").fingerprint
    rewritten = [json.loads(line) for line in lines(run)[1:]]
    (run / "audit.log").unlink()
    forged = AuditLog(run / "audit.log", run / "attacker.pem")  # also overwrites audit.log.pub
    for entry in rewritten:
        forged.append(entry["event"], **(entry["fields"] | {"round": 99}))
    assert verify(run / "audit.log").ok  # self-consistent ...
    assert verify(run / "audit.log").fingerprint != original_fp  # ... but under another signer
    assert not verify(run / "audit.log", original_public).ok


def test_reopening_continues_the_chain_and_refuses_another_key(run):
    AuditLog(run / "audit.log", run / "keys" / "server.pem").append("resumed", round=2)
    result = verify(run / "audit.log")
    assert result.ok and result.entries[-1]["seq"] == len(EVENTS) + 1
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (run / "other.pem").write_bytes(other)
    with pytest.raises(ValueError, match="another key"):
        AuditLog(run / "audit.log", run / "other.pem")


def test_fields_refuse_text_and_non_json(run):
    log = AuditLog(run / "audit.log", run / "keys" / "server.pem")
    with pytest.raises(ValueError, match="never record text"):
        log.append("scrubbed", sample="Patient John Smith was admitted on ... " * 10)
    with pytest.raises(ValueError, match="not finite"):
        log.append("metric", loss=math.nan)
    with pytest.raises(ValueError, match="not JSON"):
        log.append("metric", value=object())
    assert verify(run / "audit.log").ok  # refused events leave no trace


def test_logged_artifact_changed_on_disk_fails(run):
    adapter = run / "adapters" / "round-1"
    adapter.mkdir(parents=True)
    (adapter / "adapter_model.safetensors").write_bytes(b"\x00" * 64)
    AuditLog(run / "audit.log", run / "keys" / "server.pem").append(
        "adapter-saved", round=1, path="adapters/round-1", sha256=sha256_tree(adapter))
    assert verify_run(run).ok
    (adapter / "adapter_model.safetensors").write_bytes(b"\x01" * 64)
    result = verify_run(run)
    assert not result.ok and any("adapters/round-1" in e for e in result.errors)
