"""privatune.privacy.audit: canaries, membership scores, ROC, and the one-run ε lower bound; secret canaries,
exposure and prompted extraction (the data-extraction audit)."""

from privatune.privacy.audit.canaries import Canary, CanarySet, generate_canaries
from privatune.privacy.audit.epsilon import epsilon_lower_bound, guess_counts, one_run_epsilon, p_value
from privatune.privacy.audit.roc import auc, roc_curve, roc_summary, tpr_at_fpr
from privatune.privacy.audit.run import audit_model, audit_report, write_audit_result
from privatune.privacy.audit.scores import SCORE_NAMES, score_canaries
from privatune.privacy.audit.secret_audit import audit_secrets, write_secret_audit
from privatune.privacy.audit.secrets import SecretCanarySet, generate_secret_canaries

__all__ = [
    "Canary", "CanarySet", "generate_canaries", "epsilon_lower_bound", "guess_counts", "one_run_epsilon",
    "p_value", "auc", "roc_curve", "roc_summary", "tpr_at_fpr", "audit_model", "audit_report",
    "write_audit_result", "SCORE_NAMES", "score_canaries", "audit_secrets", "write_secret_audit", "SecretCanarySet",
    "generate_secret_canaries",
]
