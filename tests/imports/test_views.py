from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qijian.core.testing import County, login_verified
from qijian.enterprises.models import Enterprise
from qijian.org.models import Inspector
from tests.imports.files import ENTERPRISE_HEADERS, INSPECTOR_HEADERS, code, enterprise_row, inspector_row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]


def upload(client: Client, name: str, path: Path, **extra: str) -> object:
    with path.open("rb") as fh:
        return client.post(reverse(name), {"file": fh, **extra}, follow=True)


def test_office_uploads_enterprises_and_sees_the_summary(county: County, client: Client, tmp_path: Path) -> None:
    login_verified(client, county.user("office"))
    assert client.get(reverse("imports:enterprises")).status_code == 200
    response = upload(
        client, "imports:enterprises", write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1)])
    )
    assert response.status_code == 200 and "导入成功" in response.content.decode()  # type: ignore[attr-defined]
    assert Enterprise.objects.filter(uscc=code(1)).exists()


def test_failed_upload_lists_errors_and_offers_the_report(county: County, client: Client, tmp_path: Path) -> None:
    login_verified(client, county.user("sysadmin"))
    rows = [ENTERPRISE_HEADERS, enterprise_row(1), enterprise_row(2, 所在乡镇="火星")]
    response = upload(client, "imports:enterprises", write_csv(tmp_path / "e.csv", rows))
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "第3行" in page and "所在乡镇" in page and "火星" in page and not Enterprise.objects.filter(uscc=code(1))
    token = response.redirect_chain[-1][0].rstrip("/").split("/")[-1]  # type: ignore[attr-defined]
    report = client.get(reverse("imports:report", args=[token]))
    assert report.status_code == 200
    (tmp_path / "r.xlsx").write_bytes(b"".join(report.streaming_content))  # type: ignore[attr-defined]
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet is not None and sheet.cell(row=3, column=len(ENTERPRISE_HEADERS) + 1).value


def test_result_page_is_private_to_the_uploading_session(county: County, client: Client, tmp_path: Path) -> None:
    login_verified(client, county.user("office"))
    response = upload(client, "imports:enterprises", write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS]))
    url = response.redirect_chain[-1][0]  # type: ignore[attr-defined]
    other = Client()
    login_verified(other, county.user("office", other=True))
    assert other.get(url).status_code == 404


@pytest.mark.parametrize("role", ["inspector", "dept_admin", "supervisor", "enterprise"])
def test_roles_that_may_not_import_enterprises_get_403(county: County, client: Client, role: str) -> None:
    login_verified(client, county.user(role))
    assert client.get(reverse("imports:enterprises")).status_code == 403
    assert client.get(reverse("imports:enterprises_export")).status_code == 403


def test_department_admin_imports_own_inspectors_only(county: County, client: Client, tmp_path: Path) -> None:
    login_verified(client, county.user("dept_admin"))
    rows = [INSPECTOR_HEADERS, inspector_row(1), inspector_row(2, department="CX-HB")]
    page = upload(client, "imports:inspectors", write_csv(tmp_path / "i.csv", rows)).content.decode()  # type: ignore[attr-defined]
    assert "只能导入本部门" in page and Inspector.objects.count() == 2
    ok = upload(client, "imports:inspectors", write_csv(tmp_path / "j.csv", rows[:2])).content.decode()  # type: ignore[attr-defined]
    assert "导入成功" in ok and Inspector.objects.filter(department=county.dept).count() == 2


def test_inspector_cannot_import_inspectors(county: County, client: Client) -> None:
    login_verified(client, county.user("inspector"))
    assert client.get(reverse("imports:inspectors")).status_code == 403


def test_template_and_export_downloads(county: County, client: Client) -> None:
    login_verified(client, county.user("dept_admin"))
    assert client.get(reverse("imports:inspectors_template")).status_code == 200
    response = client.get(reverse("imports:inspectors_export") + "?format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "李四" in body and "王五" not in body
