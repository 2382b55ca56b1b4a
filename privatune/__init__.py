"""privatune: privacy-preserving federated QLoRA fine-tuning.

Importing privatune switches off everything that would reach the network at run time: Flower and
Ray telemetry, and Hugging Face hub look-ups. A user can still override each variable explicitly.
"""

import logging
import os

__version__ = "0.1.0"

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

# Known third-party warnings and banners, in this process and in Flower's client processes.
from privatune.logs import quiet_third_party  # noqa: E402

quiet_third_party()
