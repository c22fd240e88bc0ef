"""Snapshots of reviewing applicants and of the release queue, on fixed data with a
fixed clock.

Update with `pytest snapshots/test_review_snapshots.py --snapshot-update`, then look at
every changed SVG.
"""

from __future__ import annotations

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

from support import COMPANY, SIZE, SMALL, Person, Skill, build_org, fixed_clock, open_app, press, settle

# username, name, title, department, skills, interests, note
APPLICANTS = [
    ("eli", "Eli Brandt", "Software Engineer", "Platform", {"Kubernetes": 4, "Docker": 3, "Python": 3}, ["Terraform"],
     "I run our staging cluster and would like to own a production migration."),
    ("lena", "Lena Vogt", "Data Analyst", "Data", {"Python": 4, "Docker": 2}, ["Kubernetes", "Terraform"],
     "Containers are new to me beyond Docker, but I learn fast and want to grow into platform work."),
    ("ravi", "Ravi Menon", "Site Reliability Engineer", "Platform", {"Kubernetes": 3, "Docker": 3, "Terraform": 3},
     [], "Happy to pair on the Helm chart."),
    ("sofia", "Sofia Almeida", "Backend Engineer", "Payments", {"Python": 3, "Docker": 2, "Kubernetes": 1},
     ["Kubernetes"], "Billing is my team's neighbour; I know its quirks."),
    ("tom", "Tom Becker", "QA Engineer", "Product", {"Python": 2}, [], ""),
    ("yuki", "Yuki Tanaka", "Security Engineer", "Security", {"Kubernetes": 2, "Docker": 3}, ["Terraform"],
     "I would review the network policies as we go."),
]


HEAD_OF_ENGINEERING = Person("omar", "Omar Haddad", title="Head of Engineering", department="Engineering")
REVIEW_SKILLS = (Skill("Python", "Languages"), Skill("Kubernetes", "Platform"), Skill("Docker", "Platform"),
                 Skill("Terraform", "Platform"))


def review_company(db) -> int:
    """An owner (Maya) with a two-seat gig and six applicants: one offered, one
    declined, the rest waiting. Their line manager is Omar. Returns the gig's id."""
    applicants = [Person(username, name, email=f"{username}@example.com", title=title, department=department,
                         manager="omar", skills=skills, interests=tuple(interests))
                  for username, name, title, department, skills, interests, _ in APPLICANTS]
    admin = build_org(db, people=(COMPANY[0], HEAD_OF_ENGINEERING), skills=REVIEW_SKILLS, joiners=applicants,
                      opportunities=0)
    maya = admin.as_user("maya")
    gig = maya.post(OpportunityDraft(
        kind="gig", title="Migrate the billing service to Kubernetes", department="Platform",
        hours_per_week=4, seats=2, start="2026-03-16", end="2026-05-29",
        description="Move billing to the Kubernetes platform with a Helm chart and a rollback plan.",
        skills=[("Kubernetes", 3, "required"), ("Docker", 2, "required"), ("Python", 2, "required"),
                ("Terraform", 2, "grows")]), publish=True)
    ids = {}
    for username, *_, note in APPLICANTS:
        ids[username] = admin.as_user(username).apply(gig.id, note).application_id
    maya.offer(ids["ravi"], "Welcome aboard")
    maya.shortlist(ids["eli"])
    maya.decline(ids["tom"], "We need Kubernetes experience this time")
    return gig.id


def release_company(db) -> None:
    """Omar has two reports with accepted offers waiting for his release."""
    review_company(db)
    admin = Market(db, "admin", clock=fixed_clock)
    hackathon = admin.post(OpportunityDraft(
        kind="volunteering", title="Organise the spring hackathon", hours_per_week=3, seats=4,
        start="2026-04-01", end="2026-04-30"), publish=True)
    admin.offer(admin.as_user("lena").apply(hackathon.id).application_id)
    # Only an accepted offer reaches the line manager.
    for username in ("ravi", "lena"):
        candidate = admin.as_user(username)
        for application in candidate.my_applications():
            if application.status == "offered":
                candidate.accept(application.id)


def open_review(opp_id: int, *keys: str):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_review(opp_id)
        await settle(pilot)
        if keys:
            await press(pilot, *keys)

    return run_before


async def open_releases(pilot):
    await settle(pilot)
    pilot.app.open_releases()
    await settle(pilot)


def test_review(snap_compare, db):
    opp_id = review_company(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_review(opp_id, "down", "space"))


def test_review_blind(snap_compare, db):
    opp_id = review_company(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_review(opp_id, "ctrl+b"))


def test_review_small(snap_compare, db):
    opp_id = review_company(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SMALL, run_before=open_review(opp_id))


def test_review_empty(snap_compare, db):
    review_company(db)
    maya = Market(db, "maya", clock=fixed_clock)
    opp = maya.post(OpportunityDraft(title="Write the on-call handbook", hours_per_week=2), publish=True)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SMALL, run_before=open_review(opp.id))


def test_release_queue(snap_compare, db):
    release_company(db)
    app = open_app(db, "omar")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_releases)


def test_release_queue_small(snap_compare, db):
    release_company(db)
    app = open_app(db, "omar")
    assert snap_compare(app, terminal_size=SMALL, run_before=open_releases)


def test_release_queue_without_reports(snap_compare, db):
    review_company(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SMALL, run_before=open_releases)
