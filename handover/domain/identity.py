"""Does a document name the permit's holder? Surname, first given name and birth date."""

from __future__ import annotations

import re
from datetime import date

from handover.domain.names import names_match
from handover.domain.values import PermitSummary

_SEPARATORS = re.compile(r"[\s\-<]+")


def _given_tokens(given_names: str) -> list[str]:
    return [t for t in _SEPARATORS.split(given_names.strip()) if t]


def first_given_name_matches(document_given: str, record_given: str) -> bool:
    """The document's first given name is one of the record's given names.

    A compound name (« Jean-Pierre ») counts whole and by its parts; an MRZ may have cut
    a long name, which ``names_match`` accepts.
    """
    doc = _given_tokens(document_given)
    record = _given_tokens(record_given)
    if not doc:
        return not record
    if not record:
        return False
    candidates = [*record, *record_given.split()]
    first = doc[0]
    # An MRZ writes « JEAN<PIERRE » for Jean-Pierre: its first two tokens may be one name.
    firsts = [first, "".join(doc[:2])] if len(doc) > 1 else [first]
    return any(names_match(f, r) for f in firsts for r in candidates)


def births_match(document_birth: date | None, record_birth: date) -> bool:
    """Same birth date; an MRZ writes only two digits of the year, so its century is a
    guess (a holder born in 1911 reads as 2011): day, month and year modulo 100 decide."""
    if document_birth is None:
        return False
    return (document_birth.month, document_birth.day, document_birth.year % 100) == (
        record_birth.month,
        record_birth.day,
        record_birth.year % 100,
    )


def identity_differences(
    *,
    document_surname: str,
    document_given: str,
    document_birth: date | None,
    record_surname: str,
    record_given: str,
    record_birth: date,
) -> tuple[str, ...]:
    """What differs between a document and the holder's record, in French; empty: same person."""
    differs = []
    if not names_match(document_surname, record_surname):
        differs.append("nom")
    if not first_given_name_matches(document_given, record_given):
        differs.append("prénom")
    if not births_match(document_birth, record_birth):
        differs.append("date de naissance")
    return tuple(differs)


def holder_differences(
    surname: str, given_names: str, birth: date | None, permit: PermitSummary
) -> tuple[str, ...]:
    """``identity_differences`` between what a document reads and the permit's holder."""
    return identity_differences(
        document_surname=surname,
        document_given=given_names,
        document_birth=birth,
        record_surname=permit.surname,
        record_given=permit.given_names,
        record_birth=permit.birth_date,
    )
