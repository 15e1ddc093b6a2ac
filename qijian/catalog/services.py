"""Writes of the item catalog: a department drafts a version, the office approves it by a meeting decision.

Life of a version: DRAFT --submit--> SUBMITTED --approve--> APPROVED (in force from ``effective_from``)
                                               \\--return--> RETURNED --(edit, submit)--> SUBMITTED ...
A department has at most one open (draft/submitted/returned) version at a time; a new draft starts
as a copy of the items of its latest approved version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.catalog.choices import CatalogStatus, InspectionMethod, InspectionMode
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_today
from qijian.enterprises.choices import EnterpriseType
from qijian.meetings.choices import DecisionSubject
from qijian.org.models import Department

OPEN_STATUSES = (CatalogStatus.DRAFT, CatalogStatus.SUBMITTED, CatalogStatus.RETURNED)
EDITABLE_STATUSES = (CatalogStatus.DRAFT, CatalogStatus.RETURNED)
ITEM_FIELDS = ("code", "name", "law", "article", "standard", "mode", "method", "joinable", "enterprise_types")


class CatalogError(ValueError):
    """A catalog action that is not allowed; the message is for the user (Chinese)."""


# --- checks ----------------------------------------------------------------------------------------


def _require_dept_admin(actor: Any, department_id: int) -> None:
    if getattr(actor, "role", None) != Role.DEPT_ADMIN:
        raise CatalogError("只有部门管理员可以编制本部门的检查事项清单。")
    if actor.department_id != department_id:
        raise CatalogError("只能编制本部门的检查事项清单。")


def _require_office(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.OFFICE:
        raise CatalogError("只有联席会议办公室可以审定检查事项清单。")


def _require_editable(version: CatalogVersion) -> None:
    if version.status not in EDITABLE_STATUSES:
        raise CatalogError(f"该版本状态为“{version.get_status_display()}”,只有草稿或已退回的版本可以修改。")


def _require_submitted(version: CatalogVersion) -> None:
    if version.status != CatalogStatus.SUBMITTED:
        raise CatalogError(f"该版本状态为“{version.get_status_display()}”,只有已提交的版本可以审定或退回。")


def _clean_item(version: CatalogVersion, fields: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    """Validate and normalise an item's fields; raise CatalogError on the first problem."""
    data = {**fields, "code": str(fields.get("code", "")).strip(), "name": str(fields.get("name", "")).strip()}
    data["law"] = str(fields.get("law", "")).strip()
    if not data["code"]:
        raise CatalogError("请填写事项编码。")
    if not data["name"]:
        raise CatalogError("请填写检查事项名称。")
    if not data["law"]:
        raise CatalogError("请填写法律依据。")
    _check_choices(data)
    duplicates = CatalogItem.objects.filter(version=version, code=data["code"]).exclude(pk=exclude_pk)
    if duplicates.exists():
        raise CatalogError(f"事项编码“{data['code']}”在本版本中已存在。")
    return data


def _check_choices(data: dict[str, Any]) -> None:
    if data.get("mode") not in InspectionMode.values:
        raise CatalogError("检查类别须为“双随机”或“非双随机”。")
    if data.get("method", InspectionMethod.ONSITE) not in InspectionMethod.values:
        raise CatalogError("检查方式须为“现场”或“非现场”。")
    types = list(data.get("enterprise_types") or [])
    unknown = [t for t in types if t not in EnterpriseType.values]
    if unknown:
        raise CatalogError(f"适用市场主体类型不正确:{'、'.join(map(str, unknown))}。")
    data["enterprise_types"] = sorted(set(types))


def _item_snapshot(item: CatalogItem) -> dict[str, Any]:
    return snapshot(item) | {"industries": sorted(i.code for i in item.industries.all())}


# --- versions --------------------------------------------------------------------------------------


def latest_approved(department_id: int) -> CatalogVersion | None:
    qs = CatalogVersion.objects.filter(department_id=department_id, status=CatalogStatus.APPROVED)
    return qs.order_by("-number").first()


@transaction.atomic
def create_version(*, actor: Any, department: Department) -> CatalogVersion:
    """A new DRAFT, numbered next, holding a copy of the latest approved version's items."""
    _require_dept_admin(actor, department.pk)
    Department.objects.select_for_update().filter(pk=department.pk).first()  # serialise numbering (PostgreSQL)
    versions = CatalogVersion.objects.filter(department=department)
    if versions.filter(status__in=OPEN_STATUSES).exists():
        raise CatalogError("本部门已有未审定的清单版本,请在该版本上继续编制。")
    number = max(versions.values_list("number", flat=True), default=0) + 1
    version = CatalogVersion.objects.create(department=department, number=number)
    source = latest_approved(department.pk)
    copied = _copy_items(source, version) if source else 0
    after = snapshot(version) | {"copied_from": source.number if source else None, "copied_items": copied}
    record_event(actor=actor, action="catalog.create_version", target=version, after=after)
    return version


