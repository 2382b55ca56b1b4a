"""RoPE: Triton (interpreter) vs HF Llama's apply_rotary_pos_emb with its own rotary embedding."""

import pytest
import torch
from transformers import LlamaConfig
from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding, apply_rotary_pos_emb

from privatune.kernels import rope
from privatune.kernels._utils import triton

requires_triton = pytest.mark.skipif(triton is None, reason="triton is not importable here")
# The kernel computes in fp32 whatever the input dtype, so finite differences need a larger step.
FP32_MATH_GRADCHECK = dict(eps=1e-3, atol=1e-3, rtol=1e-3)
TOL = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float16: dict(rtol=2e-3, atol=2e-3)}


def llama_qk_cos_sin(batch, seq, q_heads, kv_heads, head_dim, dtype, offsets=None, requires_grad=True):
    """q, k in the [batch, heads, seq, head_dim] view HF attention makes, and the model's cos, sin."""
    config = LlamaConfig(
        hidden_size=q_heads * head_dim, num_attention_heads=q_heads, num_key_value_heads=kv_heads,
        head_dim=head_dim, max_position_embeddings=256,
    )
    positions = torch.arange(seq)[None].repeat(batch, 1)
    if offsets is not None:  # e.g. left padding: each example starts at a different position
        positions = positions + torch.tensor(offsets)[:, None]
    hidden = torch.randn(batch, seq, config.hidden_size, dtype=dtype)
    cos, sin = LlamaRotaryEmbedding(config)(hidden, positions)
    q = torch.randn(batch, seq, q_heads * head_dim, dtype=dtype).view(batch, seq, q_heads, head_dim).transpose(1, 2)
    k = torch.randn(batch, seq, kv_heads * head_dim, dtype=dtype).view(batch, seq, kv_heads, head_dim).transpose(1, 2)
    return q.requires_grad_(requires_grad), k.requires_grad_(requires_grad), cos, sin


def test_reference_is_hf_apply_rotary_pos_emb():
    q, k, cos, sin = llama_qk_cos_sin(2, 9, 4, 2, 16, torch.float32, offsets=[0, 3])
    for got, want in zip(rope.rope_reference(q, k, cos, sin), apply_rotary_pos_emb(q, k, cos, sin)):
        torch.testing.assert_close(got, want, rtol=0, atol=0)


@requires_triton
@pytest.mark.parametrize(
    "batch,seq,q_heads,kv_heads,head_dim",
    [(1, 1, 1, 1, 2), (2, 13, 4, 2, 16), (3, 7, 6, 3, 24), (1, 33, 5, 5, 8)],
)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
def test_triton_matches_hf(batch, seq, q_heads, kv_heads, head_dim, dtype):
    q, k, cos, sin = llama_qk_cos_sin(batch, seq, q_heads, kv_heads, head_dim, dtype, offsets=list(range(batch)))
    outs = rope.RoPEFunction.apply(q, k, cos, sin)
    refs = apply_rotary_pos_emb(q, k, cos, sin)
    assert outs[0].stride() == q.stride() and outs[1].stride() == k.stride()  # same layout as HF's
    for got, want in zip(outs, refs):
        torch.testing.assert_close(got, want, **TOL[dtype])
    grads = [torch.randn_like(o) for o in outs]
    for got, want in zip(torch.autograd.grad(outs, (q, k), grads), torch.autograd.grad(refs, (q, k), grads)):
        torch.testing.assert_close(got, want, **TOL[dtype])


@requires_triton
def test_cos_sin_broadcast_over_batch_and_unequal_halves():
    # cos/sin of batch 1 broadcast over the batch; halves that differ exercise the general backward.
    q = torch.randn(2, 3, 5, 8, requires_grad=True)
    k = torch.randn(2, 1, 5, 8, requires_grad=True)
    cos, sin = torch.randn(1, 5, 8), torch.randn(1, 5, 8)
    outs, refs = rope.RoPEFunction.apply(q, k, cos, sin), rope.rope_reference(q, k, cos, sin)
    grads = [torch.randn_like(o) for o in outs]
    got = outs + torch.autograd.grad(outs, (q, k), grads)
    want = refs + torch.autograd.grad(refs, (q, k), grads)
    for a, b in zip(got, want):
        torch.testing.assert_close(a, b)


@requires_triton
def test_backward_gradcheck_float64():
    q, k, cos, sin = llama_qk_cos_sin(1, 2, 2, 1, 4, torch.float64, offsets=[3])
    assert torch.autograd.gradcheck(lambda a, b: rope.RoPEFunction.apply(a, b, cos, sin), (q, k), **FP32_MATH_GRADCHECK)


def test_shape_errors_name_the_problem():
    q, k, cos, sin = llama_qk_cos_sin(1, 4, 2, 1, 6, torch.float32, requires_grad=False)
    with pytest.raises(ValueError, match="head_dim must be even"):
        rope.apply_rope(q[..., :5], k[..., :5], cos[..., :5], sin[..., :5])
    with pytest.raises(ValueError, match="cos must be"):
        rope.apply_rope(q, k, cos[:, :3], sin)
    with pytest.raises(ValueError, match="does not match"):
        rope.apply_rope(q, k[:, :, :3], cos, sin)
