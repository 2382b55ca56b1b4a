"""Where the time of one 8B QLoRA step goes, on the GPU: a profile and the parts timed alone.

    python benchmarks/profile_step.py [--no-parts]   # H200, ≈ 1-2 min; writes $OUT/profile_step.json + traces

1. One privatune step (non-DP and DP, checkpointing) under torch.profiler: GPU busy time against
   wall time, kernel time by category (GEMM, attention, our Triton kernels, elementwise), the top
   kernels, and aten::mm/addmm/bmm time per input shape (→ TFLOP/s per shape).
2. The same step's parts alone (CUDA events, median): the base GEMM of every 8B projection shape in
   both directions and layouts, the thin LoRA GEMMs, NF4 dequant, sdpa causal attention.
Ceilings (KINDS.md): bf16 GEMM ≈ 790 TFLOP/s, copy ≈ 4.3 TB/s.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

PARTS = "--no-parts" not in sys.argv
sys.argv = [sys.argv[0], "--quick"]  # qlora_speed parses its options at import
sys.path.insert(0, str(Path(__file__).resolve().parent))
import qlora_speed as qs  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

OUT = Path(os.environ.get("OUT", "."))
RESULT: dict = {"versions": qs.versions()}

CATEGORIES = [  # first match wins; names of cuBLAS/CUTLASS/flash/Triton kernels on Hopper
    ("attention", r"flash|fmha|attention|sdpa"),
    ("gemm", r"gemm|nvjet|xmma|cutlass|sm90_|cublas|splitk"),
    ("nf4", r"dequantize_nf4"),
    ("cross_entropy", r"cross_entropy|_ce_"),
    ("rmsnorm", r"rms"),
    ("rope", r"rope"),
    ("swiglu", r"swiglu"),
    ("reduce", r"reduce|norm_kernel|sum"),
    ("copy/cast", r"copy|cast|direct_copy|to_copy|cat"),
    ("elementwise", r"elementwise|vectorized|fill|mul|add"),
]


def category(name: str) -> str:
    low = name.lower()
    for cat, pattern in CATEGORIES:
        if re.search(pattern, low):
            return cat
    return "other"


def profile_step(variant: str) -> dict:
    stack, dp, ckpt, kernels = qs.VARIANTS[variant]
    _, _, _, _, _, vocab, batch_size, seq = qs.SHAPES["8b"]
    model, optimizer = qs.prepare("8b", stack, dp, ckpt, kernels)
    qs.reset_memory()  # peak of the steps, not of the model build (nor of `parts`)
    batch = qs.make_batch(batch_size, seq, vocab)
    for _ in range(3):
        qs.train_step(model, optimizer, batch, dp)
    torch.cuda.synchronize()
    walls = []
    for _ in range(3):
        t = time.perf_counter()
        qs.train_step(model, optimizer, batch, dp)
        torch.cuda.synchronize()
        walls.append(time.perf_counter() - t)
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA], record_shapes=True) as prof:
        t = time.perf_counter()
        qs.train_step(model, optimizer, batch, dp)
        torch.cuda.synchronize()
        prof_wall = time.perf_counter() - t
    trace = OUT / f"trace_{variant}.json"
    prof.export_chrome_trace(str(trace))
    with open(trace, "rb") as src, gzip.open(f"{trace}.gz", "wb") as dst:
        dst.write(src.read())
    trace.unlink()
    kernels_time = defaultdict(lambda: [0.0, 0])
    span = [float("inf"), 0.0]
    for ev in prof.events():
        if ev.device_type.name == "CUDA":
            k = kernels_time[ev.name]
            k[0] += ev.device_time_total / 1e3  # ms (device_time_total: µs)
            k[1] += 1
    by_cat = defaultdict(float)
    for name, (ms, _) in kernels_time.items():
        by_cat[category(name)] += ms
    gpu_ms = sum(by_cat.values())
    top = sorted(kernels_time.items(), key=lambda kv: -kv[1][0])[:30]
    shapes = []
    for avg in prof.key_averages(group_by_input_shape=True):
        if avg.key in ("aten::mm", "aten::addmm", "aten::addmm_", "aten::bmm", "aten::baddbmm",
                       "aten::_scaled_dot_product_flash_attention", "aten::_scaled_dot_product_efficient_attention",
                       "aten::_scaled_dot_product_cudnn_attention",
                       "aten::_flash_attention_backward", "aten::_efficient_attention_backward",
                       "aten::_scaled_dot_product_cudnn_attention_backward"):
            dev_ms = avg.device_time_total / 1e3
            shapes.append({"op": avg.key, "shapes": str(avg.input_shapes)[:160], "count": avg.count,
                           "ms": dev_ms, "flops": gemm_flops(avg.key, avg.input_shapes) * avg.count})
    shapes.sort(key=lambda s: -s["ms"])
    for s in shapes:
        s["tflops"] = s["flops"] / (s["ms"] / 1e3) / 1e12 if s["ms"] and s["flops"] else None
    out = {"wall_s_median": statistics.median(walls), "wall_s_profiled": prof_wall, "gpu_kernel_ms": gpu_ms,
           "by_category_ms": dict(sorted(by_cat.items(), key=lambda kv: -kv[1])),
           "top_kernels": [{"name": n[:120], "ms": v[0], "count": v[1]} for n, v in top],
           "ops_by_shape": shapes[:40], "peak_gib": qs.peak_gib()}
    del model, optimizer
    qs.restore_global_patches()
    qs.reset_memory()
    return out


def gemm_flops(op: str, shapes) -> float:
    try:
        if op == "aten::mm":
            (m, k), (_, n) = shapes[0], shapes[1]
            return 2.0 * m * k * n
        if op in ("aten::addmm", "aten::addmm_"):
            (m, k), (_, n) = shapes[1], shapes[2]
            return 2.0 * m * k * n
        if op == "aten::bmm":
            (b, m, k), (_, _, n) = shapes[0], shapes[1]
            return 2.0 * b * m * k * n
    except (ValueError, IndexError, TypeError):
        pass
    return 0.0


def bench(fn, reps: int = 20) -> float:
    """Median ms over `reps` CUDA-event-timed calls, after 3 warm-up calls."""
    for _ in range(3):
        fn()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b))
    return statistics.median(times)


def parts() -> dict:
    dev, dt = "cuda", torch.bfloat16
    T, r = 4096, 16
    res = {}
    for d_in, d_out in ((4096, 4096), (4096, 1024), (4096, 14336), (14336, 4096)):
        x = torch.randn(T, d_in, device=dev, dtype=dt)
        dy = torch.randn(T, d_out, device=dev, dtype=dt)
        W = torch.randn(d_out, d_in, device=dev, dtype=dt) * 0.02
        Wt = W.t().contiguous()
        y = torch.randn(T, d_out, device=dev, dtype=dt)
        dx = torch.randn(T, d_in, device=dev, dtype=dt)
        A = torch.randn(r, d_in, device=dev, dtype=dt)
        B = torch.randn(d_out, r, device=dev, dtype=dt)
        fl = 2.0 * T * d_in * d_out
        row = {
            "fwd mm x·Wᵀ": bench(lambda: torch.mm(x, W.t())),
            "fwd addmm_ y+=x·Wᵀ": bench(lambda: y.addmm_(x, W.t())),
            "fwd mm x·(Wᵀ contiguous)": bench(lambda: torch.mm(x, Wt)),
            "bwd mm dy·W": bench(lambda: torch.mm(dy, W)),
            "bwd addmm_ dx+=dy·W": bench(lambda: dx.addmm_(dy, W)),
        }
        tf = {k: fl / (v / 1e3) / 1e12 for k, v in row.items()}
        thin = {
            "x·Aᵀ [T,r]": bench(lambda: torch.mm(x, A.t())),
            "xa·Bᵀ [T,d_out]": bench(lambda: torch.mm(x[:, :r], B.t())),
            "dy·B [T,r]": bench(lambda: torch.mm(dy, B)),
            "(dyB)ᵀ·x [r,d_in]": bench(lambda: torch.mm(dy[:, :r].t(), x)),
            "dyᵀ·xa [d_out,r]": bench(lambda: torch.mm(dy.t(), x[:, :r])),
            "bmm A.grad_sample": bench(lambda: torch.bmm(dy[:, :r].reshape(2, -1, r).transpose(1, 2),
                                                         x.view(2, -1, d_in))),
            "bmm B.grad_sample": bench(lambda: torch.bmm(dy.view(2, -1, d_out).transpose(1, 2),
                                                         x[:, :r].reshape(2, -1, r))),
        }
        res[f"{d_in}->{d_out}"] = {"ms": row, "tflops": tf, "thin_ms": thin,
                                   "x_read_floor_ms": T * max(d_in, d_out) * 2 / 4.3e12 * 2 * 1e3}
        del x, dy, W, Wt, y, dx
    # NF4 dequant of the largest projection (eager, as in the step)
    from privatune.kernels.nf4 import dequantize_nf4

    layer = qs.quantized_layer(4096, 14336)
    out = torch.empty(14336, 4096, device=dev, dtype=dt)
    res["nf4 14336x4096 ms"] = bench(lambda: dequantize_nf4(layer.weight.data, layer.weight.quant_state, dt, out=out))
    # attention, the 8B shape: batch 2, 32 heads (8 kv), 2048, head 128
    q = torch.randn(2, 32, 2048, 128, device=dev, dtype=dt, requires_grad=True)
    k = torch.randn(2, 8, 2048, 128, device=dev, dtype=dt, requires_grad=True)
    v = torch.randn(2, 8, 2048, 128, device=dev, dtype=dt, requires_grad=True)
    g = torch.randn(2, 32, 2048, 128, device=dev, dtype=dt)
    kr, vr = (t.detach().repeat_interleave(4, dim=1).requires_grad_(True) for t in (k, v))
    mask = torch.ones(2048, 2048, device=dev, dtype=torch.bool).tril()
    att = {}
    for name, fn in {
        "causal repeat_kv": lambda: F.scaled_dot_product_attention(q, kr, vr, is_causal=True),
        "causal enable_gqa": lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True),
        "bool mask repeat_kv": lambda: F.scaled_dot_product_attention(q, kr, vr, attn_mask=mask),
    }.items():
        try:
            att[name + " fwd"] = bench(fn)
            att[name + " fwd+bwd"] = bench(lambda: fn().backward(g))
        except RuntimeError as err:
            att[name] = f"error: {str(err)[:100]}"
    flops_fwd = 4 * 2 * 32 * 2048 * 2048 * 128 / 2
    att["causal fwd TFLOP/s (repeat_kv)"] = flops_fwd / (att.get("causal repeat_kv fwd", float("nan")) / 1e3) / 1e12
    res["attention_ms"] = att
    return res


def launch_overhead(calls: int = 2000) -> dict:
    """Host µs per NF4 dequantisation of a tiny weight (GPU time ≈ nil): ordinary Triton launch
    (`dequantize_nf4`) against the prepared call with its direct launch (`nf4_dequantizer`)."""
    from privatune.kernels.nf4 import dequantize_nf4, nf4_dequantizer

    layer = qs.quantized_layer(64, 64)
    data, state = layer.weight.data, layer.weight.quant_state
    out = torch.empty(64, 64, device="cuda", dtype=torch.bfloat16)
    fill = nf4_dequantizer(data, state, torch.bfloat16)
    result = {}
    for name, fn in (("dequantize_nf4 (ordinary launch)", lambda: dequantize_nf4(data, state, torch.bfloat16, out=out)),
                     ("nf4_dequantizer fill (direct launch)", lambda: fill(out))):
        for _ in range(20):
            fn()
        torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        torch.cuda.synchronize()
        result[name] = 1e6 * (time.perf_counter() - t) / calls
    return result


def main() -> int:
    t0 = time.perf_counter()
    if PARTS:
        RESULT["parts"] = parts()
        print(json.dumps(RESULT["parts"], indent=1, default=str), flush=True)
    RESULT["launch_us"] = launch_overhead()
    print("host µs per launch:", {k: round(v, 1) for k, v in RESULT["launch_us"].items()}, flush=True)
    for variant in ("privatune-nondp", "privatune-dp"):
        RESULT[variant] = profile_step(variant)
        r = RESULT[variant]
        print(f"\n== 8b/{variant}: wall {r['wall_s_median']*1e3:.1f} ms (profiled {r['wall_s_profiled']*1e3:.1f}), "
              f"GPU kernels {r['gpu_kernel_ms']:.1f} ms, peak {r['peak_gib']:.2f} GiB", flush=True)
        for cat, ms in r["by_category_ms"].items():
            print(f"  {cat:14} {ms:8.1f} ms")
        print("  top kernels:")
        for k in r["top_kernels"][:18]:
            print(f"   {k['ms']:8.2f} ms ×{k['count']:5d}  {k['name'][:90]}")
        print("  ops by shape:")
        for s in r["ops_by_shape"][:22]:
            tf = f"{s['tflops']:6.0f} TF/s" if s["tflops"] else " " * 11
            print(f"   {s['ms']:8.2f} ms ×{s['count']:4d} {tf}  {s['op']} {s['shapes'][:90]}")
    RESULT["elapsed_s"] = time.perf_counter() - t0
    (OUT / "profile_step.json").write_text(json.dumps(RESULT, indent=1, default=str))
    qs.VARIANTS["privatune-nondp-nockpt"] = ("privatune", False, False, True)
    RESULT["nockpt"] = qs.run_variant("8b", "privatune-nondp-nockpt")
    print(f"\n8b/privatune-nondp without checkpointing: {RESULT['nockpt']}")
    (OUT / "profile_step.json").write_text(json.dumps(RESULT, indent=1, default=str))
    print(f"done in {RESULT['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
