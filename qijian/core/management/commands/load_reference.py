"""manage.py load_reference: GB/T 2260 regions and GB/T 4754-2017 industries (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qijian.core.demo import load_reference


class Command(BaseCommand):
    help = "载入参考数据:行政区划(GB/T 2260,含沧县乡镇及沧东经济开发区)和国民经济行业分类(GB/T 4754-2017)。可重复执行。"

    def handle(self, *args: Any, **options: Any) -> None:
        regions, industries = load_reference()
        self.stdout.write(self.style.SUCCESS(f"参考数据已就绪:新增行政区划 {regions} 个,新增行业 {industries} 个。"))
