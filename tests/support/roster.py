"""The people, skills and postings the test organisations are made of."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from oppmarket.domain import OpportunityDraft


@dataclass(frozen=True)
class Person:
    """Someone the admin adds, with the skills and interests they then claim. Fields
    left None are not passed, so the Market's own defaults apply. `interests=None`
    sets none; an empty tuple sets an empty list (which is a write of its own)."""

    username: str
    name: str
    title: str | None = None
    department: str | None = None
    manager: str | None = None
    email: str | None = None
    skills: Mapping[str, int] = field(default_factory=dict)
    interests: tuple[str, ...] | None = None

    def details(self) -> dict[str, str]:
        fields = {"email": self.email, "title": self.title, "department": self.department,
                  "manager": self.manager}
        return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class Skill:
    name: str
    category: str | None = None
    aliases: tuple[str, ...] = ()


# The organisation of the Market and UI tests:
#     admin (is_admin, registers first)
#     mgr ── eng1, eng2
#     owner ── owned
#     loner (no manager)
STAFF = {person.username: person for person in (
    Person("mgr", "Maya Manager", title="Engineering Manager", department="Platform"),
    Person("eng1", "Eli Engineer", title="Software Engineer", department="Platform", manager="mgr"),
    Person("eng2", "Erin Engineer", title="Software Engineer", department="Platform", manager="mgr"),
    Person("owner", "Omar Owner", title="Product Lead", department="Product"),
    Person("owned", "Olga Analyst", title="Data Analyst", department="Product", manager="owner"),
    Person("loner", "Luca Loner", title="Consultant"),
)}
SKILLS = (
    Skill("Python", "Languages", ("py",)),
    Skill("SQL", "Data"),
    Skill("Kubernetes", "Platform", ("k8s",)),
    Skill("Docker", "Platform"),
)

# The small company of the snapshots: a handful of people and one opportunity of every kind.
COMPANY = (
    Person("maya", "Maya Okafor", title="Engineering Manager", department="Platform"),
    Person("eli", "Eli Brandt", title="Software Engineer", department="Platform", manager="maya"),
    Person("omar", "Omar Haddad", title="Product Lead", department="Product"),
    Person("lena", "Lena Vogt", title="Data Analyst", department="Data", manager="omar"),
    Person("sam", "Sam Rivera", title="People Partner", department="People"),
)
COMPANY_SKILLS = (
    Skill("Python", "Languages", ("py",)), Skill("SQL", "Data"), Skill("Kubernetes", "Platform", ("k8s",)),
    Skill("Docker", "Platform"), Skill("Terraform", "Platform"), Skill("Data visualisation", "Data"),
    Skill("Public speaking", "Communication"), Skill("Event planning", "Communication"),
    Skill("Incident response", "Platform"), Skill("AWS", "Cloud"),
)
COMPANY_POSTINGS = (
    ("maya", OpportunityDraft(
        kind="learning", title="Cloud practitioner path", department="Platform", hours_per_week=3,
        seats=10, description="Six weeks from zero to the internal cloud certification.",
        skills=[("AWS", 2, "grows"), ("Terraform", 1, "grows")],
        steps=["Cloud basics", "Networking", "Infrastructure as code"], certification="Cloud Practitioner")),
    ("maya", OpportunityDraft(
        kind="shadowing", title="Shadow an on-call shift", department="Platform", hours_per_week=4,
        description="Sit with the on-call engineer for a week of shifts and see incidents handled live.",
        skills=[("Incident response", 2, "grows")], host="eli", start="2026-03-23", end="2026-03-27")),
    ("sam", OpportunityDraft(
        kind="volunteering", title="Organise the spring hackathon", department="People", hours_per_week=3,
        seats=4, remote=False, location="Berlin office",
        description="Plan two days of hacking for 150 people: venue, themes, judges and food.",
        skills=[("Event planning", 2, "required"), ("Public speaking", 2, "grows")])),
    ("lena", OpportunityDraft(
        kind="mentorship", title="Mentor a new data analyst", department="Data", hours_per_week=2,
        description="An hour a week with a new analyst, for a quarter.", topics="SQL style, dashboards",
        skills=[("SQL", 4, "required"), ("Data visualisation", 3, "required"), ("Public speaking", 2, "grows")])),
    ("omar", OpportunityDraft(
        kind="gig", title="Fix the [bold]flaky[/] checkout tests", department="Product", hours_per_week=2,
        description="Our checkout suite fails one run in five. Find out why and make it boring again.",
        skills=[("Python", 3, "required")])),
    ("maya", OpportunityDraft(
        kind="gig", title="Migrate the billing service to Kubernetes", department="Platform",
        hours_per_week=6, seats=2, start="2026-03-16", end="2026-05-29",
        description=("Billing still runs on two hand-built VMs. Move it to our Kubernetes platform "
                     "with a proper Helm chart, health checks and a rollback plan.\n\n"
                     "You will pair with the platform team twice a week."),
        skills=[("Kubernetes", 3, "required"), ("Docker", 2, "required"), ("Python", 2, "required"),
                ("Terraform", 2, "grows")])),
)
