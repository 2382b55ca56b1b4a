"""The fused CUDA path of the LoRA linear: same function and contract as `lora.py`'s torch reference.

What changes against the reference (which stays the CPU path, byte for byte):
- the frozen base weight is dequantised by the Triton NF4 kernel into ONE reusable buffer per
  (device, dtype), so no dense W ever outlives the matmul that reads it, in forward or backward;
- everything runs in the activation dtype (bf16 on the GPU): A and B are cast (r × d, tiny), never
  x, so there is no fp32 copy of the activations, and x itself is what backward keeps;
- the thin LoRA product is written first and the base GEMM accumulates onto it in place
  (`addmm_`, beta = 1: y = xa·Bᵀ then y += x·Wᵀ; likewise dx): no extra [tokens, d_out] or
  [tokens, d_in] temporaries, and no second memory-bound pass over y;
- the scale s is folded into A once (xa = x·(s·A)ᵀ), so the per-example gradients are two plain
  cuBLAS batched matmuls, A.grad_sample = bmm((s·dy·B)ᵀ, x), B.grad_sample = bmm(dyᵀ, s·x·Aᵀ),
  reading dy and x once (the non-DP dA/dB read them once as well: DP costs only the outputs);
- host time counts: an 8B step launches ~9 000 kernels and profiling showed the H200 idle while
  Python prepared them. So the bf16 copies of A (scaled) and B are mirrors refreshed for all layers
  at once after each optimizer step (`mirrored`), and each NF4 layer keeps a prepared
  dequantisation call (`_nf4_weight`, launched directly after its first launch).

- small tensors a backward needs ([tokens, r] LoRA factors, RMSNorm's per-row rstd, RoPE tables,
  weights) are ctx attributes here and in the other kernel files, not saved tensors: under
  activation checkpointing each saved tensor goes through the checkpoint's Python hooks three
  times (pack, recompute, unpack), ~20 per decoder layer in a host-bound step. An attribute keeps
  the first forward's tensor until backward (kilobytes per layer); large tensors stay saved ones.

`lora_forward` / `lora_backward` are the pieces; `LoRALinearFusedFunction` is one layer (o_proj,
and any projection outside the fused groups); `lora_stacked` runs q/k/v and gate/up as groups,
`mlp` and `attention` use it.
"""

from __future__ import annotations

import weakref

import torch
import torch.nn as nn
from torch.optim.optimizer import register_optimizer_step_post_hook

from privatune.kernels.grad_sample_arena import per_example_grads
from privatune.kernels.lora import lookup_weight_fn, weight_registry
from privatune.kernels.nf4 import nf4_dequantizer

# ---- one dense-weight buffer per (device, dtype), shared by every layer -------------------------

_WEIGHT_BUFFERS: dict[tuple[torch.device, torch.dtype], torch.Tensor] = {}


