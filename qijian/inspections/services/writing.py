"""Filing services: numbering, writing a filing with its audit event, telling the office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.core.notify import notify_role, office_mailbox, queue_mail
from qijian.inspections.choices import FilingKind
from qijian.inspections.models import Filing
from qijian.inspections.services.checks import _ROOT_LENGTH, NUMBER_ATTEMPTS, Facts, FilingError, _fmt, _now, local_day

# --- numbers -------------------------------------------------------------------------------------------


def _next_number(day: dt.date) -> str:
    prefix = f"BB{day:%Y%m%d}-"
    last = Filing.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    sequence = int(last[len(prefix) : _ROOT_LENGTH]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def amendment_number(original: Filing) -> str:
    """ "<root>-1", "-2", …: the root's number and the amendment's place in the chain."""
    count = original.number[_ROOT_LENGTH + 1 :]
    return f"{original.number[:_ROOT_LENGTH]}-{int(count) + 1 if count.isdigit() else 1}"


def _save_numbered(filing: Filing, number: str | None) -> None:
    """Insert with the next free number of the day; a concurrent writer's number is retried."""
    for _attempt in range(NUMBER_ATTEMPTS):
        filing.number = number or _next_number(local_day(filing.filed_at))
        try:
            with transaction.atomic():
                filing.save(force_insert=True)
            return
        except IntegrityError:
            if number is not None or not _number_taken(filing.number):
                raise
            filing.pk = None
    raise FilingError("报备编号分配冲突,请稍后重试。")


def _number_taken(number: str) -> bool:
    return Filing.objects.filter(number=number).exists()


# --- writing ---------------------------------------------------------------------------------------------


def _create(
    actor: Any, facts: Facts, *, action: str, number: str | None = None, supersedes: Filing | None = None
) -> Filing:
    filing = Filing(
        department=facts.department,
        kind=facts.kind,
        plan_entry=facts.plan_entry,
        item=facts.item,
        urgent_reason=facts.urgent_reason,
        reason_detail=facts.reason_detail,
        method=facts.method,
        window_start=facts.window_start,
        window_end=facts.window_end,
        filed_at=_now(),
        filed_by=actor,
        joint=facts.joint,
        supersedes=supersedes,
        superior_department=facts.superior_department,
        acceptance_of=facts.acceptance_of,
    )
    _save_numbered(filing, number)
    filing.enterprises.set(facts.enterprises)
    filing.inspectors.set(facts.inspectors)
    filing.partners.set(facts.partners)
    record_event(actor=actor, action=action, target=filing, after=summary(filing, facts))
    return filing


def summary(filing: Filing, facts: Facts) -> dict[str, Any]:
    """The audited picture of a filing: its facts with names and numbers."""
    return {
        "number": filing.number,
        "department": facts.department.name,
        "kind": filing.kind,
        "status": filing.status,
        "item": f"{facts.item.code} {facts.item.name}",
        "urgent_reason": filing.urgent_reason,
        "reason_detail": filing.reason_detail,
        "method": filing.method,
        "enterprises": [f"{e.uscc} {e.name}" for e in facts.enterprises],
        "inspectors": [f"{i.certificate_no} {i.name}" for i in facts.inspectors],
        "window_start": filing.window_start.isoformat(),
        "window_end": filing.window_end.isoformat(),
        "filed_at": filing.filed_at.isoformat(),
        "superior_department": facts.superior_department.name if facts.superior_department else "",
        "acceptance_of": facts.acceptance_of.number if facts.acceptance_of else "",
        "supersedes": filing.supersedes.number if filing.supersedes_id and filing.supersedes else "",
    }


def _run_checks(filing: Filing) -> None:
    from qijian.oversight.checks import after_filing

    after_filing(filing)


def kind_label(filing: Filing) -> str:
    if filing.acceptance_of_id:
        return "上级检查后勘察验收"
    if filing.superior_department_id:
        return "上级部门检查(县级对口部门备案)"
    if filing.kind == FilingKind.URGENT:
        return f"紧急报备:{filing.get_urgent_reason_display()}"
    return filing.get_kind_display()


def _mail_body(filing: Filing, facts: Facts, headline: str) -> str:
    lines = [
        headline,
        f"报备编号:{filing.number}",
        f"报备部门:{facts.department.name}",
        f"报备类型:{kind_label(filing)}",
    ]
    if filing.reason_detail:
        lines.append(f"事由说明:{filing.reason_detail}")
    if facts.superior_department:
        lines.append(f"上级实施部门:{facts.superior_department.name}")
    lines += [f"检查事项:{facts.item.code} {facts.item.name}", f"检查方式:{filing.get_method_display()}", "检查对象:"]
    lines += [f"  {e.name}(统一社会信用代码 {e.uscc})" for e in facts.enterprises]
    lines.append("执法人员:")
    lines += [f"  {i.name}(执法证号 {i.certificate_no},{i.department.name})" for i in facts.inspectors]
    lines += [f"检查时间:{_fmt(filing.window_start)} 至 {_fmt(filing.window_end)}", f"报备时间:{_fmt(filing.filed_at)}"]
    return "\n".join(lines)


def _tell_office(filing: Filing, facts: Facts, headline: str) -> None:
    link = reverse("inspections:detail", args=[filing.pk])
    title = f"{headline} {filing.number} {facts.department.name}"
    body = _mail_body(filing, facts, headline)
    notify_role(role=Role.OFFICE, title=title, body=body, link=link)
    queue_mail(
        to=[office_mailbox()],
        subject=f"[企检报备] {headline} {filing.number} {facts.department.name}",
        body=body,
        mark=f"qijian.inspections.services.mark_office_notified:{filing.pk}",
    )


def _file(actor: Any, facts: Facts, *, action: str, headline: str) -> Filing:
    filing = _create(actor, facts, action=action)
    _tell_office(filing, facts, headline)
    _run_checks(filing)
    return filing
