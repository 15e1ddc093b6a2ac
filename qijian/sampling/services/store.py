"""Storing a draw's results: one DrawResult per visit and one TeamMember per seat.

On PostgreSQL the ids come from the table's sequence in one query and both tables are filled by a
binary COPY built with numpy (50,000 visits with 100,000 seats in a fraction of a second); elsewhere
by bulk_create. The unique (inspector, visit_on) constraint makes the database itself refuse a double
booking. The result tables' foreign keys carry no database constraint (``db_constraint=False``):
checking 300,000 deferred keys at commit took seconds, and every id written was read from those
tables in the same transaction by the service itself (docs/sampling.md).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import connection

from qijian.sampling.draw import GRADES, DrawOutput
from qijian.sampling.models import Draw, DrawResult, TeamMember


def store_results(draw: Draw, output: DrawOutput) -> None:
    if connection.vendor == "postgresql":
        _copy(draw, output)
    else:
        _bulk(draw, output)


def _rows(output: DrawOutput) -> list[tuple[int, str, dt.date, list[int]]]:
    days = {d: dt.date.fromordinal(d) for d in set(output.days.tolist())}
    return [
        (e, GRADES[g], days[d], team)
        for e, g, d, team in zip(
            output.enterprises.tolist(),
            output.grades.tolist(),
            output.days.tolist(),
            output.teams.tolist(),
            strict=True,
        )
    ]


def _bulk(draw: Draw, output: DrawOutput) -> None:
    rows = _rows(output)
    results = DrawResult.objects.bulk_create(
        DrawResult(draw=draw, position=n, enterprise_id=e, grade=g, visit_on=day)
        for n, (e, g, day, _) in enumerate(rows, start=1)
    )
    TeamMember.objects.bulk_create(
        TeamMember(result=result, inspector_id=person, seat=seat, visit_on=row[2])
        for result, row in zip(results, rows, strict=True)
        for seat, person in enumerate(row[3], start=1)
    )


_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
_TRAILER = b"\xff\xff"
_PG_EPOCH = dt.date(2000, 1, 1).toordinal()
_RESULT_ROW = np.dtype(
    [
        ("n", ">i2"),
        ("l1", ">i4"),
        ("id", ">i8"),
        ("l2", ">i4"),
        ("draw", ">i8"),
        ("l3", ">i4"),
        ("position", ">i4"),
        ("l4", ">i4"),
        ("enterprise", ">i8"),
        ("l5", ">i4"),
        ("grade", "S1"),
        ("l6", ">i4"),
        ("day", ">i4"),
    ]
)
_MEMBER_ROW = np.dtype(
    [
        ("n", ">i2"),
        ("l1", ">i4"),
        ("result", ">i8"),
        ("l2", ">i4"),
        ("inspector", ">i8"),
        ("l3", ">i4"),
        ("seat", ">i2"),
        ("l4", ">i4"),
        ("day", ">i4"),
    ]
)


def _fill(rows: np.ndarray, values: dict[str, object]) -> bytes:
    """Binary COPY rows: the field count, then each field's byte length and big-endian value."""
    names = [n for n in rows.dtype.names or () if n != "n" and not n.startswith("l")]
    rows["n"] = len(names)
    for k, name in enumerate(names, start=1):
        rows[f"l{k}"] = rows.dtype[name].itemsize
        rows[name] = values[name]
    return _HEADER + rows.tobytes() + _TRAILER


def _copy(draw: Draw, output: DrawOutput) -> None:
    """Ids from the sequence in one query; both tables by binary COPY built with numpy (no per-row Python)."""
    n, width = len(output), output.teams.shape[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [DrawResult._meta.db_table, n],
        )
        ids = np.asarray([r[0] for r in cursor.fetchall()], dtype=np.int64)
        days = output.days - _PG_EPOCH
        grades = np.frombuffer(b"ABC", dtype="S1")[output.grades]
        results = _fill(
            np.zeros(n, dtype=_RESULT_ROW),
            {
                "id": ids,
                "draw": draw.pk,
                "position": np.arange(1, n + 1),
                "enterprise": output.enterprises,
                "grade": grades,
                "day": days,
            },
        )
        members = _fill(
            np.zeros(n * width, dtype=_MEMBER_ROW),
            {
                "result": np.repeat(ids, width),
                "inspector": output.teams.ravel(),
                "day": np.repeat(days, width),
                "seat": np.tile(np.arange(1, width + 1), n),
            },
        )
        raw = cursor.cursor
        result_table, member_table = DrawResult._meta.db_table, TeamMember._meta.db_table
        columns = "(id, draw_id, position, enterprise_id, grade, visit_on)"
        # psycopg's own errors from the raw cursor become Django's (IntegrityError on a double booking)
        with connection.wrap_database_errors:
            with raw.copy(f"COPY {result_table} {columns} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(results)
            with raw.copy(
                f"COPY {member_table} (result_id, inspector_id, seat, visit_on) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.write(members)
