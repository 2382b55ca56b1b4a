"""`privatune demo`: the whole federation in-process on Flower's Simulation Engine (Ray backend).

With no options it uses the embedded defaults: the tiny Llama model and synthetic hospital/bank
records for 3 clients. `--set key=value` takes any run-config key (as `flwr run --run-config`), so
the same command simulates a federation on a user's own model directory and data files.
Inputs are checked before Flower starts, so a bad path fails in a second with a clear message.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from privatune.config import ConfigError, RunConfig


def prepare(config: RunConfig) -> tuple[Path, list[Path]]:
    """Create the embedded defaults if needed and check model and every client's data file."""
    from privatune.data import load_texts
    from privatune.embedded import resolve_data_dir
    from privatune.model import check_model_dir, resolve_model_dir

    model_dir = resolve_model_dir(config)
    check_model_dir(model_dir)
    data_dir = resolve_data_dir(config)
    files = [data_dir / f"client-{i}.jsonl" for i in range(config.num_clients)]
    for path in files:
        load_texts(path, config)
    return model_dir, files


def client_resources(config: RunConfig) -> dict[str, float]:
    """Ray resources of each simulated client: run-config keys `client-cpus` (default 1) and `client-gpus` (0).

    Ray runs as many clients at once as the machine's CPUs (GPUs) divide by these: on 2 cores with
    the default of 1 CPU only 2 of 3 clients train at once; `client-cpus=0.5` runs 4 side by side.
    """
    resources = {}
    for key, name, default in (("client-cpus", "num_cpus", 1.0), ("client-gpus", "num_gpus", 0.0)):
        value = config.extra.get(key, default)
        try:
            resources[name] = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"run-config '{key}' must be a number, got {value!r}") from None
        if resources[name] < 0 or (name == "num_cpus" and resources[name] == 0):
            raise ConfigError(f"run-config '{key}' must be {'> 0' if name == 'num_cpus' else '≥ 0'}, got {value!r}")
    return resources


def run_simulation(config: RunConfig, on_round=None, verbose: bool = False, client_mods=None) -> None:
    """Run the ServerApp and `num-clients` ClientApps on Flower's Simulation Engine."""
    from flwr.simulation import run_simulation as flwr_run_simulation

    from privatune.client.app import build_client_app
    from privatune.server.app import build_server_app

    overrides = {k.replace("-", "_"): v for k, v in config.to_flower().items() if k not in config.extra}
    if not verbose:
        logging.getLogger("flwr").setLevel(logging.WARNING)
    flwr_run_simulation(
        server_app=build_server_app(on_round=on_round, **overrides),
        client_app=build_client_app(mods=client_mods, **overrides),
        num_supernodes=config.num_clients,
        backend_config={"client_resources": client_resources(config),
                        "init_args": {"logging_level": logging.ERROR, "log_to_driver": verbose}},
        verbose_logging=verbose,
    )


def parse_sets(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--set expects key=value, got '{item}'")
        out[key.strip()] = value.strip().strip('"')
    return out


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("demo", help="run a federated QLoRA fine-tuning in-process (Flower simulation)")
    p.add_argument("--run-dir", default=None, help="where adapters, metrics and logs go (default runs/demo)")
    p.add_argument("--rounds", type=int, default=None, help="number of federated rounds")
    p.add_argument("--clients", type=int, default=None, help="number of simulated clients")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="any run-config key, e.g. --set local-steps=20 --set model=/models/llama")
    p.add_argument("--verbose", action="store_true", help="show Flower and Ray logs")
    p.set_defaults(func=_cmd_demo)


def _cmd_demo(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console()
    values = parse_sets(args.set)
    for key, value in (("run-dir", args.run_dir), ("num-rounds", args.rounds), ("num-clients", args.clients)):
        if value is not None:
            values[key] = value
    config = RunConfig.from_flower(values)
    started = time.monotonic()
    with console.status("checking model and data (creating the embedded defaults on first use)"):
        model_dir, files = prepare(config)
    console.print(f"model: {model_dir}\ndata:  {files[0].parent} ({len(files)} clients)")

    progress = Progress(TextColumn("[bold]federated rounds"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TextColumn("{task.fields[status]}"), TimeElapsedColumn(), console=console)
    task = progress.add_task("rounds", total=config.num_rounds, status="starting Flower simulation")

    def on_round(server_round: int, metrics: dict, state: dict) -> None:
        status = f"eval loss {metrics['eval-loss']:.4f}" if "eval-loss" in metrics else "resumed"
        progress.update(task, completed=server_round, status=status)

    with progress:
        run_simulation(config, on_round=on_round, verbose=args.verbose)

    from privatune.server.auditing import signing_key_path
    from privatune.server.rundir import RunDir

    rundir = RunDir(config.run_dir)
    history = rundir.metrics()
    stopped = rundir.stopped()
    if stopped:
        console.print(f"[yellow]{stopped['reason']}")
    elif not history or history[-1]["round"] != config.num_rounds:
        console.print(f"[red]the run stopped before round {config.num_rounds}; see the log above. "
                      f"Re-run the same command to resume from {rundir.path}.")
        return 1
    console.print(f"eval loss: {history[0]['eval-loss']:.4f} (round 0) → {history[-1]['eval-loss']:.4f} "
                  f"(round {history[-1]['round']}) in {time.monotonic() - started:.0f} s")
    epsilons = [c["epsilon"] for c in history[-1].get("clients", []) if c.get("epsilon") is not None]
    if epsilons:
        console.print(f"privacy: DP-SGD, ε ≤ {max(epsilons):.2f} per client (δ = {history[-1]['clients'][0]['delta']:g}, "
                      f"target ε = {config.dp.target_epsilon}); ledgers in {rundir.path / 'clients'}")
    else:
        console.print("privacy: DP off (dp = false)")
    secure = [m["secure-aggregation"] for m in history if "secure-aggregation" in m]
    if secure:
        console.print(f"secure aggregation: SecAgg+, the server saw only sums of {min(s['survivors'] for s in secure)}+ "
                      "masked deltas")
    else:
        console.print("secure aggregation: off (plain deltas were sent)")
    audits = sorted((rundir.path / "audit").glob("round-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    if audits:
        result = json.loads(audits[-1].read_text())
        console.print(f"audit: ε̂ = {result['epsilon_lower_bound']:.2f} from {result['num_canaries']} canaries "
                      f"({result['verdict']['status']}); the canaries could show at most "
                      f"{result['epsilon_lower_bound_max']:.2f}")
    from privatune.privacy.report.build import build_report

    _, html = build_report(rundir.path, signing_key=signing_key_path(config))
    console.print(f"report:  {html}  (check it: privatune report verify {rundir.path})")
    console.print(f"adapter: {rundir.adapter_dir(history[-1]['round'])}\nmetrics: {rundir.path / 'metrics.jsonl'}\n"
                  f"config:  {rundir.path / 'config.json'}")
    return 0
