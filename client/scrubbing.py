"""Which file a client trains on: never raw records unless the user says they are de-identified.

Order of preference:
  1. `data-deidentified = true`: the user declares the file already de-identified; used as is.
  2. The file has a valid scrub manifest (`privatune scrub` made it): used as is.
  3. `pii-scrub = true` (default): the client scrubs it into its own state directory once (reused
     while the input's SHA-256 is unchanged) and trains on the scrubbed copy.
  4. Otherwise: refuse, saying how to fix it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from privatune.config import RunConfig
from privatune.data import DataError
from privatune.privacy.pii import ManifestError, ScrubConfig, require_manifest, scrub_file
from privatune.privacy.report.hashing import sha256_file

log = logging.getLogger("privatune.client")


def training_file(path: Path, config: RunConfig, state_dir: Path) -> Path:
    if config.data_deidentified:
        return path
    try:
        require_manifest(path)
        return path
    except ManifestError as err:
        if not config.pii_scrub:
            raise DataError(f"{path} has no valid PII scrub manifest ({err}). Scrub it first "
                            f"(privatune scrub {path} OUT.jsonl), set pii-scrub = true to let the client "
                            "scrub it, or set data-deidentified = true if it is already de-identified") from None
    scrubbed = state_dir / "scrubbed" / f"{path.stem}.jsonl"
    try:
        if require_manifest(scrubbed).input_sha256 == sha256_file(path):
            return scrubbed
    except ManifestError:
        pass
    # force: the stale copy of an older input is the client's own cache, replaced on purpose.
    manifest = scrub_file(path, scrubbed, ScrubConfig(processes=1), progress=False, force=True)
    log.info("scrubbed %s: %d records in, %d out, %d rejected; entities %s", path.name, manifest.records_in,
             manifest.records_out, manifest.records_rejected, manifest.entities)
    return scrubbed
