"""Dates and numbers as the person using the app reads them (their locale)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale


def format_date(day: dt.date | None, locale: QLocale | None = None) -> str:
    """The locale's short date; ISO 8601 when no locale is configured (the "C" locale)."""
    if day is None:
        return ""
    locale = locale or QLocale()
    if locale.language() == QLocale.Language.C:
        return day.isoformat()
    return locale.toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)
