import datetime as dt
import logging
import os
import time

from gunicorn.config import Config

from qijian.core.logging import UTCGunicornLogger


def _in_shanghai_time() -> None:
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()


def test_gunicorn_access_log_time_is_utc_even_when_local_time_is_not() -> None:
    saved = os.environ.get("TZ")
    _in_shanghai_time()
    try:
        stamp = UTCGunicornLogger(Config()).now()
    finally:
        os.environ.pop("TZ", None) if saved is None else os.environ.__setitem__("TZ", saved)
        time.tzset()
    parsed = dt.datetime.strptime(stamp, "[%d/%b/%Y:%H:%M:%S %z]")
    assert parsed.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.UTC) - parsed).total_seconds()) < 60


def test_gunicorn_error_log_formats_times_in_utc() -> None:
    logger = UTCGunicornLogger(Config())
    handler = next(h for h in logger.error_log.handlers if getattr(h, "_gunicorn", False))
    record = logging.LogRecord("gunicorn.error", logging.INFO, __file__, 1, "x", None, None)
    record.created = 0.0
    assert handler.format(record).startswith("[1970-01-01T00:00:00Z]")
