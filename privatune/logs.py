"""What a user sees: privatune's own log lines, a progress bar (or plain lines), no third-party noise.

- `quiet_third_party()` filters the warnings and log lines we know to be harmless. It runs on
  `import privatune`, so Flower's client processes (Ray actors import the ClientApp) get it too.
- `setup(run_dir)` sends privatune's loggers to the console and to RUN_DIR/privatune.log.
- `StepProgress` shows training steps: a rich bar on a terminal, one plain line every few seconds
  (tokens/s and ETA) when the output is a file or a pipe.
Log lines carry counts, timings and paths only, never text from records.
"""

from __future__ import annotations

import logging
import sys
import time
import warnings
from pathlib import Path

LOG_FILE = "privatune.log"

# API deprecations aimed at library authors, from these packages (or raised at our call sites)
NOISY_MODULES = r"(transformers|torch|peft|accelerate|datasets|opacus|flwr|ray|bitsandbytes|presidio_analyzer|spacy|privatune)(\..*)?$"
# (category, message regex) of warnings that say nothing a privatune user can act on
KNOWN_WARNINGS = [
    (UserWarning, r".*torch\.jit.*|.*TorchScript.*"),
    (UserWarning, r".*Using a target size .* that is different to the input size.*"),
    (UserWarning, r".*MatMul8bitLt: inputs will be cast.*|.*Input type into Linear4bit is torch\.float16.*"),
    (UserWarning, r".*Secure RNG turned off.*"),  # Opacus: privatune seeds its generators from `secrets`
    (UserWarning, r".*Optimal order is the (largest|smallest) alpha.*"),  # Opacus RDP at few steps
    (UserWarning, r".*does not have many workers which may be a bottleneck.*"),
]

# Flower logs a deprecation banner for the in-process simulation entry point. flwr 1.42 has no
# public in-process replacement (`flwr run` needs a SuperLink and a project directory), so the
# banner is dropped; docs/deploy.md says so.
KNOWN_LOG_LINES = ("`run_simulation` function is deprecated", "start_simulation() is deprecated")


class _DropKnown(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(known in message for known in KNOWN_LOG_LINES)


def quiet_third_party() -> None:
    for category in (FutureWarning, DeprecationWarning):
        warnings.filterwarnings("ignore", category=category, module=NOISY_MODULES)
    for category, message in KNOWN_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=category)
    flwr_logger = logging.getLogger("flwr")
    if not any(isinstance(f, _DropKnown) for f in flwr_logger.filters):
        flwr_logger.addFilter(_DropKnown())
    for name in ("ray", "ray.data", "ray._private", "ray.util", "filelock", "urllib3", "matplotlib",
                 "bitsandbytes.backends.cpu.ops", "presidio-analyzer", "datasets", "torch.distributed"):
        logging.getLogger(name).setLevel(logging.ERROR)


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stderr
    return hasattr(stream, "isatty") and stream.isatty()


def setup(run_dir: str | Path | None, debug: bool = False) -> Path | None:
    """privatune.* to stderr (INFO; DEBUG with --debug) and, when given, RUN_DIR/privatune.log."""
    quiet_third_party()
    root = logging.getLogger("privatune")
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    root.propagate = False
    for handler in list(root.handlers):
        if getattr(handler, "_privatune", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(message)s"))
    console.setLevel(logging.DEBUG if debug else logging.WARNING)  # progress and results are printed
    console._privatune = True  # type: ignore[attr-defined]
    root.addHandler(console)
    if run_dir is None:
        return None
    path = Path(run_dir) / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._privatune = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class StepProgress:
    """Progress of one client's local steps; `step(done, total, tokens)` matches trainer.OnStep."""

    def __init__(self, label: str, console=None, every_s: float = 5.0, terminal: bool | None = None):
        self.label, self.every_s = label, every_s
        self.terminal = is_terminal() if terminal is None else terminal
        self.started = self.last_line = time.monotonic()
        self.tokens = 0
        self._progress = self._task = None
        self.log = logging.getLogger("privatune.progress")
        if self.terminal:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                      console=console or Console(stderr=True), transient=True)

    def __enter__(self):
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc):
        if self._progress:
            self._progress.stop()

    def step(self, done: int, total: int, tokens: int) -> None:
        now = time.monotonic()
        self.tokens += tokens
        elapsed = max(now - self.started, 1e-9)
        rate = f"{self.tokens / elapsed:,.0f} tok/s"
        if self._progress is not None:
            if self._task is None:
                self._task = self._progress.add_task(self.label, total=total, rate=rate)
            self._progress.update(self._task, completed=done, total=total, rate=rate)
            return
        if done == total or now - self.last_line >= self.every_s or done == 1:
            self.last_line = now
            eta = elapsed / done * (total - done)
            line = f"{self.label}: step {done}/{total} · {rate} · ETA {_clock(eta)}"
            print(line, file=sys.stderr, flush=True)
            self.log.debug(line)


