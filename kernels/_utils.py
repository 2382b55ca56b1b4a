"""Helpers shared by the kernel files: guarded Triton import, dispatch, launch settings.

Triton is imported under a guard so that `privatune.kernels` imports (and its torch paths run) on
machines where Triton is missing or broken. When it is missing, `triton_jit` leaves the function as
plain Python and `tl` is a stand-in whose attributes are inert, so kernel definitions still parse;
`use_triton` then returns False and nothing tries to launch them.
"""

from __future__ import annotations

import contextlib
import os

import torch

try:  # Triton is optional: CPU-only installs and Windows run the torch references.
    import triton
    import triton.language as tl

    _TRITON_IMPORT_ERROR: Exception | None = None
except Exception as exc:  # noqa: BLE001 - any failure means "no Triton", never a crash on import
    triton = None
    _TRITON_IMPORT_ERROR = exc

    class _InertLanguage:
        """Stands in for `triton.language` so `BLOCK: tl.constexpr` annotations still evaluate."""

        def __getattr__(self, name):
            return None

    tl = _InertLanguage()


def triton_jit(fn):
    """`triton.jit` when Triton imports, else the undecorated function (never launched)."""
    return triton.jit(fn) if triton is not None else fn


def interpret_mode() -> bool:
    """True when TRITON_INTERPRET asks Triton to run kernels on CPU tensors through numpy."""
    return os.environ.get("TRITON_INTERPRET", "0").lower() in ("1", "true", "on", "yes")


def triton_available() -> bool:
    """True when Triton imported and can run somewhere: a CUDA device or the CPU interpreter."""
    return triton is not None and (torch.cuda.is_available() or interpret_mode())


# ---- THE Triton-or-torch decision -------------------------------------------------------------------
# Every kernel file asks `use_triton(*tensors)` (the fused LoRA path asks with fused=True); nothing
# else reads PRIVATUNE_KERNELS, TRITON_INTERPRET or the fused-on-CPU switch.

KERNELS_OFF = "PRIVATUNE_KERNELS=0"
_FUSED_ON_CPU = [False]  # tests, dry runs: the fused (GPU) LoRA path on CPU tensors under the interpreter


def torch_path_reason(*tensors: torch.Tensor, fused: bool = False) -> str | None:
    """Why these tensors take the torch reference, or None when they take the Triton path.

    Triton runs when it imported, `PRIVATUNE_KERNELS` is not "0", and the tensors are all CUDA, or
    all CPU under TRITON_INTERPRET (tests). `fused` (the fused LoRA path, which replaces the
    reference Function) takes CPU tensors only inside `fused_path_on_cpu()`, so CPU runs keep the
    reference path byte for byte. With no tensors: whether the kernels are switched on at all.
    """
    if triton is None:
        return f"triton unavailable ({_TRITON_IMPORT_ERROR!r})"
    if os.environ.get("PRIVATUNE_KERNELS", "1").lower() in ("0", "false", "off", "no"):
        return KERNELS_OFF
    if all(t.is_cuda for t in tensors):
        return None
    if not (interpret_mode() and all(t.device.type == "cpu" for t in tensors)):
        return f"no CUDA device ({triton_status()})"
    if fused and not _FUSED_ON_CPU[0]:
        return "CPU tensors take the fused LoRA path only inside fused_path_on_cpu()"
    return None


def use_triton(*tensors: torch.Tensor, fused: bool = False) -> bool:
    """Whether the public functions should launch Triton on these tensors (see `torch_path_reason`)."""
    return torch_path_reason(*tensors, fused=fused) is None


@contextlib.contextmanager
def fused_path_on_cpu():
    """Take the fused (GPU) LoRA path on CPU tensors too, when TRITON_INTERPRET is set (tests, dry runs)."""
    previous, _FUSED_ON_CPU[0] = _FUSED_ON_CPU[0], True
    try:
        yield
    finally:
        _FUSED_ON_CPU[0] = previous


