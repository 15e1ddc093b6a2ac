"""Writes of the filings app (报备): planned, urgent, superior-level and acceptance-visit filings,
amendments and cancellations.

Every function takes a keyword-only ``actor``, validates first (``FilingError`` with a Chinese message,
nothing written), then writes, audits, tells the office (in the app and by mail to the office mailbox,
after commit) and runs the oversight checks of a new filing (``oversight.checks.after_filing``), all in
one transaction. Times are the server's: ``filed_at`` is never taken from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.catalog import queries as catalog_queries
from qijian.catalog.choices import InspectionMethod
from qijian.catalog.models import CatalogItem
from qijian.core.calendar import local_zone
from qijian.core.notify import notify_role, office_mailbox, queue_mail
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingKind, FilingStatus, UrgentReason
from qijian.inspections.models import Filing
from qijian.org.choices import DepartmentLevel
from qijian.org.models import Conflict, Department, Inspector
from qijian.oversight import rules
from qijian.policy.loader import figure

SUPERIOR_LEVELS = frozenset({DepartmentLevel.NATIONAL, DepartmentLevel.PROVINCE, DepartmentLevel.CITY})
NUMBER_ATTEMPTS = 8
_ROOT_LENGTH = len("BB20260101-0001")


class FilingError(ValueError):
    """A filing that is not allowed; the message is for the user (Chinese)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(local_zone()).date()


def _fmt(moment: dt.datetime) -> str:
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


# --- facts of a new filing ---------------------------------------------------------------------------


@dataclass
class Facts:
    """Everything a new Filing row is made of, validated before anything is written."""

    department: Department
    kind: str
    item: CatalogItem
    enterprises: list[Enterprise]
    inspectors: list[Inspector]
    window_start: dt.datetime
    window_end: dt.datetime
    method: str = InspectionMethod.ONSITE
    plan_entry: Any = None
    urgent_reason: str = ""
    reason_detail: str = ""
    joint: bool = False
    partners: list[Department] = field(default_factory=list)
    superior_department: Department | None = None
    acceptance_of: Filing | None = None

    @classmethod
    def of(cls, filing: Filing) -> Facts:
        return cls(
            department=filing.department,
            kind=filing.kind,
            item=filing.item,
            enterprises=list(filing.enterprises.all()),
            inspectors=list(filing.inspectors.all()),
            window_start=filing.window_start,
            window_end=filing.window_end,
            method=filing.method,
            plan_entry=filing.plan_entry,
            urgent_reason=filing.urgent_reason,
            reason_detail=filing.reason_detail,
            joint=filing.joint,
            partners=list(filing.partners.all()),
            superior_department=filing.superior_department,
            acceptance_of=filing.acceptance_of,
        )


# --- checks --------------------------------------------------------------------------------------------


def _require_admin_of(actor: Any, department: Department) -> None:
    if getattr(actor, "role", None) != Role.DEPT_ADMIN or actor.department_id != department.pk:
        raise FilingError(f"只有{department.name}的部门管理员可以办理该部门的检查报备。")


def _text(value: Any) -> str:
    return str(value or "").strip()


def resolve_enterprises(values: Iterable[Any]) -> list[Enterprise]:
    """Enterprises given as rows, ids or credit codes (USCC); an unknown one is refused by name."""
    found: list[Enterprise] = []
    for value in values:
        enterprise = _find_enterprise(value)
        if enterprise is None:
            label = getattr(value, "uscc", "") or getattr(value, "name", "") or _text(value)
            raise FilingError(f"企业“{label}”不在企业库中,无法报备;请核对统一社会信用代码。")
        if enterprise.pk not in {e.pk for e in found}:
            found.append(enterprise)
    if not found:
        raise FilingError("请至少填写一家检查对象企业。")
    return found


def _find_enterprise(value: Any) -> Enterprise | None:
    qs = Enterprise.objects.select_related("township", "industry__parent")
    if isinstance(value, Enterprise):
        return qs.filter(pk=value.pk).first() if value.pk else None
    if isinstance(value, int):
        return qs.filter(pk=value).first()
    code = _text(value).upper()
    return qs.filter(uscc=code).first() if code else None


def resolve_inspectors(values: Iterable[Any]) -> list[Inspector]:
    """Inspectors given as rows, ids or certificate numbers; an unknown one is refused by number."""
    found: list[Inspector] = []
    for value in values:
        inspector = _find_inspector(value)
        if inspector is None:
            label = getattr(value, "certificate_no", "") or _text(value)
            raise FilingError(f"执法证号为“{label}”的执法人员不存在。")
        if inspector.pk not in {i.pk for i in found}:
            found.append(inspector)
    return found


