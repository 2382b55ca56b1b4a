"""Data-parallel DP-SGD inside one client, launched by torchrun: one rank per GPU (or CPU process).

    torchrun --standalone --nproc-per-node 2 benchmarks/dp_parallel.py --model DIR --out OUT [--steps 3]

Every rank loads the same 4-bit base + LoRA, trains `train_local_dp` on its share of each Poisson
batch (privacy/dp_parallel.py), and writes OUT/rank-<r>.json (final LoRA state, examples, seconds per
step); rank 0 keeps OUT/ledger.jsonl. NCCL on CUDA, gloo on CPU. `--pin-seeds` makes the secret seeds
a fixed number, so that a run can be compared with a single-process run (tests only: never for real data).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="", help="local checkpoint directory ('' = the embedded tiny Llama)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--sigma", type=float, default=1.0)
    parser.add_argument("--sample-rate", type=float, default=0.3)
    parser.add_argument("--records", type=int, default=40)
    parser.add_argument("--seq", type=int, default=32)
    parser.add_argument("--optimizer", choices=("adamw", "sgd"), default="adamw")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--pin-seeds", action="store_true")
    args = parser.parse_args()
    if args.pin_seeds:
        secrets.randbits = lambda bits: 20261201  # noqa: ARG005 — equal draws across compared runs

    import torch
    import torch.distributed as dist

    from privatune.client.trainer import train_local_dp
    from privatune.config import RunConfig
    from privatune.data import TokenDataset
    from privatune.model import get_lora_state, load_model
    from privatune.privacy.dp import DPConfig, DPPlan
    from privatune.privacy.dp_parallel import DataParallel
    from privatune.privacy.ledger import PrivacyLedger

    world = int(os.environ.get("WORLD_SIZE", "1"))
    parallel = None
    if world > 1:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if backend == "nccl":
            torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        dist.init_process_group(backend)
        parallel = DataParallel.current()
    rank = parallel.rank if parallel else 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    model, tokenizer = load_model(RunConfig(model=args.model, seed=5, gradient_checkpointing=False))
    texts = [f"patient {i} was seen in clinic {i % 7} for follow-up of condition {i % 5}." for i in range(args.records)]
    dataset = TokenDataset(texts, tokenizer, max_len=args.seq)
    plan = DPPlan(DPConfig(max_grad_norm=0.5), noise_multiplier=args.sigma, sample_rate=args.sample_rate,
                  steps=args.steps)
    ledger = PrivacyLedger(out / "ledger.jsonl") if rank == 0 else None
    started = time.perf_counter()
    optimizer_fn = (lambda params, lr: torch.optim.SGD(params, lr=lr)) if args.optimizer == "sgd" else None
    result = train_local_dp(model, dataset, plan, ledger, lr=args.lr, server_round=1, parallel=parallel,
                            optimizer_fn=optimizer_fn)
    seconds = time.perf_counter() - started
    state = {k: v.tolist() for k, v in get_lora_state(model).items()}
    (out / f"rank-{rank}.json").write_text(json.dumps(
        {"state": state, "examples": result.examples, "seconds_per_step": seconds / args.steps, "world": world}))
    if parallel:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
