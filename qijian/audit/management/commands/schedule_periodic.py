"""``manage.py schedule_periodic``: seed the self-rescheduling periodic tasks (safe to run at every start)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from qijian.audit.tasks import checkpoint_interval, ensure_scheduled, periodic_checkpoint_task
from qijian.grading.tasks import apply_due_lists_task
from qijian.oversight.tasks import sweep_deadlines_task


class Command(BaseCommand):
    help = "排入周期任务(审计检查点、截止期限巡检、分级分类清单生效检查);已排队的不会重复排入"

    def handle(self, *args: Any, **options: Any) -> None:
        if ensure_scheduled(periodic_checkpoint_task, delay=dt.timedelta(0)):
            minutes = int(checkpoint_interval().total_seconds() // 60)
            self.stdout.write(self.style.SUCCESS(f"已排入审计检查点任务(每 {minutes} 分钟一次)。"))
        else:
            self.stdout.write("审计检查点任务已在队列中(或任务后端不支持定时),未重复排入。")
        if ensure_scheduled(sweep_deadlines_task, delay=dt.timedelta(0)):
            self.stdout.write(self.style.SUCCESS("已排入截止期限巡检任务(每天一次)。"))
        else:
            self.stdout.write("截止期限巡检任务已在队列中(或任务后端不支持定时),未重复排入。")
        if ensure_scheduled(apply_due_lists_task, delay=dt.timedelta(0)):
            self.stdout.write(self.style.SUCCESS("已排入分级分类清单生效检查任务(每天一次)。"))
        else:
            self.stdout.write("分级分类清单生效检查任务已在队列中(或任务后端不支持定时),未重复排入。")
