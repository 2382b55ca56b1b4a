"""Non-DP QLoRA peers for benchmarks/qlora_speed.py: Unsloth and Liger-Kernel, each in its own process.

    python benchmarks/peers.py --peer unsloth --shapes 8b --fit-seqs 65536,81920 --steps 5

Prints one line `PEER_RESULT {json}` last. $PEER_SITE (optional) holds the peers' wheels and is put
on the child's path only (their dependencies, e.g. torchao, never reach privatune's process). A peer that is not installed (or fails to import) is
reported as skipped with the reason; qlora_speed.py runs this file once per peer (`run_peer`), so
neither peer's monkey-patching of transformers reaches privatune's variants or the other peer.

Same model shapes as qlora_speed.py (random-init Llama, NF4 double quant blocksize 64, LoRA r = 16,
alpha 32, all 7 projections, bf16, sdpa, checkpointing), the same step (forward with labels, mean
loss, backward, fused AdamW, zero_grad), the same timing (median after 2 warm-up steps) and peak
(max_memory_allocated from after the model is built, weights included).
- unsloth: `FastLanguageModel.from_pretrained` of the random model saved once to a local folder
  (Unsloth builds its own 4-bit model and patches the Llama classes on load), offline
  (UNSLOTH_DISABLE_STATISTICS, HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE), `get_peft_model` with
  `use_gradient_checkpointing="unsloth"` (its checkpoints offloaded to CPU memory);
- liger: `apply_liger_kernel_to_llama()` (RMSNorm, RoPE, SwiGLU, fused linear cross-entropy), then
  transformers + PEFT + bitsandbytes as stock, HF checkpointing.
Fit: batch 1, each length of --fit-seqs in order under a --limit-gib allocator cap, one step each,
stopping at the first that does not fit.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

GiB = 2**30
PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
SHAPES = {  # as qlora_speed.SHAPES: (hidden, intermediate, layers, heads, kv heads, vocab, batch, seq)
    "1b": (2048, 8192, 16, 32, 8, 128256, 4, 1024),
    "8b": (4096, 14336, 32, 32, 8, 128256, 2, 2048),
}
MODULES = {"unsloth": "unsloth", "liger": "liger_kernel"}


def run_peer(peer: str, shapes: list[str], fit_seqs: list[int], steps: int, limit_gib: float,
             timeout_s: float, fit_steps: int = 1) -> dict:
    """Run one peer in a child process; its result dict (or why it was skipped)."""
    peer_site = os.environ.get("PEER_SITE", "")  # the peers' own wheels, kept off privatune's path
    if importlib.machinery.PathFinder.find_spec(MODULES[peer], [p for p in [peer_site] + sys.path if p]) is None:
        return {"skipped": f"{MODULES[peer]} not installed"}
    cmd = [sys.executable, __file__, "--peer", peer, "--shapes", ",".join(shapes), "--steps", str(steps),
           "--fit-seqs", ",".join(map(str, fit_seqs)), "--limit-gib", str(limit_gib), "--fit-steps", str(fit_steps)]
    env = {**os.environ, "UNSLOTH_DISABLE_STATISTICS": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (peer_site, os.environ.get("PYTHONPATH", "")) if p)}
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired as err:
        return {"error": f"timed out after {timeout_s:.0f} s", "log_tail": (err.stdout or "")[-1500:]}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("PEER_RESULT ")]
    if not lines:
        return {"error": f"exit {done.returncode}", "log_tail": (done.stdout + done.stderr)[-3000:]}
    result = json.loads(lines[-1][len("PEER_RESULT "):])
    result["log_tail"] = done.stderr[-800:]
    return result


# ---- the child ------------------------------------------------------------------------------------

def llama_config(shape: str, max_positions: int):
    from transformers import LlamaConfig

    hidden, inter, layers, heads, kv, vocab, _, _ = SHAPES[shape]
    return LlamaConfig(vocab_size=vocab, hidden_size=hidden, intermediate_size=inter, num_hidden_layers=layers,
                       num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=max_positions,
                       tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, pad_token_id=0)


def build_liger(shape: str, max_positions: int):
    import bitsandbytes as bnb
    import torch
    from liger_kernel.transformers import apply_liger_kernel_to_llama
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    apply_liger_kernel_to_llama()  # before the model exists: it swaps the Llama classes' pieces
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(llama_config(shape, max_positions), dtype=torch.bfloat16,
                                                 attn_implementation="sdpa")
    for layer in model.model.layers:  # as qlora_speed.quantize_projections
        for parent in (layer.self_attn, layer.mlp):
            for name, child in list(parent.named_children()):
                if type(child) is not torch.nn.Linear:
                    continue
                q = bnb.nn.Linear4bit(child.in_features, child.out_features, bias=False, compute_dtype=torch.bfloat16,
                                      compress_statistics=True, quant_type="nf4", device="meta")
                q.weight = bnb.nn.Params4bit(child.weight.data, requires_grad=False, blocksize=64,
                                             compress_statistics=True, quant_type="nf4")
                setattr(parent, name, q.to("cuda"))
    model.is_loaded_in_4bit = True
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=PROJECTIONS,
                                             task_type="CAUSAL_LM"))
    model.config.use_cache = False
    return model


def build_unsloth(shape: str, max_positions: int, folder: str):
    import unsloth  # noqa: F401  (first: it patches transformers on import)
    import torch
    from tokenizers import Tokenizer, models
    from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast
    from unsloth import FastLanguageModel

    if not os.path.exists(os.path.join(folder, "config.json")):  # the random model, saved once
        torch.manual_seed(0)
        with torch.device("cuda"):
            model = AutoModelForCausalLM.from_config(llama_config(shape, max_positions), dtype=torch.bfloat16)
        model.save_pretrained(folder)
        del model
        torch.cuda.empty_cache()
        vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3}
        PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.WordLevel(vocab, unk_token="<unk>")),
                                bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                unk_token="<unk>").save_pretrained(folder)
    model, _ = FastLanguageModel.from_pretrained(model_name=folder, max_seq_length=max_positions,
                                                 dtype=torch.bfloat16, load_in_4bit=True, fix_tokenizer=False)
    model = FastLanguageModel.get_peft_model(model, r=16, lora_alpha=32, lora_dropout=0.0, bias="none",
                                             target_modules=PROJECTIONS, use_gradient_checkpointing="unsloth",
                                             random_state=0, max_seq_length=max_positions)
    FastLanguageModel.for_training(model)
    return model


def make_batch(batch: int, seq: int, vocab: int):
    import torch

    g = torch.Generator().manual_seed(1)
    ids = torch.randint(4, vocab, (batch, seq), generator=g).cuda()
    return {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids}


def child(opts) -> dict:
    import torch

    versions = {}
    for pkg in ("unsloth", "unsloth_zoo", "liger_kernel", "torch", "transformers", "peft", "bitsandbytes", "triton"):
        try:
            versions[pkg] = __import__("importlib.metadata").metadata.version(pkg.replace("_", "-"))
        except Exception:  # noqa: BLE001 - absent packages are reported as None
            versions[pkg] = None
    out = {"versions": versions, "speed": {}, "fit": {}}
    fit_seqs = [int(s) for s in opts.fit_seqs.split(",") if s]
    longest = max(fit_seqs + [2048])
    folder = tempfile.mkdtemp(prefix="peer-model-")
    for shape in opts.shapes.split(","):
        model = (build_unsloth(shape, longest, os.path.join(folder, shape)) if opts.peer == "unsloth"
                 else build_liger(shape, longest))
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4, fused=True)

        def step(batch):
            loss = model(**batch).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            return float(loss.detach())

        _, _, _, _, _, vocab, batch_size, seq = SHAPES[shape]
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        batch, times, losses = make_batch(batch_size, seq, vocab), [], []
        for i in range(2 + opts.steps):
            torch.cuda.synchronize()
            start = time.perf_counter()
            losses.append(step(batch))
            torch.cuda.synchronize()
            if i >= 2:
                times.append(time.perf_counter() - start)
        step_s = statistics.median(times)
        out["speed"][shape] = {"step_s": step_s, "tokens_per_s": batch_size * seq / step_s,
                               "peak_gib": torch.cuda.max_memory_allocated() / GiB, "loss_first_last": [losses[0], losses[-1]]}
        print(f"{opts.peer} {shape} speed: {out['speed'][shape]}", file=sys.stderr, flush=True)
        if shape == "8b" and fit_seqs:
            total = torch.cuda.get_device_properties(0).total_memory
            torch.cuda.set_per_process_memory_fraction(opts.limit_gib * GiB / total)
            for s in fit_seqs:
                del batch
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats()
                try:
                    batch = make_batch(1, s, vocab)
                    steps_s = []
                    for _ in range(opts.fit_steps):  # the first step at a new length also allocates
                        start = time.perf_counter()
                        step(batch)
                        torch.cuda.synchronize()
                        steps_s.append(time.perf_counter() - start)
                    ok = torch.cuda.max_memory_allocated() / GiB <= opts.limit_gib
                    out["fit"][s] = {"ok": ok, "step_s": steps_s[-1], "steps_s": steps_s,
                                     "peak_gib": torch.cuda.max_memory_allocated() / GiB}
                except torch.OutOfMemoryError:
                    optimizer.zero_grad(set_to_none=True)
                    batch = None
                    out["fit"][s] = {"ok": False, "error": "OOM"}
                print(f"{opts.peer} fit {s}: {out['fit'][s]}", file=sys.stderr, flush=True)
                if not out["fit"][s]["ok"]:
                    break
            torch.cuda.set_per_process_memory_fraction(1.0)
        del model, optimizer
        torch.cuda.empty_cache()
    fits = [s for s, r in out["fit"].items() if r["ok"]]
    out["longest_seq"] = max(fits) if fits else 0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", choices=sorted(MODULES), required=True)
    parser.add_argument("--shapes", default="8b")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--fit-seqs", default="")
    parser.add_argument("--limit-gib", type=float, default=24.0)
    parser.add_argument("--fit-steps", type=int, default=1)
    opts = parser.parse_args()
    try:
        result = child(opts)
    except ImportError as err:
        result = {"skipped": f"import failed: {type(err).__name__}: {err}"}
    except Exception as err:  # noqa: BLE001 - the benchmark records why a peer did not run
        import traceback

        result = {"error": f"{type(err).__name__}: {str(err)[:300]}", "trace": traceback.format_exc()[-1500:]}
    print("PEER_RESULT " + json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main()
