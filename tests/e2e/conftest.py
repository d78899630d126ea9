"""The real-X fixtures: each test gets its own X display, data folder, database and app.

``realx``: a desk on the ``fr`` layout, started and logged in as ``agent1``.
``realx_factory(layout=..., permits=..., login=...)``: more desks or other layouts; each
one is stopped after the test. Without Xvfb/xdotool/openbox/setxkbmap the tests skip
and say why, except under ``CI``, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.realx import RealX, missing_tools

RealXFactory = Callable[..., RealX]


def _require_tools() -> None:
    missing = missing_tools()
    if not missing:
        return
    reason = f"outils X absents ({', '.join(missing)}) : scripts/setup.sh --dev les installe"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the real-X tests: {reason}")
    pytest.skip(reason)


@pytest.fixture
def realx_factory(tmp_path: Path) -> Iterator[RealXFactory]:
    _require_tools()
    desks: list[RealX] = []

    def start(
        *,
        layout: str = "fr",
        login: str | None = "agent1",
        permits: int = 160,
        screen: tuple[int, int] = (1366, 768),
        app_args: tuple[str, ...] = (),
        scanner_gap_ms: int | None = None,
    ) -> RealX:
        folder = tmp_path / f"desk{len(desks)}"
        desk = RealX(
            folder,
            layout=layout,
            permits=permits,
            screen=screen,
            app_args=app_args,
            scanner_gap_ms=scanner_gap_ms,
        )
        desks.append(desk)
        desk.start()
        if login is not None:
            desk.login(login)
        return desk

    yield start
    for desk in desks:
        desk.stop()


@pytest.fixture
def realx(realx_factory: RealXFactory) -> RealX:
    return realx_factory()
