"""Filing mail through a real SMTP server (aiosmtpd on 127.0.0.1): the office mailbox receives every
filing after commit and the filing records the send; a superior inspection's township is told too."""

from __future__ import annotations

from typing import Any

import pytest

from qijian.inspections import services
from qijian.inspections.models import Filing
from qijian.org.models import Region
from tests.inspections.conftest import Setup, at
from tests.smtp import Inbox

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
TOWNSHIP_MAILBOX = "jiuzhou@cangxian.example.cn"


@pytest.mark.django_db(transaction=True)
def test_office_mailbox_receives_the_filing_and_the_filing_records_it(setup: Setup, smtp: Inbox, settings: Any) -> None:
    filing = services.file_planned(
        actor=setup.admin,
        entry=setup.entry,
        enterprises=[setup.county.enterprise],
        inspectors=setup.pair,
        window_start=at(1, 9),
        window_end=at(1, 17),
    )
    mails = smtp.to(settings.QJ_OFFICE_MAILBOX)
    assert len(mails) == 1
    mail = mails[0]
    assert mail.subject.startswith("[企检报备]") and filing.number in mail.subject
    for fact in (filing.number, setup.county.enterprise.uscc, setup.colleague.certificate_no, "县应急管理局"):
        assert fact in mail.body
    filing.refresh_from_db()
    assert filing.office_notified_at is not None


@pytest.mark.django_db(transaction=True)
def test_cancellation_mail_reaches_the_office(setup: Setup, smtp: Inbox, settings: Any) -> None:
    filing = services.file_planned(
        actor=setup.admin,
        entry=setup.entry,
        enterprises=[setup.county.enterprise],
        inspectors=setup.pair,
        window_start=at(1, 9),
        window_end=at(1, 17),
    )
    services.cancel_filing(actor=setup.admin, filing=filing, reason="企业停产检修")
    subjects = [m.subject for m in smtp.to(settings.QJ_OFFICE_MAILBOX)]
    assert len(subjects) == 2 and "撤销" in subjects[1] and filing.number in subjects[1]


@pytest.mark.django_db(transaction=True)
def test_township_is_told_of_a_superior_inspection(setup: Setup, smtp: Inbox) -> None:
    Region.objects.filter(pk=setup.county.township.pk).update(notice_email=TOWNSHIP_MAILBOX)
    filing = services.file_superior_inspection(
        actor=setup.admin,
        superior_department=setup.province,
        item=setup.item,
        enterprises=[setup.county.enterprise, setup.county.other_enterprise],
        inspectors=setup.pair,
        window_start=at(3, 9),
        window_end=at(3, 17),
    )
    notices = smtp.to(TOWNSHIP_MAILBOX)
    assert len(notices) == 1
    assert filing.number in notices[0].subject and "河北省应急管理厅" in notices[0].body
    assert setup.county.enterprise.uscc in notices[0].body
    assert setup.county.other_enterprise.uscc not in notices[0].body  # another township's enterprise
    filing.refresh_from_db()
    assert filing.township_notified_at is not None and filing.office_notified_at is not None


def test_no_mail_leaves_before_commit(setup: Setup, settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    from django.core import mail

    filing = services.file_planned(
        actor=setup.admin,
        entry=setup.entry,
        enterprises=[setup.county.enterprise],
        inspectors=setup.pair,
        window_start=at(1, 9),
        window_end=at(1, 17),
    )
    assert mail.outbox == [] and Filing.objects.get(pk=filing.pk).office_notified_at is None
