"""The server as auditor (DESIGN.md contract 4): canaries, the signed event log, membership audits.

At the start of a run the server generates secret canaries and their inclusion bits
(RUN_DIR/audit/canaries.json, never sent anywhere); each train message carries only the canaries
included for that client, which trains on them like its own records. After the final round (and
every `audit-every` rounds) the server scores every canary on the global adapter against the frozen
base model and writes the one-run ε lower bound next to the accountants' ε. Every step of the run
goes into RUN_DIR/audit.log, hash-chained and signed with Ed25519; adapters are pinned by SHA-256.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from privatune.config import IDENTITY_KEYS, RunConfig
from privatune.embedded import cache_dir
from privatune.model import set_lora_state
from privatune.privacy.audit import CanarySet, audit_model, generate_canaries, write_audit_result
from privatune.privacy.report.auditlog import AuditLog
from privatune.privacy.report.hashing import sha256_tree

from .rundir import RunDir

log = logging.getLogger("privatune.server")


def signing_key_path(config: RunConfig) -> Path:
    """Outside the run directory by default, so whoever holds a copy of the run cannot re-sign it."""
    if config.audit_signing_key:
        return Path(config.audit_signing_key).expanduser()
    return cache_dir() / "keys" / "audit-signing-key.pem"


class RunAuditor:
    def __init__(self, rundir: RunDir, config: RunConfig, model, tokenizer):
        self.rundir, self.config, self.model, self.tokenizer = rundir, config, model, tokenizer
        self.log = AuditLog(rundir.path / "audit.log", signing_key_path(config))
        self.canaries: CanarySet | None = None
        canary_file = rundir.path / "audit" / "canaries.json"
        if canary_file.exists():
            self.canaries = CanarySet.load(canary_file)
        elif config.audit_canaries > 0:
            self.canaries = generate_canaries(config.audit_canaries, secrets.randbits(63), config.num_clients)
            self.canaries.save(canary_file)
            self.log.append("canaries-generated", count=len(self.canaries), commitment=self.canaries.commitment())
        self.log.append("run-started", fingerprint=config.fingerprint(IDENTITY_KEYS), num_rounds=config.num_rounds,
                        dp=config.dp.enabled, target_epsilon=config.dp.target_epsilon if config.dp.enabled else None,
                        secure_aggregation=config.secagg.enabled)

    def canaries_for(self, nodes: list[int]) -> dict[int, list[str]]:
        """Included canaries per node (nodes in sorted order take the canary groups in turn)."""
        if self.canaries is None:
            return {}
        groups = self.canaries.num_clients
        return {node: self.canaries.for_client(i % groups) for i, node in enumerate(sorted(nodes))}

    def round_committed(self, server_round: int, metrics: dict) -> None:
        adapter = self.rundir.adapter_dir(server_round)
        epsilons = [c["epsilon"] for c in metrics.get("clients", []) if c.get("epsilon") is not None]
        self.log.append("round-committed", round=server_round,
                        path=adapter.relative_to(self.rundir.path).as_posix(), sha256=sha256_tree(adapter),
                        clients=len(metrics.get("clients", [])), max_epsilon=max(epsilons, default=None),
                        eval_loss=metrics.get("eval-loss"))

    def wants_audit(self, server_round: int, final: bool) -> bool:
        every = self.config.audit_every
        return self.canaries is not None and (final or (every > 0 and server_round % every == 0))

    def audit(self, server_round: int, state: dict, history: list[dict]) -> dict:
        set_lora_state(self.model, state)
        epsilons = [c["epsilon"] for m in history for c in m.get("clients", []) if c.get("epsilon") is not None]
        result = audit_model(self.model, self.tokenizer, self.canaries,
                             accountant_epsilon=max(epsilons) if epsilons else None, delta=self.config.dp.delta)
        write_audit_result(self.rundir.path, server_round, result, log=self.log)
        log.info("audit after round %d: ε̂ = %.3f (%s)", server_round, result["epsilon_lower_bound"],
                 result["verdict"]["status"])
        return result
