"""How a round's cost grows with the number of clients: Flower Simulation Engine, DP-SGD and SecAgg+ on.

For each n, a federation of n simulated clients of the embedded tiny Llama (a few synthetic records
each, declared de-identified: Presidio scrubbing is measured in benchmarks/RESULTS-pii.md), with
client sampling (`fraction-train`), a share of the sampled clients dropping out in the SecAgg+ mask
stage, and a traffic meter on every client. Writes simulations/results/scale.json and scale.png.

    python simulations/scale.py --clients 10 100 1000 [--fraction 1 1 0.1] [--dropout 0.1] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import time
from pathlib import Path


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(n: int, fraction: float, dropout: float, rounds: int, work: Path) -> dict:
    from privatune.client.experiment_mods import dropout_mod, traffic_mod
    from privatune.config import RunConfig
    from privatune.demo import prepare, run_simulation
    from privatune.server.rundir import RunDir

    run_dir, traffic = work / f"n{n}", work / f"traffic-{n}.jsonl"
    config = RunConfig.from_flower({
        "run-dir": str(run_dir), "num-clients": n, "records-per-client": 12, "eval-fraction": 0.25,
        "num-rounds": rounds, "fraction-train": fraction, "fraction-evaluate": min(1.0, max(0.05, 10 / n)),
        "min-clients": 2, "local-steps": 1, "batch-size": 2, "max-seq-len": 32, "data-deidentified": True,
        "audit-canaries": 0, "dp": True, "secure-aggregation": True,
    })
    prepare(config)
    rss: list[float] = []
    started = time.monotonic()
    run_simulation(config, on_round=lambda r, m, s: rss.append(rss_mib()),
                   client_mods=[traffic_mod(traffic), dropout_mod(dropout)])
    wall = time.monotonic() - started
    history = RunDir(run_dir).metrics()
    messages = [json.loads(line) for line in traffic.read_text().splitlines()]
    per_node: dict[int, dict[str, int]] = {}
    for m in messages:
        node = per_node.setdefault(m["node"], {"up": 0, "down": 0})
        node["up"] += m["up"]
        node["down"] += m["down"]
    trained_rounds = [m for m in history if m["round"] > 0]
    return {
        "clients": n, "fraction_train": fraction, "dropout": dropout, "rounds": rounds, "wall_s": round(wall, 1),
        "round_s": [m["seconds"] for m in trained_rounds],
        "stage_s": [m.get("stage-seconds", {}) for m in trained_rounds],
        "sampled": [len(m["clients"]) + m["secure-aggregation"]["dropped"] for m in trained_rounds],
        "survivors": [m["secure-aggregation"]["survivors"] for m in trained_rounds],
        "dropped": [m["secure-aggregation"]["dropped"] for m in trained_rounds],
        "server_rss_mib": [round(x, 1) for x in rss],
        "bytes_up_median": statistics.median(v["up"] for v in per_node.values()),
        "bytes_down_median": statistics.median(v["down"] for v in per_node.values()),
        "neighbours_mean": statistics.mean(m["neighbours"] for m in messages if "neighbours" in m),
        "neighbours_max": max(m["neighbours"] for m in messages if "neighbours" in m),
    }


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns = [r["clients"] * r["fraction_train"] for r in results]  # clients per round
    secagg = [statistics.mean(sum(v for k, v in s.items() if k.startswith("secagg-")) for s in r["stage_s"])
              for r in results]
    rounds = [statistics.mean(r["round_s"]) for r in results]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4))
    ax.loglog(ns, rounds, "o-", label="round wall time")
    ax.loglog(ns, secagg, "s-", label="SecAgg+ stages")
    ref = [secagg[0] * (n * math.log2(max(n, 2))) / (ns[0] * math.log2(max(ns[0], 2))) for n in ns]
    ax.loglog(ns, ref, "k--", label="O(n log n) from the first point")
    ax.set_xlabel("clients per round")
    ax.set_ylabel("seconds")
    ax.legend()
    bx.semilogx([r["clients"] for r in results], [max(r["server_rss_mib"]) for r in results], "o-")
    bx.set_xlabel("clients registered")
    bx.set_ylabel("server process peak RSS (MiB)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--fraction", type=float, nargs="+", default=None)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", default="simulations/results")
    args = parser.parse_args()
    fractions = args.fraction or [1.0 if n <= 100 else 0.1 for n in args.clients]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="privatune-scale-") as tmp:
        for n, fraction in zip(args.clients, fractions):
            result = run(n, fraction, args.dropout, args.rounds, Path(tmp))
            results.append(result)
            print(json.dumps({k: v for k, v in result.items() if k != "stage_s"}), flush=True)
            (out / "scale.json").write_text(json.dumps(results, indent=1))
    plot(results, out / "scale.png")


if __name__ == "__main__":
    main()
