"""RMSNorm forward/backward, in Hugging Face Llama's casting convention.

    y = w * (x * rsqrt(mean(x²) + eps)).to(x.dtype)        (statistics in fp32)

The forward keeps only the fp32 rstd per row. The backward gives dx for every row and, when the
weight is trainable, dw as per-program fp32 partial sums (one program per SM, looping over rows)
that torch then adds up — no [rows, hidden] fp32 buffer.
"""

from __future__ import annotations

import torch

from privatune.kernels._utils import launchable, num_programs, row_settings, tl, triton, triton_jit, use_triton


@triton_jit
def _rmsnorm_forward_kernel(
    X, Y, W, RSTD, stride_x, stride_y, n_cols, eps,
    BLOCK: tl.constexpr,
):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < n_cols
    x = tl.load(X + row * stride_x + cols, mask=mask, other=0.0).to(tl.float32)
    rstd = 1.0 / tl.sqrt(tl.sum(x * x, axis=0) / n_cols + eps)
    tl.store(RSTD + row, rstd)
    normed = (x * rstd).to(X.dtype.element_ty).to(tl.float32)  # Llama casts before the weight
    w = tl.load(W + cols, mask=mask, other=0.0).to(tl.float32)
    tl.store(Y + row * stride_y + cols, (normed * w).to(Y.dtype.element_ty), mask=mask)


@triton_jit
def _rmsnorm_backward_kernel(
    DY, X, W, RSTD, DX, DW_PARTIAL,
    stride_dy, stride_x, stride_dx, n_rows, n_cols, rows_per_program,
    HAS_DW: tl.constexpr, BLOCK: tl.constexpr,
):
    pid = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < n_cols
    w = tl.load(W + cols, mask=mask, other=0.0).to(tl.float32)
    dw_acc = tl.zeros((BLOCK,), dtype=tl.float32)
    row_start = pid * rows_per_program
    row_end = tl.minimum(row_start + rows_per_program, n_rows)
    # Walk row pointers forward instead of indexing by the loop variable: 64-bit offsets on the
    # GPU, and the interpreter hands the loop variable over as a plain int.
    start64 = row_start.to(tl.int64)
    dy_row = DY + start64 * stride_dy
    x_row = X + start64 * stride_x
    dx_row = DX + start64 * stride_dx
    rstd_row = RSTD + start64
    for _ in range(row_start, row_end):
        x = tl.load(x_row + cols, mask=mask, other=0.0).to(tl.float32)
        dy = tl.load(dy_row + cols, mask=mask, other=0.0).to(tl.float32)
        rstd = tl.load(rstd_row)
        normed = x * rstd
        dyw = dy * w
        dx = rstd * (dyw - normed * (tl.sum(dyw * normed, axis=0) / n_cols))
        tl.store(dx_row + cols, dx.to(DX.dtype.element_ty), mask=mask)
        if HAS_DW:
            dw_acc += dy * normed.to(X.dtype.element_ty).to(tl.float32)
        dy_row += stride_dy
        x_row += stride_x
        dx_row += stride_dx
        rstd_row += 1
    if HAS_DW:
        tl.store(DW_PARTIAL + pid * n_cols + cols, dw_acc, mask=mask)


def rms_norm_reference(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Hugging Face `LlamaRMSNorm.forward`, written out."""
    hidden = x.float()
    hidden = hidden * torch.rsqrt(hidden.pow(2).mean(-1, keepdim=True) + eps)
    return weight * hidden.to(x.dtype)


def _rows(t: torch.Tensor) -> torch.Tensor:
    t = t.reshape(-1, t.shape[-1])
    return t if t.stride(-1) == 1 else t.contiguous()


def _forward(x2d, weight, eps):
    n_rows, n_cols = x2d.shape
    out_dtype = torch.promote_types(x2d.dtype, weight.dtype)
    y = torch.empty((n_rows, n_cols), dtype=out_dtype, device=x2d.device)
    rstd = torch.empty(n_rows, dtype=torch.float32, device=x2d.device)
    block, num_warps = row_settings(n_cols)
    if n_rows:
        launchable(_rmsnorm_forward_kernel)[(n_rows,)](
            x2d, y, weight, rstd, x2d.stride(0), y.stride(0), n_cols, eps,
            BLOCK=block, num_warps=num_warps,
        )
    return y, rstd


def _backward(dy2d, x2d, weight, rstd, want_dw):
    n_rows, n_cols = x2d.shape
    dx = torch.empty_like(x2d)
    programs = max(1, min(n_rows, num_programs(x2d.device)))
    rows_per_program = triton.cdiv(n_rows, programs) if n_rows else 0
    dw_partial = torch.empty((programs, n_cols), dtype=torch.float32, device=x2d.device) if want_dw else rstd
    block, num_warps = row_settings(n_cols)
    if n_rows:
        launchable(_rmsnorm_backward_kernel)[(programs,)](
            dy2d, x2d, weight, rstd, dx, dw_partial,
            dy2d.stride(0), x2d.stride(0), dx.stride(0), n_rows, n_cols, rows_per_program,
            HAS_DW=want_dw, BLOCK=block, num_warps=num_warps,
        )
    if not want_dw:
        return dx, None
    dw = dw_partial.sum(0) if n_rows else torch.zeros(n_cols, dtype=torch.float32, device=x2d.device)
    return dx, dw.to(weight.dtype)


class RMSNormFunction(torch.autograd.Function):
    """Triton RMSNorm: saves x, weight and the fp32 rstd per row."""

    @staticmethod
    def forward(ctx, x, weight, eps):
        x2d = _rows(x)
        y, rstd = _forward(x2d, weight, eps)
        ctx.save_for_backward(x2d)
        ctx.weight, ctx.rstd = weight, rstd  # small: attributes (see lora_fused's docstring)
        ctx.x_shape = x.shape
        return y.reshape(*x.shape[:-1], x.shape[-1])

    @staticmethod
    def backward(ctx, dy):
        (x2d,), weight, rstd = ctx.saved_tensors, ctx.weight, ctx.rstd
        dx, dw = _backward(_rows(dy), x2d, weight, rstd, want_dw=ctx.needs_input_grad[1])
        return dx.reshape(ctx.x_shape), dw, None


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """RMSNorm over the last dimension; Triton on CUDA, the torch reference elsewhere."""
    if x.shape[-1] != weight.shape[-1]:
        raise ValueError(f"rms_norm: x has {x.shape[-1]} features but weight has {weight.shape[-1]}")
    if use_triton(x, weight):
        return RMSNormFunction.apply(x, weight, eps)
    return rms_norm_reference(x, weight, eps)
