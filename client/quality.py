"""A node's data-quality summary: how many records came in, how many are used, how many were rejected
and why — counts only, never a value — and the node's refusal to train on a file that is mostly bad.

Sent to the server once per round with the train reply's metrics (keys `quality-*`) so bad records
reach the operator, not just the SuperNode's own disk. Privacy status (docs/privacy-model.md, "Data
quality counts"): rejected records never enter training, but their counts are exact statistics of the
hospital's file and are *not* covered by the DP guarantee; they are operator metadata, sent only while
the node's policy allows it (node-config `report-data-quality`, default true). Under DP the
records-in and records-used counts are left out (they would give away the exact training-set size
that the noised count protects); the rejection counts by reason are sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from privatune.privacy.pii import ManifestError, require_manifest

QUALITY_PREFIX = "quality-"
REJECTED_PREFIX = "quality-rejected-"


class DataQualityRefused(RuntimeError):
    """More of the node's records were rejected than its policy allows: it does not train."""


def summary_of(training_file: Path) -> dict[str, int] | None:
    """Counts from the scrub manifest next to the file the node trains on; None if there is none."""
    try:
        manifest = require_manifest(training_file)
    except ManifestError:
        return None
    return {"records-in": manifest.records_in, "records-used": manifest.records_out,
            "records-rejected": manifest.records_rejected, **{f"rejected:{reason}": int(count)
                                                              for reason, count in sorted(manifest.rejections.items())}}


def check_rejects(summary: Mapping[str, int] | None, max_reject_fraction: float | None, where: str) -> None:
    """Refuse to train when more than `max_reject_fraction` of the records were rejected."""
    if summary is None or max_reject_fraction is None or summary["records-in"] == 0:
        return
    fraction = summary["records-rejected"] / summary["records-in"]
    if fraction > max_reject_fraction:
        reasons = ", ".join(f"{k.split(':', 1)[1]} {v}" for k, v in summary.items() if k.startswith("rejected:"))
        raise DataQualityRefused(
            f"{where}: {summary['records-rejected']} of {summary['records-in']} records rejected "
            f"({fraction:.0%}; {reasons}), above this node's max-reject-fraction {max_reject_fraction:.0%}; "
            "fix the file (the scrub manifest names the first bad records) or raise max-reject-fraction")


def to_metrics(summary: Mapping[str, int] | None, dp: bool) -> dict[str, int]:
    """MetricRecord entries for the train reply (see the module docstring for what DP leaves out)."""
    if summary is None:
        return {}
    out = {} if dp else {f"{QUALITY_PREFIX}records-in": summary["records-in"],
                         f"{QUALITY_PREFIX}records-used": summary["records-used"]}
    out[f"{QUALITY_PREFIX}records-rejected"] = summary["records-rejected"]
    out.update({REJECTED_PREFIX + k.split(":", 1)[1]: v for k, v in summary.items() if k.startswith("rejected:")})
    return out


def from_metrics(metrics: Mapping[str, object]) -> dict[str, int] | None:
    """The server's side: the quality entries of one client's metrics, checked to be counts."""
    found = {}
    for key, value in metrics.items():
        if not str(key).startswith(QUALITY_PREFIX):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
            continue  # malformed: not a count; dropped rather than trusted
        found[str(key)[len(QUALITY_PREFIX):]] = int(value)
    return found or None
