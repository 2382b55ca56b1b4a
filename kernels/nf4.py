"""NF4 dequantisation straight from bitsandbytes' `Params4bit` / `QuantState`.

bitsandbytes packs a weight of shape `state.shape` row-major, two 4-bit codes per byte: element
2i in the high nibble, element 2i+1 in the low one. Element j belongs to scale block
j // state.blocksize and dequantises to `state.code[nibble] * absmax[block]`, computed in fp32 and
rounded once to the output dtype. With double quantisation (`state.nested`) the absmax itself is
uint8 codes into `state.state2.code`, scaled per `state.state2.blocksize` blocks by
`state.state2.absmax`, plus `state.offset`.

The Triton kernel reads both levels in one pass (one program per BLOCK_BYTES packed bytes), so the
fp32 absmax is never materialised. `nf4_linear` is x @ deq(W)ᵀ with a backward that dequantises W
again instead of keeping it alive between forward and backward.
"""

from __future__ import annotations

import torch

from privatune.kernels._utils import DirectLaunch, launchable, tl, triton, triton_jit, use_triton

_OUT_DTYPES = (torch.float32, torch.float16, torch.bfloat16)
_BLOCK_BYTES = 1024  # H200 sweep 512…4096 B × 4/8 warps: 1024 B / 4 warps fastest (3.2 TB/s)
_NUM_WARPS = 4


