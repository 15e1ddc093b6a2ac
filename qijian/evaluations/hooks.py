"""Where the evaluations app plugs into the others (called once from ``EvaluationsConfig.ready``).

- ``checkins.signals.checked_out`` → a follow-up (回访) for every finished on-site inspection;
- the daily oversight sweep → overdue follow-ups raise R10, reminders before the deadline;
- the check-in trace → follow-up rows in the per-inspection and per-enterprise timelines.
"""

from __future__ import annotations


def connect() -> None:
    from qijian.checkins.signals import checked_out
    from qijian.evaluations.services.followups import follow_up_after_checkout

    checked_out.connect(follow_up_after_checkout, dispatch_uid="evaluations.follow_up_after_checkout")
