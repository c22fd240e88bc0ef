"""Clocks handed to Market and the app, so time-dependent rules are tested without
sleeping and screens show the same dates on every run."""

import datetime as dt

from support.constants import NOW


def fixed_clock() -> dt.datetime:
    return NOW


class Clock:
    """A settable clock."""

    def __init__(self, start: dt.datetime = NOW):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)
