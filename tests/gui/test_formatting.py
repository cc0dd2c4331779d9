"""Dates follow the user's locale, and ISO 8601 when none is configured."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale

from vcio_desk.ui.formatting import format_date


def test_locale_short_dates() -> None:
    day = dt.date(2026, 11, 30)
    assert (
        format_date(day, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        == "11/30/26"
    )
    assert format_date(day, QLocale(QLocale.Language.German, QLocale.Country.Germany)) == "30.11.26"
    assert format_date(day, QLocale.c()) == "2026-11-30"
    assert format_date(None) == ""
