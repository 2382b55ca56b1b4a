"""Run the Triton kernels through the CPU interpreter.

TRITON_INTERPRET must be set before a kernel module is imported (`triton.jit` reads it then);
conftest files load before the test modules of their folder. If another test package imported a
kernel module first, `privatune.kernels._utils.launchable` still wraps it in the interpreter.
"""

import os

os.environ["TRITON_INTERPRET"] = "1"

import pytest  # noqa: E402
import torch  # noqa: E402


@pytest.fixture(autouse=True)
def _seeded():
    torch.manual_seed(0)
