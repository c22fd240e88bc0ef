"""Running the app under a Pilot the way the UI tests and snapshots do."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from oppmarket.app import OppMarketApp, make_app

from support.clock import fixed_clock
from support.constants import SIZE

S = TypeVar("S")


def open_app(db, actor: str | None, *, can_switch_user: bool = False, remote: bool = False,
             clock: Callable = fixed_clock) -> OppMarketApp:
    """The app from the same factory the CLI uses, on the fixed clock unless told
    otherwise, with text cursors that do not blink: a blinking cursor is drawn or not
    depending on how long a step took, which no snapshot or screen test should see."""
    app = make_app(db, actor, can_switch_user=can_switch_user, remote=remote, clock=clock)
    app.call_later(_steady_cursors, app)
    return app


def _steady_cursors(app: OppMarketApp) -> None:
    """From now on, whatever text field takes the focus on any screen stops blinking."""

    def steady(widget) -> None:
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False

    def watch(screen) -> None:
        app.watch(screen, "focused", steady)  # a screen seen again is not watched twice

    app.screen_change_signal.subscribe(app, watch)
    watch(app.screen)


async def settle(pilot: Pilot, rounds: int = 8) -> None:
    """Let workers finish and their results reach the screen (a start hands over to
    a screen that starts workers of its own)."""
    quiet = 0
    for _ in range(rounds):
        busy = [worker for worker in pilot.app.workers if not worker.is_finished]
        # A failed or cancelled worker is the app's to report; tests look at the result.
        await asyncio.gather(*(worker.wait() for worker in busy), return_exceptions=True)
        await pilot.pause()
        # Settled once two rounds in a row found no work running and started none.
        quiet = quiet + 1 if not busy and all(worker.is_finished for worker in pilot.app.workers) else 0
        if quiet == 2:
            break


async def press(pilot: Pilot, *keys: str) -> None:
    """Press `keys`, then let what they started reach the screen."""
    await pilot.press(*keys)
    await settle(pilot)


@asynccontextmanager
async def started(app: OppMarketApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot]:
    """Run `app` in a terminal of `size` and wait until its first screen has settled."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


def screen_text(app) -> str:
    """The screen as the user sees it, as plain text with runs of blanks (and the
    line ends of wrapped paragraphs) collapsed to one space."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return " ".join(console.export_text().split())


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def pressing(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """A snapshot's run_before: let the first screen settle, then press `keys` and let
    what they started settle too."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await press(pilot, *keys)

    return run_before


async def opened(pilot: Pilot, open_screen: Callable[[], object], screen_class: type[S]) -> S:
    """Let the app settle, call `open_screen` (one of the app's ways in), let the new
    screen settle and return it, failing unless it is a `screen_class`."""
    await settle(pilot)
    open_screen()
    await settle(pilot)
    assert isinstance(pilot.app.screen, screen_class)
    return pilot.app.screen
