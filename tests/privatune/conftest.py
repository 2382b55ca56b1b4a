"""One single-site run on the tiny model, shared by the train, export and report tests."""

from __future__ import annotations

import json
import os

import pytest

SITE_SETTINGS = ["--set", "local-steps=3", "--set", "batch-size=4", "--set", "max-seq-len=48",
                 "--set", "learning-rate=0.01", "--set", "audit-canaries=8"]


@pytest.fixture(scope="session")
def site_data(tmp_path_factory):
    """Synthetic hospital records (full of PII) as a Parquet file, the way a site would bring them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from privatune.embedded import default_data_dir

    source = default_data_dir(1, 40, 0) / "client-0.jsonl"
    rows = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
    path = tmp_path_factory.mktemp("site") / "records.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.fixture(scope="session")
def site_run(tmp_path_factory, site_data, tiny_model_dir):
    """`privatune train` through the CLI: 2 rounds of DP-SGD, ledger, audit, report."""
    from privatune.cli import main

    run_dir = tmp_path_factory.mktemp("site-run") / "run"
    old = os.environ.get("PRIVATUNE_STATE_DIR")
    os.environ["PRIVATUNE_STATE_DIR"] = str(run_dir.parent / "state")  # the site's ledgers: see site_state()
    try:
        code = main(["train", str(site_data), "--run-dir", str(run_dir), "--rounds", "2", *SITE_SETTINGS])
    finally:
        if old is not None:
            os.environ["PRIVATUNE_STATE_DIR"] = old
    assert code == 0
    return run_dir
