"""Demo staff, clients and contacts: plausible names, a realistic tier mix, balanced owners."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from dataclasses import dataclass
from typing import Any

from vcio_desk import assets

from .rows import RowBuffer

TIER_WEIGHTS = (("A", 0.25), ("B", 0.42), ("C", 0.33))
FISCAL_START_MONTHS = (1, 1, 1, 1, 1, 1, 4, 7, 7, 10)
MSP_DOMAIN = "brightpath-it.example"


@dataclass
class DemoStaff:
    vcios: list[tuple[int, str]]
    tams: list[tuple[int, str]]
    account_managers: list[tuple[int, str]]
    service_manager: tuple[int, str]


@dataclass
class DemoClient:
    id: int
    name: str
    tier: str
    fiscal_start: int
    country: str
    subdivision: str | None
    timezone: str
    vcio: tuple[int, str]
    tam: tuple[int, str]
    account_manager: tuple[int, str]
    active: bool
    onboarded: dt.date
    contacts: list[tuple[int, str, bool]]
    """(id, name, decision maker)"""


def names() -> dict[str, Any]:
    return assets.template("demo_names")  # type: ignore[no-any-return]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())[:24] or "client"


def _email(person: str, domain: str) -> str:
    ascii_name = person.encode("ascii", "ignore").decode().lower()
    return ".".join(part for part in re.split(r"[^a-z]+", ascii_name) if part) + "@" + domain


def make_staff(rng: random.Random, buffer: RowBuffer, client_count: int) -> DemoStaff:
    """The bundled team, grown so that each vCIO carries roughly 15 to 40 clients."""
    pool = names()
    people: list[tuple[str, str, list[str]]] = [
        (p["name"], p["email"], list(p["roles"])) for p in pool["staff"]
    ]
    wanted = {
        "vcio": max(4, math.ceil(client_count / 35)),
        "tam": max(3, math.ceil(client_count / 45)),
        "account_manager": max(2, math.ceil(client_count / 120)),
    }
    taken = {p[0] for p in people}
    for role, target in wanted.items():
        while sum(role in p[2] for p in people) < target:
            person = f"{rng.choice(pool['first_names'])} {rng.choice(pool['last_names'])}"
            if person in taken:
                continue
            taken.add(person)
            people.append((person, _email(person, MSP_DOMAIN), [role]))
    staff = DemoStaff([], [], [], (0, ""))
    for name, email, roles in people:
        staff_id = buffer.add(
            "staff",
            name=name,
            email=email,
            is_vcio="vcio" in roles,
            is_tam="tam" in roles,
            is_account_manager="account_manager" in roles,
            is_service_manager="service_manager" in roles,
            daily_capacity=3 if rng.random() < 0.2 else 2,
            active=True,
        )
        if "vcio" in roles:
            staff.vcios.append((staff_id, name))
        if "tam" in roles:
            staff.tams.append((staff_id, name))
        if "account_manager" in roles:
            staff.account_managers.append((staff_id, name))
        if "service_manager" in roles:
            staff.service_manager = (staff_id, name)
    return staff


def _company_names(rng: random.Random, count: int) -> list[str]:
    pool = names()
    combos = [f"{p} {s}" for p in pool["company_prefixes"] for s in pool["company_suffixes"]]
    rng.shuffle(combos)
    if count > len(combos):
        combos += [f"{name} {n}" for n in range(2, 99) for name in combos][: count - len(combos)]
    return combos[:count]


def make_clients(
    rng: random.Random,
    buffer: RowBuffer,
    staff: DemoStaff,
    count: int,
    history_start: dt.date,
    as_of: dt.date,
) -> list[DemoClient]:
    pool = names()
    clients: list[DemoClient] = []
    span_days = max(1, (as_of - history_start).days - 150)
    for index, company in enumerate(_company_names(rng, count)):
        tier = rng.choices([t for t, _ in TIER_WEIGHTS], [w for _, w in TIER_WEIGHTS])[0]
        place = rng.choice(pool["locations"])
        onboarded = history_start + dt.timedelta(
            days=rng.randrange(0, 45) if rng.random() < 0.7 else rng.randrange(0, span_days)
        )
        client = DemoClient(
            id=0,
            name=company,
            tier=tier,
            fiscal_start=rng.choice(FISCAL_START_MONTHS),
            country=place["country"],
            subdivision=place.get("subdivision"),
            timezone=place["timezone"],
            vcio=staff.vcios[index % len(staff.vcios)],
            tam=staff.tams[rng.randrange(len(staff.tams))],
            account_manager=staff.account_managers[index % len(staff.account_managers)],
            active=rng.random() > 0.03,
            onboarded=onboarded,
            contacts=[],
        )
        client.id = buffer.add(
            "clients",
            name=client.name,
            external_id=f"AT-{10000 + index * 7}",
            tier=tier,
            fiscal_year_start_month=client.fiscal_start,
            country=client.country,
            subdivision=client.subdivision,
            timezone=client.timezone,
            vcio_id=client.vcio[0],
            tam_id=client.tam[0],
            account_manager_id=client.account_manager[0],
            active=client.active,
            notes=rng.choice(pool["notes"]) if rng.random() < 0.5 else "",
        )
        _add_contacts(rng, buffer, client, pool)
        clients.append(client)
    return clients


def _add_contacts(
    rng: random.Random, buffer: RowBuffer, client: DemoClient, pool: dict[str, Any]
) -> None:
    domain = _slug(client.name) + ".example"
    titles = pool["titles"]
    for position in range(rng.randint(2, 4)):
        person = f"{rng.choice(pool['first_names'])} {rng.choice(pool['last_names'])}"
        title = titles[0] if position == 0 else rng.choice(titles[1:])
        decision_maker = position == 0 or (position == 1 and rng.random() < 0.4)
        contact_id = buffer.add(
            "contacts",
            client_id=client.id,
            name=person,
            title=title,
            email=_email(person, domain),
            phone=f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            decision_maker=decision_maker,
        )
        client.contacts.append((contact_id, person, decision_maker))
