"""Snapshots of inviting candidates and of an inbox whose action items were answered
elsewhere, on fixed data with a fixed clock.

Update with `pytest snapshots/test_invite_snapshots.py --snapshot-update`, then look at
every changed SVG.
"""

from __future__ import annotations

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

from support import COMPANY, SIZE, SMALL, Person, Skill, build_org, fixed_clock, open_app, pressing, settle

# username, name, title, department, skills, interests, open to invitations
PEOPLE = [
    ("eli", "Eli Brandt", "Software Engineer", "Platform", {"Kubernetes": 4, "Docker": 3, "Python": 3}, ["Terraform"],
     True),
    ("lena", "Lena Vogt", "Data Analyst", "Data", {"Python": 4, "Docker": 2}, ["Kubernetes", "Terraform"], True),
    ("ravi", "Ravi Menon", "Site Reliability Engineer", "Platform", {"Kubernetes": 3, "Docker": 3, "Terraform": 3},
     [], True),
    ("sofia", "Sofia Almeida", "Backend Engineer", "Payments", {"Python": 3, "Docker": 2, "Kubernetes": 1},
     ["Kubernetes"], True),
    ("tom", "Tom Becker", "QA Engineer", "Product", {"Python": 2}, [], True),
    ("yuki", "Yuki Tanaka", "Security Engineer", "Security", {"Kubernetes": 2, "Docker": 3}, ["Terraform"], False),
]
HEAD_OF_ENGINEERING = Person("omar", "Omar Haddad", title="Head of Engineering", department="Engineering")
SKILLS = (Skill("Python", "Languages"), Skill("Kubernetes", "Platform"), Skill("Docker", "Platform"),
          Skill("Terraform", "Platform"))


def invite_company(db) -> int:
    """Maya's two-seat gig: Ravi applied and was offered a seat; Eli, Lena, Sofia and Tom
    are open to invitations (Sofia already invited), Yuki is not. Returns the gig's id."""
    people = [Person(username, name, email=f"{username}@example.com", title=title, department=department,
                     manager="omar", skills=skills, interests=tuple(interests))
              for username, name, title, department, skills, interests, _ in PEOPLE]
    admin = build_org(db, people=(COMPANY[0], HEAD_OF_ENGINEERING), skills=SKILLS, joiners=people, opportunities=0)
    for username, *_, open_to in PEOPLE:
        if open_to:
            admin.as_user(username).set_open_to_invitations(True)
    maya = admin.as_user("maya")
    gig = maya.post(OpportunityDraft(
        kind="gig", title="Migrate the billing service to Kubernetes", department="Platform",
        hours_per_week=4, seats=2, start="2026-03-16", end="2026-05-29",
        description="Move billing to the Kubernetes platform with a Helm chart and a rollback plan.",
        skills=[("Kubernetes", 3, "required"), ("Docker", 2, "required"), ("Python", 2, "required"),
                ("Terraform", 2, "grows")]), publish=True)
    maya.offer(admin.as_user("ravi").apply(gig.id, "Happy to pair on the Helm chart.").application_id)
    maya.invite(gig.id, "sofia", "Billing is your team's neighbour")
    return gig.id


def open_invite(opp_id: int, *keys: str):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_invite(opp_id)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)

    return run_before


def test_invite(snap_compare, db):
    opp_id = invite_company(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_invite(opp_id, "down"))


def test_invite_small(snap_compare, db):
    opp_id = invite_company(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SMALL, run_before=open_invite(opp_id))


def test_invite_nobody_left(snap_compare, db):
    invite_company(db)
    maya = Market(db, "maya", clock=fixed_clock)
    opp = maya.post(OpportunityDraft(title="Write the on-call handbook", hours_per_week=2), publish=True)
    for username, *_ in PEOPLE:
        Market(db, username, clock=fixed_clock).set_open_to_invitations(False)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SMALL, run_before=open_invite(opp.id))


def test_inbox_with_a_request_decided_elsewhere(snap_compare, db):
    """Omar was asked to release Ravi and Lena; Ravi's was released from the command line."""
    opp_id = invite_company(db)
    omar = Market(db, "omar", clock=fixed_clock)
    hackathon = omar.as_user("admin").post(OpportunityDraft(
        kind="volunteering", title="Organise the spring hackathon", hours_per_week=3, seats=4), publish=True)
    lena = omar.as_user("lena").apply(hackathon.id).application_id
    omar.as_user("admin").offer(lena)
    omar.as_user("lena").accept(lena)
    ravi = next(a for a in Market(db, "maya", clock=fixed_clock).applicants(opp_id) if a.applicant_username == "ravi")
    omar.as_user("ravi").accept(ravi.id)
    omar.release(ravi.id)
    app = open_app(db, "omar")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("i", "down", "down"))
