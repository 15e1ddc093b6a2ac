"""``manage.py verify_audit``: walk the whole chain in batches and name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from qijian.audit.keys import key_ring
from qijian.audit.queries import BATCH, checkpoint_dicts, iter_chain_rows
from qijian.audit.verify import Report, verify_chain


def describe(report: Report) -> str:
    if report.broken is not None:
        broken = report.broken
        return f"审计链断裂: 第一个断点在序号 {broken.seq}({broken.label}): {broken.detail}"
    if report.rows == 0:
        return f"审计链完整: 没有审计事件,{report.checkpoints} 个检查点签名有效。"
    return (
        f"审计链完整: 共 {report.rows} 条事件(序号 {report.first_seq} 至 {report.last_seq}),"
        f"{report.checkpoints} 个检查点签名有效,已签名至序号 {report.attested_to},"
        f"其后 {report.unattested} 条尚待下一个检查点签名。"
    )


class Command(BaseCommand):
    help = "校验审计链: 逐条重算 SM3 哈希,检查序号连续、前后衔接和检查点签名"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=BATCH, help="每批读取的事件数")

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoints = checkpoint_dicts()
        keys = key_ring({str(c["key_id"]) for c in checkpoints})
        rows = tqdm(iter_chain_rows(max(1, options["batch"])), unit="条", disable=options["verbosity"] < 2)
        report = verify_chain(rows, checkpoints, keys)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(describe(report)))
            return
        self.stderr.write(describe(report))
        raise SystemExit(1)
