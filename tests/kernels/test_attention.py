"""privatune.kernels.attention: the q/k/v LoRA Function against three separate torch-reference
`lora_linear` calls, and the patched attention forward in tiny random Llama / Qwen2 / Mistral models
against the same models unpatched (Triton through the CPU interpreter, fp32)."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from privatune.client.trainer import per_example_loss
from privatune.data import collate
from privatune.kernels import attention
from privatune.kernels.attention import LoRAQKVFunction, lora_qkv
from privatune.kernels._utils import fused_path_on_cpu
from privatune.kernels.lora import lora_linear
from privatune.kernels.peft_routing import lora_layers, route_lora_layers, set_per_example
from privatune.kernels.patch import patch_model

PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def rel_err(a, b):
    return ((a - b).norm() / b.norm()).item()


def nf4_layer(d_in, d_out):
    import bitsandbytes as bnb

    assert d_in % 64 == 0  # bitsandbytes' own CPU dequantize_4bit (the reference's) is wrong otherwise
    layer = bnb.nn.Linear4bit(d_in, d_out, bias=False, compute_dtype=torch.float32, quant_type="nf4")
    layer.weight = bnb.nn.Params4bit(torch.randn(d_out, d_in) * 0.1, requires_grad=False,
                                     quant_type="nf4", compress_statistics=True)
    return layer.to("cpu")


def batch_of(lengths, vocab=96, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return collate([torch.randint(1, vocab, (n,), generator=generator) for n in lengths], pad_id=0)


@pytest.fixture(autouse=True)
def _eager_bitsandbytes():
    with torch.compiler.set_stance("force_eager"):  # bnb's CPU ops recompile per shape otherwise
        yield


# ---- the Function against three lora_linear calls ----------------------------------------------------

def qkv_grads(fused, x, parts, per_example):
    """(q, k, v, dx, dA, dB of each, and A/B.grad_sample of each) for fixed random upstream grads."""
    params = [p for A, B, _, _ in parts for p in (A, B)]
    for t in [x] + params:
        t.grad, t.grad_sample = None, None
    if fused:
        with fused_path_on_cpu():
            outs = lora_qkv(x, parts, per_example=per_example)
        assert all(type(o.grad_fn).__name__ == "LoRAQKVFunctionBackward" for o in outs)
    else:
        outs = [lora_linear(x, base, A, B, s, per_example=per_example) for A, B, base, s in parts]
        assert all(type(o.grad_fn).__name__ == "LoRALinearFunctionBackward" for o in outs)
    generator = torch.Generator().manual_seed(11)
    torch.autograd.backward(outs, [torch.randn(o.shape, generator=generator) for o in outs])
    grads = [x.grad] + [p.grad for p in params]
    samples = [p.grad_sample for p in params] if per_example else []
    return [o.detach() for o in outs] + [g.clone() for g in grads + samples]


@pytest.mark.parametrize("base_kind", ["dense_bias", "nf4"])
@pytest.mark.parametrize("batch, tokens, d_in, d_q, d_kv, r", [
    (2, 5, 64, 64, 64, 1),   # multi-head attention
    (3, 7, 64, 64, 32, 8),   # GQA: d_k = d_v < d_q
    (1, 9, 128, 96, 32, 8),  # odd tokens, more groups
])
@pytest.mark.parametrize("per_example", [False, True])
def test_qkv_function_matches_three_lora_linears(base_kind, batch, tokens, d_in, d_q, d_kv, r, per_example):
    def base(d_out):
        if base_kind == "nf4":
            return nf4_layer(d_in, d_out)
        layer = nn.Linear(d_in, d_out, bias=True)
        layer.requires_grad_(False)
        return layer

    parts = [(torch.randn(r, d_in, requires_grad=True), (torch.randn(d_out, r) * 0.3).requires_grad_(True),
              base(d_out), scale) for d_out, scale in ((d_q, 2.0), (d_kv, 0.5), (d_kv, 1.0))]
    x = torch.randn(batch, tokens, d_in, requires_grad=True)
    ref = qkv_grads(False, x, parts, per_example)
    got = qkv_grads(True, x, parts, per_example)
    assert len(got) == len(ref) == 3 + 1 + 6 + (6 if per_example else 0)
    for g, e in zip(got, ref):
        assert g.shape == e.shape and rel_err(g, e) <= 1e-5
    if per_example:
        assert got[10].shape == (batch, r, d_in) and got[11].shape == (batch, d_q, r)


def test_mixed_biases_and_outputs_are_slices_of_one_buffer():
    d_in, r = 64, 4
    bases = [nn.Linear(d_in, 32, bias=True), nn.Linear(d_in, 16, bias=False), nn.Linear(d_in, 16, bias=True)]
    parts = [(torch.randn(r, d_in, requires_grad=True), torch.randn(b.out_features, r, requires_grad=True), b, 1.0)
             for b in bases]
    x = torch.randn(2, 3, d_in, requires_grad=True)
    ref = qkv_grads(False, x, parts, per_example=False)
    got = qkv_grads(True, x, parts, per_example=False)
    for g, e in zip(got, ref):
        assert rel_err(g, e) <= 1e-5
    with fused_path_on_cpu():
        q, k, v = lora_qkv(x, parts)
    assert q.untyped_storage().data_ptr() == k.untyped_storage().data_ptr() == v.untyped_storage().data_ptr()
    assert LoRAQKVFunction is not None


# ---- the patched attention forward in tiny models --------------------------------------------------

def tiny_model(arch: str, *, checkpointing=False, lora_dropout=0.0, attn="sdpa", sliding_window=None, seed=0):
    from peft import LoraConfig, get_peft_model
    import transformers

    common = dict(vocab_size=96, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                  attn_implementation=attn)
    if arch == "mistral":
        config = transformers.MistralConfig(sliding_window=sliding_window or 4096, **common)
        cls = transformers.MistralForCausalLM
    elif arch == "qwen2":
        config = transformers.Qwen2Config(**common)
        cls = transformers.Qwen2ForCausalLM
    else:
        config = transformers.LlamaConfig(**common)
        cls = transformers.LlamaForCausalLM
    torch.manual_seed(seed)
    base = cls(config)
    if checkpointing:
        base.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, lora_dropout=lora_dropout, target_modules=PROJECTIONS))
    model.config.use_cache = False
    route_lora_layers(model)
    with torch.no_grad():  # B starts at zero, Qwen2's biases too: give them values
        for layer in lora_layers(model):
            layer.lora_B["default"].weight.normal_(0, 0.05)
            if layer.base_layer.bias is not None:
                layer.base_layer.bias.normal_(0, 0.1)
    model.train()
    return model


def graph_names(output: torch.Tensor) -> list[str]:
    names, seen, stack = [], set(), [output.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.append(type(node).__name__)
        stack.extend(n for n, _ in node.next_functions)
    return names


def run_model(model, batch, per_example, fused):
    set_per_example(model, per_example)
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.grad, p.grad_sample = None, None
    if fused:
        with fused_path_on_cpu():
            losses = per_example_loss(model, batch)
            losses.sum().backward()
    else:
        losses = per_example_loss(model, batch)
        losses.sum().backward()
    samples = [p.grad_sample.clone() for p in params] if per_example else []
    return losses.detach(), [p.grad.clone() for p in params], samples, graph_names(losses)


def assert_same(got, ref, n_params):
    (losses, grads, samples, _), (ref_losses, ref_grads, ref_samples, _) = got, ref
    assert rel_err(losses, ref_losses) <= 1e-4
    assert len(grads) == len(ref_grads) == n_params
    for g, e in zip(grads, ref_grads):
        assert rel_err(g, e) <= 1e-4
    assert len(samples) == len(ref_samples)
    for s, e in zip(samples, ref_samples):
        assert s.shape == e.shape and rel_err(s, e) <= 1e-4


@pytest.mark.parametrize("arch, attn, checkpointing, masked, per_example", [
    ("llama", "sdpa", False, True, True),
    ("llama", "sdpa", False, False, True),
    ("llama", "sdpa", True, True, True),
    ("llama", "sdpa", True, False, False),
    ("llama", "eager", False, True, True),
    ("qwen2", "sdpa", True, True, True),
    ("mistral", "sdpa", False, True, True),
])
def test_patched_attention_matches_unpatched(arch, attn, checkpointing, masked, per_example):
    batch = batch_of([13, 7, 10]) if masked else batch_of([9, 9, 9])  # right padding that must not count
    if not masked:
        batch["attention_mask"] = None
    ref = run_model(tiny_model(arch, checkpointing=checkpointing, attn=attn), batch, per_example, fused=False)
    model = tiny_model(arch, checkpointing=checkpointing, attn=attn)
    report = patch_model(model)
    assert report.patched["attention"] == 2
    got = run_model(model, batch, per_example, fused=True)
    assert got[3].count("LoRAQKVFunctionBackward") == 2  # the fast path ran in both layers
    assert "LoRAQKVFunctionBackward" not in ref[3]
    assert_same(got, ref, n_params=2 * 7 * 2)


@pytest.fixture
def fast_path_log(monkeypatch):
    """One entry per patched attention call: whether it took the fast path."""
    log, decide = [], attention._fast_path_parts

    def recording(*args):
        parts = decide(*args)
        log.append(parts is not None)
        return parts

    monkeypatch.setattr(attention, "_fast_path_parts", recording)
    return log


def test_fast_path_not_taken_outside_the_fused_path():
    batch = batch_of([6, 4])
    model = tiny_model("llama")
    patch_model(model)
    names = run_model(model, batch, per_example=False, fused=False)[3]
    assert "LoRAQKVFunctionBackward" not in names


@pytest.mark.parametrize("why", ["lora_dropout", "sliding_window"])
def test_unqualified_attention_gives_the_original_outputs(why, fast_path_log):
    kwargs = {"lora_dropout": dict(lora_dropout=0.1), "sliding_window": dict(sliding_window=4)}[why]
    arch = "mistral" if why == "sliding_window" else "llama"
    batch = batch_of([11, 8])
    results = []
    for patched in (False, True):
        model = tiny_model(arch, **kwargs)
        if patched:
            patch_model(model)
        torch.manual_seed(5)  # the same dropout masks in both runs
        results.append(run_model(model, batch, per_example=True, fused=patched))
    assert "LoRAQKVFunctionBackward" not in results[1][3]
    assert fast_path_log == [False, False]  # the patched forward ran, in both layers, and declined
    assert_same(results[1], results[0], n_params=2 * 7 * 2)


def test_generation_with_a_kv_cache_takes_the_original_forward(fast_path_log):
    prompt = batch_of([5, 5])["input_ids"]
    outputs = []
    for patched in (False, True):
        model = tiny_model("llama").eval()
        model.config.use_cache = True
        if patched:
            patch_model(model)
        with torch.no_grad(), fused_path_on_cpu():
            out = model.generate(input_ids=prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=3,
                                 do_sample=False, use_cache=True, output_logits=True, return_dict_in_generate=True)
        outputs.append(out)
    assert len(fast_path_log) == 2 * 3 and not any(fast_path_log)  # 2 layers × 3 steps, each with a cache
    torch.testing.assert_close(outputs[1].sequences, outputs[0].sequences, rtol=0, atol=0)
    for got, ref in zip(outputs[1].logits, outputs[0].logits):
        torch.testing.assert_close(got, ref, rtol=1e-5, atol=1e-5)


def test_fp16_activations_with_fp32_adapters():
    d_in, r = 64, 4
    parts = [((torch.randn(r, d_in) * 0.1).requires_grad_(True), (torch.randn(n, r) * 0.1).requires_grad_(True),
              nf4_layer(d_in, n), 1.0) for n in (64, 32, 32)]
    x = torch.randn(2, 5, d_in, dtype=torch.float16, requires_grad=True)
    ref = qkv_grads(False, x, parts, per_example=True)
    got = qkv_grads(True, x, parts, per_example=True)
    assert got[0].dtype == got[3].dtype == torch.float16 and got[4].dtype == got[10].dtype == torch.float32
    for g, e in zip(got, ref):
        assert rel_err(g.float(), e.float()) < 5e-3  # fp16 operands in the fused path, fp32 LoRA in the reference
