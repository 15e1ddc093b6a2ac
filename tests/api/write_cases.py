"""Valid requests for the API's write operations, each with the role that may send it and the state it needs.

tests/api/test_schemathesis.py sends each write once with a body that must be accepted (then fuzzes
it). A case builds what its operation needs in the (fresh) test database and returns the path id
(or None) and the body. Dates follow the policy file through the same helpers as the app tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from qijian.accounts.choices import Role
from qijian.core import calendar
from qijian.core.codes.uscc import make_uscc
from qijian.core.testing import TEST_PASSWORD, County
from qijian.oversight import rules
from qijian.oversight.services import raise_alert
from tests.access_rules.grading import make_grade_entry
from tests.evaluations import api_cases_complaints, api_cases_followups, api_cases_questionnaires, api_cases_referrals
from tests.inspections.conftest import at, build_setup
from tests.joint import api_cases as joint
from tests.plans import factories as plans
from tests.sampling import api_cases as sampling

Build = Callable[[County, pytest.MonkeyPatch], tuple[int | None, dict[str, Any]]]


@dataclass(frozen=True)
class Write:
    role: str | None  # None: no token (password sign-in)
    build: Build


def _none(body: dict[str, Any]) -> Build:
    return lambda county, mp: (None, body)


def _conflict(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return None, {
        "inspector": county.inspector.pk,
        "enterprise": county.other_enterprise.pk,
        "reason": "曾任该企业顾问",
        "declared_on": "2026-02-01",
    }


def _enterprise(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return None, {
        "uscc": make_uscc("91130921", "MA0TEC01"),
        "name": "沧县丁公司",
        "type": "company",
        "industry": county.industry.pk,
        "township": county.township.pk,
        "address": "沧县旧州镇",
        "legal_representative": "孙七",
    }


def _token(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return None, {"username": county.user(Role.INSPECTOR).username, "password": TEST_PASSWORD}


def _catalog_item(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    from qijian.catalog.services import create_version

    version = create_version(actor=county.user(Role.DEPT_ADMIN), department=county.dept)
    body = {"version": version.pk, "code": "YJ-009", "name": "消防安全检查", "law": "《消防法》", "mode": "targeted"}
    return None, body


def _draft(county: County, mp: pytest.MonkeyPatch) -> Any:
    plans.freeze(mp, calendar.plan_window(plans.QUARTER).opens)
    return plans.draft_plan(county, plans.approved_catalog(county.dept))


def _submitted(county: County, mp: pytest.MonkeyPatch) -> Any:
    return plans.submitted_plan(county, plans.approved_catalog(county.dept), mp)


def _plan_create(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    plans.approved_catalog(county.dept)
    return None, {"kind": "quarterly", "department": county.dept.pk, "year": 2027, "quarter": 2}


def _entry_create(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    plan = _draft(county, mp)
    item = plan.entries.first().item
    start = plans.QUARTER.start
    body = {
        "plan": plan.pk,
        "item": item.pk,
        "window_start": start.isoformat(),
        "window_end": (start + dt.timedelta(days=20)).isoformat(),
        "expected_count": 2,
        "targets": [county.enterprise.pk],
    }
    return None, body


def _entry(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return plans.first_entry(_draft(county, mp)).pk, {"expected_count": 5}


def _completion(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    plan = plans.approved_plan(county, plans.approved_catalog(county.dept), mp)
    plans.freeze(mp, calendar.plan_window(plans.QUARTER.next()).opens)
    counts = dict.fromkeys(
        ("joint_count", "remote_count", "problem_count", "no_penalty_count", "reduced_penalty_count"), 0
    )
    body = {"completion": "done", "actual_count": 3, "no_coercion_count": 0, **counts}
    return plans.first_entry(plan).pk, body


def _submit(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _draft(county, mp).pk, {}


def _review(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _submitted(county, mp).pk, {"passed": True, "comment": "符合要求"}


def _approve(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    from qijian.plans import services

    plan = _submitted(county, mp)
    services.review_plan(actor=county.user(Role.RANDOM_COORDINATOR), plan=plan, passed=True)
    services.review_plan(actor=county.user(Role.SUPERVISOR), plan=plan, passed=True)
    return plan.pk, {"decision": plans.decision(county).pk}


def _return(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _submitted(county, mp).pk, {"comment": "请补充检查对象"}


def _extension(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    plan = _draft(county, mp)
    until = calendar.plan_window(plans.QUARTER).closes + dt.timedelta(days=5)
    return plan.pk, {"until": until.isoformat(), "reason": "系统故障未能按时报送"}


def _work_report(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    reported = plans.QUARTER.previous()
    plans.freeze(mp, calendar.plan_window(plans.QUARTER).opens)
    return None, {"year": reported.year, "quarter": reported.number, "text": "本季度检查工作情况……"}


def _filing_body(county: County) -> tuple[Any, dict[str, Any]]:
    setup = build_setup(county)
    body = {
        "enterprises": [county.enterprise.uscc],
        "inspectors": [i.certificate_no for i in setup.pair],
        "window_end": at(2, 17).isoformat(),
    }
    return setup, body


def _planned(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    setup, body = _filing_body(county)
    return None, body | {"entry": setup.entry.pk, "window_start": at(2, 9).isoformat()}


def _urgent(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    setup, body = _filing_body(county)
    return None, body | {"item": setup.item.pk, "reason": "complaint", "reason_detail": "12345热线投诉"}


def _filing(county: County) -> Any:
    from qijian.inspections import services

    setup, _ = _filing_body(county)
    return services.file_planned(
        actor=setup.admin,
        entry=setup.entry,
        enterprises=[county.enterprise.uscc],
        inspectors=setup.pair,
        window_start=at(2, 9),
        window_end=at(2, 17),
    )


def _amend(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _filing(county).pk, {"window_end": at(2, 18).isoformat(), "reason": "延长检查时间"}


def _cancel(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _filing(county).pk, {"reason": "企业停产"}


def _alert(county: County, mp: pytest.MonkeyPatch) -> Any:
    finding = rules.too_many_acceptance_visits(visits=2, maximum=1)
    assert finding is not None
    return raise_alert(finding=finding, key="R08:api-test", department=county.dept)


def _acknowledge(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _alert(county, mp).pk, {}


def _resolve(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _alert(county, mp).pk, {"comment": "已约谈整改"}


def _checkin(county: County) -> Any:
    """An unfiled check-in of the first inspector (stored, with its R01 alert: nothing refuses it)."""
    from qijian.checkins.services import record_checkin

    row, _ = record_checkin(actor=county.user(Role.INSPECTOR), idempotency_key="api-case", enterprise=county.enterprise)
    return row


def _checkin_create(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return None, {"idempotency_key": "api-create", "enterprise": county.enterprise.pk, "source": "typed"}


def _checkin_batch(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    item = {"idempotency_key": "api-queued", "enterprise": county.enterprise.pk, "source": "offline"}
    return None, {"items": [item | {"client_time": "2026-01-05T09:00:00+08:00"}]}


def _checkout(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    return _checkin(county).pk, {"result": "no_problem", "note": "未发现问题"}


def _attachment(county: County, mp: pytest.MonkeyPatch) -> tuple[int | None, dict[str, Any]]:
    import base64

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32).decode()
    return _checkin(county).pk, {"name": "现场照片.png", "content_base64": png}


WRITES: dict[tuple[str, str], Write] = {
    ("POST", "/api/v1/auth/token/"): Write(None, _token),
    ("POST", "/api/v1/conflicts/"): Write(Role.SYSADMIN, _conflict),
    ("POST", "/api/v1/enterprises/"): Write(Role.SYSADMIN, _enterprise),
    ("POST", "/api/v1/catalog-versions/"): Write(Role.DEPT_ADMIN, _none({})),
    ("POST", "/api/v1/catalog-items/"): Write(Role.DEPT_ADMIN, _catalog_item),
    ("POST", "/api/v1/plans/"): Write(Role.DEPT_ADMIN, _plan_create),
    ("POST", "/api/v1/plans/{id}/submit/"): Write(Role.DEPT_ADMIN, _submit),
    ("POST", "/api/v1/plans/{id}/review/"): Write(Role.SUPERVISOR, _review),
    ("POST", "/api/v1/plans/{id}/approve/"): Write(Role.OFFICE, _approve),
    ("POST", "/api/v1/plans/{id}/return/"): Write(Role.OFFICE, _return),
    ("POST", "/api/v1/plans/{id}/extension/"): Write(Role.OFFICE, _extension),
    ("POST", "/api/v1/plan-entries/"): Write(Role.DEPT_ADMIN, _entry_create),
    ("PATCH", "/api/v1/plan-entries/{id}/"): Write(Role.DEPT_ADMIN, _entry),
    ("DELETE", "/api/v1/plan-entries/{id}/"): Write(Role.DEPT_ADMIN, lambda c, mp: (_entry(c, mp)[0], {})),
    ("POST", "/api/v1/plan-entries/{id}/completion/"): Write(Role.DEPT_ADMIN, _completion),
    ("POST", "/api/v1/work-reports/"): Write(Role.DEPT_ADMIN, _work_report),
    ("POST", "/api/v1/filings/planned/"): Write(Role.DEPT_ADMIN, _planned),
    ("POST", "/api/v1/filings/urgent/"): Write(Role.DEPT_ADMIN, _urgent),
    ("POST", "/api/v1/filings/{id}/amend/"): Write(Role.DEPT_ADMIN, _amend),
    ("POST", "/api/v1/filings/{id}/cancel/"): Write(Role.DEPT_ADMIN, _cancel),
    ("POST", "/api/v1/alerts/{id}/acknowledge/"): Write(Role.OFFICE, _acknowledge),
    ("POST", "/api/v1/alerts/{id}/resolve/"): Write(Role.OFFICE, _resolve),
    ("POST", "/api/v1/checkins/"): Write(Role.INSPECTOR, _checkin_create),
    ("POST", "/api/v1/checkins/batch/"): Write(Role.INSPECTOR, _checkin_batch),
    ("POST", "/api/v1/checkins/{id}/checkout/"): Write(Role.INSPECTOR, _checkout),
    ("POST", "/api/v1/checkins/{id}/attachments/"): Write(Role.INSPECTOR, _attachment),
    ("POST", "/api/v1/draws/"): Write(Role.RANDOM_COORDINATOR, sampling.prepare_case),
    ("POST", "/api/v1/draws/{id}/commit/"): Write(Role.RANDOM_COORDINATOR, sampling.commit_case),
    ("POST", "/api/v1/draws/{id}/discard/"): Write(Role.RANDOM_COORDINATOR, sampling.commit_case),
    ("POST", "/api/v1/draws/{id}/draw/"): Write(Role.RANDOM_COORDINATOR, sampling.draw_case),
    ("POST", "/api/v1/draws/{id}/publish/"): Write(Role.RANDOM_COORDINATOR, sampling.publish_case),
    ("POST", "/api/v1/joint-runs/"): Write(Role.OFFICE, joint.run_case),
    ("POST", "/api/v1/joint-proposals/{id}/answer/"): Write(Role.DEPT_ADMIN, joint.answer_case),
    ("POST", "/api/v1/joint-proposals/{id}/file/"): Write(Role.DEPT_ADMIN, joint.file_case),
}
_EVALUATION_CASES = (api_cases_followups, api_cases_questionnaires, api_cases_complaints, api_cases_referrals)
for _cases in _EVALUATION_CASES:
    WRITES |= _cases.WRITES


def populate(county: County, mp: pytest.MonkeyPatch) -> dict[str, int]:
    """One object of every resource (so lists have rows and retrieves find something): resource → id."""
    from qijian.audit.models import AuditEvent
    from qijian.org.services import declare_conflict
    from qijian.plans.models import WorkReport

    conflict = declare_conflict(
        actor=None,
        inspector=county.inspector,
        enterprise=county.other_enterprise,
        reason="亲属",
        declared_on="2026-01-05",
    )
    filing = _filing(county)
    alert = _alert(county, mp)
    decision = plans.decision(county)
    report = WorkReport.objects.create(
        department=county.dept,
        year=2026,
        quarter=3,
        text="工作情况",
        submitted_at=at(0),
        submitted_by=county.user(Role.DEPT_ADMIN),
    )
    entry = filing.plan_entry
    first_event = AuditEvent.objects.order_by("seq").values_list("pk", flat=True).first()
    assert first_event is not None and entry is not None
    return (
        {
            "regions": county.township.pk,
            "industries": county.industry.pk,
            "departments": county.dept.pk,
            "inspectors": county.inspector.pk,
            "enterprises": county.enterprise.pk,
            "users": county.user(Role.DEPT_ADMIN).pk,
            "conflicts": conflict.pk,
            "audit-events": first_event,
            "filings": filing.pk,
            "alerts": alert.pk,
            "meetings": decision.meeting_id,
            "decisions": decision.pk,
            "work-reports": report.pk,
            "plans": entry.plan_id,
            "plan-entries": entry.pk,
            "catalog-versions": entry.item.version_id,
            "catalog-items": entry.item_id,
            "checkins": _checkin(county).pk,
            "draws": sampling.sample_draw(county, mp).pk,
            "grade-entries": make_grade_entry(county).pk,
        }
        | _joint(county)
        | _evaluations(county, mp)
    )


def _evaluations(county: County, mp: pytest.MonkeyPatch) -> dict[str, int]:
    known: dict[str, int] = {}
    for cases in _EVALUATION_CASES:
        known |= cases.populate(county, mp)
    return known


def _joint(county: County) -> dict[str, int]:
    from tests.access_rules.joint import populate as populate_joint

    populate_joint(county)
    return {
        "joint-proposals": county.joint_proposal.pk,  # type: ignore[attr-defined]
        "joint-runs": county.joint_run.pk,  # type: ignore[attr-defined]
        "joint-unplanned": county.joint_unplanned.pk,  # type: ignore[attr-defined]
    }
