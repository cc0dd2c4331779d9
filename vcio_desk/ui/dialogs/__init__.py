"""Dialogs of the desktop app (each replaceable in tests; see their ``ask``/openers)."""
