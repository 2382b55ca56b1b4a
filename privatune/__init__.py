"""privatune: privacy-preserving federated QLoRA fine-tuning.

Importing privatune switches off everything that would reach the network at run time: Flower and
Ray telemetry, and Hugging Face hub look-ups. A user can still override each variable explicitly.
"""

import os

__version__ = "0.1.0"

_OFFLINE_ENV = {
    "FLWR_TELEMETRY_ENABLED": "0",
    "RAY_USAGE_STATS_ENABLED": "0",
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
for _key, _value in _OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)
