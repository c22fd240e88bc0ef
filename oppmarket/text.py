"""Treat user-written text as data: strip terminal control characters.

Applied on input (what is stored) and again at render (what reaches the terminal),
because Rich passes ESC through untouched.
"""

from __future__ import annotations

import re

# Bidi embeddings, overrides and isolates: one of them can reorder the rest of a
# paragraph, so a name or a description could show text that is not what is stored.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# The LRM, RLM and ALM marks only steer neutral characters next to them; prose may
# need them, but a one-line field (a name, a title) can be spoofed with them.
_BIDI_MARKS = "\u200e\u200f\u061c"

# C0 controls except tab and newline, DEL, and the C1 range.
_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
_CONTROL_ONE_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_BIDI_MARKS}]")


def clean(value: str) -> str:
    """Remove control characters and bidi embeddings, overrides and isolates,
    keeping tabs and newlines; normalise CRLF."""
    return _CONTROL.sub("", value.replace("\r\n", "\n"))


def clean_line(value: str) -> str:
    """Remove every control character and bidi control or mark (for one-line
    fields such as a name or a title)."""
    return printable(value).strip()


def printable(value: str) -> str:
    """Remove every control character and bidi control or mark but keep the spaces:
    for a line of output put together around user text, indentation and all."""
    return _CONTROL_ONE_LINE.sub("", value)
