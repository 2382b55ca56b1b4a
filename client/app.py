"""Flower ClientApp: load the global adapter, train locally, reply with the LoRA delta only.

The reply follows DESIGN.md contract 2: an ArrayRecord "arrays" with the LoRA delta keyed by PEFT
state-dict names (float32) and a MetricRecord "metrics" with num-examples, epsilon, delta and
train-loss. Base weights and records never leave the client. The node's privacy policy is applied
first (client/policy_gate.py): a run config that would loosen it is refused before anything runs.
Under DP, num-examples and the losses are DP-released (noised, in the ledger); see
docs/privacy-model.md for every value that leaves the client.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from flwr.app import Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

from privatune.config import RunConfig
from privatune.data import ClientData, TokenDataset, load_client_data
from privatune.embedded import resolve_data_dir
from privatune.kernels.lora import set_per_example
from privatune.model import get_lora_state, load_model, set_lora_state
from privatune.privacy.audit import whitebox
from privatune.privacy.dp import BudgetExhausted, DPConfig, calibrate_noise, check_budget, epsilon_of
from privatune.privacy.ledger import LedgerError
from privatune.records import from_record, to_record

from . import policy_gate as gate
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
    return resolve_data_dir(config) / f"client-{partition}.jsonl"


@lru_cache(maxsize=2)
def _client_data(path: str, config: RunConfig, state_dir: str) -> ClientData:
    return load_client_data(training_file(Path(path), config, Path(state_dir)), config)


def _datasets(context: Context, config: RunConfig, canaries: list[str] = ()):
    """(model, train set with the auditor's canaries appended, eval set, number of private train records)."""
    model, tokenizer = load_model(config)
    data = _client_data(str(client_data_path(context, config)), config, str(client_state_dir(context, config)))
    return (model, TokenDataset(data.train + list(canaries), tokenizer, config.max_seq_len),
            TokenDataset(data.eval, tokenizer, config.max_seq_len), len(data.train))


def _global_state(msg: Message) -> dict:
    return from_record(msg.content["arrays"])


def _round_seed(config: RunConfig, server_round: int, context: Context) -> int:
    return config.seed * 100_003 + server_round * 1009 + _client_index(context)


def _client_index(context: Context) -> int:
    return int(context.node_config.get("partition-id", -1))


def client_state_dir(context: Context, config: RunConfig) -> Path:
    """The node's own state for its data file (scrubbed copy): under its policy's state root, never the run dir."""
    return gate.state_dir(context, client_data_path(context, config))


@lru_cache(maxsize=8)
def _noise_multiplier(dp: DPConfig, sample_rate: float, total_steps: int, releases: int) -> float:
    return calibrate_noise(dp, sample_rate, total_steps, releases)


def _train_dp(model, train_set, n_private: int, config: RunConfig, context: Context, server_round: int, ledger):
    """DP-SGD for one round with DP-released statistics, or the refusal reply's numbers.

    Order: the example count (released once per dataset) → the sample rate from it → σ for the whole
    planned run with its released statistics → the budget check of this round (steps + its train
    loss) → the steps → the white-box audit of their noise → the noised train-loss sum.
    """
    dp = DPConfig.from_run_config(config.to_flower())
    stats = gate.DPStatistics(dp, ledger, server_round)
    canaries = len(train_set) - n_private  # the auditor's, known to the server
    spent = lambda: epsilon_of(ledger.history(), dp.delta, dp.accountant)  # noqa: E731
    try:
        stats.afford(stats.pending("train"))
        count = stats.count("train", n_private) + canaries  # DP-released: the only size the server sees
        sample_rate = min(1.0, config.batch_size / count)
        sigma = _noise_multiplier(dp, sample_rate, config.num_rounds * config.local_steps, gate.planned_releases(config))
        check_budget(ledger, dp, sigma, sample_rate, config.local_steps, releases=1)
    except BudgetExhausted as err:
        return str(err), {"budget-exhausted": 1, "epsilon": spent(), "delta": dp.delta}
    result = train_local_dp(model, train_set, steps=config.local_steps, sample_rate=sample_rate,
                            lr=config.learning_rate, dp=dp, noise_multiplier=sigma, ledger=ledger,
                            server_round=server_round, dataset_size=count)
    privacy = {"epsilon": spent(), "delta": dp.delta, "noise-multiplier": sigma, "sample-rate": sample_rate}
    if result.canaries is not None:
        audit = whitebox.audit(result.canaries, sigma, dp.max_grad_norm, sample_rate, dp.delta, dp.accountant)
        privacy.update({"whitebox-epsilon": audit["epsilon_hat"], "whitebox-epsilon-max": audit["epsilon_hat_max"],
                        "whitebox-epsilon-claimed": audit["epsilon_claimed"],
                        "whitebox-failed": int(audit["status"] == "fail")})
        if audit["status"] == "fail":  # the noise is not what the ledger says: release nothing of this round
            reason = (f"white-box audit: the DP-SGD steps of round {server_round} show ε̂ = {audit['epsilon_hat']:.2f} "
                      f"> ε = {audit['epsilon_claimed']:.2f} claimed for them (measured σ̂ = {audit['sigma_hat'] or 0:.3f}, "
                      f"configured σ = {sigma:.3f}): the noise or clipping is broken; nothing of this round is sent")
            return reason, {**privacy, "epsilon": spent()}
    loss = stats.loss_sum(result.clipped_loss_sum) / max(sample_rate * count, 1e-9)
    return result, {**privacy, "epsilon": spent(), "num-examples": count, "train-loss": loss}


def build_client_app(mods: list | None = None, **overrides) -> ClientApp:
    """A ClientApp; `overrides` (python names) win over the Flower run config (used by `privatune demo`)."""
    app = ClientApp(mods=mods or [])

    @app.train()
    def train(msg: Message, context: Context) -> Message:
        server_round = int(msg.content["config"]["server-round"])
        try:
            config = gate.gate_config(context, RunConfig.from_flower(context.run_config, **overrides))
        except gate.PolicyRefused as err:  # before any data is read or step is run
            return gate.refusal(msg, str(err), "train", **{"client-index": _client_index(context)})
        canaries = list(msg.content["config"].get("canaries", []))  # the auditor's, trained on like records
        model, train_set, _, n_private = _datasets(context, config, canaries)
        global_state = _global_state(msg)
        set_lora_state(model, global_state)
        if config.dp:
            try:
                with gate.open_ledger(context, config, client_data_path(context, config)) as ledger:
                    result, privacy = _train_dp(model, train_set, n_private, config, context, server_round, ledger)
            except LedgerError as err:  # locked by another process, or damaged: spend nothing
                return gate.refusal(msg, f"refused: ledger {err}", "train", **{"client-index": _client_index(context)})
            if isinstance(result, str):  # budget exhausted, or the white-box audit failed
                return gate.refusal(msg, result, "train", **{"client-index": _client_index(context)}, **privacy)
            weight, loss = privacy.pop("num-examples"), privacy.pop("train-loss")
        else:
            set_per_example(model, False)
            result = train_local(model, train_set, steps=config.local_steps, batch_size=config.batch_size,
                                 lr=config.learning_rate, seed=_round_seed(config, server_round, context))
            privacy = {"epsilon": float("inf"), "delta": 0.0}
            weight, loss = len(train_set), result.loss
        local = get_lora_state(model)
        delta = {k: local[k] - global_state[k] for k in global_state}
        metrics = MetricRecord({"num-examples": weight, "train-loss": loss,
                                "local-steps": result.steps, "client-index": _client_index(context),
                                "secure-aggregation": int(config.secure_aggregation), **privacy})
        log.info("round %d: %d local steps, ε %.3f", server_round, result.steps, privacy["epsilon"])
        if config.secure_aggregation:  # the delta leaves only masked, in the secagg_mask stage
            stash_input(context, delta, weight=weight, round=server_round)
            return Message(RecordDict({"metrics": metrics}), reply_to=msg)
        return Message(RecordDict({"arrays": to_record(delta), "metrics": metrics}), reply_to=msg)

    @app.evaluate()
    def evaluate_(msg: Message, context: Context) -> Message:
        server_round = int(msg.content["config"]["server-round"])
        try:
            config = gate.gate_config(context, RunConfig.from_flower(context.run_config, **overrides))
        except gate.PolicyRefused as err:
            return gate.refusal(msg, str(err), "evaluate")
        model, _, eval_set, _ = _datasets(context, config)
        set_lora_state(model, _global_state(msg))
        if not config.dp:
            loss = evaluate(model, eval_set, batch_size=config.batch_size)
            return Message(RecordDict({"metrics": MetricRecord({"num-examples": len(eval_set), "eval-loss": loss})}),
                           reply_to=msg)
        dp = DPConfig.from_run_config(config.to_flower())
        try:  # held-out records are the client's records too: released through the ledger
            with gate.open_ledger(context, config, client_data_path(context, config)) as ledger:
                stats = gate.DPStatistics(dp, ledger, server_round)
                stats.afford(1 + stats.pending("eval"))
                count = stats.count("eval", len(eval_set))
                loss = stats.loss_sum(gate.clipped_eval_sum(model, eval_set, config.batch_size, dp)) / count
        except (BudgetExhausted, LedgerError) as err:
            return gate.refusal(msg, f"refused: {err}", "evaluate")
        return Message(RecordDict({"metrics": MetricRecord({"num-examples": count, "eval-loss": loss})}), reply_to=msg)

    register_secagg(app)  # app-level mods already wrap these handlers
    return app


app = build_client_app()
