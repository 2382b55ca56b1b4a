"""The hospital's privacy policy (DESIGN.md contract 3): what no run config can loosen.

The coordinator's run config asks for DP, a target ε and secure aggregation; the client's own
policy, set on the SuperNode (`--node-config` keys, and optionally a TOML/JSON policy file on the
node's disk named by `policy-file`), says what the client accepts. `effective()` takes the stricter
of both and refuses (PolicyRefused, before any training step) a run config that would loosen the
policy: DP off, a larger ε or δ, secure aggregation off. The SecAgg client protocol calls
`check_secagg()` at setup and `check_sum_size()` at unmask so that a server asking for a low
threshold or a small sum is refused too.

Keys (node-config or policy file; dashes as in Flower):
    dp-required            bool   the run must use DP-SGD            (deployment default: true)
    epsilon-max            float  lifetime ε of this dataset, all runs composed (default: none)
    delta-max              float  largest δ accepted                 (default: none)
    secagg-required        bool   updates leave only masked          (deployment default: true)
    secagg-min-threshold   float  least Shamir threshold, as a fraction of the neighbourhood
    secagg-min-clients     int    fewest clients in any sum the server may unmask
    state-dir              path   the node's own state (ledgers, scrubbed copies); required when
                                  deployed (node-config has data-path)
    max-reject-rate        float  refuse a data file whose PII scrub rejected more than this share
    ledger-id              str    pin the ledger to a name instead of the records' SHA-256
    secagg-identity-key    path   private key this node signs its SecAgg round keys with (its
                                  SuperNode authentication key will do)
    secagg-roster          path   'NODE_ID PUBLIC_KEY' lines: accept SecAgg neighbours only with
                                  round keys signed by their roster key (privacy/secagg/identity.py)

Simulation (no data-path) keeps today's defaults: nothing required, the run config decides.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

STATE_ENV = "PRIVATUNE_STATE_DIR"  # per-user default state dir (tests point it at a tmp dir)


class PolicyError(ValueError):
    """The policy itself is malformed (a bad key or value in node-config or the policy file)."""


class PolicyRefused(RuntimeError):
    """The run asks for something the client's policy forbids; nothing was trained or sent."""

    def __init__(self, reason: str):
        super().__init__(f"refused: policy {reason}")
        self.reason = reason


_BOOL = ("dp-required", "secagg-required")
_FLOAT = ("epsilon-max", "delta-max", "secagg-min-threshold", "max-reject-rate")
_INT = ("secagg-min-clients",)
_STR = ("state-dir", "ledger-id", "policy-file", "secagg-identity-key", "secagg-roster")
KEYS = _BOOL + _FLOAT + _INT + _STR


@dataclass(frozen=True)
class ClientPolicy:
    dp_required: bool = False
    epsilon_max: float = math.inf
    delta_max: float = 1.0
    secagg_required: bool = False
    secagg_min_threshold: float = 0.0
    secagg_min_clients: int = 0
    state_dir: Path | None = None
    max_reject_rate: float | None = None
    ledger_id: str = ""
    secagg_identity_key: Path | None = None
    secagg_roster: Path | None = None
    deployed: bool = False
    sources: tuple[str, ...] = ()

    # ---- reading ----------------------------------------------------------------------------------
    @classmethod
    def from_node_config(cls, node_config: Mapping[str, Any]) -> "ClientPolicy":
        """The node's policy: node-config keys, made stricter by a policy file if one is named."""
        deployed = "data-path" in node_config
        base = cls(dp_required=deployed, secagg_required=deployed, deployed=deployed)
        policy = base.merged(_parse({k: v for k, v in node_config.items() if k in KEYS}, "node-config"),
                             "node-config")
        if "policy-file" in node_config:
            path = Path(str(node_config["policy-file"])).expanduser()
            policy = policy.merged(_parse(_read_file(path), str(path)), str(path))
        if policy.secagg_roster is not None and policy.secagg_identity_key is None:
            raise PolicyError("secagg-roster is set but secagg-identity-key is not: a node that checks its "
                              "neighbours' signatures must sign its own round keys (add secagg-identity-key="
                              "\"/path/to/its/private/key\")")
        if deployed and policy.state_dir is None:
            raise PolicyError("node-config names a data-path but no state-dir: a deployed SuperNode needs its own "
                              "state directory for its privacy ledger (add state-dir=\"/var/lib/privatune\" to "
                              "--node-config, or to the policy file)")
        return policy

    def merged(self, values: dict[str, Any], source: str) -> "ClientPolicy":
        """Stricter of self and `values` on every privacy field; paths and names: the later one wins."""
        strict = dict(
            dp_required=self.dp_required or values.get("dp-required", False),
            epsilon_max=min(self.epsilon_max, values.get("epsilon-max", math.inf)),
            delta_max=min(self.delta_max, values.get("delta-max", 1.0)),
            secagg_required=self.secagg_required or values.get("secagg-required", False),
            secagg_min_threshold=max(self.secagg_min_threshold, values.get("secagg-min-threshold", 0.0)),
            secagg_min_clients=max(self.secagg_min_clients, values.get("secagg-min-clients", 0)),
        )
        if "max-reject-rate" in values:
            rate = values["max-reject-rate"]
            strict["max_reject_rate"] = rate if self.max_reject_rate is None else min(rate, self.max_reject_rate)
        if "dp-required" in values and not values["dp-required"] and source == "node-config":
            strict["dp_required"] = False  # the node's own choice overrides the deployment default
        if "secagg-required" in values and not values["secagg-required"] and source == "node-config":
            strict["secagg_required"] = False
        if "state-dir" in values:
            strict["state_dir"] = Path(values["state-dir"]).expanduser()
        if "ledger-id" in values:
            strict["ledger_id"] = values["ledger-id"]
        for key in ("secagg-identity-key", "secagg-roster"):  # once named, a later source cannot unset them
            if values.get(key):
                strict[key.replace("-", "_")] = Path(values[key]).expanduser()
        return dataclasses.replace(self, **strict, sources=self.sources + (source,))

    # ---- where the client keeps its state ----------------------------------------------------------
    def state_root(self) -> Path:
        """node state-dir, else $PRIVATUNE_STATE_DIR, else $XDG_STATE_HOME/privatune (never a run dir)."""
        if self.state_dir is not None:
            return self.state_dir
        if os.environ.get(STATE_ENV):
            return Path(os.environ[STATE_ENV]).expanduser()
        xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        return Path(xdg) / "privatune"

    def ledger_path(self, records_id: str) -> Path:
        """One ledger per dataset, for life: named by the records' identity (or the pinned ledger-id)."""
        name = self.ledger_id or records_id
        if not name or "/" in name or name.startswith("."):
            raise PolicyError(f"ledger name {name!r} is not a plain file name; set ledger-id to one")
        return self.state_root() / "ledgers" / f"{name}.jsonl"

    # ---- decisions ---------------------------------------------------------------------------------
    def check_reject_rate(self, records_in: int, rejected: int, where: str) -> None:
        if self.max_reject_rate is not None and records_in and rejected / records_in > self.max_reject_rate:
            raise PolicyRefused(f"max-reject-rate = {self.max_reject_rate}: the PII scrub of {where} rejected "
                                f"{rejected} of {records_in} records; fix the file or raise max-reject-rate")

    def check_secagg(self, params) -> None:
        """At SecAgg setup (privacy.secagg RoundParams): threshold and neighbourhood large enough."""
        group = len(params.neighbours) + 1  # the node itself holds a share too
        if self.secagg_min_threshold and params.threshold < math.ceil(self.secagg_min_threshold * group):
            raise PolicyRefused(f"secagg-min-threshold = {self.secagg_min_threshold}: the server asks for a "
                                f"threshold of {params.threshold} of {group}")
        if group < self.secagg_min_clients:
            raise PolicyRefused(f"secagg-min-clients = {self.secagg_min_clients}: the server puts this node in "
                                f"a group of {group}")

    def check_sum_size(self, survivors: int) -> None:
        """At SecAgg unmask: no shares for a sum of fewer than secagg-min-clients inputs."""
        if survivors < self.secagg_min_clients:
            raise PolicyRefused(f"secagg-min-clients = {self.secagg_min_clients}: the server would unmask a sum "
                                f"of {survivors} inputs")


