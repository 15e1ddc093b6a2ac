"""``manage.py apply_grade_lists``: put in force the approved grade lists whose effective date has come."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qijian.grading.services import apply_due_lists


class Command(BaseCommand):
    help = "使已审定且已到生效日期的企业分级分类监管清单生效(每日任务也会执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        lines = apply_due_lists(actor=None)
        for line in lines:
            self.stdout.write(line)
        if not lines:
            self.stdout.write("没有待生效的清单。")
