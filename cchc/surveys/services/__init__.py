"""Every change to surveys: one transaction, one audit row (cchc.core.audit), keyword-only
``*, actor`` (a public answer is by `CITIZEN`)."""
