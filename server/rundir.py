"""The run directory: everything a run leaves behind, and what a restarted server resumes from.

    RUN_DIR/config.json          the run config (dashed keys) and its identity fingerprint
    RUN_DIR/metrics.jsonl        one JSON object per finished round (round 0 = before training)
    RUN_DIR/adapters/round-N/    the global adapter after round N, PEFT format
    RUN_DIR/state.json           the last committed round
    RUN_DIR/stopped.json         present when the run ended early (e.g. every privacy budget spent)
    RUN_DIR/quality.json         per node: its latest data-quality counts (records in, used, rejected by reason)
    (clients keep their ledgers in their own state dir, never here: docs/privacy-model.md)

A round is committed in this order: adapter written to a temporary directory and renamed, metrics
line appended and fsync'd, then state.json replaced atomically. A crash anywhere leaves state.json at
the previous round; on resume, metrics lines and adapters of uncommitted rounds are discarded.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

from privatune.config import IDENTITY_KEYS, RunConfig


class RunDirError(RuntimeError):
    pass


class RunDir:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    # ---- opening ------------------------------------------------------------------------------
    def open(self, config: RunConfig) -> int:
        """Create or reopen the directory for `config`; returns the last committed round (-1 = none)."""
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "adapters").mkdir(exist_ok=True)
        fingerprint = config.fingerprint(IDENTITY_KEYS)
        config_file = self.path / "config.json"
        if config_file.exists():
            saved = json.loads(config_file.read_text())
            if saved.get("fingerprint") != fingerprint:
                changed = [k.replace("_", "-") for k in IDENTITY_KEYS
                           if saved["config"].get(k.replace("_", "-")) != getattr(config, k)]
                raise RunDirError(f"{self.path} holds a run with other settings ({', '.join(changed)}): "
                                  "choose another run-dir, or restore those settings to resume it")
        _write_json(config_file, {"fingerprint": fingerprint, "config": config.to_flower()})
        last = self.last_round()
        self._discard_after(last)
        return last

    def last_round(self) -> int:
        state = self.path / "state.json"
        return json.loads(state.read_text())["round"] if state.exists() else -1

    def _discard_after(self, last: int) -> None:
        for adapter in (self.path / "adapters").glob("round-*"):
            suffix = adapter.name.split("-", 1)[1]
            if not suffix.isdigit() or int(suffix) > last:
                shutil.rmtree(adapter, ignore_errors=True)
        metrics = self.path / "metrics.jsonl"
        if metrics.exists():
            kept = [line for line in metrics.read_text().splitlines()
                    if line.strip() and json.loads(line)["round"] <= last]
            _write_text(metrics, "".join(line + "\n" for line in kept))

    # ---- rounds -------------------------------------------------------------------------------
    def adapter_dir(self, server_round: int) -> Path:
        return self.path / "adapters" / f"round-{server_round}"

    def load_adapter_state(self, server_round: int) -> dict[str, np.ndarray]:
        return dict(load_file(str(self.adapter_dir(server_round) / "adapter_model.safetensors")))

    def commit(self, server_round: int, write_adapter, metrics: dict) -> None:
        """`write_adapter(tmp_dir)` writes the PEFT adapter; then metrics, then the state marker."""
        final = self.adapter_dir(server_round)
        tmp = final.with_name(final.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        write_adapter(tmp)
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
        with (self.path / "metrics.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps({"round": server_round, **metrics}) + "\n")
            f.flush()
            os.fsync(f.fileno())
        _write_json(self.path / "state.json", {"round": server_round})

    def stop(self, after_round: int, reason: str) -> None:
        """The run ended early for a reason that resuming will not change (e.g. privacy budgets)."""
        _write_json(self.path / "stopped.json", {"after-round": after_round, "reason": reason})

    def write_quality(self, per_node: dict[str, dict[str, int]]) -> Path:
        """Merge nodes' data-quality counts (counts only) into quality.json; returns its path."""
        path = self.path / "quality.json"
        current = json.loads(path.read_text()) if path.exists() else {}
        current.update({str(node): dict(counts) for node, counts in per_node.items()})
        _write_json(path, current)
        return path

    def stopped(self) -> dict | None:
        path = self.path / "stopped.json"
        return json.loads(path.read_text()) if path.exists() else None

    def metrics_line(self, server_round: int) -> str | None:
        """The exact text of a round's metrics line (what the audit log pins by SHA-256)."""
        path = self.path / "metrics.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
            if line.strip() and json.loads(line).get("round") == server_round:
                return line
        return None

    def metrics(self) -> list[dict]:
        path = self.path / "metrics.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def _write_json(path: Path, obj) -> None:
    _write_text(path, json.dumps(obj, indent=2, sort_keys=True) + "\n")


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
