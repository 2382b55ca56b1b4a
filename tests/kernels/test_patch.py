"""privatune.kernels.patch on a tiny random Llama (hidden 64, 2 layers, fp32, LoRA on all 7
projections), Triton kernels through the CPU interpreter: the patched model's per-example losses,
LoRA gradients and per-example gradients equal the unpatched model's; checkpointing (plain and
offloaded to CPU) keeps working; unsupported models and switched-off kernels fall back with one line."""

from __future__ import annotations

import logging

import pytest
import torch

from privatune.client.trainer import per_example_loss
from privatune.data import collate
from privatune.kernels._utils import fused_path_on_cpu
from privatune.kernels.peft_routing import lora_layers, route_lora_layers, set_per_example
from privatune.kernels.patch import ARCHITECTURES, PatchReport, patch_model, per_example_loss_fn

PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def tiny_llama(checkpointing: bool, seed: int = 0):
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=96, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                         attn_implementation="sdpa")
    torch.manual_seed(seed)
    base = LlamaForCausalLM(config)
    if checkpointing:
        base.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=PROJECTIONS))
    model.config.use_cache = False
    route_lora_layers(model)
    with torch.no_grad():  # B starts at zero; give it values so every gradient is non-trivial
        for layer in lora_layers(model):
            layer.lora_B["default"].weight.normal_(0, 0.05)
    model.train()
    return model


def batch_of(lengths, vocab=96, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return collate([torch.randint(1, vocab, (n,), generator=generator) for n in lengths], pad_id=0)


def losses_and_grads(model, batch):
    set_per_example(model, True)
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.grad, p.grad_sample = None, None
    losses = per_example_loss(model, batch)
    losses.sum().backward()
    return losses.detach(), [p.grad.clone() for p in params], [p.grad_sample.clone() for p in params]


def rel_err(a, b):
    return ((a - b).norm() / b.norm()).item()


@pytest.mark.parametrize("checkpointing, offload, fused_lora, mlp_tile", [
    (False, False, False, None), (True, False, True, None), (True, True, True, None),
    (True, True, True, 4),  # 13 positions > 2 × 4: the sequence-tiled MLP (long contexts)
])
def test_patched_model_matches_unpatched(monkeypatch, checkpointing, offload, fused_lora, mlp_tile):
    if mlp_tile:
        monkeypatch.setenv("PRIVATUNE_MLP_TILE", str(mlp_tile))
    batch = batch_of([13, 7, 10])  # unequal lengths: right padding that must not count
    reference = losses_and_grads(tiny_llama(checkpointing), batch)

    model = tiny_llama(checkpointing)
    report = patch_model(model, offload_activations=offload)
    assert report.active and report.model_type == "llama"
    assert report.patched["rmsnorm"] == 5 and report.patched["swiglu_mlp"] == 2
    assert report.patched["rope"] == 1 and report.patched["fused_ce_loss"] == 1
    assert report.patched["attention"] == 2
    assert report.patched.get("offloaded_checkpoints", 0) == (2 if offload else 0)
    assert report.patched.get("offloaded_embeddings", 0) == 0  # a CPU table stays where it is
    assert per_example_loss_fn(model) is not None
    if fused_lora:
        with fused_path_on_cpu():
            patched = losses_and_grads(model, batch)
    else:
        patched = losses_and_grads(model, batch)

    losses, grads, samples = patched
    ref_losses, ref_grads, ref_samples = reference
    torch.testing.assert_close(losses, ref_losses, rtol=1e-5, atol=1e-6)
    assert len(grads) == len(ref_grads) == 2 * 7 * 2
    for g, e in zip(grads, ref_grads):
        assert rel_err(g, e) < 1e-4
    for s, e in zip(samples, ref_samples):
        assert s.shape == e.shape and s.shape[0] == 3 and rel_err(s, e) < 1e-4


def test_patched_pieces_are_the_triton_ones():
    model = tiny_llama(checkpointing=False)
    patch_model(model)
    batch = batch_of([6, 4])
    losses = per_example_loss(model, batch)
    assert type(losses.grad_fn).__name__.startswith("FusedLinearCrossEntropyFunction")
    names, seen = set(), set()
    node_stack = [losses.grad_fn]
    while node_stack:  # walk the graph: the fused MLP, RMSNorm and RoPE Functions are in it
        node = node_stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.add(type(node).__name__)
        node_stack.extend(n for n, _ in node.next_functions)
    assert {"LoRASwiGLUFunctionBackward", "LoRADownFunctionBackward", "RMSNormFunctionBackward",
            "RoPEFunctionBackward"} <= names


def test_kernels_off_at_run_time_falls_back(monkeypatch):
    batch = batch_of([9, 5])
    model = tiny_llama(checkpointing=False)
    reference = losses_and_grads(model, batch)
    patch_model(model)
    monkeypatch.setenv("PRIVATUNE_KERNELS", "0")
    assert per_example_loss_fn(model) is None
    again = losses_and_grads(model, batch)
    torch.testing.assert_close(again[0], reference[0], rtol=0, atol=0)  # the torch path, exactly


@pytest.mark.parametrize("why", ["kernels_off", "no_cuda", "unsupported"])
def test_fallback_logs_exactly_one_line(monkeypatch, caplog, why):
    if why == "unsupported":
        from transformers import GPT2Config, GPT2LMHeadModel

        model = GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=32, n_head=2, vocab_size=50, n_positions=16))
    else:
        model = tiny_llama(checkpointing=False)
        monkeypatch.setenv(*{"kernels_off": ("PRIVATUNE_KERNELS", "0"), "no_cuda": ("TRITON_INTERPRET", "0")}[why])
    with caplog.at_level(logging.INFO, logger="privatune.kernels"):
        report = patch_model(model)
    assert isinstance(report, PatchReport) and not report.active and report.patched == {}
    records = [r for r in caplog.records if r.name == "privatune.kernels"]
    assert len(records) == 1 and "torch path" in records[0].getMessage()
    assert {"kernels_off": "PRIVATUNE_KERNELS=0", "no_cuda": "no CUDA", "unsupported": "gpt2"}[why] in report.fallback
    assert per_example_loss_fn(model) is None


