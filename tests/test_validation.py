"""Bad input to every write: a `ValidationError` naming the field, and nothing written.
And user text as data: control characters stripped, markup kept literally."""

from __future__ import annotations

import re
import reprlib

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import ValidationError

LONG = "x" * 10_001


def draft(**fields) -> OpportunityDraft:
    values = dict(title="Tidy the data catalogue", hours_per_week=4, seats=2, skills=[("SQL", 2, "required")])
    values.update(fields)
    return OpportunityDraft(**values)


def refused(db_state, cases, call) -> None:
    """Run `call(args)` for each (field, args) case; each must raise ValidationError
    naming the field and leave the database as it was. Reports every failing case."""
    failures = []
    for field, args in cases:
        shown = reprlib.repr(args)
        before = db_state()
        try:
            call(args)
        except ValidationError as exc:
            if field not in exc.fields:
                failures.append(f"{shown}: error names {sorted(exc.fields)}, not {field!r}")
            elif not exc.fields[field]:
                failures.append(f"{shown}: no message for {field!r}")
        except Exception as exc:  # noqa: BLE001 - any other outcome is the failure being reported
            failures.append(f"{shown}: {type(exc).__name__}: {str(exc)[:200]}")
        else:
            failures.append(f"{shown}: accepted")
        if db_state() != before:
            failures.append(f"{shown}: the database changed")
    assert not failures, "\n".join(failures)


@pytest.fixture
def stages(org, market_as):
    """A posting with eng1's offer accepted, loner active, owned completed (core-work asked)."""
    owner = market_as("owner")
    opp = owner.post(draft(seats=3), publish=True)
    offered = market_as("eng1").apply(opp.id).application_id
    owner.offer(offered)
    market_as("eng1").accept(offered)
    active = market_as("loner").apply(opp.id).application_id
    owner.offer(active)
    market_as("loner").accept(active)
    done = market_as("owned").apply(opp.id).application_id
    owner.offer(done)
    market_as("owned").accept(done)
    market_as("owner").release(done)  # owner is owned's line manager
    owner.complete(done, 4)
    question = market_as("owned").core_work_questions()[0].id
    return dict(opp=opp.id, offered=offered, active=active, question=question)


BAD_DRAFTS = [
    ("title", dict(title="")),
    ("title", dict(title="   ")),
    ("title", dict(title="\x1b\x00\x9b\r")),
    ("title", dict(title=LONG)),
    ("title", dict(title="x" * 201)),
    ("kind", dict(kind="party")),
    ("seats", dict(seats=0)),
    ("seats", dict(seats=-2)),
    ("seats", dict(seats="two")),
    ("seats", dict(seats=True)),
    ("seats", dict(seats=10**9)),
    ("hours_per_week", dict(hours_per_week=0)),
    ("hours_per_week", dict(hours_per_week=-3)),
    ("hours_per_week", dict(hours_per_week=41)),
    ("hours_per_week", dict(hours_per_week="abc")),
    ("hours_per_week", dict(hours_per_week="")),
    ("hours_per_week", dict(hours_per_week=2.5)),
    ("hours_per_week", dict(hours_per_week=None)),
    ("end", dict(start="2026-06-01", end="2026-05-31")),
    ("start", dict(start="2026-02-30")),
    ("start", dict(start="31/12/2026")),
    ("end", dict(end="tomorrow")),
    ("skills", dict(skills=[("Cobol", 3, "required")])),
    ("skills", dict(skills=[("Python", 0, "required")])),
    ("skills", dict(skills=[("Python", 6, "required")])),
    ("skills", dict(skills=[("Python", "expert", "required")])),
    ("skills", dict(skills=[("Python", 3, "nice-to-have")])),
    ("skills", dict(skills=[("Python", 3, "required"), ("py", 4, "required")])),
    ("skills", dict(skills=[("Python", 3)])),
    ("steps", dict(kind="learning", steps=[])),
    ("steps", dict(kind="learning", steps=[" ", "\x1b"])),
    ("steps", dict(kind="learning", steps=["x" * 201])),
    ("department", dict(department="Narnia")),
    ("host", dict(kind="shadowing", host="ghost")),
    ("description", dict(description=LONG)),
    ("topics", dict(kind="mentorship", topics=LONG)),
    ("location", dict(location="x" * 121)),
    ("certification", dict(kind="learning", steps=["Read"], certification="x" * 201)),
    ("key_role_id", dict(key_role_id=999)),
]


def test_post_and_edit_refuse_bad_drafts(org, market_as, db_state):
    owner = market_as("owner")
    existing = owner.post(draft(), publish=True)
    refused(db_state, BAD_DRAFTS, lambda fields: owner.post(draft(**fields), publish=True))
    refused(db_state, BAD_DRAFTS, lambda fields: owner.edit(existing.id, draft(**fields)))


