"""What one train or evaluate message does on a client (client/app.py routes the messages here and
states the reply contract): the node's policy, the global adapter, DP-SGD or plain local steps, the
DP-released numbers, and a repeated request answered from client/replay.py.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from flwr.app import Context, Message, MetricRecord, RecordDict

from privatune import timing
from privatune.arrays import from_array_record, to_array_record
from privatune.timing import stage
from privatune.config import RunConfig
from privatune.data import ClientData, TokenDataset, load_client_data
from privatune.embedded import client_file, resolve_data_dir
from privatune.kernels.lora import set_per_example
from privatune.model import load_model, lora_delta, set_lora_state
from privatune.privacy.audit import whitebox
from privatune.privacy.dp import BudgetExhausted, DPConfig, DPPlan, calibrate_noise, check_budget, epsilon_of
from privatune.privacy.ledger import LedgerError, PrivacyLedger

from privatune.privacy.policy import PolicyError

from . import policy_gate as gate
from . import replay
from .quality import DataQualityRefused, check_rejects, summary_of, to_metrics
from .scrubbing import training_file
from .secagg_handlers import SECAGG_FLAG
from .trainer import TrainResult, evaluate, train_local, train_local_dp

log = logging.getLogger("privatune.client")


def client_data_path(context: Context, config: RunConfig) -> Path:
    """A deployed SuperNode names its file (node-config data-path); in simulation, partition-id picks one."""
    if "data-path" in context.node_config:
        return Path(str(context.node_config["data-path"])).expanduser()
    partition = int(context.node_config.get("partition-id", 0))
    return client_file(resolve_data_dir(config), partition)


_REPORTED: dict[str, float] = {}  # privatune.timing's totals as last sent (one process may serve many messages)


def timing_metrics(context: Context) -> dict[str, float]:
    """Stage seconds since the last reply (privatune.timing), only with node-config `report-timings = true`
    (off by default: under DP a step's time grows with its Poisson batch, so timings are a side channel
    on the data size)."""
    if str(context.node_config.get("report-timings", "false")).lower() not in ("true", "1"):
        return {}
    out = {f"seconds-{name}": round(total - _REPORTED.get(name, 0.0), 3) for name, total in timing.SECONDS.items()
           if total > _REPORTED.get(name, 0.0)}
    _REPORTED.update(timing.SECONDS)
    return out


@lru_cache(maxsize=2)
def _client_data(path: str, config: RunConfig, state_dir: str) -> ClientData:
    with stage("scrub"):
        source = training_file(Path(path), config, Path(state_dir))
    return load_client_data(source, config)


def _data(context: Context, config: RunConfig) -> ClientData:
    return _client_data(str(client_data_path(context, config)), config, str(client_state_dir(context, config)))


def quality_metrics(context: Context, config: RunConfig) -> dict:
    """This node's data-quality counts for the server (client/quality.py), or refuse to train.

    The node's policy `max-reject-rate` (or node-config `max-reject-fraction`; the stricter wins)
    refuses a file with more rejected records; `report-data-quality = false` keeps the counts on the node."""
    summary = summary_of(_data(context, config).source)
    limits = [float(x) for x in (gate.node_policy(context).max_reject_rate,
                                 context.node_config.get("max-reject-fraction")) if x is not None]
    check_rejects(summary, min(limits) if limits else None, f"node {context.node_id}")
    if str(context.node_config.get("report-data-quality", "true")).lower() in ("false", "0"):
        return {}
    return to_metrics(summary, config.dp.enabled)


def _datasets(context: Context, config: RunConfig, canaries: list[str] = ()):
    """(model, train set with the auditor's canaries appended, eval set, number of private train records)."""
    model, tokenizer = load_model(config)  # timed as "model-load" inside, once per process
    data = _data(context, config)
    return (model, TokenDataset(data.train + list(canaries), tokenizer, config.max_seq_len),
            TokenDataset(data.eval, tokenizer, config.max_seq_len), len(data.train))


def _round_seed(config: RunConfig, server_round: int, context: Context) -> int:
    return config.seed * 100_003 + server_round * 1009 + _client_index(context)


def _client_index(context: Context) -> int:
    return int(context.node_config.get("partition-id", -1))


def client_state_dir(context: Context, config: RunConfig) -> Path:
    """The node's own state for its data file (scrubbed copy): under its policy's state root, never the run dir."""
    return gate.state_dir(context, client_data_path(context, config))


def step_progress(context: Context, config: RunConfig, server_round: int):
    """Step counts and tokens/s in the client's state dir, which `privatune demo` shows (numbers only)."""
    from privatune.logs import PROGRESS_FILE, ProgressFile

    path = client_state_dir(context, config) / PROGRESS_FILE
    return ProgressFile(path, f"round {server_round}/{config.num_rounds}").step


@lru_cache(maxsize=8)
def _noise_multiplier(dp: DPConfig, sample_rate: float, total_steps: int, releases: int) -> float:
    return calibrate_noise(dp, sample_rate, total_steps, releases)


def plan_dp_round(config: RunConfig, num_examples: int) -> DPPlan:
    """This round's DP-SGD: σ calibrated once for the whole planned run and its released statistics,
    q from the expected batch over the DP-released example count."""
    sample_rate = min(1.0, config.batch_size / num_examples)
    sigma = _noise_multiplier(config.dp, sample_rate, config.num_rounds * config.local_steps,
                              gate.planned_releases(config))
    return DPPlan(config.dp, sigma, sample_rate, config.local_steps)


def budget_refusal(ledger: PrivacyLedger, config: RunConfig, context: Context) -> MetricRecord:
    """The reply of a client whose budget this round would exceed: no step ran, nothing else is sent."""
    spent = epsilon_of(ledger.history(), config.dp.delta, config.dp.accountant)
    return MetricRecord({"num-examples": 0, "budget-exhausted": 1, "epsilon": spent, "delta": config.dp.delta,
                         "train-loss": 0.0, "client-index": _client_index(context)})


def train_dp(model, train_set, plan: DPPlan, ledger: PrivacyLedger, config: RunConfig, server_round: int,
             count: int, on_step=None) -> tuple[TrainResult | str, dict]:
    """DP-SGD for one round whose budget check has passed; (result, privacy metrics), or (the reason,
    numbers) when the white-box audit of these steps fails: then nothing of the round is released.
    The train loss leaves as a DP-released clipped sum over the released count."""
    result = train_local_dp(model, train_set, plan, ledger, lr=config.learning_rate, server_round=server_round,
                            dataset_size=count, on_step=on_step)
    spent = lambda: epsilon_of(ledger.history(), plan.config.delta, plan.config.accountant)  # noqa: E731
    privacy = {"epsilon": spent(), "delta": plan.config.delta, "noise-multiplier": plan.noise_multiplier,
               "sample-rate": plan.sample_rate}
    if result.canaries is not None:
        audit = whitebox.audit(result.canaries, plan.noise_multiplier, plan.config.max_grad_norm, plan.sample_rate,
                               plan.config.delta, plan.config.accountant)
        privacy.update({"whitebox-epsilon": audit["epsilon_hat"], "whitebox-epsilon-max": audit["epsilon_hat_max"],
                        "whitebox-epsilon-claimed": audit["epsilon_claimed"],
                        "whitebox-failed": int(audit["status"] == "fail")})
        if audit["status"] == "fail":  # the noise is not what the ledger says: release nothing of this round
            return (f"refused: white-box audit: the DP-SGD steps of round {server_round} show ε̂ = "
                    f"{audit['epsilon_hat']:.2f} > ε = {audit['epsilon_claimed']:.2f} claimed for them (measured "
                    f"σ̂ = {audit['sigma_hat'] or 0:.3f}, configured σ = {plan.noise_multiplier:.3f}): the noise or "
                    "the clipping is broken; nothing of this round is sent"), privacy
    stats = gate.DPStatistics(plan.config, ledger, server_round)
    loss = stats.loss_sum(result.clipped_loss_sum) / max(plan.sample_rate * count, 1e-9)
    return result, {**privacy, "epsilon": spent(), "num-examples": count, "train-loss": loss}


def train_round_dp(model, train_set, n_private: int, config: RunConfig, context: Context, server_round: int,
                   ledger: PrivacyLedger, on_step=None):
    """Order: the example count (DP-released once per dataset) → q and σ from it → the budget check of
    this round (its steps and its train loss) → the steps. (result or refusal reason, numbers)."""
    stats = gate.DPStatistics(config.dp, ledger, server_round)
    try:
        stats.afford(stats.pending("train"))
        count = stats.count("train", n_private) + (len(train_set) - n_private)  # + the auditor's canaries
        plan = plan_dp_round(config, count)
        check_budget(ledger, plan, releases=1)  # refuse before any step
    except BudgetExhausted as err:
        log.warning("round %d refused: %s", server_round, err)
        return None, budget_refusal(ledger, config, context)
    return train_dp(model, train_set, plan, ledger, config, server_round, count, on_step)


def train_plain(model, train_set, config: RunConfig, seed: int, on_step=None) -> tuple[TrainResult, dict]:
    """Non-private local training (dp = false): no noise, no ledger, ε = ∞."""
    set_per_example(model, False)
    result = train_local(model, train_set, steps=config.local_steps, batch_size=config.batch_size,
                         lr=config.learning_rate, seed=seed, on_step=on_step)
    return result, {"epsilon": float("inf"), "delta": 0.0}


def replay_key(stage: str, config: RunConfig, context: Context, global_state: dict, server_round: int,
               canaries: list[str] = ()) -> str:
    """What a DP reply depends on (client/replay.py): the same key, the same reply, no new ε."""
    return replay.request_key(stage=stage, config_repr=repr(config),
                              records_id=gate.records_id(client_data_path(context, config)),
                              server_round=server_round, global_state=global_state, canaries=canaries)


def replayed(msg: Message, context: Context, config: RunConfig, key: str, stage: str) -> Message | None:
    """The reply already released for this very request, sent again; None if there is none."""
    stored = replay.load(client_state_dir(context, config), key)
    if stored is None:
        return None
    arrays, numbers = stored
    log.warning("%s round %s: the same request again (a resumed run?): sending the reply already released, "
                "no step run, no ε spent", stage, msg.content["config"]["server-round"])
    content = {"metrics": MetricRecord({**numbers, "replayed": 1, **timing_metrics(context)})}
    if stage == "train":
        content["arrays"] = to_array_record(arrays)
    return Message(RecordDict(content), reply_to=msg)


def _refused(err: Exception) -> str:
    return str(err) if isinstance(err, gate.PolicyRefused) else f"refused: policy error: {err}"


def train_message(msg: Message, context: Context, overrides: dict) -> Message:
    """A train message: the node's policy, then DP-SGD (or plain) steps; the delta and the released numbers."""
    server_round = int(msg.content["config"]["server-round"])
    index = {"client-index": _client_index(context)}
    canaries = list(msg.content["config"].get("canaries", []))  # the auditor's, trained on like records
    try:  # the node's policy first: before any step is run
        config = gate.gate_config(context, RunConfig.from_flower(context.run_config, **overrides))
        model, train_set, _, n_private = _datasets(context, config, canaries)
    except (gate.PolicyRefused, PolicyError) as err:
        return gate.refusal(msg, _refused(err), "train", **index)
    try:
        quality = quality_metrics(context, config)
    except DataQualityRefused as err:
        log.warning("round %d refused: %s", server_round, err)
        summary = summary_of(_data(context, config).source)
        return Message(RecordDict({"metrics": MetricRecord({"data-quality-refused": 1, "num-examples": 0,
                                                            **to_metrics(summary, config.dp.enabled)})}),
                       reply_to=msg)
    global_state = from_array_record(msg.content["arrays"])
    set_lora_state(model, global_state)
    if config.dp.enabled:
        key = replay_key("train", config, context, global_state, server_round, canaries)
        again = replayed(msg, context, config, key, "train")
        if again is not None:
            return again
        try:
            with gate.open_ledger(context, config, client_data_path(context, config)) as ledger, stage("train"):
                result, privacy = train_round_dp(model, train_set, n_private, config, context, server_round,
                                                 ledger, step_progress(context, config, server_round))
        except LedgerError as err:  # locked by another process, or damaged: spend nothing
            return gate.refusal(msg, f"refused: ledger: {err}", "train", **index)
        if result is None:  # budget exhausted: refused before any step
            return Message(RecordDict({"metrics": privacy}), reply_to=msg)
        if isinstance(result, str):  # the white-box audit failed: nothing of this round leaves
            return gate.refusal(msg, result, "train", **index, **privacy)
        weight, loss = privacy.pop("num-examples"), privacy.pop("train-loss")
    else:
        with stage("train"):
            result, privacy = train_plain(model, train_set, config, _round_seed(config, server_round, context),
                                          step_progress(context, config, server_round))
        weight, loss = len(train_set), result.loss
    numbers = {"num-examples": weight, "train-loss": loss, "local-steps": result.steps,
               SECAGG_FLAG: int(config.secagg.enabled), **index, **privacy, **quality}
    log.info("round %d: %d local steps, ε %.3f", server_round, result.steps, privacy["epsilon"])
    delta = lora_delta(model, global_state)
    if config.dp.enabled:  # kept before it leaves: a repeat of this request gets exactly this
        replay.store(client_state_dir(context, config), key, delta, numbers, stage="train",
                     server_round=server_round)
    metrics = MetricRecord({**numbers, **timing_metrics(context)})
    return Message(RecordDict({"arrays": to_array_record(delta), "metrics": metrics}), reply_to=msg)



def evaluate_message(msg: Message, context: Context, overrides: dict) -> Message:
    """An evaluate message: the DP-released held-out loss and count (exact ones with DP off)."""
    server_round = int(msg.content["config"]["server-round"])
    try:
        config = gate.gate_config(context, RunConfig.from_flower(context.run_config, **overrides))
        model, _, eval_set, _ = _datasets(context, config)
    except (gate.PolicyRefused, PolicyError) as err:
        return gate.refusal(msg, _refused(err), "evaluate")
    global_state = from_array_record(msg.content["arrays"])
    set_lora_state(model, global_state)
    if not config.dp.enabled:
        with stage("eval"):
            loss = evaluate(model, eval_set, batch_size=config.batch_size)
        metrics = MetricRecord({"num-examples": len(eval_set), "eval-loss": loss, **timing_metrics(context)})
        return Message(RecordDict({"metrics": metrics}), reply_to=msg)
    key = replay_key("evaluate", config, context, global_state, server_round)
    again = replayed(msg, context, config, key, "evaluate")
    if again is not None:
        return again
    try:  # held-out records are the client's records too: released through its ledger
        with gate.open_ledger(context, config, client_data_path(context, config)) as ledger, stage("eval"):
            stats = gate.DPStatistics(config.dp, ledger, server_round)
            stats.afford(1 + stats.pending("eval"))
            count = stats.count("eval", len(eval_set))
            loss = stats.loss_sum(gate.clipped_eval_sum(model, eval_set, config.batch_size, config.dp)) / count
    except (BudgetExhausted, LedgerError) as err:
        return gate.refusal(msg, f"refused: {err}", "evaluate")
    replay.store(client_state_dir(context, config), key, {}, {"num-examples": count, "eval-loss": loss},
                 stage="evaluate", server_round=server_round)
    metrics = MetricRecord({"num-examples": count, "eval-loss": loss, **timing_metrics(context)})
    return Message(RecordDict({"metrics": metrics}), reply_to=msg)
