"""manage.py draw_sample and verify_draw."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from qijian.audit.models import AuditEvent
from qijian.sampling.models import Draw
from tests.sampling.factories import Setup, drawn, setup_draws


@pytest.fixture
def setup(county, monkeypatch) -> Setup:  # type: ignore[no-untyped-def]
    return setup_draws(county, monkeypatch)


def test_draw_sample_prepares_commits_draws_and_publishes(setup: Setup) -> None:
    out = StringIO()
    call_command(
        "draw_sample", str(setup.entry.pk), "--by", setup.coordinator.username, "--count", "5", "--publish", stdout=out
    )
    draw = Draw.objects.get()
    assert draw.status == "published" and draw.seed in out.getvalue() and draw.results.count() == 5


def test_draw_sample_refusal_is_a_command_error(setup: Setup) -> None:
    with pytest.raises(CommandError, match="双随机牵头"):
        call_command("draw_sample", str(setup.entry.pk), "--by", setup.county.user("office").username)
    assert not Draw.objects.exists()


def test_verify_draw_replays_byte_for_byte(setup: Setup) -> None:
    draw = drawn(setup)
    out = StringIO()
    call_command("verify_draw", str(draw.pk), stdout=out)
    assert "复算一致" in out.getvalue() and draw.result_hash in out.getvalue()


def test_verify_draw_with_a_wrong_seed_says_so_and_writes_nothing(setup: Setup) -> None:
    draw = drawn(setup)
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="种子哈希不符"):
        call_command("verify_draw", str(draw.pk), "--seed", "ab" * 32)
    assert AuditEvent.objects.count() == before


@pytest.mark.tampered
def test_verify_draw_reports_a_mismatch(setup: Setup) -> None:
    draw = drawn(setup)
    Draw.objects.filter(pk=draw.pk).update(result_hash="0" * 64)
    draw.refresh_from_db()
    out = StringIO()
    with pytest.raises(CommandError, match="复算不一致"):
        call_command("verify_draw", str(draw.pk), stdout=out)
    assert "复算结果的哈希与抽取时记录的结果哈希不一致" in out.getvalue()
