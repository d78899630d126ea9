"""The one error family of the core: every error carries a French message for the agent."""

from __future__ import annotations


class HandoverError(Exception):
    """Base of every error the core raises on purpose.

    ``message`` says what happened and what to do, in French, for the person at the desk.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(HandoverError):
    """A configuration value is missing or wrong."""


class AccountDisabled(HandoverError):
    """The acting account was disabled (or removed) since it logged in: its session ends."""


class DatabaseUnavailable(HandoverError):
    """The database cannot be reached or refused the operation."""


class CommitOutcomeUnknown(DatabaseUnavailable):
    """The connection was lost while a handover was being committed, and the database could
    not be asked afterwards whether the commit went through.

    The screen says "résultat inconnu", prints no receipt, and asks again
    (``CounterService.find_handover(permit_id)``) once the database answers.
    """

    def __init__(self, message: str, *, permit_id: int) -> None:
        super().__init__(message)
        self.permit_id = permit_id
