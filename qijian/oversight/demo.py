"""Demo oversight data: the rules run over the demo filings and the deadline sweeps run for today, so
the demo office sees real alerts; one alert is resolved with a comment. Idempotent (alerts are keyed,
reminders are keyed, and the resolution is made only once); robust when earlier demo data is missing."""

from __future__ import annotations

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.core.calendar import local_today
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.oversight.checks import after_filing
from qijian.oversight.choices import AlertStatus
from qijian.oversight.models import Alert
from qijian.oversight.services import resolve_alert
from qijian.oversight.sweeps import run_sweeps

DEMO_RESOLUTION = "已约谈该部门分管负责人,责令说明情况并整改;后续检查须合并为联合检查。"


def load_demo() -> None:
    for filing in Filing.objects.filter(status=FilingStatus.ACTIVE).order_by("window_start", "pk"):
        after_filing(filing)
    run_sweeps(local_today())
    _resolve_one()


def _resolve_one() -> None:
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    if office is None or Alert.objects.filter(status=AlertStatus.RESOLVED).exists():
        return
    alert = Alert.objects.exclude(rule="R02").order_by("raised_at", "pk").first()
    if alert is not None:
        resolve_alert(actor=office, alert=alert, comment=DEMO_RESOLUTION)
