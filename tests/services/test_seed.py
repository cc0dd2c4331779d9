"""ensure_base_content: every workspace gets meeting types, the standards library and settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, select, text

from vcio_desk.services.seed import DEFAULT_SETTINGS, ensure_base_content
from vcio_desk.services.settings import read_settings, write_setting
from vcio_desk.store import Store, open_store
from vcio_desk.store.models import (
    Base,
    MeetingType,
    Setting,
    Standard,
    StandardCategory,
    StandardSection,
)


def template(name: str) -> Any:
    """Read the bundled JSON independently of the code under test."""
    raw = files("vcio_desk.resources").joinpath("templates", f"{name}.json").read_text("utf-8")
    return json.loads(raw)


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("VCIO_DESK_DB", raising=False)


@pytest.fixture
def store(db_target) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as opened:
        yield opened


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with store.session() as session:
        return {
            name: [tuple(row) for row in session.execute(text(f"SELECT * FROM {name} ORDER BY 1"))]
            for name in sorted(Base.metadata.tables)
        }


def test_a_new_workspace_is_empty_until_seeded(store: Store) -> None:
    assert all(rows == [] for rows in dump(store).values())


def test_installs_the_four_meeting_types(store: Store) -> None:
    ensure_base_content(store)
    expected = template("meeting_types")["meeting_types"]
    assert len(expected) == 4
    with store.session() as session:
        types = session.scalars(select(MeetingType).order_by(MeetingType.id)).all()
    assert [t.key for t in types] == [item["key"] for item in expected]
    for row, item in zip(types, expected, strict=True):
        assert row.name == item["name"]
        assert row.kind.value == item["kind"]
        assert row.default_duration_minutes == item["default_duration_minutes"]
        assert row.default_start_time == item["default_start_time"]
        assert row.agenda_template == item["agenda"]
        assert row.prep_checklist == item["prep_checklist"]
        assert row.pack_sections == item["pack_sections"]


def test_installs_the_whole_standards_library_in_order(store: Store) -> None:
    ensure_base_content(store)
    library = template("standards_library")
    expected = [
        (section["key"], category["name"], standard)
        for section in library["sections"]
        for category in section["categories"]
        for standard in category["standards"]
    ]
    with store.session() as session:
        rows = session.execute(
            select(StandardSection.key, StandardCategory.name, Standard)
            .join(StandardCategory, StandardCategory.section_id == StandardSection.id)
            .join(Standard, Standard.category_id == StandardCategory.id)
            .order_by(StandardSection.position, StandardCategory.position, Standard.position)
        ).all()
        n_sections = len(session.scalars(select(StandardSection)).all())
        n_categories = len(session.scalars(select(StandardCategory)).all())
    assert len(rows) == len(expected) == 84
    assert n_sections == len(library["sections"])
    assert n_categories == sum(len(s["categories"]) for s in library["sections"])
    for (section_key, category_name, std), (e_section, e_category, e_std) in zip(
        rows, expected, strict=True
    ):
        assert (section_key, category_name) == (e_section, e_category)
        assert std.code == e_std["code"]
        assert std.question == e_std["question"]
        assert std.why_it_matters == e_std["why_it_matters"]
        assert std.how_to_align == e_std["how_to_align"]
        assert std.priority.value == e_std["priority"]
        assert std.internal_only is e_std["internal_only"]
        assert std.tiers == e_std["tiers"]
        assert not std.archived


def test_installs_the_default_settings(store: Store) -> None:
    ensure_base_content(store)
    settings = read_settings(store)
    assert settings == {**DEFAULT_SETTINGS, "tier_rhythms": template("tier_rhythms")}
    assert settings["workspace_kind"] == "user"


def test_second_call_changes_nothing(store: Store) -> None:
    ensure_base_content(store)
    before = dump(store)
    writes: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE", "REPLACE"}:
            writes.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        ensure_base_content(store)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert writes == []
    assert dump(store) == before


def test_refills_missing_settings_without_overwriting_choices(store: Store) -> None:
    ensure_base_content(store)
    write_setting(store, "msp_name", "Northwind IT")
    with store.transaction() as session:
        session.execute(delete(Setting).where(Setting.key == "lead_days"))
    ensure_base_content(store)
    settings = read_settings(store)
    assert settings["msp_name"] == "Northwind IT"
    assert settings["lead_days"] == DEFAULT_SETTINGS["lead_days"]


def test_an_edited_library_is_not_reinstalled(store: Store) -> None:
    ensure_base_content(store)
    with store.transaction() as session:
        first = session.scalars(select(Standard).order_by(Standard.id)).first()
        assert first is not None
        first.archived = True
    ensure_base_content(store)
    with store.session() as session:
        assert len(session.scalars(select(Standard)).all()) == 84
        assert session.scalars(select(Standard).where(Standard.archived)).one().id == first.id


def test_seed_survives_reopening(db_target) -> None:  # type: ignore[no-untyped-def]
    path = db_target("ws")
    with open_store(path) as first:
        ensure_base_content(first)
        before = dump(first)
    with open_store(path) as second:
        ensure_base_content(second)
        assert dump(second) == before
