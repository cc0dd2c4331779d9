"""Bundled SVG icons as QIcons, rendered once per name and cached.

The SVGs are rendered with QSvgRenderer into pixmaps at twice their logical size
so they stay sharp on HiDPI screens without depending on Qt's SVG icon-engine
plugin being deployed. Requires a QGuiApplication.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from vcio_desk import assets

log = logging.getLogger(__name__)

REQUIRED = frozenset({"app"})
"""Icons whose absence is a packaging bug; every other missing icon degrades to none."""

_SIZES = (16, 24, 32, 48, 64)
_APP_SIZES = (16, 24, 32, 48, 64, 128, 256)
_SCALE = 2


def _paint(renderer: QSvgRenderer, size: int, scale: int) -> QPixmap:
    pixmap = QPixmap(QSize(size * scale, size * scale))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap


@cache
def icon(name: str) -> QIcon:
    """The bundled icon ``name``; an empty QIcon when a non-required icon is missing."""
    try:
        data = assets.icon_bytes(name)
    except FileNotFoundError:
        if name in REQUIRED:
            raise
        log.warning("icon %s.svg is missing; showing no icon", name)
        return QIcon()
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        if name in REQUIRED:
            raise ValueError(f"bundled icon {name}.svg is not a valid SVG")
        log.warning("icon %s.svg is not a valid SVG; showing no icon", name)
        return QIcon()
    result = QIcon()
    for size in _APP_SIZES if name == "app" else _SIZES:
        result.addPixmap(_paint(renderer, size, _SCALE))
    return result
