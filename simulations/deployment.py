"""A real Flower deployment on one host, the way docs/deploy.md sets it up, with faults on demand.

    python simulations/deployment.py [--nodes 3] [--rounds 2] [--faults] [--keep DIR] [--results benchmarks/RESULTS.md]

A SuperLink with TLS, SuperNode authentication and a `--database`; SuperNodes with their own keys,
Runtime API ports, data files and state directories; `flwr run` of this app (tiny model, few records).
Every process runs in its own process group and is stopped by its PID; every wait has a deadline.
tests/deploy/test_deployment.py drives the same `Deployment` class. With `--results`, per-stage
timings (scrub, model load, train, eval per ClientApp process, each SecAgg stage on the server; from
metrics.jsonl, the nodes running with node-config report-timings) are appended to that file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Entry points the SuperLink and SuperNodes start by name; wrapped so they run on this interpreter.
FLOWER_COMMANDS = ("flower-superlink", "flower-supernode", "flower-superexec", "flwr", "flwr-serverapp",
                   "flwr-clientapp")
TINY_RUN_CONFIG = {"num-rounds": 2, "local-steps": 1, "batch-size": 4, "max-seq-len": 32, "min-clients": 2,
                   "audit-canaries": 0, "secagg-timeout": 120.0}


class DeploymentError(RuntimeError):
    """A stage of the deployment did not reach its expected state before its deadline."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what: str, predicate, timeout: float, interval: float = 0.5):
    """Poll `predicate` until it returns a truthy value; DeploymentError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    raise DeploymentError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (the SuperLink's ServerApp, a SuperNode's ClientApps)."""
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=30)
        # children of a killed group leader may outlive it for a moment: reap the group too
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class Deployment:
    root: Path
    nodes: int = 3
    records_per_node: int = 24
    app_dir: Path = REPO
    port: int = field(default_factory=free_port)
    processes: dict[str, Process] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        for sub in ("bin", "pki", "keys", "data", "state", "logs", "flwr-home", "superlink"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.node_ports = [free_port() for _ in range(self.nodes + 2)]
        self._wrap_commands()
        self.env = {**os.environ, "PATH": f"{self.root / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
                    "FLWR_HOME": str(self.root / "flwr-home"), "FLWR_TELEMETRY_ENABLED": "0",
                    "FLWR_DISABLE_UPDATE_CHECK": "1", "PYTHONUNBUFFERED": "1",
                    "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
        self.env.pop("PYTHONPATH", None)

    # ---- setup ------------------------------------------------------------------------------
    def _wrap_commands(self) -> None:
        """bin/ entry points on this interpreter: the SuperLink and SuperNodes start flwr-serverapp and
        flwr-clientapp by name, and they must see the same privatune as this process."""
        from importlib.metadata import entry_points

        scripts = {ep.name: ep for ep in entry_points(group="console_scripts")}
        for name in (*FLOWER_COMMANDS, "privatune"):
            if name not in scripts:
                raise DeploymentError(f"console script {name} is not installed for {sys.executable}: install flwr")
            module, _, func = scripts[name].value.partition(":")
            script = self.root / "bin" / name
            script.write_text(f"#!{sys.executable}\nimport sys\nfrom {module} import {func.split('.')[0]}\n"
                              f"sys.exit({func}())\n")
            script.chmod(0o755)

    def run_cmd(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(a) for a in args], cwd=self.root, env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise DeploymentError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
                                  f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        return result

    def make_keys(self) -> None:
        """The coordinator's CA and SuperLink certificate; one key pair per hospital (and one stranger)."""
        pki, keys = self.root / "pki", self.root / "keys"
        self.run_cmd("privatune", "certs", "ca", "--out", pki)
        self.run_cmd("privatune", "certs", "server", "--out", pki, "--host", "localhost", "--host", "127.0.0.1")
        for name in [*self.node_names, "stranger"]:
            self.run_cmd("privatune", "certs", "node", "--out", keys, "--name", name)

    @property
    def node_names(self) -> list[str]:
        return [f"hospital-{chr(ord('a') + i)}" for i in range(self.nodes)]

    def make_data(self) -> None:
        from privatune.synthetic import client_records

        for i, name in enumerate(self.node_names):
            path = self.root / "data" / f"{name}.jsonl"
            records = client_records(i, self.records_per_node, seed=0)
            path.write_text("".join(json.dumps(r) + "\n" for r in records))
            (self.root / "state" / name).mkdir(exist_ok=True)

    def write_flwr_config(self) -> None:
        (self.root / "flwr-home" / "config.toml").write_text(
            '[superlink]\ndefault = "hospitals"\n\n[superlink.hospitals]\n'
            f'address = "127.0.0.1:{self.port}"\nroot-certificates = "{self.root / "pki" / "ca.crt"}"\n')

    # ---- processes ----------------------------------------------------------------------------
    def _start(self, name: str, *args: str) -> Process:
        log = self.root / "logs" / f"{name}.log"
        handle = log.open("a")
        popen = subprocess.Popen([str(a) for a in args], cwd=self.root, env=self.env, stdout=handle,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        process = self.processes[name] = Process(name, popen, log)
        return process

    def start_superlink(self, timeout: float = 60) -> Process:
        pki = self.root / "pki"
        process = self._start(
            "superlink", "flower-superlink", "--ssl-ca-certfile", pki / "ca.crt", "--ssl-certfile",
            pki / "server.pem", "--ssl-keyfile", pki / "server.key", "--enable-supernode-auth",
            "--database", self.root / "superlink" / "state.db", "--host", "127.0.0.1", "--port", self.port,
            "--disable-runtime-dependency-installation")
        wait_until("the SuperLink to accept connections", lambda: self._port_open(self.port) or self._died(process),
                   timeout)
        self._died(process, raise_=True)
        return process

    def _port_open(self, port: int) -> bool:
        with socket.socket() as s:
            s.settimeout(1.0)
            return s.connect_ex(("127.0.0.1", port)) == 0

    def _died(self, process: Process, raise_: bool = False) -> bool:
        if process.alive():
            return False
        if raise_:
            raise DeploymentError(f"{process.name} exited with {process.popen.returncode}:\n{process.text()[-3000:]}")
        return True

    def register(self, name: str) -> int:
        """Register the hospital's public key with the SuperLink; its node id."""
        out = self.run_cmd("flwr", "supernode", "register", self.root / "keys" / f"{name}.pub", "hospitals",
                           "--format", "json").stdout
        return int(_last_json(out)["node-id"])

    def write_roster(self, node_ids: dict[str, int]) -> Path:
        """The federation's roster (docs/deploy.md, step 3): a node id and its public key per hospital."""
        path = self.root / "roster.txt"
        path.write_text("".join(f"{node_id} {(self.root / 'keys' / f'{name}.pub').read_text().strip()}\n"
                                for name, node_id in node_ids.items()))
        return path

    def roster_policy(self, name: str) -> str:
        """node-config keys that make a hospital sign its SecAgg keys and check its neighbours' (roster)."""
        return f'secagg-roster="{self.root / "roster.txt"}" secagg-identity-key="{self.root / "keys" / name}"'

    def registered(self) -> list[dict]:
        out = self.run_cmd("flwr", "supernode", "ls", "hospitals", "--format", "json").stdout
        return _last_json(out).get("nodes", [])

    def start_node(self, index: int, *, key: str | None = None, insecure: bool = False,
                   tag: str | None = None, retries: int | None = None, report_timings: bool = False,
                   policy: str = "") -> Process:
        """One SuperNode; `policy` adds node-config policy keys (e.g. 'secagg-required=false': a deployed
        node requires DP and secure aggregation unless its own config says otherwise)."""
        name = self.node_names[index] if index < self.nodes else (key or "stranger")
        key = key or name
        args = ["flower-supernode", "--superlink", f"127.0.0.1:{self.port}", "--port", self.node_ports[index],
                "--node-config", f'data-path="{self.root / "data" / f"{name}.jsonl"}" '
                                 f'state-dir="{self.root / "state" / name}" partition-id={index}'
                                 + (" report-timings=true" if report_timings else "") + (f" {policy}" if policy else "")]
        if insecure:
            args.append("--insecure")
        else:
            args += ["--root-certificates", self.root / "pki" / "ca.crt",
                     "--auth-supernode-private-key", self.root / "keys" / key]
        if retries is not None:
            args += ["--max-retries", str(retries), "--max-wait-time", "20"]
        return self._start(tag or name, *args)

    def flwr_run(self, run_config: dict, timeout: float = 120) -> int:
        overrides = " ".join(f"{k}={json.dumps(v)}" for k, v in run_config.items())
        out = self.run_cmd("flwr", "run", self.app_dir, "hospitals", "--run-config", overrides,
                           "--format", "json", timeout=timeout, check=False).stdout
        reply = _last_json(out)
        if not reply.get("success") or reply.get("run-id") is None:
            raise DeploymentError(f"flwr run failed: {out[-3000:]}")
        return int(reply["run-id"])

    def run_status(self, run_id: int) -> str:
        out = self.run_cmd("flwr", "ls", "hospitals", "--run-id", str(run_id), "--format", "json",
                           check=False).stdout
        runs = _last_json(out).get("runs", [])
        return str(runs[0].get("status", "")) if runs else ""

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.kill(signal.SIGTERM if process.alive() else signal.SIGKILL)


def _last_json(text: str) -> dict:
    try:
        return json.loads(text[text.index("{"):])
    except ValueError:
        return {}


def metrics_rounds(run_dir: Path) -> list[int]:
    path = Path(run_dir) / "metrics.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["round"] for line in path.read_text().splitlines() if line.strip()]


# ---- stage timings from the run's metrics ---------------------------------------------------------------
def stage_timings(run_dir: Path) -> dict[str, list[float]]:
    """Seconds per stage from metrics.jsonl: the nodes' `seconds` (train replies, with node-config
    report-timings), `eval-seconds`, the server's SecAgg stages and each round's total."""
    timings: dict[str, list[float]] = defaultdict(list)
    path = Path(run_dir) / "metrics.jsonl"
    for line in path.read_text().splitlines() if path.exists() else []:
        row = json.loads(line)
        for client in row.get("clients", []):
            for stage, seconds in client.get("seconds", {}).items():
                timings[f"client {stage} (train message)"].append(seconds)
        for per_node in row.get("eval-seconds", {}).values():
            for stage, seconds in per_node.items():
                timings[f"client {stage} (evaluate message)"].append(seconds)
        for stage, seconds in row.get("stage-seconds", {}).items():
            timings[f"server {stage}"].append(seconds)
        if "seconds" in row:
            timings["server round (train → committed)"].append(row["seconds"])
    return dict(timings)


def run_plain(args) -> dict:
    """The deployment end to end, no faults; returns timings."""
    root = Path(args.keep) if args.keep else Path(os.environ.get("TMPDIR", "/tmp")) / f"privatune-deploy-{os.getpid()}"
    d = Deployment(root, nodes=args.nodes)
    marks: dict[str, float] = {}
    start = time.monotonic()
    try:
        d.make_keys(), d.make_data(), d.write_flwr_config()
        d.start_superlink()
        d.write_roster({name: d.register(name) for name in d.node_names})
        for i in range(d.nodes):
            d.start_node(i, report_timings=True, policy=d.roster_policy(d.node_names[i]))
        wait_until("the SuperNodes online", lambda: sum(n.get("status") == "online" for n in d.registered()) >= d.nodes,
                   300, 2.0)
        marks["setup"] = time.monotonic() - start
        run_dir = d.root / "run"
        run_id = d.flwr_run({**TINY_RUN_CONFIG, "num-rounds": args.rounds, "run-dir": str(run_dir)})
        wait_until("the last round", lambda: args.rounds in metrics_rounds(run_dir), args.timeout, 2.0)
        wait_until("the run to finish", lambda: "finished" in d.run_status(run_id), 120, 2.0)
        marks["run"] = time.monotonic() - start - marks["setup"]
        return {"marks": marks, "stages": stage_timings(run_dir), "status": d.run_status(run_id)}
    finally:
        d.stop_all()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def _write_results(path: Path, args, result: dict) -> None:
    import platform

    import flwr

    lines = [f"\n## Deployment on one host ({time.strftime('%Y-%m-%d')}, `simulations/deployment.py`)\n",
             f"Command: `python simulations/deployment.py --nodes {args.nodes} --rounds {args.rounds} "
             f"--results {args.results}`; {platform.processor() or platform.machine()}, "
             f"{os.cpu_count()} cores, flwr {flwr.__version__}, status {result['status']}.\n",
             f"Setup {result['marks']['setup']:.1f} s, run (flwr run → finished) {result['marks']['run']:.1f} s.\n",
             "| stage | count | total s | mean s | max s |", "|---|---|---|---|---|"]
    for stage, values in sorted(result["stages"].items()):
        lines.append(f"| {stage} | {len(values)} | {sum(values):.2f} | {sum(values) / len(values):.2f} | "
                     f"{max(values):.2f} |")
    with path.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for the whole run")
    parser.add_argument("--keep", help="keep everything in this directory")
    parser.add_argument("--results", help="append the timings to this Markdown file")
    args = parser.parse_args(argv)
    result = run_plain(args)
    print(json.dumps(result, indent=2))
    if args.results:
        _write_results(Path(args.results), args, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
