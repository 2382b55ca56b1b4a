"""Ctrl-C stops everything a command started, within seconds; the run directory makes it resumable.

Flower's simulation runs Ray (a raylet, a GCS server and one worker process per client). A
KeyboardInterrupt in the main thread does not reach them, and the command used to hang until
SIGTERM. On SIGINT/SIGTERM the handler terminates every descendant process, waits briefly, kills
what is left and exits with 130. Nothing is lost: rounds are committed atomically (server.rundir)
and each DP step is fsync'd to the ledger before the next, so the same command resumes.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time

GRACE_S = 3.0


def descendants(pid: int | None = None) -> list[int]:
    """Every live descendant of `pid` (default: this process), children first."""
    pid = os.getpid() if pid is None else pid
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        pass
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie has exited; only its parent's wait is missing
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_all(grace_s: float = GRACE_S) -> None:
    children = descendants()
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and any(_alive(p) for p in children):
        time.sleep(0.1)
    for pid in descendants() + children:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def stop_children_on_interrupt(message: str) -> None:
    """Install the handler for SIGINT and SIGTERM (main thread only)."""

    def handler(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # a second Ctrl-C ends at once
        logging.disable(logging.CRITICAL)  # Flower's threads would log every actor we end
        print(f"\n{message}", file=sys.stderr, flush=True)
        stop_all()
        sys.stderr.flush()
        os._exit(130)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
