"""Run configuration: one flat table of settings, shared by the CLI, the ServerApp and the ClientApp.

Flower passes `context.run_config` (pyproject `[tool.flwr.app.config]` plus `--run-config`
overrides) with dashed keys; `RunConfig.from_flower` turns it into typed attributes. DEFAULTS below is
the single source of the defaults; `tests/privatune/test_config.py` checks that pyproject repeats it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

ALL_PROJECTIONS = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj"


class ConfigError(ValueError):
    """A run-config value is missing, of the wrong type or out of range."""


@dataclass(frozen=True)
class RunConfig:
    # where things are ("" = the embedded defaults, created once in the cache)
    model: str = ""
    data_dir: str = ""
    run_dir: str = "runs/demo"
    # federation
    num_rounds: int = 3
    fraction_train: float = 1.0
    min_clients: int = 2
    # local training
    local_steps: int = 10
    batch_size: int = 8
    learning_rate: float = 1e-2
    max_seq_len: int = 128
    seed: int = 0
    # LoRA
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.0
    lora_target_modules: str = ALL_PROJECTIONS
    # data
    text_field: str = "text"
    instruction_field: str = "instruction"
    response_field: str = "response"
    prompt_template: str = "### Instruction:\n{instruction}\n\n### Response:\n{response}"
    eval_fraction: float = 0.1
    pii_scrub: bool = True  # the client scrubs raw records (Presidio) before training
    data_deidentified: bool = False  # declare the data already de-identified: trained on as is
    # differential privacy (sample-level DP-SGD, per client, across all rounds)
    dp: bool = True
    target_epsilon: float = 8.0
    delta: float = 1e-5
    max_grad_norm: float = 1.0
    noise_multiplier: float = 0.0  # 0 = calibrate from target ε over num-rounds × local-steps
    accountant: str = "prv"
    clipping: str = "flat"
    physical_batch_size: int = 0  # 0 = whole logical batch
    gradient_checkpointing: bool = True
    offload_activations: bool = False  # CUDA: checkpointed layer inputs + a frozen embedding table in CPU memory
    # secure aggregation (SecAgg+): the server learns only the sum of the deltas; secagg-* keys tune it
    secure_aggregation: bool = True
    # membership-inference audit (server as auditor): canaries, ε lower bound, signed audit log
    audit_canaries: int = 64  # 0 = no canaries, no audit
    audit_every: int = 0  # also audit every k rounds (0 = after the final round only)
    audit_signing_key: str = ""  # Ed25519 key for audit.log; "" = $PRIVATUNE_CACHE/keys/audit-signing-key.pem
    # embedded synthetic data (used when data-dir is "")
    num_clients: int = 3
    records_per_client: int = 240
    # simulation: GPUs per client process (Ray num_gpus; 0.5 = two clients share a GPU); -1 = auto
    client_gpus: float = -1.0
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    # ---- construction -------------------------------------------------------------------------
    @classmethod
    def from_flower(cls, run_config: Mapping[str, Any] | None, **overrides: Any) -> "RunConfig":
        """Build from Flower's dashed keys (unknown keys are kept in `extra` for other modules)."""
        known = {f.name: f for f in dataclasses.fields(cls) if f.name != "extra"}
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in dict(run_config or {}).items():
            name = key.replace("-", "_")
            if name in known:
                values[name] = _coerce(key, value, known[name].type)
            else:
                extra[key] = value
        for name, value in overrides.items():
            if name not in known:
                raise ConfigError(f"unknown run-config key '{name.replace('_', '-')}'")
            values[name] = _coerce(name, value, known[name].type)
        config = cls(**values, extra=extra)
        config.validate()
        return config

    def validate(self) -> None:
        positive = ["num_rounds", "local_steps", "batch_size", "max_seq_len", "lora_r",
                    "min_clients", "num_clients", "records_per_client"]
        for name in positive:
            if getattr(self, name) < 1:
                raise ConfigError(f"run-config '{_dashed(name)}' must be ≥ 1, got {getattr(self, name)}")
        if self.audit_canaries < 0 or self.audit_every < 0:
            raise ConfigError("run-config 'audit-canaries' and 'audit-every' must be ≥ 0")
        if not 0.0 < self.fraction_train <= 1.0:
            raise ConfigError(f"run-config 'fraction-train' must be in (0, 1], got {self.fraction_train}")
        if not 0.0 < self.eval_fraction < 1.0:
            raise ConfigError(f"run-config 'eval-fraction' must be in (0, 1), got {self.eval_fraction}")
        if self.client_gpus < 0 and self.client_gpus != -1:
            raise ConfigError(f"run-config 'client-gpus' must be ≥ 0 (or -1 for auto), got {self.client_gpus}")
        if self.learning_rate <= 0:
            raise ConfigError(f"run-config 'learning-rate' must be > 0, got {self.learning_rate}")
        if not self.target_modules:
            raise ConfigError("run-config 'lora-target-modules' is empty: name at least one module")

    # ---- derived values -----------------------------------------------------------------------
    @property
    def target_modules(self) -> list[str]:
        return [m.strip() for m in self.lora_target_modules.split(",") if m.strip()]

    def to_flower(self) -> dict[str, Any]:
        """Dashed keys, as in pyproject.toml and `--run-config`."""
        out = {_dashed(f.name): getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "extra"}
        out.update(self.extra)
        return out

    def fingerprint(self, keys: tuple[str, ...]) -> str:
        """Hash of the settings that must not change when a run is resumed."""
        blob = json.dumps({k: getattr(self, k) for k in keys}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# Settings that define what is being trained: a resumed run must keep them.
IDENTITY_KEYS = ("model", "data_dir", "seed", "lora_r", "lora_alpha", "lora_target_modules",
                 "max_seq_len", "num_clients", "records_per_client")


def _dashed(name: str) -> str:
    return name.replace("_", "-")


def _coerce(key: str, value: Any, type_name: Any) -> Any:
    type_name = str(type_name)
    try:
        if type_name == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if type_name == "float":
            return float(value)
        if type_name == "bool":
            if isinstance(value, str):
                if value.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                return value.lower() in ("true", "1")
            return bool(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"run-config '{_dashed(key)}' must be {type_name}, got {value!r}") from None


DEFAULTS = RunConfig().to_flower()
