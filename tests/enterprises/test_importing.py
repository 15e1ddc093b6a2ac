from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.codes.uscc import make_uscc
from qijian.core.imports.digest import sm3_of_keys
from qijian.core.imports.runner import ImportResult
from qijian.core.testing import County
from qijian.enterprises.importing import import_enterprises
from qijian.enterprises.models import Enterprise, Industry
from tests.imports.files import ENTERPRISE_HEADERS, code, enterprise_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(path: Path, *, dry_run: bool = False) -> ImportResult:
    with path.open("rb") as fh:
        result, _ = import_enterprises(fh, filename=path.name, actor=None, dry_run=dry_run)
    return result


def issues(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(i.row, i.column, i.level) for i in result.issues.items]


def test_valid_csv_registers_every_row_with_one_audit_event(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1), enterprise_row(2)])
    events_before = AuditEvent.objects.count()
    result = run(path)
    assert result.ok and result.created == 2
    created = Enterprise.objects.get(uscc=code(1))
    assert (created.township, created.industry, created.type) == (county.township, county.industry, "company")
    assert created.established_on == dt.date(2020, 1, 31) and created.grade == "B"
    assert created.created_at.tzinfo is not None
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and AuditEvent.objects.count() == events_before + 1
    assert event.after["count"] == 2 and event.after["uscc_sm3"] == sm3_of_keys([code(1), code(2)])


def test_valid_xlsx_with_excel_date_cells_and_numeric_phone(county: County, tmp_path: Path) -> None:
    row = enterprise_row(1, 成立日期=dt.datetime(2019, 5, 4), 联系电话=13900000000)
    result = run(write_xlsx(tmp_path / "e.xlsx", [ENTERPRISE_HEADERS, row]))
    assert result.ok, result.summary()
    created = Enterprise.objects.get(uscc=code(1))
    assert created.established_on == dt.date(2019, 5, 4) and created.contact_phone == "13900000000"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_csv_in_gbk_or_utf8_with_bom_is_read(county: County, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1)], encoding=encoding)
    result = run(path)
    assert result.ok, result.summary()
    assert Enterprise.objects.get(uscc=code(1)).name == "沧县测试1有限公司"


def test_industry_code_with_or_without_section_letter(county: County, tmp_path: Path) -> None:
    Industry.objects.create(code="C1311", name="稻谷加工", parent=county.industry)
    rows = [enterprise_row(1, 行业代码="C1311"), enterprise_row(2, 行业代码="1311"), enterprise_row(3, 行业代码="13")]
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows]))
    assert result.ok, result.summary()
    industries = dict(Enterprise.objects.filter(uscc__in=[code(1), code(2), code(3)]).values_list("uscc", "industry"))
    assert industries[code(1)] == industries[code(2)] != industries[code(3)] == county.industry.pk


def test_township_by_region_code(county: County, tmp_path: Path) -> None:
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1, 所在乡镇="130921101")]))
    assert result.ok and Enterprise.objects.get(uscc=code(1)).township == county.other_township


def test_wrong_credit_code_names_row_and_column_and_writes_nothing(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(1), enterprise_row(2, 统一社会信用代码="91130921ABC")]
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows]))
    assert not result.ok and issues(result) == [(3, "统一社会信用代码", "error")]
    assert "长度应为18位" in result.issues.items[0].message
    assert not Enterprise.objects.filter(uscc=code(1)).exists()


def test_code_with_forbidden_letter_is_an_error(county: County, tmp_path: Path) -> None:
    bad = "91130921MA0DEM01I" + "O"
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1, 统一社会信用代码=bad)]))
    assert issues(result) == [(2, "统一社会信用代码", "error")] and "不允许的字符" in result.issues.items[0].message


def test_pilot_code_failing_the_check_is_stored_with_a_warning(county: County, tmp_path: Path) -> None:
    valid = code(7)
    pilot = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(7, 统一社会信用代码=pilot)]))
    assert result.ok and result.created == 1
    assert issues(result) == [(2, "统一社会信用代码", "warning")] and "早期试点代码" in result.issues.items[0].message
    assert Enterprise.objects.get(uscc=pilot).uscc_status == "pilot"


def test_duplicate_inside_file_names_both_rows(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(1), enterprise_row(2), enterprise_row(3, 统一社会信用代码=code(1))]
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows]))
    messages = {(i.row, i.message) for i in result.issues.items}
    assert messages == {(4, "与第2行的统一社会信用代码重复"), (2, "与第4行的统一社会信用代码重复")}
    assert Enterprise.objects.count() == 2  # only build_county's


def test_duplicate_of_a_registered_enterprise_is_an_error(county: County, tmp_path: Path) -> None:
    row = enterprise_row(1, 统一社会信用代码=county.enterprise.uscc)
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, row]))
    assert issues(result) == [(2, "统一社会信用代码", "error")] and "已在系统中登记" in result.issues.items[0].message


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("所在乡镇", "不存在镇", "未找到乡镇"),
        ("行业代码", "Z99", "不在国民经济行业分类"),
        ("企业名称", "", "必填项为空"),
        ("成立日期", "2024-02-30", "日期不存在"),
        ("成立日期", "去年", "日期格式无法识别"),
        ("市场主体类型", "股份社", "无法识别"),
        ("经营状态", "倒闭", "无法识别"),
    ],
)
def test_bad_cell_is_reported_with_row_and_column(
    county: County, tmp_path: Path, column: str, value: str, fragment: str
) -> None:
    rows = [enterprise_row(1), enterprise_row(2, **{column: value})]
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows]))
    assert issues(result) == [(3, column, "error")]
    assert fragment in result.issues.items[0].message
    assert not Enterprise.objects.filter(uscc=code(1)).exists()


def test_slash_date_is_accepted(county: County, tmp_path: Path) -> None:
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1, 成立日期="2024/1/31")]))
    assert result.ok and Enterprise.objects.get(uscc=code(1)).established_on == dt.date(2024, 1, 31)


def test_bad_last_row_of_five_thousand_writes_nothing(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(i) for i in range(1, 5000)] + [enterprise_row(5000, 所在乡镇="火星")]
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows]))
    assert result.rows == 5000 and issues(result) == [(5001, "所在乡镇", "error")]
    assert Enterprise.objects.count() == 2
    assert not AuditEvent.objects.filter(action="enterprises.import").exists()


def test_dry_run_validates_without_writing(county: County, tmp_path: Path) -> None:
    result = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1)]), dry_run=True)
    assert result.ok and result.created == 0 and not Enterprise.objects.filter(uscc=code(1)).exists()
    assert "试运行通过" in result.summary()


def test_register_enterprises_audits_count_and_digest(county: County) -> None:
    from qijian.enterprises.services import register_enterprises

    new = [
        Enterprise(
            uscc=make_uscc("91130921", f"RG{i:06d}"),
            name=f"批量{i}",
            type="company",
            industry=county.industry,
            township=county.township,
            address="沧县",
            legal_representative="甲",
        )
        for i in range(3)
    ]
    assert register_enterprises(actor=None, enterprises=new) == 3
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.after["uscc_sm3"] == sm3_of_keys([e.uscc for e in new])
