"""Settings → Backups on real workspace files: the list, "Back up now", restore through the
app's workspace session (the window is rebuilt on the restored file), the policy, and the
automatic backups' timing (an injected clock). Questions are answered by replaced callables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QObject, Qt, QThreadPool, QUrl

from vcio_desk.domain.vocab import Tier
from vcio_desk.services.backups import (
    BackupInfo,
    BackupPolicy,
    back_up_now,
    list_backups,
    read_policy,
    save_policy,
)
from vcio_desk.services.clients import list_clients
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.app import WorkspaceSession, take_lock
from vcio_desk.ui.auto_backup import AutoBackup
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.pages.settings_backups import (
    POSTGRES_NOTE,
    BackupColumn,
    BackupsModel,
    BackupsTab,
    format_taken_at,
    kind_words,
)
from vcio_desk.ui.pages.settings_page import SettingsPage
from vcio_desk.ui.workers import Operation

pytestmark = pytest.mark.sqlite_only

AS_OF = dt.date(2026, 11, 20)
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def add_client(store: Store, name: str) -> None:
    with store.transaction() as session:
        session.add(m.Client(name=name, tier=Tier.B, timezone="UTC"))


def client_names(store: Store) -> set[str]:
    return {row.name for row in list_clients(store, AS_OF)}


@pytest.fixture
def with_backups(workspace: Store) -> tuple[Store, list[BackupInfo]]:
    """Four backups of different kinds, an hour apart, oldest first."""
    made = [
        back_up_now(workspace, label=label, now=T0 + dt.timedelta(hours=hour))
        for hour, label in enumerate(("before-upgrade-from-0001", "auto", "manual", "auto"))
    ]
    return workspace, made


@pytest.fixture
def messages() -> list[tuple[str, str]]:
    return []


def make_tab(qtbot, store: Store, messages: list[tuple[str, str]]) -> BackupsTab:
    tab = BackupsTab(store)
    tab.notify = lambda _parent, title, text: messages.append((title, text))
    qtbot.addWidget(tab)
    tab.resize(900, 600)
    tab.show()
    return tab


def settled(widget: QObject) -> bool:
    """No operation left on ``widget``: each deletes itself once its outcome is delivered
    (a widget torn down before that can crash pytest-qt)."""
    return not widget.findChildren(Operation)


def wait_idle(qtbot, tab: BackupsTab) -> None:
    qtbot.waitUntil(lambda: tab.operation is None and settled(tab), timeout=10_000)


@pytest.fixture
def session(qtbot, workspace: Store, messages) -> Iterator[WorkspaceSession]:
    """The app's session over ``workspace``: lock held, a main window on the store."""
    path = workspace.location.path
    assert path is not None
    session = WorkspaceSession(workspace, take_lock(path), lambda: AS_OF)
    session.notify = lambda _parent, title, text: messages.append((title, text))
    window = session.open_window()
    window.show()
    qtbot.waitExposed(window)
    try:
        yield session
    finally:
        QThreadPool.globalInstance().waitForDone()
        last = session.window
        if last is not None:
            last.close()
            qtbot.waitUntil(lambda: settled(last), timeout=10_000)
            last.deleteLater()
        session.close()


def backups_tab_of(window: MainWindow) -> BackupsTab:
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    page.tabs.setCurrentWidget(page.backups_tab)
    return page.backups_tab


# -- the list ----------------------------------------------------------------------------------


def test_lists_the_backups_in_the_folder_newest_first(qtbot, with_backups, messages) -> None:
    store, made = with_backups
    tab = make_tab(qtbot, store, messages)
    model = tab.model
    assert model.rowCount() == 4
    assert [model.backup_at(r).path for r in range(4)] == [b.path for b in reversed(made)]
    kinds = [model.index(r, BackupColumn.KIND).data() for r in range(4)]
    assert kinds == ["Automatic", "Manual", "Automatic", "Before upgrade"]
    assert model.index(0, BackupColumn.FILE).data() == made[-1].path.name
    assert model.index(0, BackupColumn.SIZE).data().endswith("B")
    assert "2026" in model.index(0, BackupColumn.TAKEN_AT).data()
    assert not tab.empty_label.isVisibleTo(tab)
    assert not tab.restore_button.isEnabled()  # nothing selected yet
    tab.select(made[1].path)
    assert tab.selected_backup() == made[1]
    assert tab.restore_button.isEnabled()
    assert messages == []


