"""Filing services: errors, the facts of a new filing and the checks run before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qijian.accounts.choices import Role
from qijian.catalog import queries as catalog_queries
from qijian.catalog.choices import InspectionMethod
from qijian.catalog.models import CatalogItem
from qijian.core.calendar import local_zone
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
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
