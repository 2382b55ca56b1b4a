"""ROC of a membership score against the inclusion bits: curve, AUC, TPR at a fixed low FPR.

Low-FPR figures matter more than AUC for privacy (Carlini et al. 2022): an attack that is sure about
a few records is a leak even when its average accuracy is poor.
"""

from __future__ import annotations

import numpy as np


def _check(scores: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=bool)
    if scores.shape != labels.shape or scores.ndim != 1:
        raise ValueError(f"scores {scores.shape} and labels {labels.shape} must be 1-D of equal length")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores contain NaN or inf; check the model's outputs")
    if labels.all() or not labels.any():
        raise ValueError("ROC needs both members and non-members among the canaries")
    return scores, labels


def roc_curve(scores, labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds): predict 'member' when score ≥ threshold; tied scores form one step."""
    scores, labels = _check(scores, labels)
    order = np.argsort(-scores, kind="mergesort")
    sorted_scores, sorted_labels = scores[order], labels[order]
    # the last index of each run of equal scores is where the curve may bend
    distinct = np.r_[np.nonzero(np.diff(sorted_scores))[0], len(scores) - 1]
    tp = np.cumsum(sorted_labels)[distinct]
    fp = (distinct + 1) - tp
    tpr = np.r_[0.0, tp / labels.sum()]
    fpr = np.r_[0.0, fp / (~labels).sum()]
    thresholds = np.r_[np.inf, sorted_scores[distinct]]
    return fpr, tpr, thresholds


def auc(scores, labels) -> float:
    """Area under the ROC curve (= P[member score > non-member score], ties count ½)."""
    fpr, tpr, _ = roc_curve(scores, labels)
    return float(np.trapezoid(tpr, fpr))


def tpr_at_fpr(scores, labels, max_fpr: float) -> float:
    """Highest TPR over thresholds whose FPR is at most `max_fpr`."""
    fpr, tpr, _ = roc_curve(scores, labels)
    return float(tpr[fpr <= max_fpr].max())


def roc_summary(scores, labels, fprs=(0.001, 0.01)) -> dict:
    """AUC, TPR at each FPR in `fprs`, and the curve itself (for the report's plots)."""
    scores, labels = _check(scores, labels)
    fpr, tpr, _ = roc_curve(scores, labels)
    return {
        "auc": auc(scores, labels),
        "tpr_at_fpr": {f"{f:g}": tpr_at_fpr(scores, labels, f) for f in fprs},
        # the smallest FPR the canaries can resolve: one false positive among the non-members
        "fpr_resolution": 1.0 / int((~labels).sum()),
        "curve": {"fpr": fpr.tolist(), "tpr": tpr.tolist()},
    }
