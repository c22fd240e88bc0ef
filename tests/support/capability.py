"""A small organisation whose capability map is known by heart, built through the
Market the way people would build it (claims, postings, applications, an endorsed
engagement), with only a certification written straight into the database: nothing in
the marketplace grants one yet.

    Platform: mgr ── eng1, eng2        Data: ana (reports to owner)
    Product: owner                     no department: admin, loner

    claims        Python            SQL              Kubernetes
    mgr           4 self
    eng1          3 endorsed                         2 self
    eng2          2 certified, stale
    ana           5 self            4 certified
    owner                           2 self
    loner         1 self

eng1 holds an 8 h/week offer, all of their 20% of 40 h: no time left. Open seats:
'Reporting revamp' 3 (Python 3, SQL 2 required; grows Docker), 'Coding club' 2 (Python
1; loner has only applied), 'Cluster upgrade' 0 of 1 left (Kubernetes 2; eng1's offer).
A draft (Python 4, 5 seats) and a closed posting (SQL 1, 4 seats) ask for nothing.
"""

from __future__ import annotations

import datetime as dt

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

from support.clock import Clock
from support.constants import NOW
from support.roster import Person, Skill

PEOPLE = (
    Person("mgr", "Maya Manager", title="Engineering Manager", department="Platform"),
    Person("eng1", "Eli Engineer", title="Software Engineer", department="Platform", manager="mgr"),
    Person("eng2", "Erin Engineer", title="Software Engineer", department="Platform", manager="mgr"),
    Person("owner", "Omar Owner", title="Product Lead", department="Product"),
    Person("ana", "Ana Analyst", title="Data Analyst", department="Data", manager="owner"),
    Person("loner", "Luca Loner", title="Consultant"),
)
SKILLS = (Skill("Python", "Languages", ("py",)), Skill("SQL", "Data"), Skill("Kubernetes", "Platform", ("k8s",)),
          Skill("Docker", "Platform"))
STALE_DAYS = 400
"""How long before NOW eng2 claimed Python: over a year, so stale."""


def certify(db, username: str, skill: str) -> None:
    """Mark a claim certified, as an internal certification will."""
    from oppmarket.db import models as M

    with db.connection_context():
        person = M.Employee.get(M.Employee.username == username)
        row = M.Skill.get(M.Skill.name == skill)
        M.EmployeeSkill.update(source="certified").where(
            M.EmployeeSkill.employee == person.id, M.EmployeeSkill.skill == row.id).execute()


def capability_org(db, clock: Clock | None = None) -> dict[str, int]:
    """The organisation above, its clock left at NOW; returns the postings' ids by title."""
    clock = clock or Clock(NOW)
    clock.now = NOW - dt.timedelta(days=STALE_DAYS)
    admin = Market(db, "admin", clock=clock)
    admin.register_self("Ada Admin")
    for person in PEOPLE:
        admin.add_person(person.username, person.name, **person.details())
    for skill in SKILLS:
        admin.add_skill(skill.name, category=skill.category, aliases=list(skill.aliases))
    admin.as_user("eng2").set_skill("Python", 2)
    certify(db, "eng2", "Python")
    clock.now = NOW

    def claims(username: str, **levels: int) -> Market:
        market = admin.as_user(username)
        for skill, level in levels.items():
            market.set_skill(skill, level)
        return market

    claims("mgr", Python=4)
    eng1 = claims("eng1", Python=3, Kubernetes=2)
    claims("ana", Python=5, SQL=4)
    certify(db, "ana", "SQL")
    owner = claims("owner", SQL=2)
    loner = claims("loner", Python=1)

    def post(title: str, skills, *, hours: int = 2, seats: int = 1, kind: str = "gig", publish: bool = True) -> int:
        return owner.post(OpportunityDraft(kind=kind, title=title, hours_per_week=hours, seats=seats, skills=skills),
                          publish=publish).id

    # An engagement that ends with Python endorsed, on a posting closed since.
    pairing = post("Python pairing", [("Python", 3, "required")], kind="mentorship")
    application = eng1.apply(pairing).application_id
    owner.offer(application)
    eng1.accept(application)
    admin.as_user("mgr").release(application)
    owner.complete(application, 5, "Great pairing", endorsements={"Python": 3})
    owner.close(pairing)

    ids = {"Python pairing": pairing}
    ids["Cluster upgrade"] = post("Cluster upgrade", [("Kubernetes", 2, "required")], hours=8)
    cluster = eng1.apply(ids["Cluster upgrade"]).application_id
    owner.offer(cluster)
    eng1.accept(cluster)
    ids["Reporting revamp"] = post("Reporting revamp", [("Python", 3, "required"), ("SQL", 2, "required"),
                                                        ("Docker", 1, "grows")], hours=4, seats=3)
    ids["Coding club"] = post("Coding club", [("Python", 1, "required")], seats=2, kind="volunteering")
    loner.apply(ids["Coding club"])
    ids["Future work"] = post("Future work", [("Python", 4, "required")], seats=5, publish=False)
    ids["Old gig"] = post("Old gig", [("SQL", 1, "required")], seats=4)
    owner.close(ids["Old gig"])
    return ids


