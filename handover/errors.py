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


class DatabaseUnavailable(HandoverError):
    """The database cannot be reached or refused the operation."""
