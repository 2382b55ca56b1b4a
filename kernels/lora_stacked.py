"""Several LoRA projections of the same input computed as one (q/k/v of attention, gate/up of the MLP).

The projections read the same x, and their LoRA GEMMs are thin and memory-bound, so they are
stacked along d_out (D = Σ d_i) and each GEMM reads x once:

    W = [W_1; W_2; …]  [D, d_in]      dequantised row slice by row slice into the shared buffer
    A = [A_1; A_2; …]  [Σr, d_in]     sB = blockdiag(s_1·B_1, s_2·B_2, …)  [D, Σr]
    xa = x·Aᵀ [tokens, Σr];   y = xa·sBᵀ + b;   y += x·Wᵀ (addmm_, beta = 1)

Backward, for dy [tokens, D] (the projections' output gradients side by side):

    dyB = dy·sB [tokens, Σr] (= s_i·dy_i·B_i per block)     dx = dyB·A;  dx += dy·W
    dA  = dyBᵀ·x [Σr, d_in], split                           dB_i = s_i·dy_iᵀ·xa_i

and in per-example mode (DP, DESIGN.md contract 1) A.grad_sample of all projections from one bmm,
B's from one bmm each, stored through `grad_sample_arena.per_example_grads` (the grad-sample arena when the DP
optimizer has one). The stacked A, the block-diagonal sB and the stacked bias are made once per
optimizer step (`lora_fused.mirrored`); W is dequantised again in backward, never kept.
"""

from __future__ import annotations

import torch

from privatune.kernels.grad_sample_arena import per_example_grads
from privatune.kernels.lora_fused import base_weight, mirrored, weight_buffer


def stacked_weight(bases, widths, d_in: int, dtype, device) -> torch.Tensor:
    """[D, d_in] view of the shared buffer holding every W_i as contiguous row slices."""
    weight = weight_buffer((sum(widths), d_in), dtype, device)
    for base, rows_i in zip(bases, weight.split(widths)):
        base_weight(base, dtype, out=rows_i)
    return weight


def stacked_bias(bases, widths, dtype, device) -> torch.Tensor | None:
    """[D] biases (Qwen2's q/k/v have them), zeros for a projection without one; None if none has."""
    biases = [getattr(base, "bias", None) for base in bases]
    if all(b is None for b in biases):
        return None
    present = tuple(b for b in biases if b is not None)

    def stacked():  # zeros where a projection has no bias, the biases copied into their slices
        value = torch.zeros(sum(widths), dtype=dtype, device=device)
        return value, [(part, b, 1.0) for part, b in zip(value.split(widths), biases) if b is not None]

    return mirrored(present, ("stacked-bias", dtype, tuple(widths), tuple(b is None for b in biases)), stacked)


def stacked_factors(params, scales, dtype):
    """(A [Σr, d_in], sB = blockdiag(s_i·B_i) [D, Σr]) in `dtype`, refreshed once per optimizer step."""
    As, Bs = tuple(A for A, _ in params), tuple(B for _, B in params)
    ranks, widths = [A.shape[0] for A in As], [B.shape[0] for B in Bs]

    def stacked_A():
        value = torch.empty(sum(ranks), As[0].shape[1], dtype=dtype, device=As[0].device)
        return value, [(rows_i, A, 1.0) for rows_i, A in zip(value.split(ranks), As)]

    def block_diagonal_sB():
        value = torch.zeros(sum(widths), sum(ranks), dtype=dtype, device=Bs[0].device)
        blocks, r0 = [], 0
        for rows_i, B, s, r in zip(value.split(widths), Bs, scales, ranks):
            blocks.append((rows_i[:, r0:r0 + r], B, s))
            r0 += r
        return value, blocks

    A = mirrored(As, ("stacked-A", dtype), stacked_A)
    sB = mirrored(Bs, ("stacked-sB", dtype, tuple(scales)), block_diagonal_sB)
    return A, sB


def stacked_forward(x2, params, bases, scales):
    """(y [tokens, D], xa [tokens, Σr]) for [tokens, d_in] rows x2 and [(A_i, B_i)] params."""
    dtype = x2.dtype
    widths = [B.shape[0] for _, B in params]
    A, sB = stacked_factors(params, scales, dtype)
    xa = torch.mm(x2, A.t())
    bias = stacked_bias(bases, widths, dtype, x2.device)
    y = torch.addmm(bias, xa, sB.t()) if bias is not None else torch.mm(xa, sB.t())
    # Thin product first, the big base GEMM accumulates onto it (as lora_fused.lora_forward).
    return y.addmm_(x2, stacked_weight(bases, widths, x2.shape[1], dtype, x2.device).t()), xa


def stacked_backward(dy, x2, xa, params, bases, scales, batch: int, want_dx: bool, store: bool = True):
    """(dx or None, [dA_1, dB_1, dA_2, dB_2, …]) for dy [tokens, D]; writes .grad_sample when batch > 0
    (then the list holds what `.grad` gets: None for a tensor in the DP optimizer's arena).

    store=False (the sequence-tiled MLP, which sums tiles first): with batch > 0 the list holds the
    [batch, *shape] per-example gradients themselves, and nothing is written."""
    dtype = x2.dtype
    widths = [B.shape[0] for _, B in params]
    ranks = [A.shape[0] for A, _ in params]
    A, sB = stacked_factors(params, scales, dtype)
    dyB = torch.mm(dy, sB)  # [tokens, Σr]: block i is s_i·dy_i·B_i
    dx = None
    if want_dx:
        dx = torch.mm(dyB, A).addmm_(dy, stacked_weight(bases, widths, x2.shape[1], dtype, x2.device))
    dys, xas = dy.split(widths, dim=1), xa.split(ranks, dim=1)
    xa_s = xas if all(s == 1.0 for s in scales) else [xa_i * s for xa_i, s in zip(xas, scales)]
    if batch:
        d_in = x2.shape[1]
        # In the activation dtype; the store casts (into the arena, when the DP optimizer has one).
        grad_A = torch.bmm(dyB.view(batch, -1, sum(ranks)).transpose(1, 2), x2.view(batch, -1, d_in))
        grads_B = [torch.bmm(dy_i.reshape(batch, -1, w).transpose(1, 2), xa_i.reshape(batch, -1, r))
                   for dy_i, xa_i, w, r in zip(dys, xa_s, widths, ranks)]
        flat = [p for pair in params for p in pair]
        grads = [g for pair in zip(grad_A.split(ranks, dim=1), grads_B) for g in pair]
        return dx, list(per_example_grads(flat, grads)) if store else grads
    dA = torch.mm(dyB.t(), x2).split(ranks)
    return dx, [g for (A_i, B_i), dA_i, dy_i, xa_i in zip(params, dA, dys, xa_s)
                for g in (dA_i.to(A_i.dtype), torch.mm(dy_i.t(), xa_i).to(B_i.dtype))]
