"""Logos on the cover: read once, scaled down, and a drawn placeholder when they can't be.

A logo is whatever bytes were stored in the settings: usually PNG or JPEG, sometimes a
file that is not an image at all. Pillow checks and decodes it; anything it cannot read
(or a missing logo) prints as a dashed frame with the organisation's initials and adds
a warning, so the pack is still produced and the user knows why the logo is absent.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from typing import Any

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from .glyphs import GlyphGuard
from .theme import FONT, FONT_BOLD, PALETTE

__all__ = ["Logo", "read_logo"]

MAX_PIXELS = 800
"""Longest side kept: sharp at 60 mm wide in print, small in the PDF."""
_CACHE_SIZE = 8
_cache: OrderedDict[str, Image.Image] = OrderedDict()
_cache_lock = threading.Lock()


def read_logo(data: bytes | None) -> tuple[Image.Image | None, str]:
    """The logo as a small RGB(A) image, or None and why it could not be used."""
    if not data:
        return None, "no logo is set"
    key = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached, ""
    head = data[:256].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")):
        return None, "it is an SVG drawing (use a PNG or JPEG image)"
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = opened.convert("RGBA" if _has_alpha(opened) else "RGB")
    except Exception:
        return None, "the file is not an image that can be read"
    image.thumbnail((MAX_PIXELS, MAX_PIXELS))
    with _cache_lock:
        _cache[key] = image
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return image, ""


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def initials(name: str) -> str:
    letters = [part[0] for part in name.split() if part[:1].isalnum()]
    return ("".join(letters[:2]) or "?").upper()


class Logo(Flowable):
    """A logo fitted into a box (aspect kept), or a dashed placeholder with initials."""

    def __init__(
        self,
        image: Image.Image | None,
        name: str,
        glyphs: GlyphGuard,
        *,
        width: float,
        height: float,
        align: str = "left",
    ) -> None:
        super().__init__()
        self.image = image
        self.name = name
        self.glyphs = glyphs
        self.box_width = width
        self.box_height = height
        self.align = align

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = min(self.box_width, availWidth)
        self.height = self.box_height
        return self.width, self.height

    def draw(self) -> None:
        if self.image is None:
            self._placeholder()
            return
        image_width, image_height = self.image.size
        scale = min(self.width / image_width, self.height / image_height)
        width, height = image_width * scale, image_height * scale
        x = self.width - width if self.align == "right" else 0.0
        reader: Any = ImageReader(self.image)
        self.canv.drawImage(reader, x, (self.height - height) / 2, width, height, mask="auto")

    def _placeholder(self) -> None:
        canvas = self.canv
        side = self.height
        width = min(self.width, side * 2.6)
        x = self.width - width if self.align == "right" else 0.0
        canvas.saveState()
        canvas.setStrokeColor(PALETTE.accent_mid)
        canvas.setDash(3, 2)
        canvas.setLineWidth(0.8)
        canvas.roundRect(x, 0, width, side, 4, stroke=1, fill=0)
        canvas.setFillColor(PALETTE.accent_soft)
        radius = side * 0.32
        centre_x, centre_y = x + side / 2, side / 2
        canvas.circle(centre_x, centre_y, radius, stroke=0, fill=1)
        canvas.setFillColor(PALETTE.accent)
        letters = initials(self.name)
        size = radius * 0.9
        self.glyphs.draw(
            canvas,
            centre_x,
            centre_y - size * 0.35,
            letters,
            font=FONT_BOLD,
            size=size,
            width=radius * 2,
            align="centre",
        )
        canvas.setFillColor(PALETTE.muted)
        text_x = x + side
        room = width - side - 6
        self.glyphs.draw(canvas, text_x, side / 2 + 1, "Logo", font=FONT_BOLD, size=7, width=room)
        self.glyphs.draw(
            canvas, text_x, side / 2 - 8, "not available", font=FONT, size=7, width=room
        )
        canvas.restoreState()