def _find_inspector(value: Any) -> Inspector | None:
    qs = Inspector.objects.select_related("department")
    if isinstance(value, Inspector):
        return qs.filter(pk=value.pk).first() if value.pk else None
    if isinstance(value, int):
        return qs.filter(pk=value).first()
    number = _text(value)
    return qs.filter(certificate_no=number).first() if number else None


def check_enterprises(enterprises: Sequence[Enterprise], item: CatalogItem, targets: Sequence[Enterprise] = ()) -> None:
    target_ids = {t.pk for t in targets}
    for enterprise in enterprises:
        if enterprise.status != EnterpriseStatus.OPERATING:
            raise FilingError(
                f"企业“{enterprise.name}”当前为“{enterprise.get_status_display()}”状态,不能报备入企检查。"
            )
        if not catalog_queries.applies_to(item, enterprise):
            raise FilingError(f"检查事项“{item.name}”不适用于企业“{enterprise.name}”(行业或市场主体类型不符)。")
        if target_ids and enterprise.pk not in target_ids:
            raise FilingError(f"企业“{enterprise.name}”不在该计划条目的检查对象名单内。")


def _uncertified(inspector: Inspector, day: dt.date) -> str:
    if inspector.status != "active":
        return (
            f"执法人员{inspector.name}(执法证号{inspector.certificate_no})当前为“{inspector.get_status_display()}”状态"
        )
    if day > inspector.certificate_valid_until:
        until = inspector.certificate_valid_until
        return f"执法人员{inspector.name}的执法证(证号{inspector.certificate_no})已于{until:%Y-%m-%d}过期"
    since = inspector.certificate_valid_from
    return f"执法人员{inspector.name}的执法证(证号{inspector.certificate_no})自{since:%Y-%m-%d}起才生效"


def check_inspectors(
    inspectors: Sequence[Inspector], *, method: str, days: Sequence[dt.date], departments: Iterable[int]
) -> None:
    """R03 (enough certified inspectors, each certified on every day of the window) and membership."""
    if not inspectors:
        raise FilingError("请至少选择一名执法人员。")
    allowed = set(departments)
    for inspector in inspectors:
        if inspector.department_id not in allowed:
            raise FilingError(f"执法人员{inspector.name}({inspector.certificate_no})不属于报备部门或其联合部门。")
    expired = [_expired_text(i, days) for i in inspectors if not _certified(i, days)]
    facts = [rules.InspectorFact(i.certificate_no, _certified(i, days)) for i in inspectors]
    finding = rules.too_few_inspectors(method=method, inspectors=facts, minimum=int(figure("inspectors.min_on_site")))
    if finding is not None or expired:
        raise FilingError(";".join(([finding.message] if finding else []) + expired) + "。")


def _certified(inspector: Inspector, days: Sequence[dt.date]) -> bool:
    return all(inspector.is_certified_on(day) for day in days)


def _expired_text(inspector: Inspector, days: Sequence[dt.date]) -> str:
    day = next(d for d in days if not inspector.is_certified_on(d))
    return _uncertified(inspector, day)


def check_conflicts(inspectors: Sequence[Inspector], enterprises: Sequence[Enterprise]) -> None:
    conflict = (
        Conflict.objects.filter(inspector__in=inspectors, enterprise__in=enterprises)
        .select_related("inspector", "enterprise")
        .first()
    )
    if conflict is not None:
        raise FilingError(
            f"执法人员{conflict.inspector.name}已申报与企业“{conflict.enterprise.name}”存在利益冲突"
            f"({conflict.reason}),应当回避,不能参与本次检查。"
        )


def effective_item(item: CatalogItem, department_id: int, day: dt.date) -> CatalogItem:
    """R04: the row of ``item`` on the department's catalog in force on ``day`` (same code), or refuse."""
    if item.version.department_id == department_id and catalog_queries.is_effective(item, day):
        return item
    current = catalog_queries.effective_items(department_id, day).filter(code=item.code).first()
    if current is None:
        codes = catalog_queries.effective_codes(department_id, day)
        finding = rules.item_not_in_catalog(item_code=item.code, effective_codes=codes)
        raise FilingError(finding.message if finding else f"检查事项 {item.code} 不在清单内")
    return current


