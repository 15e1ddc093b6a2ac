from __future__ import annotations
import pytest
from tests.api import test_schemathesis as ts
from tests.api.conftest import county, wsgi_keeps_test_transaction  # noqa: F401
from tests.inspections.conftest import setup  # noqa: F401

OPS = [(m, p) for m, p in ts.OPERATIONS if "/filings/" in p]

@pytest.mark.parametrize(("method", "path"), OPS)
def test_fuzz(method, path, setup, wsgi_keeps_test_transaction) -> None:
    from qijian.inspections import services
    from tests.inspections.conftest import at
    services.file_planned(actor=setup.admin, entry=setup.entry, enterprises=[setup.county.enterprise], inspectors=setup.pair, window_start=at(1, 9), window_end=at(1, 17))
    operation = ts._schema()[path][method]
    headers = ts._headers(setup.county, "dept_admin")
    for mode in ts._modes(operation):
        ts._fuzz(operation, headers, mode)