def _copy_items(source: CatalogVersion, target: CatalogVersion) -> int:
    items = list(source.items.prefetch_related("industries"))
    for item in items:
        copy = CatalogItem.objects.create(version=target, **{f: getattr(item, f) for f in ITEM_FIELDS})
        copy.industries.set(item.industries.all())
    return len(items)


@transaction.atomic
def submit_catalog(*, actor: Any, version: CatalogVersion) -> CatalogVersion:
    _require_dept_admin(actor, version.department_id)
    _require_editable(version)
    if not version.items.exists():
        raise CatalogError("清单中至少要有一个检查事项才能提交。")
    before = snapshot(version)
    version.status = CatalogStatus.SUBMITTED
    version.submitted_at, version.submitted_by = dt.datetime.now(dt.UTC), actor
    version.return_comment = ""
    version.save(update_fields=["status", "submitted_at", "submitted_by", "return_comment", "updated_at"])
    record_event(actor=actor, action="catalog.submit", target=version, before=before, after=snapshot(version))
    return version


@transaction.atomic
def approve_catalog(*, actor: Any, version: CatalogVersion, decision: Any, effective_from: dt.date) -> CatalogVersion:
    """Approve on the joint meeting's behalf: the version is in force from ``effective_from``."""
    _require_office(actor)
    _require_submitted(version)
    if decision is None or decision.subject != DecisionSubject.CATALOG:
        raise CatalogError("请选择联席会议关于检查事项清单的决定。")
    if effective_from is None or effective_from < local_today():
        raise CatalogError("生效日期不能早于今天。")
    previous = latest_approved(version.department_id)
    if previous is not None and previous.effective_from and effective_from <= previous.effective_from:
        raise CatalogError(f"生效日期须晚于现行第{previous.number}版的生效日期({previous.effective_from:%Y-%m-%d})。")
    before = snapshot(version)
    version.status, version.decision, version.effective_from = CatalogStatus.APPROVED, decision, effective_from
    version.approved_at = dt.datetime.now(dt.UTC)
    version.save(update_fields=["status", "decision", "effective_from", "approved_at", "updated_at"])
    record_event(actor=actor, action="catalog.approve", target=version, before=before, after=snapshot(version))
    return version


@transaction.atomic
def return_catalog(*, actor: Any, version: CatalogVersion, comment: str) -> CatalogVersion:
    _require_office(actor)
    _require_submitted(version)
    if not comment.strip():
        raise CatalogError("退回时须填写退回意见。")
    before = snapshot(version)
    version.status, version.return_comment = CatalogStatus.RETURNED, comment.strip()
    version.save(update_fields=["status", "return_comment", "updated_at"])
    record_event(actor=actor, action="catalog.return", target=version, before=before, after=snapshot(version))
    return version


# --- items -----------------------------------------------------------------------------------------


@transaction.atomic
def add_item(
    *,
    actor: Any,
    version: CatalogVersion,
    code: str,
    name: str,
    law: str,
    article: str = "",
    standard: str = "",
    mode: str,
    method: str = InspectionMethod.ONSITE,
    joinable: bool = True,
    industries: Iterable[Any] = (),
    enterprise_types: Iterable[str] = (),
) -> CatalogItem:
    _require_dept_admin(actor, version.department_id)
    _require_editable(version)
    fields: dict[str, Any] = {"code": code, "name": name, "law": law, "article": article.strip()}
    fields["standard"] = standard.strip()
    fields |= {"mode": mode, "method": method, "joinable": bool(joinable), "enterprise_types": list(enterprise_types)}
    item = CatalogItem.objects.create(version=version, **_clean_item(version, fields))
    item.industries.set(list(industries))
    record_event(actor=actor, action="catalog.add_item", target=item, after=_item_snapshot(item))
    return item


@transaction.atomic
def update_item(
    *, actor: Any, item: CatalogItem, industries: Iterable[Any] | None = None, **changes: Any
) -> CatalogItem:
    """Change some of an item's fields (any of ITEM_FIELDS; ``industries`` replaces the set)."""
    version = item.version
    _require_dept_admin(actor, version.department_id)
    _require_editable(version)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise CatalogError(f"不能修改这些字段:{'、'.join(sorted(unknown))}。")
    before = _item_snapshot(item)
    current = {f: getattr(item, f) for f in ITEM_FIELDS}
    data = _clean_item(version, current | changes, exclude_pk=item.pk)
    for name in ITEM_FIELDS:
        setattr(item, name, data[name])
    item.save(update_fields=[*ITEM_FIELDS, "updated_at"])
    if industries is not None:
        item.industries.set(list(industries))
    record_event(actor=actor, action="catalog.update_item", target=item, before=before, after=_item_snapshot(item))
    return item


@transaction.atomic
def remove_item(*, actor: Any, item: CatalogItem) -> None:
    version = item.version
    _require_dept_admin(actor, version.department_id)
    _require_editable(version)
    before = _item_snapshot(item)
    record_event(actor=actor, action="catalog.remove_item", target=item, before=before)
    item.delete()
