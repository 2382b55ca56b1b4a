"""Secure-aggregation overhead against plain FedAvg, and bytes each client uploads.

    OMP_NUM_THREADS=1 python benchmarks/secagg_overhead.py --params 10000000 --clients 5 20 50

For each n it runs one SecAgg+ round between in-memory clients and server (the same state machines the
Flower handlers run; clients one after another on this machine) and reports:
  - client time per round: the slowest client per stage, summed (clients run in parallel in a federation),
  - server time per round: everything the server computes (folding uploads in, unmasking),
  - plain FedAvg server time: Σ w_i Δ_i over n fp32 deltas, then / Σ w_i,
  - the added seconds per round and the local-training time from which a round stays ≤ 1.5× plain FedAvg,
  - bytes uploaded per client over all four stages (as Flower serialises the records) against the raw fp32
    delta, and the same with 10% of clients dropping out before the masked-input stage.
Each row is the fastest of --repeats runs. Transfer time is not simulated: a masked upload has the same size as a plain one (see the byte ratio).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
from statistics import mean

import cryptography
import flwr
import numpy as np
from flwr.app import Array, ArrayRecord, ConfigRecord, RecordDict

from privatune.privacy.secagg import SecAggConfig
from privatune.privacy.secagg.local_round import run_local_round

STAGES = ("setup", "share", "mask", "unmask")
TENSORS = 64  # a LoRA delta is many A/B matrices; split the flat vector like one


def record_bytes(obj) -> int:
    """Bytes Flower sends for a record: the deflated object and all its children."""
    return len(obj.deflate()) + sum(record_bytes(child) for child in (obj.children or {}).values())


def upload_bytes(n_peers: int, masked: np.ndarray) -> int:
    """One client's four replies, built as privatune.client.secagg_handlers builds them."""
    peers = list(range(1, n_peers + 1))
    setup = ConfigRecord({"round": 1, "enc-key": os.urandom(32), "mask-key": os.urandom(32),
                          "seed-commit": os.urandom(32)})
    share = ConfigRecord({"round": 1, "receivers": peers, "ciphertexts": [os.urandom(176) for _ in peers]})
    parts = {f"layer{i}.lora": Array(chunk) for i, chunk in enumerate(np.array_split(masked[:-2], TENSORS))}
    parts["secagg:weight"] = Array(masked[-2:])  # round word, weight word
    mask = RecordDict({"secagg": ConfigRecord({"round": 1}), "secagg-masked": ArrayRecord(parts)})
    unmask = ConfigRecord({"round": 1, "owners": peers + [0], "shares": [os.urandom(66) for _ in range(n_peers + 1)]})
    return sum(record_bytes(RecordDict({"secagg": record})) for record in (setup, share, unmask)) + record_bytes(mask)


def plain_upload_bytes(delta: np.ndarray) -> int:
    parts = {f"layer{i}.lora": Array(chunk) for i, chunk in enumerate(np.array_split(delta, TENSORS))}
    return record_bytes(RecordDict({"arrays": ArrayRecord(parts)}))


def plain_fedavg_seconds(delta: np.ndarray, weights: list[float]) -> float:
    start = time.perf_counter()
    total = np.zeros_like(delta)
    for weight in weights:  # each client's delta arrives and is folded in
        total += np.float32(weight) * delta
    total /= np.float32(sum(weights))
    return time.perf_counter() - start


def bench(n: int, params: int, drop_fraction: float, config: SecAggConfig) -> dict:
    rng = np.random.default_rng(n)
    delta = rng.uniform(-config.range(), config.range(), params).astype(np.float32)
    weights = [float(w) for w in rng.integers(10, 1000, n)]
    inputs = {1000 + i: (delta, weights[i]) for i in range(n)}  # one array shared: 50 × 40 MB would not fit
    drop = {"mask": set(list(inputs)[: math.ceil(drop_fraction * n)])}
    timings: dict = {}
    server, total, weight_sum = run_local_round(inputs, config, drop=drop, timings=timings)
    expected = sum(weights[i] for i, node in enumerate(inputs) if node in server.uploaded)
    assert weight_sum == expected, "benchmark round gave a wrong weight sum"
    assert np.abs(total - delta.astype(np.float64) * weight_sum).max() <= server.fixed_point.sum_error_bound(len(server.uploaded))
    client = sum(max(timings.get(("client", s), [0.0])) for s in STAGES)
    client_mean = sum(mean(timings.get(("client", s), [0.0])) for s in STAGES)
    server_s = sum(sum(timings.get(("server", s), [0.0])) for s in (*STAGES, "result"))
    plain = plain_fedavg_seconds(delta, [weights[i] for i, node in enumerate(inputs) if node in server.uploaded])
    masked = np.random.default_rng(0).integers(0, 2**32, params + 1, dtype=np.uint32)
    degree = max(len(p) for p in server.graph.values())
    added = client + server_s - plain
    return {
        "n": n, "degree": degree, "threshold": server.threshold, "dropped": len(drop["mask"]),
        "client_s": client, "client_mean_s": client_mean, "server_s": server_s, "plain_s": plain,
        "added_s": added, "break_even_s": max(0.0, 2 * added - plain),  # (T+plain+added)/(T+plain) ≤ 1.5
        "upload_ratio": upload_bytes(degree, masked) / plain_upload_bytes(delta),
        "upload_mb": upload_bytes(degree, masked) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", type=int, default=10_000_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[5, 20, 50])
    parser.add_argument("--drop-fraction", type=float, nargs="+", default=[0.0, 0.1])
    parser.add_argument("--repeats", type=int, default=2, help="report the fastest run (the machine is shared)")
    args = parser.parse_args()
    config = SecAggConfig(clip_norm=1.0, learning_rate=1e-3, local_steps=10, max_weight=1000)
    print(f"# {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, numpy {np.__version__}, "
          f"cryptography {cryptography.__version__}, flwr {flwr.__version__}, params {args.params:,}")
    print("| n | degree | t | dropped | client s (slowest/mean) | server s | plain FedAvg s | added s "
          "| ≤1.5× if local training ≥ s | upload MB | upload / raw fp32 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.clients:
        for fraction in args.drop_fraction:
            runs = [bench(n, args.params, fraction, config) for _ in range(args.repeats)]
            r = min(runs, key=lambda run: run["added_s"])
            print(f"| {r['n']} | {r['degree']} | {r['threshold']} | {r['dropped']} | {r['client_s']:.2f} / "
                  f"{r['client_mean_s']:.2f} | {r['server_s']:.2f} | {r['plain_s']:.2f} | {r['added_s']:.2f} | "
                  f"{r['break_even_s']:.1f} | {r['upload_mb']:.2f} | {r['upload_ratio']:.4f} |", flush=True)


if __name__ == "__main__":
    main()
