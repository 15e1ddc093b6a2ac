"""Benchmark: import N enterprise rows from CSV into PostgreSQL, beside a raw COPY of the same file.

    scripts/pg.sh start                      # prints a DATABASE_URL
    DATABASE_URL=postgres://… uv run python bench/bench_import.py --rows 1000000

The script works in its own database on that server (``<name>_bench_import``, dropped and created
afresh), migrates it, creates townships and industries, writes a CSV of N valid rows (real GB 32100
check characters), then times (a) the full importer — read, validate every row, load — and (b) a raw
``COPY … FROM STDIN (FORMAT csv)`` of the same file into a scratch table with the same columns.
It prints the CPU seconds of the importing process, of its worker processes (together) and of the
PostgreSQL backend during (a).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPES = ["公司", "非公司企业法人", "个人独资企业", "合伙企业", "分支机构"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
WORDS = ["恒达", "宏远", "金泰", "华兴", "鑫源", "昌盛", "永信", "博瑞", "天成", "德隆"]
INDUSTRIES = {
    "A": ("农、林、牧、渔业", ["01", "02", "03", "05"]),
    "C": ("制造业", ["13", "14", "17", "18", "26", "29", "30", "33", "34", "38"]),
    "E": ("建筑业", ["47", "48", "50"]),
    "F": ("批发和零售业", ["51", "52"]),
    "G": ("交通运输、仓储和邮政业", ["54", "59"]),
    "H": ("住宿和餐饮业", ["61", "62"]),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep-file", action="store_true", help="keep the generated CSV")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the import to FILE")
    return parser.parse_args()


def fresh_database(url: str) -> str:
    """Drop and create ``<db>_bench_import`` on the server of ``url``; return its URL."""
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    target = f"{name.split('?')[0] or 'postgres'}_bench_import"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    return f"{base}/{target}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("QJ_TESTING", "1")
    os.environ.setdefault("QJ_IMPORT_MAX_MB", "1024")  # the generated file may exceed the 200 MB default
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qijian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_reference() -> tuple[list[str], list[str]]:
    """Create the townships and industries the rows refer to; return the names and codes to use."""
    from qijian.enterprises.services import create_industry
    from qijian.org.services import create_region

    county = create_region(actor=None, code="130921", name="沧县", level="county")
    towns = [f"测试镇{i:02d}" for i in range(20)]
    for i, name in enumerate(towns):
        create_region(actor=None, code=f"130921{100 + i}", name=name, level="township", parent=county)
    codes: list[str] = []
    for letter, (label, divisions) in INDUSTRIES.items():
        section = create_industry(actor=None, code=letter, name=label)
        for division in divisions:
            create_industry(actor=None, code=f"{letter}{division}", name=f"{label}{division}", parent=section)
            codes += [f"{letter}{division}", division]  # with and without the section letter
    return towns, codes


def headers() -> list[str]:
    """The importer's own column headers, so the benchmark file never drifts from what it reads."""
    from qijian.enterprises.importing import COLUMNS

    return [column.header for column in COLUMNS]


def write_rows(path: Path, rows: int, towns: list[str], industries: list[str]) -> None:
    from qijian.core.codes.uscc import make_uscc

    rng = random.Random(2025)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers())
        for i in range(rows):
            person = rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋")
            writer.writerow(
                [
                    make_uscc("91130921", f"{i:08d}"),
                    f"沧县{rng.choice(WORDS)}{i}有限公司",
                    rng.choice(TYPES),
                    rng.choice(industries),
                    rng.choice(towns),
                    f"河北省沧州市沧县{rng.choice(towns)}{i % 500}号",
                    person,
                    person,
                    f"138{i:08d}",
                    "存续",
                    f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                ]
            )


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine, Linux /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]  # type: ignore[index]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU seconds used so far by this process's ended child processes (the import's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_import(path: Path, profile: str | None) -> tuple[float, int, str]:
    from qijian.enterprises.importing import import_enterprises

    cpu, server, children = time.process_time(), backend_cpu(), children_cpu()
    started = time.perf_counter()
    with path.open("rb") as fh:
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            result, _ = profiler.runcall(import_enterprises, fh, filename=path.name, actor=None)
            profiler.dump_stats(profile)
        else:
            result, _ = import_enterprises(fh, filename=path.name, actor=None)
    seconds = time.perf_counter() - started
    cpu, server, children = time.process_time() - cpu, backend_cpu() - server, children_cpu() - children
    print(
        f"importer CPU: Python {cpu:.2f} s + worker processes {children:.2f} s, "
        f"PostgreSQL backend {server:.2f} s (wall {seconds:.2f} s)"
    )
    return seconds, result.created, result.summary()


def time_raw_copy(path: Path, url: str) -> tuple[float, int]:
    import psycopg

    columns = ", ".join(f"c{i} text" for i in range(len(headers())))
    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TABLE bench_raw_copy ({columns})")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur, path.open("rb") as fh:
            with cur.copy("COPY bench_raw_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while block := fh.read(1 << 20):
                    copy.write(block)
            conn.commit()
            seconds = time.perf_counter() - started
            count = cur.execute("SELECT count(*) FROM bench_raw_copy").fetchone()[0]  # type: ignore[index]
        conn.execute("DROP TABLE bench_raw_copy")
        conn.commit()
    return seconds, int(count)


def main() -> None:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL (start one with scripts/pg.sh start)")
    bench_url = fresh_database(url)
    setup_django(bench_url)
    towns, industries = make_reference()
    path = Path(tempfile.gettempdir()) / f"qijian-bench-{args.rows}.csv"
    write_rows(path, args.rows, towns, industries)
    size = path.stat().st_size / 1048576
    print(f"文件: {path} ({args.rows} 行, {size:.1f} MB), CPU 核数 {os.cpu_count()}, 负载 {os.getloadavg()[0]:.2f}")
    seconds, created, summary = time_import(path, args.profile)
    print(summary)
    raw_seconds, raw_count = time_raw_copy(path, bench_url)
    print(f"{'':14}{'rows':>10}{'seconds':>10}{'rows/s':>12}")
    print(f"{'importer':14}{created:>10}{seconds:>10.2f}{created / seconds:>12,.0f}")
    print(f"{'raw COPY':14}{raw_count:>10}{raw_seconds:>10.2f}{raw_count / raw_seconds:>12,.0f}")
    if not args.keep_file:
        path.unlink()


if __name__ == "__main__":
    main()
