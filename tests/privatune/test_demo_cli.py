"""`privatune demo` as a user runs it: data-dir formats, one clean error line, Ctrl-C stops all and resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

DEMO = ["demo", "--clients", "2", "--set", "records-per-client=30", "--set", "local-steps=2", "--set", "batch-size=4",
        "--set", "max-seq-len=48", "--set", "secure-aggregation=false", "--set", "audit-canaries=0"]


def _records(n: int, kind: str) -> list[dict]:
    if kind == "text":
        return [{"text": f"Visit note {i}: the patient is stable and goes home today."} for i in range(n)]
    return [{"instruction": f"Summarise visit {i}.", "response": "Stable, discharged."} for i in range(n)]


def test_data_dir_reads_jsonl_csv_and_parquet_per_client(tmp_path, tiny_model_dir):
    import pandas as pd

    from privatune.client.rounds import client_data_path
    from privatune.config import RunConfig
    from privatune.demo import prepare

    data = tmp_path / "data"
    data.mkdir()
    (data / "client-0.jsonl").write_text("".join(json.dumps(r) + "\n" for r in _records(6, "text")))
    pd.DataFrame(_records(5, "pairs")).to_csv(data / "client-1.csv", index=False)
    pd.DataFrame(_records(7, "text")).to_parquet(data / "client-2.parquet")
    config = RunConfig.from_flower({"data-dir": str(data), "num-clients": 3})
    _, files = prepare(config)
    assert [f.name for f in files] == ["client-0.jsonl", "client-1.csv", "client-2.parquet"]
    # the simulated ClientApp finds the same file for its partition
    context = SimpleNamespace(node_config={"partition-id": 2})
    assert client_data_path(context, config) == data / "client-2.parquet"


def test_data_dir_errors_name_the_setting_to_change(tmp_path, tiny_model_dir):
    import pandas as pd

    from privatune.config import RunConfig
    from privatune.data import DataError
    from privatune.demo import prepare

    data = tmp_path / "data"
    data.mkdir()
    pd.DataFrame([{"instruction": "Summarise.", "answer": "Fine."}] * 4).to_csv(data / "client-0.csv", index=False)
    with pytest.raises(DataError, match="client-1.jsonl, .csv or .parquet.*'data-dir'.*'num-clients'"):
        prepare(RunConfig.from_flower({"data-dir": str(data), "num-clients": 2}))
    with pytest.raises(DataError, match=r"client-0.csv, row 1: field 'response' is missing.*'response-field'"):
        prepare(RunConfig.from_flower({"data-dir": str(data), "num-clients": 1}))
    assert prepare(RunConfig.from_flower({"data-dir": str(data), "num-clients": 1, "response-field": "answer"}))
    (data / "client-0.jsonl").write_text(json.dumps({"text": "x y"}) + "\n")
    with pytest.raises(DataError, match="keep one file per client"):
        prepare(RunConfig.from_flower({"data-dir": str(data), "num-clients": 1}))


def test_a_bad_setting_is_one_clean_line_and_debug_gives_the_traceback(tmp_path, capsys):
    from privatune.cli import main
    from privatune.model import ModelError

    bad = ["demo", "--run-dir", str(tmp_path / "run"), "--set", f"model={tmp_path / 'nowhere'}"]
    assert main(bad) == 1
    err = capsys.readouterr().err
    assert "privatune demo: error: model directory" in err and "run-config 'model'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2
    with pytest.raises(ModelError):  # --debug: the exception itself, with its traceback
        main(["--debug"] + bad)


def _live(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_ctrl_c_stops_the_demo_and_every_process_it_started_then_the_run_resumes(tmp_path, tiny_model_dir):
    from privatune.stopping import descendants

    run_dir = tmp_path / "run"
    cmd = [sys.executable, "-c", "import sys; from privatune.cli import main; sys.exit(main())", *DEMO,
           "--run-dir", str(run_dir)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(cmd + ["--rounds", "2"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 400
        metrics = run_dir / "metrics.jsonl"
        while not (metrics.exists() and metrics.read_text().strip()):  # round 0 committed: clients are up
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the demo did not reach round 0"
            time.sleep(0.5)
        started = descendants(proc.pid)
        assert started  # Ray's processes and the client actors
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, output
    assert "run the same command again to resume" in output
    time.sleep(1)
    assert [p for p in started if _live(p)] == []

    again = subprocess.run(cmd + ["--rounds", "1"], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=500)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "resuming after round" in again.stdout
    rounds = [json.loads(line)["round"] for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert rounds == [0, 1]
    assert "DeprecationWarning" not in again.stdout + again.stderr and "deprecated" not in again.stderr