def weight_buffer(shape, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """A contiguous [shape] view into the shared buffer, grown to the largest layer seen.

    Safe to reuse across layers: every consumer is a matmul queued on the same CUDA stream right
    after the dequantisation that fills it, so the next fill cannot overtake a pending read.
    """
    numel = 1
    for d in shape:
        numel *= int(d)
    key = (torch.device(device), dtype)
    buf = _WEIGHT_BUFFERS.get(key)
    if buf is None or buf.numel() < numel:
        _WEIGHT_BUFFERS.pop(key, None)
        buf = None  # drop the old one before allocating the larger one
        buf = _WEIGHT_BUFFERS[key] = torch.empty(numel, dtype=dtype, device=device)
    return buf[:numel].view(*shape)


def free_weight_buffers() -> None:
    _WEIGHT_BUFFERS.clear()


def _nf4_weight(layer, dtype: torch.dtype, out=None) -> torch.Tensor:
    weight = layer.weight
    key = (weight.data_ptr(), id(weight.quant_state), dtype)
    plan = layer.__dict__.get("_privatune_nf4_plan")
    if plan is None or plan[0] != key:  # once per layer (again if its weight is replaced)
        data, state = weight.data, weight.quant_state
        if getattr(state, "packing_format_for_cpu", False):  # bitsandbytes repacks on its first CPU forward
            import bitsandbytes.functional as bnbf

            data, state = bnbf._convert_weight_packed_for_cpu_inverse(data, state)
        plan = (key, nf4_dequantizer(data, state, dtype), tuple(state.shape), data.device)
        layer.__dict__["_privatune_nf4_plan"] = plan
    _, fill, shape, device = plan
    return fill(weight_buffer(shape, dtype, device) if out is None else out)


def _dense_weight(layer, dtype: torch.dtype, out=None) -> torch.Tensor:
    if out is not None:
        return out.copy_(layer.weight)
    return layer.weight if layer.weight.dtype == dtype else layer.weight.to(dtype)


_WEIGHT_FNS: dict[type, callable] = {}  # base-layer class → fn, filled on first sight


def base_weight(layer: nn.Module, dtype: torch.dtype, out: torch.Tensor | None = None) -> torch.Tensor:
    """The layer's frozen weight [d_out, d_in] in `dtype` (for NF4: a view of the shared buffer).

    `out` (contiguous [d_out, d_in], e.g. a row slice of a stacked buffer) is written and returned.
    """
    fn = _WEIGHT_FNS.get(type(layer))
    if fn is None:
        fn = _WEIGHT_FNS[type(layer)] = lookup_weight_fn(weight_registry(_nf4_weight, _dense_weight), layer,
                                                         "fused LoRA")
    return fn(layer, dtype, out)


# ---- the LoRA factors in the activation dtype, refreshed once per optimizer step -----------------
# Casting A and B (and stacking them, for the q/k/v and gate/up groups) per call cost ~20 small ops
# per decoder layer in a host-bound forward. Instead each derived tensor ("mirror") is allocated
# once and refreshed in place for ALL layers together — one `_foreach_copy_` (with the dtype cast)
# and one `_foreach_mul_` (the LoRA scales) — the first time it is needed after a change.

_MIRRORS: dict[tuple, list] = {}  # (tag, ids of the sources) → [weakrefs, key, value, copies]
# copies: [(view of value, index of the source, scale)] — sources only by weak reference, so a
# dropped model's parameters (and with them their mirrors) are freed.
_STALE = [False]  # set by the optimizer step hook
_HOOK = []


def clear_lora_casts(*_) -> None:
    """Mark every mirror stale (runs after every optimizer step): the next use refreshes them all."""
    _STALE[0] = True


def _register_hook() -> None:
    if not _HOOK:
        _HOOK.append(register_optimizer_step_post_hook(clear_lora_casts))


def _key(sources) -> tuple:
    return tuple((t._version, t.data_ptr()) for t in sources)


def _refresh(entries) -> None:
    dsts, srcs, scaled, scales = [], [], [], []
    for entry in entries:
        for dst, index, scale in entry[3]:
            dsts.append(dst)
            srcs.append(entry[0][index]().detach())
            if scale != 1.0:
                scaled.append(dst)
                scales.append(scale)
    with torch.no_grad():
        torch._foreach_copy_(dsts, srcs)
        if scaled:
            torch._foreach_mul_(scaled, scales)


def mirrored(sources: tuple, tag: tuple, layout) -> torch.Tensor:
    """A tensor derived from `sources` by copies: `layout()` → (value, [(view of value, source, scale)]).

    Kept up to date with the sources: a change is seen through each source's version counter
    (in-place writes, load_state_dict), its storage (replaced), and a global optimizer step hook
    (fused AdamW updates parameters without bumping their version). Writes through `param.data`
    are not seen: call `clear_lora_casts()` after them.
    """
    _register_hook()
    ident = tag + tuple(id(t) for t in sources)
    entry = _MIRRORS.get(ident)
    if entry is None or not all(ref() is t for ref, t in zip(entry[0], sources)):
        value, copies = layout()
        index = {id(t): i for i, t in enumerate(sources)}
        copies = [(dst, index[id(src)], scale) for dst, src, scale in copies]
        forget = lambda _, ident=ident, mirrors=_MIRRORS: mirrors.pop(ident, None)  # noqa: E731
        entry = _MIRRORS[ident] = [tuple(weakref.ref(t, forget) for t in sources), _key(sources), value, copies]
        _refresh([entry])
        return value
    if _STALE[0] or entry[1] != _key(sources):
        entries = list(_MIRRORS.values())
        _refresh(entries)
        for e in entries:
            e[1] = _key(t() for t in e[0])
        _STALE[0] = False
    return entry[2]


def _cast(param: torch.Tensor, dtype: torch.dtype, scale: float) -> torch.Tensor:
    """scale·param in `dtype`, kept up to date with `param`."""
    def layout():
        value = torch.empty(param.shape, dtype=dtype, device=param.device)
        return value, [(value, param, scale)]

    return mirrored((param,), ("cast", dtype, scale), layout)


def lora_weights(A: torch.Tensor, B: torch.Tensor, scale: float, dtype: torch.dtype):
    """(s·A, B) in the activation dtype: [r, d_in] and [d_out, r]."""
    return _cast(A, dtype, scale), _cast(B, dtype, 1.0)


def rows(t: torch.Tensor) -> torch.Tensor:
    """[..., d] as a contiguous [tokens, d] (a view whenever it can be)."""
    return t.reshape(-1, t.shape[-1]).contiguous()


# ---- the two halves, shared with the fused MLP ---------------------------------------------------

def lora_forward(x2, xl2, A, B, base_layer, scale: float):
    """(y, xa): y = x·Wᵀ + b + (xl·(s·A)ᵀ)·Bᵀ for [tokens, d_in] rows; xa = s·xl·Aᵀ [tokens, r].

    The thin LoRA product is written first and the big base GEMM accumulates onto it (beta = 1):
    its epilogue reads y while compute-bound, instead of a second memory-bound pass over y.
    """
    dtype = x2.dtype
    sA, B16 = lora_weights(A, B, scale, dtype)
    xa = torch.mm(xl2, sA.t())
    bias = getattr(base_layer, "bias", None)
    y = torch.addmm(bias.to(dtype), xa, B16.t()) if bias is not None else torch.mm(xa, B16.t())
    return y.addmm_(x2, base_weight(base_layer, dtype).t()), xa


def lora_backward(dy2, xl2, xa, params, base_layer, scale: float, batch: int, *,
                  want_dx: bool, lora_into_dx: bool, want_dx_lora: bool = False, dx=None):
    """(dx, dx_lora, dA, dB) for [tokens, ·] rows; writes .grad_sample when batch > 0.

    dx = dy·W (+ s·(dy·B)·A when x_lora is x, `lora_into_dx`), accumulated into `dx` if given.
    """
    A, B = params
    dtype = dy2.dtype
    sA, B16 = lora_weights(A, B, scale, dtype)
    dyB = torch.mm(dy2, B16)  # [tokens, r]
    dx_lora = None
    if want_dx:
        if lora_into_dx:  # thin product first, the big GEMM accumulates onto it (see lora_forward)
            dx = torch.mm(dyB, sA) if dx is None else dx.addmm_(dyB, sA)
            dx.addmm_(dy2, base_weight(base_layer, dtype))
        else:
            weight = base_weight(base_layer, dtype)
            dx = torch.mm(dy2, weight) if dx is None else dx.addmm_(dy2, weight)
    if want_dx_lora and not lora_into_dx:
        dx_lora = torch.mm(dyB, sA)
    dyB_s = dyB.mul_(scale)  # [tokens, r]; xa already carries s
    if batch:
        r, d_in, d_out = A.shape[0], xl2.shape[1], dy2.shape[1]
        # In the activation dtype; the store casts (into the arena, when the DP optimizer has one).
        grad_A = torch.bmm(dyB_s.view(batch, -1, r).transpose(1, 2), xl2.view(batch, -1, d_in))
        grad_B = torch.bmm(dy2.view(batch, -1, d_out).transpose(1, 2), xa.view(batch, -1, r))
        dA, dB = per_example_grads(params, (grad_A, grad_B))
    else:
        dA = torch.mm(dyB_s.t(), xl2).to(A.dtype)
        dB = torch.mm(dy2.t(), xa).to(B.dtype)
    return dx, dx_lora, dA, dB


def per_example_batch(x: torch.Tensor, per_example: bool) -> int:
    if not per_example:
        return 0
    if x.dim() != 3:
        raise ValueError(f"per-example LoRA gradients need a [batch, tokens, features] input, got {tuple(x.shape)}")
    return x.shape[0]


class LoRALinearFusedFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, x_lora, A, B, base_layer, scale, per_example):
        shared = x_lora is x  # no dropout: one input, and the LoRA part of dx is added in place
        batch = per_example_batch(x, per_example)
        x2 = rows(x)
        xl2 = x2 if shared else rows(x_lora.to(x.dtype))
        y2, xa = lora_forward(x2, xl2, A, B, base_layer, scale)
        ctx.save_for_backward(xl2)
        ctx.xa = xa  # [tokens, r]: small, an attribute (see the module docstring)
        # Under activation checkpointing saved tensors are recomputed copies, not the Parameters:
        # keep the Parameter objects themselves to attach .grad_sample to.
        ctx.lora_params = (A, B)
        ctx.base_layer, ctx.scale, ctx.batch, ctx.shared = base_layer, scale, batch, shared
        ctx.x_shape, ctx.x_lora_dtype = x.shape, x_lora.dtype
        return y2.view(*x.shape[:-1], y2.shape[-1])

    @staticmethod
    def backward(ctx, dy):
        (xl2,), xa = ctx.saved_tensors, ctx.xa
        want_dx = ctx.needs_input_grad[0] or (ctx.shared and ctx.needs_input_grad[1])
        dx, dx_lora, dA, dB = lora_backward(
            rows(dy.to(xl2.dtype)), xl2, xa, ctx.lora_params, ctx.base_layer, ctx.scale, ctx.batch,
            want_dx=want_dx, lora_into_dx=ctx.shared, want_dx_lora=ctx.needs_input_grad[1],
        )
        if dx is not None:
            dx = dx.view(ctx.x_shape)
        if dx_lora is not None:
            dx_lora = dx_lora.view(ctx.x_shape).to(ctx.x_lora_dtype)
        return dx, dx_lora, dA, dB, None, None, None
