"""SwiGLU: Triton (interpreter) vs silu(gate) * up; the hand-written backward vs gradcheck."""

import pytest
import torch

from privatune.kernels import swiglu
from privatune.kernels._utils import triton

requires_triton = pytest.mark.skipif(triton is None, reason="triton is not importable here")
# The kernels compute in fp32 whatever the input dtype, so finite differences need a larger step.
FP32_MATH_GRADCHECK = dict(eps=1e-3, atol=1e-3, rtol=1e-3)
TOL = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float16: dict(rtol=2e-3, atol=2e-3)}


@requires_triton
@pytest.mark.parametrize("shape", [(7,), (3, 5, 37), (2, 1030)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
def test_triton_matches_reference(shape, dtype):
    gate = (3 * torch.randn(shape)).to(dtype).requires_grad_()
    up = torch.randn(shape, dtype=dtype, requires_grad=True)
    out = swiglu.SwiGLUFunction.apply(gate, up)
    out_ref = swiglu.swiglu_reference(gate, up)
    torch.testing.assert_close(out, out_ref, **TOL[dtype])
    grad = torch.randn_like(out)
    for got, want in zip(torch.autograd.grad(out, (gate, up), grad), torch.autograd.grad(out_ref, (gate, up), grad)):
        torch.testing.assert_close(got, want, **TOL[dtype])


@requires_triton
def test_non_contiguous_inputs():
    fused = torch.randn(6, 2 * 19)
    gate, up = fused[:, :19], fused[:, 19:]  # how a fused gate_up projection would be split
    torch.testing.assert_close(swiglu.SwiGLUFunction.apply(gate, up), swiglu.swiglu_reference(gate, up))


@requires_triton
def test_backward_gradcheck_float64():
    gate = torch.randn(3, 13, dtype=torch.float64, requires_grad=True)
    up = torch.randn(3, 13, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(swiglu.SwiGLUFunction.apply, (gate, up), **FP32_MATH_GRADCHECK)


def test_public_function_checks_shapes():
    with pytest.raises(ValueError, match="must match"):
        swiglu.swiglu(torch.randn(3, 4), torch.randn(3, 5))


@requires_triton
@pytest.mark.parametrize("rows, inter", [(1, 1), (5, 37), (3, 1030)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
def test_packed_gate_up_match_the_separate_kernels(rows, inter, dtype):
    """[gate | up] side by side in one tensor (as the stacked gate/up GEMM writes them)."""
    gu = (2 * torch.randn(rows, 2 * inter)).to(dtype)
    gate, up = gu[:, :inter], gu[:, inter:]
    torch.testing.assert_close(swiglu.swiglu_packed(gu), swiglu.swiglu_reference(gate, up), **TOL[dtype])
    dout = torch.randn(rows, inter, dtype=dtype)
    dgu = swiglu.swiglu_packed_backward(dout, gu)
    d_gate, d_up = swiglu.swiglu_backward(dout, gate.contiguous(), up.contiguous())
    torch.testing.assert_close(dgu, torch.cat((d_gate, d_up), dim=1), **TOL[dtype])
