"""privatune.privacy.report: hash-chained signed audit log and the compliance report."""
