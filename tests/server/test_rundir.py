import json

import numpy as np
import pytest
from safetensors.numpy import save_file

from privatune.config import RunConfig
from privatune.server.rundir import RunDir, RunDirError


def writer(value):
    return lambda tmp: (tmp.mkdir(), save_file({"w": np.full(2, value, np.float32)}, str(tmp / "adapter_model.safetensors")))


def test_commit_then_resume_discards_uncommitted_work(tmp_path):
    config = RunConfig(run_dir=str(tmp_path))
    rundir = RunDir(tmp_path)
    assert rundir.open(config) == -1
    rundir.commit(0, writer(0.0), {"eval-loss": 2.0})
    rundir.commit(1, writer(1.0), {"eval-loss": 1.5})
    # a crash after round 2's adapter and metrics line but before state.json moved on:
    writer(2.0)(rundir.adapter_dir(2))
    with (tmp_path / "metrics.jsonl").open("a") as f:
        f.write(json.dumps({"round": 2, "eval-loss": 1.0}) + "\n")
    assert RunDir(tmp_path).open(config) == 1
    assert [m["round"] for m in rundir.metrics()] == [0, 1]
    assert not rundir.adapter_dir(2).exists()
    np.testing.assert_array_equal(rundir.load_adapter_state(1)["w"], [1.0, 1.0])


def test_resuming_with_other_identity_settings_is_refused(tmp_path):
    RunDir(tmp_path).open(RunConfig(run_dir=str(tmp_path), lora_r=8))
    RunDir(tmp_path).open(RunConfig(run_dir=str(tmp_path), lora_r=8, num_rounds=10))  # more rounds: fine
    with pytest.raises(RunDirError, match="lora-r"):
        RunDir(tmp_path).open(RunConfig(run_dir=str(tmp_path), lora_r=4))
