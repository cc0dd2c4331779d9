"""The client header service: names for ids, contacts in a stable order, client meeting types."""

from __future__ import annotations

import getpass

import pytest
from sqlalchemy import insert

from vcio_desk.domain.errors import ValidationError
from vcio_desk.services.client_detail import author_name, client_detail
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store
from vcio_desk.store import models as m


def _staff(store: Store, name: str, **roles: bool) -> int:
    with store.transaction() as s:
        return s.execute(
            insert(m.Staff).values(name=name, **roles).returning(m.Staff.id)
        ).scalar_one()


@pytest.fixture
def acme(workspace: Store) -> int:
    ada = _staff(workspace, "Ada Lovelace", is_vcio=True)
    emile = _staff(workspace, "Émile Zola", is_tam=True)
    ken = _staff(workspace, "Ken Thompson", is_account_manager=True)
    with workspace.transaction() as s:
        client_id = s.execute(
            insert(m.Client)
            .values(
                name="Acme Dental",
                external_id="PSA-001",
                tier="A",
                fiscal_year_start_month=7,
                country="US",
                subdivision="NY",
                timezone="America/New_York",
                vcio_id=ada,
                tam_id=emile,
                account_manager_id=ken,
                notes="Two sites",
            )
            .returning(m.Client.id)
        ).scalar_one()
        s.execute(
            insert(m.Contact),
            [
                {"client_id": client_id, "name": "Sam Lee", "title": "Office manager"},
                {
                    "client_id": client_id,
                    "name": "Jo Park",
                    "title": "CEO",
                    "email": "jo@acme.example",
                    "phone": "+1 555 0100",
                    "decision_maker": True,
                },
                {"client_id": client_id, "name": "Al Bell"},
            ],
        )
    return client_id


def test_header_data_with_names_and_contacts(workspace: Store, acme: int) -> None:
    detail = client_detail(workspace, acme)
    assert (detail.id, detail.name, detail.external_id, detail.tier) == (
        acme,
        "Acme Dental",
        "PSA-001",
        "A",
    )
    assert (detail.vcio, detail.tam, detail.account_manager) == (
        "Ada Lovelace",
        "Émile Zola",
        "Ken Thompson",
    )
    assert detail.fiscal_year_start_month == 7
    assert detail.fiscal_year_start == "July"
    assert (detail.country, detail.subdivision, detail.place) == ("US", "NY", "US-NY")
    assert detail.timezone == "America/New_York"
    assert detail.active and detail.notes == "Two sites"
    # Decision makers first, then by name.
    assert [c.name for c in detail.contacts] == ["Jo Park", "Al Bell", "Sam Lee"]
    jo = detail.contacts[0]
    assert (jo.title, jo.email, jo.phone, jo.decision_maker) == (
        "CEO",
        "jo@acme.example",
        "+1 555 0100",
        True,
    )
    assert detail.contacts[1].email == "" and detail.contacts[1].phone == ""


def test_missing_owners_and_region_are_empty_text(workspace: Store) -> None:
    with workspace.transaction() as s:
        client_id = s.execute(
            insert(m.Client).values(name="Delta Freight", tier="B").returning(m.Client.id)
        ).scalar_one()
    detail = client_detail(workspace, client_id)
    assert (detail.vcio, detail.tam, detail.account_manager) == ("", "", "")
    assert (detail.country, detail.place, detail.external_id) == ("", "", None)
    assert detail.fiscal_year_start == "January"
    assert detail.timezone == "UTC"
    assert detail.contacts == ()


def test_only_client_meeting_types_are_offered(workspace: Store, acme: int) -> None:
    detail = client_detail(workspace, acme)
    assert [(t.key, t.name) for t in detail.meeting_types] == [
        ("alignment_review", "Technology Alignment review"),
        ("vcio_meeting", "vCIO strategic meeting"),
    ]


def test_unknown_client_is_a_user_error(workspace: Store) -> None:
    with pytest.raises(ValidationError, match="no longer exists"):
        client_detail(workspace, 999)


def test_author_is_the_current_user_else_the_login(workspace: Store) -> None:
    assert author_name(workspace) == getpass.getuser()
    grace = _staff(workspace, "Grace Hopper", is_vcio=True)
    write_setting(workspace, "current_user_staff_id", grace)
    assert author_name(workspace) == "Grace Hopper"
