"""Writes of the check-in app (入企扫码): check-in, check-out with the result, attachments.

Every function takes a keyword-only ``actor`` (an inspector's account), validates first
(``CheckInError`` with a Chinese message, nothing written), then writes and audits in one transaction.
Times are the server's: ``scanned_at`` and ``checked_out_at`` are never taken from the caller; a
phone's ``client_time`` is kept as information (and, for an offline replay, chooses the filing).

Idempotency: a check-in is keyed by the phone's idempotency key. A replay of a known key returns the
ORIGINAL row unchanged (``created=False``), even when the replay's content differs: the first arrival
wins, a later copy never edits it. Two racing requests with one key both try the insert inside a
savepoint; the loser's unique-key violation is caught and it returns the winner's row.

An entry with no matching filing is never refused: it is stored with ``unfiled=True`` and raises a
critical R01 alert (a referral candidate) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.catalog.choices import InspectionMethod
from qijian.checkins.choices import CheckInResult, CheckInSource, CheckInStatus
from qijian.checkins.models import Attachment, CheckIn
from qijian.core.calendar import local_today, local_zone
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from qijian.oversight import rules
from qijian.policy.loader import figure

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


def scanning_inspector(actor: Any) -> Inspector:
    """The inspector behind an inspector's account, or refuse."""
    if getattr(actor, "role", None) != Role.INSPECTOR or not getattr(actor, "inspector_id", None):
        raise CheckInError("只有绑定了执法人员身份的执法人员账号可以扫码入企。")
    inspector = Inspector.objects.filter(pk=actor.inspector_id).order_by().first()  # fresh: status may change
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
    rows = Inspector.objects.filter(Q(pk__in=ids) | Q(certificate_no__in=numbers))
    return {key: i for i in rows for key in (i.pk, i.certificate_no)}


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
    if isinstance(value, Enterprise):
        return value
    if isinstance(value, int):
        found = Enterprise.objects.filter(pk=value).first()
        if found is None:
            raise CheckInError("企业不存在。")
        return found
    return _enterprise_from_token(str(value or "").strip(), now)


def _enterprise_from_token(token: str, now: dt.datetime) -> Enterprise:
    if not token:
        raise CheckInError("请扫描或输入企业码。")
    from qijian.checkins import codes

    try:
        claims = codes.read_code(codes.token_from_text(token), kind="E", now=now)
    except codes.CodeError as exc:
        raise CheckInError(str(exc)) from exc
    found = Enterprise.objects.filter(pk=claims.object_id).first()
    if found is None:
        raise CheckInError("企业码对应的企业不存在。")
    return found


# --- the filing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    filing: Filing | None
    department_filings: int  # covering filings of the inspector's department (as filer or partner)
    at: dt.datetime  # the moment matched: the server's time, or an offline replay's client time


def department_filings(inspector: Inspector, enterprise_id: int, lo: dt.datetime, hi: dt.datetime) -> list[Filing]:
    """ACTIVE filings of the enterprise by the inspector's department (as filer or partner) whose window
    overlaps [lo, hi], those listing the inspector first (one query; ``match_filing`` picks per moment).
    The same conditions as ``inspections.queries.filings_covering``, over a span instead of one moment,
    so that a phone's queue of check-ins is matched with one query."""
    department = inspector.department_id
    as_partner = Filing.partners.through.objects.filter(department_id=department).values("filing_id")
    naming = Filing.inspectors.through.objects.filter(filing_id=OuterRef("pk"), inspector_id=inspector.pk)
    qs = Filing.objects.filter(
        Q(department_id=department) | Q(pk__in=as_partner),
        status=FilingStatus.ACTIVE,
        enterprises__id=enterprise_id,
        window_start__lte=hi,
        window_end__gte=lo,
    )
    return list(qs.annotate(names_inspector=Exists(naming)).order_by("-names_inspector", "window_start", "id"))


def match_filing(candidates: Sequence[Filing], moments: Sequence[dt.datetime]) -> Match:
    """The first candidate covering one of ``moments`` (tried in order) that lists the inspector."""
    best = Match(None, 0, moments[0])
    for at in moments:
        covering = [f for f in candidates if f.window_start <= at <= f.window_end]
        named = next((f for f in covering if getattr(f, "names_inspector", False)), None)
        if named is not None:
            return Match(named, len(covering), at)
        if covering and not best.department_filings:
            best = Match(None, len(covering), at)
    return best


def _moments(now: dt.datetime, source: str, client_time: dt.datetime | None) -> list[dt.datetime]:
    """An offline replay is matched at the phone's time first (when it is not in the future), then now."""
    if source == CheckInSource.OFFLINE and client_time is not None and client_time <= now:
        return [client_time, now]
    return [now]


