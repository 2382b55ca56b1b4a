"""`privatune train DATA`: one site fine-tunes on its own records, with no federation and no server.

The same pipeline as a federated client, in one process: scrub (client.scrubbing) → DP-SGD
(client.trainer + privacy.dp) → privacy ledger → canary audit (server.auditing) → signed log and
report (privacy.report). The run directory has the federated layout (config.json, metrics.jsonl,
adapters/round-N, audit.log, report/), so `privatune report` and `privatune export` work on it, and
an interrupted run resumes after its last committed round. A "round" here is `local-steps` steps
followed by an evaluation and a checkpoint.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path

from privatune.config import RunConfig

log = logging.getLogger("privatune.train")

SITE = 0  # the site's index: the canary group and the client slot in metrics


def site_state_dir(config: RunConfig) -> Path:
    """The site's own disk: scrubbed copy and ledger (swappable for a node state dir)."""
    return Path(config.run_dir) / "clients" / f"client-{SITE}"


def site_ledger(config: RunConfig, data_path: Path):
    """The lifetime ledger of these records (privacy/policy.py: the state root, keyed by the records'
    SHA-256), the same one a federated client over the same file charges: never under the run dir."""
    from privatune.client.policy_gate import records_id
    from privatune.privacy.ledger import PrivacyLedger
    from privatune.privacy.policy import ClientPolicy

    return PrivacyLedger(ClientPolicy().ledger_path(records_id(data_path)))


def site_config(data: Path, config: RunConfig) -> RunConfig:
    """One site: one canary group, no secure aggregation; the data file is part of the run's identity."""
    return config.replace(data_dir=str(Path(data).expanduser().resolve()), num_clients=1, min_clients=1,
                          secure_aggregation=False)


def _dp_round(model, train_set, config: RunConfig, ledger, server_round: int, on_step):
    """The federated client's DP round (client.rounds): plan, budget check first, train; None if refused."""
    from privatune.client.rounds import plan_dp_round
    from privatune.client.trainer import train_local_dp
    from privatune.privacy.dp import BudgetExhausted, check_budget, epsilon_of

    plan = plan_dp_round(config, len(train_set))  # nothing is released to anyone: no statistics to account
    try:
        check_budget(ledger, plan)
    except BudgetExhausted as err:
        log.warning("round %d refused: %s", server_round, err)
        return None
    result = train_local_dp(model, train_set, plan, ledger, lr=config.learning_rate, server_round=server_round,
                            on_step=on_step)
    epsilon = epsilon_of(ledger.history(), plan.config.delta, plan.config.accountant)
    return result, {"epsilon": epsilon, "delta": plan.config.delta, "noise-multiplier": plan.noise_multiplier,
                    "sample-rate": plan.sample_rate}


