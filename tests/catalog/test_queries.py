"""Which catalog is in force on a day, and which items apply to an enterprise."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.catalog import queries
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise, Industry

pytestmark = pytest.mark.django_db

JAN1, JUL1 = dt.date(2025, 1, 1), dt.date(2025, 7, 1)


def _version(county: County, number: int, status: str, effective_from: dt.date | None) -> CatalogVersion:
    """Direct rows (not the services, which refuse past dates): the queries are what is under test."""
    version = CatalogVersion.objects.create(
        department=county.dept, number=number, status=status, effective_from=effective_from
    )
    CatalogItem.objects.create(version=version, code=f"YJ-00{number}", name="检查", law="《安全生产法》", mode="random")
    return version


@pytest.fixture
def history(county: County) -> dict[str, CatalogVersion]:
    return {
        "v1": _version(county, 1, "approved", JAN1),
        "v2": _version(county, 2, "approved", JUL1),
        "v3": _version(county, 3, "submitted", None),
    }


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2024, 12, 31), None),  # before any version took effect
        (JAN1, "v1"),  # the first day of v1
        (dt.date(2025, 6, 30), "v1"),
        (JUL1, "v2"),  # v2 replaces v1 on its effective date
        (dt.date(2030, 1, 1), "v2"),  # a submitted version is never in force
    ],
)
def test_effective_version_by_date(
    county: County, history: dict[str, CatalogVersion], on: dt.date, expected: str | None
) -> None:
    found = queries.effective_version(county.dept.pk, on)
    assert found == (history[expected] if expected else None)


def test_effective_version_is_per_department(county: County, history: dict[str, CatalogVersion]) -> None:
    assert queries.effective_version(county.other_dept.pk, JUL1) is None
    assert not queries.effective_items(county.other_dept.pk, JUL1).exists()


def test_effective_items_and_codes_follow_the_version_in_force(
    county: County, history: dict[str, CatalogVersion]
) -> None:
    assert queries.effective_codes(county.dept.pk, dt.date(2025, 3, 1)) == frozenset({"YJ-001"})
    assert queries.effective_codes(county.dept.pk, JUL1) == frozenset({"YJ-002"})
    assert queries.effective_codes(county.dept.pk, dt.date(2024, 1, 1)) == frozenset()


def test_is_effective_is_true_only_while_the_items_version_is_in_force(
    county: County, history: dict[str, CatalogVersion]
) -> None:
    old, new, draft = (history[k].items.get() for k in ("v1", "v2", "v3"))
    assert queries.is_effective(old, dt.date(2025, 3, 1)) and not queries.is_effective(old, JUL1)
    assert queries.is_effective(new, JUL1) and not queries.is_effective(new, dt.date(2025, 3, 1))
    assert not queries.is_effective(draft, dt.date(2030, 1, 1))


def test_effective_catalogs_lists_one_version_per_department(
    county: County, history: dict[str, CatalogVersion], django_assert_max_num_queries: object
) -> None:
    other = CatalogVersion.objects.create(
        department=county.other_dept, number=1, status="approved", effective_from=JAN1
    )
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        found = queries.effective_catalogs(JUL1)
        codes = [[i.code for i in v.items.all()] for v in found]
    assert found == [other, history["v2"]]  # by department code: CX-HB before CX-YJ
    assert codes == [[], ["YJ-002"]]


# --- applies_to --------------------------------------------------------------------------------


@pytest.fixture
def tree(county: County) -> dict[str, Industry]:
    """C (section) → C13 (division, from build_county) → C135 → C1353, and F → F51 elsewhere."""
    c13 = county.industry
    group = Industry.objects.create(code="C135", name="屠宰及肉类加工", parent=c13)
    klass = Industry.objects.create(code="C1353", name="肉制品及副产品加工", parent=group)
    f = Industry.objects.create(code="F", name="批发和零售业")
    f51 = Industry.objects.create(code="F51", name="批发业", parent=f)
    return {"C": c13.parent, "C13": c13, "C1353": klass, "F": f, "F51": f51}  # type: ignore[dict-item]


def _item(county: County, industries: list[Industry], types: list[str]) -> CatalogItem:
    version = CatalogVersion.objects.create(department=county.dept, number=9)
    item = CatalogItem.objects.create(
        version=version, code="X", name="检查", law="《食品安全法》", mode="random", enterprise_types=types
    )
    item.industries.set(industries)
    return item


@pytest.mark.parametrize(
    ("listed", "types", "enterprise_industry", "enterprise_type", "applies"),
    [
        ([], [], "C1353", "company", True),  # no restriction at all
        (["C"], [], "C1353", "company", True),  # section covers its classes
        (["C13"], [], "C1353", "company", True),  # division covers its classes
        (["C13"], [], "C13", "company", True),  # the division itself
        (["C1353"], [], "C1353", "company", True),  # the exact class
        (["F"], [], "C1353", "company", False),  # another section
        (["F51", "C13"], [], "C1353", "company", True),  # any listed industry suffices
        (["F51"], [], "F51", "company", True),
        ([], ["company"], "C1353", "company", True),
        ([], ["sole", "partnership"], "C1353", "company", False),  # type not listed
        (["C13"], ["sole"], "C1353", "company", False),  # industry fits, type does not
        (["F"], ["company"], "C1353", "company", False),  # type fits, industry does not
    ],
)
def test_applies_to_truth_table(
    county: County,
    tree: dict[str, Industry],
    listed: list[str],
    types: list[str],
    enterprise_industry: str,
    enterprise_type: str,
    applies: bool,
) -> None:
    item = _item(county, [tree[c] for c in listed], types)
    Enterprise.objects.filter(pk=county.enterprise.pk).update(industry=tree[enterprise_industry], type=enterprise_type)
    enterprise = Enterprise.objects.select_related("industry").get(pk=county.enterprise.pk)
    assert queries.applies_to(item, enterprise) is applies
