"""The demo's scrubbed training copies hold none of the values the generator planted (issue 13):
3 clients × 240 records of privatune.synthetic, scrubbed the way the client does it."""

import re

import pytest

from privatune.synthetic import planted_values, write_federation

pytest.importorskip("presidio_analyzer")


@pytest.fixture
def scrub_like_the_client():
    from privatune.client.scrubbing import training_file
    from privatune.config import RunConfig

    return training_file, RunConfig


def test_no_planted_value_survives_client_scrubbing(tmp_path, scrub_like_the_client):
    training_file, RunConfig = scrub_like_the_client
    paths = write_federation(tmp_path / "data", num_clients=3, records_per_client=240)
    config = RunConfig()
    leaks = []
    for client, path in enumerate(paths):
        scrubbed = training_file(path, config, tmp_path / f"state-{client}")
        lines = scrubbed.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 240
        for line, planted in zip(lines, planted_values(client, 240)):
            values = list(planted["person"].values()) + planted["others"]
            for value in values:
                pattern = rf"(?<![\w]){re.escape(value)}(?![\w])"
                if re.search(pattern, line):
                    leaks.append((client, value))
                digits = re.sub(r"\D", "", value)
                reformatted = r"[^0-9A-Za-z]{0,2}".join(digits)  # the digits, however separated
                if len(digits) >= 6 and re.search(rf"(?<!\d){reformatted}(?!\d)", line):
                    leaks.append((client, "digits of " + value))
    assert leaks == [], f"{len(leaks)} planted values survived, e.g. {leaks[:5]}"
