from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.sampling import services
from qijian.sampling.choices import DrawStatus
from qijian.sampling.models import Draw


class Command(BaseCommand):
    help = "复算双随机抽取:用保存的抽取池快照和种子重新抽取,逐字节比对结果(只读,不写任何数据)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw_ids", nargs="*", type=int, help="抽取编号;不填并加 --all 则复算全部")
        parser.add_argument("--all", action="store_true", help="复算所有已执行的抽取")
        parser.add_argument("--seed", help="用此种子(十六进制)复算,而不是保存的种子")

    def handle(self, *args: Any, **options: Any) -> None:
        draws = Draw.objects.order_by("id")
        if options["all"]:
            draws = draws.filter(status__in=(DrawStatus.DRAWN, DrawStatus.PUBLISHED))
        elif options["draw_ids"]:
            draws = draws.filter(pk__in=options["draw_ids"])
            if draws.count() != len(set(options["draw_ids"])):
                raise CommandError("有抽取编号不存在")
        else:
            raise CommandError("请给出抽取编号,或使用 --all")
        failed = sum(not self._verify(draw, options["seed"]) for draw in draws)
        if failed:
            raise CommandError(f"{failed} 个抽取复算不一致")

    def _verify(self, draw: Draw, seed: str | None) -> bool:
        try:
            verdict = services.verify(draw, seed)
        except services.SamplingError as exc:
            raise CommandError(f"抽取 {draw.pk}:{exc}") from exc
        if verdict.ok:
            self.stdout.write(self.style.SUCCESS(f"抽取 {draw.pk} 复算一致:结果哈希 {verdict.replay_hash}"))
            return True
        self.stdout.write(self.style.ERROR(f"抽取 {draw.pk} 复算不一致:"))
        for problem in verdict.problems:
            self.stdout.write(f"  - {problem}")
        self.stdout.write(f"  复算 {verdict.replay_hash}\n  记录 {verdict.stored_hash}\n  数据 {verdict.rows_hash}")
        return False
