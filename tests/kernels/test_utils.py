"""The kernels package works without Triton; interpret mode set too late is reported, not half-run."""

import os
import subprocess
import sys
import textwrap

import pytest

WITHOUT_TRITON = textwrap.dedent(
    """
    import sys
    sys.modules["triton"] = None  # any `import triton` now raises ImportError
    import torch
    from privatune.kernels import _utils, cross_entropy, nf4, rmsnorm, rope, swiglu
    assert _utils.triton is None and not _utils.triton_available() and not _utils.use_triton(torch.ones(1))
    x, w = torch.randn(4, 8, requires_grad=True), torch.ones(8)
    rmsnorm.rms_norm(x, w).sum().backward()
    g, u = torch.randn(5), torch.randn(5)
    assert torch.allclose(swiglu.swiglu(g, u), torch.nn.functional.silu(g) * u)
    q = torch.randn(1, 2, 3, 4)
    rope.apply_rope(q, q, torch.ones(1, 3, 4), torch.zeros(1, 3, 4))
    labels = torch.zeros(2, 3, dtype=torch.long)
    losses = cross_entropy.fused_linear_cross_entropy(torch.randn(2, 3, 8), torch.randn(11, 8), labels)
    assert losses.shape == (2,) and "unavailable" in _utils.triton_status()
    assert "flwr" not in sys.modules and "presidio_analyzer" not in sys.modules
    print("ok")
    """
)

JIT_BEFORE_INTERPRET = textwrap.dedent(
    """
    import os
    os.environ.pop("TRITON_INTERPRET", None)
    import torch
    from privatune.kernels import swiglu  # jitted for a GPU: no interpreter yet
    os.environ["TRITON_INTERPRET"] = "1"
    try:
        swiglu.swiglu(torch.randn(3, 7), torch.randn(3, 7))
    except RuntimeError as exc:
        assert "set after triton was imported" in str(exc)
        print("ok")
    """
)


def run_python(code):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("TRITON_INTERPRET", None)
    return subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_imports_and_torch_paths_work_without_triton():
    result = run_python(WITHOUT_TRITON)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_interpret_mode_set_too_late_gives_a_clear_error():
    pytest.importorskip("triton")
    result = run_python(JIT_BEFORE_INTERPRET)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_direct_launch_passes_arguments_in_signature_order_and_refuses_other_alignments(monkeypatch):
    """DirectLaunch's logic with a stand-in compiled kernel (CUDA is not needed to check the plumbing)."""
    import types

    import torch

    from privatune.kernels import _utils

    monkeypatch.setattr(_utils, "interpret_mode", lambda: False)
    monkeypatch.setattr(torch.cuda, "current_stream", lambda device=None: types.SimpleNamespace(cuda_stream=7))
    calls = []
    compiled = types.SimpleNamespace(function="fn", packed_metadata="meta", run=lambda *a: calls.append(a))
    kernel = types.SimpleNamespace(arg_names=["src", "out", "n", "BLOCK"])
    src, out = torch.zeros(64), torch.zeros(64)
    assert _utils.DirectLaunch.make(kernel, compiled, (3,), [src, out, 64], {"WRONG": 1}, 1, "cpu") is None
    direct = _utils.DirectLaunch.make(kernel, compiled, (3,), [src, out, 64], {"BLOCK": 32}, 1, "cpu")
    other = torch.zeros(64)
    direct(other)
    assert calls == [(3, 1, 1, 7, "fn", "meta", None, None, None, src, other, 64, 32)]
    assert direct.fits(other) and not direct.fits(torch.zeros(65)[1:])  # 4-byte offset: other alignment
