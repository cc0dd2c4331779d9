"""The rhythm editor: presets to rules, live preview, inline errors, rule -> preset round trip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QLocale

from vcio_desk.domain.presets import Preset, PresetKind, to_rule
from vcio_desk.ui.widgets.rhythm_editor import (
    EVALUATE_DELAY_MS,
    RhythmEditor,
    preset_for_rule,
    to_qdate,
)

D = dt.date
ANCHOR = D(2026, 11, 20)  # a Friday
C_LOCALE = QLocale(QLocale.Language.C)


@pytest.fixture
def make_editor(qtbot) -> Callable[..., RhythmEditor]:
    def make(fiscal_start_month: int = 1) -> RhythmEditor:
        editor = RhythmEditor(ANCHOR, fiscal_start_month, locale=C_LOCALE)
        qtbot.addWidget(editor)
        editor.show()
        return editor

    return make


def pick(editor: RhythmEditor, kind: PresetKind) -> None:
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData(kind.value))


def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


def visible_fields(editor: RhythmEditor) -> set[str]:
    fields = {
        "weekday": editor.weekday_combo,
        "nth": editor.nth_combo,
        "interval": editor.interval_spin,
        "day": editor.day_spin,
        "quarter_month": editor.quarter_month_combo,
        "quarter_basis": editor.quarter_basis_combo,
        "custom": editor.custom_edit,
    }
    return {name for name, widget in fields.items() if editor.form.isRowVisible(widget)}


def test_starts_weekly_on_monday_from_as_of(make_editor) -> None:
    editor = make_editor()
    assert editor.anchor() == ANCHOR
    assert editor.kind() is PresetKind.WEEKLY
    assert editor.is_valid()
    assert editor.rule() == "FREQ=WEEKLY;BYDAY=MO"
    assert editor.description() == "Weekly on Monday"
    assert visible_fields(editor) == {"weekday"}
    assert len(editor.preview_dates()) == 8


@pytest.mark.parametrize(
    ("kind", "setup", "fields", "rule", "description", "first_dates"),
    [
        (
            PresetKind.WEEKLY,
            lambda e: choose(e.weekday_combo, "Tuesday"),
            {"weekday"},
            "FREQ=WEEKLY;BYDAY=TU",
            "Weekly on Tuesday",
            [D(2026, 11, 24), D(2026, 12, 1), D(2026, 12, 8)],
        ),
        (
            PresetKind.EVERY_N_WEEKS,
            lambda e: e.interval_spin.setValue(2),
            {"weekday", "interval"},
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            "Every 2 weeks on Monday",
            [D(2026, 11, 30), D(2026, 12, 14), D(2026, 12, 28)],
        ),
        (
            PresetKind.MONTHLY_DAY,
            lambda e: e.day_spin.setValue(0),  # below 1: "Last day"
            {"day"},
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "Monthly on the last day",
            [D(2026, 11, 30), D(2026, 12, 31), D(2027, 1, 31), D(2027, 2, 28)],
        ),
        (
            PresetKind.MONTHLY_DAY,
            lambda e: e.day_spin.setValue(15),
            {"day"},
            "FREQ=MONTHLY;BYMONTHDAY=15",
            "Monthly on the 15th",
            [D(2026, 12, 15), D(2027, 1, 15)],
        ),
        (
            PresetKind.MONTHLY_NTH_WEEKDAY,
            lambda e: (choose(e.nth_combo, "2nd"), choose(e.weekday_combo, "Wednesday")),
            {"nth", "weekday"},
            "FREQ=MONTHLY;BYDAY=2WE",
            "Monthly on the 2nd Wednesday",
            [D(2026, 12, 9), D(2027, 1, 13), D(2027, 2, 10)],
        ),
        (
            PresetKind.QUARTERLY_NTH_WEEKDAY,
            lambda e: (choose(e.nth_combo, "1st"), choose(e.weekday_combo, "Monday")),
            {"nth", "weekday", "quarter_month", "quarter_basis"},
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1MO",
            "Quarterly on the 1st Monday of Jan, Apr, Jul and Oct",
            [D(2027, 1, 4), D(2027, 4, 5), D(2027, 7, 5)],
        ),
        (
            PresetKind.TWICE_A_YEAR,
            lambda e: None,
            set(),
            "FREQ=MONTHLY;INTERVAL=6",
            "Twice a year on the 20th",
            [D(2026, 11, 20), D(2027, 5, 20), D(2027, 11, 20)],
        ),
        (
            PresetKind.YEARLY,
            lambda e: None,
            set(),
            "FREQ=YEARLY",
            "Yearly on 20 November",
            [D(2026, 11, 20), D(2027, 11, 20)],
        ),
        (
            PresetKind.CUSTOM,
            lambda e: e.custom_edit.setText("freq=monthly; interval=3"),
            {"custom"},
            "FREQ=MONTHLY;INTERVAL=3",
            "Quarterly on the 20th",
            [D(2026, 11, 20), D(2027, 2, 20), D(2027, 5, 20)],
        ),
    ],
)
def test_presets_produce_rules_and_preview(
    make_editor, kind, setup, fields, rule, description, first_dates
) -> None:
    editor = make_editor()
    editor.tolerance_spin.setValue(1)
    pick(editor, kind)
    setup(editor)
    editor.flush()
    assert editor.error_message() == ""
    assert visible_fields(editor) == fields
    assert editor.rule() == rule
    assert editor.description() == description
    dates = editor.preview_dates()
    assert len(dates) == 8
    assert dates[: len(first_dates)] == first_dates
    assert editor.description_label.text() == description
    assert editor.rule_label.text() == f"RRULE: {rule}"
    weekday = C_LOCALE.dayName(dates[0].isoweekday(), QLocale.FormatType.ShortFormat)
    assert editor.date_labels[0].text() == f"{weekday} {dates[0].isoformat()}"
    assert editor.error_row.isHidden()


def test_quarters_follow_the_clients_fiscal_year(make_editor) -> None:
    editor = make_editor(fiscal_start_month=7)  # FY quarters: Jul-Sep, Oct-Dec, Jan-Mar, Apr-Jun
    editor.tolerance_spin.setValue(7)
    pick(editor, PresetKind.QUARTERLY_NTH_WEEKDAY)
    choose(editor.nth_combo, "last")
    choose(editor.weekday_combo, "Friday")
    choose(editor.quarter_month_combo, "3rd month")
    assert editor.quarter_basis_combo.count() == 2
    assert "year starts in July" in editor.quarter_basis_combo.itemText(1)
    editor.quarter_basis_combo.setCurrentIndex(1)
    editor.flush()
    assert editor.rule() == "FREQ=YEARLY;BYMONTH=3,6,9,12;BYDAY=-1FR"
    assert editor.preview_dates()[:3] == [D(2026, 12, 25), D(2027, 3, 26), D(2027, 6, 25)]
    choose(editor.quarter_month_combo, "1st month")
    editor.flush()
    assert editor.rule() == "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=-1FR"


def test_preview_waits_for_the_typing_pause(qtbot, make_editor) -> None:
    editor = make_editor()
    pick(editor, PresetKind.CUSTOM)
    editor.flush()
    editor.custom_edit.clear()
    qtbot.keyClicks(editor.custom_edit, "FREQ=MONTHLY;BYDAY=1TH")
    assert editor.pending, "evaluation must wait for the pause"
    with qtbot.waitSignal(editor.evaluated, timeout=EVALUATE_DELAY_MS * 10):
        pass
    assert not editor.pending
    assert editor.description() == "Monthly on the 1st Thursday"
    assert editor.preview_dates()[0] == D(2026, 12, 3)


def test_changing_the_anchor_moves_the_preview(make_editor) -> None:
    editor = make_editor()
    pick(editor, PresetKind.YEARLY)
    editor.anchor_edit.setDate(to_qdate(D(2027, 2, 1)))
    editor.flush()
    assert editor.description() == "Yearly on 1 February"
    assert editor.preview_dates()[:2] == [D(2027, 2, 1), D(2028, 2, 1)]


def test_preview_from_a_later_date(make_editor) -> None:
    editor = make_editor()
    editor.set_rhythm("FREQ=MONTHLY;BYMONTHDAY=1", D(2025, 1, 1), 5)
    editor.set_preview_from(D(2026, 11, 20))
    editor.flush()
    assert editor.preview_dates()[:2] == [D(2026, 12, 1), D(2027, 1, 1)]
    assert editor.dates_caption.text() == "Next 8 dates from 2026-11-20:"


def test_tolerance_too_wide_for_weekly_is_shown_inline(make_editor) -> None:
    editor = make_editor()
    editor.flush()
    assert editor.is_valid()
    with_signal: list[bool] = []
    editor.validity_changed.connect(with_signal.append)
    editor.tolerance_spin.setValue(4)  # weekly slots are 7 days apart: at most 3
    editor.flush()
    assert not editor.is_valid()
    assert with_signal == [False]
    assert "too wide" in editor.error_message()
    assert "at most 3 days" in editor.error_message()
    assert not editor.error_row.isHidden()
    assert editor.error_label.text() == editor.error_message()
    assert editor.error_icon.pixmap() is not None and not editor.error_icon.pixmap().isNull()
    assert editor.description_label.isHidden()
    assert all(label.isHidden() for label in editor.date_labels)
    assert editor.rule() == ""
    editor.tolerance_spin.setValue(3)
    editor.flush()
    assert editor.is_valid() and with_signal == [False, True]
    assert editor.error_row.isHidden()


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=MONTHLY;UNTIL=20260101", "before its anchor date"),
        ("FREQ=HOURLY", "repeats within a day"),
        ("INTERVAL=2", "has no FREQ"),
        ("FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2", "produces no date"),
        ("", "Type a recurrence rule"),
    ],
)
def test_custom_rule_errors_are_shown(make_editor, rule: str, expected: str) -> None:
    editor = make_editor()
    pick(editor, PresetKind.CUSTOM)
    editor.custom_edit.setText(rule)
    editor.flush()
    assert not editor.is_valid()
    assert expected in editor.error_label.text()
    assert not editor.error_row.isHidden()


@pytest.mark.parametrize(
    ("rule", "fiscal", "kind", "fields"),
    [
        ("FREQ=WEEKLY;BYDAY=FR", 1, PresetKind.WEEKLY, {"weekday": "Friday"}),
        ("FREQ=WEEKLY;BYDAY=TH;INTERVAL=3", 1, PresetKind.EVERY_N_WEEKS, {"interval": 3}),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", 1, PresetKind.MONTHLY_DAY, {"day": "Last day"}),
        ("FREQ=MONTHLY;BYMONTHDAY=12", 1, PresetKind.MONTHLY_DAY, {"day": "12"}),
        ("FREQ=MONTHLY;BYDAY=2WE", 1, PresetKind.MONTHLY_NTH_WEEKDAY, {"nth": "2nd"}),
        ("FREQ=MONTHLY;BYDAY=-1FR", 1, PresetKind.MONTHLY_NTH_WEEKDAY, {"nth": "last"}),
        (
            "FREQ=YEARLY;BYMONTH=10,1,4,7;BYDAY=2TU",
            1,
            PresetKind.QUARTERLY_NTH_WEEKDAY,
            {"quarter_month": "1st month", "basis": 1},
        ),
        (
            "FREQ=YEARLY;BYMONTH=2,5,8,11;BYDAY=2TU",
            7,
            PresetKind.QUARTERLY_NTH_WEEKDAY,
            {"quarter_month": "2nd month", "basis": 7},
        ),
        ("FREQ=MONTHLY;INTERVAL=6", 1, PresetKind.TWICE_A_YEAR, {}),
        ("freq=yearly", 1, PresetKind.YEARLY, {}),
        ("FREQ=MONTHLY;INTERVAL=3", 1, PresetKind.EVERY_N_MONTHS, {"interval": 3}),
        ("FREQ=MONTHLY", 1, PresetKind.EVERY_N_MONTHS, {"interval": 1}),
        ("FREQ=WEEKLY;BYDAY=MO,TH", 1, PresetKind.CUSTOM, {}),
        ("FREQ=MONTHLY;BYMONTHDAY=30", 1, PresetKind.CUSTOM, {}),
        ("FREQ=WEEKLY;BYDAY=MO;COUNT=10", 1, PresetKind.CUSTOM, {}),
    ],
)
def test_existing_rule_opens_on_its_preset(
    make_editor, rule: str, fiscal: int, kind: PresetKind, fields: dict
) -> None:
    editor = make_editor(fiscal_start_month=fiscal)
    editor.set_rhythm(rule, D(2026, 1, 15), 1)
    assert editor.kind() is kind
    assert editor.anchor() == D(2026, 1, 15)
    assert editor.tolerance_days() == 1
    assert editor.is_valid(), editor.error_message()
    # Saving it unchanged gives the same rule back (parts in any order).
    assert preset_for_rule(editor.rule(), fiscal) == preset_for_rule(rule, fiscal)
    assert editor.rule() == to_rule(editor.preset())
    if "weekday" in fields:
        assert editor.weekday_combo.currentText() == fields["weekday"]
    if "interval" in fields:
        assert editor.interval_spin.value() == fields["interval"]
    if "day" in fields:
        assert editor.day_spin.text() == fields["day"]
    if "nth" in fields:
        assert editor.nth_combo.currentText() == fields["nth"]
    if "quarter_month" in fields:
        assert editor.quarter_month_combo.currentText() == fields["quarter_month"]
        assert editor.quarter_basis_combo.currentData() == fields["basis"]
    if "custom" in fields:
        assert editor.custom_edit.text() == fields["custom"]


def test_every_preset_round_trips() -> None:
    presets = [
        Preset(PresetKind.WEEKLY, weekday=6),
        Preset(PresetKind.EVERY_N_WEEKS, weekday=2, interval=4),
        Preset(PresetKind.MONTHLY_DAY, day_of_month=28),
        Preset(PresetKind.MONTHLY_NTH_WEEKDAY, weekday=4, nth=-1),
        Preset(PresetKind.TWICE_A_YEAR),
        Preset(PresetKind.YEARLY),
    ]
    presets += [
        Preset(PresetKind.QUARTERLY_NTH_WEEKDAY, weekday=1, nth=3, month_of_quarter=m)
        for m in (1, 2, 3)
    ]
    for preset in presets:
        assert preset_for_rule(to_rule(preset)) == preset
    fiscal = Preset(
        PresetKind.QUARTERLY_NTH_WEEKDAY, nth=2, month_of_quarter=3, fiscal_start_month=4
    )
    assert preset_for_rule(to_rule(fiscal), 4) == fiscal


def test_switching_to_custom_starts_from_the_rule_shown(qtbot, make_editor) -> None:
    editor = make_editor()
    pick(editor, PresetKind.MONTHLY_NTH_WEEKDAY)
    choose(editor.nth_combo, "3rd")
    choose(editor.weekday_combo, "Thursday")
    editor.flush()
    pick(editor, PresetKind.CUSTOM)
    assert editor.custom_edit.text() == "FREQ=MONTHLY;BYDAY=3TH"
    editor.custom_edit.clear()
    qtbot.keyClicks(editor.custom_edit, "FREQ=YEARLY;BYMONTH=6")
    pick(editor, PresetKind.WEEKLY)
    editor.flush()
    pick(editor, PresetKind.CUSTOM)
    assert editor.custom_edit.text() == "FREQ=YEARLY;BYMONTH=6", "typed text is never replaced"
