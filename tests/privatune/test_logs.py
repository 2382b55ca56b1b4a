"""What a user sees: plain progress lines off a terminal, client progress across processes, no known noise."""

from __future__ import annotations

import json
import logging
import time
import warnings


def test_step_progress_off_a_terminal_prints_plain_lines_with_rate_and_eta(capsys):
    from privatune.logs import StepProgress

    with StepProgress("round 1/3", terminal=False, every_s=0.0) as bar:
        for step in range(1, 5):
            bar.step(step, 4, tokens=100)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 4 and lines[-1].startswith("round 1/3: step 4/4 · ")
    assert all("tok/s" in line and "ETA 0:00:00" in lines[-1] for line in lines)


def test_client_progress_files_are_shown_by_the_watcher(tmp_path, capsys):
    from privatune.logs import PROGRESS_FILE, ProgressFile, ProgressWatcher

    writer = ProgressFile(tmp_path / "clients" / "client-1" / PROGRESS_FILE, "round 2/3", every_s=0.0)
    with ProgressWatcher(tmp_path, terminal=False, every_s=0.0):
        writer.step(3, 10, tokens=512)
        time.sleep(1.5)
    body = json.loads((tmp_path / "clients" / "client-1" / PROGRESS_FILE).read_text())
    assert body["done"] == 3 and body["total"] == 10 and set(body) == {"label", "done", "total", "tokens_per_s", "eta_s"}
    assert "client-1 round 2/3: step 3/10 · " in capsys.readouterr().err


def test_known_third_party_noise_is_filtered_and_the_rest_is_not(caplog):
    from privatune.logs import quiet_third_party

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        quiet_third_party()
        warnings.warn_explicit("`foo` is deprecated", FutureWarning, "modeling_utils.py", 1,
                               module="transformers.modeling_utils")
        warnings.warn_explicit("script_method is deprecated", DeprecationWarning, "_script.py", 1,
                               module="torch.jit._script")
        warnings.warn_explicit("something a user should see", UserWarning, "mine.py", 1, module="mine")
    assert [str(w.message) for w in caught] == ["something a user should see"]

    flwr = logging.getLogger("flwr")
    with caplog.at_level(logging.WARNING, logger="flwr"):
        flwr.warning("The `run_simulation` function is deprecated and will be removed")
        flwr.warning("node 3 failed")
    assert [r.getMessage() for r in caplog.records] == ["node 3 failed"]