def test_sorts_in_python_and_passes_model_tests(qtbot, qtmodeltester, with_backups, messages):
    store, made = with_backups
    tab = make_tab(qtbot, store, messages)
    tab.view.sortByColumn(BackupColumn.TAKEN_AT, Qt.SortOrder.AscendingOrder)
    assert tab.model.backup_at(0) == made[0]
    tab.model.sort(BackupColumn.KIND)
    kinds = [tab.model.index(r, BackupColumn.KIND).data() for r in range(4)]
    assert kinds == sorted(kinds, key=str.casefold)
    tab.model.sort(BackupColumn.SIZE, Qt.SortOrder.DescendingOrder)
    sizes = [tab.model.backup_at(r).size_bytes for r in range(4)]
    assert sizes == sorted(sizes, reverse=True)
    model = BackupsModel()  # a model of its own: the tab's goes with the tab
    model.set_backups(made)
    qtmodeltester.check(model, force_py=True)


def test_an_empty_folder_says_so(qtbot, workspace: Store, messages) -> None:
    tab = make_tab(qtbot, workspace, messages)
    assert tab.model.rowCount() == 0
    assert tab.empty_label.isVisibleTo(tab)


def test_taken_at_in_the_locale_to_the_second() -> None:
    when = dt.datetime(2026, 11, 23, 3, 8, 43, tzinfo=dt.UTC)
    local = when.astimezone()
    assert format_taken_at(when, QLocale("C")) == f"{local:%Y-%m-%d %H:%M:%S}"
    assert format_taken_at(when, QLocale("en_GB")) == f"{local:%d/%m/%Y %H:%M:%S}"
    assert format_taken_at(when, QLocale("de_DE")).startswith(f"{local:%d.%m.%y}")


def test_kinds_in_words() -> None:
    assert kind_words("before-restore") == "Before restore"
    assert kind_words("before-upgrade-from-0007") == "Before upgrade"
    assert kind_words("before-workspace-import") == "Before workspace import"


# -- back up now -------------------------------------------------------------------------------


def test_back_up_now_adds_one_on_a_worker(qtbot, with_backups, messages) -> None:
    store, made = with_backups
    tab = make_tab(qtbot, store, messages)
    tab.backup_button.click()
    assert tab.operation is not None
    assert not tab.backup_button.isEnabled()  # busy while it runs
    assert tab.busy.isVisibleTo(tab)
    wait_idle(qtbot, tab)
    assert messages == []
    after = list_backups(store)
    assert len(after) == len(made) + 1
    new = next(b for b in after if b.path not in {m.path for m in made})
    assert new.label == "manual"
    assert tab.model.rowCount() == len(made) + 1
    assert tab.selected_backup() is not None and tab.selected_backup().path == new.path
    assert tab.backup_button.isEnabled()
    assert not tab.busy.isVisibleTo(tab)
    assert tab.status.text().startswith("Backed up at")


def test_a_failed_backup_is_said_once_and_the_tab_stays_usable(
    qtbot, workspace: Store, messages
) -> None:
    backups = workspace.location.backup_dir
    assert backups is not None
    backups.write_text("a file where the backups folder should be")
    tab = make_tab(qtbot, workspace, messages)
    tab.back_up_now()
    wait_idle(qtbot, tab)
    assert len(messages) == 1 and messages[0][0] == "Back up now"
    assert "Traceback" not in messages[0][1]
    assert tab.backup_button.isEnabled()


def test_open_folder_opens_the_backups_folder(qtbot, workspace: Store, messages) -> None:
    tab = make_tab(qtbot, workspace, messages)
    opened: list[QUrl] = []
    tab.open_url = lambda url: opened.append(url) or True
    assert tab.open_folder()
    assert [u.toLocalFile() for u in opened] == [str(workspace.location.backup_dir)]
    assert workspace.location.backup_dir is not None and workspace.location.backup_dir.is_dir()


# -- the policy --------------------------------------------------------------------------------


