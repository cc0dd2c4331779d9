"""The rhythm dialogs on a shared workspace: a new version saved by someone else meanwhile
is reported with a Reload choice; reloading shows the rhythm as it is now and keeps what
was typed, and the next save goes through. (Two Stores on one workspace, as in
test_conflicts.py; Qt offscreen.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from sqlalchemy import insert

from vcio_desk.domain.vocab import BodyKind
from vcio_desk.services.client_detail import client_detail
from vcio_desk.services.rhythms import (
    add_version,
    create_internal_body,
    create_rhythm,
    get_rhythm,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.rhythm_dialog import RhythmDialog, RhythmRequest
from vcio_desk.ui.dialogs.settings_dialogs import BodyRhythmDialog, BodyRhythmRequest

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def two(db_target: Callable[..., str | Path]) -> Iterator[tuple[Store, Store]]:
    target = db_target("team", seeded=True)
    alice, bob = open_store(target), open_store(target)
    try:
        yield alice, bob
    finally:
        bob.close()
        alice.close()


class Asker:
    """Stands in for the Reload question: records what it said, answers ``reload``."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self.reload = True

    def __call__(self, _parent: object, title: str, message: str) -> bool:
        self.seen.append((title, message))
        return self.reload


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asker:
    asker = Asker()
    monkeypatch.setattr(RhythmDialog, "ask_reload", staticmethod(asker))
    monkeypatch.setattr(BodyRhythmDialog, "ask_reload", staticmethod(asker))
    return asker


def _alice_adds_a_version(alice: Store, rhythm_id: int) -> None:
    add_version(
        alice,
        rhythm_id,
        rule="FREQ=MONTHLY",
        anchor=dt.date(2027, 1, 4),
        tolerance_days=7,
        effective_from=dt.date(2027, 1, 4),
        reason="Alice: monthly during the move",
        expected_version=get_rhythm(alice, rhythm_id).row_version,
    )


def _client_rhythm(alice: Store) -> tuple[int, int]:
    with alice.transaction() as s:
        client_id = s.execute(
            insert(m.Client)
            .values(name="Acme", tier="B", timezone="America/New_York")
            .returning(m.Client.id)
        ).scalar_one()
    rhythm_id = create_rhythm(
        alice,
        meeting_type_key="vcio_meeting",
        rule="FREQ=MONTHLY;INTERVAL=3",
        anchor=dt.date(2026, 1, 15),
        tolerance_days=14,
        client_id=client_id,
    )
    return client_id, rhythm_id


def test_client_rhythm_dialog_offers_reload_and_keeps_what_was_typed(
    qtbot, two: tuple[Store, Store], asked: Asker
) -> None:
    alice, bob = two
    client_id, rhythm_id = _client_rhythm(alice)
    request = RhythmRequest(
        bob, client_detail(bob, client_id), AS_OF, "Bob", rhythm=get_rhythm(bob, rhythm_id)
    )
    dialog = RhythmDialog(request)
    qtbot.addWidget(dialog)
    dialog.effective_edit.setDate(QDate(2027, 3, 1))
    dialog.reason_edit.setText("Bob: the client asked for monthly")
    _alice_adds_a_version(alice, rhythm_id)

    dialog.accept()
    assert len(asked.seen) == 1 and "changed elsewhere" in asked.seen[0][1]
    assert dialog.result_id is None, "nothing saved over Alice's version"
    assert dialog.request.rhythm is not None
    assert dialog.request.rhythm.row_version == get_rhythm(alice, rhythm_id).row_version
    assert "Scheduled: Monthly" in dialog.intro_label.text()  # Alice's version, now in view
    assert dialog.reason_edit.text() == "Bob: the client asked for monthly"
    assert dialog.effective_from() == dt.date(2027, 3, 1)

    dialog.accept()
    assert len(asked.seen) == 1
    assert dialog.result_id is not None
    reasons = [v.reason for v in get_rhythm(alice, rhythm_id).versions]
    assert reasons == [
        "New rhythm",
        "Alice: monthly during the move",
        "Bob: the client asked for monthly",
    ]


def test_declining_the_reload_keeps_the_dialog_as_it_was(
    qtbot, two: tuple[Store, Store], asked: Asker
) -> None:
    alice, bob = two
    client_id, rhythm_id = _client_rhythm(alice)
    seen = get_rhythm(bob, rhythm_id)
    dialog = RhythmDialog(RhythmRequest(bob, client_detail(bob, client_id), AS_OF, rhythm=seen))
    qtbot.addWidget(dialog)
    dialog.effective_edit.setDate(QDate(2027, 3, 1))
    dialog.reason_edit.setText("Bob: later")
    _alice_adds_a_version(alice, rhythm_id)
    asked.reload = False

    dialog.accept()
    assert len(asked.seen) == 1 and dialog.result_id is None
    assert dialog.request.rhythm == seen
    assert dialog.reason_edit.text() == "Bob: later"
    assert len(get_rhythm(alice, rhythm_id).versions) == 2


def test_internal_body_rhythm_dialog_offers_reload_too(
    qtbot, two: tuple[Store, Store], asked: Asker
) -> None:
    alice, bob = two
    body_id = create_internal_body(
        alice, name="Standards committee", kind=BodyKind.OTHER, owner_id=None, timezone="UTC",
        country=None,
    )  # fmt: skip
    rhythm_id = create_rhythm(
        alice,
        meeting_type_key="standards_committee",
        rule="FREQ=MONTHLY",
        anchor=dt.date(2026, 1, 6),
        tolerance_days=5,
        internal_body_id=body_id,
    )
    request = BodyRhythmRequest(
        bob, body_id, "Standards committee", None, AS_OF, "Bob", rhythm=get_rhythm(bob, rhythm_id)
    )
    dialog = BodyRhythmDialog(request)
    qtbot.addWidget(dialog)
    dialog.effective_edit.setDate(QDate(2027, 3, 1))
    dialog.reason_edit.setText("Bob: every other month")
    _alice_adds_a_version(alice, rhythm_id)

    dialog.accept()
    assert len(asked.seen) == 1 and "changed elsewhere" in asked.seen[0][1]
    assert dialog.result_id is None
    assert dialog.request.rhythm == get_rhythm(alice, rhythm_id)
    assert dialog.reason_edit.text() == "Bob: every other month"

    dialog.accept()
    assert dialog.result_id is not None
    assert [v.reason for v in get_rhythm(alice, rhythm_id).versions][-1] == "Bob: every other month"
