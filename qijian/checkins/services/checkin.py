"""Check-in services: recording check-ins, one by one or a replayed batch, idempotently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from qijian.accounts.choices import Role
from qijian.audit.services import locked_head_query, record_event
from qijian.catalog.choices import InspectionMethod
from qijian.checkins.choices import CheckInSource
from qijian.checkins.models import CheckIn
from qijian.checkins.services.base import (
    SPAN_MARGIN,
    CheckInError,
    _companion_label,
    _load_people,
    _now,
    _pick_companions,
    _require_certified,
    enterprise_reference,
    local_day,
    resolve_enterprise,
    scanning_inspector,
)
from qijian.checkins.services.matching import (
    Match,
    _accuracy,
    _aware,
    _check_on_site_people,
    _coordinate,
    _key,
    _moments,
    _source,
    department_filings,
    enterprise_and_filings,
    match_filing,
)
from qijian.core import rawsql
from qijian.enterprises.models import Enterprise
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from qijian.oversight import rules

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
    # No key lookup up front (the common case is a new key): a known key fails the insert on the unique
    # index and _store returns the stored row; a replay the checks would now refuse is found on refusal.
    try:
        return _Batch.start(actor, [item], look_up_keys=False).record(item)
    except CheckInError:
        stored = existing_checkin(actor=actor, idempotency_key=str(idempotency_key or "").strip())
        if stored is None:
            raise
        return stored, False


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
    wanted: list[int | str] = field(default_factory=list)  # every companion the batch names
    scanner: Inspector | None = None
    people: dict[int | str, Inspector] = field(default_factory=dict)
    filings: dict[int, list[Filing]] = field(default_factory=dict)

    @classmethod
    def start(cls, actor: Any, items: Sequence[dict[str, Any]], *, look_up_keys: bool = True) -> _Batch:
        keys = [k for i in items if (k := str(i.get("idempotency_key") or "").strip())] if look_up_keys else []
        known = {c.idempotency_key: c for c in CheckIn.objects.filter(idempotency_key__in=keys)} if keys else {}
        now = _now()
        times = [t for i in items if isinstance(t := i.get("client_time"), dt.datetime) and t.tzinfo and t <= now]
        wanted = [_companion_label(v) for i in items for v in (i.get("companions") or ())]
        return cls(actor, known, min([now, *times]), now + SPAN_MARGIN, wanted)

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
        """The scanner, read fresh with every companion of the batch in one query (first new item only)."""
        if self.scanner is None:
            own = getattr(self.actor, "inspector_id", None)
            if getattr(self.actor, "role", None) == Role.INSPECTOR and own:
                self.people |= _load_people([int(own), *self.wanted])
            self.scanner = scanning_inspector(self.actor, self.people)
        return self.scanner

    def _companions(self, values: Iterable[Any], scanner: Inspector, day: dt.date) -> list[Inspector]:
        labels = [_companion_label(v) for v in values]
        missing = [v for v in labels if v not in self.people]
        if missing:
            self.people |= _load_people(missing)
        return _pick_companions(labels, self.people, scanner, day)

    def _target(self, value: Any, inspector: Inspector, now: dt.datetime) -> tuple[Enterprise, list[Filing]]:
        """The scanned enterprise and the filings it may match; the first time, in one query."""
        found = enterprise_reference(value, now)
        if isinstance(found, Enterprise):
            return found, self._candidates(inspector, found.pk)
        pk, missing = found
        if pk in self.filings:
            return resolve_enterprise(pk, now), self.filings[pk]
        both = enterprise_and_filings(inspector, pk, self.lo, self.hi)
        if both is None:
            raise CheckInError(missing)
        self.filings[pk] = both[1]
        return both

    def _candidates(self, inspector: Inspector, enterprise_id: int) -> list[Filing]:
        if enterprise_id not in self.filings:
            self.filings[enterprise_id] = department_filings(inspector, enterprise_id, self.lo, self.hi)
        return self.filings[enterprise_id]

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
        target, candidates = self._target(enterprise, inspector, now)
        match = match_filing(candidates, moments)
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


def _store(actor: Any, draft: Draft, people: Sequence[Inspector]) -> tuple[CheckIn, bool]:
    """Insert the check-in, its companions and its audit event in one transaction (a savepoint when the
    caller has one open). A concurrent duplicate that committed first makes the insert fail on the unique
    key: everything of this attempt is rolled back and the winner's row is the record."""
    try:
        row = _insert(actor, draft, people)
    except IntegrityError:
        winner = CheckIn.objects.filter(idempotency_key=draft.row.idempotency_key).order_by().first()
        if winner is None:  # not a duplicate key: a real fault
            raise
        return winner, False
    _preload(row, people)  # after the commit: the audit chain's lock is not held for it
    return row, True


@transaction.atomic
def _insert(actor: Any, draft: Draft, people: Sequence[Inspector]) -> CheckIn:
    # Hand-written: the ORM's inserts cost more to build than to run (one statement on PostgreSQL).
    # On PostgreSQL the audit chain's lock is taken and its head read in the insert's statement; the lock
    # is held until the commit, so what can be done before is: the event's content. For a filed check-in
    # the event is the last statement (an unfiled one raises its R01 alert after it, audited in turn).
    summary = checkin_summary(draft.row, people)
    through, ids = CheckIn.companions.through, [p.pk for p in people]
    row, head = rawsql.insert_linked(draft.row, through, ("checkin", "inspector"), ids, also=locked_head_query())
    record_event(actor=actor, action="checkins.record_checkin", target=row, after=summary, head=head)
    if row.unfiled:
        _raise_unfiled(actor, draft)
    return row


def _preload(row: CheckIn, people: Sequence[Inspector]) -> None:
    """Fill the new row's relation caches as ``prefetch_related`` would (companions by certificate number,
    no attachments yet), so that serialising it costs no query. Django's private attributes, set as
    ``prefetch_related_objects`` sets them; tests/checkins/test_api.py holds the 201 body equal to a
    fresh read of the row."""
    companions, attachments = row.companions.get_queryset(), row.attachments.get_queryset()  # lazy: no query
    companions._result_cache = sorted(people, key=lambda p: p.certificate_no)
    attachments._result_cache = []
    companions._prefetch_done = attachments._prefetch_done = True  # type: ignore[attr-defined]
    row._prefetched_objects_cache = {"companions": companions, "attachments": attachments}  # type: ignore[attr-defined]


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
