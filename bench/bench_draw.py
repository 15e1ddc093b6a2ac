"""Benchmark: a random draw over a 1,000,000-enterprise pool with 3,000 inspectors, 5 % stratified.

    scripts/pg.sh start                      # prints a DATABASE_URL
    DATABASE_URL=postgres://… uv run python bench/bench_draw.py --enterprises 1000000 --inspectors 3000

Works in its own database (``<name>_bench_draw``, dropped and created afresh): migrates it, creates a
county, a department with N inspectors, an approved annual random plan with one entry (window
2027-03-01 … 2027-06-30) and the enterprises (grades A/B/C ≈ 20/70/10 %) with one INSERT … SELECT.
Then, ``--repeat`` times, it times end to end through the services, as the coordinator's pages do:

  prepare  — load the pool from PostgreSQL (binary COPY into numpy), inspectors, conflicts, busy days;
             snapshot encode + SM3 hash; store the snapshot;
  commit   — make the seed, store its SM3 hash;
  draw     — decode the stored snapshot, check its hash, draw, store results (COPY) and team members;

and beside it, in the same run, the pure algorithm alone (``draw.draw`` on the loaded input) and a
bare ``numpy.random.Generator.choice`` of the same number out of the same pool size. The previous
draw is deleted before each repetition. Prints the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WINDOW = (dt.date(2027, 3, 1), dt.date(2027, 6, 30))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=3000)
    parser.add_argument("--ratio", default="0.05", help="base (grade B) sampling ratio")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="reuse the database of a previous run (skip building)")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the last run to FILE")
    return parser.parse_args()


def fresh_database(url: str, *, reuse: bool = False) -> str:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    target = f"{name.split('?')[0] or 'postgres'}_bench_draw"
    if reuse:
        return f"{base}/{target}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    return f"{base}/{target}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("QJ_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qijian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.disable(logging.WARNING)  # chinese-calendar warns once per 2027 day it cannot look up


def make_world(enterprises: int, inspectors: int) -> tuple[Any, Any]:
    """Reference rows through the ORM, the bulk rows with INSERT … SELECT; returns the plan entry."""
    from django.db import connection

    from qijian.accounts.models import User
    from qijian.catalog.models import CatalogItem, CatalogVersion
    from qijian.enterprises.models import Industry
    from qijian.org.models import Department, Region
    from qijian.plans.models import Plan, PlanEntry

    county = Region.objects.create(code="130921", name="沧县", level="county")
    town = Region.objects.create(code="130921100", name="旧州镇", level="township", parent=county)
    section = Industry.objects.create(code="C", name="制造业")
    industry = Industry.objects.create(code="C13", name="农副食品加工业", parent=section)
    dept = Department.objects.create(name="县市场监管局", code="130921-SCJGJ", region=county)
    user = User.objects.create_user(username="random", password=None, role="random_coordinator", department=dept)
    version = CatalogVersion.objects.create(
        department=dept, number=1, status="approved", effective_from=dt.date(2026, 1, 1)
    )
    item = CatalogItem.objects.create(
        version=version, code="SC-001", name="食品生产双随机抽查", law="《食品安全法》", mode="random"
    )
    item.industries.add(section)
    plan = Plan.objects.create(kind="annual_random", department=dept, year=2027, status="approved")
    entry = PlanEntry.objects.create(
        plan=plan,
        item=item,
        basis="《食品安全法》",
        mode="random",
        window_start=WINDOW[0],
        window_end=WINDOW[1],
        expected_count=50_000,
    )
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO enterprises_enterprise (uscc, uscc_status, name, type, industry_id, township_id, address,
                legal_representative, contact_name, contact_phone, status, grade, created_at, updated_at)
               SELECT '9113' || lpad(n::text, 14, '0'), 'valid', '企业' || n, 'company', %s, %s, '沧县', '张三', '', '',
                      CASE WHEN n %% 50 = 0 THEN 'closed' ELSE 'operating' END,
                      CASE WHEN (n::bigint * 7919) %% 10 < 2 THEN 'A'
                           WHEN (n::bigint * 7919) %% 10 < 9 THEN 'B' ELSE 'C' END,
                      now(), now()
               FROM generate_series(1, %s) AS n""",
            [industry.pk, town.pk, enterprises],
        )
        cur.execute(
            """INSERT INTO org_inspector (name, certificate_no, department_id, certificate_valid_from,
                certificate_valid_until, status, phone, created_at, updated_at)
               SELECT '执法人员' || n, '13092' || lpad(n::text, 8, '0'), %s, '2026-01-01', '2029-12-31', 'active', '',
                      now(), now()
               FROM generate_series(1, %s) AS n""",
            [dept.pk, inspectors],
        )
        cur.execute("ANALYZE")
    return entry, user


