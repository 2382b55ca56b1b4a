"""Rotary position embedding on q and k, in Hugging Face Llama's layout and convention.

q: [batch, q_heads, seq, head_dim], k: [batch, kv_heads, seq, head_dim] (any strides with a
contiguous last dim, as `view(...).transpose(1, 2)` gives), cos/sin: [batch or 1, seq, head_dim] as
the model's rotary embedding returns them. With x = (x1, x2) split at head_dim / 2:

    out = x * cos + rotate_half(x) * sin,   rotate_half(x) = (-x2, x1)

so out1 = x1·cos1 − x2·sin1 and out2 = x2·cos2 + x1·sin2. rotate_half is skew (Rᵀ = −R), so the
backward is dx = g·cos − rotate_half(g·sin): the same kernel with sin1 ← −sin2 and sin2 ← −sin1.
One program handles one (batch, position) for every head of q and k, reading cos/sin once.
"""

from __future__ import annotations

import torch

from privatune.kernels._utils import launchable, tl, triton, triton_jit, use_triton


@triton_jit
def _rope_kernel(
    Q, K, QO, KO, COS, SIN,
    sq_b, sq_h, sq_s, sk_b, sk_h, sk_s,
    sqo_b, sqo_h, sqo_s, sko_b, sko_h, sko_s,
    sc_b, sc_s,
    seq_len, n_q_heads, n_k_heads, half_dim,
    BLOCK_QH: tl.constexpr, BLOCK_KH: tl.constexpr, BLOCK_HALF: tl.constexpr, BACKWARD: tl.constexpr,
):
    pid = tl.program_id(0).to(tl.int64)
    b = pid // seq_len
    s = pid % seq_len
    d = tl.arange(0, BLOCK_HALF)
    d_mask = d < half_dim
    trig = b * sc_b + s * sc_s + d
    cos1 = tl.load(COS + trig, mask=d_mask, other=0.0).to(tl.float32)
    cos2 = tl.load(COS + trig + half_dim, mask=d_mask, other=0.0).to(tl.float32)
    sin1 = tl.load(SIN + trig, mask=d_mask, other=0.0).to(tl.float32)
    sin2 = tl.load(SIN + trig + half_dim, mask=d_mask, other=0.0).to(tl.float32)
    if BACKWARD:
        sin_first = sin1
        sin1 = -sin2
        sin2 = -sin_first

    qh = tl.arange(0, BLOCK_QH)[:, None]
    q_mask = (qh < n_q_heads) & d_mask[None, :]
    q_in = Q + b * sq_b + s * sq_s + qh * sq_h + d[None, :]
    q1 = tl.load(q_in, mask=q_mask, other=0.0).to(tl.float32)
    q2 = tl.load(q_in + half_dim, mask=q_mask, other=0.0).to(tl.float32)
    q_out = QO + b * sqo_b + s * sqo_s + qh * sqo_h + d[None, :]
    tl.store(q_out, (q1 * cos1[None, :] - q2 * sin1[None, :]).to(QO.dtype.element_ty), mask=q_mask)
    tl.store(q_out + half_dim, (q2 * cos2[None, :] + q1 * sin2[None, :]).to(QO.dtype.element_ty), mask=q_mask)

    kh = tl.arange(0, BLOCK_KH)[:, None]
    k_mask = (kh < n_k_heads) & d_mask[None, :]
    k_in = K + b * sk_b + s * sk_s + kh * sk_h + d[None, :]
    k1 = tl.load(k_in, mask=k_mask, other=0.0).to(tl.float32)
    k2 = tl.load(k_in + half_dim, mask=k_mask, other=0.0).to(tl.float32)
    k_out = KO + b * sko_b + s * sko_s + kh * sko_h + d[None, :]
    tl.store(k_out, (k1 * cos1[None, :] - k2 * sin1[None, :]).to(KO.dtype.element_ty), mask=k_mask)
    tl.store(k_out + half_dim, (k2 * cos2[None, :] + k1 * sin2[None, :]).to(KO.dtype.element_ty), mask=k_mask)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rope_reference(q, k, cos, sin):
    """Hugging Face `apply_rotary_pos_emb` (unsqueeze_dim=1), written out."""
    cos, sin = _as_3d(cos).unsqueeze(1), _as_3d(sin).unsqueeze(1)
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def _as_3d(t: torch.Tensor) -> torch.Tensor:
    return t.unsqueeze(0) if t.dim() == 2 else t