def _check_on_site_people(filing: Filing, people: Sequence[Inspector], day: dt.date) -> None:
    """R03: an on-site inspection needs enough certified people (the scanner and its companions)."""
    facts = [rules.InspectorFact(p.certificate_no, p.is_certified_on(day)) for p in people]
    minimum = int(figure("inspectors.min_on_site"))
    finding = rules.too_few_inspectors(method=filing.method, inspectors=facts, minimum=minimum)
    if finding is not None:
        raise CheckInError(f"{finding.message};请同行执法人员一同扫码或录入其执法证号。")


# --- input checks ------------------------------------------------------------------------------------------


def _key(value: Any) -> str:
    key = str(value or "").strip()
    if not key or len(key) > KEY_MAX:
        raise CheckInError(f"幂等键须为1至{KEY_MAX}个字符(由手机为每次扫码生成)。")
    return key


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and (not isinstance(moment, dt.datetime) or moment.tzinfo is None):
        raise CheckInError("手机记录时间须为带时区的时间。")
    return moment


def _coordinate(value: Any, limit: int, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise CheckInError(f"{label}格式不正确。") from exc
    if not -limit <= number <= limit:
        raise CheckInError(f"{label}超出范围。")
    return number


def _accuracy(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise CheckInError("定位精度须为非负整数(米)。") from exc
    if not 0 <= number <= 2_000_000_000:
        raise CheckInError("定位精度须为非负整数(米)。")
    return number


def _source(value: str) -> str:
    if value not in CheckInSource.values:
        raise CheckInError("来源应为在线扫码、离线补传或手工输入企业码。")
    return value


# --- check-in ------------------------------------------------------------------------------------------


def existing_checkin(*, actor: Any, idempotency_key: str) -> CheckIn | None:
    """The check-in already stored under ``idempotency_key`` (a replay), if it was this account's."""
    found = CheckIn.objects.filter(idempotency_key=idempotency_key).order_by().first()
    return _own(actor, found)


def _own(actor: Any, found: CheckIn | None) -> CheckIn | None:
    if found is not None and found.recorded_by_id != getattr(actor, "pk", None):
        raise CheckInError("该幂等键已被其他账号使用;请重新生成后提交。")
    return found


def record_checkin(*, actor: Any, idempotency_key: str, enterprise: Any, **fields: Any) -> tuple[CheckIn, bool]:
    """Record an inspector's entry into an enterprise; returns (check-in, created).

    ``fields``: companions=(), client_time=None, latitude=None, longitude=None, accuracy_m=None,
    source="online". A replay of a known key returns the original row unchanged with created=False.
    """
    item = {"idempotency_key": idempotency_key, "enterprise": enterprise, **fields}
    return _Batch.start(actor, [item]).record(item)


@dataclass(frozen=True)
class Outcome:
    """One item of ``record_checkins``: the row and whether it is new, or the refusal."""

    checkin: CheckIn | None
    created: bool
    error: str = ""


def record_checkins(*, actor: Any, items: Sequence[dict[str, Any]]) -> list[Outcome]:
    """A phone's queue of check-ins sent at once (offline replay): each item is what ``record_checkin``
    takes. Each is stored (or refused) on its own, with the same rules; keys, people and filings are
    looked up once for the whole batch."""
    batch = _Batch.start(actor, items)
    outcomes: list[Outcome] = []
    for item in items:
        try:
            row, created = batch.record(item)
        except CheckInError as exc:
            outcomes.append(Outcome(None, False, str(exc)))
        else:
            outcomes.append(Outcome(row, created))
    return outcomes


@dataclass
class _Batch:
    """What one call of record_checkin(s) looks up once: stored keys, the scanner, people, enterprises, filings."""

    actor: Any
    known: dict[str, CheckIn]
    lo: dt.datetime
    hi: dt.datetime
    scanner: Inspector | None = None
    people: dict[int | str, Inspector] = field(default_factory=dict)
    filings: dict[int, list[Filing]] = field(default_factory=dict)

    @classmethod
    def start(cls, actor: Any, items: Sequence[dict[str, Any]]) -> _Batch:
        keys = [str(i.get("idempotency_key") or "").strip() for i in items]
        known = {c.idempotency_key: c for c in CheckIn.objects.filter(idempotency_key__in=[k for k in keys if k])}
        now = _now()
        times = [t for i in items if isinstance(t := i.get("client_time"), dt.datetime) and t.tzinfo and t <= now]
        return cls(actor, known, min([now, *times]), now + SPAN_MARGIN)

    def record(self, item: dict[str, Any]) -> tuple[CheckIn, bool]:
        fields = dict(item)
        key = _key(fields.pop("idempotency_key", ""))
        known = _own(self.actor, self.known.get(key))
        if known is not None:
            return known, False
        companions = fields.pop("companions", ())
        draft = self._draft(key, **fields)
        people = self._companions(companions, draft.inspector, local_day(draft.match.at))
        if draft.match.filing is not None:
            _check_on_site_people(draft.match.filing, [draft.inspector, *people], local_day(draft.match.at))
        row, created = _store(self.actor, draft, people)
        if not created:  # a concurrent request with the same key won: it must be this account's too
            _own(self.actor, row)
        self.known[key] = row
        return row, created

    def _scanner(self) -> Inspector:
        if self.scanner is None:
            self.scanner = scanning_inspector(self.actor)
        return self.scanner

    def _companions(self, values: Iterable[Any], scanner: Inspector, day: dt.date) -> list[Inspector]:
        labels = [_companion_label(v) for v in values]
        missing = [v for v in labels if v not in self.people]
        if missing:
            self.people |= _load_people(missing)
        return _pick_companions(labels, self.people, scanner, day)

    def _candidates(self, inspector: Inspector, enterprise: Enterprise) -> list[Filing]:
        if enterprise.pk not in self.filings:
            self.filings[enterprise.pk] = department_filings(inspector, enterprise.pk, self.lo, self.hi)
        return self.filings[enterprise.pk]

    def _draft(
        self,
        key: str,
        *,
        enterprise: Any,
        client_time: dt.datetime | None = None,
        latitude: Any = None,
        longitude: Any = None,
        accuracy_m: Any = None,
        source: str = CheckInSource.ONLINE,
    ) -> Draft:
        now, inspector = _now(), self._scanner()
        source, client_time = _source(source), _aware(client_time)
        moments = _moments(now, source, client_time)
        _require_certified(inspector, local_day(moments[0]))
        target = resolve_enterprise(enterprise, now)
        match = match_filing(self._candidates(inspector, target), moments)
        row = CheckIn(
            idempotency_key=key,
            enterprise=target,
            filing=match.filing,
            inspector=inspector,
            recorded_by=self.actor,
            scanned_at=now,
            client_time=client_time,
            latitude=_coordinate(latitude, 90, "纬度"),
            longitude=_coordinate(longitude, 180, "经度"),
            accuracy_m=_accuracy(accuracy_m),
            source=source,
            unfiled=match.filing is None,
            method=match.filing.method if match.filing is not None else InspectionMethod.ONSITE,
        )
        return Draft(row, match, inspector, target)


@dataclass(frozen=True)
class Draft:
    row: CheckIn
    match: Match
    inspector: Inspector
    enterprise: Enterprise


@transaction.atomic
def _store(actor: Any, draft: Draft, people: Sequence[Inspector]) -> tuple[CheckIn, bool]:
    row = draft.row
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:  # a concurrent duplicate committed first: it is the record
        return CheckIn.objects.get(idempotency_key=row.idempotency_key), False
    if people:
        through = CheckIn.companions.through
        through.objects.bulk_create([through(checkin_id=row.pk, inspector_id=p.pk) for p in people])
    record_event(actor=actor, action="checkins.record_checkin", target=row, after=checkin_summary(row, people))
    if row.unfiled:
        _raise_unfiled(actor, draft)
    return row, True


def checkin_summary(row: CheckIn, people: Sequence[Inspector]) -> dict[str, Any]:
    """The audited picture of a check-in."""
    return {
        "idempotency_key": row.idempotency_key,
        "enterprise": f"{row.enterprise.uscc} {row.enterprise.name}",
        "filing": row.filing.number if row.filing else "",
        "unfiled": row.unfiled,
        "inspector": f"{row.inspector.certificate_no} {row.inspector.name}",
        "companions": [f"{p.certificate_no} {p.name}" for p in people],
        "scanned_at": row.scanned_at.isoformat(),
        "client_time": row.client_time.isoformat() if row.client_time else "",
        "latitude": str(row.latitude) if row.latitude is not None else "",
        "longitude": str(row.longitude) if row.longitude is not None else "",
        "accuracy_m": row.accuracy_m,
        "source": row.source,
        "method": row.method,
    }


def _raise_unfiled(actor: Any, draft: Draft) -> None:
    from qijian.oversight.services import raise_alert

    finding = rules.unfiled_entry(
        department_filings=draft.match.department_filings,
        names_inspector=False,
        enterprise=draft.enterprise.name,
        certificate_no=draft.inspector.certificate_no,
    )
    if finding is not None:
        raise_alert(
            finding=finding,
            key=f"R01:checkin:{draft.row.pk}",
            actor=actor,
            department=draft.inspector.department,
            enterprise=draft.enterprise,
        )


# --- check-out -----------------------------------------------------------------------------------------


def _require_visitor(actor: Any, checkin: CheckIn) -> None:
    inspector_id = getattr(actor, "inspector_id", None) if getattr(actor, "role", None) == Role.INSPECTOR else None
    if inspector_id is None:
        raise CheckInError("只有本次入企的执法人员可以办理。")
    if inspector_id != checkin.inspector_id and not checkin.companions.filter(pk=inspector_id).exists():
        raise CheckInError("只有扫码的执法人员或其同行执法人员可以办理本次检查的离开和结果登记。")


def _check_result(result: str, deadline: dt.date | None) -> dt.date | None:
    if result not in CheckInResult.values:
        raise CheckInError("检查结果应为未发现问题、发现问题限期整改或立案查处。")
    if result != CheckInResult.PROBLEMS:
        return None
    if deadline is None:
        raise CheckInError("发现问题的,须填写整改期限。")
    if deadline <= local_today():
        raise CheckInError("整改期限须晚于今天。")
    return deadline


@transaction.atomic
def check_out(
    *,
    actor: Any,
    checkin: CheckIn,
    result: str,
    rectification_deadline: dt.date | None = None,
    note: str = "",
    method: str | None = None,
) -> CheckIn:
    """Record the result and the leaving time (the server's) of a check-in."""
    _require_visitor(actor, checkin)
    if checkin.status != CheckInStatus.CHECKED_IN:
        raise CheckInError("本次检查已登记离开,不能重复办理。")
    deadline = _check_result(result, rectification_deadline)
    if method is not None and method not in InspectionMethod.values:
        raise CheckInError("检查方式应为“现场”或“非现场”。")
    checkin.status, checkin.checked_out_at, checkin.result = CheckInStatus.CHECKED_OUT, _now(), result
    checkin.rectification_deadline, checkin.result_note = deadline, str(note or "").strip()
    checkin.method = method or checkin.method
    fields = ["status", "checked_out_at", "result", "rectification_deadline", "result_note", "method"]
    checkin.save(update_fields=[*fields, "updated_at"])
    record_event(actor=actor, action="checkins.check_out", target=checkin, after=_checkout_summary(checkin))
    return checkin


def _checkout_summary(checkin: CheckIn) -> dict[str, Any]:
    deadline = checkin.rectification_deadline
    return {
        "result": checkin.result,
        "rectification_deadline": deadline.isoformat() if deadline else "",
        "note": checkin.result_note,
        "method": checkin.method,
        "checked_out_at": checkin.checked_out_at.isoformat() if checkin.checked_out_at else "",
    }


# --- attachments ---------------------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """The content type named by a file's first bytes (JPEG, PNG, PDF), or None."""
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def _read(upload: Any, limit: int) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data: bytes = upload.read(limit + 1)
    if len(data) > limit:
        raise CheckInError(f"附件不能超过{limit // (1024 * 1024)}MB。")
    if not data:
        raise CheckInError("附件为空文件。")
    return data


def _content_type(data: bytes, name: str) -> str:
    kind = sniff(data[:16])
    allowed = [str(t) for t in figure("attachments.types")]
    if kind is None or kind not in allowed:
        labels = "、".join(EXTENSIONS.get(t, t).lstrip(".").upper() for t in allowed)
        raise CheckInError(f"附件“{name}”的内容不是允许的类型(仅限 {labels});无法识别的文件不予接收。")
    claimed = NAME_TYPES.get(PurePath(name).suffix.lower())
    if claimed is not None and claimed != kind:
        raise CheckInError(f"附件“{name}”的扩展名与文件内容不符。")
    return kind


@transaction.atomic
def add_attachment(*, actor: Any, checkin: CheckIn, upload: Any) -> Attachment:
    """Store a photo or file with a check-in: size and type (sniffed from the content) from the policy file."""
    _require_visitor(actor, checkin)
    name = PurePath(str(getattr(upload, "name", "") or "附件")).name[:200] or "附件"
    data = _read(upload, int(figure("attachments.max_mb")) * 1024 * 1024)
    kind = _content_type(data, name)
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        checkin=checkin, name=name, content_type=kind, size=len(data), sha256=digest, uploaded_by=actor
    )
    attachment.file.save(f"{digest[:32]}{EXTENSIONS[kind]}", ContentFile(data), save=False)
    attachment.save(force_insert=True)
    after = {"name": name, "content_type": kind, "size": len(data), "sha256": digest}
    record_event(actor=actor, action="checkins.add_attachment", target=checkin, after=after)
    return attachment
