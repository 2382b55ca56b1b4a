"""The server as auditor (DESIGN.md contract 4): canaries, the signed event log, membership audits.

When the first nodes connect, the server generates secret canaries and their inclusion bits
(RUN_DIR/audit/canaries.json, never sent anywhere) in one group per connected node, keyed to the
node's Flower id (RUN_DIR/audit/canary-groups.json, so a resumed run deals the same); a node that
joins later gets a fresh group of its own (logged, with the new commitment); a node that leaves keeps
its group. Each train message carries only the included canaries of that node's group, which it
trains on like its own records. The audit scores only the groups whose node trained in at least one
committed round: a whole group is dropped or kept, never a canary by its bit, so the bound holds. After the final round (and
every `audit-every` rounds) the server scores every canary on the global adapter against the frozen
base model and writes the one-run ε lower bound next to the accountants' ε. Every step of the run
goes into RUN_DIR/audit.log, hash-chained and signed with Ed25519; adapters are pinned by SHA-256.
"""

from __future__ import annotations

import json
import logging
import math
import os
import secrets
from pathlib import Path

from privatune.config import IDENTITY_KEYS, RunConfig
from privatune.embedded import cache_dir
from privatune.model import set_lora_state
from privatune.privacy.audit import CanarySet, audit_model, generate_canaries, write_audit_result
from privatune.privacy.report.auditlog import AuditLog
from privatune.privacy.report.hashing import sha256_tree
from privatune.privacy.report.runcheck import metrics_line_digest

