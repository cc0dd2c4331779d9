"""GUI fixtures: a workspace with a handful of known clients, and Qt housekeeping.

Rows are written into the real store with the ORM (no mocks), chosen to exercise
what the Clients page must get right: case and accents in names, missing owners,
missing next meetings, an inactive client, and a UTC instant that falls on the
previous day in the client's own time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from sqlalchemy import select

from vcio_desk.domain.vocab import MeetingStatus, Tier
from vcio_desk.store import Store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)

# Offscreen windows cannot take size hints; Qt says so as a warning on every show().
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "gui" in item.path.parts:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _no_worker_left_behind() -> Iterator[None]:
    """A background job must not outlive its test (and the store it writes to)."""
    yield
    QThreadPool.globalInstance().waitForDone()


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def populated(workspace: Store) -> Store:
    """Five clients, five staff, a few contacts and meetings (see the module docstring)."""
    with workspace.transaction() as session:
        staff = {
            name: m.Staff(name=name, **roles)
            for name, roles in (
                ("Ada Lovelace", {"is_vcio": True}),
                ("Grace Hopper", {"is_vcio": True}),
                ("Émile Zola", {"is_tam": True}),
                ("Tim Berners-Lee", {"is_tam": True}),
                ("Ken Thompson", {"is_account_manager": True}),
            )
        }
        session.add_all(staff.values())
        session.flush()

        # name, tier, vCIO, TAM, account manager, country, subdivision, zone, active, ext. id
        rows = (
            ("Acme Dental", Tier.A, "Ada Lovelace", "Émile Zola", "Ken Thompson",
             "US", "NY", "America/New_York", True, "PSA-001"),
            ("beta Logistics", Tier.B, "Grace Hopper", "Tim Berners-Lee", "Ken Thompson",
             "DE", None, "Europe/Berlin", True, None),
            ("Ça Va Bakery", Tier.C, "Ada Lovelace", "Tim Berners-Lee", None,
             "FR", None, "Europe/Paris", True, None),
            ("Zenith Legal", Tier.A, "Grace Hopper", "Émile Zola", "Ken Thompson",
             "GB", None, "Europe/London", False, "PSA-099"),
            ("Delta Freight", Tier.B, None, None, None, None, None, "UTC", True, None),
        )  # fmt: skip
        acme, beta, cava, zenith, delta = clients = [
            m.Client(
                name=name,
                tier=tier,
                vcio_id=staff[vcio].id if vcio else None,
                tam_id=staff[tam].id if tam else None,
                account_manager_id=staff[am].id if am else None,
                country=country,
                subdivision=subdivision,
                timezone=zone,
                active=active,
                external_id=external_id,
            )
            for name, tier, vcio, tam, am, country, subdivision, zone, active, external_id in rows
        ]
        session.add_all(clients)
        session.flush()

        session.add_all(
            [
                m.Contact(client_id=acme.id, name="Jo Park"),
                m.Contact(client_id=acme.id, name="Sam Lee"),
                m.Contact(client_id=cava.id, name="Luc Martin"),
            ]
        )
        vcio_type = session.scalar(
            select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting")
        )
        assert vcio_type is not None

        def meeting(client_id: int, start: dt.datetime, status: MeetingStatus) -> m.Meeting:
            end = start + dt.timedelta(hours=1)
            return m.Meeting(
                client_id=client_id,
                meeting_type_id=vcio_type,
                scheduled_start=start,
                scheduled_end=end,
                status=status,
            )

        session.add_all(
            [
                # 03:00 UTC on 1 December is still 30 November in New York.
                meeting(acme.id, _utc(2026, 12, 1, 3, 0), MeetingStatus.CONFIRMED),
                meeting(acme.id, _utc(2027, 3, 1, 15, 0), MeetingStatus.PROPOSED),
                meeting(cava.id, _utc(2026, 12, 10, 9, 0), MeetingStatus.PROPOSED),
                meeting(zenith.id, _utc(2026, 11, 25, 10, 0), MeetingStatus.PROPOSED),
                # Held or cancelled meetings, or past ones, are never "next".
                meeting(delta.id, _utc(2026, 12, 2, 10, 0), MeetingStatus.CANCELLED),
                meeting(beta.id, _utc(2026, 10, 2, 10, 0), MeetingStatus.HELD),
            ]
        )
    return workspace
