"""RMSNorm: Triton (interpreter) vs the HF-Llama reference; the hand-written backward vs gradcheck."""

import pytest
import torch
from transformers.models.llama.modeling_llama import LlamaRMSNorm

from privatune.kernels import rmsnorm
from privatune.kernels._utils import triton

requires_triton = pytest.mark.skipif(triton is None, reason="triton is not importable here")
# The kernels compute in fp32 whatever the input dtype, so finite differences need a larger step.
FP32_MATH_GRADCHECK = dict(eps=1e-3, atol=1e-3, rtol=1e-3)
TOL = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float16: dict(rtol=2e-3, atol=2e-3)}


def test_reference_is_hf_llama_rmsnorm():
    norm = LlamaRMSNorm(45, eps=1e-5)
    torch.nn.init.normal_(norm.weight, 1.0, 0.1)
    x = torch.randn(3, 7, 45)
    torch.testing.assert_close(rmsnorm.rms_norm_reference(x, norm.weight, 1e-5), norm(x), rtol=0, atol=0)


@requires_triton
@pytest.mark.parametrize("shape", [(1, 8), (3, 7, 45), (13, 130), (2, 5, 1)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
@pytest.mark.parametrize("train_weight", [True, False])
def test_triton_matches_reference(shape, dtype, train_weight):
    x = torch.randn(shape, dtype=dtype, requires_grad=True)
    weight = (1 + 0.1 * torch.randn(shape[-1])).to(dtype).requires_grad_(train_weight)
    y = rmsnorm.RMSNormFunction.apply(x, weight, 1e-6)
    y_ref = rmsnorm.rms_norm_reference(x, weight, 1e-6)
    assert y.shape == y_ref.shape and y.dtype == y_ref.dtype
    torch.testing.assert_close(y, y_ref, **TOL[dtype])
    grad = torch.randn_like(y)
    wrt = (x, weight) if train_weight else (x,)
    for got, want in zip(torch.autograd.grad(y, wrt, grad), torch.autograd.grad(y_ref, wrt, grad)):
        torch.testing.assert_close(got, want, **TOL[dtype])


@requires_triton
def test_weight_grad_sums_over_more_rows_than_programs():
    # 4 interpreter programs: 23 rows means 6 rows each, the last program short.
    x = torch.randn(23, 9, requires_grad=True)
    weight = torch.randn(9, requires_grad=True)
    grad = torch.randn(23, 9)
    (dw,) = torch.autograd.grad(rmsnorm.RMSNormFunction.apply(x, weight, 1e-6), weight, grad)
    (dw_ref,) = torch.autograd.grad(rmsnorm.rms_norm_reference(x, weight, 1e-6), weight, grad)
    torch.testing.assert_close(dw, dw_ref)


@requires_triton
def test_backward_gradcheck_float64():
    x = torch.randn(5, 11, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(11, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a, b: rmsnorm.RMSNormFunction.apply(a, b, 1e-6), (x, weight), **FP32_MATH_GRADCHECK
    )


def test_public_function_falls_back_to_reference(monkeypatch):
    monkeypatch.setenv("PRIVATUNE_KERNELS", "0")
    x, weight = torch.randn(4, 6, requires_grad=True), torch.randn(6)
    y = rmsnorm.rms_norm(x, weight)
    assert y.grad_fn.name() != "RMSNormFunctionBackward"
    torch.testing.assert_close(y, rmsnorm.rms_norm_reference(x, weight))
    with pytest.raises(ValueError, match="features"):
        rmsnorm.rms_norm(x, torch.randn(5))
