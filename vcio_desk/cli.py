"""The command line: ``vcio-desk [--db PATH_OR_URL] <command>``.

Errors people can act on are printed as one sentence on stderr with a non-zero
exit code; unexpected failures are logged and summarised, never dumped.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from vcio_desk import __version__
from vcio_desk.cli_backup import add_backup_commands, restore_hint
from vcio_desk.domain.errors import VcioDeskError, WorkspaceError

if TYPE_CHECKING:
    from vcio_desk.store import Store

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace], int]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vcio-desk",
        description="Plan, measure and prepare MSP client meetings. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"vcio-desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="workspace file or SQLAlchemy URL (default: $VCIO_DESK_DB, else the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="<command>")

    info = commands.add_parser("info", help="where the workspace is, its schema, what it holds")
    info.set_defaults(handler=cmd_info)

    demo = commands.add_parser("demo", help="create a realistic demo workspace")
    demo.add_argument("--clients", type=_positive, default=40, help="number of clients (40)")
    demo.add_argument("--years", type=_positive, default=3, help="years of history (3)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (7)")
    demo.add_argument(
        "--force", action="store_true", help="replace a workspace that holds non-demo data"
    )
    demo.set_defaults(handler=cmd_demo)

    rhythm = commands.add_parser("rhythm", help="recurrence rules")
    rhythm_commands = rhythm.add_subparsers(dest="rhythm_command", metavar="<action>")
    rhythm_commands.required = True
    preview = rhythm_commands.add_parser(
        "preview", help="print the dates a rule produces, one ISO date per line"
    )
    preview.add_argument("--rule", required=True, help="an RFC 5545 RRULE, e.g. FREQ=MONTHLY")
    preview.add_argument("--start", required=True, type=_iso_date, help="anchor date YYYY-MM-DD")
    limit = preview.add_mutually_exclusive_group()
    limit.add_argument("--count", type=_positive, help="how many dates (default 10)")
    limit.add_argument("--until", type=_iso_date, help="last date to list, YYYY-MM-DD")
    preview.set_defaults(handler=cmd_rhythm_preview)

    schedule = commands.add_parser(
        "schedule", help="plan every rhythm's meetings for a year (a dry run unless --apply)"
    )
    window = schedule.add_mutually_exclusive_group(required=True)
    window.add_argument("--year", type=int, help="the calendar year YYYY")
    window.add_argument("--from", dest="start", type=_iso_date, help="12 months from YYYY-MM-DD")
    schedule.add_argument("--apply", action="store_true", help="write the plan (one transaction)")
    schedule.add_argument("--json", action="store_true", help="print the window's meetings as JSON")
    schedule.add_argument(
        "--ics", type=Path, metavar="FILE", help="write the window to a calendar file"
    )
    schedule.add_argument("--as-of", type=_iso_date, default=None, help=argparse.SUPPRESS)
    schedule.set_defaults(handler=cmd_schedule)

    drift = commands.add_parser(
        "drift", help="every rhythm's flag, reason and figures (ranked, most severe first)"
    )
    drift.add_argument("--as-of", type=_iso_date, help="judge as of YYYY-MM-DD (default today)")
    output = drift.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON with every slot")
    output.add_argument("--csv", action="store_true", help="CSV for spreadsheets")
    drift.add_argument("--client", metavar="NAME", help="only this client")
    drift.add_argument("--owner", metavar="NAME", help="only rhythms owned by this person")
    drift.add_argument(
        "--flag", choices=["broken", "overdue", "drifting", "unbooked", "ok"], help="only this flag"
    )
    drift.set_defaults(handler=cmd_drift)

    importer = commands.add_parser(
        "import", help="bring clients, or a whole workspace, in from a file"
    )
    import_commands = importer.add_subparsers(dest="import_command", metavar="<what>")
    import_commands.required = True
    import_clients = import_commands.add_parser(
        "clients",
        help="add or update clients from a CSV file (one transaction, a report for every row)",
    )
    import_clients.add_argument("file", type=Path, metavar="FILE.csv", help="the CSV file")
    import_clients.add_argument(
        "--preset",
        choices=["autotask", "connectwise", "generic"],
        default="generic",
        help="whose column names the file uses (generic)",
    )
    import_clients.add_argument(
        "--dry-run", action="store_true", help="check the file and report; write nothing"
    )
    import_clients.add_argument("--as-of", type=_iso_date, default=None, help=argparse.SUPPRESS)
    import_clients.set_defaults(handler=cmd_import_clients)
    add_workspace_transfer_commands(commands, import_commands)

    report = commands.add_parser("report", help="print reports as PDF")
    report_commands = report.add_subparsers(dest="report_command", metavar="<report>")
    report_commands.required = True
    adherence = report_commands.add_parser(
        "adherence", help="adherence by owner and tier, exceptions and clients, as a PDF"
    )
    adherence.add_argument("--as-of", type=_iso_date, help="judge as of YYYY-MM-DD (default today)")
    adherence.add_argument(
        "--paper",
        type=str.lower,
        choices=["a4", "letter"],
        help="paper size (default: the workspace setting)",
    )
    adherence.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.pdf", help="where to write it"
    )
    adherence.set_defaults(handler=cmd_report_adherence)
    add_pack_commands(commands)
    add_backup_commands(commands)
    return parser


def cmd_info(options: argparse.Namespace) -> int:
    from vcio_desk.logs import LOG_FILE_NAME
    from vcio_desk.services.workspace import summarize
    from vcio_desk.store import open_store, resolve
    from vcio_desk.store.location import default_log_dir
    from vcio_desk.store.migrate import head_revision

    location = resolve(options.db)
    if location.path is not None and not location.path.exists():
        print(f"workspace: {location.display} (not created yet)")
        return 0
    with open_store(options.db, read_only=True) as store:
        head = head_revision()
        if store.schema_revision != head:
            # An older schema lacks tables that the counts read: report it without counts.
            print(f"workspace: {store.location.display}")
            print(
                f"schema:    {store.schema_revision or 'empty'} "
                f"(this version upgrades it to {head} when opened for writing)"
            )
            print(f"log:       {default_log_dir() / LOG_FILE_NAME}")
            return 0
        summary = summarize(store)
    schema = summary.schema_revision or "empty"
    if summary.schema_revision != summary.head_revision:
        schema += f" (this version upgrades it to {summary.head_revision} when opened for writing)"
    print(f"workspace: {summary.location}")
    if summary.backup_dir:
        print(f"backups:   {summary.backup_dir}")
    print(f"schema:    {schema}")
    print(f"log:       {default_log_dir() / LOG_FILE_NAME}")
    print(f"kind:      {summary.kind}")
    width = max(len(label) for label in summary.counts)
    for label, count in summary.counts.items():
        print(f"  {label:<{width}}  {count:>7,}")
    return 0


def cmd_demo(options: argparse.Namespace) -> int:
    from vcio_desk.services.demo import build_demo

    with writable_store(options.db) as store:
        report = build_demo(
            store,
            clients=options.clients,
            years=options.years,
            seed=options.seed,
            as_of=dt.date.today(),
            force=options.force,
        )
    print(
        f"Demo workspace ready at {store.location.display}: {report.clients} clients, "
        f"{report.rhythms} rhythms, {report.meetings:,} meetings "
        f"({report.seconds:.1f} s)."
    )
    return 0


def cmd_rhythm_preview(options: argparse.Namespace) -> int:
    from vcio_desk.domain.recurrence import preview

    count = options.count if options.count or options.until else 10
    for day in preview(options.rule, options.start, count=count, until=options.until):
        print(day.isoformat())
    return 0


def cmd_schedule(options: argparse.Namespace) -> int:
    from vcio_desk.services import schedule_report
    from vcio_desk.services.scheduler import ScheduleWindow, apply_schedule, plan_schedule
    from vcio_desk.store import open_store

    as_of = options.as_of or dt.date.today()
    window = (
        ScheduleWindow.year(options.year)
        if options.year is not None
        else ScheduleWindow.twelve_months_from(options.start)
    )
    opened = writable_store(options.db) if options.apply else open_store(options.db, read_only=True)
    with opened as store:
        if options.apply:
            plan = apply_schedule(store, window, as_of)
        else:
            plan = plan_schedule(store, window, as_of)
        if options.ics is not None:
            from vcio_desk.services.calendar_export import export_calendar

            exported = export_calendar(store, options.ics, start=window.start, end=window.end)
    if options.json:
        print(schedule_report.as_json(plan, applied=options.apply))
    else:
        print(schedule_report.as_text(plan, applied=options.apply))
    if options.ics is not None:
        print(f"Calendar written to {exported.path} ({exported.events} events).", file=sys.stderr)
    return 0


def cmd_drift(options: argparse.Namespace) -> int:
    from vcio_desk.services import drift_report
    from vcio_desk.services.drift import assess_all
    from vcio_desk.store import open_store

    as_of = options.as_of or dt.date.today()
    with open_store(options.db, read_only=True) as store:
        report = assess_all(store, as_of)
    items = drift_report.select(
        report, client=options.client, owner=options.owner, flag=options.flag
    )
    if options.json:
        print(drift_report.as_json(report, items))
    elif options.csv:
        sys.stdout.write(drift_report.as_csv(items))
    else:
        print(drift_report.as_text(report, items))
    return 0


def cmd_report_adherence(options: argparse.Namespace) -> int:
    from vcio_desk.services.adherence_report import write_adherence_report
    from vcio_desk.store import open_store

    as_of = options.as_of or dt.date.today()
    with open_store(options.db, read_only=True) as store:
        path = write_adherence_report(store, options.output, as_of, paper=options.paper)
    print(f"Adherence report as of {as_of.isoformat()} written to {path}.")
    return 0


def add_pack_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``pack --client NAME ... -o FILE`` and ``packs --days N --out-dir DIR``."""

    def edition_and_paper(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--edition",
            type=str.lower,
            choices=["client", "internal"],
            default="client",
            help="client, to hand out (the default), or internal: adds internal notes, "
            "talking points, internal-only standards and the rhythms' flags",
        )
        parser.add_argument(
            "--paper",
            type=str.lower,
            choices=["a4", "letter"],
            help="paper size (default: the workspace setting)",
        )
        parser.add_argument("--as-of", type=_iso_date, default=None, help=argparse.SUPPRESS)

    pack = commands.add_parser(
        "pack",
        help="write one meeting's PDF pack",
        description="Write the PDF pack of one meeting of a client (or of an internal body "
        "such as the standards committee). The file is written whole or not at all.",
    )
    pack.add_argument(
        "--client", required=True, metavar="NAME", help="the client's name (any case)"
    )
    pack.add_argument(
        "--meeting",
        default="next",
        metavar="ID|next",
        help="the meeting's number, or next: the next proposed or confirmed one (next)",
    )
    edition_and_paper(pack)
    pack.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE.pdf",
        help="where to write it (a folder: the pack's own name inside it)",
    )
    pack.set_defaults(handler=cmd_pack)

    packs = commands.add_parser(
        "packs",
        help="write the pack of every meeting in the next N days",
        description="Write one PDF pack per proposed or confirmed meeting in the next N days "
        "(today included), each under its own name in one folder. A pack that fails is "
        "reported and the others are still written; the exit code is non-zero if any failed.",
    )
    packs.add_argument(
        "--days", required=True, type=_positive, metavar="N", help="how many days ahead"
    )
    packs.add_argument(
        "--out-dir",
        required=True,
        type=Path,
        metavar="DIR",
        help="the folder for the packs (created if missing)",
    )
    edition_and_paper(packs)
    packs.set_defaults(handler=cmd_packs)