def _last_dim_contiguous(t: torch.Tensor) -> torch.Tensor:
    return t if t.stride(-1) == 1 else t.contiguous()


def _launch(q, k, cos, sin, backward: bool):
    q, k = _last_dim_contiguous(q), _last_dim_contiguous(k)
    cos, sin = _as_3d(cos).contiguous(), _as_3d(sin).contiguous()
    batch, n_q_heads, seq_len, head_dim = q.shape
    n_k_heads = k.shape[1]
    q_out, k_out = torch.empty_like(q), torch.empty_like(k)  # keeps q's and k's strides
    cos_batch_stride = cos.stride(0) if cos.shape[0] > 1 else 0
    half = head_dim // 2
    if batch * seq_len:
        launchable(_rope_kernel)[(batch * seq_len,)](
            q, k, q_out, k_out, cos, sin,
            q.stride(0), q.stride(1), q.stride(2), k.stride(0), k.stride(1), k.stride(2),
            q_out.stride(0), q_out.stride(1), q_out.stride(2),
            k_out.stride(0), k_out.stride(1), k_out.stride(2),
            cos_batch_stride, cos.stride(1),
            seq_len, n_q_heads, n_k_heads, half,
            BLOCK_QH=triton.next_power_of_2(n_q_heads), BLOCK_KH=triton.next_power_of_2(n_k_heads),
            BLOCK_HALF=triton.next_power_of_2(half), BACKWARD=backward,
        )
    return q_out, k_out


class RoPEFunction(torch.autograd.Function):
    """Triton RoPE on q and k together; keeps only cos and sin (shared by every layer: attributes,
    see lora_fused's docstring)."""

    @staticmethod
    def forward(ctx, q, k, cos, sin):
        ctx.cos, ctx.sin = cos, sin
        return _launch(q, k, cos, sin, backward=False)

    @staticmethod
    def backward(ctx, dq_out, dk_out):
        cos, sin = ctx.cos, ctx.sin
        dq, dk = _launch(dq_out, dk_out, cos, sin, backward=True)
        return dq, dk, None, None


def _check(q, k, cos, sin):
    if q.dim() != 4 or k.dim() != 4:
        raise ValueError(
            f"apply_rope: q and k must be [batch, heads, seq, head_dim], got {tuple(q.shape)}, {tuple(k.shape)}"
        )
    batch, _, seq_len, head_dim = q.shape
    if head_dim % 2:
        raise ValueError(f"apply_rope: head_dim must be even, got {head_dim}")
    if k.shape[0] != batch or k.shape[2:] != q.shape[2:]:
        raise ValueError(f"apply_rope: k {tuple(k.shape)} does not match q {tuple(q.shape)} outside the head dim")
    for name, t in (("cos", cos), ("sin", sin)):
        t = _as_3d(t)
        if t.shape[1:] != (seq_len, head_dim) or t.shape[0] not in (1, batch):
            raise ValueError(f"apply_rope: {name} must be [batch or 1, {seq_len}, {head_dim}], got {tuple(t.shape)}")


def apply_rope(q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor):
    """(q_embed, k_embed) as HF `apply_rotary_pos_emb`; Triton on CUDA, the torch reference elsewhere."""
    _check(q, k, cos, sin)
    if use_triton(q, k, cos, sin):
        return RoPEFunction.apply(q, k, cos, sin)
    return rope_reference(q, k, cos, sin)