@triton_jit
def _dequantize_nf4_kernel(
    packed_ptr,
    absmax_ptr,
    code_ptr,
    absmax2_ptr,
    code2_ptr,
    offset_ptr,
    out_ptr,
    n_elements,
    n_bytes,
    BLOCKSIZE: tl.constexpr,
    BLOCKSIZE2: tl.constexpr,
    NESTED: tl.constexpr,
    BLOCK_BYTES: tl.constexpr,
):
    pid = tl.program_id(0)
    byte_idx = pid.to(tl.int64) * BLOCK_BYTES + tl.arange(0, BLOCK_BYTES)
    in_range = byte_idx < n_bytes
    packed = tl.load(packed_ptr + byte_idx, mask=in_range, other=0).to(tl.int32)
    # Both nibbles of a byte share a scale block: blocksizes are even.
    block_idx = (byte_idx * 2) // BLOCKSIZE
    if NESTED:
        absmax_code = tl.load(absmax_ptr + block_idx, mask=in_range, other=0).to(tl.int32)
        scale = tl.load(code2_ptr + absmax_code, mask=in_range, other=0.0)
        scale = scale * tl.load(absmax2_ptr + block_idx // BLOCKSIZE2, mask=in_range, other=0.0)
        scale = scale + tl.load(offset_ptr)
    else:
        scale = tl.load(absmax_ptr + block_idx, mask=in_range, other=0.0)
    high = tl.load(code_ptr + ((packed >> 4) & 0xF)) * scale
    low = tl.load(code_ptr + (packed & 0xF)) * scale
    # Interleave (high, low) pairs so the store is one contiguous run of 2 * BLOCK_BYTES values.
    values = tl.reshape(tl.join(high, low), (2 * BLOCK_BYTES,))
    out_idx = pid.to(tl.int64) * (2 * BLOCK_BYTES) + tl.arange(0, 2 * BLOCK_BYTES)
    tl.store(out_ptr + out_idx, values.to(out_ptr.dtype.element_ty), mask=out_idx < n_elements)


def _unpack(weight, quant_state):
    """(packed uint8 bytes, QuantState) from a Params4bit or a raw packed tensor plus its state."""
    state = quant_state if quant_state is not None else getattr(weight, "quant_state", None)
    if state is None:
        raise ValueError(
            "dequantize_nf4: no QuantState; pass a bitsandbytes Params4bit or quant_state=..."
        )
    if state.quant_type not in ("nf4", "fp4"):
        raise ValueError(f"dequantize_nf4: quant_type {state.quant_type!r} is not a 4-bit format")
    packed = weight.data if isinstance(weight, torch.nn.Parameter) else weight
    if packed.dtype != torch.uint8:  # bnb allows other quant_storage dtypes holding the same bytes
        packed = packed.contiguous().view(torch.uint8)
    packed = packed.reshape(-1)
    n_elements = _numel(state.shape)
    if packed.numel() != (n_elements + 1) // 2:
        raise ValueError(
            f"dequantize_nf4: {packed.numel()} packed bytes do not hold shape {tuple(state.shape)}"
        )
    return packed, state


def _numel(shape) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def _out_dtype(state, dtype):
    dtype = dtype or state.dtype or torch.float32
    if dtype not in _OUT_DTYPES:
        raise ValueError(f"dequantize_nf4: output dtype must be one of {_OUT_DTYPES}, got {dtype}")
    return dtype


def _offset_tensor(state, device) -> torch.Tensor:
    offset = state.offset
    if not torch.is_tensor(offset):
        offset = torch.tensor(float(offset))
    return offset.to(device=device, dtype=torch.float32).reshape(1)


def absmax_reference(state) -> torch.Tensor:
    """The fp32 per-block absmax, undoing double quantisation when the state is nested."""
    if not state.nested:
        return state.absmax.float()
    s2 = state.state2
    codes = s2.code.float()[state.absmax.reshape(-1).long()]
    block2 = torch.arange(codes.numel(), device=codes.device) // s2.blocksize
    return codes * s2.absmax.float()[block2] + _offset_tensor(state, codes.device)


def dequantize_nf4_reference(weight, quant_state=None, dtype=None) -> torch.Tensor:
    """Pure-torch dequantisation: the reference for the Triton kernel and the CPU path."""
    packed, state = _unpack(weight, quant_state)
    dtype = _out_dtype(state, dtype)
    n = _numel(state.shape)
    nibbles = torch.stack([packed >> 4, packed & 0xF], dim=-1).reshape(-1)[:n].long()
    block = torch.arange(n, device=packed.device) // state.blocksize
    values = state.code.float()[nibbles] * absmax_reference(state)[block]
    return values.reshape(tuple(state.shape)).to(dtype)


def _kernel_args(state, device) -> tuple:
    """(code, absmax2, code2, offset, blocksize2) on `device` in fp32, prepared once per QuantState.

    The kernel itself takes ≈ 46 µs for an 8B MLP weight; preparing these on every call (a `.to()`
    each, a tensor for the offset) made the eager call host-bound (2.3 TB/s against 3.2 TB/s for
    the same launch timed without them, H200). Keyed by device and the storages read, so a state moved or
    re-quantised is prepared again.
    """
    nested = state.state2 if state.nested else None
    key = (device, state.absmax.data_ptr(), state.code.data_ptr(),
           nested and (nested.absmax.data_ptr(), nested.code.data_ptr(), nested.blocksize),
           state.offset.data_ptr() if torch.is_tensor(state.offset) else state.offset)
    cached = getattr(state, "_privatune_nf4_args", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    code = state.code.to(device=device, dtype=torch.float32)
    if state.nested:
        s2 = state.state2
        args = (code, s2.absmax.to(device=device, dtype=torch.float32), s2.code.to(device=device, dtype=torch.float32),
                _offset_tensor(state, device), int(s2.blocksize))
    else:  # unused pointers: pass any fp32 tensor
        args = (code, code, code, code, 1)
    try:
        state._privatune_nf4_args = (key, args)
    except AttributeError:  # a state class with __slots__: prepare every call
        pass
    return args


def _dequantize_nf4_triton(packed, state, dtype, block_bytes=_BLOCK_BYTES, num_warps=_NUM_WARPS, out=None):
    n = _numel(state.shape)
    if out is None:
        out = torch.empty(tuple(state.shape), dtype=dtype, device=packed.device)
    if n == 0:
        return out
    code, absmax2, code2, offset, blocksize2 = _kernel_args(state, packed.device)
    n_bytes = packed.numel()
    grid = (triton.cdiv(n_bytes, block_bytes),)
    launchable(_dequantize_nf4_kernel)[grid](
        packed, state.absmax, code, absmax2, code2, offset, out, n, n_bytes,
        BLOCKSIZE=int(state.blocksize), BLOCKSIZE2=blocksize2, NESTED=bool(state.nested),
        BLOCK_BYTES=block_bytes, num_warps=num_warps,
    )
    return out


def dequantize_nf4(weight, quant_state=None, dtype: torch.dtype | None = None,
                   out: torch.Tensor | None = None) -> torch.Tensor:
    """Dequantise a bitsandbytes 4-bit weight (Params4bit, or packed bytes + QuantState).

    Returns a tensor of `quant_state.shape` in `dtype` (default: the state's dtype). Uses the
    Triton kernel on CUDA (or under TRITON_INTERPRET on CPU), the torch reference otherwise.
    `out` (contiguous, that shape and dtype, on the weight's device) is written in place and
    returned: callers reuse one buffer for every layer instead of allocating a dense W each time.
    """
    packed, state = _unpack(weight, quant_state)
    dtype = _out_dtype(state, dtype)
    if out is not None and (tuple(out.shape) != tuple(state.shape) or out.dtype != dtype
                            or not out.is_contiguous() or out.device != packed.device):
        raise ValueError(f"dequantize_nf4: out must be a contiguous {tuple(state.shape)} {dtype} tensor on "
                         f"{packed.device}, got {tuple(out.shape)} {out.dtype} on {out.device}")
    if use_triton(packed):
        return _dequantize_nf4_triton(packed, state, dtype, out=out)
    values = dequantize_nf4_reference(packed, state, dtype)
    return values if out is None else out.copy_(values)


def nf4_dequantizer(weight, quant_state=None, dtype: torch.dtype | None = None):
    """`fill(out)`: dequantise this weight into `out` (contiguous, `state.shape`, `dtype`), prepared once.

    Everything `dequantize_nf4` checks and derives per call (the packed view, the kernel arguments,
    the grid) is done here; `fill` only launches. For a frozen base layer dequantised three times
    per training step (forward, recompute, backward) this is most of the host time of the call.
    """
    packed, state = _unpack(weight, quant_state)
    dtype = _out_dtype(state, dtype)
    n, n_bytes = _numel(state.shape), packed.numel()
    if not use_triton(packed) or n == 0:
        return lambda out: dequantize_nf4(packed, state, dtype, out=out)
    code, absmax2, code2, offset, blocksize2 = _kernel_args(state, packed.device)
    grid = (triton.cdiv(n_bytes, _BLOCK_BYTES),)
    launch = launchable(_dequantize_nf4_kernel)[grid]
    args = [packed, state.absmax, code, absmax2, code2, offset, None, n, n_bytes]  # args[6]: out
    constexprs = dict(BLOCKSIZE=int(state.blocksize), BLOCKSIZE2=blocksize2, NESTED=bool(state.nested),
                      BLOCK_BYTES=_BLOCK_BYTES)
    direct = []  # [DirectLaunch] once the first direct launch has matched the ordinary one

    def fill(out: torch.Tensor) -> torch.Tensor:
        if direct and direct[0] is not None and direct[0].fits(out):
            direct[0](out)
            return out
        args[6] = out
        compiled = launch(*args, **constexprs, num_warps=_NUM_WARPS)
        if not direct:
            direct.append(_checked_direct_launch(compiled, grid, args, constexprs, out))
        return out

    return fill


def _checked_direct_launch(compiled, grid, args, constexprs, out):
    """A DirectLaunch of the NF4 kernel if, into a scratch buffer, it writes exactly what the ordinary launch did."""
    direct = DirectLaunch.make(_dequantize_nf4_kernel, compiled, grid, args, constexprs, varying=6, device=out.device)
    if direct is None:
        return None
    scratch = torch.full_like(out, float("nan"))
    if not direct.fits(scratch):  # (a fresh allocation is 16-byte aligned; `out` may be a slice)
        return None
    try:
        direct(scratch)
    except (TypeError, ValueError, RuntimeError):
        return None
    same = torch.equal(scratch, out)
    direct.values[6] = None  # do not keep the scratch buffer alive
    return direct if same else None


class NF4Linear(torch.autograd.Function):
    """y = x · deq(W)ᵀ for a frozen 4-bit W; backward re-dequantises W rather than saving it."""

    @staticmethod
    def forward(ctx, x, packed, quant_state):
        weight = dequantize_nf4(packed, quant_state, dtype=x.dtype)
        ctx.packed, ctx.quant_state = packed, quant_state
        return x @ weight.t()

    @staticmethod
    def backward(ctx, grad_out):
        weight = dequantize_nf4(ctx.packed, ctx.quant_state, dtype=grad_out.dtype)
        return grad_out @ weight, None, None


def nf4_linear(x: torch.Tensor, weight, quant_state=None) -> torch.Tensor:
    """x @ deq(weight)ᵀ (no bias) for a frozen bitsandbytes 4-bit weight; grads flow to x only."""
    _, state = _unpack(weight, quant_state)
    if x.shape[-1] != state.shape[-1]:
        raise ValueError(f"nf4_linear: x has {x.shape[-1]} features, weight expects {state.shape[-1]}")
    packed = weight.data if isinstance(weight, torch.nn.Parameter) else weight
    return NF4Linear.apply(x, packed, state)
