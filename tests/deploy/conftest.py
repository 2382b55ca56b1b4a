"""The deployment harness (simulations/deployment.py), loaded once for the deployment tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def harness():
    spec = importlib.util.spec_from_file_location("privatune_deployment", REPO / "simulations" / "deployment.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
