"""Table import: running an import through the services, all or nothing, and its error report."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qijian.plans.choices import PlanStatus
from qijian.plans.models import Plan, PlanEntry
from qijian.plans.tables.importer.base import (
    EDITABLE,
    ERROR_COLUMN,
    ImportOutcome,
    Problem,
    T,
    TableImportError,
    Upload,
    _check_head_block,
    read_upload,
)
from qijian.plans.tables.importer.rows import Lookups, Row, _completion_row, _multi_level_row, _plan_row
from qijian.plans.tables.layouts import (
    COMPLETION,
    MULTI_LEVEL,
    PLAN,
    Layout,
    entries_for,
)

# --- running an import ---------------------------------------------------------------------------------


class _RollbackError(Exception):
    """Raised inside the transaction to undo every service call once some row failed."""


Step = tuple[int, str, Callable[[], object]]


def _apply(steps: list[Step]) -> list[Problem]:
    """Run every service call in one transaction; any failure rolls all of them back."""
    problems: list[Problem] = []
    try:
        with transaction.atomic():
            for row_no, what, call in steps:
                _call(row_no, what, call, problems)
            if problems:
                raise _RollbackError
    except _RollbackError:
        pass
    return problems


def _call(row_no: int, what: str, call: Callable[[], object], problems: list[Problem]) -> None:
    try:
        with transaction.atomic():
            call()
    except (ValueError, ValidationError) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        problems.append(Problem(row_no, 0, "", f"{what}{message}"))


def _refuse(upload: Upload) -> None:
    if upload.problems:
        raise TableImportError(upload.problems, error_report(upload))


def _locked(plan: Plan, statuses: tuple[str, ...], layout: Layout) -> Plan:
    locked = Plan.objects.select_for_update().select_related("department").get(pk=plan.pk)
    if locked.status not in statuses:
        labels = "、".join(str(PlanStatus(s).label) for s in statuses)
        message = f"计划当前状态为“{locked.get_status_display()}”,{layout.label}只能导入状态为{labels}的计划"
        raise TableImportError([Problem(0, 0, "", message)])
    return locked


def _parse(upload: Upload, plan: Plan, parse_row: Callable[[Row], T | None]) -> list[tuple[int, T]]:
    _check_head_block(upload, plan)
    parsed = [(row_no, parse_row(Row(upload, row_no, record))) for row_no, record in upload.data()]
    return [(row_no, fields) for row_no, fields in parsed if fields is not None]


def _replace(
    *, actor: Any, plan: Plan, upload: Upload, parse_row: Callable[[Row, Lookups, list[PlanEntry]], Any]
) -> ImportOutcome:
    layout = upload.layout
    with transaction.atomic():
        plan = _locked(plan, EDITABLE, layout)
        numbered = list(entries_for(plan, layout.key))
        lookups = Lookups(plan, upload, "检查对象")
        rows = _parse(upload, plan, lambda row: parse_row(row, lookups, numbered))
        if not rows and not upload.problems:
            upload.problems.append(Problem(0, 0, "", "表中没有任何条目;如要清空计划,请在计划页面逐条删除"))
        _refuse(upload)
        steps = _replace_steps(actor, plan, numbered, rows)
        upload.problems.extend(_apply(steps))
        _refuse(upload)
    return ImportOutcome(layout.key, len(rows), len(numbered))


def _replace_steps(
    actor: Any, plan: Plan, numbered: list[PlanEntry], rows: list[tuple[int, dict[str, Any]]]
) -> list[Step]:
    from qijian.plans import services

    steps: list[Step] = [
        (0, f"删除原有条目“{e.item.name}”时出错:", lambda e=e: services.remove_entry(actor=actor, entry=e))  # type: ignore[misc]
        for e in numbered
    ]
    steps += [
        (row_no, "", lambda f=fields: services.add_entry(actor=actor, plan=plan, **f))  # type: ignore[misc]
        for row_no, fields in rows
    ]
    return steps


def import_plan_table(*, actor: Any, plan: Plan, data: bytes, filename: str) -> ImportOutcome:
    upload = read_upload(data, filename, PLAN)
    return _replace(actor=actor, plan=plan, upload=upload, parse_row=_plan_row)


def import_multi_level_table(*, actor: Any, plan: Plan, data: bytes, filename: str) -> ImportOutcome:
    upload = read_upload(data, filename, MULTI_LEVEL)
    return _replace(actor=actor, plan=plan, upload=upload, parse_row=_multi_level_row)


def import_completion_table(*, actor: Any, plan: Plan, data: bytes, filename: str) -> ImportOutcome:
    from qijian.plans import services

    upload = read_upload(data, filename, COMPLETION)
    with transaction.atomic():
        plan = _locked(plan, (PlanStatus.APPROVED,), COMPLETION)
        numbered, seen = list(entries_for(plan, COMPLETION.key)), set[int]()
        rows = _parse(upload, plan, lambda row: _completion_row(row, numbered, seen))
        if not rows and not upload.problems:
            upload.problems.append(Problem(0, 0, "", "表中没有填写任何完成情况"))
        _refuse(upload)
        steps: list[Step] = [
            (row_no, "", lambda f=fields: services.report_completion(actor=actor, **f))  # type: ignore[misc]
            for row_no, fields in rows
        ]
        upload.problems.extend(_apply(steps))
        _refuse(upload)
    return ImportOutcome(COMPLETION.key, len(rows))


IMPORTERS: dict[str, Callable[..., ImportOutcome]] = {
    PLAN.key: import_plan_table,
    COMPLETION.key: import_completion_table,
    MULTI_LEVEL.key: import_multi_level_table,
}


def import_table(*, actor: Any, plan: Plan, table: str, data: bytes, filename: str) -> ImportOutcome:
    return IMPORTERS[table](actor=actor, plan=plan, data=data, filename=filename)


# --- the error report ------------------------------------------------------------------------------------


def error_report(upload: Upload) -> bytes:
    """The uploaded rows, at their row numbers, with an 错误信息 column after the last column."""
    from openpyxl import Workbook

    by_row: dict[int, list[str]] = {}
    for problem in upload.problems:
        where = f"第{problem.column}列({problem.header}):" if problem.column else ""
        by_row.setdefault(problem.row, []).append(where + problem.message)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    width = len(upload.layout.headers)
    for row_no, record in upload.records:
        padded = (record + [""] * width)[:width]
        note = ERROR_COLUMN if row_no == upload.header_row else "；".join(by_row.get(row_no, []))
        sheet.append([*padded, note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
