"""Characters that change the order text is shown in without being seen (bidirectional controls).

An answer holding U+202E (right-to-left override) can read on screen differently from what it says
("Trojan Source"). What a person typed is kept as typed; wherever it is shown (pages, CSV, DOCX, ODS)
each such character is replaced by a visible marker, so the text reads in the order it is stored.
The marks that only nudge neutral characters (U+200E, U+200F, U+061C) are left alone: right-to-left
writing uses them, and they cannot reorder words.
"""

from __future__ import annotations

import re

DIRECTION_CONTROLS = {
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
_CONTROLS = re.compile("[" + "".join(DIRECTION_CONTROLS) + "]")


def has_direction_controls(text: str | None) -> bool:
    return bool(text) and _CONTROLS.search(str(text)) is not None


def marker(char: str) -> str:
    """How a direction control is shown: "[RLO U+202E]"."""
    return f"[{DIRECTION_CONTROLS[char]} U+{ord(char):04X}]"


def visible_controls(text: str) -> str:
    """The text with each direction control replaced by its visible marker (for exports)."""
    return _CONTROLS.sub(lambda found: marker(found.group()), text)


def split_controls(text: str) -> list[tuple[bool, str]]:
    """The text in runs: (False, plain text) and (True, a marker), for templates to mark up."""
    runs: list[tuple[bool, str]] = []
    position = 0
    for found in _CONTROLS.finditer(text):
        if found.start() > position:
            runs.append((False, text[position : found.start()]))
        runs.append((True, marker(found.group())))
        position = found.end()
    if position < len(text):
        runs.append((False, text[position:]))
    return runs