def cmd_pack(options: argparse.Namespace) -> int:
    from vcio_desk.services.packs import meeting_for, write_pack
    from vcio_desk.store import open_store

    as_of = options.as_of or dt.date.today()
    with open_store(options.db, read_only=True) as store:
        meeting_id = meeting_for(store, options.client, options.meeting, as_of)
        result = write_pack(
            store, meeting_id, options.edition, options.paper, as_of, options.output
        )
    for warning in result.warnings:
        print(f"vcio-desk: warning: {warning}", file=sys.stderr)
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
    print(
        f"Pack of meeting {meeting_id} ({result.title}; {options.edition} edition, "
        f"{result.paper}, {pages}) written to {result.path}."
    )
    return 0


def cmd_packs(options: argparse.Namespace) -> int:
    from vcio_desk.services.packs import write_packs
    from vcio_desk.store import open_store

    as_of = options.as_of or dt.date.today()
    last = as_of + dt.timedelta(days=options.days - 1)

    def progress(done: int, total: int, label: str) -> None:
        if total and done < total and sys.stderr.isatty():
            print(f"[{done + 1}/{total}] {label}", file=sys.stderr)

    with open_store(options.db, read_only=True) as store:
        report = write_packs(
            store,
            as_of,
            options.days,
            options.out_dir,
            options.edition,
            options.paper,
            progress=progress,
        )
    if not report.total:
        print(
            f"No proposed or confirmed meetings from {as_of.isoformat()} to "
            f"{last.isoformat()}: no pack written."
        )
        return 0
    for path in report.written:
        print(f"written: {path}")
    for warning in report.warnings:
        print(f"vcio-desk: warning: {warning}", file=sys.stderr)
    for failure in report.failed:
        print(f"vcio-desk: failed: {failure.label}: {failure.reason}", file=sys.stderr)
    written = len(report.written)
    summary = (
        f"{written} pack{'s' if written != 1 else ''} ({options.edition} edition) for "
        f"{as_of.isoformat()} to {last.isoformat()} written to {report.out_dir}"
    )
    if report.failed:
        print(f"{summary}; {len(report.failed)} failed (see above).")
        return 1
    print(f"{summary}.")
    return 0


