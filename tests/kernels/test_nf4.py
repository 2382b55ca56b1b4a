"""NF4 dequantisation against bitsandbytes' own dequantize_4bit (CPU quantisation, bnb 0.50)."""

import bitsandbytes as bnb
import bitsandbytes.functional as bnbf
from bitsandbytes.backends.default.ops import _dequantize_4bit_compute
import pytest
import torch

from privatune.kernels import nf4
from privatune.kernels._utils import triton

requires_triton = pytest.mark.skipif(triton is None, reason="triton is not importable here")

SHAPES = [(37, 29), (5, 3), (64, 128), (300, 77), (1, 1)]


@pytest.fixture(autouse=True)
def _eager_bitsandbytes():
    # bnb's CPU fallback is wrapped in torch.compile, which recompiles per shape: minutes of CPU.
    with torch.compiler.set_stance("force_eager"):
        yield


def quantize(shape, nested, blocksize=64):
    weight = torch.randn(shape) * 0.05
    packed, state = bnbf.quantize_4bit(
        weight, blocksize=blocksize, compress_statistics=nested, quant_type="nf4"
    )
    return weight, packed, state


def bnb_dequant(packed, state, dtype):
    """bitsandbytes' dequantisation of (packed, state) to dtype."""
    state.dtype = dtype
    if state.blocksize < 256:
        return bnbf.dequantize_4bit(packed, state, quant_type="nf4")
    # bnb 0.50.2's native CPU kernel is off for blocksize >= 256 on this AVX-512 host (its errors
    # vs the original weight are 2-3x those of the portable op); compare with bnb's portable op.
    absmax = state.absmax.float()
    if state.nested:
        absmax = bnbf.dequantize_blockwise(state.absmax, state.state2) + state.offset
    return _dequantize_4bit_compute(packed.reshape(-1), absmax, state.code, state.blocksize, state.shape, dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16])
@pytest.mark.parametrize("blocksize", [64, 256])
def test_reference_matches_bitsandbytes(shape, nested, dtype, blocksize):
    _, packed, state = quantize(shape, nested, blocksize)
    expected = bnb_dequant(packed, state, dtype)
    got = nf4.dequantize_nf4_reference(packed, state, dtype)
    assert got.shape == expected.shape == shape and got.dtype == dtype
    torch.testing.assert_close(got, expected, rtol=0, atol=0)


@requires_triton
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
@pytest.mark.parametrize("blocksize", [32, 64, 512])
def test_triton_matches_bitsandbytes(shape, nested, dtype, blocksize):
    _, packed, state = quantize(shape, nested, blocksize)
    expected = bnb_dequant(packed, state, dtype)
    got = nf4._dequantize_nf4_triton(packed.reshape(-1), state, dtype)
    torch.testing.assert_close(got, expected, rtol=0, atol=0)


@requires_triton
def test_triton_spans_several_programs():
    # 5000 elements = 2500 bytes: three programs of 1024 bytes, the last one partial.
    _, packed, state = quantize((40, 125), nested=True)
    torch.testing.assert_close(
        nf4.dequantize_nf4(packed, state, torch.float32), bnb_dequant(packed, state, torch.float32), rtol=0, atol=0
    )


@pytest.mark.parametrize("nested", [False, True])
def test_reads_params4bit_directly(nested):
    weight = torch.randn(37, 29) * 0.05
    param = bnb.nn.Params4bit(weight, requires_grad=False, compress_statistics=nested, quant_type="nf4").to("cpu")
    assert param.dtype == torch.uint8 and param.quant_state.nested == nested
    got = nf4.dequantize_nf4(param, dtype=torch.float32)
    torch.testing.assert_close(got, bnb_dequant(param.data, param.quant_state, torch.float32), rtol=0, atol=0)
    # NF4 is lossy but close: every value within half a code step of its block's absmax.
    assert (got - weight).abs().max() < 0.1 * weight.abs().max()


def test_nf4_linear_grad_matches_dequantised_matmul():
    _, packed, state = quantize((23, 17), nested=True)
    x = torch.randn(4, 5, 17, requires_grad=True)
    y = nf4.nf4_linear(x, packed, state)
    grad = torch.randn_like(y)
    (dx,) = torch.autograd.grad(y, x, grad)
    x_ref = x.detach().clone().requires_grad_()
    y_ref = x_ref @ bnb_dequant(packed, state, torch.float32).t()
    (dx_ref,) = torch.autograd.grad(y_ref, x_ref, grad)
    torch.testing.assert_close(y, y_ref)
    torch.testing.assert_close(dx, dx_ref)


def test_clear_errors():
    _, packed, state = quantize((8, 8), nested=False)
    with pytest.raises(ValueError, match="no QuantState"):
        nf4.dequantize_nf4(packed)
    with pytest.raises(ValueError, match="do not hold shape"):
        nf4.dequantize_nf4(packed[:-1], state)
    with pytest.raises(ValueError, match="output dtype"):
        nf4.dequantize_nf4(packed, state, torch.int8)
    with pytest.raises(ValueError, match="features"):
        nf4.nf4_linear(torch.randn(2, 9), packed, state)


@requires_triton
def test_prepared_kernel_args_follow_a_changed_state():
    """The per-QuantState kernel arguments are cached; a state whose tensors change is prepared again."""
    _, packed, state = quantize((64, 128), nested=True)
    first = nf4.dequantize_nf4(packed, state, torch.float32)
    cached = state._privatune_nf4_args
    assert nf4.dequantize_nf4(packed, state, torch.float32).equal(first) and state._privatune_nf4_args is cached
    state.state2.absmax = state.state2.absmax * 2  # a new storage: re-quantised second level
    state.offset = state.offset * 2
    again = nf4.dequantize_nf4(packed, state, torch.float32)
    torch.testing.assert_close(again, 2 * first, rtol=1e-6, atol=1e-7)
    torch.testing.assert_close(again, nf4.dequantize_nf4_reference(packed, state, torch.float32), rtol=1e-6, atol=1e-7)


@requires_triton
@pytest.mark.parametrize("nested", [False, True])
def test_prepared_dequantizer_fills_like_dequantize_nf4(nested):
    _, packed, state = quantize((300, 77), nested)
    expected = nf4.dequantize_nf4(packed, state, torch.float16)
    fill = nf4.nf4_dequantizer(packed, state, torch.float16)
    for _ in range(2):  # reusable: the same prepared call fills a poisoned buffer every time
        out = torch.full((300, 77), float("nan"), dtype=torch.float16)
        assert fill(out) is out
        torch.testing.assert_close(out, expected, rtol=0, atol=0)
