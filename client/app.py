"""Flower ClientApp: load the global adapter, train locally, reply with the LoRA delta only.

The reply follows DESIGN.md contract 2: an ArrayRecord "arrays" with the LoRA delta keyed by PEFT
state-dict names (float32) and a MetricRecord "metrics" with num-examples, epsilon, delta and
train-loss. Base weights and records never leave the client.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from flwr.app import Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

from privatune.config import RunConfig
from privatune.data import ClientData, TokenDataset, load_client_data
from privatune.embedded import client_file, resolve_data_dir
from privatune.kernels.lora import set_per_example
from privatune.model import get_lora_state, load_model, set_lora_state
from privatune.privacy.dp import BudgetExhausted, DPConfig, calibrate_noise, check_budget, epsilon_of
from privatune.privacy.ledger import PrivacyLedger
from privatune.records import from_record, to_record

from .scrubbing import training_file
from .secagg_handlers import register as register_secagg
from .secagg_handlers import stash_input
from .trainer import evaluate, train_local, train_local_dp

log = logging.getLogger("privatune.client")


def client_data_path(context: Context, config: RunConfig) -> Path:
    """A deployed SuperNode names its file (node-config data-path); in simulation, partition-id picks one."""
    if "data-path" in context.node_config:
        return Path(str(context.node_config["data-path"])).expanduser()
    partition = int(context.node_config.get("partition-id", 0))
    return client_file(resolve_data_dir(config), partition)


@lru_cache(maxsize=2)
def _client_data(path: str, config: RunConfig, state_dir: str) -> ClientData:
    return load_client_data(training_file(Path(path), config, Path(state_dir)), config)


def _datasets(context: Context, config: RunConfig, canaries: list[str] = ()):
    model, tokenizer = load_model(config)
    data = _client_data(str(client_data_path(context, config)), config, str(client_state_dir(context, config)))
    return (model, TokenDataset(data.train + list(canaries), tokenizer, config.max_seq_len),
            TokenDataset(data.eval, tokenizer, config.max_seq_len))


def _global_state(msg: Message) -> dict:
    return from_record(msg.content["arrays"])


def _round_seed(config: RunConfig, server_round: int, context: Context) -> int:
    return config.seed * 100_003 + server_round * 1009 + _client_index(context)


def _client_index(context: Context) -> int:
    return int(context.node_config.get("partition-id", -1))


def client_state_dir(context: Context, config: RunConfig) -> Path:
    """The client's own disk: node-config state-dir when deployed, under the run directory in simulation."""
    if "state-dir" in context.node_config:
        return Path(str(context.node_config["state-dir"])).expanduser()
    return Path(config.run_dir) / "clients" / f"client-{_client_index(context)}"


def step_progress(context: Context, config: RunConfig, server_round: int):
    """Step counts and tokens/s in the client's state dir, which `privatune demo` shows (numbers only)."""
    from privatune.logs import PROGRESS_FILE, ProgressFile

    path = client_state_dir(context, config) / PROGRESS_FILE
    return ProgressFile(path, f"round {server_round}/{config.num_rounds}").step


def ledger_path(context: Context, config: RunConfig) -> Path:
    return client_state_dir(context, config) / "privacy-ledger.jsonl"


@lru_cache(maxsize=8)
def _noise_multiplier(dp: DPConfig, sample_rate: float, total_steps: int) -> float:
    return calibrate_noise(dp, sample_rate, total_steps)


def _train_dp(model, train_set, config: RunConfig, context: Context, server_round: int):
    """DP-SGD for one round, or the refusal MetricRecord when the budget would be exceeded."""
    dp = DPConfig.from_run_config(config.to_flower())
    ledger = PrivacyLedger(ledger_path(context, config))
    sample_rate = min(1.0, config.batch_size / len(train_set))
    sigma = _noise_multiplier(dp, sample_rate, config.num_rounds * config.local_steps)
    try:
        check_budget(ledger, dp, sigma, sample_rate, config.local_steps)
    except BudgetExhausted as err:
        log.warning("round %d refused: %s", server_round, err)
        spent = epsilon_of(ledger.history(), dp.delta, dp.accountant)
        return MetricRecord({"num-examples": 0, "budget-exhausted": 1, "epsilon": spent, "delta": dp.delta,
                             "train-loss": 0.0, "client-index": _client_index(context)})
    result = train_local_dp(model, train_set, steps=config.local_steps, sample_rate=sample_rate,
                            lr=config.learning_rate, dp=dp, noise_multiplier=sigma, ledger=ledger,
                            server_round=server_round, on_step=step_progress(context, config, server_round))
    epsilon = epsilon_of(ledger.history(), dp.delta, dp.accountant)
    return result, {"epsilon": epsilon, "delta": dp.delta, "noise-multiplier": sigma, "sample-rate": sample_rate}


def build_client_app(mods: list | None = None, **overrides) -> ClientApp:
    """A ClientApp; `overrides` (python names) win over the Flower run config (used by `privatune demo`)."""
    app = ClientApp(mods=mods or [])

    @app.train()
    def train(msg: Message, context: Context) -> Message:
        config = RunConfig.from_flower(context.run_config, **overrides)
        server_round = int(msg.content["config"]["server-round"])
        canaries = list(msg.content["config"].get("canaries", []))  # the auditor's, trained on like records
        model, train_set, _ = _datasets(context, config, canaries)
        global_state = _global_state(msg)
        set_lora_state(model, global_state)
        if config.dp:
            outcome = _train_dp(model, train_set, config, context, server_round)
            if isinstance(outcome, MetricRecord):  # budget exhausted: refuse before any step
                return Message(RecordDict({"metrics": outcome}), reply_to=msg)
            result, privacy = outcome
        else:
            set_per_example(model, False)
            result = train_local(model, train_set, steps=config.local_steps, batch_size=config.batch_size,
                                 lr=config.learning_rate, seed=_round_seed(config, server_round, context),
                                 on_step=step_progress(context, config, server_round))
            privacy = {"epsilon": float("inf"), "delta": 0.0}
        local = get_lora_state(model)
        delta = {k: local[k] - global_state[k] for k in global_state}
        metrics = MetricRecord({"num-examples": len(train_set), "train-loss": result.loss,
                                "local-steps": result.steps, "client-index": _client_index(context),
                                "secure-aggregation": int(config.secure_aggregation), **privacy})
        log.info("round %d: %d local steps, train loss %.4f, ε %.3f", server_round, result.steps, result.loss,
                 privacy["epsilon"])
        if config.secure_aggregation:  # the delta leaves only masked, in the secagg_mask stage
            stash_input(context, delta, weight=len(train_set), round=server_round)
            return Message(RecordDict({"metrics": metrics}), reply_to=msg)
        return Message(RecordDict({"arrays": to_record(delta), "metrics": metrics}), reply_to=msg)

    @app.evaluate()
    def evaluate_(msg: Message, context: Context) -> Message:
        config = RunConfig.from_flower(context.run_config, **overrides)
        model, _, eval_set = _datasets(context, config)
        set_lora_state(model, _global_state(msg))
        loss = evaluate(model, eval_set, batch_size=config.batch_size)
        metrics = MetricRecord({"num-examples": len(eval_set), "eval-loss": loss})
        return Message(RecordDict({"metrics": metrics}), reply_to=msg)

    register_secagg(app)  # app-level mods already wrap these handlers
    return app


app = build_client_app()
