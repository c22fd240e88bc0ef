"""The one way a failed call reaches the user: a domain error as a notification,
anything else as an error dialog with one line, its traceback in the log file, and
the app carrying on."""

from __future__ import annotations

from oppmarket.config import log_path
from oppmarket.errors import PermissionDenied
from oppmarket.market import Market
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.error_dialog import ErrorDialog
from oppmarket.screens.inbox import InboxScreen

from support import SIZE, build_org, notifications, open_app, screen_text, settle


async def open_inbox_failing_with(db, monkeypatch, error: Exception):
    """Start as eng1, with the inbox's call to `Market` raising `error`."""

    def failing(self):
        raise error

    build_org(db)
    monkeypatch.setattr(Market, "notifications", failing)
    return open_app(db, "eng1")


async def test_a_domain_error_in_a_worker_is_a_notification(db, monkeypatch):
    app = await open_inbox_failing_with(db, monkeypatch, PermissionDenied("only you may read your inbox"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_go("inbox")
        await settle(pilot)
        assert "only you may read your inbox" in notifications(app)
        assert isinstance(app.screen, InboxScreen)
    assert not log_path().exists()


async def test_an_unexpected_error_is_a_dialog_and_the_app_carries_on(db, monkeypatch):
    app = await open_inbox_failing_with(db, monkeypatch, RuntimeError("the disk is on fire\nand more detail"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_go("inbox")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        text = screen_text(app)
        assert "RuntimeError: the disk is on fire" in text and "and more detail" not in text
        assert "The details are in" in text and app.screen.log_file == log_path()

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)

    log = log_path().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: the disk is on fire" in log and "in failing" in log