from . import secret_canaries
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
        self.canary_file = rundir.path / "audit" / "canaries.json"
        self.groups_file = rundir.path / "audit" / "canary-groups.json"
        self.groups: dict[int, int] = {}  # node id → canary group
        self.trained: set[int] = set()  # nodes whose update entered a committed round
        self.events: list[dict] = []  # joins and leaves, for the report
        if self.canary_file.exists():
            self.canaries = CanarySet.load(self.canary_file)
            state = json.loads(self.groups_file.read_text()) if self.groups_file.exists() else {}
            self.groups = {int(n): g for n, g in state.get("groups", {}).items()}
            self.trained, self.events = set(state.get("trained", [])), state.get("events", [])
        self.secret_canaries = secret_canaries.load_or_generate(rundir.path, config, self.log)  # extraction audit
        self.log.append("run-started", fingerprint=config.fingerprint(IDENTITY_KEYS), num_rounds=config.num_rounds,
                        dp=config.dp.enabled, target_epsilon=config.dp.target_epsilon if config.dp.enabled else None,
                        secure_aggregation=config.secagg.enabled, path="config.json",
                        sha256=sha256_tree(rundir.path / "config.json"))

    def canaries_for(self, nodes: list[int], server_round: int = 0) -> dict[int, list[str]]:
        """Included canaries per connected node: its own membership group, dealt when it first connects,
        and its own secret canaries of the extraction audit (server/secret_canaries.py)."""
        dealt = self._membership_canaries(sorted(nodes), server_round)
        return secret_canaries.with_secret_canaries(dealt, self.secret_canaries, nodes)

    def _membership_canaries(self, nodes: list[int], server_round: int) -> dict[int, list[str]]:
        if self.config.audit_canaries == 0:
            return {}
        if self.canaries is None:  # first contact: one group per node, every canary dealt
            self.canaries = generate_canaries(self.config.audit_canaries, secrets.randbits(63), len(nodes))
            self.groups = {node: i for i, node in enumerate(nodes)}
            self.log.append("canaries-generated", count=len(self.canaries), groups=len(nodes),
                            commitment=self.canaries.commitment())
        connected = {n for n, up in self._presence().items() if up}
        for node in nodes:
            if node not in self.groups:  # a join: a fresh group, as large as the first ones
                size = math.ceil(self.config.audit_canaries / self.canaries_initial_groups())
                self.groups[node] = self.canaries.add_group(size, secrets.randbits(63))
                self.log.append("canaries-added", node=node, round=server_round, count=size,
                                commitment=self.canaries.commitment())
                self.events.append({"event": "joined", "node": node, "round": server_round})
            elif node not in connected and self.events:
                self.events.append({"event": "rejoined", "node": node, "round": server_round})
        for node in sorted(connected - set(nodes)):
            self.events.append({"event": "left", "node": node, "round": server_round})
        if not self.events:
            self.events.append({"event": "dealt", "nodes": nodes, "round": server_round})
        self._save()
        return {node: self.canaries.for_client(self.groups[node]) for node in nodes}

    def canaries_initial_groups(self) -> int:
        return len(self.groups) - sum(e["event"] == "joined" for e in self.events) or 1

    def _presence(self) -> dict[int, bool]:
        """Who was connected after the last dealing, replayed from the events."""
        up: dict[int, bool] = {}
        for e in self.events:
            if e["event"] == "dealt":
                up.update({n: True for n in e["nodes"]})
            else:
                up[e["node"]] = e["event"] != "left"
        return up

    def _save(self) -> None:
        self.canaries.save(self.canary_file)
        tmp = self.groups_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"groups": {str(n): g for n, g in self.groups.items()},
                                   "trained": sorted(self.trained), "events": self.events}, indent=1))
        os.replace(tmp, self.groups_file)

    def audited_canaries(self) -> CanarySet:
        """The canaries of groups whose node trained in a committed round (whole groups only)."""
        return self.canaries.restricted({g for n, g in self.groups.items() if n in self.trained})

    def round_committed(self, server_round: int, metrics: dict) -> None:
        adapter = self.rundir.adapter_dir(server_round)
        if self.canaries is not None:
            self.trained |= {int(c["node"]) for c in metrics.get("clients", [])}
            self._save()
        epsilons = [c["epsilon"] for c in metrics.get("clients", []) if c.get("epsilon") is not None]
        line = self.rundir.metrics_line(server_round)
        self.log.append("round-committed", round=server_round,
                        path=adapter.relative_to(self.rundir.path).as_posix(), sha256=sha256_tree(adapter),
                        metrics_sha256=metrics_line_digest(line) if line is not None else None,
                        clients=len(metrics.get("clients", [])), max_epsilon=max(epsilons, default=None),
                        eval_loss=metrics.get("eval-loss"))

    def wants_audit(self, server_round: int, final: bool) -> bool:
        every = self.config.audit_every
        membership = self.canaries is not None and bool(self.trained)
        return (membership or self.secret_canaries is not None) and (final or (every > 0 and server_round % every == 0))

    def audit(self, server_round: int, state: dict, history: list[dict]) -> dict:
        set_lora_state(self.model, state)
        epsilons = [c["epsilon"] for m in history for c in m.get("clients", []) if c.get("epsilon") is not None]
        accountant_epsilon = max(epsilons) if epsilons else None
        if self.secret_canaries is not None:
            secret_canaries.audit_run_secrets(self.model, self.tokenizer, self.secret_canaries, self.config,
                                              self.rundir.path, server_round, accountant_epsilon, self.log)
        if self.canaries is None or not self.trained:
            return {}
        audited = self.audited_canaries()
        result = audit_model(self.model, self.tokenizer, audited,
                             accountant_epsilon=accountant_epsilon, delta=self.config.dp.delta)
        result["canary_commitment"] = self.canaries.commitment()  # of the whole set, as logged
        result["federation"] = {"groups": len(self.groups), "groups_audited": len({self.groups[n] for n in self.trained
                                                                                   if n in self.groups}),
                                "canaries_not_audited": len(self.canaries) - len(audited), "events": self.events}
        write_audit_result(self.rundir.path, server_round, result, log=self.log)
        log.info("audit after round %d: ε̂ = %.3f (%s)", server_round, result["epsilon_lower_bound"],
                 result["verdict"]["status"])
        return result
