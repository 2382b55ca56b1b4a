"""privatune.kernels.offload on CPU: the offloaded checkpoint keeps exactly the checkpointed inputs in
host copies and gives the same gradients (LoRA per-example ones included) as no checkpointing, also
with dropout inside the layer (the recompute replays the RNG); and which embedding tables may move."""

from __future__ import annotations

import torch
import torch.nn as nn

from privatune.kernels import offload
from privatune.kernels.lora import lora_linear
from privatune.kernels.offload import offload_input_embeddings, offloaded_checkpoint


def layer_params(d=12, r=3, seed=0):
    generator = torch.Generator().manual_seed(seed)
    base = nn.Linear(d, d)
    base.requires_grad_(False)
    A = torch.randn(r, d, generator=generator).requires_grad_(True)
    B = (torch.randn(d, r, generator=generator) * 0.3).requires_grad_(True)
    return base, A, B


def block(x, base, A, B):
    h = torch.nn.functional.dropout(torch.tanh(lora_linear(x, base, A, B, 2.0, per_example=True)), 0.3)
    return x + h


def run(x, params, checkpointed, seed=5):
    torch.manual_seed(seed)
    for _, A, B in params:
        A.grad = B.grad = A.grad_sample = B.grad_sample = None
    h = x
    for base, A, B in params:
        h = offloaded_checkpoint(block, h, base, A, B) if checkpointed else block(h, base, A, B)
    h.square().sum().backward()
    return [t.clone() for _, A, B in params for t in (A.grad, B.grad, A.grad_sample, B.grad_sample)]


def test_offloaded_checkpoint_equals_no_checkpointing_and_keeps_only_the_inputs(monkeypatch):
    params = [layer_params(seed=s) for s in range(3)]
    x = torch.randn(3, 7, 12, requires_grad=True)
    plain = run(x, params, checkpointed=False)
    x_grad = x.grad.clone()
    x.grad = None

    packed = []
    original_pack = offload._pack
    monkeypatch.setattr(offload, "_pack", lambda t: packed.append(t) or original_pack(t))
    offloaded = run(x, params, checkpointed=True)
    for a, b in zip(offloaded, plain):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    torch.testing.assert_close(x.grad, x_grad, rtol=0, atol=0)
    # torch's checkpoint keeps each layer's tensor inputs (hidden states; the frozen weights and the
    # LoRA parameters are leaves it saves too); the hidden states are three [3, 7, 12] tensors.
    hidden = [t for t in packed if t.shape == (3, 7, 12)]
    assert len(hidden) == len(params)


def test_slot_is_a_host_copy_that_survives_the_original_changing():
    t = torch.randn(4, 5)
    slot = offload._Slot(t, previous=None)
    t.zero_()
    assert slot.fetch().abs().sum() > 0 and slot.fetch().shape == (4, 5)


def test_only_a_frozen_untied_gpu_table_is_offloaded():
    class LM(nn.Module):
        def __init__(self, tied, trainable):
            super().__init__()
            self.embed, self.head = nn.Embedding(10, 4), nn.Linear(4, 10, bias=False)
            if tied:
                self.head.weight = self.embed.weight
            self.embed.weight.requires_grad_(trainable)

        def get_input_embeddings(self):
            return self.embed

        def get_output_embeddings(self):
            return self.head

    for tied, trainable in ((True, False), (False, True), (False, False)):
        lm = LM(tied, trainable)
        forward = lm.embed.forward
        assert offload_input_embeddings(lm) == 0  # tied, trainable, or (here) not on a GPU: stays put
        assert lm.embed.forward == forward and lm.embed.weight.device.type == "cpu"


# ---- offload_activations = "auto" ---------------------------------------------------------------------

LLAMA_8B = offload.StepShape(hidden=4096, intermediate=14336, layers=32, kv_hidden=1024, vocab=128256)
GiB = 2**30


