"""NUL characters never reach the database, on any write path (PostgreSQL refuses them)."""

from __future__ import annotations

from sqlalchemy import insert, select, text, update

from vcio_desk.store import Store
from vcio_desk.store.models import Client, Staff


def test_orm_core_and_text_writes_drop_nul(workspace: Store) -> None:
    with workspace.transaction() as session:
        session.add(Client(name="Acme\x00 Ltd", notes="line\x00one"))
        session.execute(insert(Staff), [{"name": "A\x00B"}, {"name": "C\x00D"}])
        session.execute(update(Staff).where(Staff.name == "AB").values(email="x\x00@y"))
        session.execute(text("UPDATE clients SET external_id = :v"), {"v": "E\x00X"})
    with workspace.session() as session:
        client = session.scalars(select(Client)).one()
        staff = sorted(session.scalars(select(Staff.name)).all())
        email = session.scalar(select(Staff.email).where(Staff.name == "AB"))
    assert (client.name, client.notes, client.external_id) == ("Acme Ltd", "lineone", "EX")
    assert "AB" in staff and "CD" in staff
    assert email == "x@y"


def test_text_without_nul_is_passed_through_unchanged(workspace: Store) -> None:
    hostile = "<b>R&D</b> \u202ename\u202c \t\r\n \x01\x1f 🙂"
    with workspace.transaction() as session:
        session.add(Client(name="Hostile", notes=hostile))
    with workspace.session() as session:
        assert session.scalar(select(Client.notes)) == hostile
