"""Privacy-utility sweep on Flower's Simulation Engine: eval loss per round for several target ε.

Each point is a full federated run (PII scrubbing, DP-SGD, SecAgg+) of the embedded defaults with
one setting changed; results go to simulations/results/privacy_utility.{json,png}.

    python simulations/privacy_utility.py [--epsilons inf 8 2] [--rounds 4] [--out simulations/results]
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path


def run(epsilon: float, rounds: int, run_dir: Path) -> list[dict]:
    from privatune.config import RunConfig
    from privatune.demo import prepare, run_simulation
    from privatune.server.rundir import RunDir

    config = RunConfig.from_flower({
        "run-dir": str(run_dir), "num-rounds": rounds, "audit-canaries": 0,
        "dp": math.isfinite(epsilon), "target-epsilon": epsilon if math.isfinite(epsilon) else 8.0,
    })
    prepare(config)
    run_simulation(config)
    return RunDir(run_dir).metrics()


def plot(results: dict[str, list[dict]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for label, history in results.items():
        ax.plot([m["round"] for m in history], [m["eval-loss"] for m in history], marker="o", label=label)
    ax.set_xlabel("federated round")
    ax.set_ylabel("eval loss (held-out, all clients)")
    ax.set_title("privacy vs utility: 3 clients, tiny Llama, LoRA r=8")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epsilons", nargs="+", type=float, default=[math.inf, 8.0, 2.0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--out", default="simulations/results")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for epsilon in args.epsilons:
            label = "no DP" if math.isinf(epsilon) else f"ε = {epsilon:g}"
            results[label] = run(epsilon, args.rounds, Path(tmp) / label.replace(" ", ""))
            print(f"{label:8} eval loss by round: " + " ".join(f"{m['eval-loss']:.3f}" for m in results[label]))
    (out / "privacy_utility.json").write_text(json.dumps(results, indent=1))
    plot(results, out / "privacy_utility.png")
    print(f"wrote {out / 'privacy_utility.json'} and {out / 'privacy_utility.png'}")


if __name__ == "__main__":
    main()
