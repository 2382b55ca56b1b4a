"""benchmarks/kernels_gpu.py runs top to bottom on CPU (tiny shapes, interpreter) and its checks pass."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "kernels_gpu.py"


def test_kernels_gpu_dry_run(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OUT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-P", str(SCRIPT), "--dry-run"], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads((tmp_path / "kernels_gpu.json").read_text())
    assert set(report["results"]) == {"nf4", "rmsnorm", "rope", "swiglu", "cross_entropy"}
    for name, figures in report["results"].items():
        assert figures["ok"], name
        assert all(err < 1e-2 for err in figures["rel_err"].values()), name
