from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.core.calendar import Quarter
from qijian.joint import services
from qijian.joint.forms import next_quarter


class Command(BaseCommand):
    help = "运行“综合查一次”联合检查规划:汇总一个季度的全部检查任务,合并为联合入企建议,交各部门确认"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", default="", help="规划季度,如 2027Q1(默认:下一季度)")
        parser.add_argument("--by", default="", help="联席会议办公室账号(用户名;默认:第一个在用的办公室账号)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            quarter = Quarter.parse(options["quarter"]) if options["quarter"] else next_quarter()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            run = services.run_planner(actor=self._actor(options["by"]), quarter=quarter)
        except services.JointError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{quarter.label}:检查任务 {run.task_count} 项,已规划 {run.tasks_planned} 项")
        self.stdout.write(f"联合入企 {run.visit_count} 次,理论最少(下界){run.lower_bound} 次")
        self.stdout.write(f"无法规划 {run.unplannable_count} 项(见 /joint/unplanned/)")
        self.stdout.write(self.style.SUCCESS(f"减少入企 {run.visits_saved} 次(算法 {run.algorithm_version})"))

    def _actor(self, username: str) -> User:
        users = User.objects.filter(is_active=True, role=Role.OFFICE)
        actor = users.filter(username=username).first() if username else users.order_by("id").first()
        if actor is None:
            raise CommandError(f"联席会议办公室账号 {username or ''} 不存在或已停用")
        return actor
