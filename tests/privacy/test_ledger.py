"""The privacy ledger: durable steps, torn tails repaired, damage refused, kill -9 safe."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from privatune.privacy.ledger import LedgerError, PrivacyLedger


def test_steps_survive_reopening_and_compress_into_accountant_history(tmp_path):
    with PrivacyLedger(tmp_path / "l.jsonl") as ledger:
        for _ in range(3):
            ledger.record(1, 1.1, 0.05)
        ledger.record(2, 0.9, 0.05, steps=4)
    again = PrivacyLedger(tmp_path / "l.jsonl")
    assert again.history() == [(1.1, 0.05, 3), (0.9, 0.05, 4)]
    assert again.rounds() == [1, 2]


def test_a_torn_last_line_is_cut_off_atomically(tmp_path):
    path = tmp_path / "l.jsonl"
    with PrivacyLedger(path) as ledger:
        ledger.record(1, 1.0, 0.1)
        ledger.record(1, 1.0, 0.1)
    with path.open("ab") as f:
        f.write(b'{"noise_multiplier": 1.0, "round": 1, "sam')  # the process died mid-write
    reopened = PrivacyLedger(path)
    assert reopened.history() == [(1.0, 0.1, 2)]
    assert path.read_bytes().endswith(b"\n") and len(path.read_text().splitlines()) == 2
    reopened.record(1, 1.0, 0.1)
    reopened.close()
    assert PrivacyLedger(path).history() == [(1.0, 0.1, 3)]


@pytest.mark.parametrize("damage", ["edit", "drop", "duplicate"])
def test_damage_inside_the_ledger_is_refused_not_repaired(tmp_path, damage):
    path = tmp_path / "l.jsonl"
    with PrivacyLedger(path) as ledger:
        for _ in range(3):
            ledger.record(1, 1.0, 0.1)
    lines = path.read_text().splitlines(keepends=True)
    if damage == "edit":
        lines[1] = lines[1].replace('"steps": 1', '"steps": 0')
    elif damage == "drop":
        del lines[1]
    else:
        lines.insert(1, lines[1])
    path.write_text("".join(lines))
    with pytest.raises(LedgerError) as err:
        PrivacyLedger(path)
    assert "in use" not in str(err.value)  # damage, not the lock


WRITER = """
import sys
from privatune.privacy.ledger import PrivacyLedger
ledger = PrivacyLedger(sys.argv[1])
for i in range(100000):
    ledger.record(i // 10, 1.0, 0.01)
    print(len(ledger.entries), flush=True)
"""


def test_sigkill_while_writing_loses_no_committed_step_and_counts_none_twice(tmp_path):
    path = tmp_path / "ledger.jsonl"
    rng = random.Random(7)
    for _ in range(6):
        before = len(PrivacyLedger(path).entries)
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                                cwd=tmp_path)  # not the repo root: its folders shadow the package
        acked = before
        deadline = time.monotonic() + rng.uniform(0.3, 1.2)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line:
                acked = int(line)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for line in proc.stdout:  # acks already printed before the kill
            acked = int(line)
        entries = PrivacyLedger(path).entries
        assert acked > before, "the writer never committed a step"
        # every acknowledged step is there; at most the one in flight beyond it; seq has no gaps/duplicates
        assert acked <= len(entries) <= acked + 1
        assert [e.seq for e in entries] == list(range(len(entries)))


HOLDER = """
import sys, time
from privatune.privacy.ledger import PrivacyLedger
ledger = PrivacyLedger(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_process_on_the_same_ledger_is_refused_naming_file_and_pid(tmp_path):
    from privatune.privacy.ledger import LedgerLocked

    path = tmp_path / "ledger.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
                                cwd=tmp_path)  # not the repo root: its folders shadow the package
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(LedgerLocked, match=rf"{path}.*in use by process {proc.pid}"):
            PrivacyLedger(path)
    finally:
        proc.kill()
        proc.wait()
    PrivacyLedger(path).record(1, 1.0, 0.1)  # the lock dies with its holder


def test_one_open_at_a_time_in_one_process_too_and_close_releases(tmp_path):
    from privatune.privacy.ledger import LedgerLocked

    with PrivacyLedger(tmp_path / "l.jsonl") as ledger:
        ledger.record(1, 1.0, 0.1)
        with pytest.raises(LedgerLocked):
            PrivacyLedger(tmp_path / "l.jsonl")
    assert PrivacyLedger(tmp_path / "l.jsonl").history() == [(1.0, 0.1, 1)]


def test_released_statistics_are_entries_the_accountant_composes(tmp_path):
    from privatune.privacy.dp import epsilon_of

    ledger = PrivacyLedger(tmp_path / "l.jsonl")
    ledger.record(1, 1.0, 0.1, steps=10)
    before = epsilon_of(ledger.history(), 1e-5, "rdp")
    ledger.record(1, 10.0, 1.0, kind="gaussian")
    ledger.close()
    again = PrivacyLedger(tmp_path / "l.jsonl")
    assert again.history() == [(1.0, 0.1, 10), (10.0, 1.0, 1)]
    assert again.steps() == 10 and again.rounds() == [1] and again.rounds("gaussian") == [1]
    assert epsilon_of(again.history(), 1e-5, "rdp") > before


def test_a_legacy_ledger_is_absorbed_and_renamed(tmp_path):
    legacy = tmp_path / "run" / "clients" / "client-0" / "privacy-ledger.jsonl"
    with PrivacyLedger(legacy) as old:
        old.record(1, 0.9, 0.05, steps=4)
        old.record(2, 0.9, 0.05, steps=4)
    with PrivacyLedger(tmp_path / "state" / "ledgers" / "abc.jsonl") as ledger:
        ledger.record(1, 1.0, 0.1, steps=2)
        assert ledger.absorb(legacy) == 2
        assert ledger.history() == [(1.0, 0.1, 2), (0.9, 0.05, 8)]
    assert not legacy.exists() and legacy.with_name("privacy-ledger.jsonl.migrated").exists()
