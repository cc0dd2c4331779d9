"""Icons come from the bundled SVGs; a missing one degrades to no icon, except the app's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize

from vcio_desk import assets
from vcio_desk.ui import icons


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    icons.icon.cache_clear()
    yield
    icons.icon.cache_clear()


def test_icons_render_sharp_and_are_cached(qapp) -> None:
    app_icon = icons.icon("app")
    assert not app_icon.isNull()
    pixmap = app_icon.pixmap(QSize(64, 64), 2.0)
    assert pixmap.deviceIndependentSize().toSize() == QSize(64, 64)
    assert pixmap.width() == 128, "drawn at twice the size for HiDPI screens"
    assert icons.icon("clients") is icons.icon("clients")


def test_a_missing_icon_is_no_icon(
    qapp, fresh_cache: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = assets.icon_bytes

    def icon_bytes(name: str) -> bytes:
        if name in {"year", "app"}:
            raise FileNotFoundError(f"bundled resource icons/{name}.svg is missing")
        return real(name)

    monkeypatch.setattr(assets, "icon_bytes", icon_bytes)
    assert icons.icon("year").isNull()
    assert "year.svg is missing" in caplog.text
    assert not icons.icon("clients").isNull()
    with pytest.raises(FileNotFoundError):
        icons.icon("app")
