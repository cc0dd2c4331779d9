"""The small exception hierarchy whose messages are meant for people.

Every foreseeable failure (a bad file, an impossible rule, a locked workspace)
raises a subclass of :class:`VcioDeskError`; the CLI prints ``user_message``
and exits non-zero, the GUI shows it in a dialog. Anything else is a bug.
"""

from __future__ import annotations


class VcioDeskError(Exception):
    """An error a person can act on; ``user_message`` is one clear sentence or two."""

    exit_code: int = 1

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class ValidationError(VcioDeskError):
    """Input that breaks a domain rule (an impossible recurrence, an unknown tier...)."""

    exit_code = 2


class WorkspaceError(VcioDeskError):
    """The workspace cannot be opened or written as asked."""

    exit_code = 3


class WorkspaceLockedError(WorkspaceError):
    """Another running vcio_desk holds the workspace."""


class WorkspaceTooNewError(WorkspaceError):
    """The workspace was written by a newer vcio_desk than this one."""


class WorkspaceDamagedError(WorkspaceError):
    """The file is not a readable SQLite database or fails its integrity check."""
