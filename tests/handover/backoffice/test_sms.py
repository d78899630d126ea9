"""SMS text: GSM-7 / UCS-2 segment counting, templates, export and confirmation."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from handover.backoffice.imports import import_permits
from handover.backoffice.sms import (
    DEFAULT_NOTIFICATION,
    SmsError,
    SmsTemplate,
    confirm_notifications,
    count_segments,
    export_notifications,
    opening_text,
)
from handover.config import Config
from handover.domain.opening_window import Schedule, WeeklyRule
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.reference import parse_reference
from tests.handover.backoffice.conftest import snapshot
from tests.handover.backoffice.delivery import row, write
from tests.support.accounts import staff

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("é" * 160, "GSM-7", 160, 1),  # é è à ù are in the GSM alphabet
        ("€" * 80, "GSM-7", 160, 1),  # extension characters count two
        ("€" * 81, "GSM-7", 162, 2),
        # An escape pair never straddles two segments: 152 + (2 | 151) + 1.
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
        ("ê" * 70, "UCS-2", 70, 1),  # ê is not GSM: the whole text goes UCS-2
        ("ê" * 71, "UCS-2", 71, 2),
        ("a" * 133 + "œ", "UCS-2", 134, 2),
        ("a" * 134 + "œ", "UCS-2", 135, 3),
        ("😀" * 35, "UCS-2", 70, 1),  # an emoji is two UTF-16 units
        ("a" * 66 + "😀" + "a" * 66, "UCS-2", 134, 3),  # the pair is not split: 66 | 2+65 | 1
    ],
)
def test_segments(text: str, encoding: str, units: int, segments: int) -> None:
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


def test_non_gsm_characters_are_named() -> None:
    assert count_segments("Préfecture « Grenoble » : être là").non_gsm == ("«", "»", "ê")


def test_opening_days_and_hours_come_from_the_schedule() -> None:
    assert opening_text(Schedule()) == ("lundi, mardi, mercredi et vendredi", "de 9h à 11h")
    campus = Schedule(
        rules=(WeeklyRule(0, time(9, 30), time(15, 30)), WeeklyRule(1, time(9, 30), time(15, 30)))
    )
    assert opening_text(campus) == ("lundi et mardi", "de 9h30 à 15h30")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Bonjour {nom}, réf. {reference}", "le repère {nom}, qui n'existe pas"),
        ("Venez avec {montant}", "ne contient pas {reference}"),
        ("Réf. {reference", "accolade seule"),
        ("Réf. {reference} {montant:>10}", "met un format après {montant}"),
        ("Réf. {reference} {}", "le repère {}"),
    ],
)
def test_template_errors(text: str, message: str) -> None:
    with pytest.raises(SmsError) as caught:
        SmsTemplate(text)
    assert message in caught.value.message


def _setup(engine: Engine, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    report = import_permits(
        engine, Config(), write(tmp_path / "in.csv", rows), now=NOW, actor=staff(engine)
    )
    assert report.committed, report.summary()


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";"))


def _state(engine: Engine) -> dict[str, tuple[PermitState, str | None]]:
    with UnitOfWork(engine, read_only=True) as uow:
        return {
            p.card_number: (p.state, p.handover_reference)
            for p in uow.session.execute(select(Permit)).scalars()
        }


def test_export_then_confirm_marks_exactly_the_exported_permits(
    engine: Engine, tmp_path: Path
) -> None:
    _setup(
        engine,
        tmp_path,
        [
            row(1, carte_precedente="oui"),
            row(2, carte_precedente="non", montant_timbres="75,50"),
            row(3),
            row(4, telephone=""),
        ],
    )
    out = tmp_path / "sms.csv"
    result = export_notifications(engine, Config(), out, limit=2, now=NOW, actor=staff(engine))
    assert (result.messages, result.without_phone) == (2, 1)
    lines = _read(out)
    assert [r["telephone"] for r in lines] == ["+33612010000", "+33612020000"]
    states = _state(engine)
    for line, card in zip(lines, ("IR000000001", "IR000000002"), strict=True):
        state, code = states[card]
        assert state == PermitState.RECEIVED  # notified only once confirmed
        assert code is not None and parse_reference(line["reference"]).code == code
        assert f"(réf. {line['reference']})" in line["message"]
        assert "le lundi, mardi, mercredi et vendredi de 9h à 11h" in line["message"]
        assert count_segments(line["message"]).segments <= 2
    assert "225 €, et votre ancien titre." in lines[0]["message"]
    assert "75,50 €." in lines[1]["message"] and "ancien titre" not in lines[1]["message"]
    assert states["IR000000003"] == (PermitState.RECEIVED, None)

    confirmed = confirm_notifications(engine, Config(), out, now=NOW, actor=staff(engine))
    assert (confirmed.marked, confirmed.already, confirmed.problems) == (2, 0, ())
    states = _state(engine)
    assert [states[f"IR00000000{i}"][0] for i in (1, 2, 3, 4)] == [
        PermitState.NOTIFIED,
        PermitState.NOTIFIED,
        PermitState.RECEIVED,
        PermitState.RECEIVED,
    ]
    again = confirm_notifications(
        engine, Config(), out, now=NOW + timedelta(hours=1), actor=staff(engine)
    )
    assert (again.marked, again.already) == (0, 2)
    next_batch = export_notifications(
        engine, Config(), tmp_path / "next.csv", now=NOW, actor=staff(engine)
    )
    assert (
        next_batch.messages == 1 and _read(tmp_path / "next.csv")[0]["telephone"] == "+33612030000"
    )


def test_export_twice_before_confirming_gives_the_same_references(
    engine: Engine, tmp_path: Path
) -> None:
    _setup(engine, tmp_path, [row(1), row(2)])
    export_notifications(engine, Config(), tmp_path / "a.csv", now=NOW, actor=staff(engine))
    export_notifications(engine, Config(), tmp_path / "b.csv", now=NOW, actor=staff(engine))
    assert _read(tmp_path / "a.csv") == _read(tmp_path / "b.csv")


def test_an_edited_line_is_not_confirmed(engine: Engine, tmp_path: Path) -> None:
    _setup(engine, tmp_path, [row(1), row(2)])
    out = tmp_path / "sms.csv"
    export_notifications(engine, Config(), out, now=NOW, actor=staff(engine))
    text = out.read_text(encoding="utf-8").replace("+33612020000", "+33699999999")
    out.write_text(text + "+33611111111;x;ABCD-EFGH-J\r\n", encoding="utf-8")
    result = confirm_notifications(engine, Config(), out, now=NOW, actor=staff(engine))
    assert result.marked == 1
    assert len(result.problems) == 2
    assert "ligne 3 : le téléphone ne correspond pas" in result.problems[0]
    assert "ligne 4 : référence ABCD-EFGH-J inconnue" in result.problems[1]


def test_template_too_long_is_refused_with_its_segment_count(
    engine: Engine, tmp_path: Path
) -> None:
    _setup(engine, tmp_path, [row(1)])
    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    template = tmp_path / "modele.txt"
    # 11 characters of reference + space + 140 « ê »: 152 UCS-2 units, 67 + 67 + 18.
    template.write_text("{reference} " + "ê" * 140 + "\n", encoding="utf-8")
    with pytest.raises(SmsError) as caught:
        export_notifications(
            engine,
            Config(),
            tmp_path / "sms.csv",
            template=SmsTemplate.from_file(template),
            actor=staff(engine),
        )
    assert "ferait 3 segments (UCS-2, 152 unités)" in caught.value.message
    assert "« ê »" in caught.value.message
    assert snapshot(engine) == before
    assert not (tmp_path / "sms.csv").exists()


def test_default_template_is_gsm_and_fits_two_segments() -> None:
    from handover.backoffice.sms import check_template

    count = check_template(Config(), SmsTemplate(DEFAULT_NOTIFICATION))
    assert count.encoding == "GSM-7" and count.segments == 2