def test_every_bad_field_is_reported_at_once(org, market_as):
    with pytest.raises(ValidationError) as info:
        market_as("owner").post(draft(title="", seats=0, hours_per_week=99, end="soon"))
    assert {"title", "seats", "hours_per_week", "end"} <= set(info.value.fields)
    assert "title" in str(info.value) and "seats" in str(info.value)


def test_apply_refuses_bad_note_and_hours(stages, market_as, db_state):
    eng2 = market_as("eng2")
    cases = [("note", dict(note=LONG))] + [
        ("hours_per_week", dict(hours_per_week=h)) for h in (0, -3, 41, "abc", 2.5)]
    refused(db_state, cases, lambda args: eng2.apply(stages["opp"], **args))


def test_decline_release_needs_a_reason(stages, market_as, db_state):
    mgr = market_as("mgr")
    cases = [("reason", reason) for reason in ("", "   ", "\x1b\x00", None, LONG)]
    refused(db_state, cases, lambda reason: mgr.decline_release(stages["offered"], reason))


def test_complete_refuses_bad_rating_feedback_and_endorsements(stages, market_as, db_state):
    owner = market_as("owner")
    cases = [("rating", dict(rating=r)) for r in (0, 6, "x", "", None, 4.5, True)] + [
        ("feedback", dict(rating=4, feedback=LONG)),
        ("endorsements", dict(rating=4, endorsements={"Cobol": 3})),
        ("endorsements", dict(rating=4, endorsements={"Python": 0})),
        ("endorsements", dict(rating=4, endorsements={"Python": "x"})),
    ]
    refused(db_state, cases, lambda args: owner.complete(stages["active"], **args))


def test_core_work_answer_must_be_better_same_or_worse(stages, market_as, db_state):
    owned = market_as("owned")
    cases = [("answer", dict(answer=a)) for a in ("meh", "", None, "BETTER")] + [
        ("comment", dict(answer="same", comment=LONG))]
    refused(db_state, cases, lambda args: owned.answer_core_work(stages["question"], **args))


def test_time_cap_is_a_percentage(org, market_as, db_state):
    mgr = market_as("mgr")
    refused(db_state, [("cap_pct", pct) for pct in (101, -1, "x", "", None, 12.5)],
            lambda pct: mgr.set_cap("eng1", pct))


def test_weekly_hours_are_between_1_and_80(org, market_as, db_state):
    mgr = market_as("mgr")
    refused(db_state, [("weekly_hours", h) for h in (0, -3, 81, "abc", "", None)],
            lambda hours: mgr.set_weekly_hours("eng1", hours))


def test_profile_writes_refuse_bad_input(org, market_as, db_state):
    eng = market_as("eng1")
    eng.set_skill("Python", 2)
    refused(db_state, [("skill", ("Cobol", 3)), ("skill", ("", 3))] + [
        ("level", ("Python", level)) for level in (0, 6, "x", "", None)],
        lambda args: eng.set_skill(*args))
    refused(db_state, [("skill", "Cobol")], eng.remove_skill)
    refused(db_state, [("interests", ["Python", "Cobol"])], eng.set_interests)
    refused(db_state, [
        ("display_name", dict(display_name="")),
        ("display_name", dict(display_name="\x1b")),
        ("display_name", dict(display_name="x" * 121)),
        ("email", dict(email="nope")),
        ("email", dict(email="a@" + "x" * 200)),
        ("title", dict(title="x" * 121)),
    ], lambda args: eng.update_profile(**args))


def test_register_self_refuses_bad_input(org, market_as, db_state):
    newbie = market_as("newbie")
    refused(db_state, [
        ("display_name", dict(display_name="")),
        ("display_name", dict(display_name="x" * 121)),
        ("email", dict(display_name="New", email="x" * 201)),
        ("title", dict(display_name="New", title="x" * 121)),
    ], lambda args: newbie.register_self(**args))


def test_add_person_refuses_bad_input(org, market_as, db_state):
    admin = market_as("admin")
    good = dict(username="hire", display_name="New Hire")
    cases = [
        ("username", dict(good, username="")),
        ("username", dict(good, username="bad name")),
        ("username", dict(good, username="x" * 65)),
        ("display_name", dict(good, display_name="")),
        ("display_name", dict(good, display_name="x" * 121)),
        ("email", dict(good, email="x" * 201)),
        ("title", dict(good, title="x" * 121)),
        ("department", dict(good, department="x" * 121)),
        ("manager", dict(good, manager="ghost")),
    ] + [("weekly_hours", dict(good, weekly_hours=h)) for h in (0, 81, "abc")] + [
        ("cap_pct", dict(good, cap_pct=p)) for p in (101, -1, "x")]
    refused(db_state, cases, lambda args: admin.add_person(**args))