def test_policy_round_trip(qtbot, workspace: Store, messages) -> None:
    tab = make_tab(qtbot, workspace, messages)
    assert tab.policy_values() == BackupPolicy()
    tab.interval_spin.setValue(4)
    tab.daily_spin.setValue(10)
    tab.weekly_spin.setValue(6)
    tab.monthly_spin.setValue(24)
    assert tab.save_policy()
    assert messages == []
    assert read_policy(workspace) == BackupPolicy(4.0, 10, 6, 24)
    assert tab.policy_status.text() == "Saved."


def test_a_refused_policy_keeps_what_was_typed(qtbot, workspace: Store, messages) -> None:
    tab = make_tab(qtbot, workspace, messages)
    tab.interval_spin.setValue(0.1)  # more often than every 15 minutes
    assert not tab.save_policy()
    assert len(messages) == 1 and "15 minutes" in messages[0][1]
    assert tab.interval_spin.value() == pytest.approx(0.1)
    assert read_policy(workspace) == BackupPolicy()


def test_a_read_only_workspace_disables_what_writes(qtbot, with_backups, messages) -> None:
    store, made = with_backups
    path = store.location.path
    assert path is not None
    reader = open_store(path, read_only=True)
    try:
        tab = make_tab(qtbot, reader, messages)
        assert tab.model.rowCount() == len(made)
        tab.select(made[0].path)
        for button in (tab.backup_button, tab.restore_button, tab.save_policy_button):
            assert not button.isEnabled()
        assert tab.folder_button.isEnabled()
        assert tab.back_up_now() is None
        assert not tab.restore_selected()
    finally:
        reader.close()
    assert len(list_backups(store)) == len(made)


def test_the_postgres_sentence_is_defined() -> None:
    assert "pg_dump" in POSTGRES_NOTE and POSTGRES_NOTE.count(".") == 1


# -- restore -----------------------------------------------------------------------------------


def test_restore_through_the_tab_rebuilds_the_window_on_the_restored_data(
    qtbot, session: WorkspaceSession, messages
) -> None:
    store = session.store
    add_client(store, "Kept Before Backup")
    backup = back_up_now(store, now=T0)
    add_client(store, "Added After Backup")
    assert client_names(store) == {"Kept Before Backup", "Added After Backup"}
    old_window = session.window
    assert old_window is not None
    tab = backups_tab_of(old_window)
    asked: list[str] = []
    tab.confirm = lambda _parent, _title, text: asked.append(text) or True
    assert tab.select(backup.path)

    tab.restore_button.click()

    assert len(asked) == 1
    assert "backed up first" in asked[0]
    assert kind_words(backup.label) in asked[0]
    assert messages == []
    window = session.window
    assert window is not None and window is not old_window
    assert window.store is session.store and session.store is not store
    assert client_names(session.store) == {"Kept Before Backup"}
    assert window.isVisible() and not old_window.isVisible()
    assert window.current_page_key() == "settings"
    assert "Restored the backup from" in window.statusBar().currentMessage()
    kinds = [b.label for b in list_backups(session.store)]
    assert "before-restore" in kinds
    safety = next(b for b in list_backups(session.store) if b.label == "before-restore")
    with open_store(safety.path, read_only=True) as copy:
        assert client_names(copy) == {"Kept Before Backup", "Added After Backup"}
    rows = window.clients_page.model.rowCount()
    assert rows == 1
    new_tab = backups_tab_of(window)
    assert new_tab.model.row_of(safety.path) >= 0


def test_cancelling_the_confirmation_changes_nothing(
    qtbot, session: WorkspaceSession, messages
) -> None:
    store = session.store
    backup = back_up_now(store, now=T0)
    add_client(store, "Added After Backup")
    window = session.window
    assert window is not None
    tab = backups_tab_of(window)
    tab.confirm = lambda *_args: False
    tab.select(backup.path)
    before = list_backups(store)

    assert not tab.restore_selected()

    assert session.window is window and session.store is store
    assert client_names(store) == {"Added After Backup"}
    assert list_backups(store) == before
    assert messages == []


