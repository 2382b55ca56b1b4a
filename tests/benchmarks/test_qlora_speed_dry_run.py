"""benchmarks/qlora_speed.py runs top to bottom on CPU (tiny Llama, Triton interpreter) before its
only GPU run: two variants, the 24 GiB-fit bisection and the correctness section, all checks passing."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "qlora_speed.py"


def test_qlora_speed_dry_run(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OUT": str(tmp_path)}
    cmd = [sys.executable, "-P", str(SCRIPT), "--dry-run", "--steps", "1", "--budget-s", "3000",
           "--only", "tiny/stock-dp", "tiny/privatune-dp"]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((tmp_path / "qlora_speed.json").read_text())
    ours, stock = report["results"]["tiny/privatune-dp"], report["results"]["tiny/stock-dp"]
    # Same init, data and noise seed: the fused, patched DP step trains exactly like stock Opacus hooks.
    assert abs(ours["loss_first_last"][1] - stock["loss_first_last"][1]) < 1e-4
    assert ours["vs_stock"]["stock"] == "stock-dp" and ours["tokens_per_s"] > 0
    assert report["stock_dp_with_checkpointing"]  # recorded, whatever Opacus does
    assert report["fit_24gib"]["longest_seq"] == 32 and set(report["fit_24gib"]["tried"]) == {"16", "24", "32"}
    for peer in ("unsloth", "liger"):  # not installed here: skipped, with the reason
        assert "not installed" in report["peers"][peer].get("skipped", "") or "speed" in report["peers"][peer]
    assert all(err < 1e-5 for err in report["lora_vs_fp64"]["64x64->128"].values())
    tiled = report["lora_vs_fp64"]["tiled-mlp 2x24 64->128 tile 5"]
    assert len(tiled) == 2 + 4 * 3 and all(err < 1e-5 for err in tiled.values())
    assert set(report["loss_curves"]) == {"nondp", "dp", "dp-offload", "dp-tiled-mlp"}
    assert all(c["max_rel_gap"] < 1e-4 for c in report["loss_curves"].values())
    assert "checks PASS" in result.stdout
