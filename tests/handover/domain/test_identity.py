"""Whether a document names the holder: surname, first given name, birth date."""

from __future__ import annotations

from datetime import date

import pytest

from handover.domain.identity import births_match, first_given_name_matches, identity_differences
from handover.domain.text import parse_day


@pytest.mark.parametrize(
    ("document", "record"),
    [
        ("MARIE", "Marie Claire"),
        ("CLAIRE", "Marie Claire"),  # the document's first is among the record's
        ("JEAN PIERRE", "Jean-Pierre"),  # an MRZ writes the hyphen as a filler
        ("JEAN", "Jean-Pierre Paul"),
        ("SEAN", "Seán"),
        ("", ""),
    ],
)
def test_first_given_name_found(document: str, record: str) -> None:
    assert first_given_name_matches(document, record)


@pytest.mark.parametrize(
    ("document", "record"),
    [("PAUL", "Marie Claire"), ("", "Marie"), ("MARIE", ""), ("ANNE", "Marianne")],
)
def test_first_given_name_not_found(document: str, record: str) -> None:
    assert not first_given_name_matches(document, record)


def test_differences_are_named_in_french() -> None:
    same = identity_differences(
        document_surname="NGUESSAN MUELLER",
        document_given="AYA",
        document_birth=date(1990, 5, 1),
        record_surname="N'Guessan-Müller",
        record_given="Aya Grâce",
        record_birth=date(1990, 5, 1),
    )
    assert same == ()
    other = identity_differences(
        document_surname="DIALLO",
        document_given="FATOU",
        document_birth=date(1991, 5, 1),
        record_surname="Diop",
        record_given="Aya",
        record_birth=date(1990, 5, 1),
    )
    assert other == ("nom", "prénom", "date de naissance")


def test_an_mrz_century_is_a_guess() -> None:
    assert births_match(date(2011, 11, 11), date(1911, 11, 11))
    assert not births_match(date(2011, 11, 12), date(1911, 11, 11))
    assert not births_match(None, date(1911, 11, 11))


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("03/11/2026", date(2026, 11, 3)),
        ("3.11.2026", date(2026, 11, 3)),
        ("03112026", date(2026, 11, 3)),
        ("31/02/2026", None),
        ("hier", None),
    ],
)
def test_a_day_typed_the_french_way(typed: str, day: date | None) -> None:
    assert parse_day(typed) == day
