"""The scrub manifest: what a scrub run did, in counts and hashes only (never a raw value).

It lies beside the scrubbed file as `<output>.manifest.json`. The trainer calls `require_manifest`
before it reads any data: no manifest, or a data file that changed since scrubbing, and training
stops. Standard library only, so this works where Presidio is not installed (the GPU machine).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_FORMAT = "privatune-scrub-manifest/1"


class ManifestError(RuntimeError):
    """Data that may not be trained on: no valid scrub manifest. The message says what to do."""


def manifest_path_for(data_path: str | Path) -> Path:
    data_path = Path(data_path)
    return data_path.with_name(data_path.name + MANIFEST_SUFFIX)


def sha256_file(path: str | Path, block_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(block_size):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class ScrubManifest:
    """Counts, hashes, settings and versions of one scrub run."""

    input_path: str
    input_sha256: str
    input_format: str
    output_path: str
    output_sha256: str
    records_in: int
    records_out: int
    records_rejected: int
    rejections: dict[str, int] = field(default_factory=dict)  # reason → count
    rejected_records: list[dict] = field(default_factory=list)  # first few: {"record": n, "reason": r}
    entities: dict[str, int] = field(default_factory=dict)  # entity type → spans replaced
    config: dict = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)
    nlp_pipeline: str = ""
    key_id: str | None = None  # identifies the pseudonym key without revealing it
    seconds: float = 0.0
    records_per_second: float = 0.0
    created_at: str = ""
    format: str = MANIFEST_FORMAT

    def check_counts(self) -> None:
        """The invariant every manifest keeps: records in = records out + rejected."""
        if self.records_in != self.records_out + self.records_rejected:
            raise ManifestError(
                f"manifest for {self.output_path} is inconsistent: {self.records_in} records in but "
                f"{self.records_out} out + {self.records_rejected} rejected; scrub the data again")
        if sum(self.rejections.values()) != self.records_rejected:
            raise ManifestError(f"manifest for {self.output_path}: rejection reasons do not add up "
                                f"to {self.records_rejected}; scrub the data again")

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_json() + "\n", encoding="utf-8")
        tmp.replace(path)  # atomic: a reader never sees half a manifest
        return path

    @classmethod
    def read(cls, path: str | Path) -> "ScrubManifest":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as err:
            raise ManifestError(f"{path}: unreadable scrub manifest ({err}); scrub the data again "
                                "with `privatune scrub IN OUT`") from err
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ManifestError(f"{path}: not a privatune scrub manifest (format must be "
                                f"{MANIFEST_FORMAT!r}); scrub the data with `privatune scrub IN OUT`")
        known = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as err:
            raise ManifestError(f"{path}: incomplete scrub manifest ({err}); scrub the data again") from err


def require_manifest(data_path: str | Path) -> ScrubManifest:
    """Return the manifest of a scrubbed data file, or raise ManifestError saying what to do.

    Valid means: `<data>.manifest.json` exists, parses, keeps its count invariant, and the data
    file's SHA-256 equals the hash recorded when it was scrubbed.
    """
    data_path = Path(data_path)
    if not data_path.is_file():
        raise ManifestError(f"{data_path}: no such data file")
    manifest_path = manifest_path_for(data_path)
    try:
        manifest = ScrubManifest.read(manifest_path)
    except FileNotFoundError:
        raise ManifestError(
            f"{data_path}: no scrub manifest ({manifest_path.name} missing). Training refuses data "
            f"that has not been scrubbed of PII: run `privatune scrub {data_path} SCRUBBED.jsonl` and "
            "train on SCRUBBED.jsonl, or declare the data already de-identified") from None
    manifest.check_counts()
    actual = sha256_file(data_path)
    if actual != manifest.output_sha256:
        raise ManifestError(
            f"{data_path}: changed after scrubbing (SHA-256 {actual[:12]}… but the manifest records "
            f"{manifest.output_sha256[:12]}…). Scrub the current file again with `privatune scrub`")
    return manifest
