"""PII scrubbing of client records before training (Presidio, offline).

Importing this package is cheap and needs no Presidio: configuration and manifests are plain
Python, and the analyzer (spaCy + Presidio) is built only when a scrub runs. `require_manifest`
therefore works on machines that only train.
"""

from privatune.privacy.pii.config import ConfigError, ScrubConfig
from privatune.privacy.pii.manifest import ManifestError, ScrubManifest, require_manifest

__all__ = ["ConfigError", "ManifestError", "ScrubConfig", "ScrubManifest", "require_manifest",
           "scrub_file"]


def scrub_file(input_path, output_path, config: ScrubConfig | None = None, *, progress: bool = True,
               force: bool = False):
    """Scrub a JSONL / CSV / Parquet file into JSONL plus `<output>.manifest.json`; see pipeline.
    An existing output is replaced only with force=True."""
    from privatune.privacy.pii.pipeline import scrub_file as run

    return run(input_path, output_path, config or ScrubConfig(), progress=progress, force=force)
