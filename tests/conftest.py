"""Fixtures shared by every test: offscreen Qt, and fresh databases on SQLite and PostgreSQL.

Persistence and service tests take the ``db_url`` (or ``engine``) fixture, which runs each
test twice: on a SQLite file and on a real PostgreSQL server that this suite starts itself.
Without PostgreSQL binaries those runs skip and say why, except under CI, where they fail.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HANDOVER_CONFIG", os.devnull)  # an empty configuration: defaults
# Commands run in-process write their log files: never into the user's own log folder.
if "HANDOVER_LOG_DIR" not in os.environ:
    os.environ["HANDOVER_LOG_DIR"] = tempfile.mkdtemp(prefix="handover-test-logs-")
    atexit.register(shutil.rmtree, os.environ["HANDOVER_LOG_DIR"], True)

from sqlalchemy import Engine

from handover.persistence.db import upgrade
from handover.persistence.engine import make_engine
from tests.support.pgcluster import PgCluster, find_pg_bin

_counter = itertools.count()


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own data folder: a site key or a checkpoints file never leaks."""
    monkeypatch.setenv("HANDOVER_DATA_DIR", str(tmp_path / "donnees"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    if find_pg_bin() is None:
        reason = "PostgreSQL absent (initdb/pg_ctl introuvables) : apt-get install postgresql"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    cluster = PgCluster().start()
    template = "handover_template"
    cluster.create_database(template)
    engine = make_engine(cluster.url(template))
    upgrade(engine)
    engine.dispose()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


def fresh_sqlite_url(template: Path, folder: Path) -> str:
    path = folder / f"db{next(_counter)}.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new database at the schema's head, on each backend in turn."""
    if request.param == "sqlite":
        yield fresh_sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path)
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    name = f"t{os.getpid()}_{next(_counter)}"
    url = cluster.create_database(name, template="handover_template")
    yield url
    cluster.drop_database(name)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return fresh_sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()
