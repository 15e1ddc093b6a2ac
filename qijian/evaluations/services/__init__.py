"""Writes of the evaluations app; one module per domain (followups, questionnaires, complaints)."""
