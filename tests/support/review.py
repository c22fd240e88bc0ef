"""A posting with applicants to review, and the steps a review test takes on it."""

from __future__ import annotations

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.review import ReviewScreen
from oppmarket.widgets.applicant_table import ApplicantTable
from oppmarket.widgets.prompt import TextPrompt

from support.clock import fixed_clock
from support.org import build_org
from support.pilot import opened, press
from support.roster import Person

# Twelve applicants, each with a name, username, email and department that appear
# nowhere else, so the blind test can look for every one of them on the screen.
APPLICANTS = [
    ("quill", "Quentin Quillfeather", "Orbit Lab", 4, True),
    ("marrow", "Mirela Marrowby", "Nimbus Guild", 3, True),
    ("tansy", "Tobias Tansworth", "Kelp Works", 3, False),
    ("vesper", "Vivienne Vesperine", "Orbit Lab", 2, True),
    ("zinnia", "Zoltan Zinnford", "Nimbus Guild", 2, False),
    ("brisket", "Beatrix Brisketon", "Kelp Works", 1, True),
    ("corvid", "Cassius Corvidale", "Orbit Lab", 1, False),
    ("dulcet", "Dagny Dulcetti", "Nimbus Guild", 0, True),
    ("ember", "Emrys Emberlain", "Kelp Works", 0, False),
    ("fennel", "Flavia Fennelworth", "Orbit Lab", 3, False),
    ("gorse", "Gideon Gorsemoor", "Nimbus Guild", 4, False),
    ("heron", "Henrike Heronsby", "Kelp Works", 2, True),
]
NAMES = {username: name for username, name, *_ in APPLICANTS}


def posting_with_applicants(db, count: int = 12, *, seats: int = 2, clock=fixed_clock) -> tuple[Market, int]:
    """A gig owned by 'owner' (2 seats, 4 h/week, Python 3 required, grows SQL) and
    `count` applicants who report to 'mgr'. Returns the admin's market and the id."""
    applicants = [Person(username, name, email=f"{username}@corp.example", title="Analyst", department=department,
                         manager="mgr", skills={"Python": python} if python else {},
                         interests=("SQL",) if wants_sql else None)
                  for username, name, department, python, wants_sql in APPLICANTS[:count]]
    admin = build_org(db, joiners=applicants, opportunities=0, clock=clock)
    opp = admin.as_user("owner").post(OpportunityDraft(
        title="Forecast model", description="Build the forecast.", department="Product", hours_per_week=4,
        seats=seats, skills=[("Python", 3, "required"), ("SQL", 2, "grows")]), publish=True)
    for username, *_ in APPLICANTS[:count]:
        admin.as_user(username).apply(opp.id, "Happy to help with the forecast.")
    return admin, opp.id


def statuses(db, opp_id: int) -> dict[str, str]:
    return {a.applicant_username: a.status for a in Market(db, "owner", clock=fixed_clock).applicants(opp_id)}


async def open_review(pilot, opp_id: int) -> ReviewScreen:
    return await opened(pilot, lambda: pilot.app.open_review(opp_id), ReviewScreen)


async def type_and_enter(pilot, text: str) -> None:
    await press(pilot, *text, "enter")


async def key_then_enter(pilot, key: str) -> None:
    """Press `key`, wait for its dialog, and confirm it as it is."""
    await press(pilot, key)
    assert isinstance(pilot.app.screen, TextPrompt)
    await type_and_enter(pilot, "")


def order(app) -> list[str]:
    """Usernames in the order the table shows them."""
    return [r.entry.profile.person.username for r in app.screen.query_one(ApplicantTable).rows_shown]
