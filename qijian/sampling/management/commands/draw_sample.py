from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.accounts.models import User
from qijian.plans.models import PlanEntry
from qijian.sampling import services


class Command(BaseCommand):
    help = "为双随机计划条目随机抽取企业和执法人员:准备抽取池、公布种子哈希、执行抽取(可选公布结果)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entries", nargs="+", type=int, help="计划条目编号;多个即一业一查联合抽取")
        parser.add_argument("--by", required=True, help="执行抽取的双随机牵头部门账号(用户名)")
        parser.add_argument("--count", type=int, help="抽取户数(默认:计划条目的预计检查户次)")
        parser.add_argument("--ratio", help="基准抽查比例,如 0.05(与 --count 二选一)")
        parser.add_argument("--industry", default="", help="一业一查的行业代码(前缀)")
        parser.add_argument("--publish", action="store_true", help="抽取后立即公布结果")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["by"], is_active=True).first()
        if actor is None:
            raise CommandError(f"账号 {options['by']} 不存在或已停用")
        entries = list(PlanEntry.objects.select_related("plan", "item__version").filter(pk__in=options["entries"]))
        if len(entries) != len(set(options["entries"])):
            raise CommandError("有计划条目不存在")
        try:
            ratio = Decimal(options["ratio"]) if options["ratio"] else None
            draw = services.prepare_draw(
                actor=actor,
                entries=entries,
                count=options["count"],
                base_ratio=ratio,
                industry_prefix=options["industry"],
            )
            self.stdout.write(f"抽取 {draw.pk}:抽取池 {draw.pool_size} 户,快照哈希 {draw.pool_hash}")
            draw = services.commit_seed(actor=actor, draw=draw)
            self.stdout.write(f"种子哈希(SM3):{draw.seed_hash}")
            draw = services.execute_draw(actor=actor, draw=draw)
            if options["publish"]:
                draw = services.publish_results(actor=actor, draw=draw)
        except (services.SamplingError, InvalidOperation) as exc:
            raise CommandError(
                str(exc) if isinstance(exc, services.SamplingError) else "抽查比例不是有效的数值"
            ) from exc
        self.stdout.write(f"种子:{draw.seed}\n结果哈希:{draw.result_hash}")
        self.stdout.write(self.style.SUCCESS(f"已抽取 {sum(draw.quotas.values())} 户企业(A/B/C:{draw.quotas})"))