def test_a_bad_backup_is_refused_and_the_workspace_stays_open(
    qtbot, session: WorkspaceSession, messages
) -> None:
    store = session.store
    add_client(store, "Still Here")
    backup = back_up_now(store, now=T0)
    backup.path.write_bytes(b"not a database any more" * 100)
    window = session.window
    assert window is not None
    tab = backups_tab_of(window)
    tab.confirm = lambda *_args: True
    tab.select(backup.path)

    assert not tab.restore_selected()

    assert len(messages) == 1 and "not changed" in messages[0][1]
    assert session.window is window and window.isVisible()
    assert client_names(session.store) == {"Still Here"}  # the store still works
    add_client(session.store, "Written Afterwards")
    assert "Written Afterwards" in client_names(session.store)
    assert session.auto_backup is not None and session.auto_backup.timer.isActive()


# -- automatic backups -------------------------------------------------------------------------


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def run_auto(qtbot, auto: AutoBackup) -> object:
    operation = auto.run_now()
    assert operation is not None
    qtbot.waitUntil(lambda: auto.operation is None and settled(auto.parent()), timeout=10_000)
    return auto.last_result


def test_auto_backup_runs_when_due_and_not_when_not(qtbot, workspace: Store) -> None:
    window = MainWindow(workspace, {}, lambda: AS_OF)
    qtbot.addWidget(window)
    clock = Clock(T0)
    notices: list[str] = []
    auto = AutoBackup(window, workspace, clock=clock, status=notices.append)

    first = run_auto(qtbot, auto)  # no backup yet: due
    assert isinstance(first, BackupInfo) and first.label == "auto"
    assert first.taken_at == T0

    clock.now = T0 + dt.timedelta(minutes=20)  # within the hour: not due, even after a change
    add_client(workspace, "Changed")
    assert run_auto(qtbot, auto) is None

    clock.now = T0 + dt.timedelta(hours=2)  # interval passed and the data changed: due
    second = run_auto(qtbot, auto)
    assert isinstance(second, BackupInfo) and second.taken_at == clock.now

    clock.now = T0 + dt.timedelta(hours=5)  # interval passed, nothing changed: not due
    assert run_auto(qtbot, auto) is None
    assert [b.label for b in list_backups(workspace)] == ["auto", "auto"]
    assert notices == []


def test_auto_backup_off_when_the_interval_is_zero(qtbot, workspace: Store) -> None:
    save_policy(workspace, BackupPolicy(interval_hours=0))
    window = MainWindow(workspace, {}, lambda: AS_OF)
    qtbot.addWidget(window)
    auto = AutoBackup(window, workspace, clock=Clock(T0))
    assert run_auto(qtbot, auto) is None
    assert list_backups(workspace) == []


def test_auto_backup_failure_goes_to_the_status_bar_once(qtbot, workspace: Store) -> None:
    backups = workspace.location.backup_dir
    assert backups is not None
    backups.write_text("a file where the backups folder should be")
    window = MainWindow(workspace, {}, lambda: AS_OF)
    qtbot.addWidget(window)
    clock = Clock(T0)
    auto = AutoBackup(window, workspace, clock=clock)
    run_auto(qtbot, auto)
    shown = window.statusBar().currentMessage()
    assert "automatic backup failed" in shown
    window.statusBar().clearMessage()
    clock.now = T0 + dt.timedelta(hours=3)
    run_auto(qtbot, auto)
    assert window.statusBar().currentMessage() == ""  # said once


def test_closing_the_window_takes_a_due_backup(qtbot, session: WorkspaceSession) -> None:
    clock = Clock(T0)
    window = session.window
    assert window is not None and session.auto_backup is not None
    session.auto_backup.clock = clock
    add_client(session.store, "Typed Today")
    window.close()
    QThreadPool.globalInstance().waitForDone()
    backups = list_backups(session.store)
    assert [(b.label, b.taken_at) for b in backups] == [("auto", T0)]
    assert session.auto_backup.run_now() is None  # stopped once the window closed


def test_the_session_runs_automatic_backups_on_a_timer(qtbot, session: WorkspaceSession) -> None:
    auto = session.auto_backup
    assert auto is not None and auto.enabled
    assert auto.timer.isActive()
    assert auto.timer.interval() >= 60_000  # every few minutes, not continuously