def train_site(data: str | Path, config: RunConfig, progress=None, on_round=None):
    """Train on one data file; returns the RunDir. `progress(label)` gives a trainer.OnStep context."""
    from privatune.client.rounds import train_plain
    from privatune.client.scrubbing import training_file
    from privatune.client.trainer import evaluate
    from privatune.data import TokenDataset, load_client_data
    from privatune.model import get_lora_state, initial_lora_state, load_model, set_lora_state
    from privatune.server.app import _final_audit
    from privatune.server.auditing import RunAuditor
    from privatune.server.rundir import RunDir

    data = Path(data).expanduser()
    config = site_config(data, config)
    rundir = RunDir(config.run_dir)
    last = rundir.open(config)
    model, tokenizer = load_model(config)
    auditor = RunAuditor(rundir, config, model, tokenizer)
    records = load_client_data(training_file(data, config, site_state_dir(config)), config)
    canaries = auditor.canaries_for([SITE]).get(SITE, [])
    train_set = TokenDataset(records.train + list(canaries), tokenizer, config.max_seq_len)
    eval_set = TokenDataset(records.eval, tokenizer, config.max_seq_len)
    ledger = site_ledger(config, data) if config.dp.enabled else None

    def commit(server_round: int, state: dict, metrics: dict) -> None:
        from privatune.model import save_adapter

        rundir.commit(server_round, lambda tmp: save_adapter(model, state, tmp), metrics)
        auditor.round_committed(server_round, metrics)
        if on_round:
            on_round(server_round, metrics)

    if last < 0:
        state = initial_lora_state(model)
        set_lora_state(model, state)
        commit(0, state, {"eval-loss": evaluate(model, eval_set, batch_size=config.batch_size),
                          "eval-examples": len(eval_set)})
        last = 0
    else:
        state = rundir.load_adapter_state(last)
        log.info("resuming %s after round %d", rundir.path, last)
    for server_round in range(last + 1, config.num_rounds + 1):
        started = time.monotonic()
        set_lora_state(model, state)
        label = f"round {server_round}/{config.num_rounds}"
        with (progress(label) if progress else _no_progress()) as bar:
            on_step = bar.step if bar is not None else None
            if config.dp.enabled:
                outcome = _dp_round(model, train_set, config, ledger, server_round, on_step)
                if outcome is None:
                    reason = f"the privacy budget is spent; the run ends after round {server_round - 1}"
                    rundir.stop(server_round - 1, reason)
                    auditor.log.append("run-stopped", after_round=server_round - 1, reason="privacy budget spent")
                    break
                result, privacy = outcome
            else:
                result, privacy = train_plain(model, train_set, config, config.seed * 100_003 + server_round,
                                              on_step)
                privacy["epsilon"] = None  # JSON has no infinity: no DP → null, as the server writes it
        state = get_lora_state(model)
        client = {"node": SITE, "client-index": SITE, "name": "site", "num-examples": len(train_set),
                  "train-loss": result.loss, **privacy}
        metrics = {"train-loss": result.loss, "clients": [client],
                   "eval-loss": evaluate(model, eval_set, batch_size=config.batch_size),
                   "eval-examples": len(eval_set), "seconds": round(time.monotonic() - started, 3)}
        commit(server_round, state, metrics)
    if ledger is not None:
        ledger.close()  # exclusive while training; free for the next run over these records
    final = rundir.last_round()
    _final_audit(auditor, rundir, final, state)
    if final == config.num_rounds:
        auditor.log.append("run-finished", rounds=config.num_rounds)
    return rundir


class _no_progress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("train", help="DP fine-tune on one site's own records (no federation)")
    p.add_argument("data", help="a .jsonl, .csv or .parquet file of records (text, or instruction/response)")
    p.add_argument("--run-dir", default=None, help="where adapters, ledger, audit and report go (default runs/train)")
    p.add_argument("--rounds", type=int, default=None, help="checkpoints (each: local-steps steps, then eval)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="any run-config key, e.g. --set model=/models/llama --set target-epsilon=4")
    p.set_defaults(func=_cmd_train)


def _cmd_train(args) -> int:
    from privatune.demo import parse_sets, print_summary
    from privatune.logs import StepProgress, setup
    from privatune.model import check_model_dir, resolve_model_dir
    from privatune.privacy.report.build import build_report
    from privatune.server.auditing import signing_key_path
    from privatune.tracking import Tracker

    values = {"run-dir": "runs/train", **parse_sets(args.set)}
    if args.run_dir:
        values["run-dir"] = args.run_dir
    if args.rounds is not None:
        values["num-rounds"] = args.rounds
    config = RunConfig.from_flower(values)
    check_model_dir(resolve_model_dir(config))
    from privatune.data import load_texts

    load_texts(args.data, config)  # bad input fails now, before the model loads
    setup(config.run_dir, debug=getattr(args, "debug", False))
    started = time.monotonic()
    tracker = Tracker(config.run_dir)

    def on_round(server_round: int, metrics: dict) -> None:
        tracker.round(server_round, metrics)
        print(_round_line(server_round, config.num_rounds, metrics), flush=True)

    try:
        rundir = train_site(args.data, config, progress=lambda label: StepProgress(label), on_round=on_round)
    finally:
        tracker.close()
    _, html = build_report(rundir.path, signing_key=signing_key_path(config))
    return print_summary(rundir, site_config(Path(args.data), config), html, started)


def _round_line(server_round: int, total: int, metrics: dict) -> str:
    parts = [f"round {server_round}/{total}"]
    if metrics.get("train-loss") is not None:
        parts.append(f"train loss {metrics['train-loss']:.4f}")
    if metrics.get("eval-loss") is not None:
        parts.append(f"eval loss {metrics['eval-loss']:.4f}")
    eps = [c["epsilon"] for c in metrics.get("clients", []) if c.get("epsilon") is not None]
    if eps:
        parts.append(f"ε {max(eps):.2f}")
    if metrics.get("seconds"):
        parts.append(f"{metrics['seconds']:.0f} s")
    return " · ".join(parts)