def launchable(kernel):
    """The kernel, checked to be runnable here before it is launched.

    `triton.jit` reads TRITON_INTERPRET when a module is decorated, and Triton's own helpers
    (tl.sum, tl.sigmoid, ...) are decorated when `triton` is imported, which bitsandbytes does.
    If the variable was set only later, nothing runs on CPU tensors; say so plainly.
    """
    if interpret_mode() and triton is not None:
        from triton.runtime.interpreter import InterpretedFunction

        if not isinstance(kernel, InterpretedFunction):
            raise RuntimeError(
                "TRITON_INTERPRET was set after triton was imported (bitsandbytes and transformers import "
                "it), so the Triton kernels cannot run on CPU. Set TRITON_INTERPRET=1 in the environment "
                "or at the top of tests/conftest.py, before anything imports triton."
            )
    return kernel


class DirectLaunch:
    """A Triton kernel launched again with the same grid and arguments except one tensor, for less host time.

    `kernel[grid](...)` binds and specialises every argument and looks the compiled kernel up on each
    call (tens of µs of Python: at ~670 NF4 dequantisations per 8B training step, a visible share
    of a host-bound step). After one ordinary launch, this calls the compiled kernel's launcher with
    the arguments in signature order, constexprs included — the call `JITFunction.run` itself makes
    in Triton ≥ 3.3. The caller checks the first direct launch against the ordinary one and stays on
    the ordinary path if they differ or the launcher refuses the arguments (`DirectLaunch.make`
    returns None whenever the compiled kernel does not look as expected, and under the interpreter).
    """

    def __init__(self, compiled, grid, values, varying: int, device):
        self.compiled, self.values, self.varying = compiled, list(values), varying
        self.grid = (grid[0], grid[1] if len(grid) > 1 else 1, grid[2] if len(grid) > 2 else 1)
        self.device = device
        # Triton specialises pointer arguments on 16-byte alignment: a tensor aligned otherwise than
        # the one the kernel was compiled for must take the ordinary launch (`fits`).
        self.aligned = values[varying].data_ptr() % 16 == 0

    def fits(self, tensor: torch.Tensor) -> bool:
        return (tensor.data_ptr() % 16 == 0) == self.aligned

    @classmethod
    def make(cls, kernel, compiled, grid, args: list, constexprs: dict, varying: int, device):
        """From an ordinary launch's result; `varying` is the index (in `args`) of the tensor that changes."""
        if interpret_mode() or compiled is None or not all(hasattr(compiled, a) for a in ("run", "function",
                                                                                             "packed_metadata")):
            return None
        names = list(getattr(kernel, "arg_names", []))
        if len(names) != len(args) + len(constexprs) or names[len(args):] != list(constexprs):
            return None
        return cls(compiled, grid, list(args) + list(constexprs.values()), varying, device)

    def __call__(self, tensor: torch.Tensor) -> None:
        values = self.values
        values[self.varying] = tensor
        c = self.compiled
        c.run(*self.grid, torch.cuda.current_stream(self.device).cuda_stream, c.function, c.packed_metadata,
              None, None, None, *values)


MAX_FUSED_SIZE = 65536


def row_settings(n_cols: int) -> tuple[int, int]:
    """Block size (next power of two ≥ n_cols) and warp count for one-row-per-program kernels."""
    if triton is None:
        raise RuntimeError("Triton is not available; use the torch reference")
    block = triton.next_power_of_2(n_cols)
    if block > MAX_FUSED_SIZE:
        raise ValueError(f"row of {n_cols} elements exceeds the fused limit of {MAX_FUSED_SIZE}")
    num_warps = 4
    if block >= 32768:
        num_warps = 32
    elif block >= 8192:
        num_warps = 16
    elif block >= 2048:
        num_warps = 8
    return block, num_warps


def num_programs(device: torch.device) -> int:
    """How many persistent programs to launch: one per SM on CUDA, a few under the interpreter."""
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).multi_processor_count
    return 4


def triton_status() -> str:
    """One line saying which path the kernels take here (for logs and benchmark headers)."""
    if triton is None:
        return f"triton unavailable ({_TRITON_IMPORT_ERROR!r}); torch references"
    where = "cuda" if torch.cuda.is_available() else ("interpreter" if interpret_mode() else "none")
    return f"triton {triton.__version__} ({where})"
