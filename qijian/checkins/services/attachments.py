"""Check-in services: photos and files, with the policy's size and type limits."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from qijian.audit.services import record_event
from qijian.checkins.models import Attachment, CheckIn
from qijian.checkins.services.base import EXTENSIONS, MAGIC, NAME_TYPES, CheckInError
from qijian.checkins.services.checkout import _require_visitor
from qijian.policy.loader import figure

# --- attachments ---------------------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """The content type named by a file's first bytes (JPEG, PNG, PDF), or None."""
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def _read(upload: Any, limit: int) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data: bytes = upload.read(limit + 1)
    if len(data) > limit:
        raise CheckInError(f"附件不能超过{limit // (1024 * 1024)}MB。")
    if not data:
        raise CheckInError("附件为空文件。")
    return data


def _content_type(data: bytes, name: str) -> str:
    kind = sniff(data[:16])
    allowed = [str(t) for t in figure("attachments.types")]
    if kind is None or kind not in allowed:
        labels = "、".join(EXTENSIONS.get(t, t).lstrip(".").upper() for t in allowed)
        raise CheckInError(f"附件“{name}”的内容不是允许的类型(仅限 {labels});无法识别的文件不予接收。")
    claimed = NAME_TYPES.get(PurePath(name).suffix.lower())
    if claimed is not None and claimed != kind:
        raise CheckInError(f"附件“{name}”的扩展名与文件内容不符。")
    return kind


@transaction.atomic
def add_attachment(*, actor: Any, checkin: CheckIn, upload: Any) -> Attachment:
    """Store a photo or file with a check-in: size and type (sniffed from the content) from the policy file."""
    _require_visitor(actor, checkin)
    name = PurePath(str(getattr(upload, "name", "") or "附件")).name[:200] or "附件"
    data = _read(upload, int(figure("attachments.max_mb")) * 1024 * 1024)
    kind = _content_type(data, name)
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        checkin=checkin, name=name, content_type=kind, size=len(data), sha256=digest, uploaded_by=actor
    )
    attachment.file.save(f"{digest[:32]}{EXTENSIONS[kind]}", ContentFile(data), save=False)
    attachment.save(force_insert=True)
    after = {"name": name, "content_type": kind, "size": len(data), "sha256": digest}
    record_event(actor=actor, action="checkins.add_attachment", target=checkin, after=after)
    return attachment
