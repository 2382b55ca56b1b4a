"""Ctrl-C stops everything a command started, within seconds; the run directory makes it resumable.

Flower's simulation runs Ray (a raylet, a GCS server and one worker process per client). A
KeyboardInterrupt in the main thread does not reach them, and the command used to hang until
SIGTERM. On SIGINT/SIGTERM the handler kills every descendant process and exits with 130.
Nothing is lost: rounds are committed atomically (server.rundir) and each DP step is fsync'd to
the ledger before the next, so the same command resumes.
"""

from __future__ import annotations

import logging
import os
import signal
import sys


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


def stop_all() -> None:
    """SIGKILL every descendant, twice over (a process may be spawning one as we go).

    No grace period: Ray's core worker in this process exits the process (code 1) the moment its
    raylet goes away, so there is no time to wait; and nothing is lost, as rounds are committed
    atomically and the ledger survives kill -9 by design (privacy/ledger.py).
    """
    for _ in range(2):
        for pid in descendants():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def stop_children_on_interrupt(message: str) -> None:
    """Install the handler for SIGINT and SIGTERM (main thread only)."""

    def handler(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # a second Ctrl-C ends at once
        logging.disable(logging.CRITICAL)  # Flower's threads would log every actor we end
        sys.stderr.write(f"\n{message}\n")
        sys.stderr.flush()
        sys.stdout.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)  # what Ray forwards from dying processes is noise now
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        stop_all()
        os._exit(130)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
