"""Run the Triton kernels through the CPU interpreter.

TRITON_INTERPRET must be set before triton is imported (`triton.jit` reads it when decorating, and
Triton's own tl.sum, tl.sigmoid... are decorated on import); conftest files load before the test
modules of their folder. In a whole-suite run, test packages collected earlier may import
bitsandbytes (which imports triton): then tests/conftest.py must set it too, or the Triton tests
here fail with an error that says so.
"""

import os

os.environ["TRITON_INTERPRET"] = "1"

import pytest  # noqa: E402
import torch  # noqa: E402


@pytest.fixture(autouse=True)
def _seeded():
    torch.manual_seed(0)


@pytest.fixture(autouse=True)
def _restore_process_wide_patches():
    """patch_model replaces transformers' apply_rotary_pos_emb process-wide; undo it after each test
    so later tests (other packages) do not run RoPE through the Triton interpreter."""
    yield
    from privatune.kernels.patch import restore_global_patches

    restore_global_patches()
