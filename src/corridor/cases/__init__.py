"""The analyst's case work: alerts, decisions, suppressions, users and the audit log."""