def test_restore_global_patches_puts_the_original_rope_back():
    from transformers.models.llama import modeling_llama

    from privatune.kernels.forwards import is_replaced

    stock = modeling_llama.apply_rotary_pos_emb
    patch_model(tiny_llama(checkpointing=False))
    assert is_replaced(modeling_llama, "apply_rotary_pos_emb")
    from privatune.kernels.patch import restore_global_patches

    restore_global_patches()
    assert not is_replaced(modeling_llama, "apply_rotary_pos_emb")
    assert modeling_llama.apply_rotary_pos_emb is stock


def test_the_patch_table_is_a_table():
    assert isinstance(ARCHITECTURES, dict)
    assert {"llama", "mistral", "qwen2", "phi3"} <= set(ARCHITECTURES)
    assert ARCHITECTURES["llama"].mlp == "LlamaMLP" and ARCHITECTURES["phi3"].mlp is None
    assert ARCHITECTURES["qwen2"].attention == "Qwen2Attention" and ARCHITECTURES["phi3"].attention is None


@pytest.mark.parametrize("offload", [False, True])
def test_checkpoint_recompute_skips_the_down_projection(monkeypatch, offload):
    """The down projection saves no tensor, so the recompute of a checkpointed layer stops before it:
    its frozen weight is materialised twice per step (forward, backward), every other one three times.
    With offloading, the layer inputs go through the host copy (one slot per layer) and the same holds."""
    from privatune.kernels import lora_fused, offload as offload_module

    model = tiny_llama(checkpointing=True)
    patch_model(model, offload_activations=offload)
    packed = []
    original_pack = offload_module._pack
    monkeypatch.setattr(offload_module, "_pack", lambda t: packed.append(t.shape) or original_pack(t))
    calls = {}
    original = lora_fused.base_weight

    def counting(layer, dtype, out=None):
        calls[id(layer)] = calls.get(id(layer), 0) + 1
        return original(layer, dtype, out)

    for module in ("privatune.kernels.lora_fused", "privatune.kernels.mlp", "privatune.kernels.lora_stacked"):
        monkeypatch.setattr(f"{module}.base_weight", counting)
    with fused_path_on_cpu():
        losses_and_grads(model, batch_of([9, 6]))
    decoder = model.get_base_model().model
    for layer in decoder.layers:
        assert calls[id(layer.mlp.down_proj.base_layer)] == 2
        for name in ("gate_proj", "up_proj"):
            assert calls[id(getattr(layer.mlp, name).base_layer)] == 3
        for name in ("q_proj", "o_proj"):
            assert calls[id(getattr(layer.self_attn, name).base_layer)] == 3
    assert len(packed) == (len(decoder.layers) if offload else 0)
