"""The tamper-evident audit trail: every write leaves a hash-chained event."""
