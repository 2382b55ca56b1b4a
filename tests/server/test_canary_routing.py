"""Canaries follow the real federation: one disjoint group per connected node, every included canary
sent, none to two nodes, joins and leaves handled, and the audit keeps whole groups only."""

from __future__ import annotations

import dataclasses

import pytest

from privatune.config import RunConfig
from privatune.server.auditing import RunAuditor
from privatune.server.rundir import RunDir


def auditor(tmp_path, **overrides) -> RunAuditor:
    config = RunConfig.from_flower({"run-dir": str(tmp_path / "run"), "num-clients": 3, "audit-canaries": 60,
                                    "audit-signing-key": str(tmp_path / "key.pem"), **overrides})
    rundir = RunDir(config.run_dir)
    rundir.open(config)
    return RunAuditor(rundir, config, model=None, tokenizer=None)


def check_dealing(a: RunAuditor, dealt: dict[int, list[str]]):
    included = {c.text for c in a.canaries.canaries if c.included}
    sent = [t for texts in dealt.values() for t in texts]
    assert len(sent) == len(set(sent)), "a canary went to two nodes"
    for node, texts in dealt.items():  # each node gets exactly its own group's included canaries
        assert set(texts) == {c.text for c in a.canaries.canaries if c.included and c.client == a.groups[node]}
    return included, set(sent)


@pytest.mark.parametrize("nodes", [[11, 22], [11, 22, 33], [11, 22, 33, 44]])
def test_every_connected_node_gets_its_own_group_and_no_included_canary_is_unsent(tmp_path, nodes):
    a = auditor(tmp_path)  # num-clients = 3 (a synthetic-data setting) must not decide the dealing
    dealt = a.canaries_for(nodes)
    included, sent = check_dealing(a, dealt)
    assert sent == included and set(dealt) == set(nodes)
    assert len(set(a.groups.values())) == len(nodes) == a.canaries.num_clients
    assert a.canaries_for(list(reversed(nodes))) == dealt  # stable: keyed to the node, not its position


def test_a_node_joining_mid_run_gets_a_fresh_group_and_a_leaver_keeps_its_own(tmp_path):
    a = auditor(tmp_path)
    first = a.canaries_for([11, 22], server_round=0)
    commitment = a.canaries.commitment()
    joined = a.canaries_for([11, 22, 33], server_round=2)
    included, sent = check_dealing(a, joined)
    assert sent == included and len(a.canaries) == 90  # 30 more canaries for node 33, with their own bits
    assert joined[11] == first[11] and joined[22] == first[22] and not set(joined[33]) & set(first[11] + first[22])
    assert a.canaries.commitment() != commitment
    a.canaries_for([11, 33], server_round=3)  # node 22 leaves
    assert [(e["event"], e.get("node"), e["round"]) for e in a.events] == [
        ("dealt", None, 0), ("joined", 33, 2), ("left", 22, 3)]
    assert a.canaries_for([11, 22, 33], server_round=4)[22] == first[22]  # comes back: the same group
    assert a.events[-1] == {"event": "rejoined", "node": 22, "round": 4}
    assert '"canaries-added"' in (a.rundir.path / "audit.log").read_text()  # signed, with the new commitment


def test_the_audit_keeps_whole_groups_of_nodes_that_trained_and_resume_deals_the_same(tmp_path):
    a = auditor(tmp_path)
    dealt = a.canaries_for([11, 22, 33])
    a.rundir.commit(1, lambda tmp: tmp.mkdir(exist_ok=True), {"clients": [{"node": 11}, {"node": 33}]})
    a.round_committed(1, {"clients": [{"node": 11}, {"node": 33}]})
    audited = a.audited_canaries()
    assert {c.client for c in audited.canaries} == {a.groups[11], a.groups[33]}
    assert len(audited) == sum(1 for c in a.canaries.canaries if c.client != a.groups[22])  # bits not looked at
    again = RunAuditor(a.rundir, a.config, model=None, tokenizer=None)  # the server restarts
    assert again.canaries_for([11, 22, 33]) == dealt and again.trained == {11, 33}


def test_no_canaries_configured_deals_nothing(tmp_path):
    a = auditor(tmp_path, **{"audit-canaries": 0})
    assert a.canaries_for([1, 2]) == {} and a.canaries is None
