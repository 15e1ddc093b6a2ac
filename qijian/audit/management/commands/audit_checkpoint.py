"""``manage.py audit_checkpoint``: sign the current chain head now (does nothing if already signed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qijian.audit.choices import CheckpointKind
from qijian.audit.services import write_checkpoint


class Command(BaseCommand):
    help = "立即为审计链头写入一个 HMAC-SM3 签名检查点"

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = write_checkpoint(actor=None, kind=CheckpointKind.MANUAL)
        if checkpoint is None:
            self.stdout.write("链头已有检查点(或尚无审计事件),未写入新检查点。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已写入检查点: 截至序号 {checkpoint.up_to_seq},链头哈希 {checkpoint.head_hash},"
                f"密钥编号 {checkpoint.key_id}。"
            )
        )