def _check_future_window(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    if start <= now:
        raise FilingError(f"检查开始时间({_fmt(start)})已过;报备须在检查开始之前进行,不允许事后报备。")
    _check_window_order(start, end)


def _check_window_order(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        raise FilingError("检查结束时间须晚于开始时间。")


def _window_days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    return sorted({local_day(start), local_day(end)})


def _aware(moment: dt.datetime, label: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
        raise FilingError(f"{label}须为带时区的时间。")
    return moment


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


# --- planned filings -------------------------------------------------------------------------------------


def _entry_is_approved(entry: Any) -> bool:
    from qijian.plans import queries as plan_queries

    return bool(plan_queries.entry_is_approved(entry))


def _check_entry_window(entry: Any, start: dt.datetime, end: dt.datetime) -> None:
    if local_day(start) < entry.window_start or local_day(end) > entry.window_end:
        raise FilingError(
            f"检查时间须在计划条目的计划检查时间({entry.window_start:%Y-%m-%d}至{entry.window_end:%Y-%m-%d})之内。"
        )


@transaction.atomic
def file_planned(
    *,
    actor: Any,
    entry: Any,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
    method: str | None = None,
) -> Filing:
    """A planned filing (计划内报备) from an approved plan entry, made before the inspection starts."""
    department = entry.plan.department
    _require_admin_of(actor, department)
    if not _entry_is_approved(entry):
        raise FilingError("该计划条目所属的检查计划尚未审定,不能据此报备。")
    start, end = _aware(window_start, "开始时间"), _aware(window_end, "结束时间")
    _check_future_window(start, end, _now())
    _check_entry_window(entry, start, end)
    item = effective_item(entry.item, department.pk, local_day(start))
    partners = list(entry.partners.all())
    facts = Facts(
        department=department,
        kind=FilingKind.PLANNED,
        item=item,
        enterprises=resolve_enterprises(enterprises),
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=end,
        method=method or entry.method,
        plan_entry=entry,
        joint=entry.joint,
        partners=partners,
    )
    _check_people(facts, targets=list(entry.targets.all()))
    return _file(actor, facts, action="inspections.file_planned", headline="计划内检查报备")


def _check_people(facts: Facts, *, targets: Sequence[Enterprise] = (), extra_departments: Iterable[int] = ()) -> None:
    _check_method(facts.method)
    check_enterprises(facts.enterprises, facts.item, targets)
    departments = {facts.department.pk, *(p.pk for p in facts.partners), *extra_departments}
    days = _window_days(facts.window_start, facts.window_end)
    check_inspectors(facts.inspectors, method=facts.method, days=days, departments=departments)
    check_conflicts(facts.inspectors, facts.enterprises)


def _check_method(method: str) -> None:
    if method not in InspectionMethod.values:
        raise FilingError("检查方式应为“现场”或“非现场”。")


# --- urgent filings --------------------------------------------------------------------------------------


def file_urgent(
    *,
    actor: Any,
    item: CatalogItem,
    reason: str,
    reason_detail: str,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_end: dt.datetime,
    method: str = InspectionMethod.ONSITE,
    claimed_start: dt.datetime | None = None,
) -> Filing:
    """An urgent filing (紧急报备): the inspection starts now, at the moment of filing.

    A client that claims an earlier start is refused: that is a late filing (事后报备, R02). The
    critical R02 alert is written in its own transaction first, so it stays although nothing else is.
    """
    now = _now()
    _actor_department(actor)
    if claimed_start is not None and _aware(claimed_start, "开始时间") < now:
        _raise_late_filing_alert(actor, enterprises, claimed_start, now)
        raise FilingError(
            f"检查开始时间({_fmt(claimed_start)})早于报备时间({_fmt(now)}):紧急检查须在开始的同时报备,"
            "不允许事后报备。该情况已记录为严重预警。"
        )
    start = claimed_start if claimed_start is not None else now
    return _file_urgent(actor, item, reason, reason_detail, enterprises, inspectors, start, window_end, method)


@transaction.atomic
def _file_urgent(
    actor: Any,
    item: CatalogItem,
    reason: str,
    reason_detail: str,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    start: dt.datetime,
    window_end: dt.datetime,
    method: str,
) -> Filing:
    department = _actor_department(actor)
    _check_reason(reason, reason_detail)
    _check_window_order(start, _aware(window_end, "结束时间"))
    facts = Facts(
        department=department,
        kind=FilingKind.URGENT,
        item=effective_item(item, department.pk, local_day(start)),
        enterprises=resolve_enterprises(enterprises),
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=window_end,
        method=method,
        urgent_reason=reason,
        reason_detail=reason_detail.strip(),
    )
    _check_people(facts)
    headline = f"紧急检查报备({UrgentReason(reason).label})"
    return _file(actor, facts, action="inspections.file_urgent", headline=headline)


def _actor_department(actor: Any) -> Department:
    if getattr(actor, "role", None) != Role.DEPT_ADMIN or actor.department_id is None:
        raise FilingError("只有部门管理员可以办理检查报备。")
    department: Department = actor.department
    return department


def _check_reason(reason: str, detail: str) -> None:
    allowed = [str(r) for r in figure("filing.urgent_reasons")]
    if reason not in allowed or reason not in UrgentReason.values:
        labels = "、".join(UrgentReason(r).label for r in allowed if r in UrgentReason.values)
        raise FilingError(f"紧急检查须注明事由:{labels}。")
    if not _text(detail):
        raise FilingError("请填写紧急检查的事由说明(如投诉编号、事件概况或上级通知文号)。")


def _raise_late_filing_alert(actor: Any, enterprises: Sequence[Any], claimed: dt.datetime, now: dt.datetime) -> None:
    from qijian.oversight.services import raise_alert

    finding = rules.late_filing(filed_at=now, started_at=claimed)
    if finding is None:
        return
    department = getattr(actor, "department", None)
    known: list[Enterprise | None] = [e for e in (_find_enterprise(v) for v in enterprises) if e is not None]
    base = f"R02:urgent:{getattr(actor, 'pk', 0)}:{claimed.astimezone(dt.UTC):%Y%m%dT%H%M%S}"
    with transaction.atomic():
        for enterprise in known or [None]:
            key = f"{base}:enterprise:{enterprise.pk if enterprise else 0}"
            raise_alert(finding=finding, key=key, actor=actor, department=department, enterprise=enterprise)


# --- amendments and cancellations ----------------------------------------------------------------------


def _check_changeable(actor: Any, filing: Filing, now: dt.datetime, verb: str) -> None:
    _require_admin_of(actor, filing.department)
    if filing.status != FilingStatus.ACTIVE:
        raise FilingError(f"该报备当前为“{filing.get_status_display()}”状态,不能{verb}。")
    if now >= filing.window_end:
        raise FilingError(f"检查时间已结束({_fmt(filing.window_end)}),不能再{verb}。")


@transaction.atomic
def amend_filing(
    *,
    actor: Any,
    filing: Filing,
    inspectors: Sequence[Any] | None = None,
    window_end: dt.datetime | None = None,
    enterprises: Sequence[Any] | None = None,
    reason: str,
) -> Filing:
    """A change (变更): a new filing that supersedes the original, which keeps its facts (status AMENDED)."""
    now = _now()
    original = Filing.objects.select_for_update().get(pk=filing.pk)
    _check_changeable(actor, original, now, "变更")
    if not _text(reason):
        raise FilingError("请填写变更原因。")
    before = Facts.of(original)
    after = _amended_facts(before, inspectors, window_end, enterprises)
    _check_window_order(after.window_start, after.window_end)
    if after.window_end <= now:
        raise FilingError("变更后的检查结束时间须晚于当前时间。")
    targets = list(original.plan_entry.targets.all()) if original.plan_entry_id else []
    _check_people(after, targets=targets, extra_departments=_superior_ids(original))
    original.status = FilingStatus.AMENDED
    original.save(update_fields=["status", "updated_at"])
    amended = _create(
        actor, after, action="inspections.amend_filing", number=amendment_number(original), supersedes=original
    )
    record_event(
        actor=actor,
        action="inspections.amend_filing",
        target=original,
        before=summary(original, before) | {"status": FilingStatus.ACTIVE},
        after=summary(amended, after) | {"reason": _text(reason)},
    )
    _tell_office(amended, after, f"报备变更(原报备 {original.number},变更原因:{_text(reason)})")
    if {e.pk for e in after.enterprises} - {e.pk for e in before.enterprises}:
        _run_checks(amended)
    return amended


def _amended_facts(
    before: Facts, inspectors: Sequence[Any] | None, window_end: dt.datetime | None, enterprises: Sequence[Any] | None
) -> Facts:
    after = Facts(**{name: getattr(before, name) for name in Facts.__dataclass_fields__})
    after.enterprises = list(before.enterprises)
    after.partners = list(before.partners)
    if inspectors is not None:
        after.inspectors = resolve_inspectors(inspectors)
    if enterprises is not None:
        after.enterprises = resolve_enterprises(enterprises)
    if window_end is not None:
        after.window_end = _aware(window_end, "结束时间")
    return after


def _superior_ids(filing: Filing) -> list[int]:
    return [filing.superior_department_id] if filing.superior_department_id else []


@transaction.atomic
def cancel_filing(*, actor: Any, filing: Filing, reason: str) -> Filing:
    """A cancellation (撤销): the row stays, with status CANCELLED, who and why."""
    now = _now()
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    _check_changeable(actor, filing, now, "撤销")
    if not _text(reason):
        raise FilingError("请填写撤销原因。")
    filing.status, filing.cancelled_at, filing.cancelled_by = FilingStatus.CANCELLED, now, actor
    filing.cancel_reason = _text(reason)[:255]
    filing.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    facts = Facts.of(filing)
    record_event(
        actor=actor,
        action="inspections.cancel_filing",
        target=filing,
        before={"status": FilingStatus.ACTIVE},
        after={"status": filing.status, "reason": filing.cancel_reason, "cancelled_at": now.isoformat()},
    )
    _tell_office(filing, facts, f"报备撤销(撤销原因:{filing.cancel_reason})")
    return filing


# --- multi-level (mechanism 8) ----------------------------------------------------------------------------


def _ancestors(department: Department) -> list[int]:
    ids: list[int] = []
    current = department.parent
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    return ids


def _has_county_descendant(superior: Department) -> bool:
    county = Department.objects.filter(level=DepartmentLevel.COUNTY).select_related("parent__parent__parent")
    return any(superior.pk in _ancestors(d) for d in county.filter(parent__isnull=False))


def check_counterpart(actor: Any, superior: Department) -> Department:
    """The actor's department must be the superior's county counterpart (the superior is up its
    parent chain); a superior with no county counterpart registered may be filed by any county department."""
    department = _actor_department(actor)
    if superior.level not in SUPERIOR_LEVELS:
        raise FilingError(f"“{superior.name}”不是上级(国家、省、市)部门。")
    if department.level != DepartmentLevel.COUNTY:
        raise FilingError("上级部门检查须由县级对口部门备案。")
    if superior.pk not in _ancestors(department) and _has_county_descendant(superior):
        raise FilingError(f"本部门不是“{superior.name}”的县级对口部门,请由对口部门备案。")
    return department


@transaction.atomic
def file_superior_inspection(
    *,
    actor: Any,
    superior_department: Department,
    item: CatalogItem,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
    planned_entry: Any = None,
) -> Filing:
    """The county counterpart files a superior department's inspection; each enterprise's township
    or zone government is told by mail (mechanism 8)."""
    department = check_counterpart(actor, superior_department)
    start, end = _aware(window_start, "开始时间"), _aware(window_end, "结束时间")
    _check_future_window(start, end, _now())
    _check_planned_entry(planned_entry, department, start, end)
    facts = Facts(
        department=department,
        kind=FilingKind.PLANNED,
        item=effective_item(item, department.pk, local_day(start)),
        enterprises=resolve_enterprises(enterprises),
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=end,
        plan_entry=planned_entry,
        superior_department=superior_department,
    )
    _check_people(facts, extra_departments=[superior_department.pk])
    filing = _file(actor, facts, action="inspections.file_superior_inspection", headline="上级部门检查报备")
    _notify_townships(filing, facts)
    return filing


def _check_planned_entry(entry: Any, department: Department, start: dt.datetime, end: dt.datetime) -> None:
    if entry is None:
        return
    if entry.plan.department_id != department.pk or not _entry_is_approved(entry):
        raise FilingError("所选计划条目不是本部门已审定计划中的条目。")
    _check_entry_window(entry, start, end)


def _notify_townships(filing: Filing, facts: Facts) -> None:
    by_township: dict[Any, list[Enterprise]] = defaultdict(list)
    for enterprise in facts.enterprises:
        by_township[enterprise.township].append(enterprise)
    unreachable = [t.name for t in by_township if not t.notice_email]
    for township, members in by_township.items():
        if township.notice_email:
            queue_mail(
                to=[township.notice_email],
                subject=f"[企检] 上级部门入企检查通知 {filing.number}",
                body=_township_body(filing, facts, township, members),
                mark=f"qijian.inspections.services.mark_township_notified:{filing.pk}",
            )
    if unreachable:
        record_event(
            actor=None,
            action="inspections.township_unreachable",
            target=filing,
            after={"townships": unreachable, "note": "属地政府未配置通知邮箱"},
        )


def _township_body(filing: Filing, facts: Facts, township: Any, members: Sequence[Enterprise]) -> str:
    assert facts.superior_department is not None
    lines = [
        f"{township.name}:",
        f"{facts.superior_department.name}将于{_fmt(filing.window_start)}至{_fmt(filing.window_end)}"
        f"对贵辖区下列企业开展执法检查,县级对口部门{facts.department.name}已向联席会议办公室备案(报备编号{filing.number})。",
        f"检查事项:{facts.item.name}",
        "检查对象:",
        *[f"  {e.name}(统一社会信用代码 {e.uscc})" for e in members],
        "执法人员:",
        *[f"  {i.name}(执法证号 {i.certificate_no})" for i in facts.inspectors],
    ]
    return "\n".join(lines)


@transaction.atomic
def file_acceptance_visit(
    *,
    actor: Any,
    superior_filing: Filing,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> Filing:
    """An acceptance visit (勘察验收) after a superior inspection. A visit beyond the policy's maximum is
    accepted, and ``after_filing`` raises R08 for it."""
    superior = superior_filing.superior_department
    if superior is None or superior_filing.acceptance_of_id is not None:
        raise FilingError("勘察验收须对应一次上级部门检查的报备。")
    _require_admin_of(actor, superior_filing.department)
    if superior_filing.status == FilingStatus.CANCELLED:
        raise FilingError("对应的上级部门检查报备已撤销。")
    start, end = _aware(window_start, "开始时间"), _aware(window_end, "结束时间")
    _check_future_window(start, end, _now())
    if start < superior_filing.window_start:
        raise FilingError("勘察验收须在上级部门检查开始之后进行。")
    chosen = resolve_enterprises(enterprises)
    inspected = {e.pk for e in superior_filing.enterprises.all()}
    outside = [e.name for e in chosen if e.pk not in inspected]
    if outside:
        raise FilingError(f"勘察验收的企业须是上级部门检查过的企业:{'、'.join(outside)}不在其中。")
    facts = Facts(
        department=superior_filing.department,
        kind=FilingKind.PLANNED,
        item=superior_filing.item,
        enterprises=chosen,
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=end,
        superior_department=superior,
        acceptance_of=superior_filing,
    )
    _check_people(facts, extra_departments=[superior.pk])
    return _file(actor, facts, action="inspections.file_acceptance_visit", headline="上级检查后勘察验收报备")


# --- stamps from the mail worker and the office's receipt --------------------------------------------


def mark_office_notified(filing_id: str) -> None:
    """Called by the mail task after the office's mail was sent: stamp the filing (first send only)."""
    _stamp(filing_id, "office_notified_at", "inspections.office_notified")


def mark_township_notified(filing_id: str) -> None:
    """Called by the mail task after a township notice was sent (the first stamps the filing)."""
    _stamp(filing_id, "township_notified_at", "inspections.township_notified")


@transaction.atomic
def _stamp(filing_id: str, field_name: str, action: str) -> None:
    now = _now()
    filing = Filing.objects.filter(pk=int(filing_id), **{f"{field_name}__isnull": True}).first()
    if filing is None:
        return
    setattr(filing, field_name, now)
    filing.save(update_fields=[field_name, "updated_at"])
    record_event(actor=None, action=action, target=filing, after={field_name: now.isoformat()})


@transaction.atomic
def mark_read_by_office(*, actor: Any, filing: Filing) -> bool:
    """The office's receipt of a filing (签收): the first office user to open it; later opens change nothing."""
    if getattr(actor, "role", None) != Role.OFFICE or filing.office_read_at is not None:
        return False
    now = _now()
    updated = Filing.objects.filter(pk=filing.pk, office_read_at__isnull=True).update(
        office_read_at=now, office_read_by=actor, updated_at=now
    )
    if updated:
        filing.office_read_at, filing.office_read_by = now, actor
        record_event(actor=actor, action="inspections.office_read", target=filing, after={"read_at": now.isoformat()})
    return bool(updated)
