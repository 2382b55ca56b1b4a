"""Round metrics for the tools users already watch: TensorBoard event files, and MLflow when installed.

Both are offline: TensorBoard writes RUN_DIR/tensorboard/ (`tensorboard --logdir RUN_DIR`), MLflow a
file store in RUN_DIR/mlruns (`mlflow ui --backend-store-uri RUN_DIR/mlruns`). Only numbers are
logged (losses, ε per client, round time), the same values metrics.jsonl holds.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from privatune.privacy.report.runfacts import client_name  # one naming rule: `client-<index>` or the site's name

log = logging.getLogger("privatune.tracking")


def scalars(metrics: dict) -> dict[str, float]:
    """The numbers of one metrics.jsonl row, by TensorBoard tag."""
    out = {}
    for key, tag in (("train-loss", "loss/train"), ("eval-loss", "loss/eval"), ("seconds", "time/round_s")):
        if isinstance(metrics.get(key), (int, float)):
            out[tag] = float(metrics[key])
    for client in metrics.get("clients", []):
        label = client_name(client)
        if isinstance(client.get("epsilon"), (int, float)):
            out[f"epsilon/{label}"] = float(client["epsilon"])
        if isinstance(client.get("train-loss"), (int, float)):
            out[f"loss/train/{label}"] = float(client["train-loss"])
    return out


class Tracker:
    def __init__(self, run_dir: str | Path):
        self.run_dir = Path(run_dir)
        self._tb = self._mlflow = None
        try:
            from torch.utils.tensorboard import SummaryWriter

            self._tb = SummaryWriter(log_dir=str(self.run_dir / "tensorboard"))
        except ImportError:  # tensorboard is a dependency; a trimmed install still trains
            log.warning("tensorboard is not installed: no event files (pip install tensorboard)")
        try:
            import mlflow
        except ImportError:
            mlflow = None
        if mlflow is not None and os.environ.get("PRIVATUNE_MLFLOW", "1") != "0":
            mlflow.set_tracking_uri((self.run_dir / "mlruns").resolve().as_uri())
            mlflow.set_experiment("privatune")
            self._mlflow = mlflow
            self._mlflow_run = mlflow.start_run(run_name=self.run_dir.name)

    def round(self, server_round: int, metrics: dict) -> None:
        values = scalars(metrics)
        if self._tb is not None:
            for tag, value in values.items():
                self._tb.add_scalar(tag, value, server_round)
            self._tb.flush()
        if self._mlflow is not None:
            self._mlflow.log_metrics({t.replace("/", ".").replace(" ", "_"): v for t, v in values.items()},
                                     step=server_round)

    def close(self) -> None:
        if self._tb is not None:
            self._tb.close()
        if self._mlflow is not None:
            self._mlflow.end_run()
