"""Fixed values the tests and snapshots share."""

import datetime as dt

NOW = dt.datetime(2026, 3, 2, 9, 0)
# The terminal most UI tests and the wide snapshots run in, and the smallest one the
# app promises to work in.
SIZE = (120, 36)
SMALL = (80, 24)
# User text that would turn into markup or an action link if it were ever rendered as
# markup rather than as text.
HOSTILE = "[bold red]x[/] and [@click=app.quit]q[/]"
