"""privatune: privacy-preserving federated QLoRA fine-tuning.

Importing privatune switches off everything that would reach the network at run time: Flower and
Ray telemetry, and Hugging Face hub look-ups. A user can still override each variable explicitly.
"""

import logging
import os

__version__ = "0.1.0"

# Imported from the source tree itself (the repository root first on sys.path: Python started in the
# root, Ray workers of a simulation started there, Flower app processes): the subpackages
# privatune.client, .server, .kernels and .privacy are this folder's siblings, as pyproject's
# package-dir maps them. An installed copy (wheel, or the strict editable symlink tree) has no
# pyproject.toml beside it and is left as it is.
_source_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.isfile(os.path.join(_source_root, "pyproject.toml")) and os.path.isdir(
        os.path.join(_source_root, "kernels")):
    __path__.append(_source_root)

_OFFLINE_ENV = {
    "FLWR_TELEMETRY_ENABLED": "0",
    "FLWR_DISABLE_UPDATE_CHECK": "1",
    "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION": "1",  # flwr run must not `uv sync` from the network
    "RAY_USAGE_STATS_ENABLED": "0",
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "TRANSFORMERS_VERBOSITY": "error",
}
for _key, _value in _OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)

# bitsandbytes tries an optional hub kernel on CPU and warns on every process when it is absent.
logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)
