"""Where the evaluations app plugs into the others (called once from ``EvaluationsConfig.ready``).

- ``checkins.signals.checked_out`` → a follow-up (回访) for every finished on-site inspection;
- the daily oversight sweep → overdue follow-ups raise R10, reminders before the deadline;
- the daily oversight sweep → complaints past accept_due/reply_due notify the handler or 司法局 (no alert);
- the check-in trace → follow-up rows in the per-inspection and per-enterprise timelines.
"""

from __future__ import annotations


def connect() -> None:
    from qijian.checkins.signals import checked_out
    from qijian.evaluations.services.followups import follow_up_after_checkout

    checked_out.connect(follow_up_after_checkout, dispatch_uid="evaluations.follow_up_after_checkout")
    _connect_follow_ups()
    connect_complaint_sweep()


def _connect_follow_ups() -> None:
    from qijian.checkins.queries.sources import register_trace_source
    from qijian.evaluations.queries.followup_trace import FOLLOW_UP_SOURCE
    from qijian.evaluations.services.followup_sweep import sweep_follow_ups
    from qijian.oversight.sweeps import register_sweep

    register_sweep("evaluations.follow_ups", sweep_follow_ups)
    register_trace_source(FOLLOW_UP_SOURCE)


def connect_complaint_sweep() -> None:
    from qijian.evaluations.services.complaint_feedback import sweep_complaint_deadlines
    from qijian.oversight.sweeps import register_sweep

    register_sweep("evaluations.complaint_deadlines", sweep_complaint_deadlines)
