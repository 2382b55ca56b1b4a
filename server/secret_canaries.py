"""The server's side of the data-extraction audit: generate the secret canaries, deal each client its
own, and run the exposure/extraction audit on the global adapter.

Off unless the run config asks (`--run-config 'audit-secret-canaries=16'`: 16 inserted and 16
held-out; extra keys `audit-secret-candidates` (default 255) and `audit-secret-samples` (default 8)
tune the audit). The whole set, secrets and the inserted/held-out split included, stays in
RUN_DIR/audit/secrets.json; the audit log carries only its count and SHA-256 commitment.
"""

from __future__ import annotations

import logging
from pathlib import Path

from privatune.config import ConfigError, RunConfig
from privatune.privacy.audit.secret_audit import audit_secrets, write_secret_audit
from privatune.privacy.audit.secrets import SecretCanarySet, generate_secret_canaries

log = logging.getLogger("privatune.server")

SECRETS_FILE = "secrets.json"


def _setting(config: RunConfig, key: str, default: int) -> int:
    value = config.extra.get(key, default)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"run-config '{key}' must be an integer ≥ 0, got {value!r}")
    return value


def load_or_generate(run_dir: Path, config: RunConfig, audit_log) -> SecretCanarySet | None:
    """The run's secret canaries: the saved set when resuming, else a fresh CSPRNG set (or None: off)."""
    path = run_dir / "audit" / SECRETS_FILE
    if path.exists():
        return SecretCanarySet.load(path)
    count = _setting(config, "audit-secret-canaries", 0)
    if count == 0:
        return None
    canaries = generate_secret_canaries(count, config.num_clients)
    canaries.save(path)
    audit_log.append("secret-canaries-generated", inserted=count, heldout=len(canaries) - count,
                     commitment=canaries.commitment())
    return canaries


def secret_canaries_for(canaries: SecretCanarySet | None, nodes: list[int]) -> dict[int, list[str]]:
    """Each node's own inserted secret canaries (nodes in sorted order take the client groups in turn);
    held-out canaries and other clients' canaries are never sent."""
    if canaries is None:
        return {}
    ordered = sorted(nodes)
    return {node: canaries.for_client(i) for i, node in enumerate(ordered) if i < canaries.num_clients}


def with_secret_canaries(dealt: dict[int, list[str]], canaries: SecretCanarySet | None,
                         nodes: list[int]) -> dict[int, list[str]]:
    """`dealt` (the membership canaries per node) with each node's secret canaries appended."""
    merged = {node: list(texts) for node, texts in dealt.items()}
    for node, texts in secret_canaries_for(canaries, nodes).items():
        merged.setdefault(node, []).extend(texts)
    return merged


def audit_run_secrets(model, tokenizer, canaries: SecretCanarySet, config: RunConfig, run_dir: Path,
                      server_round: int, accountant_epsilon: float | None, audit_log) -> dict:
    result = audit_secrets(model, tokenizer, canaries, accountant_epsilon=accountant_epsilon, delta=config.dp.delta,
                           num_candidates=_setting(config, "audit-secret-candidates", 255) or 255,
                           num_samples=_setting(config, "audit-secret-samples", 8))
    write_secret_audit(run_dir, server_round, result, log=audit_log)
    log.info("secret audit after round %d: %s", server_round, result["headline"])
    return result
