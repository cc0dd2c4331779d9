"""Edit a rhythm's rule the way a vCIO thinks of it, with a live preview.

A preset ("Monthly on the 2nd Tuesday", "Quarterly on the last Friday of the 1st
month of each fiscal quarter") becomes an RRULE through ``domain.presets.to_rule``;
Custom takes the RRULE itself. Every change is evaluated after a short pause
(debounced, ~150 ms): the rule is validated with its anchor and tolerance exactly
as the service will validate it when saving, then described in plain language and
previewed as its next dates. An invalid rule shows the validation error's
``user_message`` inline, with an icon, and the editor reports itself invalid so the
dialog can disable its OK button.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from PySide6.QtCore import QDate, QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.presets import (
    MONTH_ABBR,
    MONTH_NAMES,
    WEEKDAY_CODES,
    WEEKDAY_NAMES,
    Preset,
    PresetKind,
    describe,
    ordinal,
    quarter_months,
    to_rule,
)
from vcio_desk.domain.recurrence import normalise, occurrences, preview, validate
from vcio_desk.ui import icons
from vcio_desk.ui.formatting import format_date

EVALUATE_DELAY_MS = 150
PREVIEW_COUNT = 8
MAX_TOLERANCE_DAYS = 180
ERROR_COLOUR = "#b3261e"

PRESET_LABELS: dict[PresetKind, str] = {
    PresetKind.WEEKLY: "Weekly on a day",
    PresetKind.EVERY_N_WEEKS: "Every N weeks",
    PresetKind.MONTHLY_DAY: "Monthly on a day of the month",
    PresetKind.MONTHLY_NTH_WEEKDAY: "Monthly on the Nth weekday",
    PresetKind.EVERY_N_MONTHS: "Every N months on the anchor's day",
    PresetKind.QUARTERLY_NTH_WEEKDAY: "Quarterly on the Nth weekday",
    PresetKind.TWICE_A_YEAR: "Twice a year",
    PresetKind.YEARLY: "Yearly",
    PresetKind.CUSTOM: "Custom rule (RRULE)",
}

PRESET_HINTS: dict[PresetKind, str] = {
    PresetKind.EVERY_N_WEEKS: "Weeks are counted from the anchor date.",
    PresetKind.EVERY_N_MONTHS: "1 = monthly, 3 = quarterly; on the anchor date's day of the month.",
    PresetKind.TWICE_A_YEAR: "Every six months, on the anchor date's day of the month.",
    PresetKind.YEARLY: "Every year on the anchor date.",
    PresetKind.CUSTOM: "An RFC 5545 rule at date level, e.g. FREQ=MONTHLY;BYDAY=2TU.",
}

_NTH_CHOICES = (1, 2, 3, 4, -1)
_WEEKDAY_RE = re.compile(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)")


# -- rules <-> presets (pure) -----------------------------------------------------------------


def _rule_parts(rule: str) -> dict[str, str]:
    parts = dict(part.split("=", 1) for part in normalise(rule).split(";") if "=" in part)
    if "BYMONTH" in parts:  # the order of a list does not change the rule
        parts["BYMONTH"] = ",".join(sorted(parts["BYMONTH"].split(","), key=_int_or_text))
    return parts


def _int_or_text(text: str) -> tuple[int, str]:
    try:
        return int(text), ""
    except ValueError:
        return 0, text


def _candidates(parts: dict[str, str], fiscal_start_month: int) -> list[Preset]:
    weekday, nth = 0, 1
    match = _WEEKDAY_RE.fullmatch(parts.get("BYDAY", ""))
    if match:
        weekday = WEEKDAY_CODES.index(match.group(2))
        nth = int(match.group(1)) if match.group(1) else 1
    interval = _int_or_text(parts.get("INTERVAL", "1"))[0]
    day = _int_or_text(parts.get("BYMONTHDAY", "1"))[0]
    found = [
        Preset(PresetKind.WEEKLY, weekday=weekday),
        Preset(PresetKind.EVERY_N_WEEKS, weekday=weekday, interval=interval),
        Preset(PresetKind.MONTHLY_DAY, day_of_month=day),
        Preset(PresetKind.MONTHLY_NTH_WEEKDAY, weekday=weekday, nth=nth),
        Preset(PresetKind.TWICE_A_YEAR),
        Preset(PresetKind.EVERY_N_MONTHS, interval=interval),
        Preset(PresetKind.YEARLY),
    ]
    # Fiscal quarters first when the client has its own fiscal year: that is how it was set.
    bases = [fiscal_start_month, 1] if fiscal_start_month != 1 else [1]
    found.extend(
        Preset(
            PresetKind.QUARTERLY_NTH_WEEKDAY,
            weekday=weekday,
            nth=nth,
            month_of_quarter=month,
            fiscal_start_month=base,
        )
        for base in bases
        for month in (1, 2, 3)
    )
    return found


def preset_for_rule(rule: str, fiscal_start_month: int = 1) -> Preset:
    """The preset that produces ``rule`` (same parts, any order), else a CUSTOM preset."""
    try:
        parts = _rule_parts(rule)
    except ValueError:
        parts = {}
    if parts:
        for preset in _candidates(parts, fiscal_start_month):
            try:
                produced = _rule_parts(to_rule(preset))
            except ValidationError:
                continue
            if produced == parts:
                return preset
    return Preset(PresetKind.CUSTOM, fiscal_start_month=fiscal_start_month, rule=normalise(rule))


def _years_later(day: dt.date, years: int) -> dt.date:
    year = min(day.year + years, dt.MAXYEAR)
    return dt.date(year, day.month, min(day.day, 28))


def next_dates(rule: str, anchor: dt.date, start: dt.date, count: int) -> list[dt.date]:
    """The first ``count`` dates of ``rule`` (counted from ``anchor``) on or after ``start``."""
    if start <= anchor:
        return preview(rule, anchor, count=count)
    found: list[dt.date] = []
    for years in (2, 10, 50, 200):
        found = occurrences(rule, anchor, start, _years_later(start, years))
        if len(found) >= count:
            break
    return found[:count]


@dataclass(frozen=True)
class Evaluation:
    """What the editor's current input means: a valid rule with its preview, or an error."""

    rule: str = ""
    description: str = ""
    dates: tuple[dt.date, ...] = ()
    error: str = ""

    @property
    def valid(self) -> bool:
        return bool(self.rule) and not self.error


