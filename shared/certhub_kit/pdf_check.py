"""A PDF is stored only when it can do nothing but show its pages.

Refused: JavaScript (``/JavaScript``, ``/JS``), actions that run on opening or on events (``/OpenAction``,
``/AA``), launching programs (``/Launch``), sending or importing data (``/SubmitForm``, ``/ImportData``),
embedded files (``/EmbeddedFile(s)``, ``/GoToE``), rich media and XFA forms — found by walking every object
reachable from the trailer (pypdf resolves object streams and ``#xx`` name escapes). Plain links
(``/URI``) are allowed. Bytes after the last ``%%EOF`` (an HTML trailer, a second file) are not stored.
"""

from __future__ import annotations

from typing import Any

ACTIVE_KEYS = {
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute"}
WALK_LIMIT = 200_000  # objects looked at; a scan of 20 pages has a few hundred


def active_content(reader: Any) -> str | None:
    """The first active-content name found in ``reader``'s document, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack: list[Any] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    walked = 0
    while stack:
        item = stack.pop()
        walked += 1
        if walked > WALK_LIMIT:
            return "/TooManyObjects"
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            stack.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return str(key)
                if key in ("/S", "/Type", "/Subtype") and str(value) in ACTIVE_ACTIONS | {"/EmbeddedFile"}:
                    return str(value)
                if key != "/Parent":  # the page tree's back links lead where the walk has been
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def without_trailer(data: bytes) -> bytes:
    """``data`` up to its last ``%%EOF`` marker and line end (incremental updates end with their own)."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        return data
    end += 5
    for eol in (b"\r\n", b"\n", b"\r"):
        if data.startswith(eol, end):
            return data[: end + len(eol)]
    return data[:end]
