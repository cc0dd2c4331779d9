"""Reading the bytes of a CSV file someone exported from another program as text.

UTF-16 (with its byte-order mark), UTF-8 with or without one, else Windows-1252: what
spreadsheet programs and PSA exports write. A workbook or a binary file is refused
with a hint of what to do instead; the caller chooses the error type and the hints.

NUL characters left in the text (UTF-16, or past the start of the file) are dropped:
no text means one, and the store removes them from everything it writes, so a name
checked here with a NUL would be stored as another name than the one checked.
"""

from __future__ import annotations

import codecs

from vcio_desk.domain.errors import ValidationError

SPREADSHEET_SIGNATURE = b"PK\x03\x04"
"""An .xlsx (or any zip) file."""


def decode_text(
    data: bytes, error: type[ValidationError], *, workbook_hint: str, binary_hint: str
) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding that read it."""
    if not data.strip():
        raise error("The file is empty.")
    if data.startswith(SPREADSHEET_SIGNATURE):
        raise error(
            f"This is a spreadsheet workbook (such as .xlsx), not a CSV file; {workbook_hint}."
        )
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return _without_nul(data[len(bom) :].decode(codec)), "UTF-16"
            except UnicodeDecodeError:
                raise error("The file says it is UTF-16 text but is not.") from None
    if b"\x00" in data[:8192]:
        raise error(binary_hint)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return _without_nul(data.decode("cp1252")), "Windows-1252"
        except UnicodeDecodeError:
            raise error(
                'The file is neither UTF-8 nor Windows-1252 text; save it as "CSV UTF-8".'
            ) from None
    encoding = "UTF-8 with byte-order mark" if data.startswith(codecs.BOM_UTF8) else "UTF-8"
    return _without_nul(text), encoding


def _without_nul(text: str) -> str:
    return text.replace("\x00", "") if "\x00" in text else text
