"""Data-parallel DP-SGD inside one client (gloo, 2 processes) is the single-process mechanism.

Each run is torchrun over benchmarks/dp_parallel.py: fresh processes that train the tiny 4-bit model
with `train_local_dp`; the secret seeds are pinned (`--pin-seeds`) and the optimizer is plain SGD (Adam's g/√v would turn the summation
order's 1e-7 differences on near-zero coordinates into whole steps), so the single-process run and the 2-rank run draw the same
Poisson batches and the same noise. Then: same LoRA weights after the steps, with noise off and
with noise on, and one ledger entry per logical batch, written by rank 0 only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import subprocess
import sys

import numpy as np
import pytest

STEPS = 3


SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "dp_parallel.py"


def _run(world: int, tmp: Path, model_dir: Path, sigma: float) -> tuple[list[dict], Path]:
    out = tmp / f"world-{world}-sigma-{sigma}"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={world}",
               str(SCRIPT), "--model", str(model_dir), "--out", str(out), "--steps", str(STEPS),
               "--sigma", str(sigma), "--pin-seeds", "--optimizer", "sgd", "--lr", "0.5"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads((out / f"rank-{r}.json").read_text()) for r in range(world)], out


@pytest.mark.parametrize("sigma", [0.0, 1.0])
def test_two_ranks_take_the_single_process_dp_steps(tmp_path, tiny_model_dir, sigma):
    (single,), single_dir = _run(1, tmp_path, tiny_model_dir, sigma)
    ranks, ranks_dir = _run(2, tmp_path, tiny_model_dir, sigma)

    # the ranks' batches partition the single process's Poisson batches
    assert sum(r["examples"] for r in ranks) == single["examples"] > 0
    for key, expected in single["state"].items():
        expected = np.asarray(expected)
        for r in ranks:  # every replica ends equal to the single-process model
            np.testing.assert_allclose(np.asarray(r["state"][key]), expected, rtol=1e-4, atol=1e-6, err_msg=key)
    moved = max(np.abs(np.asarray(ranks[0]["state"][k]) - np.asarray(v)).max()
                for k, v in _initial_state(tiny_model_dir).items())
    assert moved > 1e-4  # the steps really changed the adapter

    # one mechanism per logical batch: rank 0's ledger equals the single process's, no other rank writes one
    lines = lambda d: [json.loads(x) for x in (d / "ledger.jsonl").read_text().splitlines()]  # noqa: E731
    assert len(lines(single_dir)) == STEPS
    assert [(e["noise_multiplier"], e["sample_rate"], e["steps"]) for e in lines(ranks_dir)] == \
        [(e["noise_multiplier"], e["sample_rate"], e["steps"]) for e in lines(single_dir)]
    assert sorted(p.name for p in ranks_dir.glob("*.jsonl")) == ["ledger.jsonl"]


def _initial_state(model_dir: Path) -> dict:
    from privatune.config import RunConfig
    from privatune.model import initial_lora_state, load_model

    return initial_lora_state(load_model(RunConfig(model=str(model_dir), seed=5, gradient_checkpointing=False))[0])