def one_run(entry: Any, user: Any, ratio: str) -> dict[str, float]:
    from decimal import Decimal

    from django.db import connection

    from qijian.sampling import services

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE sampling_teammember, sampling_drawresult, sampling_drawsnapshot, sampling_draw_entries,"
            " sampling_draw_departments, sampling_draw_townships, sampling_draw CASCADE"
        )
    times: dict[str, float] = {}
    started = time.perf_counter()
    draw = services.prepare_draw(actor=user, entries=[entry], base_ratio=Decimal(ratio))
    times["prepare"] = time.perf_counter() - started
    draw = services.commit_seed(actor=user, draw=draw)
    times["commit"] = time.perf_counter() - started - times["prepare"]
    mark = time.perf_counter()
    draw = services.execute_draw(actor=user, draw=draw)
    times["draw"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - started
    times["pool"], times["visits"] = draw.pool_size, sum(draw.quotas.values())
    times["draw_id"] = draw.pk
    return times


def pure_and_numpy(draw_id: int) -> tuple[float, float, int, int]:
    import numpy as np

    from qijian.sampling import services
    from qijian.sampling.draw import draw
    from qijian.sampling.models import Draw

    row = Draw.objects.get(pk=draw_id)
    data = services.stored_input(row)
    started = time.perf_counter()
    out = draw(data, bytes.fromhex(row.seed))
    pure = time.perf_counter() - started
    rng = np.random.Generator(np.random.PCG64(12345))
    started = time.perf_counter()
    rng.choice(data.pool.size, size=len(out), replace=False)
    bare = time.perf_counter() - started
    return pure, bare, data.pool.size, len(out)


def main() -> None:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL (start one with scripts/pg.sh start)")
    setup_django(fresh_database(url, reuse=args.reuse))
    started = time.perf_counter()
    if args.reuse:
        from qijian.accounts.models import User
        from qijian.plans.models import PlanEntry

        entry, user = (
            PlanEntry.objects.select_related("plan", "item__version").get(),
            User.objects.get(username="random"),
        )
    else:
        entry, user = make_world(args.enterprises, args.inspectors)
    print(f"建库 {time.perf_counter() - started:.1f} s;CPU 核数 {os.cpu_count()}")
    print(
        f"{'run':>4}{'load':>7}{'pool':>10}{'visits':>8}{'prepare':>9}{'commit':>8}{'draw':>8}{'total':>8}"
        f"{'pure':>8}{'np.choice':>11}"
    )
    for n in range(1, args.repeat + 1):
        load = os.getloadavg()[0]
        if args.profile and n == args.repeat:
            import cProfile

            profiler = cProfile.Profile()
            t = profiler.runcall(one_run, entry, user, args.ratio)
            profiler.dump_stats(args.profile)
        else:
            t = one_run(entry, user, args.ratio)
        pure, bare, _, _ = pure_and_numpy(int(t["draw_id"]))
        print(
            f"{n:>4}{load:>7.2f}{int(t['pool']):>10}{int(t['visits']):>8}{t['prepare']:>9.3f}{t['commit']:>8.3f}"
            f"{t['draw']:>8.3f}{t['total']:>8.3f}{pure:>8.3f}{bare:>11.4f}"
        )
    from django.core.management import call_command

    call_command("verify_draw", "--all")


if __name__ == "__main__":
    main()