def test_should_offload_when_the_step_would_not_fit_the_free_memory():
    parts = offload.step_bytes(LLAMA_8B, 4096)
    assert parts["checkpoints"] == 32 * 4096 * 4096 * 2  # what offloading moves to the host
    # 8B, batch 2 × 2048 (≈ 2.7 GiB for the rest of the step): no offload with 70 or 16 GiB free, offload with 2
    assert not offload.should_offload(LLAMA_8B, 4096, free_bytes=70 * GiB)
    assert not offload.should_offload(LLAMA_8B, 4096, free_bytes=16 * GiB)
    assert offload.should_offload(LLAMA_8B, 4096, free_bytes=2 * GiB)
    # 128k tokens in a 24 GiB card (≈ 19 GiB left after the NF4 weights): offload
    assert offload.should_offload(LLAMA_8B, 131072, free_bytes=19 * GiB)
    # monotone in tokens and in free memory
    needs = [sum(offload.step_bytes(LLAMA_8B, t).values()) for t in (1024, 8192, 65536)]
    assert needs == sorted(needs)
    threshold = next(t for t in range(1024, 262144, 1024) if offload.should_offload(LLAMA_8B, t, 19 * GiB))
    assert all(offload.should_offload(LLAMA_8B, t, 19 * GiB) for t in (threshold, 2 * threshold))
    assert not offload.should_offload(LLAMA_8B, threshold - 1024, 19 * GiB)


def tiny_llama():
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    from privatune.kernels.peft_routing import lora_layers, route_lora_layers

    config = LlamaConfig(vocab_size=96, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                         attn_implementation="sdpa")
    torch.manual_seed(0)
    base = LlamaForCausalLM(config)
    base.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "down_proj"]))
    route_lora_layers(model)
    with torch.no_grad():
        for layer in lora_layers(model):
            layer.lora_B["default"].weight.normal_(0, 0.05)
    return model.train()


def batch_of(lengths):
    from privatune.data import collate

    generator = torch.Generator().manual_seed(1)
    return collate([torch.randint(1, 96, (n,), generator=generator) for n in lengths], pad_id=0)


def losses_and_grads(model, batch):
    from privatune.client.trainer import per_example_loss
    from privatune.kernels.peft_routing import set_per_example

    set_per_example(model, True)
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.grad, p.grad_sample = None, None
    losses = per_example_loss(model, batch)
    losses.sum().backward()
    return losses.detach(), [p.grad.clone() for p in params], [p.grad_sample.clone() for p in params]


def test_auto_offload_decides_once_per_step_shape_with_fake_memory_figures(monkeypatch):
    from privatune.kernels.patch import patch_model

    reference = losses_and_grads(tiny_llama(), batch_of([9, 6]))
    model = tiny_llama()
    report = patch_model(model, offload_activations="auto")
    assert report.patched["auto_offload_checkpoints"] == 2
    layers = model.get_base_model().model.layers
    auto = layers[0]._gradient_checkpointing_func
    assert isinstance(auto, offload.AutoOffload) and auto.shape.layers == 2 and auto.shape.hidden == 64
    packed = []
    original_pack = offload._pack
    monkeypatch.setattr(offload, "_pack", lambda t: packed.append(t.shape) or original_pack(t))

    asked = []
    auto.free_bytes = lambda device: asked.append(device) or 10 * GiB  # plenty: plain checkpoints
    plain = losses_and_grads(model, batch_of([9, 6]))
    assert packed == [] and auto.decisions == {2 * 9: False} and len(asked) == 1
    losses_and_grads(model, batch_of([9, 6]))
    assert len(asked) == 1  # decided once for this shape

    auto.free_bytes = lambda device: 1 << 10  # 1 KiB free: a new shape offloads
    offloaded = losses_and_grads(model, batch_of([5, 7, 4]))
    assert auto.decisions[3 * 7] is True and len(packed) == len(layers)
    again = losses_and_grads(model, batch_of([9, 6]))  # the old shape keeps its decision
    for ours, ref in ((plain, reference), (again, reference)):
        torch.testing.assert_close(ours[0], ref[0], rtol=1e-5, atol=1e-6)
        for a, b in zip(ours[1] + ours[2], ref[1] + ref[2]):
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)
    assert offloaded[0].shape == (3,)
    # off CUDA the real figure is None: never offload
    assert offload.free_gpu_bytes(torch.device("cpu")) is None
