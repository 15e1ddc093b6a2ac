"""The callbacks a sent mail may trigger (qijian/core/notify.py).

Sending itself is tested against a real SMTP server in tests/inspections/test_mail.py.
"""

from __future__ import annotations

import pytest

from qijian.core.notify import _call


@pytest.mark.parametrize("mark", ["os.system:ls", "qijian.core.notify.queue_mail:x", "builtins.print:x"])
def test_only_qijian_mark_functions_can_be_mail_callbacks(mark: str) -> None:
    with pytest.raises(ValueError, match="not a mail callback"):
        _call(mark)
