"""A session nobody types in or clicks for `idle_minutes` (config file) ends with a
message, so a terminal left open is not anyone's to use."""

from __future__ import annotations

import pytest
from textual import events

from oppmarket import config
from oppmarket.app import make_app
from oppmarket.errors import OppMarketError

from support import SIZE, build_org, fixed_clock, screen_text, settle


class Stopwatch:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, minutes: float) -> None:
        self.now += minutes * 60


async def idle_for(pilot, stopwatch: Stopwatch, minutes: float) -> None:
    stopwatch.wait(minutes)
    await pilot.pause(0.3)  # a few of the app's (shortened) idle checks


def mouse_move() -> events.MouseMove:
    return events.MouseMove(None, x=3, y=3, delta_x=1, delta_y=0, button=0, shift=False, meta=False, ctrl=False)


async def test_an_idle_session_ends_with_one_line_and_input_keeps_it_open(db, capsys):
    build_org(db)
    stopwatch = Stopwatch()
    app = make_app(db, "eng1", clock=fixed_clock, idle_minutes=30, idle_clock=stopwatch)
    app.IDLE_POLL_SECONDS = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Eli Engineer" in screen_text(app)
        await idle_for(pilot, stopwatch, 29)
        assert app.is_running
        await pilot.press("m")  # a key press starts the idle time again
        await idle_for(pilot, stopwatch, 29)
        assert app.is_running
        app.post_message(mouse_move())  # as the terminal's driver sends it; so does the mouse
        await pilot.pause()
        await idle_for(pilot, stopwatch, 29)
        assert app.is_running
        await idle_for(pilot, stopwatch, 1.5)
        assert not app.is_running
    err = capsys.readouterr().err
    assert err.strip() == "oppmarket: session ended after 30 minutes idle"


async def test_without_the_setting_a_session_never_times_out(db):
    build_org(db)
    stopwatch = Stopwatch()
    app = make_app(db, "eng1", clock=fixed_clock, idle_clock=stopwatch)  # the config file has none
    app.IDLE_POLL_SECONDS = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await idle_for(pilot, stopwatch, 60 * 24)
        assert app.is_running


async def test_the_app_reads_idle_minutes_from_the_config_file(db, capsys):
    build_org(db)
    config.config_path().write_text("idle_minutes = 1\n")
    stopwatch = Stopwatch()
    app = make_app(db, "eng1", clock=fixed_clock, idle_clock=stopwatch)
    app.IDLE_POLL_SECONDS = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await idle_for(pilot, stopwatch, 1)
        assert not app.is_running
    assert "session ended after 1 minute idle" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-5", "1.5", '"30"', "true"])
def test_idle_minutes_must_be_a_positive_whole_number(tmp_path, value):
    path = tmp_path / "config.toml"
    path.write_text(f"idle_minutes = {value}\n")
    with pytest.raises(OppMarketError) as exc:
        config.load_settings(path)
    assert "idle_minutes must be a positive whole number" in str(exc.value)


async def test_without_a_config_value_the_admins_setting_ends_an_idle_session(db, capsys):
    build_org(db).set_setting("session_idle_minutes", 10)
    stopwatch = Stopwatch()
    app = make_app(db, "eng1", clock=fixed_clock, idle_clock=stopwatch)  # the config file has none
    app.IDLE_POLL_SECONDS = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await idle_for(pilot, stopwatch, 9)
        assert app.is_running
        await idle_for(pilot, stopwatch, 1.5)
        assert not app.is_running
    assert capsys.readouterr().err.strip() == "oppmarket: session ended after 10 minutes idle"


async def test_the_config_files_idle_minutes_comes_before_the_admins_setting(db, capsys):
    build_org(db).set_setting("session_idle_minutes", 1)
    config.config_path().write_text("idle_minutes = 60\n")
    stopwatch = Stopwatch()
    app = make_app(db, "eng1", clock=fixed_clock, idle_clock=stopwatch)
    app.IDLE_POLL_SECONDS = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await idle_for(pilot, stopwatch, 30)
        assert app.is_running
        await idle_for(pilot, stopwatch, 31)
        assert not app.is_running
    assert "session ended after 60 minutes idle" in capsys.readouterr().err