# ---------------------------------------------------------------------- a fuller map, for the screens

def age(db, username: str, skill: str, days: int) -> None:
    """Date a claim `days` before NOW, as if nobody had confirmed it since."""
    from oppmarket.db import models as M

    with db.connection_context():
        person = M.Employee.get(M.Employee.username == username)
        row = M.Skill.get(M.Skill.name == skill)
        M.EmployeeSkill.update(confirmed_at=NOW - dt.timedelta(days=days)).where(
            M.EmployeeSkill.employee == person.id, M.EmployeeSkill.skill == row.id).execute()


MAP_PEOPLE = (
    Person("maya", "Maya Okafor", title="Engineering Manager", department="Platform",
           skills={"Kubernetes": 4, "Docker": 4, "Terraform": 3, "Incident response": 4, "Public speaking": 2}),
    Person("eli", "Eli Brandt", title="Software Engineer", department="Platform", manager="maya",
           skills={"Kubernetes": 3, "Docker": 3, "Python": 3, "AWS": 2}),
    Person("ravi", "Ravi Menon", title="Site Reliability Engineer", department="Platform", manager="maya",
           skills={"Kubernetes": 3, "Terraform": 4, "Incident response": 3, "AWS": 3, "Python": 2}),
    Person("omar", "Omar Haddad", title="Product Lead", department="Product",
           skills={"Python": 2, "Public speaking": 4, "Data visualisation": 2}),
    Person("tom", "Tom Becker", title="QA Engineer", department="Product", manager="omar",
           skills={"Python": 3, "Docker": 2, "SQL": 2}),
    Person("lena", "Lena Vogt", title="Data Analyst", department="Data", manager="omar",
           skills={"SQL": 5, "Data visualisation": 4, "Python": 3}),
    Person("noor", "Noor Aziz", title="Data Engineer", department="Data", manager="omar",
           skills={"SQL": 4, "Python": 4, "AWS": 3, "Terraform": 2, "Docker": 3}),
    Person("sam", "Sam Rivera", title="People Partner", department="People",
           skills={"Event planning": 4, "Public speaking": 3}),
    Person("ines", "Inês Costa", title="Recruiter", department="People", manager="sam",
           skills={"Event planning": 2, "Public speaking": 2, "Data visualisation": 1}),
)


MAP_POSTINGS = (
    ("maya", OpportunityDraft(
        title="Write the incident runbooks", department="Platform", hours_per_week=2, seats=4,
        skills=[("Incident response", 3, "required")])),
    ("noor", OpportunityDraft(
        title="Dashboards for every team", department="Data", hours_per_week=3, seats=5,
        skills=[("Data visualisation", 3, "required"), ("SQL", 3, "required")])),
)


def map_company(db) -> dict[str, int]:
    """The snapshots' map: nine people in four departments, the ten skills of the
    small company, its six postings and two more that open gaps (incident response,
    dashboards). Some claims are endorsed or certified, three are stale, and eli holds
    a 6 h/week offer. Returns the postings' ids."""
    from support.org import build_org, post_all
    from support.roster import COMPANY_POSTINGS, COMPANY_SKILLS

    admin = build_org(db, people=MAP_PEOPLE, skills=COMPANY_SKILLS, opportunities=0)
    ids = post_all(admin, COMPANY_POSTINGS + MAP_POSTINGS)
    for username, skill in (("maya", "Kubernetes"), ("noor", "SQL"), ("lena", "Data visualisation"),
                            ("ravi", "Terraform")):
        certify(db, username, skill)
    for username, skill in (("eli", "Docker"), ("lena", "SQL"), ("sam", "Event planning")):
        _endorse(db, username, skill)
    for username, skill in (("omar", "Python"), ("ines", "Public speaking"), ("ravi", "AWS")):
        age(db, username, skill, 420)
    eli = admin.as_user("eli")
    billing = ids["Migrate the billing service to Kubernetes"]
    application = eli.apply(billing).application_id
    admin.as_user("maya").offer(application)
    eli.accept(application)
    return ids


def _endorse(db, username: str, skill: str) -> None:
    from oppmarket.db import models as M

    with db.connection_context():
        person = M.Employee.get(M.Employee.username == username)
        row = M.Skill.get(M.Skill.name == skill)
        M.EmployeeSkill.update(source="endorsed", evidence_count=1).where(
            M.EmployeeSkill.employee == person.id, M.EmployeeSkill.skill == row.id).execute()
