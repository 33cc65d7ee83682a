"""Errors the user can act on. Their messages are shown as they are, in Chinese."""

from __future__ import annotations


class MinqingError(Exception):
    """Base of every error whose message is meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DomainError(MinqingError):
    """A rule was broken; `field` names the input to fix (None when it is the whole record)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(MinqingError):
    pass


class DatabaseFileError(MinqingError):
    """The file cannot be used: not a database, from a newer program, or unreadable."""


class DatabaseBusy(MinqingError):
    """Another writer held the database longer than this program waits; trying later helps."""
