"""SwiGLU: h = silu(gate) * up, forward and backward, elementwise in fp32.

With σ = sigmoid(gate) and silu(gate) = gate·σ:
    d_gate = dh · up · σ · (1 + gate · (1 − σ)),   d_up = dh · silu(gate).
The backward recomputes σ from the saved gate and up instead of saving silu(gate).
"""

from __future__ import annotations

import torch

from privatune.kernels._utils import launchable, tl, triton, triton_jit, use_triton

_BLOCK = 1024


@triton_jit
def _swiglu_forward_kernel(GATE, UP, OUT, n_elements, BLOCK: tl.constexpr):
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    gate = tl.load(GATE + offs, mask=mask, other=0.0).to(tl.float32)
    up = tl.load(UP + offs, mask=mask, other=0.0).to(tl.float32)
    silu = gate * tl.sigmoid(gate)
    tl.store(OUT + offs, (silu * up).to(OUT.dtype.element_ty), mask=mask)


@triton_jit
def _swiglu_backward_kernel(DOUT, GATE, UP, DGATE, DUP, n_elements, BLOCK: tl.constexpr):
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    dout = tl.load(DOUT + offs, mask=mask, other=0.0).to(tl.float32)
    gate = tl.load(GATE + offs, mask=mask, other=0.0).to(tl.float32)
    up = tl.load(UP + offs, mask=mask, other=0.0).to(tl.float32)
    sig = tl.sigmoid(gate)
    silu = gate * sig
    tl.store(DUP + offs, (dout * silu).to(DUP.dtype.element_ty), mask=mask)
    dgate = dout * up * sig * (1.0 + gate * (1.0 - sig))
    tl.store(DGATE + offs, dgate.to(DGATE.dtype.element_ty), mask=mask)


@triton_jit
def _swiglu_packed_forward_kernel(GU, OUT, n_elements, N_COLS, BLOCK: tl.constexpr):
    """GU [rows, 2·N_COLS] = [gate | up] per row → OUT [rows, N_COLS]."""
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    src = (offs // N_COLS) * (2 * N_COLS) + offs % N_COLS
    gate = tl.load(GU + src, mask=mask, other=0.0).to(tl.float32)
    up = tl.load(GU + src + N_COLS, mask=mask, other=0.0).to(tl.float32)
    tl.store(OUT + offs, (gate * tl.sigmoid(gate) * up).to(OUT.dtype.element_ty), mask=mask)


@triton_jit
def _swiglu_packed_backward_kernel(DOUT, GU, DGU, n_elements, N_COLS, BLOCK: tl.constexpr):
    """DGU [rows, 2·N_COLS] = [d_gate | d_up] for DOUT [rows, N_COLS] and GU = [gate | up]."""
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n_elements
    src = (offs // N_COLS) * (2 * N_COLS) + offs % N_COLS
    dout = tl.load(DOUT + offs, mask=mask, other=0.0).to(tl.float32)
    gate = tl.load(GU + src, mask=mask, other=0.0).to(tl.float32)
    up = tl.load(GU + src + N_COLS, mask=mask, other=0.0).to(tl.float32)
    sig = tl.sigmoid(gate)
    tl.store(DGU + src + N_COLS, (dout * gate * sig).to(DGU.dtype.element_ty), mask=mask)
    dgate = dout * up * sig * (1.0 + gate * (1.0 - sig))
    tl.store(DGU + src, dgate.to(DGU.dtype.element_ty), mask=mask)


def swiglu_reference(gate: torch.Tensor, up: torch.Tensor) -> torch.Tensor:
    """Llama's MLP activation: act_fn(gate_proj(x)) * up_proj(x) with act_fn = silu."""
    return torch.nn.functional.silu(gate) * up


def _grid(n: int):
    return (triton.cdiv(n, _BLOCK),)


class SwiGLUFunction(torch.autograd.Function):
    """Triton SwiGLU; saves gate and up (contiguous)."""

    @staticmethod
    def forward(ctx, gate, up):
        gate, up = gate.contiguous(), up.contiguous()
        out = torch.empty_like(gate)
        n = gate.numel()
        if n:
            launchable(_swiglu_forward_kernel)[_grid(n)](gate, up, out, n, BLOCK=_BLOCK)
        ctx.save_for_backward(gate, up)
        return out

    @staticmethod
    def backward(ctx, dout):
        gate, up = ctx.saved_tensors
        return _backward_triton(dout, gate, up)


def _backward_triton(dout, gate, up):
    gate, up, dout = gate.contiguous(), up.contiguous(), dout.contiguous()
    dgate, dup = torch.empty_like(gate), torch.empty_like(up)
    n = gate.numel()
    if n:
        launchable(_swiglu_backward_kernel)[_grid(n)](dout, gate, up, dgate, dup, n, BLOCK=_BLOCK)
    return dgate, dup


def swiglu_backward(dout: torch.Tensor, gate: torch.Tensor, up: torch.Tensor):
    """(d_gate, d_up) of silu(gate)·up for upstream dout, for hand-written backwards (fused MLP)."""
    if use_triton(dout, gate, up):
        return _backward_triton(dout, gate, up)
    sig = torch.sigmoid(gate.float())
    g32, d32 = gate.float(), dout.float()
    dgate = d32 * up.float() * sig * (1.0 + g32 * (1.0 - sig))
    return dgate.to(gate.dtype), (d32 * g32 * sig).to(up.dtype)


def swiglu(gate: torch.Tensor, up: torch.Tensor) -> torch.Tensor:
    """silu(gate) * up; Triton on CUDA, the torch reference elsewhere."""
    if gate.shape != up.shape or gate.dtype != up.dtype:
        raise ValueError(
            f"swiglu: gate {tuple(gate.shape)} {gate.dtype} and up {tuple(up.shape)} {up.dtype} must match"
        )
    if use_triton(gate, up):
        return SwiGLUFunction.apply(gate, up)
    return swiglu_reference(gate, up)


# ---- gate and up side by side: [rows, 2·I] = [gate | up], as one stacked GEMM writes them ----------

def swiglu_packed(gu: torch.Tensor) -> torch.Tensor:
    """silu(gate)·up for gu = [gate | up] [rows, 2·I] (contiguous) → [rows, I]. No autograd."""
    inter = gu.shape[-1] // 2
    if gu.shape[-1] != 2 * inter:
        raise ValueError(f"swiglu_packed: last dimension {gu.shape[-1]} is not 2 × intermediate")
    if not use_triton(gu):
        return swiglu_reference(gu[..., :inter], gu[..., inter:])
    gu = gu.contiguous()
    out = torch.empty((*gu.shape[:-1], inter), dtype=gu.dtype, device=gu.device)
    n = out.numel()
    if n:
        launchable(_swiglu_packed_forward_kernel)[_grid(n)](gu, out, n, inter, BLOCK=_BLOCK)
    return out


def swiglu_packed_backward(dout: torch.Tensor, gu: torch.Tensor) -> torch.Tensor:
    """[d_gate | d_up] [rows, 2·I] for upstream dout [rows, I] and gu = [gate | up]."""
    inter = dout.shape[-1]
    if not use_triton(dout, gu):
        d_gate, d_up = swiglu_backward(dout, gu[..., :inter], gu[..., inter:])
        return torch.cat((d_gate, d_up), dim=-1)
    dout, gu = dout.contiguous(), gu.contiguous()
    dgu = torch.empty_like(gu)
    n = dout.numel()
    if n:
        launchable(_swiglu_packed_backward_kernel)[_grid(n)](dout, gu, dgu, n, inter, BLOCK=_BLOCK)
    return dgu
