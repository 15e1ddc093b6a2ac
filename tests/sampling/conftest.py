from __future__ import annotations

from collections.abc import Iterator

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tampered: the test alters a draw's stored rows on purpose")


@pytest.fixture(autouse=True)
def every_draw_verifies(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each database test of this package, every draw made replays byte for byte (verify_draw)."""
    if "county" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("county")  # set up first, so the database outlives this check
    yield
    from qijian.sampling import services
    from qijian.sampling.choices import DrawStatus
    from qijian.sampling.models import Draw

    for draw in Draw.objects.filter(status__in=(DrawStatus.DRAWN, DrawStatus.PUBLISHED)):
        if not request.node.get_closest_marker("tampered"):
            assert services.verify(draw).ok, f"draw {draw.pk} does not replay"
