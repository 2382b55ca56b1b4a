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
    from privatune.embedded import client_file, resolve_data_dir
    from privatune.model import check_model_dir, resolve_model_dir

    model_dir = resolve_model_dir(config)
    check_model_dir(model_dir)
    data_dir = resolve_data_dir(config)
    files = [client_file(data_dir, i) for i in range(config.num_clients)]
    for path in files:
        load_texts(path, config)
    return model_dir, files


def client_resources(config: RunConfig) -> dict[str, float]:
    """Ray resources of each simulated client: run-config `client-cpus` (default 1) and `client-gpus`.

    Ray runs as many clients at once as the machine's CPUs (GPUs) divide by these: on 2 cores with
    the default of 1 CPU only 2 of 3 clients train at once; `client-cpus=0.5` runs 4 side by side.
    """
    return {"num_cpus": float(config.client_cpus), "num_gpus": client_gpus(config)}


def _ledger_root():
    from privatune.privacy.policy import ClientPolicy

    return ClientPolicy().state_root() / "ledgers"  # per data set, for life: never under the run dir


def run_simulation(config: RunConfig, on_round=None, verbose: bool = False, client_mods=None) -> None:
    """Run the ServerApp and `num-clients` ClientApps on Flower's Simulation Engine."""
    from flwr.simulation import run_simulation as flwr_run_simulation

    from privatune.client.app import build_client_app
    from privatune.logs import quiet_third_party
    from privatune.server.app import build_server_app

    quiet_third_party()  # again: importing flwr.simulation put its own warning filter in front

    overrides = {k.replace("-", "_"): v for k, v in config.to_flower().items() if k not in config.extra}
    if not verbose:  # the deprecation banner of run_simulation is dropped in privatune.logs
        logging.getLogger("flwr").setLevel(logging.WARNING)
    flwr_run_simulation(
        server_app=build_server_app(on_round=on_round, **overrides),
        client_app=build_client_app(mods=client_mods, **overrides),
        num_supernodes=config.num_clients,
        backend_config={"client_resources": client_resources(config),
                        "init_args": {"logging_level": logging.ERROR, "log_to_driver": verbose}},
        verbose_logging=verbose,
    )


def client_gpus(config: RunConfig) -> float:
    """GPUs per simulated client (Ray's `num_gpus`): run-config client-gpus, or with -1 (auto) on a CUDA
    machine 0.5 (two clients share each GPU; one client alone gets a whole GPU), else 0 (CPU).

    A client given 0 GPUs does not see the GPU at all (Ray hides it), so on a CUDA machine auto must
    give each client a share, or the clients would train on the CPU next to an idle GPU.
    """
    if config.client_gpus >= 0:
        return float(config.client_gpus)
    import torch

    if not torch.cuda.is_available():
        return 0.0
    return 1.0 if config.num_clients == 1 else 0.5


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

    from privatune.logs import ProgressWatcher, setup
    from privatune.stopping import stop_children_on_interrupt
    from privatune.tracking import Tracker

    console = Console()
    values = parse_sets(args.set)
    for key, value in (("run-dir", args.run_dir), ("num-rounds", args.rounds), ("num-clients", args.clients)):
        if value is not None:
            values[key] = value
    config = RunConfig.from_flower(values)
    started = time.monotonic()
    with console.status("checking model and data (creating the embedded defaults on first use)"):
        model_dir, files = prepare(config)
    log_file = setup(config.run_dir, debug=getattr(args, "debug", False))
    console.print(f"model: {model_dir}\ndata:  {files[0].parent} ({len(files)} clients)\nlog:   {log_file}")
    stop_children_on_interrupt(f"stopped; run the same command again to resume from {config.run_dir}")
    tracker = Tracker(config.run_dir)
    round_started = [time.monotonic()]

    def on_round(server_round: int, metrics: dict, state: dict) -> None:
        from privatune.single_site import _round_line

        if metrics.get("resumed"):
            console.print(f"resuming after round {server_round}")
        else:
            tracker.round(server_round, metrics)
            console.print(_round_line(server_round, config.num_rounds, metrics))
        round_started[0] = time.monotonic()

    console.print(f"starting {config.num_clients} clients (Flower simulation) for {config.num_rounds} rounds")
    try:
        with ProgressWatcher(config.run_dir, console=console):
            run_simulation(config, on_round=on_round, verbose=args.verbose)
    finally:
        tracker.close()

    from privatune.server.auditing import signing_key_path
    from privatune.server.rundir import RunDir

    from privatune.privacy.report.build import build_report

    rundir = RunDir(config.run_dir)
    _, html = build_report(rundir.path, signing_key=signing_key_path(config))
    return print_summary(rundir, config, html, started, console)


def print_summary(rundir, config: RunConfig, html: Path, started: float, console=None) -> int:
    """What ran and where everything is (the demo's and `privatune train`'s last lines)."""
    from rich.console import Console

    console = console or Console()
    history = rundir.metrics()
    stopped = rundir.stopped()
    if stopped:
        console.print(f"[yellow]{stopped['reason']}")
    elif not history or history[-1]["round"] != config.num_rounds:
        console.print(f"[red]the run stopped before round {config.num_rounds}; see {rundir.path / 'privatune.log'}. "
                      f"Re-run the same command to resume from {rundir.path}.")
        return 1
    console.print(f"eval loss: {history[0]['eval-loss']:.4f} (round 0) → {history[-1]['eval-loss']:.4f} "
                  f"(round {history[-1]['round']}) in {time.monotonic() - started:.0f} s")
    last_clients = history[-1].get("clients", [])
    epsilons = [c["epsilon"] for c in last_clients if c.get("epsilon") is not None]
    if epsilons:
        console.print(f"privacy: DP-SGD, ε ≤ {max(epsilons):.2f} per client (δ = {last_clients[0]['delta']:g}, "
                      f"target ε = {config.dp.target_epsilon}); lifetime ledgers in {_ledger_root()}")
    else:
        console.print("privacy: DP off (dp = false)")
    secure = [m["secure-aggregation"] for m in history if "secure-aggregation" in m]
    if secure:
        console.print(f"secure aggregation: SecAgg+, the server saw only sums of {min(s['survivors'] for s in secure)}+ "
                      "masked deltas")
    elif config.num_clients > 1:
        console.print("secure aggregation: off (plain deltas were sent)")
    audits = sorted((rundir.path / "audit").glob("round-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    if audits:
        result = json.loads(audits[-1].read_text())
        console.print(f"audit: ε̂ = {result['epsilon_lower_bound']:.2f} from {result['num_canaries']} canaries "
                      f"({result['verdict']['status']}); the canaries could show at most "
                      f"{result['epsilon_lower_bound_max']:.2f}")
    console.print(f"report:  {html}  (check it: privatune report verify {rundir.path})")
    console.print(f"adapter: {rundir.adapter_dir(history[-1]['round'])}  (release it: privatune export {rundir.path})\n"
                  f"metrics: {rundir.path / 'metrics.jsonl'}  (tensorboard --logdir {rundir.path / 'tensorboard'})\n"
                  f"config:  {rundir.path / 'config.json'}")
    return 0
