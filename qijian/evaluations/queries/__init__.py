"""Reads of the evaluations app; one module per domain (followups, answers, complaints, summary)."""
