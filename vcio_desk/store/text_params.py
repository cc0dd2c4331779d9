"""Statement parameters are scrubbed of NUL characters before they reach the database.

PostgreSQL refuses a NUL inside text ("cannot contain NUL (0x00) characters")
and SQLite stores it, so the same paste would save on a laptop and fail on the
team server. A NUL never means anything in a person's text: every statement on
either engine has it removed, at one place, whatever wrote it (ORM, Core, text()).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, event

NUL = "\x00"


def _scrub_value(value: Any) -> Any:
    return value.replace(NUL, "") if isinstance(value, str) and NUL in value else value


def _scrub(parameters: Any) -> Any:
    if isinstance(parameters, Mapping):
        if not any(isinstance(v, str) and NUL in v for v in parameters.values()):
            return parameters
        return {key: _scrub_value(value) for key, value in parameters.items()}
    if isinstance(parameters, tuple):
        if not any(isinstance(v, str) and NUL in v for v in parameters):
            return parameters
        return tuple(_scrub_value(value) for value in parameters)
    if isinstance(parameters, list):  # executemany: a list of rows
        return [_scrub(row) for row in parameters]
    return parameters


def scrub_nul_characters(engine: Engine) -> None:
    """Install the scrubbing on ``engine`` (both dialects, every statement)."""

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _before(
        connection: Any,
        cursor: Any,
        statement: str,
        parameters: Sequence[Any] | Mapping[str, Any] | None,
        context: Any,
        executemany: bool,
    ) -> tuple[str, Any]:
        return statement, _scrub(parameters)
