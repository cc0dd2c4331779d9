"""Header presets for client CSV files: our own field names, Autotask's and ConnectWise's.

Presets and where their column names come from
    ``generic``
        Our own field names (see :data:`FIELDS`), with ``_`` or a space.
    ``autotask``
        Autotask PSA's *Organization import template* and its "Export > In Import
        Template Format" (Autotask help, "Populating the Organization import template",
        autotask.net/help/.../4_Admin/_UTILITIES_IMPORT/Companies_Import.htm, and
        "Importing organizations and contacts at the same time", Companies_Contacts_Import.htm).
        Verified there: ``Organization ID`` (updates only, present in the import-format
        export), ``Name`` (required), ``Number`` (up to 50 characters, "used to reference
        external applications"), ``Address 1``/``Address 2``/``City``/``State``/``Zip
        Code``, ``Country`` (the country's *display name*, e.g. "United States", so names
        are accepted as well as ISO codes), ``Phone`` (required there); the combined
        template prefixes ``Organization: `` and marks required columns ``[required]``.
        Autotask called organizations "Accounts" and later "Companies", so ``Company
        Name``/``Account Name``/``Company ID``... are accepted too. *Assumed* (the help
        text past ``Phone`` was not available to us; the field names follow the REST
        API's Companies entity: companyType, ownerResourceID, classification,
        territoryID, marketSegmentID, webAddress): ``Account Manager``/``Owner
        Resource`` -> account manager, ``Classification`` -> tier (classifications are
        user-defined in Autotask, so only A/B/C or "Tier A".."Tier C" are accepted, as
        everywhere). ``Organization ID`` is preferred as the external id; ``Number`` is
        used when there is no ID column. Type, phone, web address, territory and market
        segment have no place in vcio_desk and are ignored.
    ``connectwise``
        ConnectWise PSA (Manage) company list export. The list columns ``Company Name``,
        ``Company ID``, ``Phone Number``, ``Type``, ``Status``, ``City``, ``Territory``,
        ``Market``, ``Address Line 1``, ``State``, ``Zip``, ``Country`` are documented in
        BetterInvoice's "Company Finance List View" guide (betterinvoice.io/docs/
        connectwise/company-finance/list-view); the REST API's company model
        (``identifier`` = the Company ID, up to 25 characters; ``name``; ``status``;
        ``type``; ``state``; ``country``; ``timeZone``) confirms the fields.
        ``Status`` -> active (Active/Inactive; other statuses are refused so that a
        person decides). *Assumed*: ``Account Manager`` (a team role in ConnectWise, not
        a list column by default) and ``State/Province`` spellings. Type, territory and
        market are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "external_id": "External ID",
    "tier": "Tier",
    "vcio": "vCIO",
    "tam": "TAM",
    "account_manager": "Account manager",
    "country": "Country",
    "subdivision": "State / region",
    "timezone": "Time zone",
    "fiscal_year_start_month": "Fiscal year start month",
    "active": "Active",
    "notes": "Notes",
    "contact_name": "Contact name",
    "contact_title": "Contact title",
    "contact_email": "Contact email",
    "contact_phone": "Contact phone",
}
"""Our fields, in the order the dialog offers them, with their labels."""
FIELDS: tuple[str, ...] = tuple(FIELD_LABELS)


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    aliases: Mapping[str, tuple[str, ...]]
    """field -> normalised column names, the preferred first."""
    required: tuple[str, ...]


# -- header names ------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """Trimmed, blanks collapsed, case-folded, without ``[required]`` / trailing ``*``."""
    name = " ".join(text.replace("\ufeff", "").split()).casefold()
    name = re.sub(r"^\[\s*required\s*\*?\s*\]\s*", "", name)
    return name.rstrip("*").rstrip()


def _generic_aliases() -> dict[str, tuple[str, ...]]:
    return {f: tuple(dict.fromkeys((f, f.replace("_", " ")))) for f in FIELDS}


def _merge(
    own: Mapping[str, tuple[str, ...]], *, own_first: bool = True
) -> dict[str, tuple[str, ...]]:
    merged = {}
    for name, generic in _generic_aliases().items():
        aliases = tuple(normalise_header(a) for a in own.get(name, ()))
        merged[name] = tuple(dict.fromkeys(aliases + generic if own_first else generic + aliases))
    return merged


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


PRESETS: dict[str, Preset] = {
    "generic": Preset(
        "generic",
        "Generic (vcio_desk column names)",
        _merge(
            {
                "name": _names("client name|client"),
                "subdivision": _names("state|region"),
                "timezone": _names("time zone"),
                "fiscal_year_start_month": _names("fiscal year start"),
            },
            own_first=False,
        ),
        ("name",),
    ),
    "autotask": Preset(
        "autotask",
        "Autotask PSA (organization import template)",
        _merge(
            {
                "name": _names(
                    "name|organization name|organization: name|organization|company name"
                    "|account name|company"
                ),
                "external_id": _names(
                    "organization id|organization: id|company id|account id|id|number"
                    "|organization number|organization: number|company number|account number"
                ),
                "tier": _names("classification|organization classification"),
                "account_manager": _names(
                    "account manager|organization: account manager|owner resource|owner"
                ),
                "country": _names("country|organization: country"),
                "subdivision": _names("state|organization: state|state/province|region"),
                "timezone": _names("time zone"),
                "active": _names("active|is active|organization: active"),
            }
        ),
        ("name", "external_id"),
    ),
    "connectwise": Preset(
        "connectwise",
        "ConnectWise PSA (company list export)",
        _merge(
            {
                "name": _names("company name|company|name"),
                "external_id": _names("company id|identifier|company identifier|company recid"),
                "active": _names("status|company status"),
                "account_manager": _names("account manager"),
                "country": _names("country"),
                "subdivision": _names("state|state/province|state / province|province"),
                "timezone": _names("time zone"),
            }
        ),
        ("name", "external_id"),
    ),
}
