"""Run configuration: one flat table of settings, built once into typed sections.

Flower passes `context.run_config` (pyproject `[tool.flwr.app.config]` plus `--run-config`
overrides) with dashed keys; `RunConfig.from_flower` turns it into typed attributes and the sections
`config.dp` (privacy.dp.DPConfig) and `config.secagg` (privacy.secagg.SecAggConfig), each of which
names its own keys (`KEYS`). Code passes the sections along; nothing re-parses the run config.
DEFAULTS below is the single source of the defaults; `tests/privatune/test_config.py` checks that
pyproject repeats it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from privatune.privacy.dp import DPConfig
from privatune.privacy.secagg.config import SecAggConfig

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
    gradient_checkpointing: bool = True
    offload_activations: bool = False  # CUDA: checkpointed layer inputs + a frozen embedding table in CPU memory
    # differential privacy (sample-level DP-SGD, per client, across all rounds): dp, target-epsilon, ...
    dp: DPConfig = field(default_factory=DPConfig)
    # secure aggregation (SecAgg+): the server learns only the sum of the deltas: secure-aggregation, secagg-*
    secagg: SecAggConfig = field(default_factory=SecAggConfig)
    # membership-inference audit (server as auditor): canaries, ε lower bound, signed audit log
    audit_canaries: int = 64  # 0 = no canaries, no audit
    audit_every: int = 0  # also audit every k rounds (0 = after the final round only)
    audit_signing_key: str = ""  # Ed25519 key for audit.log; "" = $PRIVATUNE_CACHE/keys/audit-signing-key.pem
    # embedded synthetic data (used when data-dir is "")
    num_clients: int = 3
    records_per_client: int = 240
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # SecAgg's delta range follows the training settings; it is never set separately.
        object.__setattr__(self, "secagg", dataclasses.replace(
            self.secagg, clip_norm=self.dp.max_grad_norm, learning_rate=self.learning_rate,
            local_steps=self.local_steps))

    # ---- construction -------------------------------------------------------------------------
    @classmethod
    def from_flower(cls, run_config: Mapping[str, Any] | None, **overrides: Any) -> "RunConfig":
        """Build from Flower's dashed keys; `overrides` (python or dashed names) win.

        Unknown keys are kept in `extra` for other modules.
        """
        flat = dict(run_config or {})
        for name, value in overrides.items():
            key = _dashed(name)
            if key not in DEFAULTS:
                raise ConfigError(f"unknown run-config key '{key}'")
            flat[key] = value
        known = {f.name: f for f in dataclasses.fields(cls) if f.name not in _SECTION_FIELDS}
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        sections: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
        for key, value in flat.items():
            name = key.replace("-", "_")
            section = _SECTION_OF_KEY.get(key)
            if section is not None:
                field_name = SECTIONS[section].KEYS[key]
                sections[section][field_name] = _coerce(key, value, _SECTION_TYPES[section][field_name])
            elif name in known:
                values[name] = _coerce(key, value, known[name].type)
            else:
                extra[key] = value
        try:
            built = {name: SECTIONS[name](**fields_) for name, fields_ in sections.items()}
            config = cls(**values, **built, extra=extra)
            config.dp.validate()
        except ConfigError:
            raise
        except ValueError as err:  # a section's own check (DPConfig.validate, SecAggConfig.__post_init__)
            raise ConfigError(str(err)) from None
        config.validate()
        return config

    def replace(self, **overrides: Any) -> "RunConfig":
        """A copy with some settings changed (python or dashed names, section settings included)."""
        return RunConfig.from_flower(self.to_flower(), **overrides)

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
        if self.learning_rate <= 0:
            raise ConfigError(f"run-config 'learning-rate' must be > 0, got {self.learning_rate}")
        if not self.target_modules:
            raise ConfigError("run-config 'lora-target-modules' is empty: name at least one module")

    # ---- derived values -----------------------------------------------------------------------
    @property
    def target_modules(self) -> list[str]:
        return [m.strip() for m in self.lora_target_modules.split(",") if m.strip()]

    def to_flower(self) -> dict[str, Any]:
        """Dashed keys, as in pyproject.toml and `--run-config` (sections flattened back)."""
        out = {_dashed(f.name): getattr(self, f.name) for f in dataclasses.fields(self)
               if f.name != "extra" and f.name not in _SECTION_FIELDS}
        for name, section_cls in SECTIONS.items():
            section = getattr(self, name)
            for key, field_name in section_cls.KEYS.items():
                value = getattr(section, field_name)
                out[key] = 0 if value is None else value  # TOML has no null: 0 = unset / automatic
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


# Sections of the run config: RunConfig attribute → its settings class (each lists its dashed KEYS).
SECTIONS = {"dp": DPConfig, "secagg": SecAggConfig}
_SECTION_FIELDS = set(SECTIONS)
_SECTION_OF_KEY = {key: name for name, cls in SECTIONS.items() for key in cls.KEYS}
_SECTION_TYPES = {name: {f.name: f.type for f in dataclasses.fields(cls)} for name, cls in SECTIONS.items()}


def _coerce(key: str, value: Any, type_name: Any) -> Any:
    type_name = str(type_name)
    if type_name.endswith(" | None"):  # optional section settings: 0 (or an empty string) means unset
        if value in (0, 0.0, "", "0", None):
            return None
        type_name = type_name[: -len(" | None")]
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
