"""Demo data of this part (idempotent, through services)."""

from __future__ import annotations


def load_demo() -> None:
    """Build this part's demo data; a second call adds nothing."""
