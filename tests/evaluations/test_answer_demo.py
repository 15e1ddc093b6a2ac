"""The demo answers: most follow-ups answered, one problem clue, some recorded on the phone; idempotent."""

from __future__ import annotations

from qijian.core.testing import County
from qijian.evaluations import demo_answers
from qijian.evaluations.choices import ResponseChannel
from qijian.evaluations.models import Answer, Response
from tests.evaluations import answer_factories as f


def test_the_demo_answers_most_follow_ups_with_one_clue_and_a_second_run_adds_nothing(county: County) -> None:
    follow_ups = [f.follow_up(county, of=f.enterprise(county, f"沧县演示{n}公司")) for n in range(10)]
    demo_answers.load_demo()
    assert Response.objects.count() == 8
    assert Response.objects.filter(channel=ResponseChannel.FOLLOW_UP).exists()
    clue = Answer.objects.filter(question__code="improper_requests", choices=["是"])
    assert clue.count() == 1 and "指定公司" in clue.get().text
    demo_answers.load_demo()
    assert Response.objects.count() == 8
    assert not Response.objects.filter(follow_up=follow_ups[4]).exists()
