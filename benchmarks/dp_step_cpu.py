"""DP vs non-DP local-step time and peak memory on CPU, on the embedded tiny model (4-bit + LoRA).

Each variant runs in its own process so its peak RSS is its own. The GPU counterpart at 1B and 8B
shapes is benchmarks/qlora_speed.py.

    python benchmarks/dp_step_cpu.py [--steps 20] [--batch 8] [--seq 128]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

VARIANTS = {  # name: (dp, gradient checkpointing)
    "non-DP, no checkpointing": (False, False),
    "non-DP, checkpointing": (False, True),
    "DP, checkpointing": (True, True),
    "DP, no checkpointing": (True, False),
}


def run_variant(dp: bool, checkpointing: bool, steps: int, batch: int, seq: int) -> dict:
    import torch

    from privatune.client.trainer import dp_step, per_example_loss
    from privatune.config import RunConfig
    from privatune.data import collate
    from privatune.model import load_model
    from privatune.privacy.dp import DPConfig, make_optimizer, prepare_model

    torch.manual_seed(0)
    model, tokenizer = load_model(RunConfig(gradient_checkpointing=checkpointing))
    params = [p for p in model.parameters() if p.requires_grad]
    examples = [torch.randint(3, len(tokenizer), (seq - i % 7,)) for i in range(batch)]  # unequal lengths
    batch_tensors = collate(examples, tokenizer.pad_token_id)
    optimizer = torch.optim.AdamW(params, lr=1e-3)
    if dp:
        prepare_model(model)
        optimizer = make_optimizer(optimizer, DPConfig(), noise_multiplier=1.0, expected_batch_size=batch)
    model.train()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(steps + 2):
        started = time.perf_counter()
        if dp:
            dp_step(model, optimizer, batch_tensors, 0, params)
        else:
            per_example_loss(model, batch_tensors).mean().backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - started)
    step_s = statistics.median(times[2:])
    return {"step_s": step_s, "tokens_per_s": int(batch_tensors["attention_mask"].sum()) / step_s,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_growth_mib": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        dp, ckpt = VARIANTS[args.variant]
        print(json.dumps(run_variant(dp, ckpt, args.steps, args.batch, args.seq)))
        return
    results = {}
    for name in VARIANTS:
        out = subprocess.run([sys.executable, __file__, "--variant", name, "--steps", str(args.steps),
                              "--batch", str(args.batch), "--seq", str(args.seq)],
                             capture_output=True, text=True, check=True)
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    base = results["non-DP, checkpointing"]["step_s"]
    print(f"tiny model, batch {args.batch} × ≤{args.seq} tokens, median of {args.steps} steps")
    print(f"{'variant':28} {'step s':>8} {'tok/s':>8} {'peak RSS MiB':>13} {'× non-DP ckpt':>14}")
    for name, r in results.items():
        print(f"{name:28} {r['step_s']:8.3f} {r['tokens_per_s']:8.0f} {r['peak_rss_mib']:13.0f} {r['step_s'] / base:14.2f}")


if __name__ == "__main__":
    main()
