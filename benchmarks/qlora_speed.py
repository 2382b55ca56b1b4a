"""DP-QLoRA training speed and memory: the stock stack against privatune, on one GPU, in one run.

    python benchmarks/qlora_speed.py --quick       # H200: under ~6 min (see --budget-s)
    python benchmarks/qlora_speed.py               # every variant at 1B and 8B
    python benchmarks/qlora_speed.py --dry-run     # CPU, tiny model, TRITON_INTERPRET=1: checks the script

Random-init Llama shapes built straight on the device in bf16, then quantised there by bitsandbytes
(NF4, double quantisation, blocksize 64), PEFT LoRA r=16 on all 7 projections, sdpa attention.
Variants (see VARIANTS): stock = transformers + PEFT + bitsandbytes (+ Opacus GradSampleModule hooks
for DP, Opacus' own DPOptimizer); privatune = routed LoRA (fused path) + patch_model (+ for DP
privatune.privacy.dp.make_optimizer: FlatDPOptimizer, Opacus semantics on one flat buffer;
`privatune-dp-opacus-opt` swaps in Opacus' DPOptimizer to show what that buys).
`privatune-dp-auto` is offload-activations = auto, the run-config default.
Each: median step time after warm-up → tokens/s, peak GiB (max_memory_allocated after the model is
built), ratios against stock. Peers (benchmarks/peers.py, each in its own process, skipped when not
installed): Unsloth and Liger-Kernel, non-DP, at the same shapes; privatune's DP variants get their
ratios against them. Fit: the longest sequence (of --fit-seqs, in order) a batch-1 8B step fits in
24 GiB, privatune DP (offload auto, sequence-tiled MLP) and each peer. Then the correctness checks
(bf16 fused LoRA and sequence-tiled MLP vs fp64 references; 30-step loss curves kernels vs torch
path, offloaded vs not, tiled MLP vs not).
Prints a short table; writes qlora_speed.json under $OUT when set.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("--dry-run", action="store_true", help="CPU, tiny model, Triton interpreter")
ARGS.add_argument("--quick", action="store_true", help="1B all variants; 8B privatune and stock (not kernels-off)")
ARGS.add_argument("--only", nargs="*", default=None, help="variant names, e.g. 8b/privatune-dp 1b/stock-nondp-ckpt")
ARGS.add_argument("--sections", default="speed,peers,fit,correctness",
                  help="comma list of correctness, speed, peers, fit (peer-fit: the peers' fit only)")
ARGS.add_argument("--peers", default="unsloth,liger", help="non-DP peers (benchmarks/peers.py), skipped when absent")
ARGS.add_argument("--peer-shapes", default="8b", help="shapes the peers' speed is measured at")
ARGS.add_argument("--fit-seqs", default=None, help="sequence lengths tried in order at batch 1 under 24 GiB")
ARGS.add_argument("--peer-fit-seqs", default=None, help="the peers' lengths (default: --fit-seqs)")
ARGS.add_argument("--fit-steps", type=int, default=1, help="steps per fit length (the last one is timed)")
ARGS.add_argument("--steps", type=int, default=5, help="timed steps per variant (after 2 warm-up steps)")
ARGS.add_argument("--budget-s", type=float, default=420.0, help="skip what is left after this many seconds")
OPTS = ARGS.parse_args()
if OPTS.dry_run:
    os.environ["TRITON_INTERPRET"] = "1"  # before anything imports triton

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
try:
    import privatune.client.trainer  # noqa: F401  (installed: pip install --no-deps -e .)
except ImportError:  # run from a bare checkout: map the package folders by hand
    import importlib.util

    for name, folder in (("privatune", "privatune"), ("privatune.kernels", "kernels"),
                         ("privatune.client", "client"), ("privatune.privacy", "privacy")):
        spec = importlib.util.spec_from_file_location(name, ROOT / folder / "__init__.py",
                                                      submodule_search_locations=[str(ROOT / folder)])
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])

from privatune.client.trainer import adamw, per_example_loss  # noqa: E402
from privatune.kernels._utils import fused_path_on_cpu, triton_status  # noqa: E402
from privatune.kernels.peft_routing import lora_layers, route_lora_layers, set_per_example  # noqa: E402
from privatune.kernels.patch import patch_model, restore_global_patches  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))  # its sibling, also under `python -P`
import peers  # noqa: E402

DEVICE = torch.device("cpu" if OPTS.dry_run else "cuda")
DTYPE = torch.float32 if OPTS.dry_run else torch.bfloat16  # the interpreter gets bf16 wrong
GiB = 2**30
PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
SHAPES = {  # name: (hidden, intermediate, layers, heads, kv heads, vocab, batch, seq)
    "1b": (2048, 8192, 16, 32, 8, 128256, 4, 1024),
    "8b": (4096, 14336, 32, 32, 8, 128256, 2, 2048),
    "small": (1024, 2816, 4, 16, 8, 32000, 4, 256),  # correctness: loss curves
    "tiny": (64, 128, 2, 4, 2, 96, 2, 24),  # --dry-run (in_features multiples of bnb's blocksize 64)
}
VARIANTS = {  # name: (stack, dp, checkpointing, kernels)
    "stock-nondp-ckpt": ("stock", False, True, True),
    "stock-dp": ("stock", True, False, True),
    "privatune-nondp": ("privatune", False, True, True),
    "privatune-dp": ("privatune", True, True, True),
    "privatune-dp-kernels-off": ("privatune", True, True, False),
    "privatune-dp-opacus-opt": ("privatune", True, True, True),  # Opacus' DPOptimizer, tensor by tensor
    "privatune-dp-offload": ("privatune", True, True, True),  # checkpointed layer inputs in CPU memory
    "privatune-dp-auto": ("privatune", True, True, True),  # offload-activations = auto (the run-config default)
}
ISSUE_STOCK = {  # measured with the stock stack on the H200 (issue 5): tokens/s, peak GiB
    "1b/stock-nondp-ckpt": (10963, 11.0), "1b/stock-dp": (11040, 30.7),
    "8b/stock-nondp-ckpt": (2832, 17.7), "8b/stock-dp": (3463, 92.7),
}
T0 = time.perf_counter()


def out_of_time() -> bool:
    return time.perf_counter() - T0 > OPTS.budget_s


# ---- the model: random-init Llama, quantised on the device ------------------------------------------

def build(shape_name: str, *, checkpointing: bool, seed: int = 0):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, LlamaConfig

    hidden, inter, layers, heads, kv, vocab, _, _ = SHAPES[shape_name]
    config = LlamaConfig(vocab_size=vocab, hidden_size=hidden, intermediate_size=inter, num_hidden_layers=layers,
                         num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=131072,
                         tie_word_embeddings=False)
    torch.manual_seed(seed)
    with torch.device(DEVICE):  # bf16 straight on the GPU: never an fp32 8B model on the CPU
        model = AutoModelForCausalLM.from_config(config, dtype=DTYPE, attn_implementation="sdpa")
    quantize_projections(model)
    model.is_loaded_in_4bit = True  # what from_pretrained(quantization_config=...) sets; PEFT reads it
    if checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=PROJECTIONS, task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    model.config.use_cache = False
    with torch.no_grad():  # B = 0 at init would make every LoRA gradient but B's trivially zero
        for layer in lora_layers(model):
            layer.lora_B["default"].weight.normal_(0, 0.01)
    model.train()
    return model


def quantize_projections(model) -> None:
    """Every projection of every decoder layer → bnb Linear4bit (NF4, double quant), on the device."""
    import bitsandbytes as bnb

    for layer in model.model.layers:
        for parent in (layer.self_attn, layer.mlp):
            for name, child in list(parent.named_children()):
                if type(child) is not nn.Linear:
                    continue
                q = bnb.nn.Linear4bit(child.in_features, child.out_features, bias=False, compute_dtype=DTYPE,
                                      compress_statistics=True, quant_type="nf4", device="meta")
                q.weight = bnb.nn.Params4bit(child.weight.data, requires_grad=False, blocksize=64,
                                             compress_statistics=True, quant_type="nf4")
                setattr(parent, name, q.to(DEVICE))  # Params4bit quantises when moved to the device
                del child


def make_batch(batch: int, seq: int, vocab: int, seed: int = 1):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, vocab, (batch, seq), generator=g)
    return {"input_ids": ids.to(DEVICE), "attention_mask": torch.ones_like(ids).to(DEVICE), "labels": ids.to(DEVICE)}


# ---- one variant: build, wrap, step --------------------------------------------------------------------

def prepare(shape_name, stack, dp, checkpointing, kernels, lr=1e-4, noise_seed=0, flat_optimizer=True,
            offload=False):
    """(model to call, optimizer, per-example?) for one variant."""
    from privatune.privacy.dp import DPConfig, make_optimizer

    os.environ["PRIVATUNE_KERNELS"] = "1" if kernels else "0"
    model = build(shape_name, checkpointing=checkpointing)
    params = [p for p in model.parameters() if p.requires_grad]
    # Both stacks: fused AdamW on CUDA (what HF Trainer's default "adamw_torch_fused" gives stock too).
    optimizer = adamw(params, lr)
    batch_size = SHAPES[shape_name][6]
    if stack == "privatune":
        route_lora_layers(model)
        patch_model(model, offload_activations=offload)
        if dp:
            set_per_example(model, True)
    elif dp:
        from opacus import GradSampleModule

        model = GradSampleModule(model, loss_reduction="sum")
    if dp:
        noise = torch.Generator(device=DEVICE).manual_seed(noise_seed)
        # Stock is stock: Opacus' DPOptimizer, one tensor at a time.
        optimizer = make_optimizer(optimizer, DPConfig(max_grad_norm=1.0), noise_multiplier=1.0,
                                   expected_batch_size=batch_size, generator=noise,
                                   flat=flat_optimizer and stack == "privatune")
    return model, optimizer


def train_step(model, optimizer, batch, dp: bool) -> float:
    losses = per_example_loss(model, batch)
    (losses.sum() if dp else losses.mean()).backward()  # DP: Opacus divides by the expected batch size
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return float(losses.detach().mean())


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def reset_memory():
    gc.collect()
    if DEVICE.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def peak_gib() -> float:
    return torch.cuda.max_memory_allocated() / GiB if DEVICE.type == "cuda" else 0.0


def offload_of(variant: str):
    return "auto" if variant.endswith("-auto") else variant.endswith("-offload")


def auto_decisions(model) -> dict | None:
    """{tokens per step: offloaded?} of a model patched with offload_activations="auto"."""
    from privatune.kernels.offload import AutoOffload

    for m in model.modules():
        fn = getattr(m, "_gradient_checkpointing_func", None)
        if isinstance(fn, AutoOffload):
            return dict(fn.decisions)
    return None


def run_variant(shape_name: str, variant: str) -> dict:
    stack, dp, checkpointing, kernels = VARIANTS[variant]
    _, _, _, _, _, vocab, batch_size, seq = SHAPES[shape_name]
    model, optimizer = prepare(shape_name, stack, dp, checkpointing, kernels,
                               flat_optimizer=not variant.endswith("-opacus-opt"), offload=offload_of(variant))
    reset_memory()
    batch = make_batch(batch_size, seq, vocab)
    times, losses, gc_s = [], [], []
    gc.callbacks.append(_gc_timer(gc_s))  # host time spent in Python's garbage collector
    try:
        with fused_path_on_cpu() if OPTS.dry_run and kernels else _nothing():
            for i in range(2 + OPTS.steps):
                sync()
                start = time.perf_counter()
                losses.append(train_step(model, optimizer, batch, dp))
                sync()
                if i >= 2:
                    times.append(time.perf_counter() - start)
                else:
                    gc_s.clear()
        step_s = statistics.median(times)
        result = {"step_s": step_s, "tokens_per_s": batch_size * seq / step_s, "peak_gib": peak_gib(),
                  "gc_ms_per_step": 1e3 * sum(gc_s) / len(times),
                  "loss_first_last": [losses[0], losses[-1]], "finite": all(math.isfinite(x) for x in losses)}
        if auto_decisions(model) is not None:
            result["auto_offload"] = auto_decisions(model)
    except torch.OutOfMemoryError as err:
        result = {"error": f"OOM: {str(err).splitlines()[0]}"}
    finally:
        gc.callbacks.pop()
        os.environ["PRIVATUNE_KERNELS"] = "1"
        restore_global_patches()  # the RoPE patch is process-wide: stock variants must not get it
    del model, optimizer
    reset_memory()
    return result


def _gc_timer(spent: list):
    started = []

    def callback(phase, info):
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            spent.append(time.perf_counter() - started.pop())

    return callback


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def stock_dp_with_checkpointing(shape_name: str) -> str:
    """Opacus hooks + checkpointing: record what happens (the issue saw a crash)."""
    model, optimizer = prepare(shape_name, "stock", True, True, True)
    _, _, _, _, _, vocab, batch_size, seq = SHAPES[shape_name]
    try:
        train_step(model, optimizer, make_batch(batch_size, min(seq, 256), vocab), True)
        outcome = "ran"
    except Exception as err:  # noqa: BLE001 - recording the failure is the point
        outcome = f"crash: {type(err).__name__}: {str(err).splitlines()[0][:160]}"
    del model, optimizer
    reset_memory()
    return outcome


# ---- the longest 8B DP sequence in 24 GiB ----------------------------------------------------------------

def longest_sequence(shape_name: str, limit_gib: float, seqs: list[int]) -> dict:
    """Each length in order (batch 1) for a privatune DP step with offload-activations = auto (the
    default) under a `limit_gib` allocator cap, one step each, until one does not fit."""
    model, optimizer = prepare(shape_name, "privatune", True, True, True, offload="auto")
    vocab = SHAPES[shape_name][5]
    if DEVICE.type == "cuda":
        torch.cuda.set_per_process_memory_fraction(limit_gib * GiB / torch.cuda.get_device_properties(0).total_memory)
    tried = {}
    for seq in seqs:
        if out_of_time():
            tried[seq] = {"ok": None, "error": "skipped: over --budget-s"}
            break
        reset_memory()
        try:
            steps_s = []
            for _ in range(OPTS.fit_steps):  # the first step at a new length also allocates and decides
                start = time.perf_counter()
                with fused_path_on_cpu() if OPTS.dry_run else _nothing():
                    train_step(model, optimizer, make_batch(1, seq, vocab), True)
                sync()
                steps_s.append(time.perf_counter() - start)
            tried[seq] = {"ok": peak_gib() <= limit_gib, "step_s": steps_s[-1], "steps_s": steps_s,
                          "peak_gib": round(peak_gib(), 2)}
        except torch.OutOfMemoryError:
            tried[seq] = {"ok": False, "error": "OOM"}
        optimizer.zero_grad(set_to_none=True)
        for p in model.parameters():
            p.grad_sample = None
        tried[seq]["auto_offload"] = (auto_decisions(model) or {}).get(seq)
        print(f"[{time.perf_counter() - T0:6.1f}s] fit {seq}: {tried[seq]}", flush=True)
        if not tried[seq]["ok"]:
            break
    if DEVICE.type == "cuda":
        torch.cuda.set_per_process_memory_fraction(1.0)
    del model, optimizer
    reset_memory()
    fits = [s for s, r in tried.items() if r["ok"]]
    return {"limit_gib": limit_gib, "longest_seq": max(fits) if fits else 0, "tried": tried}


# ---- correctness (GPU: bf16 against fp64; CPU dry run: fp32) ---------------------------------------------

def rel(got, ref) -> float:
    got, ref = got.detach().double(), ref.detach().double()
    return float("inf") if not torch.isfinite(got).all() else float((got - ref).norm() / ref.norm())


def check_lora_layer(tokens: int, d_in: int, d_out: int, batch: int = 2) -> dict:
    """Fused LoRA forward/backward + per-example grads in DTYPE vs the torch reference in fp64."""
    from privatune.kernels.lora import lora_linear

    model_layer = quantized_layer(d_in, d_out)
    A = torch.randn(16, d_in, device=DEVICE) / d_in**0.5
    B = torch.randn(d_out, 16, device=DEVICE) * 0.01
    x = torch.randn(batch, tokens // batch, d_in, device=DEVICE)
    dy = torch.randn(batch, tokens // batch, d_out, device=DEVICE)
    out = {}
    for name, dtype, param_dtype in (("fused", DTYPE, torch.float32), ("ref", torch.float64, torch.float64)):
        Ai, Bi = (p.detach().to(param_dtype).requires_grad_(True) for p in (A, B))  # adapters: fp32 as in training
        xi = x.detach().to(dtype).requires_grad_(True)
        with fused_path_on_cpu() if name == "fused" and OPTS.dry_run else _nothing():
            if name == "ref":
                os.environ["PRIVATUNE_KERNELS"] = "0"  # the torch reference path
            y = lora_linear(xi, model_layer, Ai, Bi, 2.0, per_example=True)
            y.backward(dy.to(dtype))
            os.environ["PRIVATUNE_KERNELS"] = "1"
        out[name] = {"y": y, "dx": xi.grad, "dA": Ai.grad, "dB": Bi.grad,
                     "A.grad_sample": Ai.grad_sample, "B.grad_sample": Bi.grad_sample}
    return {k: rel(out["fused"][k], out["ref"][k]) for k in out["ref"]}


def check_tiled_mlp(batch: int, tokens: int, hidden: int, inter: int, tile: int) -> dict:
    """The sequence-tiled LoRA MLP in DTYPE (per-example mode) vs the MLP written out in fp64 on the
    same dequantised NF4 weights: y, dx, each LoRA grad and grad_sample (summed over the tiles)."""
    from privatune.kernels.lora import base_weight_fn
    from privatune.kernels.mlp_tiled import tiled_lora_mlp

    g = torch.Generator(device=DEVICE).manual_seed(3)
    shapes = ((hidden, inter, 2.0), (hidden, inter, 2.0), (inter, hidden, 2.0))
    bases = [quantized_layer(d_in, d_out) for d_in, d_out, _ in shapes]
    lora = [(torch.randn(16, d_in, device=DEVICE, generator=g) / d_in**0.5,
             torch.randn(d_out, 16, device=DEVICE, generator=g) * 0.01) for d_in, d_out, _ in shapes]
    x = torch.randn(batch, tokens, hidden, device=DEVICE, generator=g)
    dy = torch.randn(batch, tokens, hidden, device=DEVICE, generator=g)
    # fused, tiled
    params = [(A.clone().requires_grad_(True), B.clone().requires_grad_(True)) for A, B in lora]
    xi = x.to(DTYPE).requires_grad_(True)
    y = tiled_lora_mlp(xi, [(A, B, base, s) for (A, B), base, (_, _, s) in zip(params, bases, shapes)], True, tile)
    y.backward(dy.to(DTYPE))
    got = {"y": y, "dx": xi.grad}
    for name, (A, B) in zip(("gate", "up", "down"), params):
        got.update({f"{name}.dA": A.grad, f"{name}.dB": B.grad,
                    f"{name}.A.grad_sample": A.grad_sample, f"{name}.B.grad_sample": B.grad_sample})
    del y, xi, params
    # fp64 reference, untiled
    weights = [base_weight_fn(b)(b, torch.float64) for b in bases]  # the torch reference's dequantisation
    leaves = [(A.double().requires_grad_(True), B.double().requires_grad_(True)) for A, B in lora]
    xd = x.double().requires_grad_(True)

    def proj(t, W, AB, s):
        return t @ W.t() + s * (t @ AB[0].t()) @ AB[1].t()

    h = torch.nn.functional.silu(proj(xd, weights[0], leaves[0], 2.0)) * proj(xd, weights[1], leaves[1], 2.0)
    yd = proj(h, weights[2], leaves[2], 2.0)
    flat = [t for pair in leaves for t in pair]
    dx, *grads = torch.autograd.grad(yd, [xd] + flat, dy.double(), retain_graph=True)
    samples = []
    for i in range(batch):
        mask = torch.zeros_like(dy, dtype=torch.float64)
        mask[i] = dy[i].double()
        samples.append(torch.autograd.grad(yd, flat, mask, retain_graph=True))
    ref = {"y": yd, "dx": dx}
    for j, name in enumerate(("gate", "up", "down")):
        ref.update({f"{name}.dA": grads[2 * j], f"{name}.dB": grads[2 * j + 1],
                    f"{name}.A.grad_sample": torch.stack([s[2 * j] for s in samples]),
                    f"{name}.B.grad_sample": torch.stack([s[2 * j + 1] for s in samples])})
    return {k: rel(got[k], ref[k]) for k in ref}


def quantized_layer(d_in: int, d_out: int):
    import bitsandbytes as bnb

    q = bnb.nn.Linear4bit(d_in, d_out, bias=False, compute_dtype=DTYPE, quant_type="nf4", device="meta")
    q.weight = bnb.nn.Params4bit(torch.randn(d_out, d_in, device=DEVICE) * 0.02, requires_grad=False,
                                 blocksize=64, compress_statistics=True, quant_type="nf4")
    return q.to(DEVICE)


def loss_curves(shape_name: str, steps: int, only=None) -> dict:
    """Same init, data and noise seed: kernels on vs off (non-DP, DP), and DP with the checkpointed
    activations offloaded vs not; the largest relative gap between each pair of curves."""
    _, _, _, _, _, vocab, batch_size, seq = SHAPES[shape_name]

    def curve(dp, kernels, offload=False):
        model, optimizer = prepare(shape_name, "privatune", dp, True, kernels, lr=1e-3, offload=offload)
        losses = []
        with fused_path_on_cpu() if OPTS.dry_run and kernels else _nothing():
            for i in range(steps):  # 4 fixed batches, cycled: the loss must go down
                losses.append(train_step(model, optimizer, make_batch(batch_size, seq, vocab, seed=i % 4), dp))
        os.environ["PRIVATUNE_KERNELS"] = "1"
        del model, optimizer
        reset_memory()
        return losses

    def tiled_curve(dp):  # the sequence-tiled MLP (tiles of seq / 4 positions) against the untiled one
        os.environ["PRIVATUNE_MLP_TILE"] = str(max(1, seq // 4))
        try:
            return curve(dp, True)
        finally:
            os.environ.pop("PRIVATUNE_MLP_TILE")

    result = {}
    for name, dp, other, other_kwargs in (("nondp", False, "torch", {"kernels": False}),
                                          ("dp", True, "torch", {"kernels": False}),
                                          ("dp-offload", True, "offload", {"kernels": True, "offload": True}),
                                          ("dp-tiled-mlp", True, "tiled", None)):
        if only and name not in only:
            continue
        curves = {"kernels": curve(dp, True), other: tiled_curve(dp) if other == "tiled" else curve(dp, **other_kwargs)}
        gap = max(abs(a - b) / abs(b) for a, b in zip(curves["kernels"], curves[other]))
        result[name] = {"max_rel_gap": gap, **curves}
    return result


# ---- main -------------------------------------------------------------------------------------------------

def planned_variants() -> list[str]:
    if OPTS.dry_run:
        names = [f"tiny/{v}" for v in VARIANTS]
    elif OPTS.quick:
        # 8B stock last: if --budget-s runs out, the issue's stock figures stand in for them.
        names = [f"1b/{v}" for v in VARIANTS] + [f"8b/{v}" for v in (
            "privatune-nondp", "privatune-dp", "privatune-dp-auto", "privatune-dp-offload", "stock-nondp-ckpt", "stock-dp")]
    else:
        names = [f"{s}/{v}" for s in ("1b", "8b") for v in VARIANTS]
    return [n for n in names if OPTS.only is None or n in OPTS.only]


def ratios(results: dict) -> None:
    for name, r in results.items():
        if "tokens_per_s" not in r or "/privatune" not in name:
            continue
        shape = name.split("/")[0]
        stock = "stock-dp" if VARIANTS[name.split("/")[1]][1] else "stock-nondp-ckpt"
        ref = results.get(f"{shape}/{stock}")
        ref_tps, ref_gib = ((ref["tokens_per_s"], ref["peak_gib"]) if ref and "tokens_per_s" in ref
                            else ISSUE_STOCK.get(f"{shape}/{stock}", (None, None)))
        if ref_tps:
            r["vs_stock"] = {"stock": stock if ref and "tokens_per_s" in ref else f"{stock} (from issue)",
                             "speed": r["tokens_per_s"] / ref_tps,
                             "memory": r["peak_gib"] / ref_gib if ref_gib else float("nan")}
        nondp = results.get(f"{shape}/privatune-nondp")
        dp, kernels = VARIANTS[name.split("/")[1]][1], VARIANTS[name.split("/")[1]][3]
        if dp and kernels and nondp and "step_s" in nondp:
            r["dp_time_over_nondp"] = r["step_s"] / nondp["step_s"]


def ratios_vs_peers(report) -> None:
    """privatune's DP variants against each peer's non-DP step at the same shape (issue 16's targets)."""
    for name, r in report["results"].items():
        shape, variant = name.split("/")
        if "tokens_per_s" not in r or not variant.startswith("privatune-dp"):
            continue
        for peer, p in report.get("peers", {}).items():
            ps = p.get("speed", {}).get(shape)
            if ps:
                r[f"vs_{peer}"] = {"speed": r["tokens_per_s"] / ps["tokens_per_s"], "memory": r["peak_gib"] / ps["peak_gib"]}


def main() -> int:
    sections = set(OPTS.sections.split(","))
    report = {"device": torch.cuda.get_device_name(0) if DEVICE.type == "cuda" else "cpu (dry run)",
              "versions": versions(), "kernels": triton_status(), "results": {}, "notes": []}
    # Correctness first: what every kernel change must pass, before the long-running sections.
    if "correctness" in sections and not out_of_time():
        shapes = [(64, 64, 128)] if OPTS.dry_run else [(4096, 4096, 14336), (4096, 14336, 4096)]
        report["lora_vs_fp64"] = {f"{t}x{i}->{o}": check_lora_layer(t, i, o) for t, i, o in shapes}
        tiled = (2, 24, 64, 128, 5) if OPTS.dry_run else (2, 8192, 4096, 14336, 2048)
        report["lora_vs_fp64"]["tiled-mlp {}x{} {}->{} tile {}".format(*tiled)] = check_tiled_mlp(*tiled)
        report["loss_curves"] = loss_curves("tiny" if OPTS.dry_run else "small", 2 if OPTS.dry_run else 30)
        print(f"[{time.perf_counter() - T0:6.1f}s] correctness: {report['lora_vs_fp64']}; loss-curve gaps "
              f"{ {k: c['max_rel_gap'] for k, c in report['loss_curves'].items()} }", flush=True)
    if "tiled-correctness" in sections:  # the sequence-tiled MLP's checks alone (a short run)
        tiled = (2, 24, 64, 128, 5) if OPTS.dry_run else (2, 8192, 4096, 14336, 2048)
        report["lora_vs_fp64"] = {"tiled-mlp {}x{} {}->{} tile {}".format(*tiled): check_tiled_mlp(*tiled)}
        report["loss_curves"] = loss_curves("tiny" if OPTS.dry_run else "small", 4 if OPTS.dry_run else 30,
                                            only=("dp-tiled-mlp",))
        print(f"[{time.perf_counter() - T0:6.1f}s] tiled correctness: {report['lora_vs_fp64']}; "
              f"{report['loss_curves']['dp-tiled-mlp']['max_rel_gap']:.1e}", flush=True)
    if "speed" in sections:
        for name in planned_variants():
            if out_of_time():
                report["results"][name] = {"error": "skipped: over --budget-s"}
                continue
            shape, variant = name.split("/")
            report["results"][name] = run_variant(shape, variant)
            print(f"[{time.perf_counter() - T0:6.1f}s] {name}: {report['results'][name]}", flush=True)
        if any("/stock" in n for n in planned_variants()):
            shape = "tiny" if OPTS.dry_run else "1b"
            report["stock_dp_with_checkpointing"] = stock_dp_with_checkpointing(shape)
        ratios(report["results"])
    fit_seqs = [int(x) for x in (OPTS.fit_seqs or ("16,24,32" if OPTS.dry_run else "65536,98304,131072")).split(",")]
    peer_fit_seqs = [int(x) for x in OPTS.peer_fit_seqs.split(",")] if OPTS.peer_fit_seqs else fit_seqs
    if "fit" in sections and not out_of_time():
        report["fit_24gib"] = longest_sequence("tiny" if OPTS.dry_run else "8b", 1.0 if OPTS.dry_run else 24.0, fit_seqs)
        print(f"[{time.perf_counter() - T0:6.1f}s] fit: {report['fit_24gib']}", flush=True)
    if "peers" in sections:  # each in its own process; speed at --peer-shapes, fit at 8B
        report["peers"] = {}
        for peer in [p for p in OPTS.peers.split(",") if p]:
            if out_of_time():
                report["peers"][peer] = {"skipped": "over --budget-s"}
                continue
            report["peers"][peer] = peers.run_peer(peer, OPTS.peer_shapes.split(","),
                                                   peer_fit_seqs if "fit" in sections or "peer-fit" in sections else [],
                                                   OPTS.steps, 24.0, fit_steps=OPTS.fit_steps,
                                                   timeout_s=max(30.0, OPTS.budget_s - (time.perf_counter() - T0)))
            print(f"[{time.perf_counter() - T0:6.1f}s] peer {peer}: "
                  f"{ {k: v for k, v in report['peers'][peer].items() if k != 'log_tail'} }", flush=True)
        ratios_vs_peers(report)
    report["elapsed_s"] = time.perf_counter() - T0
    print_table(report)
    if os.environ.get("OUT"):
        Path(os.environ["OUT"], "qlora_speed.json").write_text(json.dumps(report, indent=1, default=str))
    return 0 if checks_pass(report) else 1


def checks_pass(report) -> bool:
    tol = 1e-3 if DTYPE == torch.float32 else 2e-2
    lora_ok = all(e <= tol for errs in report.get("lora_vs_fp64", {}).values() for e in errs.values())
    curves_ok = all(c["max_rel_gap"] <= 5e-2 for c in report.get("loss_curves", {}).values())
    finite = all(r.get("finite", True) for r in report["results"].values())
    return lora_ok and curves_ok and finite


def versions() -> dict:
    import importlib.metadata as md

    out = {"python": sys.version.split()[0]}
    for pkg in ("torch", "triton", "transformers", "peft", "bitsandbytes", "opacus", "accelerate"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


def print_table(report) -> None:
    print(f"\n{report['device']} · {report['kernels']} · {report['versions']}")
    print(f"{'variant':34} {'step s':>8} {'tok/s':>9} {'peak GiB':>9} {'speed×':>7} {'mem×':>6}  vs")
    for name, r in report["results"].items():
        if "error" in r:
            print(f"{name:34} {r['error']}")
            continue
        v = r.get("vs_stock", {})
        print(f"{name:34} {r['step_s']:8.3f} {r['tokens_per_s']:9.0f} {r['peak_gib']:9.2f} "
              f"{v.get('speed', float('nan')):7.2f} {v.get('memory', float('nan')):6.2f}  {v.get('stock', '')}"
              + (f"  DP/nonDP time {r['dp_time_over_nondp']:.2f}" if "dp_time_over_nondp" in r else ""))
    for name, (tps, gib) in ISSUE_STOCK.items():
        print(f"{name + ' (issue)':34} {'':8} {tps:9.0f} {gib:9.2f}")
    if "stock_dp_with_checkpointing" in report:
        print(f"stock Opacus DP + checkpointing: {report['stock_dp_with_checkpointing']}")
    for peer, p in report.get("peers", {}).items():
        if "speed" not in p:
            print(f"peer {peer}: {p.get('skipped') or p.get('error')}")
            continue
        for shape, r in p["speed"].items():
            print(f"{shape + '/' + peer + ' (non-DP)':34} {r['step_s']:8.3f} {r['tokens_per_s']:9.0f} {r['peak_gib']:9.2f}")
        if p.get("fit"):
            print(f"{peer} longest sequence (batch 1) in 24 GiB: {p['longest_seq']}  "
                  + ", ".join(f"{s}: {v.get('step_s', 0):.1f} s {v.get('peak_gib', 0):.1f} GiB" if v["ok"] else f"{s}: no"
                              for s, v in p["fit"].items()))
    for name, r in report["results"].items():
        for peer in report.get("peers", {}):
            if f"vs_{peer}" in r:
                v = r[f"vs_{peer}"]
                print(f"{name} vs {peer} non-DP: speed {v['speed']:.2f}×, memory {v['memory']:.2f}×")
    if "fit_24gib" in report:
        f = report["fit_24gib"]
        print(f"privatune DP longest sequence (batch 1) in {f['limit_gib']} GiB: {f['longest_seq']}  "
              + ", ".join(f"{s}: {v.get('step_s', 0):.1f} s {v.get('peak_gib', 0):.1f} GiB offload={v.get('auto_offload')}"
                          if v.get("ok") else f"{s}: {v.get('error', 'no')}" for s, v in f["tried"].items()))
    for shape, errs in report.get("lora_vs_fp64", {}).items():
        print(f"LoRA {shape} vs fp64: " + ", ".join(f"{k} {v:.1e}" for k, v in errs.items()))
    for kind, c in report.get("loss_curves", {}).items():
        other = next(k for k in c if k not in ("kernels", "max_rel_gap"))
        print(f"loss curve {kind}: kernels {c['kernels'][0]:.3f}→{c['kernels'][-1]:.3f}, {other} "
              f"{c[other][0]:.3f}→{c[other][-1]:.3f}, max rel gap {c['max_rel_gap']:.1e}")
    print(f"checks {'PASS' if checks_pass(report) else 'FAIL'} · {report['elapsed_s']:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
