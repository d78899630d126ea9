"""Import of the delivery file: formats, encodings, duplicates, all-or-nothing, idempotence."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from handover import audit
from handover.backoffice.imports import ImportFileError, ImportReport, import_permits
from handover.config import Config
from handover.persistence.models import AuditEntry, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.resources import get_resource_path
from tests.handover.backoffice.conftest import snapshot
from tests.handover.backoffice.delivery import HEADER, row, write
from tests.support.accounts import staff

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def run(
    engine: Engine, path: Path, *, valid_only: bool = False, dry_run: bool = False
) -> ImportReport:
    return import_permits(
        engine, Config(), path, now=NOW, valid_only=valid_only, dry_run=dry_run, actor=staff(engine)
    )


def permits(engine: Engine) -> list[Permit]:
    with UnitOfWork(engine, read_only=True) as uow:
        return list(uow.session.execute(select(Permit).order_by(Permit.card_number)).scalars())


def import_entries(engine: Engine) -> list[AuditEntry]:
    with UnitOfWork(engine, read_only=True) as uow:
        return list(
            uow.session.execute(
                select(AuditEntry).where(AuditEntry.action == "permits_import")
            ).scalars()
        )


def test_sample_file_is_imported_as_received_permits(engine: Engine) -> None:
    report = import_permits(
        engine, Config(), get_resource_path("samples", "livraison-exemple.csv"), actor=staff(engine)
    )
    assert report.committed and report.imported == 4 and not report.rejected
    rows = permits(engine)
    assert [p.card_number for p in rows] == [f"IR12345678{i}" for i in range(4)]
    first = rows[0]
    assert first.surname == "N'Guessan-Müller" and first.given_names == "Éléonore"
    assert first.name_key == "NGUESSANMULLER"
    assert first.birth_date == date(1991, 2, 14)
    assert first.state == PermitState.RECEIVED and first.received_at is not None
    assert first.storage_slot == "B-12" and first.phone == "+33612345678"
    assert first.fee_cents == 22500 and first.previous_card_expected
    assert rows[1].numero_etranger == "750123456" and rows[1].phone == "+33798765432"
    assert rows[2].anef_request_number is None and rows[2].phone == "+33611223344"
    assert rows[3].fee_cents == Config().fees.default_cents and rows[3].phone == "+34612345678"
    assert all(p.handover_reference is None and p.notified_at is None for p in rows)
    entries = import_entries(engine)
    assert len(entries) == 1  # one entry per batch, not per row
    assert json.loads(entries[0].details)["imported"] == 4
    assert "Müller" not in entries[0].details  # no personal data in the audit trail
    with UnitOfWork(engine, read_only=True) as uow:
        assert audit.verify(uow.session).ok


def test_importing_the_same_file_again_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", [row(i) for i in range(1, 6)])
    first = run(engine, path)
    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    again = run(engine, path)
    assert first.imported == 5
    assert again.imported == 0 and again.already_imported == 5
    assert not again.refused
    assert "déjà importés (ignorés) : 5" in again.summary()
    assert snapshot(engine) == before


def test_windows_1252_comma_separated_file(engine: Engine, tmp_path: Path) -> None:
    rows = [row(i, nom="Benali-Müller", prenoms="Hélène Aïssata") for i in range(1, 4)]
    path = write(tmp_path / "l.csv", rows, encoding="cp1252", delimiter=",")
    report = run(engine, path)
    assert report.encoding == "Windows-1252" and report.delimiter == ","
    assert report.imported == 3, report.summary()
    assert {(p.surname, p.given_names) for p in permits(engine)} == {
        ("Benali-Müller", "Hélène Aïssata")
    }


def test_utf8_bom_and_header_names_written_by_hand(engine: Engine, tmp_path: Path) -> None:
    header = HEADER.replace("nom;prenoms", "Nom ;Prénoms").replace(
        "date_naissance", "Date naissance"
    )
    path = tmp_path / "l.csv"
    write(path, [row(1)], header=HEADER)
    lines = path.read_bytes().decode().split("\r\n")
    lines[0] = header
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    report = run(engine, path)
    assert report.imported == 1 and report.encoding == "UTF-8 avec BOM"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (HEADER.encode() + b"\r\n", "que la ligne d'en-t"),
        ((HEADER + "\r\n").encode("utf-16"), "UTF-16"),
        (HEADER.encode() + b"\r\nBenali\x81;x", "Encodage du fichier non reconnu"),
        (b"nom;prenoms;date_naissance\r\nA;B;01/01/1990\r\n", "nationalite, numero_carte"),
        ((HEADER + ";couleur").encode(), "colonne(s) inconnue(s) : 'couleur'"),
        (b"just some text\r\n", "aucun séparateur"),
    ],
)
def test_unreadable_files_are_refused_whole(
    engine: Engine, tmp_path: Path, content: bytes, message: str
) -> None:
    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    path = tmp_path / "l.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        run(engine, path)
    assert message in caught.value.message
    assert snapshot(engine) == before


BAD_ROWS = [
    ({"numero_etranger": "75012345"}, "numéro étranger compte 10 chiffres"),
    ({"numero_anef": "123456789012345678"}, "ANEF compte 19 chiffres"),
    ({"numero_anef": "12345678901234567X9"}, "ne doit contenir que des chiffres"),
    ({"date_naissance": "31/02/1990"}, "n'est pas une date qui existe"),
    ({"date_naissance": "1990/02/03"}, "n'est pas une date JJ/MM/AAAA"),
    ({"nationalite": "DZ"}, "code de 3 lettres"),
    ({"valide_au": "01/01/2026"}, "la fin précède le début"),
    ({"telephone": "04 76 60 34 00"}, "n'est pas un numéro de mobile"),
    ({"telephone": "06 12"}, "téléphone « 06 12 » illisible"),
    ({"numero_carte": "IR-12/34"}, "numéro de carte « IR12/34 »"),
    ({"casier": ""}, "casier vide"),
    ({"nom": "  "}, "nom vide"),
    ({"montant_timbres": "deux cents"}, "montant « deux cents » illisible"),
    ({"carte_precedente": "peut-être"}, "attendu oui ou non"),
]


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [row(100)] + [row(i, **change) for i, (change, _m) in enumerate(BAD_ROWS)]
    path = write(tmp_path / "l.csv", rows)
    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    report = run(engine, path)
    assert report.refused and not report.committed
    rejected = report.rejected
    # Line 1 is the header, line 2 the good row: bad row k is on line k + 3.
    assert [r.line for r in rejected] == [k + 3 for k in range(len(BAD_ROWS))]
    for r, (_change, message) in zip(rejected, BAD_ROWS, strict=True):
        assert message in str(r), str(r)
    assert "Fichier REFUSÉ" in report.summary()
    assert snapshot(engine) == before


def test_valid_only_imports_the_good_rows(engine: Engine, tmp_path: Path) -> None:
    rows = [row(1), row(2, nationalite="12A"), row(3)]
    report = run(engine, write(tmp_path / "l.csv", rows), valid_only=True)
    assert report.committed and report.imported == 2
    assert [r.line for r in report.rejected] == [3]
    assert [p.card_number for p in permits(engine)] == ["IR000000001", "IR000000003"]


def test_dry_run_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    report = run(engine, write(tmp_path / "l.csv", [row(1), row(2)]), dry_run=True)
    assert report.imported == 2 and not report.committed
    assert snapshot(engine) == before


def test_duplicates_inside_the_file(engine: Engine, tmp_path: Path) -> None:
    rows = [
        row(1),
        row(1),  # same row twice: the copy is refused
        row(2),
        row(2, nom="Autre"),  # same card, another holder: both refused
        row(3),
    ]
    report = run(engine, write(tmp_path / "l.csv", rows), valid_only=True)
    by_line = {r.line: str(r) for r in report.rejected}
    assert set(by_line) == {3, 4, 5}
    assert "déjà présent ligne 2" in by_line[3]
    assert "repris ligne 5 avec d'autres données" in by_line[4]
    assert "déjà présent ligne 4 avec d'autres données" in by_line[5]
    assert [p.card_number for p in permits(engine)] == ["IR000000001", "IR000000003"]


def test_card_number_already_in_the_database_for_someone_else(
    engine: Engine, tmp_path: Path
) -> None:
    run(engine, write(tmp_path / "a.csv", [row(1)]))
    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    report = run(engine, write(tmp_path / "b.csv", [row(1, nom="Quelqu'un"), row(2)]))
    assert report.refused
    assert "déjà en base" in str(report.rejected[0])
    assert snapshot(engine) == before


@pytest.mark.slow
def test_hundred_thousand_rows(sqlite_url: str, tmp_path: Path) -> None:
    from handover.persistence.engine import make_engine

    engine = make_engine(sqlite_url)
    try:
        path = write(tmp_path / "big.csv", [row(i) for i in range(100_000)])
        seen: list[tuple[str, int, int]] = []
        report = import_permits(
            engine, Config(), path, now=NOW, progress=lambda *a: seen.append(a), actor=staff(engine)
        )
        assert report.imported == 100_000 and not report.rejected
        assert seen[-1] == ("enregistrement", 100_000, 100_000)
        assert ("vérification", 100_000, 100_000) in seen
        with UnitOfWork(engine, read_only=True) as uow:
            count = uow.session.execute(
                select(Permit.id).where(Permit.state == PermitState.RECEIVED)
            ).all()
        assert len(count) == 100_000
        assert len(import_entries(engine)) == 1
    finally:
        engine.dispose()
