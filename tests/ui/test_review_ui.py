"""Reviewing applicants with the keyboard: triage, blind review, filter, close,
complete, and the core-work question that follows."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from oppmarket.market import Market
from oppmarket.screens.complete import CompleteDialog
from oppmarket.screens.core_work import CoreWorkScreen
from oppmarket.screens.help import HelpScreen
from oppmarket.screens.review import ReviewScreen
from oppmarket.widgets.endorsement_picker import EndorsementPicker
from oppmarket.widgets.prompt import TextPrompt

from support import HOSTILE, SIZE, SMALL, build_org, notifications, open_app, press, screen_text, settle, started
from support.review import (
    APPLICANTS, key_then_enter, open_review, order, posting_with_applicants, statuses, type_and_enter,
)

# ---------------------------------------------------------------------- triage


async def test_palette_opens_the_review_of_a_posting(db):
    _, opp_id = posting_with_applicants(db, 3)
    app = open_app(db, "owner")
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"review forecast")
        assert "Review applicants: Forecast model" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.opportunity_id == opp_id
        text = screen_text(app)
        assert "Forecast model" in text and "Seats: 2 of 2 left" in text
        assert "3 applicants: 3 applied" in text


async def test_triage_twelve_applicants_with_keys_only(db):
    _, opp_id = posting_with_applicants(db)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, opp_id)
        ranked = order(app)
        assert len(ranked) == 12
        scores = [r.entry.match.score for r in screen.table.rows_shown]
        assert scores == sorted(scores, reverse=True)

        # Shortlist the top three: s, j, s, j, s.
        await press(pilot, "y", "down", "y", "down", "y")
        assert [statuses(db, opp_id)[u] for u in ranked[:3]] == ["shortlisted"] * 3
        assert "Shortlisted" in notifications(app)[-1]

        # Offer to the top two: back to the top, mark both with space, o, enter.
        await pilot.press("up", "up", "space", "space")
        assert screen.marked == {r.application_id for r in screen.table.rows_shown[:2]}
        assert "2 marked" in screen_text(app)
        await press(pilot, "o")
        assert isinstance(app.screen, TextPrompt)
        assert "Offer a seat to 2 applicants" in screen_text(app)
        await type_and_enter(pilot, "Welcome aboard")
        now = statuses(db, opp_id)
        assert [now[u] for u in ranked[:2]] == ["offered", "offered"]
        assert "Offered seats to 2 applicants" in notifications(app)
        assert "Seats: 0 of 2 left" in screen_text(app)
        assert Market(db, "quill").notifications()[0].text.endswith("— Welcome aboard")
        # The manager is asked only once the candidates accept.
        assert Market(db, "mgr").pending_releases() == []

        # A third offer is refused with the Market's reason.
        assert screen.table.cursor_row == 2
        await key_then_enter(pilot, "o")
        assert "no seat left on 'Forecast model': 2 of 2 taken" in notifications(app)
        assert statuses(db, opp_id)[ranked[2]] == "shortlisted"

        # Decline the other ten in bulk: mark them with space, d, a reason, enter.
        await pilot.press(*["space"] * 10)
        assert len(screen.marked) == 10
        await press(pilot, "x")
        assert "Decline 10 applicants" in screen_text(app)
        await type_and_enter(pilot, "Thanks")
        now = statuses(db, opp_id)
        assert sorted(now.values()) == ["declined"] * 10 + ["offered"] * 2
        assert "Declined 10 applicants; each is told" in notifications(app)
        assert Market(db, ranked[5]).notifications()[0].text.endswith("not taken forward: Thanks")
        assert not screen.marked

        # ctrl+z takes back the last action: the bulk decline, everyone back where they were.
        await press(pilot, "ctrl+z")
        now = statuses(db, opp_id)
        assert now[ranked[2]] == "shortlisted"
        assert [now[u] for u in ranked[3:]] == ["applied"] * 9
        assert "Took back the decline of 10 applicants" in notifications(app)

        # One more decline, of the last applicant alone, and undo just that one.
        last = ranked[-1]
        await pilot.press(*["down"] * 11)
        assert screen.table.highlighted.entry.profile.person.username == last
        await key_then_enter(pilot, "x")
        assert statuses(db, opp_id)[last] == "declined"
        await press(pilot, "ctrl+z")
        assert statuses(db, opp_id)[last] == "applied"
        assert notifications(app)[-1] == f"Took back the decline of {dict((u, n) for u, n, *_ in APPLICANTS)[last]}"


async def test_a_burst_of_keys_is_applied_in_order(db):
    _, opp_id = posting_with_applicants(db, 4)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        ranked = order(app)
        # No waiting between keys: shortlist, undo, shortlist again, next, shortlist.
        await press(pilot, "y", "ctrl+z", "y", "down", "y")
        now = statuses(db, opp_id)
        assert [now[u] for u in ranked] == ["shortlisted", "shortlisted", "applied", "applied"]


async def test_offer_beyond_the_cap_is_refused_with_the_reason(db):
    admin, opp_id = posting_with_applicants(db, 2)
    admin.set_cap("quill", 5)  # 2 h/week: the 4 h gig does not fit
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, opp_id)
        row = order(app).index("quill")
        screen.table.move_cursor(row=row)
        await key_then_enter(pilot, "o")
        assert ("Quentin Quillfeather has 0 of 2 h/week committed; 4 more would pass their cap "
                "(their manager can raise it)") in notifications(app)
        assert statuses(db, opp_id)["quill"] == "applied"


# ---------------------------------------------------------------------- blind review


async def test_blind_review_hides_every_identifying_field(db):
    admin, opp_id = posting_with_applicants(db)
    admin.set_cap("gorse", 5)  # an offer to gorse is refused: the reason names them
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, opp_id)
        assert "Quentin Quillfeather" in screen_text(app)
        await press(pilot, "ctrl+b")
        table = screen.table
        for row in range(12):
            table.move_cursor(row=row)  # every card, and every row in view
            await pilot.pause()
            text = screen_text(app)
            for username, name, department, *_ in APPLICANTS:
                for secret in (name, username, f"{username}@corp.example", department):
                    assert secret not in text, (row, secret)
            assert f"Applicant {row + 1}" in text
        assert "Applicant 1" in text and "blind review" in text

        # A refusal that names the applicant names them by rank instead.
        rank = order(app).index("gorse") + 1
        table.move_cursor(row=rank - 1)
        await key_then_enter(pilot, "o")
        refusal = notifications(app)[-1]
        assert refusal.startswith(f"Applicant {rank} has 0 of 2 h/week committed")
        assert "Gideon" not in refusal

        # Typing a name cannot single anyone out.
        await pilot.press("slash", *"quentin")
        await pilot.pause()
        assert table.rows_shown == []
        await pilot.press("escape")
        await pilot.pause()
        assert len(table.rows_shown) == 12

        # An offer ends the blind review for that person only.
        table.move_cursor(row=order(app).index("quill"))
        await key_then_enter(pilot, "o")
        text = screen_text(app)
        assert "Quentin Quillfeather" in text and "quill@corp.example" in text
        assert "Mirela Marrowby" not in text

        await press(pilot, "ctrl+b")
        assert "Mirela Marrowby" in screen_text(app)


async def test_footer_and_help_say_blind_and_undo_without_taking_b_and_u(db):
    _, opp_id = posting_with_applicants(db, 2)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        text = screen_text(app)
        assert "^z Undo" in text  # blind review (ctrl+b) is in the help: the footer is full
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {(k.key, k.description) for k in app.screen.keys}
        assert {("^b", "Blind"), ("^z", "Undo"), ("space", "Mark"), ("/", "Filter"), ("esc", "Back"),
                ("b", "Browse"), ("u", "Profile")} <= listed
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # back to where the review was opened from
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)


# ---------------------------------------------------------------------- filter, empty, text


async def test_filter_by_skill_status_or_name(db):
    admin, opp_id = posting_with_applicants(db, 6)
    admin.add_skill("Docker", category="Platform")
    admin.as_user("marrow").set_skill("Docker", 2)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, opp_id)
        await pilot.press("slash", *"docker")
        await pilot.pause()
        assert order(app) == ["marrow"]
        assert "filter 'docker': 1 shown" in screen_text(app)
        await pilot.press("enter", "y")  # enter keeps the filter and goes back to the list
        await settle(pilot)
        assert statuses(db, opp_id)["marrow"] == "shortlisted"
        assert screen.query_one("#review-filter", Input).value == "docker"

        await pilot.press("slash", "ctrl+u", *"shortlisted")
        await pilot.pause()
        assert order(app) == ["marrow"]
        await pilot.press("ctrl+u", *"zoltan")
        await pilot.pause()
        assert order(app) == ["zinnia"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(order(app)) == 6
        assert isinstance(app.screen, ReviewScreen)


async def test_a_posting_without_applicants_says_so(db):
    admin = build_org(db, opportunities=1)
    opp_id = admin.as_user("owner").my_postings()[0].id
    app = open_app(db, "owner")
    async with app.run_test(size=SMALL) as pilot:
        await open_review(pilot, opp_id)
        text = screen_text(app)
        assert "Nobody has applied to 'Gig 000' yet." in text
        assert "Seats: 1 of 1 left" in text


async def test_someone_else_s_posting_is_not_shown(db):
    _, opp_id = posting_with_applicants(db, 2)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        text = screen_text(app)
        assert "only the posting's owner sees who applied" in text
        assert "Quentin" not in text


async def test_applicant_text_is_shown_literally(db):
    admin, opp_id = posting_with_applicants(db, 0)
    admin.add_person("odd", HOSTILE, title="[b]Boss[/b]", department="Product", manager="mgr")
    admin.as_user("odd").apply(opp_id, HOSTILE)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        name_cell = app.screen.table.get_row_at(0)[2]
        assert name_cell.plain == HOSTILE and not name_cell.spans
        text = screen_text(app)
        assert HOSTILE in text  # the card: name and note
        assert "[b]Boss[/b]" in text
        await pilot.click("#applicant")
        await pilot.pause()
        assert app.is_running


# ---------------------------------------------------------------------- close, complete


async def test_close_declines_everyone_waiting_after_saying_how_many(db):
    admin, opp_id = posting_with_applicants(db, 5)
    owner = admin.as_user("owner")
    apps = {a.applicant_username: a.id for a in owner.applicants(opp_id)}
    owner.offer(apps["quill"])
    owner.decline(apps["tansy"])
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        await press(pilot, "ctrl+w")
        assert isinstance(app.screen, TextPrompt)
        assert "Close the posting and tell 3 people?" in screen_text(app)
        await pilot.press("escape")  # changes nothing
        await settle(pilot)
        assert owner.opportunity(opp_id).status == "open"

        await press(pilot, "ctrl+w")
        await type_and_enter(pilot, "Thank you all")
        assert "Closed; 3 people were told" in notifications(app)
    assert owner.opportunity(opp_id).status == "closed"
    now = statuses(db, opp_id)
    assert now == {"quill": "offered", "marrow": "declined", "tansy": "declined", "vesper": "declined",
                   "zinnia": "declined"}
    assert Market(db, "zinnia").notifications()[0].text.endswith("not taken forward: Thank you all")


async def test_complete_with_rating_feedback_and_endorsements(db):
    admin, opp_id = posting_with_applicants(db, 2)
    owner = admin.as_user("owner")
    apps = {a.applicant_username: a.id for a in owner.applicants(opp_id)}
    owner.offer(apps["marrow"])
    admin.as_user(owner.application(apps["marrow"]).applicant_username).accept(apps["marrow"])
    admin.as_user("mgr").release(apps["marrow"])
    before = {c.skill: c for c in admin.profile("marrow").skills}
    assert before["Python"].level == 3 and "SQL" not in before
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, opp_id)
        screen.table.move_cursor(row=order(app).index("quill"))
        await pilot.pause()
        await pilot.press("c")  # quill is not active: nothing to complete
        await pilot.pause()
        assert app.screen is screen
        screen.table.move_cursor(row=order(app).index("marrow"))
        await pilot.pause()
        await press(pilot, "c")
        assert isinstance(app.screen, CompleteDialog)
        text = screen_text(app)
        assert "Complete 'Forecast model' for Mirela Marrowby" in text
        assert "[x] Python" in text and "[x] SQL" in text  # pre-ticked from the posting

        await pilot.press("ctrl+s")  # no rating yet: refused next to the field
        await settle(pilot)
        assert "pick a rating: press 1 to 5" in str(app.screen.query_one("#rating-error").content)

        await press(pilot, "4")
        assert not app.screen.query_one("#rating-error").display  # the hint goes with the rating
        await pilot.press("tab", *"Clear models, well explained.", "tab")
        assert isinstance(app.focused, EndorsementPicker)
        await pilot.press("right")  # Python: seen at 4, not 3
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReviewScreen)
        assert "Completed with Mirela Marrowby; they and their manager are asked about core work" \
            in notifications(app)

    done = owner.application(apps["marrow"])
    assert (done.status, done.rating, done.feedback) == ("completed", 4, "Clear models, well explained.")
    after = {c.skill: c for c in admin.profile("marrow").skills}
    assert (after["Python"].level, after["Python"].source, after["Python"].evidence_count) == \
        (4, "endorsed", before["Python"].evidence_count + 1)
    assert (after["SQL"].level, after["SQL"].source) == (2, "endorsed")
    assert [q.role for q in Market(db, "marrow").core_work_questions()] == ["participant"]
    assert [q.role for q in Market(db, "mgr").core_work_questions()] == ["manager"]


async def test_completion_feedback_field_takes_several_lines(db):
    admin, opp_id = posting_with_applicants(db, 1)
    owner = admin.as_user("owner")
    app_id = owner.applicants(opp_id)[0].id
    owner.offer(app_id)
    admin.as_user(owner.application(app_id).applicant_username).accept(app_id)
    admin.as_user("mgr").release(app_id)
    app = open_app(db, "owner")
    async with app.run_test(size=SMALL) as pilot:
        await open_review(pilot, opp_id)
        await press(pilot, "c")
        await pilot.press("5", "tab", *"Line one", "enter", *"Line two")
        assert app.screen.query_one(TextArea).text == "Line one\nLine two"
        await press(pilot, "ctrl+s")
    assert owner.application(app_id).feedback == "Line one\nLine two"


# ---------------------------------------------------------------------- core work


def completed_engagement(db) -> int:
    admin, opp_id = posting_with_applicants(db, 1)
    owner = admin.as_user("owner")
    app_id = owner.applicants(opp_id)[0].id
    owner.offer(app_id)
    admin.as_user(owner.application(app_id).applicant_username).accept(app_id)
    admin.as_user("mgr").release(app_id)
    owner.complete(app_id, 5, "Great", {"Python": 4})
    return app_id


async def test_core_work_screen_records_the_participant_s_answer(db):
    app_id = completed_engagement(db)
    link = Market(db, "quill").notifications()[0].link
    assert link == f"corework:{app_id}"
    app = open_app(db, "quill")
    async with started(app) as pilot:
        app.open_link(link)
        await settle(pilot)
        assert isinstance(app.screen, CoreWorkScreen)
        assert "How did 'Forecast model' affect your core work?" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing picked yet
        await settle(pilot)
        assert "answer must be better, same or worse" in str(app.screen.query_one("#answer-error").content)
        await pilot.press("enter")  # the first choice: better
        await press(pilot, "tab", *"I came back with new ideas", "enter")
        assert not isinstance(app.screen, CoreWorkScreen)
        assert "Thank you: your answer is recorded" in notifications(app)
    question = Market(db, "quill").core_work_questions(unanswered_only=False)[0]
    assert (question.answer, question.comment) == ("better", "I came back with new ideas")


async def test_core_work_screen_asks_the_manager_about_their_report(db):
    app_id = completed_engagement(db)
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        app.open_core_work(app_id)
        await settle(pilot)
        assert "How did 'Forecast model' affect the core work of Quentin Quillfeather?" in screen_text(app)
        await press(pilot, "down", "enter", "ctrl+s")
    assert Market(db, "mgr").core_work_questions(unanswered_only=False)[0].answer == "same"


async def test_core_work_screen_without_a_question_says_so(db):
    app_id = completed_engagement(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        app.open_core_work(app_id)
        await settle(pilot)
        assert "There is no core-work question for you about this engagement." in screen_text(app)
        await press(pilot, "escape")
        assert not isinstance(app.screen, CoreWorkScreen)