# ---- clients in other processes (Flower simulation): progress through a small file each ----------

PROGRESS_FILE = "progress.json"


class ProgressFile:
    """A client's trainer.OnStep that writes {label, done, total, tokens/s, eta} (numbers only) to a file."""

    def __init__(self, path: Path, label: str, every_s: float = 0.5):
        self.path, self.label, self.every_s = Path(path), label, every_s
        self.started = time.monotonic()
        self.last = 0.0
        self.tokens = 0

    def step(self, done: int, total: int, tokens: int) -> None:
        import json
        import os

        now = time.monotonic()
        self.tokens += tokens
        if done < total and now - self.last < self.every_s:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        body = {"label": self.label, "done": done, "total": total, "tokens_per_s": self.tokens / elapsed,
                "eta_s": elapsed / done * (total - done)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(body))
        os.replace(tmp, self.path)


class ProgressWatcher:
    """Shows every RUN_DIR/clients/*/progress.json: rich bars on a terminal, plain lines otherwise."""

    def __init__(self, run_dir: str | Path, console=None, every_s: float = 10.0, terminal: bool | None = None):
        import threading

        self.root = Path(run_dir) / "clients"
        self.every_s = every_s
        self.terminal = is_terminal() if terminal is None else terminal
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="privatune-progress")
        self._seen: dict[str, tuple] = {}
        self._progress = None
        self._tasks: dict[str, int] = {}
        if self.terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=console,
                                      transient=True)

    def __enter__(self):
        for old in self.root.glob(f"*/{PROGRESS_FILE}"):
            old.unlink(missing_ok=True)  # a previous run's last step is not news
        if self._progress:
            self._progress.start()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=2)
        if self._progress:
            self._progress.stop()

    def _read(self) -> dict[str, dict]:
        import json

        out = {}
        for path in sorted(self.root.glob(f"*/{PROGRESS_FILE}")):
            try:
                out[path.parent.name] = json.loads(path.read_text())
            except (OSError, ValueError):
                continue  # being replaced right now
        return out

    def _run(self) -> None:
        last_lines = 0.0
        while not self._stop.wait(0.5):
            states = self._read()
            if self._progress is not None:
                for client, s in states.items():
                    desc, rate = f"{client} {s['label']}", f"{s['tokens_per_s']:,.0f} tok/s"
                    if client not in self._tasks:
                        self._tasks[client] = self._progress.add_task(desc, total=s["total"], rate=rate)
                    self._progress.update(self._tasks[client], description=desc, completed=s["done"],
                                          total=s["total"], rate=rate)
            elif time.monotonic() - last_lines >= self.every_s:
                last_lines = time.monotonic()
                for client, s in states.items():
                    key = (s["label"], s["done"])
                    if self._seen.get(client) != key:
                        self._seen[client] = key
                        print(f"{client} {s['label']}: step {s['done']}/{s['total']} · "
                              f"{s['tokens_per_s']:,.0f} tok/s · ETA {_clock(s['eta_s'])}", file=sys.stderr, flush=True)