def evaluate(
    preset: Preset, anchor: dt.date, tolerance_days: int, start: dt.date, count: int
) -> Evaluation:
    """Validate and preview a preset as the service will when it saves."""
    try:
        rule = validate(to_rule(preset), anchor, tolerance_days)
        return Evaluation(
            rule=rule,
            description=describe(rule, anchor),
            dates=tuple(next_dates(rule, anchor, max(start, anchor), count)),
        )
    except ValidationError as err:
        return Evaluation(error=err.user_message)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def mute(widget: QWidget, share: float = 0.62) -> QWidget:
    """Secondary text: the text colour blended toward the background (still readable,
    unlike a disabled label's grey), in any theme."""
    palette = widget.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mixed = QColor(
        round(text.red() * share + back.red() * (1 - share)),
        round(text.green() * share + back.green() * (1 - share)),
        round(text.blue() * share + back.blue() * (1 - share)),
    )
    palette.setColor(QPalette.ColorRole.WindowText, mixed)
    palette.setColor(QPalette.ColorRole.Text, mixed)
    widget.setPalette(palette)
    return widget


# -- the widget -------------------------------------------------------------------------------


class RhythmEditor(QWidget):
    """Preset picker, the preset's fields, anchor, tolerance and a live preview."""

    evaluated = Signal()
    """The input was (re-)evaluated; read :attr:`evaluation`."""
    validity_changed = Signal(bool)

    def __init__(
        self,
        as_of: dt.date,
        fiscal_start_month: int = 1,
        parent: QWidget | None = None,
        *,
        locale: QLocale | None = None,
        preview_count: int = PREVIEW_COUNT,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rhythm_editor")
        self._locale = locale or QLocale()
        self._fiscal_start = fiscal_start_month
        self._preview_count = preview_count
        self._preview_from: dt.date | None = None
        self._loading = False
        self._custom_typed = False
        self.evaluation = Evaluation(error="Not evaluated yet.")

        self.preset_combo = QComboBox()
        for kind, label in PRESET_LABELS.items():
            self.preset_combo.addItem(label, kind.value)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        mute(self.hint_label)

        self.weekday_combo = QComboBox()
        for name in WEEKDAY_NAMES:
            self.weekday_combo.addItem(name)
        self.nth_combo = QComboBox()
        for nth in _NTH_CHOICES:
            self.nth_combo.addItem(ordinal(nth), nth)
        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(1, 52)
        self.interval_spin.setValue(2)
        self.interval_spin.setSuffix(" weeks")
        self.day_spin = QSpinBox()
        self.day_spin.setRange(0, 28)  # 0 is "last day": the spin's special value
        self.day_spin.setSpecialValueText("Last day")
        self.day_spin.setValue(1)
        self.day_spin.setToolTip("1 to 28, or the last day of each month (below 1)")
        self.quarter_month_combo = QComboBox()
        for month in (1, 2, 3):
            self.quarter_month_combo.addItem(f"{ordinal(month)} month", month)
        self.quarter_basis_combo = QComboBox()
        self.custom_edit = QLineEdit()
        self.custom_edit.setPlaceholderText("FREQ=MONTHLY;BYDAY=2TU")
        self.custom_edit.setClearButtonEnabled(True)
        self.anchor_edit = QDateEdit()
        self.anchor_edit.setCalendarPopup(True)
        self.anchor_edit.setDateRange(QDate(1990, 1, 1), QDate(2199, 12, 31))
        self.anchor_edit.setToolTip("The date the rhythm is counted from (its first slot)")
        self.tolerance_spin = QSpinBox()
        self.tolerance_spin.setRange(0, MAX_TOLERANCE_DAYS)
        self.tolerance_spin.setPrefix("± ")
        self.tolerance_spin.setSuffix(" days")
        self.tolerance_spin.setToolTip("How many days either side of a slot still count as on time")
        self._fill_quarter_bases()

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.addRow("&Repeats:", self.preset_combo)
        self.form.addRow("", self.hint_label)
        self.form.addRow("W&hich:", self.nth_combo)
        self.form.addRow("&Weekday:", self.weekday_combo)
        self.form.addRow("&Every:", self.interval_spin)
        self.form.addRow("&Day of the month:", self.day_spin)
        self.form.addRow("&Month of the quarter:", self.quarter_month_combo)
        self.form.addRow("&Quarters:", self.quarter_basis_combo)
        self.form.addRow("R&ule:", self.custom_edit)
        self.form.addRow("&Anchor date:", self.anchor_edit)
        self.form.addRow("&Tolerance:", self.tolerance_spin)
        self.custom_edit.setMinimumWidth(320)

        self.description_label = QLabel()
        self.description_label.setObjectName("rhythm_description")
        self.description_label.setWordWrap(True)
        font = self.description_label.font()
        font.setBold(True)
        self.description_label.setFont(font)
        self.rule_label = QLabel()
        self.rule_label.setObjectName("rhythm_rule")
        mute(self.rule_label)
        self.rule_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_icon = QLabel()
        self.error_icon.setPixmap(icons.icon("warning").pixmap(QSize(20, 20)))
        self.error_icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.error_label = QLabel()
        self.error_label.setObjectName("rhythm_error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_row = QWidget()
        error_layout = QHBoxLayout(self.error_row)
        error_layout.setContentsMargins(0, 0, 0, 0)
        error_layout.addWidget(self.error_icon, 0, Qt.AlignmentFlag.AlignTop)
        error_layout.addWidget(self.error_label, 1)
        self.dates_caption = QLabel()
        self.date_labels = [QLabel() for _ in range(preview_count)]
        dates_grid = QGridLayout()
        dates_grid.setHorizontalSpacing(24)
        rows = (preview_count + 1) // 2
        for index, label in enumerate(self.date_labels):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            dates_grid.addWidget(label, index % rows, index // rows)
        dates_grid.setColumnStretch(2, 1)

        self.preview_box = QGroupBox("Preview")
        preview_layout = QVBoxLayout(self.preview_box)
        preview_layout.addWidget(self.description_label)
        preview_layout.addWidget(self.rule_label)
        preview_layout.addWidget(self.error_row)
        preview_layout.addSpacing(4)
        preview_layout.addWidget(self.dates_caption)
        preview_layout.addLayout(dates_grid)
        preview_layout.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.preview_box, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(EVALUATE_DELAY_MS)
        self._debounce.timeout.connect(self.flush)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        for combo in (
            self.weekday_combo,
            self.nth_combo,
            self.quarter_month_combo,
            self.quarter_basis_combo,
        ):
            combo.currentIndexChanged.connect(self._changed)
        for spin in (self.interval_spin, self.day_spin, self.tolerance_spin):
            spin.valueChanged.connect(self._changed)
        self.custom_edit.textChanged.connect(self._changed)
        self.anchor_edit.dateChanged.connect(self._changed)

        self.custom_edit.textEdited.connect(self._on_custom_typed)
        self.anchor_edit.setDate(to_qdate(as_of))
        self._show_fields(PresetKind.WEEKLY)
        self.flush()

    # -- reading ----------------------------------------------------------------------------

    def kind(self) -> PresetKind:
        return PresetKind(self.preset_combo.currentData())

    def preset(self) -> Preset:
        """The preset the fields describe right now."""
        day = self.day_spin.value()
        return Preset(
            kind=self.kind(),
            weekday=self.weekday_combo.currentIndex(),
            interval=self.interval_spin.value(),
            day_of_month=-1 if day == 0 else day,
            nth=self.nth_combo.currentData(),
            month_of_quarter=self.quarter_month_combo.currentData(),
            fiscal_start_month=self.quarter_basis_combo.currentData(),
            rule=self.custom_edit.text(),
        )

    def anchor(self) -> dt.date:
        return self.anchor_edit.date().toPython()

    def tolerance_days(self) -> int:
        return self.tolerance_spin.value()

    def rule(self) -> str:
        """The normalised rule once valid ("" while the input is invalid)."""
        return self.evaluation.rule

    def is_valid(self) -> bool:
        return self.evaluation.valid

    def error_message(self) -> str:
        return self.evaluation.error

    def description(self) -> str:
        return self.evaluation.description

    def preview_dates(self) -> list[dt.date]:
        return list(self.evaluation.dates)

    @property
    def pending(self) -> bool:
        """True while a change waits for the typing pause before it is evaluated."""
        return self._debounce.isActive()

    # -- writing ----------------------------------------------------------------------------

    def set_rhythm(self, rule: str, anchor: dt.date, tolerance_days: int) -> None:
        """Show an existing rule: its preset when a preset produces it, else Custom."""
        self._loading = True
        try:
            self.anchor_edit.setDate(to_qdate(anchor))
            self.tolerance_spin.setValue(tolerance_days)
            self._load_preset(preset_for_rule(rule, self._fiscal_start))
        finally:
            self._loading = False
        self.flush()

    def set_preset(self, preset: Preset) -> None:
        self._loading = True
        try:
            self._load_preset(preset)
        finally:
            self._loading = False
        self.flush()

    def set_fiscal_start_month(self, month: int) -> None:
        """The client's fiscal-year start, for quarters counted from it."""
        self._fiscal_start = month
        basis = self.quarter_basis_combo.currentData()
        self._fill_quarter_bases()
        if basis != 1:
            self.quarter_basis_combo.setCurrentIndex(self.quarter_basis_combo.count() - 1)
        self._changed()

    def set_preview_from(self, day: dt.date | None) -> None:
        """Preview dates on or after ``day`` (e.g. a new version's effective date)."""
        if day != self._preview_from:
            self._preview_from = day
            self._changed()

    def flush(self) -> None:
        """Evaluate now (the pause is over, or someone needs the answer before it is)."""
        self._debounce.stop()
        was_valid = self.evaluation.valid
        start = self._preview_from or self.anchor()
        self.evaluation = evaluate(
            self.preset(), self.anchor(), self.tolerance_days(), start, self._preview_count
        )
        self._show_evaluation(start)
        self.evaluated.emit()
        if self.evaluation.valid != was_valid:
            self.validity_changed.emit(self.evaluation.valid)

    # -- internals --------------------------------------------------------------------------

    def _fill_quarter_bases(self) -> None:
        combo = self.quarter_basis_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Calendar quarters (Jan, Apr, Jul, Oct)", 1)
        fiscal = self._fiscal_start
        if fiscal != 1:
            starts = ", ".join(MONTH_ABBR[m - 1] for m in quarter_months(1, fiscal))
            combo.addItem(
                f"Fiscal quarters (year starts in {MONTH_NAMES[fiscal - 1]}: {starts})", fiscal
            )
        combo.blockSignals(False)

    def _load_preset(self, preset: Preset) -> None:
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(preset.kind.value))
        self.weekday_combo.setCurrentIndex(preset.weekday)
        self.interval_spin.setValue(preset.interval)
        self.day_spin.setValue(0 if preset.day_of_month == -1 else preset.day_of_month)
        self.nth_combo.setCurrentIndex(max(0, self.nth_combo.findData(preset.nth)))
        self.quarter_month_combo.setCurrentIndex(
            max(0, self.quarter_month_combo.findData(preset.month_of_quarter))
        )
        basis = self.quarter_basis_combo.findData(preset.fiscal_start_month)
        self.quarter_basis_combo.setCurrentIndex(max(0, basis))
        if preset.kind is PresetKind.CUSTOM:
            self.custom_edit.setText(preset.rule)
        self._show_fields(preset.kind)

    def _show_fields(self, kind: PresetKind) -> None:
        K = PresetKind
        weekday = {K.WEEKLY, K.EVERY_N_WEEKS, K.MONTHLY_NTH_WEEKDAY, K.QUARTERLY_NTH_WEEKDAY}
        nth = {K.MONTHLY_NTH_WEEKDAY, K.QUARTERLY_NTH_WEEKDAY}
        visible = {
            self.weekday_combo: kind in weekday,
            self.nth_combo: kind in nth,
            self.interval_spin: kind in (K.EVERY_N_WEEKS, K.EVERY_N_MONTHS),
            self.day_spin: kind is K.MONTHLY_DAY,
            self.quarter_month_combo: kind is K.QUARTERLY_NTH_WEEKDAY,
            self.quarter_basis_combo: kind is K.QUARTERLY_NTH_WEEKDAY,
            self.custom_edit: kind is K.CUSTOM,
        }
        for widget, shown in visible.items():
            self.form.setRowVisible(widget, shown)
        self.interval_spin.setSuffix(" months" if kind is K.EVERY_N_MONTHS else " weeks")
        hint = PRESET_HINTS.get(kind, "")
        self.hint_label.setText(hint)
        self.form.setRowVisible(self.hint_label, bool(hint))

    def _on_preset_changed(self) -> None:
        kind = self.kind()
        if (
            kind is PresetKind.CUSTOM
            and not self._loading
            and not self._custom_typed
            and self.evaluation.rule
        ):
            self.custom_edit.setText(self.evaluation.rule)  # start from the rule shown so far
        self._show_fields(kind)
        self._changed()

    def _on_custom_typed(self, text: str) -> None:
        self._custom_typed = bool(text.strip())  # typed text is never overwritten by a prefill

    def _changed(self) -> None:
        if not self._loading:
            self._debounce.start()

    def _show_evaluation(self, start: dt.date) -> None:
        result = self.evaluation
        self.error_row.setVisible(bool(result.error))
        self.error_label.setText(result.error)
        self.description_label.setVisible(result.valid)
        self.description_label.setText(result.description)
        self.rule_label.setVisible(result.valid)
        self.rule_label.setText(f"RRULE: {result.rule}" if result.valid else "")
        self.dates_caption.setVisible(result.valid)
        if result.valid:
            n = len(result.dates)
            when = "" if start <= self.anchor() else f" from {format_date(start, self._locale)}"
            if n == 0:
                self.dates_caption.setText(f"No dates{when}: the rule has ended.")
            else:
                noun = "date" if n == 1 else "dates"
                self.dates_caption.setText(f"Next {n} {noun}{when}:")
        for index, label in enumerate(self.date_labels):
            day = result.dates[index] if index < len(result.dates) else None
            label.setText(self._date_text(day) if day else "")
            label.setVisible(day is not None)

    def _date_text(self, day: dt.date) -> str:
        weekday = self._locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
        return f"{weekday} {format_date(day, self._locale)}"
