"""Delivery files that are wrong in the ways real ones are: mixed encodings, huge fields,
NUL and escape characters. Each is refused with its line number, shows the offending value
to the operator only, and leaves every table and the audit head as they were."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from handover.backoffice.imports import ImportFileError, import_permits
from handover.cli import main
from handover.config import Config
from handover.domain.values import Role
from handover.persistence.models import AuditHead, Base
from handover.persistence.uow import UnitOfWork
from tests.handover.backoffice.delivery import HEADER, row, write
from tests.handover.services.helpers import make_counter
from tests.support.accounts import run_as, staff

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ESCAPE = "\x1b[2J\x1b[31mEFFACÉ"


def everything(engine: Engine) -> tuple[object, ...]:
    """Every row of every table, in key order, and the audit head."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        tables = tuple(
            tuple(tuple(r) for r in s.execute(t.select().order_by(*t.primary_key.columns)))
            for t in Base.metadata.sorted_tables
        )
        head = tuple(s.execute(select(AuditHead.last_id, AuditHead.last_hash)).one())
    return tables, head


def utf8_file(path: Path, rows: list[dict[str, str]]) -> bytes:
    """A delivery file as bytes (``write`` encodes it in UTF-8: accented names included)."""
    return write(path, rows).read_bytes()


def test_a_stray_windows_1252_byte_in_a_utf8_file_refuses_it(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    make_counter(engine, permits=10)
    staff(engine)  # the acting account exists before the snapshot
    before = everything(engine)
    data = utf8_file(tmp_path / "l.csv", [row(700_001), row(700_002), row(700_003, nom="NAME3")])
    # Line 4 (header, rows 1 and 2, then row 3): one name typed in another encoding.
    data = data.replace(b"NAME3", "Hélène-Zoé".encode("cp1252"))
    (tmp_path / "l.csv").write_bytes(data)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ImportFileError) as caught:
        import_permits(engine, Config(), tmp_path / "l.csv", now=NOW, actor=staff(engine))
    error = caught.value
    assert "mélange deux encodages" in error.message
    assert "l'octet 0xE9 ligne 4" in error.message
    assert "H" + "\\xe9" + "l" in error.shown and error.shown.startswith("ligne 4 : ")
    assert "Hélène" not in error.message and "\\xe9" not in error.message
    assert "\\xe9" not in caplog.text and "NAME3" not in caplog.text
    assert everything(engine) == before


def test_a_bom_file_with_a_windows_1252_byte_is_refused(engine: Engine, tmp_path: Path) -> None:
    staff(engine)  # the acting account exists before the snapshot
    before = everything(engine)
    data = b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n" + b"Benali;H\xe9l\xe8ne;"
    (tmp_path / "l.csv").write_bytes(data)
    with pytest.raises(ImportFileError, match="ligne 2"):
        import_permits(engine, Config(), tmp_path / "l.csv", now=NOW, actor=staff(engine))
    assert everything(engine) == before


