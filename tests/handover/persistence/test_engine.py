"""SQLite set-up: the settings the application relies on, and network shares refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from handover.errors import ConfigError
from handover.persistence.engine import check_local_path, describe_engine, make_engine

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
server:/export /srv/partage nfs4 rw,relatime 0 0
//nas/guichet /mnt/guichet cifs rw 0 0
"""


@pytest.fixture
def mounts(tmp_path: Path) -> Path:
    file = tmp_path / "mounts"
    file.write_text(MOUNTS)
    return file


@pytest.mark.parametrize("folder", ["/srv/partage/handover", "/mnt/guichet"])
def test_a_database_on_a_network_share_is_refused(mounts: Path, folder: str) -> None:
    with pytest.raises(ConfigError, match="partage réseau") as err:
        check_local_path(Path(folder) / "handover.sqlite3", mounts)
    assert "PostgreSQL" in err.value.message


def test_a_local_disk_is_accepted(mounts: Path) -> None:
    check_local_path(Path("/var/lib/handover/handover.sqlite3"), mounts)
    check_local_path(Path("/srv/partage-local/x.sqlite3"), mounts)  # a prefix is not a mount


def test_sqlite_connections_have_the_durability_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        line = describe_engine(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            conn.rollback()
    finally:
        engine.dispose()
    assert "journal_mode=wal" in line and "synchronous=FULL" in line
    assert "foreign_keys=ON" in line
