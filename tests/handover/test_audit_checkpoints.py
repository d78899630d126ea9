"""A keyed chain and outside checkpoints: what a database editor does is found.

Each tampering is done the way an editor with the database (and, for the rewrite, even the
site key) would do it, then ``handover audit verify --checkpoints`` is run as an
administrator runs it: exit code 1 and the first bad sequence number.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.engine import make_url

from handover import audit, checkpoints, sitekey
from handover.cli import main
from handover.config import Config, load_config
from handover.persistence.engine import make_engine, sqlite_path
from handover.persistence.models import AuditEntry, AuditHead
from handover.persistence.uow import UnitOfWork
from tests.handover.test_audit import T0, _write
from tests.support.accounts import staff


@pytest.fixture
def keyed(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A database set up as ``handover db upgrade`` does: key created, chain signed."""
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    message = audit.ensure_site_key(engine, Config())
    assert "Clé de site créée" in message
    assert Config().audit_key_path.stat().st_mode & 0o777 == 0o600
    return engine


def _checkpoint(engine: Engine) -> checkpoints.CheckpointLine:
    return checkpoints.checkpoint(
        engine, Config().checkpoints_path, desk="Guichet 1", agent="admin-cli"
    )


def _verify(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["audit", "verify", *extra])
    return code, capsys.readouterr().out


def _run(engine: Engine, *statements: object) -> None:
    with UnitOfWork(engine) as uow:
        for stmt in statements:
            uow.session.execute(stmt)  # type: ignore[call-overload]
        uow.commit()


def _head(engine: Engine) -> AuditHead:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(select(AuditHead)).scalar_one()


def _hash_of(engine: Engine, entry_id: int) -> str:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(
            select(AuditEntry.hash).where(AuditEntry.id == entry_id)
        ).scalar_one()


def _recompute_from(engine: Engine, first: int, key: bytes | None) -> None:
    """What an editor does after changing entry ``first``: every later hash and the head."""
    with UnitOfWork(engine) as uow:
        s = uow.session
        head = s.execute(select(AuditHead)).scalar_one()
        prev = s.execute(select(AuditEntry.hash).where(AuditEntry.id == first - 1)).scalar()
        running = prev if prev is not None else head.anchor_hash
        for e in s.execute(
            select(AuditEntry).where(AuditEntry.id >= first).order_by(AuditEntry.id)
        ).scalars():
            body = audit.canonical(e.id, e.at, e.desk, e.agent, e.action, e.subject, e.details)
            digest = audit.chain_hash(running, body, key)
            s.execute(
                update(AuditEntry)
                .where(AuditEntry.id == e.id)
                .values(prev_hash=running, hash=digest)
            )
            running = digest
        s.execute(update(AuditHead).values(last_hash=running))
        uow.commit()


def test_the_first_entry_is_the_key_introduced_and_later_ones_are_hmac(keyed: Engine) -> None:
    _write(keyed, 5)
    head = _head(keyed)
    assert head.key_from == 1 and head.key_id is not None
    with UnitOfWork(keyed, read_only=True) as uow:
        first = uow.session.get(AuditEntry, 1)
        assert first is not None and first.action == audit.KEY_INTRODUCED
        third = uow.session.get(AuditEntry, 3)
        assert third is not None
        body = audit.canonical(
            third.id, third.at, third.desk, third.agent, third.action, third.subject, third.details
        )
    assert audit.chain_hash(third.prev_hash, body) != third.hash  # not plain SHA-256
    key = sitekey.configured_key()
    assert key is not None and audit.chain_hash(third.prev_hash, body, key) == third.hash