def test_add_skill_refuses_bad_input(org, market_as, db_state):
    eng = market_as("eng1")
    refused(db_state, [
        ("name", dict(name="")),
        ("name", dict(name="x" * 81)),
        ("category", dict(name="Go", category="x" * 81)),
        ("description", dict(name="Go", description=LONG)),
        ("aliases", dict(name="Go", aliases=["x" * 81])),
        ("aliases", dict(name="Go", aliases=["py"])),
    ], lambda args: eng.add_skill(**args))


def test_release_auto_days_is_a_day_count(org, market_as, db_state):
    admin = market_as("admin")
    refused(db_state, [("release_auto_days", days) for days in (0, 61, "soon", "")],
            admin.set_release_auto_days)


# ---------------------------------------------------------------- user text is data

# ESC sequences, NUL, a C1 CSI, a bare CR and DEL, mixed with Rich markup and a
# Textual action link.
NASTY = "\x1b[31mred\x1b[0m [bold]b[/] [@click=app.quit]q[/] nul\x00 csi\x9b2J cr\r del\x7f"
CLEAN = "[31mred[0m [bold]b[/] [@click=app.quit]q[/] nul csi2J cr del"
# Multi-line fields keep newlines and tabs, and turn CRLF into LF.
NASTY_BLOCK = NASTY + "\r\nsecond line\twith a tab"
CLEAN_BLOCK = CLEAN + "\nsecond line\twith a tab"
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_user_text_is_stored_without_control_characters_and_with_markup_literal(org, market_as, db_state):
    admin, owner = market_as("admin"), market_as("owner")

    person = market_as("newbie").register_self(NASTY, email=NASTY, title=NASTY)
    assert (person.display_name, person.email, person.title) == (CLEAN, CLEAN, CLEAN)
    hire = admin.add_person("hire", NASTY, email=NASTY, title=NASTY, department=NASTY, manager="mgr")
    assert (hire.display_name, hire.email, hire.title, hire.department) == (CLEAN, CLEAN, CLEAN, CLEAN)
    assert CLEAN in [d.name for d in admin.departments()]
    me = market_as("eng2").update_profile(display_name=NASTY, title=NASTY, email=NASTY + "@example.com")
    assert (me.display_name, me.title, me.email) == (CLEAN, CLEAN, CLEAN + "@example.com")
    skill = market_as("eng1").add_skill(NASTY, category=NASTY, description=NASTY_BLOCK, aliases=[NASTY + "!"])
    assert (skill.name, skill.category, skill.description, skill.aliases) == (CLEAN, CLEAN, CLEAN_BLOCK, (CLEAN + "!",))

    path = owner.post(draft(kind="learning", title=NASTY, description=NASTY_BLOCK, location=NASTY,
                            certification=NASTY, steps=[NASTY]), publish=True)
    assert (path.title, path.description, path.location, path.certification, path.steps) == (
        CLEAN, CLEAN_BLOCK, CLEAN, CLEAN, (CLEAN,))
    mentoring = owner.post(draft(kind="mentorship", topics=NASTY_BLOCK), publish=True)
    assert mentoring.topics == CLEAN_BLOCK
    edited = owner.edit(mentoring.id, draft(kind="mentorship", title=NASTY, topics=NASTY_BLOCK))
    assert (edited.title, edited.topics) == (CLEAN, CLEAN_BLOCK)

    eng1 = market_as("eng1")
    app_id = eng1.apply(path.id, NASTY_BLOCK).application_id
    assert eng1.application(app_id).note == CLEAN_BLOCK
    owner.offer(app_id, NASTY)
    assert CLEAN in eng1.notifications()[0].text
    eng1.accept(app_id)
    assert market_as("mgr").decline_release(app_id, NASTY_BLOCK).release_reason == CLEAN_BLOCK

    declined = market_as("eng2").apply(path.id).application_id
    assert owner.decline(declined, NASTY_BLOCK).decline_reason == CLEAN_BLOCK

    done = market_as("loner").apply(path.id).application_id
    owner.offer(done)
    market_as("loner").accept(done)
    assert owner.complete(done, 5, NASTY_BLOCK).feedback == CLEAN_BLOCK
    question = market_as("loner").core_work_questions()[0].id
    assert market_as("loner").answer_core_work(question, "better", NASTY_BLOCK).comment == CLEAN_BLOCK

    waiting = market_as("eng2").apply(mentoring.id).application_id
    assert owner.close_and_decline_rest(mentoring.id, NASTY_BLOCK) == 1
    assert owner.application(waiting).decline_reason == CLEAN_BLOCK
    owner.publish(mentoring.id)
    cancelled = market_as("owned").apply(mentoring.id).application_id
    owner.cancel(mentoring.id, NASTY_BLOCK)
    assert owner.application(cancelled).decline_reason == CLEAN_BLOCK
    assert CLEAN in market_as("owned").notifications()[0].text

    # Nowhere in the database - notifications and audit details included - is a
    # control character left that could reach a terminal.
    for table, rows in db_state().items():
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    assert not FORBIDDEN.search(value), (table, value)
