"""Treat user-written text as data: strip terminal control characters.

Applied on input (what is stored) and again at render (what reaches the terminal),
because Rich passes ESC through untouched.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 range.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(value: str) -> str:
    """Remove control characters, keeping tabs and newlines; normalise CRLF."""
    return _CONTROL.sub("", value.replace("\r\n", "\n"))


def clean_line(value: str) -> str:
    """Remove every control character (for one-line fields such as a title)."""
    return _CONTROL_ONE_LINE.sub("", value).strip()