def test_a_chain_rewritten_without_the_key_is_found_at_the_entry(
    keyed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(keyed, 10)
    _run(
        keyed,
        update(AuditEntry).where(AuditEntry.id == 6).values(subject="permit:999"),
    )
    _recompute_from(keyed, 6, key=None)  # SHA-256: all the editor can compute
    code, out = _verify(capsys)
    assert code == 1 and "entrée n° 6" in out, out


def test_stripping_the_key_from_the_head_is_found(
    keyed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(keyed, 4)
    _run(keyed, update(AuditHead).values(key_id=None, key_from=None))
    _recompute_from(keyed, 1, key=None)
    code, out = _verify(capsys)
    assert code == 1 and "pas signé" in out, out


def test_missing_key_or_checkpoints_file_cannot_verify(
    keyed: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _write(keyed, 3)
    _checkpoint(keyed)
    assert _verify(capsys, "--checkpoints", str(tmp_path / "absent.txt"))[0] == 2
    (tmp_path / "vide.txt").write_text("")
    assert _verify(capsys, "--checkpoints", str(tmp_path / "vide.txt"))[0] == 2
    key_file = Config().audit_key_path
    key_file.rename(tmp_path / "ailleurs.key")
    sitekey._KEYRING.clear()  # a fresh process knows no key
    code, out = _verify(capsys)
    assert code == 2 and "introuvable" in out, out
    assert _verify(capsys, "--checkpoints")[0] == 2


def test_checkpoint_command_prints_the_file_last(
    keyed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(keyed, 3)
    capsys.readouterr()
    assert main(["audit", "checkpoint"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == str(Config().checkpoints_path)
    assert any("ATTENTION" in line for line in out)  # the default place must be moved
    lines = checkpoints.read(Config().checkpoints_path)
    assert [x.seq for x in lines] == [_head(keyed).last_id]
    assert _verify(capsys, "--checkpoints")[0] == 0


def _tail_cut(engine: Engine) -> None:
    keep = 8
    _run(
        engine,
        delete(AuditEntry).where(AuditEntry.id > keep),
        update(AuditHead).values(last_id=keep, last_hash=_hash_of(engine, keep)),
    )


def _first_deleted(engine: Engine) -> None:
    _run(
        engine,
        delete(AuditEntry).where(AuditEntry.id <= 4),
        update(AuditHead).values(anchor_id=4, anchor_hash=_hash_of(engine, 4)),
    )


def _emptied(engine: Engine) -> None:
    _run(
        engine,
        delete(AuditEntry),
        update(AuditHead).values(last_id=0, last_hash=audit.GENESIS, key_id=None, key_from=None),
    )


def _rewritten_with_the_key(engine: Engine) -> None:
    # The worst case: the editor holds the site key too. Only the checkpoints remain.
    _run(engine, update(AuditEntry).where(AuditEntry.id == 9).values(subject="permit:999"))
    _recompute_from(engine, 9, key=sitekey.configured_key())


@pytest.mark.parametrize(
    ("tamper", "first_bad"),
    [(_tail_cut, 9), (_first_deleted, 1), (_emptied, 1), (_rewritten_with_the_key, 1)],
    ids=["tail-cut-head-moved", "first-entries-anchor-moved", "table-emptied", "rewritten"],
)
def test_tampering_is_caught_by_the_checkpoints(
    keyed: Engine, capsys: pytest.CaptureFixture[str], tamper: object, first_bad: int
) -> None:
    _write(keyed, 12)
    _checkpoint(keyed)  # entry 14
    assert _verify(capsys, "--checkpoints")[0] == 0
    tamper(keyed)  # type: ignore[operator]
    if tamper is not _emptied and tamper is not _rewritten_with_the_key:
        assert _verify(capsys)[0] == 0  # the chain alone still looks fine
    code, out = _verify(capsys, "--checkpoints")
    assert code == 1, out
    assert f"à l'entrée n° {first_bad} " in out, out


def test_a_rewrite_is_pinned_between_two_checkpoints(
    keyed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(keyed, 5)
    first = _checkpoint(keyed)  # entry 7
    _write(keyed, 5, start=5)
    _checkpoint(keyed)  # entry 13
    _rewritten_with_the_key(keyed)
    code, out = _verify(capsys, "--checkpoints")
    assert code == 1 and f"à l'entrée n° {first.seq + 1} " in out, out


def test_a_database_swapped_for_an_older_copy_is_caught(
    keyed: Engine,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    _write(keyed, 5)
    keyed.dispose()
    path = sqlite_path(db_url)
    if path is not None:
        old = tmp_path / "ancienne.sqlite3"
        shutil.copyfile(path, old)
        older_url = f"sqlite:///{old}"
    else:  # PostgreSQL: a copy of the database as it is now, made by the server
        cluster = request.getfixturevalue("pg_cluster")
        name = f"{make_url(db_url).database}_old"
        older_url = cluster.create_database(name, template=make_url(db_url).database)
        request.addfinalizer(lambda: cluster.drop_database(name))
    _write(keyed, 5, start=5)
    _checkpoint(keyed)
    keyed.dispose()
    monkeypatch.setenv("HANDOVER_DB_URL", older_url)  # the swap
    assert _verify(capsys)[0] == 0
    code, out = _verify(capsys, "--checkpoints")
    assert code == 1 and "à l'entrée n° 7 " in out and "plus ancienne" in out, out


def test_a_changed_checkpoint_line_is_found(
    keyed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(keyed, 3)
    _checkpoint(keyed)
    _write(keyed, 3, start=3)
    _checkpoint(keyed)
    path = Config().checkpoints_path
    lines = path.read_text().splitlines()
    path.write_text(lines[1] + "\n")  # the first line removed
    code, out = _verify(capsys, "--checkpoints")
    assert code == 1 and "ligne 1" in out, out


def test_new_engine_still_extends_a_keyed_chain(keyed: Engine, db_url: str) -> None:
    sitekey._KEYRING.clear()  # another process: the key comes from the configured file
    other = make_engine(db_url)
    try:
        _write(other, 2)
    finally:
        other.dispose()
    with UnitOfWork(keyed, read_only=True) as uow:
        assert audit.verify(uow.session, key=sitekey.configured_key()).ok


def test_a_deleted_head_row_is_tampering(keyed: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    _write(keyed, 3)
    _checkpoint(keyed)
    _run(keyed, delete(AuditHead))
    code, out = _verify(capsys)
    assert code == 1 and "à l'entrée n° 1 " in out and "audit_head" in out, out
    assert _verify(capsys, "--checkpoints")[0] == 1


def test_a_checkpoint_never_blesses_tampering(
    keyed: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(keyed, 12)
    _checkpoint(keyed)
    _tail_cut(keyed)
    path = Config().checkpoints_path
    before = path.read_text()
    capsys.readouterr()
    assert main(["audit", "checkpoint"]) == 1
    assert "Aucun point de contrôle" in capsys.readouterr().out
    assert path.read_text() == before


def test_purge_refused_while_the_checkpoints_file_cannot_be_written(
    keyed: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handover.backoffice.retention import purge

    _write(keyed, 3)
    blocker = tmp_path / "pas-un-dossier"
    blocker.write_text("")
    monkeypatch.setenv("HANDOVER_AUDIT_CHECKPOINTS_FILE", str(blocker / "points.txt"))
    admin = staff(keyed)
    head = _head(keyed).last_hash
    with pytest.raises(checkpoints.CheckpointsError, match="points de contrôle"):
        purge(keyed, load_config(), now=T0 + timedelta(days=4000), actor=admin)
    assert _head(keyed).last_hash == head


def test_a_badge_still_opens_its_account_once_keyed(db_url: str, engine: Engine) -> None:
    from handover.domain.values import Role
    from handover.persistence.models import Agent
    from handover.services import accounts
    from handover.services.desks import ensure_desk

    accounts.add_agent(
        UnitOfWork(engine),
        "badgee",
        "une phrase de passe",
        role=Role.AGENT,
        badge="BADGE-0042",
        provisioning=True,
    )
    with UnitOfWork(engine, read_only=True) as uow:
        unkeyed = uow.session.execute(select(Agent.badge_hash)).scalar_one()
    audit.ensure_site_key(engine, Config())
    with UnitOfWork(engine, read_only=True) as uow:
        stored = uow.session.execute(select(Agent.badge_hash)).scalar_one()
    assert stored != unkeyed and stored == accounts.badge_digest("BADGE-0042")
    desk = ensure_desk(UnitOfWork(engine), Config())
    who = accounts.authenticate_badge(UnitOfWork(engine), "BADGE-0042", desk)
    assert who.username == "badgee"
    with UnitOfWork(engine, read_only=True) as uow:
        assert audit.verify(uow.session, key=sitekey.configured_key()).ok
