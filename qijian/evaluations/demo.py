"""Demo data of the evaluations app, built through services after the check-ins demo: follow-ups, answers,
complaints, then referrals (which need alerts and complaints)."""

from __future__ import annotations

from importlib import import_module

PARTS = (
    "qijian.evaluations.demo_followups",
    "qijian.evaluations.demo_answers",
    "qijian.evaluations.demo_complaints",
    "qijian.oversight.referral_demo",
)


def load_demo() -> None:
    for module in PARTS:
        import_module(module).load_demo()
