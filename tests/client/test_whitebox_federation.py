"""The default audit catches the default ε: with the DP noise switched off by a deliberate bug, every
client's white-box audit fails its round, nothing of it is sent and the run's report says FAIL; the
same run with DP intact passes. Real ClientApps and the real server loop on an in-process grid."""

from __future__ import annotations

import pytest
import torch

from .test_policy_gate import data_files, federation  # noqa: F401  (the module's data fixture)


@pytest.mark.parametrize("noise", [True, False])
def test_noise_switched_off_by_a_bug_fails_the_run_and_intact_dp_passes(tmp_path, data_files, monkeypatch,  # noqa: F811
                                                                         noise):
    import privatune.privacy.flat_dp as flat_dp
    from privatune.privacy.report.collect import collect
    from privatune.privacy.report.html_page import render
    from privatune.server.app import run_federation
    from privatune.server.rundir import RunDir

    if not noise:
        monkeypatch.setattr(flat_dp, "_generate_noise", lambda std, reference, **kw: torch.zeros_like(reference))
    run = {"secure-aggregation": False, "local-steps": 3, "audit-whitebox-canaries": 1024,  # the default count
           "min-clients": 1}
    grid, config = federation(tmp_path, data_files, run, {1: {"secagg-required": False}})
    if noise:
        run_federation(grid, config)
        (row,) = [m for m in RunDir(config.run_dir).metrics() if m["round"] == 1]
        for c in row["clients"]:
            assert c["whitebox-failed"] == 0 and c["whitebox-epsilon"] <= c["whitebox-epsilon-claimed"]
            assert c["whitebox-epsilon-max"] > 8.0  # power: this audit could show more than ε = 8
        assert "FAIL" not in render(collect(config.run_dir), {}).split("</div>")[0]
    else:
        run_federation(grid, config)  # the client refuses the round; the run stops cleanly and says why
        assert "white-box audit" in RunDir(config.run_dir).stopped()["reason"]
        trains = [(node, reply) for node, request, reply in grid.sent if request.metadata.message_type == "train"]
        assert len(trains) == 1 and all("arrays" not in reply.content for _, reply in trains)  # nothing sent
        assert all(reply.content["metrics"]["whitebox-failed"] == 1 for _, reply in trains)
        summary = render(collect(config.run_dir), {}).split("</div>")[0]
        assert 'class="verdict fail"' in summary and "white-box audit" in summary
