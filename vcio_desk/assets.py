"""Bundled resources (templates, icons, fonts) found by name through importlib.resources.

An unknown name fails loudly: a missing resource is a packaging bug, not a user error.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

_PACKAGE = "vcio_desk.resources"


def resource(kind: str, name: str) -> Traversable:
    """The bundled file ``resources/<kind>/<name>``; raises FileNotFoundError if absent."""
    item = files(_PACKAGE).joinpath(kind, name)
    if not item.is_file():
        raise FileNotFoundError(f"bundled resource {kind}/{name} is missing")
    return item


@cache
def template(name: str) -> Any:
    """A bundled JSON template, parsed once per process (callers must not mutate it)."""
    return json.loads(resource("templates", f"{name}.json").read_text(encoding="utf-8"))


def icon_bytes(name: str) -> bytes:
    return resource("icons", f"{name}.svg").read_bytes()


def font_bytes(file_name: str) -> bytes:
    return resource("fonts", file_name).read_bytes()
