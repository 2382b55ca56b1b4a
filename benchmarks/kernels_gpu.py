"""Check and time every privatune kernel at Llama-8B shapes on one GPU, in one run.

    python benchmarks/kernels_gpu.py              # on the H200: bf16, Llama-8B shapes
    python benchmarks/kernels_gpu.py --dry-run    # CPU, tiny shapes, TRITON_INTERPRET=1 (checks the script)

For each kernel: bf16 outputs and grads against an fp32 reference by relative norm (never NaN),
and median times (triton.testing.do_bench) of the Triton path and the torch reference. NF4 also
gets the measured device-to-device copy bandwidth and its own bandwidth as a fraction of it.
Prints a table; writes kernels_gpu.json under $OUT when set. Exit code 1 if any check fails.
Needs `pip install --no-deps -e .` or runs from the repository root as is; bitsandbytes optional.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("--dry-run", action="store_true", help="tiny shapes on CPU under TRITON_INTERPRET=1")
ARGS.add_argument("--only", nargs="*", default=None, help="subset: nf4 rmsnorm rope swiglu cross_entropy")
OPTS = ARGS.parse_args()
if OPTS.dry_run:
    os.environ["TRITON_INTERPRET"] = "1"  # before anything imports triton

import torch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _import_kernels():
    """privatune.kernels, from the installed package or straight from this checkout."""
    try:
        import privatune.kernels.nf4  # noqa: F401
    except ImportError:  # not installed, or installed from a checkout without the kernels
        import importlib.util

        for name in [m for m in sys.modules if m == "privatune" or m.startswith("privatune.")]:
            del sys.modules[name]

        for name, folder in (("privatune", ROOT / "privatune"), ("privatune.kernels", ROOT / "kernels")):
            spec = importlib.util.spec_from_file_location(
                name, folder / "__init__.py", submodule_search_locations=[str(folder)]
            )
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)


_import_kernels()
from privatune.kernels import _utils, cross_entropy, nf4, rmsnorm, rope, swiglu  # noqa: E402

LLAMA_8B = dict(hidden=4096, intermediate=14336, vocab=128256, batch=2, seq=2048, heads=32, kv_heads=8, head_dim=128)
TINY = dict(hidden=64, intermediate=160, vocab=300, batch=2, seq=37, heads=4, kv_heads=2, head_dim=16)
BF16_TOL = 1e-2  # bf16 operands against an fp32 reference
NF4_CODE = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
            -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
            0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
            0.7229568362236023, 1.0]


def bench_ms(fn, device, grad_to_none=None) -> float:
    """Median milliseconds: triton.testing.do_bench on CUDA; one timed call in the (CPU) dry run."""
    if device.type == "cuda":
        import triton.testing

        return float(triton.testing.do_bench(fn, grad_to_none=grad_to_none, return_mode="median"))
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1e3


def rel_err(got: torch.Tensor, ref: torch.Tensor) -> float:
    """‖got − ref‖ / ‖ref‖ in fp64; inf when got has a NaN or inf."""
    got, ref = got.detach().double(), ref.detach().double()
    if not torch.isfinite(got).all():
        return float("inf")
    return float((got - ref).norm() / ref.norm().clamp_min(1e-30))


def leaf(t: torch.Tensor, grad: bool = True) -> torch.Tensor:
    return t.detach().clone().requires_grad_(grad)


def grads_of(outputs, inputs, upstream):
    return torch.autograd.grad(outputs, inputs, upstream)


def check_rmsnorm(s, device, dtype):
    x = torch.randn(s["batch"] * s["seq"], s["hidden"], device=device, dtype=dtype)
    w = 1 + 0.1 * torch.randn(s["hidden"], device=device, dtype=dtype)
    dy = torch.randn_like(x)
    xt, wt = leaf(x), leaf(w)
    y = rmsnorm.rms_norm(xt, wt)
    got = [y, *grads_of(y, (xt, wt), dy)]
    xr, wr = leaf(x.float()), leaf(w.float())
    yr = rmsnorm.rms_norm_reference(xr, wr)
    ref = [yr, *grads_of(yr, (xr, wr), dy.float())]
    errs = {name: rel_err(a, b) for name, a, b in zip(("y", "dx", "dw"), got, ref)}

    def run(fn):
        xi, wi = leaf(x), leaf(w)
        return lambda: grads_of(fn(xi, wi), (xi, wi), dy)

    return errs, {
        "fwd+bwd": (bench_ms(run(rmsnorm.rms_norm), device), bench_ms(run(rmsnorm.rms_norm_reference), device)),
    }, {}


def rope_inputs(s, device, dtype):
    b, n, h, kv, d = s["batch"], s["seq"], s["heads"], s["kv_heads"], s["head_dim"]
    q = torch.randn(b, n, h, d, device=device, dtype=dtype).transpose(1, 2)  # HF's view
    k = torch.randn(b, n, kv, d, device=device, dtype=dtype).transpose(1, 2)
    inv_freq = 1.0 / (500000.0 ** (torch.arange(0, d, 2, device=device).float() / d))
    freqs = torch.arange(n, device=device).float()[:, None] * inv_freq[None]
    emb = torch.cat((freqs, freqs), dim=-1)[None].expand(b, n, d)
    return q, k, emb.cos().to(dtype), emb.sin().to(dtype)


def check_rope(s, device, dtype):
    q, k, cos, sin = rope_inputs(s, device, dtype)
    gq, gk = torch.randn_like(q), torch.randn_like(k)
    qt, kt = leaf(q), leaf(k)
    out = rope.apply_rope(qt, kt, cos, sin)
    got = [*out, *grads_of(out, (qt, kt), (gq, gk))]
    qr, kr = leaf(q.float()), leaf(k.float())
    ref_out = rope.rope_reference(qr, kr, cos.float(), sin.float())
    ref = [*ref_out, *grads_of(ref_out, (qr, kr), (gq.float(), gk.float()))]
    errs = {name: rel_err(a, b) for name, a, b in zip(("q", "k", "dq", "dk"), got, ref)}

    def run(fn):
        qi, ki = leaf(q), leaf(k)
        return lambda: grads_of(fn(qi, ki, cos, sin), (qi, ki), (gq, gk))

    return errs, {"fwd+bwd": (bench_ms(run(rope.apply_rope), device), bench_ms(run(rope.rope_reference), device))}, {}


def check_swiglu(s, device, dtype):
    shape = (s["batch"] * s["seq"], s["intermediate"])
    gate, up = torch.randn(shape, device=device, dtype=dtype), torch.randn(shape, device=device, dtype=dtype)
    dh = torch.randn_like(gate)
    gt, ut = leaf(gate), leaf(up)
    h = swiglu.swiglu(gt, ut)
    got = [h, *grads_of(h, (gt, ut), dh)]
    gr, ur = leaf(gate.float()), leaf(up.float())
    hr = swiglu.swiglu_reference(gr, ur)
    ref = [hr, *grads_of(hr, (gr, ur), dh.float())]
    errs = {name: rel_err(a, b) for name, a, b in zip(("h", "dgate", "dup"), got, ref)}

    def run(fn):
        gi, ui = leaf(gate), leaf(up)
        return lambda: grads_of(fn(gi, ui), (gi, ui), dh)

    return errs, {"fwd+bwd": (bench_ms(run(swiglu.swiglu), device), bench_ms(run(swiglu.swiglu_reference), device))}, {}


def peak_gib(fn, device) -> float:
    if device.type != "cuda":
        return float("nan")
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    fn()
    torch.cuda.synchronize()
    return (torch.cuda.max_memory_allocated() - base) / 2**30


def check_cross_entropy(s, device, dtype):
    b, n, hdim, vocab = s["batch"], s["seq"], s["hidden"], s["vocab"]
    hidden = torch.randn(b, n, hdim, device=device, dtype=dtype)
    weight = (torch.randn(vocab, hdim, device=device) / hdim**0.5).to(dtype)
    labels = cross_entropy.shift_labels(torch.randint(0, vocab, (b, n), device=device))
    labels[1, n // 2:] = -100  # a padded example
    index = torch.arange(b, device=device).repeat_interleave(n)
    ht = leaf(hidden)
    losses = cross_entropy.fused_linear_cross_entropy(ht, weight, labels)
    got = [losses, *grads_of(losses.mean(), ht, None)]
    hr = leaf(hidden.float())
    flat_labels = labels.reshape(-1)
    ref_losses = cross_entropy.cross_entropy_reference(hr.reshape(-1, hdim), weight.float(), flat_labels, index, b)
    ref = [ref_losses, *grads_of(ref_losses.mean(), hr, None)]
    errs = {name: rel_err(a, c) for name, a, c in zip(("losses", "dhidden"), got, ref)}
    del ref, ref_losses, hr

    h_leaf = leaf(hidden)

    def fused(chunk_size=None):
        losses = cross_entropy.fused_linear_cross_entropy(h_leaf, weight, labels, chunk_size=chunk_size)
        return grads_of(losses.mean(), h_leaf, None)

    def torch_ref():
        flat = h_leaf.reshape(-1, hdim)
        losses = cross_entropy.cross_entropy_reference(flat, weight, flat_labels, index, b)
        return grads_of(losses.mean(), h_leaf, None)

    extra = {"peak GiB fused": peak_gib(fused, device), "peak GiB torch": peak_gib(torch_ref, device)}
    torch_ms = bench_ms(torch_ref, device)
    big_chunk = 1024 if device.type == "cuda" else 16
    return errs, {
        "fwd+bwd": (bench_ms(fused, device), torch_ms),
        f"fwd+bwd chunk={big_chunk}": (bench_ms(lambda: fused(big_chunk), device), torch_ms),
    }, extra


def nf4_state(s, device, dtype):
    """A nested (double-quantised) NF4 weight [intermediate, hidden]: bitsandbytes if present."""
    shape = (s["intermediate"], s["hidden"])
    try:
        import bitsandbytes.functional as bnbf

        packed, state = bnbf.quantize_4bit(
            torch.randn(shape, device=device, dtype=dtype) * 0.02,
            blocksize=64, compress_statistics=True, quant_type="nf4",
        )
        return packed, state, bnbf
    except ImportError:  # same layout, random contents: still checks ours against the torch reference
        from types import SimpleNamespace

        n = shape[0] * shape[1]
        state2 = SimpleNamespace(absmax=torch.rand(-(-n // 64 // 256), device=device), blocksize=256,
                                 code=torch.linspace(-1, 1, 256, device=device))
        state = SimpleNamespace(
            absmax=torch.randint(0, 256, (n // 64,), dtype=torch.uint8, device=device), shape=torch.Size(shape),
            code=torch.tensor(NF4_CODE, device=device), blocksize=64, quant_type="nf4", dtype=dtype,
            offset=torch.tensor(0.01, device=device), state2=state2, nested=True,
        )
        return torch.randint(0, 256, (n // 2, 1), dtype=torch.uint8, device=device), state, None


def copy_bandwidth_gbs(device, n_bytes) -> float:
    src = torch.empty(n_bytes, dtype=torch.uint8, device=device)
    dst = torch.empty_like(src)
    return 2 * n_bytes / (bench_ms(lambda: dst.copy_(src), device) * 1e-3) / 1e9


def check_nf4(s, device, dtype):
    packed, state, bnbf = nf4_state(s, device, dtype)
    n = state.shape[0] * state.shape[1]
    got = nf4.dequantize_nf4(packed, state, dtype)
    errs = {"vs torch ref": rel_err(got, nf4.dequantize_nf4_reference(packed, state, torch.float32))}
    times = {"dequant": (bench_ms(lambda: nf4.dequantize_nf4(packed, state, dtype), device),
                         bench_ms(lambda: nf4.dequantize_nf4_reference(packed, state, dtype), device))}
    extra = {}
    if bnbf is not None:
        errs["vs bnb"] = rel_err(got, bnbf.dequantize_4bit(packed, state, quant_type="nf4").to(dtype))
        extra["bnb dequant ms"] = bench_ms(lambda: bnbf.dequantize_4bit(packed, state, quant_type="nf4"), device)
    moved = n // 2 + state.absmax.numel() * state.absmax.element_size() + n * got.element_size()
    extra["nf4 GB/s"] = moved / (times["dequant"][0] * 1e-3) / 1e9
    if device.type == "cuda" and _utils.use_triton(packed):  # launch-shape variants, for tuning
        flat = packed.reshape(-1)
        for block_bytes in (512, 1024, 2048, 4096):
            for warps in (4, 8):
                ms = bench_ms(lambda: nf4._dequantize_nf4_triton(flat, state, dtype, block_bytes, warps), device)
                extra[f"GB/s {block_bytes}B/{warps}w"] = moved / (ms * 1e-3) / 1e9
    if _utils.use_triton(packed):  # the prepared call the training step makes (direct launch after the first)
        fill = nf4.nf4_dequantizer(packed, state, dtype)
        out = torch.full(tuple(state.shape), float("nan"), dtype=dtype, device=device)
        fill(out)
        fill(out.fill_(float("nan")))  # the second call takes the direct launch where it is available
        errs["prepared call vs dequantize_nf4"] = rel_err(out, got)
        extra["nf4 GB/s prepared call"] = moved / (bench_ms(lambda: fill(out), device) * 1e-3) / 1e9
    if device.type == "cuda" and _utils.use_triton(packed):  # the kernel alone: no host time per call
        import triton.testing

        out = torch.empty(tuple(state.shape), dtype=dtype, device=device)
        try:
            ms = triton.testing.do_bench_cudagraph(lambda: nf4.dequantize_nf4(packed, state, dtype, out=out))
            extra["nf4 GB/s cuda graph"] = moved / (ms * 1e-3) / 1e9
        except Exception as err:  # noqa: BLE001 - a capture failure must not hide the other figures
            extra["cuda graph error"] = f"{type(err).__name__}: {str(err)[:80]}"
    extra["copy GB/s"] = copy_bandwidth_gbs(device, 2**30 if device.type == "cuda" else 2**20)
    extra["fraction of copy"] = extra["nf4 GB/s"] / extra["copy GB/s"]
    if "nf4 GB/s prepared call" in extra:
        extra["fraction of copy, prepared call"] = extra["nf4 GB/s prepared call"] / extra["copy GB/s"]
    if "nf4 GB/s cuda graph" in extra:
        extra["fraction of copy, graph"] = extra["nf4 GB/s cuda graph"] / extra["copy GB/s"]
    return errs, times, extra


CHECKS = {"nf4": check_nf4, "rmsnorm": check_rmsnorm, "rope": check_rope, "swiglu": check_swiglu,
          "cross_entropy": check_cross_entropy}


def main() -> int:
    device = torch.device("cuda" if torch.cuda.is_available() and not OPTS.dry_run else "cpu")
    if device.type == "cpu" and not OPTS.dry_run:
        print("no CUDA device: use --dry-run for the CPU check of this script", file=sys.stderr)
        return 2
    # The interpreter gets bf16 wrong (DESIGN.md), so the dry run checks the script in fp16.
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float16
    shapes = LLAMA_8B if device.type == "cuda" else TINY
    torch.manual_seed(0)
    header = {
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu (dry run)",
        "torch": torch.__version__, "kernels": _utils.triton_status(), "dtype": str(dtype), "shapes": shapes,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    print(json.dumps(header))
    results, failed = {}, False
    print(f"{'kernel':<14}{'check':<42}{'triton ms':>10}{'torch ms':>10}{'speedup':>9}  extra")
    for name in OPTS.only or CHECKS:
        try:
            errs, times, extra = CHECKS[name](shapes, device, dtype)
        except Exception as exc:  # one broken kernel must not hide the others' figures
            print(f"{name:<14}ERROR {type(exc).__name__}: {exc}")
            results[name], failed = {"error": repr(exc)}, True
            continue
        ok = all(e <= BF16_TOL for e in errs.values())
        failed |= not ok
        check = ("PASS " if ok else "FAIL ") + " ".join(f"{k}={v:.1e}" for k, v in errs.items())
        for label, (fast, slow) in times.items():
            more = " ".join(f"{k}={v:.3g}" for k, v in extra.items())
            print(f"{name:<14}{check:<42}{fast:>10.3f}{slow:>10.3f}{slow / fast:>8.2f}x  {label} {more}")
        results[name] = {"rel_err": errs, "ok": ok, "ms": times, **extra}
        if device.type == "cuda":
            torch.cuda.empty_cache()
    if os.environ.get("OUT"):
        out = Path(os.environ["OUT"]) / "kernels_gpu.json"
        out.write_text(json.dumps({**header, "results": results}, indent=2, default=str))
        print(f"wrote {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
