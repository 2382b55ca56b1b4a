"""Flower ClientApp: load the global adapter, train locally, reply with the LoRA delta only.

The reply follows DESIGN.md contract 2: an ArrayRecord "arrays" with the LoRA delta keyed by PEFT
state-dict names (float32) and a MetricRecord "metrics" with num-examples, epsilon, delta and
train-loss. Under secure aggregation `secagg_mod` (secagg_handlers.py) wraps the train handler and
keeps the arrays on the client until they leave masked. Base weights and records never leave the client.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from flwr.app import Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

from privatune.arrays import from_array_record, to_array_record
from privatune.config import RunConfig
from privatune.data import ClientData, TokenDataset, load_client_data
from privatune.embedded import resolve_data_dir
from privatune.kernels.lora import set_per_example
from privatune.model import load_model, lora_delta, set_lora_state
from privatune.privacy.dp import BudgetExhausted, DPConfig, DPPlan, calibrate_noise, check_budget, epsilon_of
from privatune.privacy.ledger import PrivacyLedger

from .scrubbing import training_file
from .secagg_handlers import SECAGG_FLAG, secagg_mod
from .secagg_handlers import register as register_secagg
from .trainer import TrainResult, evaluate, train_local, train_local_dp

log = logging.getLogger("privatune.client")


def client_data_path(context: Context, config: RunConfig) -> Path:
    """A deployed SuperNode names its file (node-config data-path); in simulation, partition-id picks one."""
    if "data-path" in context.node_config:
        return Path(str(context.node_config["data-path"])).expanduser()
    partition = int(context.node_config.get("partition-id", 0))
    return resolve_data_dir(config) / f"client-{partition}.jsonl"


@lru_cache(maxsize=2)
def _client_data(path: str, config: RunConfig, state_dir: str) -> ClientData:
    return load_client_data(training_file(Path(path), config, Path(state_dir)), config)


def _datasets(context: Context, config: RunConfig, canaries: list[str] = ()):
    model, tokenizer = load_model(config)
    data = _client_data(str(client_data_path(context, config)), config, str(client_state_dir(context, config)))
    return (model, TokenDataset(data.train + list(canaries), tokenizer, config.max_seq_len),
            TokenDataset(data.eval, tokenizer, config.max_seq_len))


def _round_seed(config: RunConfig, server_round: int, context: Context) -> int:
    return config.seed * 100_003 + server_round * 1009 + _client_index(context)


def _client_index(context: Context) -> int:
    return int(context.node_config.get("partition-id", -1))


def client_state_dir(context: Context, config: RunConfig) -> Path:
    """The client's own disk: node-config state-dir when deployed, under the run directory in simulation."""
    if "state-dir" in context.node_config:
        return Path(str(context.node_config["state-dir"])).expanduser()
    return Path(config.run_dir) / "clients" / f"client-{_client_index(context)}"


def ledger_path(context: Context, config: RunConfig) -> Path:
    return client_state_dir(context, config) / "privacy-ledger.jsonl"


@lru_cache(maxsize=8)
def _noise_multiplier(dp: DPConfig, sample_rate: float, total_steps: int) -> float:
    return calibrate_noise(dp, sample_rate, total_steps)


def plan_dp_round(config: RunConfig, num_examples: int) -> DPPlan:
    """This round's DP-SGD: σ calibrated once for the whole planned run, q from the expected batch."""
    sample_rate = min(1.0, config.batch_size / num_examples)
    sigma = _noise_multiplier(config.dp, sample_rate, config.num_rounds * config.local_steps)
    return DPPlan(config.dp, sigma, sample_rate, config.local_steps)


def budget_refusal(ledger: PrivacyLedger, config: RunConfig, context: Context) -> MetricRecord:
    """The reply of a client whose budget this round would exceed: no step ran, nothing else is sent."""
    spent = epsilon_of(ledger.history(), config.dp.delta, config.dp.accountant)
    return MetricRecord({"num-examples": 0, "budget-exhausted": 1, "epsilon": spent, "delta": config.dp.delta,
                         "train-loss": 0.0, "client-index": _client_index(context)})


def train_dp(model, train_set, plan: DPPlan, ledger: PrivacyLedger, config: RunConfig,
             server_round: int) -> tuple[TrainResult, dict]:
    """DP-SGD for one round whose budget check has passed; (result, privacy metrics)."""
    result = train_local_dp(model, train_set, plan, ledger, lr=config.learning_rate, server_round=server_round)
    epsilon = epsilon_of(ledger.history(), plan.config.delta, plan.config.accountant)
    return result, {"epsilon": epsilon, "delta": plan.config.delta, "noise-multiplier": plan.noise_multiplier,
                    "sample-rate": plan.sample_rate}


def train_plain(model, train_set, config: RunConfig, context: Context, server_round: int) -> tuple[TrainResult, dict]:
    """Non-private local training (dp = false): no noise, no ledger, ε = ∞."""
    set_per_example(model, False)
    result = train_local(model, train_set, steps=config.local_steps, batch_size=config.batch_size,
                         lr=config.learning_rate, seed=_round_seed(config, server_round, context))
    return result, {"epsilon": float("inf"), "delta": 0.0}


def build_client_app(mods: list | None = None, **overrides) -> ClientApp:
    """A ClientApp; `overrides` (python names) win over the Flower run config (used by `privatune demo`)."""
    app = ClientApp(mods=[*(mods or []), secagg_mod])  # user mods outermost: they see what leaves

    @app.train()
    def train(msg: Message, context: Context) -> Message:
        config = RunConfig.from_flower(context.run_config, **overrides)
        server_round = int(msg.content["config"]["server-round"])
        canaries = list(msg.content["config"].get("canaries", []))  # the auditor's, trained on like records
        model, train_set, _ = _datasets(context, config, canaries)
        global_state = from_array_record(msg.content["arrays"])
        set_lora_state(model, global_state)
        if config.dp.enabled:
            ledger = PrivacyLedger(ledger_path(context, config))
            plan = plan_dp_round(config, len(train_set))
            try:
                check_budget(ledger, plan)  # refuse before any step
            except BudgetExhausted as err:
                log.warning("round %d refused: %s", server_round, err)
                return Message(RecordDict({"metrics": budget_refusal(ledger, config, context)}),
                               reply_to=msg)
            result, privacy = train_dp(model, train_set, plan, ledger, config, server_round)
        else:
            result, privacy = train_plain(model, train_set, config, context, server_round)
        metrics = MetricRecord({"num-examples": len(train_set), "train-loss": result.loss,
                                "local-steps": result.steps, "client-index": _client_index(context),
                                SECAGG_FLAG: int(config.secagg.enabled), **privacy})
        log.info("round %d: %d local steps, train loss %.4f, ε %.3f", server_round, result.steps, result.loss,
                 privacy["epsilon"])
        delta = lora_delta(model, global_state)
        return Message(RecordDict({"arrays": to_array_record(delta), "metrics": metrics}), reply_to=msg)

    @app.evaluate()
    def evaluate_(msg: Message, context: Context) -> Message:
        config = RunConfig.from_flower(context.run_config, **overrides)
        model, _, eval_set = _datasets(context, config)
        set_lora_state(model, from_array_record(msg.content["arrays"]))
        loss = evaluate(model, eval_set, batch_size=config.batch_size)
        metrics = MetricRecord({"num-examples": len(eval_set), "eval-loss": loss})
        return Message(RecordDict({"metrics": metrics}), reply_to=msg)

    register_secagg(app)  # app-level mods already wrap these handlers
    return app


app = build_client_app()
