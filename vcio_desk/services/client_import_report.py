"""What an import did (or would do), row by row, and its wording for people."""

from __future__ import annotations

from dataclasses import dataclass, field

from vcio_desk.interop.csv_clients import RowProblem


@dataclass(frozen=True, slots=True)
class RowOutcome:
    line_number: int
    name: str
    action: str
    """``added``, ``updated``, ``unchanged`` or ``refused``."""
    detail: str = ""


@dataclass(frozen=True)
class ImportReport:
    dry_run: bool
    preset: str
    encoding: str
    delimiter: str
    added: int
    updated: int
    unchanged: int
    refused: list[RowProblem]
    warnings: list[str]
    outcomes: list[RowOutcome]
    staff_created: list[str] = field(default_factory=list)
    rhythms_created: int = 0

    @property
    def rows(self) -> int:
        return len(self.outcomes)


def as_text(report: ImportReport, *, max_problems: int = 50) -> str:
    """The report for people: counts, warnings, then the refused rows (the first few)."""
    if report.dry_run:
        lines = [
            f"Dry run of {report.rows:,} rows (nothing was written): "
            f"{report.added:,} would be added, {report.updated:,} updated, "
            f"{report.unchanged:,} unchanged, {len(report.refused):,} refused."
        ]
        if report.rhythms_created:
            lines.append(
                f"New clients would get {report.rhythms_created:,} rhythms from their tier."
            )
    else:
        lines = [
            f"Imported {report.rows:,} rows: {report.added:,} added, {report.updated:,} updated, "
            f"{report.unchanged:,} unchanged, {len(report.refused):,} refused."
        ]
        if report.rhythms_created:
            lines.append(f"New clients got {report.rhythms_created:,} rhythms from their tier.")
    lines += [f"- {warning}" for warning in report.warnings]
    if report.refused:
        lines.append("Refused rows (nothing was imported from them):")
        for problem in report.refused[:max_problems]:
            name = f" ({' '.join(problem.name.split())})" if problem.name.strip() else ""
            lines.append(f"  line {problem.line_number}{name}: {problem.message}")
        if len(report.refused) > max_problems:
            lines.append(f"  … and {len(report.refused) - max_problems:,} more")
    return "\n".join(lines)
