"""Enterprise list page at 1,000,000 rows: time and query count per page view (target <= 300 ms).

Usage (PostgreSQL; a throw-away cluster from scripts/pg.sh is fine):

    QJ_TESTING=1 DATABASE_URL=postgres://qijian@127.0.0.1:54334/postgres \
        uv run python bench/bench_list_page.py [--rows 1000000] [--runs 30]

It creates (or recreates) the database ``qijian_bench`` on that server, migrates it, loads the rows
with one INSERT ... SELECT over generate_series, ANALYZEs, then renders the list page through
Django's test client as a 2FA-verified office user and prints median and p95 times and the query
count for: the first page, a page deep in the keyset, a filtered page, and name / code searches.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
BENCH_DB = "qijian_bench"

PLACES = (
    "旧州 兴济 杜生 崔尔庄 薛官屯 捷地 张官屯 李天木 汪家铺 刘家庙 仵龙堂 大官厅 高川 黄递铺 大褚村 纸房头 风化店 沧东"
)
BRANDS = (
    "宏达 鑫源 华瑞 金盛 永泰 恒通 瑞丰 德润 兴业 广源 中泰 天成 博远 盛世 嘉禾 隆昌 福顺 新宇 正大 国华 "
    "富达 海川 同创 长青 东方 聚鑫 万通 凯利 信诚 合力 晨光 远航 泽润 和谐 宝丰 润泽 亿达 金鼎 众诚 昊天"
)
TRADES = "化工 机械 管件 食品 纺织 五金 物流 建材 塑料 包装 钢管 农业 商贸 电子 玻璃"
SUFFIXES = "有限公司 有限责任公司 股份有限公司 个人独资企业 合伙企业"


def _arr(words: str) -> str:
    return "ARRAY[" + ",".join(f"'{w}'" for w in words.split()) + "]"


def _bench_url(server_url: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def recreate_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def setup_django(server_url: str) -> None:
    os.environ["DATABASE_URL"] = _bench_url(server_url)
    os.environ.setdefault("QJ_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qijian.settings")
    import django

    django.setup()


def build_reference() -> Any:
    """The test county (users of every role) plus 20 townships and 15 industry divisions."""
    from qijian.core.testing import build_county
    from qijian.enterprises.models import Industry
    from qijian.org.models import Region

    county = build_county()
    Region.objects.bulk_create(
        Region(code=f"130921{200 + i}", name=f"镇{i:02d}", level="township", parent=county.county) for i in range(20)
    )
    section = county.industry.parent
    Industry.objects.bulk_create(
        Industry(code=f"C{20 + i}", name=f"制造业大类{i:02d}", parent=section) for i in range(15)
    )
    return county


def load_rows(rows: int) -> float:
    """INSERT ... SELECT generate_series: valid-looking codes, mixed names, townships, grades."""
    from django.db import connection

    sql = f"""
    WITH t AS (SELECT array_agg(id ORDER BY id) a FROM org_region WHERE level = 'township'),
         ind AS (SELECT array_agg(id ORDER BY id) a FROM enterprises_industry WHERE parent_id IS NOT NULL)
    INSERT INTO enterprises_enterprise (uscc, uscc_status, name, type, industry_id, township_id, address,
        legal_representative, contact_name, contact_phone, status, grade, established_on, created_at, updated_at)
    SELECT '92130921' || lpad(g::text, 9, '0') || '0',
           CASE WHEN g %% 1000 = 0 THEN 'pilot' ELSE 'valid' END,
           '沧县' || ({_arr(PLACES)})[1 + g %% 18] || ({_arr(BRANDS)})[1 + (g / 18) %% 40]
                  || ({_arr(TRADES)})[1 + (g / 720) %% 15] || ({_arr(SUFFIXES)})[1 + (g / 10800) %% 5],
           (ARRAY['company','company','company','sole','partnership','branch','non_company','foreign'])[1 + g %% 8],
           ind.a[1 + g %% array_length(ind.a, 1)],
           t.a[1 + (g / 7) %% array_length(t.a, 1)],
           '河北省沧州市沧县' || g || '号', '法人' || (g %% 997), '', '',
           CASE WHEN g %% 50 = 0 THEN 'closed' ELSE 'operating' END,
           (ARRAY['A','B','B','B','C'])[1 + (g / 3) %% 5],
           DATE '2000-01-01' + (g %% 9000), now(), now()
    FROM generate_series(1, %s) g, t, ind
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [rows])
        cursor.execute("ANALYZE enterprises_enterprise")
    return time.perf_counter() - started


def measure(get: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert get().status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        get()
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], len(ctx.captured_queries)


def scenarios(county: Any, rows: int) -> dict[str, dict[str, str]]:
    from qijian.enterprises.models import Enterprise
    from qijian.org.models import Region

    township = Region.objects.filter(level="township").order_by("id").values_list("id", flat=True)[5]
    deep = Enterprise.objects.order_by("-id").values_list("id", flat=True)[rows // 10]
    return {
        "first page": {},
        f"deep keyset page (after={deep})": {"after": str(deep)},
        "filtered: township + grade A": {"township": str(township), "grade": "A"},
        "filtered: pilot codes (rare)": {"uscc_status": "pilot"},
        "search name '宏达化工' (trigram)": {"q": "宏达化工"},
        "search name '化工' (2 characters)": {"q": "化工"},
        "search name, no match '不存在的名称'": {"q": "不存在的名称"},
        "search code prefix '921309210001'": {"q": "921309210001"},
    }


def run(rows: int, runs: int) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from qijian.core.testing import login_verified

    call_command("migrate", verbosity=0)
    county = build_reference()
    print(f"loaded {rows:,} enterprises in {load_rows(rows):.1f} s (INSERT ... SELECT generate_series, all indexes)")
    client = Client()
    login_verified(client, county.user("office"))
    url = reverse("enterprises:list")
    print(f"{'scenario':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, params in scenarios(county, rows).items():
        median, p95, queries = measure(lambda p=params: client.get(url, p), runs)  # type: ignore[misc]
        print(f"{name:<44} {median:>10.1f} {p95:>8.1f} {queries:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at a PostgreSQL server (scripts/pg.sh start prints one)")
    recreate_database(server_url)
    setup_django(server_url)
    run(args.rows, args.runs)


if __name__ == "__main__":
    main()