def test_a_file_windows_1252_throughout_is_still_read(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", [row(1, nom="Hélène"), row(2)], encoding="cp1252")
    report = import_permits(engine, Config(), path, now=NOW, actor=staff(engine))
    assert report.encoding == "Windows-1252" and report.imported == 2


def test_a_field_beyond_the_csv_limit_names_its_line(engine: Engine, tmp_path: Path) -> None:
    make_counter(engine, permits=10)
    staff(engine)  # the acting account exists before the snapshot
    before = everything(engine)
    path = write(
        tmp_path / "l.csv", [row(700_001), row(700_002), row(700_003, categorie="x" * 140_000)]
    )
    with pytest.raises(ImportFileError) as caught:
        import_permits(engine, Config(), path, now=NOW, actor=staff(engine))
    assert "Ligne 4 : un champ dépasse 131\u00a0072 caractères" in caught.value.message
    assert everything(engine) == before


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"nom": "B" * 121}, "colonne nom trop longue (121 caractères, 120 au plus)"),
        ({"prenoms": "É" * 161}, "colonne prenoms trop longue (161 caractères, 160 au plus)"),
        ({"nationalite": "D" * 5000}, "colonne nationalite trop longue (5000 caractères"),
        (
            {"nom": "Ben\x00ali"},
            "colonne nom : caractère de contrôle U+0000 refusé : « Ben\\x00ali »",
        ),
        ({"prenoms": ESCAPE}, "U+001B refusé : « \\x1b[2J\\x1b[31mEFFACÉ »"),
        ({"nom": "Benali\nDupont"}, "colonne nom : caractère de contrôle U+000A"),
        ({"casier": "B-1\r2"}, "colonne casier : caractère de contrôle U+000D"),
        ({"nom": "Benali\u202eilaneB"}, "U+202E refusé : « Benali\\u202eilaneB »"),
        ({"telephone": "06\t12 34 56 78"}, "colonne telephone : caractère de contrôle U+0009"),
        ({"categorie": "Carte\x85résident"}, "U+0085"),
    ],
)
def test_long_fields_and_control_characters_are_refused_by_line(
    engine: Engine,
    tmp_path: Path,
    change: dict[str, str],
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_counter(engine, permits=10)
    staff(engine)  # the acting account exists before the snapshot
    before = everything(engine)
    caplog.set_level(logging.DEBUG)
    path = write(tmp_path / "l.csv", [row(700_001), row(700_002, **change), row(700_003)])
    report = import_permits(engine, Config(), path, now=NOW, actor=staff(engine))
    assert report.refused and not report.committed
    assert [r.line for r in report.rejected] == [3]
    shown = str(report.rejected[0])
    assert reason in shown, shown
    assert not any(c in shown for c in "\x00\x1b\n\r\t\u202e\x85")
    assert len(shown) < 200
    assert everything(engine) == before
    value = next(iter(change.values()))
    assert value[:8] not in caplog.text
    # With --valid-only the two good rows go in, the bad one stays out, nothing else moves.
    report = import_permits(engine, Config(), path, now=NOW, valid_only=True, actor=staff(engine))
    assert report.committed and report.imported == 2


def test_the_command_shows_the_value_on_the_terminal_never_raw(
    db_url: str,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    chef = run_as(engine, tmp_path, monkeypatch, Role.SUPERVISOR)
    escape = write(tmp_path / "esc.csv", [row(1, prenoms=ESCAPE)])
    assert main(["import", str(escape), *chef]) == 1
    out, err = capsys.readouterr()
    assert "ligne 2 : colonne prenoms : caractère de contrôle U+001B" in out
    assert "\\x1b[2J" in out and "\x1b" not in out + err

    mixed = tmp_path / "mixed.csv"
    data = utf8_file(mixed, [row(1), row(2, nom="NAME2")])
    mixed.write_bytes(data.replace(b"NAME2", b"Ben\xe9"))
    assert main(["import", str(mixed), *chef]) == 2
    out, err = capsys.readouterr()
    assert "ligne 3 : Ben\\xe9;" in out  # the line, on the terminal
    assert "l'octet 0xE9 ligne 3" in err and "Ben" not in err  # the error text: no name


def test_check_shows_escape_sequences_stored_earlier_without_running_them(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import update

    from handover.persistence.engine import make_engine
    from handover.persistence.models import Permit, PermitState
    from tests.handover.services.helpers import permit_in_state

    engine = make_engine(db_url)
    try:
        make_counter(engine, permits=10)
        permit = permit_in_state(engine, PermitState.NOTIFIED)
        with UnitOfWork(engine) as uow:  # as a database filled before imports were checked
            uow.session.execute(update(Permit).where(Permit.id == permit.id).values(surname=ESCAPE))
            uow.commit()
    finally:
        engine.dispose()
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    assert permit.handover_reference is not None
    main(["check", permit.handover_reference])
    out, err = capsys.readouterr()
    assert "\\x1b[2J\\x1b[31" in out  # shown (the verdict writes the surname in capitals)
    assert "\x1b" not in out + err
