"""Packaging facts that are easy to forget when the tree grows."""

from __future__ import annotations

import tomllib
from pathlib import Path

from vcio_desk.store import migrate

ROOT = Path(__file__).resolve().parents[1]


def test_schema_constants_match_the_migration_scripts() -> None:
    scripts = migrate.script_directory()
    assert scripts.get_current_head() == migrate.SCHEMA_HEAD
    assert {rev.revision for rev in scripts.walk_revisions()} == set(migrate.KNOWN_REVISIONS)


def test_every_package_directory_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    mapping = {
        "vcio_desk": ROOT / "vcio_desk",
        "vcio_desk.resources": ROOT / "resources",
        "vcio_desk.migrations": ROOT / "db",
    }
    found = set()
    for prefix, base in mapping.items():
        for init in base.rglob("__init__.py"):
            relative = init.parent.relative_to(base).parts
            found.add(".".join((prefix, *relative)))
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    assert listed - found == set(), "listed packages without an __init__.py"
