"""The audit trail: a hash-chained event log, its anchors and its page."""