WORKSPACE_IMPORT_EPILOG = (
    "The file replaces the workspace's content as a whole (ids included); nothing is merged. "
    "A workspace that holds only what every new workspace starts with (settings, meeting "
    "types, the standards library) is simply filled. One that holds anything more (staff, "
    "clients, meetings...) is refused unless --replace is given; then a verified backup "
    "copy is saved in the backups folder beside the workspace first. The whole file is "
    "checked before anything is written, and it is written in one transaction: on any "
    "problem the workspace is left exactly as it was."
)


def add_workspace_transfer_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    import_commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``export workspace FILE.json`` and ``import workspace FILE.json [--replace]``."""
    exporter = commands.add_parser("export", help="write the workspace to a file")
    export_commands = exporter.add_subparsers(dest="export_command", metavar="<what>")
    export_commands.required = True
    export_workspace = export_commands.add_parser(
        "workspace",
        help="everything in the workspace as one JSON file (docs/workspace-format.md)",
        description="Write everything in the workspace to one JSON file that "
        "'vcio-desk import workspace' reads back. A read-only workspace can be exported.",
    )
    export_workspace.add_argument("file", type=Path, metavar="FILE.json", help="where to write")
    export_workspace.set_defaults(handler=cmd_export_workspace)

    import_workspace = import_commands.add_parser(
        "workspace",
        help="make a workspace file's content this workspace's (an empty one unless --replace)",
        description="Import a file written by 'vcio-desk export workspace'.",
        epilog=WORKSPACE_IMPORT_EPILOG,
    )
    import_workspace.add_argument("file", type=Path, metavar="FILE.json", help="the workspace file")
    import_workspace.add_argument(
        "--replace",
        action="store_true",
        help="replace a workspace that holds data (a backup copy is saved first)",
    )
    import_workspace.set_defaults(handler=cmd_import_workspace)


def cmd_export_workspace(options: argparse.Namespace) -> int:
    from vcio_desk.services.workspace_transfer import export_workspace
    from vcio_desk.store import open_store

    with open_store(options.db, read_only=True) as store:
        report = export_workspace(store, options.file)
    tables = sum(1 for count in report.rows.values() if count)
    print(
        f"Workspace {store.location.display} exported to {report.path}: "
        f"{report.total_rows:,} rows in {tables} tables ({report.size_bytes / 1e6:.1f} MB)."
    )
    return 0


def cmd_import_workspace(options: argparse.Namespace) -> int:
    from vcio_desk.services.workspace_transfer import apply_document, load_workspace_file

    path: Path = options.file
    document = load_workspace_file(path)  # a bad file stops here, before the workspace opens
    with writable_store(options.db) as store:
        report = apply_document(store, document, source=path, replace=options.replace)
    header = report.header
    print(
        f"Imported {path} into {store.location.display}: {report.total_rows:,} rows "
        f"(exported {header.exported_at:%Y-%m-%d %H:%M} UTC by vcio_desk {header.app_version})."
    )
    if report.backup is not None:
        print(f"The previous content was saved first to {report.backup}.")
    return 0


def cmd_import_clients(options: argparse.Namespace) -> int:
    from vcio_desk.interop.csv_clients import inspect_csv
    from vcio_desk.services.client_import import as_text, import_clients
    from vcio_desk.services.seed import ensure_base_content
    from vcio_desk.store import open_store
    from vcio_desk.store.migrate import head_revision

    path: Path = options.file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VcioDeskError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise VcioDeskError(f"{path} is a folder; give the CSV file to import.") from None
    except OSError as exc:
        raise VcioDeskError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    inspect_csv(data, preset=options.preset)  # a bad file stops here, before the workspace opens
    as_of = options.as_of or dt.date.today()
    if options.dry_run:
        opened = open_store(options.db, read_only=True)
    else:
        opened = writable_store(options.db)
    with opened as store:
        if options.dry_run and store.schema_revision != head_revision():
            raise WorkspaceError(
                f"The workspace {store.location.display} was written by an older vcio_desk; "
                "open it once (or import without --dry-run) to upgrade it, then check again."
            )
        if not options.dry_run:
            ensure_base_content(store)  # what opening the app installs in a new workspace
        report = import_clients(
            store, data, preset=options.preset, dry_run=options.dry_run, as_of=as_of
        )
    print(f"{path} ({options.preset} preset)")
    print(as_text(report))
    return 0


@contextlib.contextmanager
def writable_store(db: str | None) -> Iterator[Store]:
    """Open a workspace for a writing command, holding the workspace lock first.

    The file is inspected read-only before anything is created beside it, so a
    folder, a foreign or damaged file gets its clear message and stays untouched.
    """
    from vcio_desk.store import open_store, resolve
    from vcio_desk.store.lock import hold_write_lock
    from vcio_desk.store.migrate import refuse_newer
    from vcio_desk.store.sqlite_file import inspect_file, require_writable

    location = resolve(db)
    if location.path is None:
        with open_store(db) as store:
            yield store
        return
    state = inspect_file(location.path)
    refuse_newer(state.revision, location.display)  # before the lock file touches the folder
    require_writable(location.path, state)
    location.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with hold_write_lock(location.path), open_store(db) as store:
        yield store


def run_command(options: argparse.Namespace) -> int:
    from vcio_desk.logs import configure_logging

    configure_logging()
    try:
        return int(options.handler(options))
    except VcioDeskError as err:
        print(f"vcio-desk: {err.user_message}{restore_hint(err, options.db)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("vcio-desk: interrupted; nothing was half-written.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected failure in command %s", options.command)
        print(
            "vcio-desk: an unexpected error occurred; details were written to the log "
            "(see 'vcio-desk info').",
            file=sys.stderr,
        )
        return 70