def effective(policy: ClientPolicy, config):
    """The run config the client trains with: the stricter of `config` and `policy`.

    Raises PolicyRefused when the run config would loosen the policy (DP or SecAgg off where
    required, ε above epsilon-max, δ above delta-max). ε and δ below the policy's are kept.
    `config` is a RunConfig (its sections config.dp: DPConfig and config.secagg: SecAggConfig).
    """
    dp, secagg = config.dp, config.secagg
    if policy.dp_required and not dp.enabled:
        raise PolicyRefused("dp-required = true: the run config sets dp = false")
    if policy.secagg_required and not secagg.enabled:
        raise PolicyRefused("secagg-required = true: the run config sets secure-aggregation = false")
    if dp.enabled and dp.target_epsilon > policy.epsilon_max:
        raise PolicyRefused(f"epsilon-max = {policy.epsilon_max:g}: the run config asks for target-epsilon = "
                            f"{dp.target_epsilon:g}")
    if dp.enabled and dp.delta > policy.delta_max:
        raise PolicyRefused(f"delta-max = {policy.delta_max:g}: the run config asks for delta = {dp.delta:g}")
    return config


# ---- parsing ---------------------------------------------------------------------------------------

def _read_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise PolicyError(f"policy file {path} cannot be read ({err.strerror}); fix node-config 'policy-file'") from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise PolicyError(f"policy file {path}: not valid {'JSON' if path.suffix == '.json' else 'TOML'} ({err})") from None
    if not isinstance(data, dict):
        raise PolicyError(f"policy file {path}: must hold a table of keys, got {type(data).__name__}")
    data = data.get("privatune", data)  # a [privatune] table, or keys at the top level
    if "policy-file" in data:
        raise PolicyError(f"policy file {path}: 'policy-file' cannot be nested")
    return data


def _parse(values: Mapping[str, Any], source: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in KEYS:
            raise PolicyError(f"{source}: unknown policy key '{key}'; known keys: {', '.join(KEYS)}")
        try:
            if key in _BOOL:
                if isinstance(value, str) and value.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                out[key] = value.lower() in ("true", "1") if isinstance(value, str) else bool(value)
            elif key in _FLOAT:
                out[key] = float(value)
                if not out[key] >= 0:
                    raise ValueError
            elif key in _INT:
                out[key] = int(value)
                if out[key] < 0:
                    raise ValueError
            else:
                out[key] = str(value)
        except (TypeError, ValueError):
            raise PolicyError(f"{source}: key '{key}' has the invalid value {value!r}") from None
    if not 0 <= out.get("secagg-min-threshold", 0) <= 1:
        raise PolicyError(f"{source}: 'secagg-min-threshold' is a fraction in [0, 1]")
    if "delta-max" in out and not 0 < out["delta-max"] < 1:
        raise PolicyError(f"{source}: 'delta-max' must be in (0, 1)")
    return out
