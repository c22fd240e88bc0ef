"""Snapshots of the employee's journey: post, apply, my work, profile, inbox.

Fixed data, clock and terminal sizes. Update with
`pytest snapshots/test_journey_snapshots.py --snapshot-update`, then look at every SVG.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, TextArea

from oppmarket.market import Market

from support import NOW, SIZE, SMALL, fixed_clock, open_app, press, settle, small_company


def journey(db) -> None:
    """The small company, with Eli's skills and applications along the lifecycle."""
    small_company(db)
    market = Market(db, "admin", clock=fixed_clock)
    eli = market.as_user("eli")
    for skill, level in (("Python", 4), ("Docker", 3), ("SQL", 2)):
        eli.set_skill(skill, level)
    Market(db, "eli", clock=lambda: NOW - dt.timedelta(days=420)).set_skill("Kubernetes", 2)
    eli.set_interests(["Terraform", "Public speaking"])
    postings = {o.title: o for o in Market(db, None).opportunities(limit=50).items}
    owners = {u: market.as_user(u) for u in ("omar", "maya", "sam", "lena")}
    checkout = eli.apply(postings["Fix the [bold]flaky[/] checkout tests"].id, "I wrote half of them.").application_id
    owners["omar"].shortlist(checkout)
    eli.apply(postings["Organise the spring hackathon"].id, "I ran the last one.")
    mentor = eli.apply(postings["Mentor a new data analyst"].id).application_id
    owners["lena"].decline(mentor, "We need SQL at level 4 for this one.")
    market.as_user("lena").apply(postings["Migrate the billing service to Kubernetes"].id, "Keen to learn k8s.")
    market.as_user("sam").apply(postings["Migrate the billing service to Kubernetes"].id)


async def arrive(pilot, *keys: str) -> None:
    """Let the first screen settle, then press `keys` one by one, each settling."""
    await settle(pilot)
    for key in keys:
        await press(pilot, key)


# ---------------------------------------------------------------------- post


def test_post_form(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")

    async def run_before(pilot):
        await arrive(pilot, "p")
        await press(pilot, *"Load-test the checkout", "tab", *"Find where it breaks before Black Friday.")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_post_form_errors_small(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")

    async def run_before(pilot):
        await arrive(pilot, "p")
        pilot.app.screen.query_one("#hours", Input).value = "-2"
        pilot.app.screen.query_one("#seats", Input).value = "0"
        await press(pilot, "ctrl+o")
        pilot.app.screen.query_one("#post-form").scroll_home(animate=False)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_skill_picker_small(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")

    async def run_before(pilot):
        await arrive(pilot, "p")
        screen = pilot.app.screen
        screen.query_one("#required").query_one(Input).focus()
        await press(pilot, *"dock", "enter", *"k8s")
        screen.query_one("#post-form").scroll_to_widget(screen.query_one("#required"), animate=False, top=True)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_edit_learning_path(snap_compare, db):
    journey(db)
    app = open_app(db, "maya")

    async def run_before(pilot):
        await settle(pilot)
        path = next(o for o in Market(db, "maya").my_postings() if o.kind == "learning")
        pilot.app.open_post(path.id)
        await arrive(pilot)
        pilot.app.screen.query_one("#post-form").scroll_end(animate=False)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# ---------------------------------------------------------------------- apply


def test_apply_past_the_cap_small(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")

    async def run_before(pilot):
        await arrive(pilot, "m")  # over a screen of this journey, not the (changing) browse screen
        migrate = next(o for o in Market(db, None).opportunities().items if o.title.startswith("Migrate"))
        pilot.app.open_apply(migrate.id)
        await arrive(pilot)
        pilot.app.screen.query_one("#note", TextArea).load_text("I moved our own service last year.")
        pilot.app.screen.query_one("#hours", Input).value = "9"
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


# ---------------------------------------------------------------------- my work


def test_my_applications(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: arrive(pilot, "m"))


def test_my_postings_small(snap_compare, db):
    journey(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SMALL, run_before=lambda pilot: arrive(pilot, "m", "2"))


def test_withdraw_confirmation_small(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=lambda pilot: arrive(pilot, "m", "w"))


# ---------------------------------------------------------------------- profile


def test_profile(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")
    # On the stale skill, which says what stale means.
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: arrive(pilot, "u", "down", "down"))


def test_profile_small(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=lambda pilot: arrive(pilot, "u"))


def test_add_skills_small(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")

    async def run_before(pilot):
        await arrive(pilot, "u", "ctrl+n")
        await press(pilot, *"terra", "enter", "tab", "2", "shift+tab", *"public")

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


# ---------------------------------------------------------------------- inbox


def test_inbox(snap_compare, db):
    journey(db)
    Market(db, "maya", clock=fixed_clock).mark_read(Market(db, "maya").notifications()[-1].id)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: arrive(pilot, "i"))


def test_inbox_small(snap_compare, db):
    journey(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=lambda pilot: arrive(pilot, "i"))


def test_inbox_empty_small(snap_compare, db):
    journey(db)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SMALL, run_before=lambda pilot: arrive(pilot, "i"))
