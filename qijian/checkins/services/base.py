"""Check-in services: errors, the inspectors and the enterprise of a scan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qijian.accounts.choices import Role
from qijian.core import rawsql
from qijian.core.calendar import local_zone
from qijian.enterprises.models import Enterprise
from qijian.org.models import Inspector

KEY_MAX = 64
# A batch matches filings over [earliest phone time, now + margin]; each moment is then checked exactly.
SPAN_MARGIN = dt.timedelta(hours=1)
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
NAME_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


class CheckInError(ValueError):
    """A check-in action that is not allowed; the message is for the user (Chinese)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(local_zone()).date()


# --- people ------------------------------------------------------------------------------------------


def scanning_inspector(actor: Any, loaded: Mapping[int | str, Inspector] | None = None) -> Inspector:
    """The inspector behind an inspector's account, or refuse. ``loaded``: inspectors just read by the
    caller (by id), so that the scanner and the companions come from one query."""
    if getattr(actor, "role", None) != Role.INSPECTOR or not getattr(actor, "inspector_id", None):
        raise CheckInError("只有绑定了执法人员身份的执法人员账号可以扫码入企。")
    inspector = (loaded or {}).get(int(actor.inspector_id))
    if inspector is None:  # fresh: status may change
        inspector = Inspector.objects.filter(pk=actor.inspector_id).order_by().first()
    if inspector is None:
        raise CheckInError("该账号绑定的执法人员不存在。")
    return inspector


def uncertified_reason(inspector: Inspector, day: dt.date) -> str | None:
    """Why ``inspector`` may not inspect on ``day`` (None: active and certified)."""
    label = f"执法人员{inspector.name}(执法证号{inspector.certificate_no})"
    if inspector.status != "active":
        return f"{label}当前为“{inspector.get_status_display()}”状态,不能入企检查"
    if day > inspector.certificate_valid_until:
        return f"{label}的执法证已于{inspector.certificate_valid_until:%Y-%m-%d}过期,不能入企检查"
    if day < inspector.certificate_valid_from:
        return f"{label}的执法证自{inspector.certificate_valid_from:%Y-%m-%d}起才生效,不能入企检查"
    return None


def _require_certified(inspector: Inspector, day: dt.date) -> None:
    reason = uncertified_reason(inspector, day)
    if reason:
        raise CheckInError(reason + "。")


def resolve_companions(values: Iterable[Any], scanner: Inspector, day: dt.date) -> list[Inspector]:
    """Companions given as rows, ids or certificate numbers; an unknown or uncertified one is refused by name."""
    labels = [_companion_label(v) for v in values]
    return _pick_companions(labels, _load_people(labels), scanner, day)


def _load_people(labels: Sequence[int | str]) -> dict[int | str, Inspector]:
    ids = [v for v in labels if isinstance(v, int)]
    numbers = [v for v in labels if isinstance(v, str) and v]
    if not ids and not numbers:
        return {}
    rows = rawsql.load(Inspector, _people_sql(len(ids), len(numbers)), [*ids, *numbers])
    return {key: i for i in rows for key in (i.pk, i.certificate_no)}


def _people_sql(ids: int, numbers: int) -> str:
    """Hand-written (qijian/core/rawsql.py): the ORM query cost more CPU to build than to run."""
    tests = [f"id IN ({rawsql.placeholders(range(ids))})" if ids else ""]
    tests.append(f"certificate_no IN ({rawsql.placeholders(range(numbers))})" if numbers else "")
    where = " OR ".join(t for t in tests if t)
    return f"SELECT {rawsql.columns(Inspector)} FROM {rawsql.table(Inspector)} WHERE {where}"  # noqa: S608


def _pick_companions(
    labels: Sequence[int | str], known: dict[int | str, Inspector], scanner: Inspector, day: dt.date
) -> list[Inspector]:
    found: list[Inspector] = []
    for label in labels:
        inspector = known.get(label)
        if inspector is None:
            raise CheckInError(f"执法证号为“{label}”的同行执法人员不存在。")
        _require_certified(inspector, day)
        if inspector.pk != scanner.pk and inspector not in found:
            found.append(inspector)
    return found


def _companion_label(value: Any) -> int | str:
    if isinstance(value, Inspector):
        return int(value.pk)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value or "").strip()


# --- the enterprise ------------------------------------------------------------------------------------


def resolve_enterprise(value: Any, now: dt.datetime) -> Enterprise:
    """An enterprise row, its id, or its enterprise-code token (qijian.checkins.codes, kind "E")."""
    found = enterprise_reference(value, now)
    return found if isinstance(found, Enterprise) else _enterprise(*found)


def enterprise_reference(value: Any, now: dt.datetime) -> Enterprise | tuple[int, str]:
    """What a scan names, before any read: the row itself, or its id and the refusal when there is no
    such enterprise. A bad code token is refused here."""
    if isinstance(value, Enterprise):
        return value
    if isinstance(value, int):
        return value, "企业不存在。"
    return _enterprise_id_from_token(str(value or "").strip(), now), "企业码对应的企业不存在。"


def _enterprise(pk: int, missing: str) -> Enterprise:
    sql = f"SELECT {rawsql.columns(Enterprise)} FROM {rawsql.table(Enterprise)} WHERE id = %s"  # noqa: S608
    found = rawsql.load(Enterprise, sql, [pk])
    if not found:
        raise CheckInError(missing)
    return found[0]


def _enterprise_id_from_token(token: str, now: dt.datetime) -> int:
    if not token:
        raise CheckInError("请扫描或输入企业码。")
    from qijian.checkins import codes

    try:
        claims = codes.read_code(codes.token_from_text(token), kind="E", now=now)
    except codes.CodeError as exc:
        raise CheckInError(str(exc)) from exc
    return int(claims.object_id)
