"""Shared fixtures: one embedded model cache per test session, small and fast run configs."""

from __future__ import annotations

import os
import tempfile

import pytest

# Triton kernels run in its interpreter on CPU; this must be set before anything imports triton
# (bitsandbytes and transformers do). PRIVATUNE_TEST_GPU=1 runs them compiled on a GPU instead.
if os.environ.get("PRIVATUNE_TEST_GPU") != "1":
    os.environ.setdefault("TRITON_INTERPRET", "1")
# Set before privatune (and Ray workers, which inherit the environment) look at it.
os.environ.setdefault("PRIVATUNE_CACHE", tempfile.mkdtemp(prefix="privatune-test-cache-"))
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Client state (privacy ledgers keyed by the records, for life) must never be shared between tests,
# nor land in the user's ~/.local/state: a fresh state dir per module and per test (fixtures below).
os.environ["PRIVATUNE_STATE_DIR"] = tempfile.mkdtemp(prefix="privatune-test-state-")

import privatune  # noqa: E402,F401  (sets the offline environment)


@pytest.fixture(scope="module", autouse=True)
def _module_state_dir(tmp_path_factory):
    """Module-scoped fixtures (one simulation shared by a module's tests) get a state dir of their own."""
    old = os.environ["PRIVATUNE_STATE_DIR"]
    os.environ["PRIVATUNE_STATE_DIR"] = str(tmp_path_factory.mktemp("state"))
    yield
    os.environ["PRIVATUNE_STATE_DIR"] = old


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    """Each test's clients keep their ledgers under its own tmp_path."""
    monkeypatch.setenv("PRIVATUNE_STATE_DIR", str(tmp_path / "client-state"))


@pytest.fixture(scope="session")
def tiny_model_dir():
    from privatune.embedded import default_model_dir

    return default_model_dir()


@pytest.fixture
def small_config(tmp_path, tiny_model_dir):
    """A run config that trains in seconds on one CPU core."""
    from privatune.config import RunConfig

    return RunConfig.from_flower({
        "run-dir": str(tmp_path / "run"), "num-clients": 2, "records-per-client": 60, "num-rounds": 2,
        "local-steps": 4, "batch-size": 4, "max-seq-len": 64, "learning-rate": 0.005,
    })
