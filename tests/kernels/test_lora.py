"""privatune.kernels.lora (torch path): forward/backward against autograd, per-example gradients
against a brute-force loop and against Opacus' own hooks, with and without checkpointing."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from privatune.kernels.forwards import restore
from privatune.kernels.lora import lora_linear
from privatune.kernels.peft_routing import lora_layers, set_per_example


def rel_err(a, b):
    return ((a - b).norm() / b.norm()).item()


@pytest.mark.parametrize("batch, tokens, d_in, d_out, r", [(2, 5, 16, 12, 1), (3, 7, 24, 8, 8), (1, 3, 64, 64, 64)])
def test_forward_and_backward_match_autograd(batch, tokens, d_in, d_out, r):
    torch.manual_seed(0)
    base = nn.Linear(d_in, d_out, bias=True).double()
    A = torch.randn(r, d_in, dtype=torch.float64, requires_grad=True)
    B = torch.randn(d_out, r, dtype=torch.float64, requires_grad=True)
    x = torch.randn(batch, tokens, d_in, dtype=torch.float64, requires_grad=True)
    scale = 0.5
    y = lora_linear(x, base, A, B, scale, per_example=True)
    ref = base(x) + scale * (x @ A.t()) @ B.t()
    assert rel_err(y, ref) < 1e-12
    dy = torch.randn_like(y)
    grads = torch.autograd.grad(y, (x, A, B), dy)
    ref_grads = torch.autograd.grad(ref, (x, A, B), dy)
    for g, g_ref in zip(grads, ref_grads):
        assert rel_err(g, g_ref) < 1e-12
    # per-example gradients sum to the batch gradient, and each equals that example's own gradient
    torch.testing.assert_close(A.grad_sample.sum(0), ref_grads[1])
    for i in range(batch):
        gi = torch.autograd.grad(scale * (x[i] @ A.t()) @ B.t(), (A, B), dy[i])
        assert rel_err(A.grad_sample[i], gi[0]) < 1e-12 and rel_err(B.grad_sample[i], gi[1]) < 1e-12


def test_gradcheck_in_float64():
    torch.manual_seed(1)
    base = nn.Linear(6, 5, bias=False).double()
    A = torch.randn(2, 6, dtype=torch.float64, requires_grad=True)
    B = torch.randn(5, 2, dtype=torch.float64, requires_grad=True)
    x = torch.randn(2, 3, 6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, A, B: lora_linear(x, base, A, B, 2.0), (x, A, B))


# ---- on the real 4-bit model ------------------------------------------------------------------------

TEXTS = ["Patient Maria Garcia, MRN-1234567, admitted with pneumonia and treated with amoxicillin.",
         "Wire $40.00 to IBAN DE12 3456.", "Loan note: applicant requests $9,000 over 36 months at 7.5% APR."]


def per_example_grads(model, tokenizer, texts):
    """(grad_sample of every LoRA A and B) from one padded batch, in our per-example mode."""
    from privatune.client.trainer import per_example_loss
    from privatune.data import collate

    examples = [torch.tensor(tokenizer(t).input_ids) for t in texts]
    batch = collate(examples, tokenizer.pad_token_id)
    model.train()
    set_per_example(model, True)
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.grad, p.grad_sample = None, None
    per_example_loss(model, batch).sum().backward()
    return [p.grad_sample.clone() for p in params], batch


def load(config_kwargs, tiny_model_dir):
    from privatune.config import RunConfig
    from privatune.model import load_model

    model, tokenizer = load_model(RunConfig(model=str(tiny_model_dir), seed=5, **config_kwargs))
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():  # B starts at zero; give it values so every gradient is non-trivial
        for layer in lora_layers(model):
            layer.lora_B["default"].weight.normal_(0, 0.05, generator=generator)
    return model, tokenizer


@pytest.mark.parametrize("checkpointing", [False, True])
def test_per_example_grads_equal_one_example_backward_passes(tiny_model_dir, checkpointing):
    from privatune.client.trainer import per_example_loss
    from privatune.data import collate

    model, tokenizer = load({"gradient_checkpointing": checkpointing}, tiny_model_dir)
    batched, batch = per_example_grads(model, tokenizer, TEXTS)
    assert len({int(m.sum()) for m in batch["attention_mask"]}) == 3  # unequal lengths, padded
    set_per_example(model, False)
    params = [p for p in model.parameters() if p.requires_grad]
    for i, text in enumerate(TEXTS):
        single = collate([torch.tensor(tokenizer(text).input_ids)], tokenizer.pad_token_id)
        grads = torch.autograd.grad(per_example_loss(model, single).sum(), params)
        for g_batched, g_single in zip(batched, grads):
            assert rel_err(g_batched[i], g_single) <= 1e-5


def test_per_example_grads_equal_opacus_hooks_and_are_identical_under_checkpointing(tiny_model_dir):
    from opacus import GradSampleModule

    from privatune.client.trainer import per_example_loss

    plain, tokenizer = load({"gradient_checkpointing": False}, tiny_model_dir)
    ours, batch = per_example_grads(plain, tokenizer, TEXTS)
    # The same model with PEFT's own forward (nn.Linear lora_A/lora_B) under Opacus' hooks.
    for layer in lora_layers(plain):
        restore(layer)
    hooked = GradSampleModule(plain, loss_reduction="sum")
    per_example_loss(hooked, batch).sum().backward()
    params = [p for p in plain.parameters() if p.requires_grad]
    for g_ours, p in zip(ours, params):
        assert rel_err(g_ours, p.grad_sample) <= 1e-5
    hooked._close()

    checkpointed, _ = load({"gradient_checkpointing": True}, tiny_model_dir)
    again, _ = per_example_grads(checkpointed, tokenizer, TEXTS)
    for a, b in zip(ours, again):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-7)
