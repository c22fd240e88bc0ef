"""In an SSH session the app runs as the service account on the server, so it offers
nothing that writes a file there."""

from __future__ import annotations

import pytest

from support import SIZE, build_org, open_app, screen_text, settle


async def palette_offers(pilot, query: str) -> str:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*query)
    await pilot.pause(0.5)  # the palette searches after a short pause
    await settle(pilot)
    return screen_text(pilot.app)


@pytest.mark.parametrize("remote", [False, True])
async def test_screenshot_is_offered_only_outside_an_ssh_session(db, tmp_path, remote):
    build_org(db)
    app = open_app(db, "eng1", remote=remote)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        offered = "Save an SVG" in await palette_offers(pilot, "screenshot")
        assert offered is not remote
        await pilot.press("escape")
        await settle(pilot)
        app.action_screenshot(path=str(tmp_path))  # as a key binding or a link would
        await settle(pilot)
    assert bool(list(tmp_path.glob("*.svg"))) is not remote
