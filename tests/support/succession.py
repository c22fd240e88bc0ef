"""A small company with key roles whose benches are known by heart, for the key
roles screens and their snapshots.

    Platform: maya ── eli, nora, kai          Data: omar ── lena
    People: sam (no reports)

    claims          Kubernetes  Incident response  Python  SQL  Data visualisation
    maya            5           5                  4
    eli             4           4                  3
    nora            3           4                  4
    kai             2                              3
    omar                                           3       5    4
    lena                        2                          4    3
    sam                                                    1

Head of Platform (maya, high): Kubernetes 4, Incident response 4, Python 3
    ready now: eli · one short: nora (Kubernetes 3/4) · two short: kai (Kubernetes 2/4,
    Incident response 0/4), omar (Kubernetes 0/4, Incident response 0/4) · lena is
    three short, so off the bench
Head of Data (omar, medium): SQL 4, Data visualisation 3
    ready now: lena · two short: sam (SQL 1/4, Data visualisation 0/3)
Community lead (vacant, low): no skills yet, so nobody on its bench.
"""

from __future__ import annotations

from oppmarket.market import Market

from support.clock import fixed_clock
from support.org import build_org
from support.roster import Person, Skill

PEOPLE = (
    Person("maya", "Maya Okafor", title="Head of Platform", department="Platform",
           skills={"Kubernetes": 5, "Incident response": 5, "Python": 4}),
    Person("eli", "Eli Brandt", title="Site Reliability Engineer", department="Platform", manager="maya",
           skills={"Kubernetes": 4, "Incident response": 4, "Python": 3}),
    Person("nora", "Nora Lindqvist", title="Platform Engineer", department="Platform", manager="maya",
           skills={"Kubernetes": 3, "Incident response": 4, "Python": 4}),
    Person("kai", "Kai Mensah", title="Junior Engineer", department="Platform", manager="maya",
           skills={"Kubernetes": 2, "Python": 3}),
    Person("omar", "Omar Haddad", title="Head of Data", department="Data",
           skills={"Python": 3, "SQL": 5, "Data visualisation": 4}),
    Person("lena", "Lena Vogt", title="Data Analyst", department="Data", manager="omar",
           skills={"Incident response": 2, "SQL": 4, "Data visualisation": 3}),
    Person("sam", "Sam Rivera", title="People Partner", department="People", skills={"SQL": 1}),
)
SKILLS = (Skill("Kubernetes", "Platform", ("k8s",)), Skill("Incident response", "Platform"),
          Skill("Python", "Languages", ("py",)), Skill("SQL", "Data"), Skill("Data visualisation", "Data"))
ROLES = (
    ("Head of Platform", "maya", "Platform", "high", [("Kubernetes", 4), ("Incident response", 4), ("Python", 3)]),
    ("Head of Data", "omar", "Data", "medium", [("SQL", 4), ("Data visualisation", 3)]),
    ("Community lead", None, "People", "low", []),
)


def succession_org(db, clock=fixed_clock) -> Market:
    """The company above; returns the admin's market."""
    admin = build_org(db, clock=clock, people=PEOPLE, skills=SKILLS, opportunities=0)
    for title, holder, department, risk, skills in ROLES:
        admin.add_key_role(title, holder=holder, department=department, risk=risk, skills=skills)
    return admin
