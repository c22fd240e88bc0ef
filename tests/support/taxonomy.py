"""A small company whose departments and skills are used in every way a merge must
keep, for the taxonomy's Market, CLI and screen tests.

    Engineering ── Platform: mgr ── eng1, eng2     Product: owner ── owned
                                                   (no department: admin, loner)

"Container orchestration" (alias "orchestration") is the skill to merge into
Kubernetes (alias "k8s"); where both meet, the merge must combine them:

    claims          Kubernetes      Container orchestration
    mgr             4 self          3 self                    both
    eng1            2 self          3 endorsed (evidence 1)   both
    eng2                            2 self
    interests       owned           owned, loner              owned has both
    postings        Cluster upgrade: Kubernetes 3 + Container orchestration 4 (required)
                    Platform guild: grows Container orchestration 2
                    Pairing on clusters (completed): Container orchestration 3
    endorsements                    eng1 at 3, on Pairing on clusters
    key roles       Head of Platform: Kubernetes 4 + Container orchestration 3
                    SRE lead: Container orchestration 3
    saved searches  eng2's "orchestration work" (department Platform)
"""

from __future__ import annotations

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

from support.clock import fixed_clock
from support.org import build_org, staff
from support.roster import Skill

SKILLS = (Skill("Python", "Languages", ("py",)), Skill("SQL", "Data"), Skill("Kubernetes", "Platform", ("k8s",)),
          Skill("Container orchestration", "Platform", ("orchestration",)), Skill("Docker", "Platform"))
CLAIMS = {"mgr": {"Kubernetes": 4, "Container orchestration": 3}, "eng1": {"Kubernetes": 2, "Python": 3},
          "eng2": {"Container orchestration": 2}, "owner": {"SQL": 4}}
SOURCE, INTO = "Container orchestration", "Kubernetes"


def taxonomy_org(db, clock=fixed_clock) -> Market:
    """The company above; returns the admin's market."""
    admin = build_org(db, clock=clock, people=staff("mgr", "eng1", "eng2", "owner", "owned", "loner"),
                      skills=SKILLS, opportunities=0)
    admin.add_department("Engineering")
    admin.set_department_parent("Platform", "Engineering")
    for username, levels in CLAIMS.items():
        for skill, level in levels.items():
            admin.as_user(username).set_skill(skill, level)
    admin.as_user("owned").set_interests(["Kubernetes", SOURCE])
    admin.as_user("loner").set_interests([SOURCE])
    owner = admin.as_user("owner")
    owner.post(OpportunityDraft(title="Cluster upgrade", department="Platform", hours_per_week=4,
                                skills=[("Kubernetes", 3, "required"), (SOURCE, 4, "required")]), publish=True)
    owner.post(OpportunityDraft(kind="volunteering", title="Platform guild", hours_per_week=2,
                                skills=[(SOURCE, 2, "grows")]), publish=True)
    pairing = owner.post(OpportunityDraft(kind="mentorship", title="Pairing on clusters", hours_per_week=2,
                                          skills=[(SOURCE, 3, "required")]), publish=True).id
    eng1 = admin.as_user("eng1")
    application = eng1.apply(pairing).application_id
    owner.offer(application)
    eng1.accept(application)
    admin.as_user("mgr").release(application)
    owner.complete(application, 5, "Steady hands", endorsements={SOURCE: 3})
    admin.add_key_role("Head of Platform", holder="mgr", department="Platform", risk="high",
                       skills=[("Kubernetes", 4), (SOURCE, 3)])
    admin.add_key_role("SRE lead", department="Platform", skills=[(SOURCE, 3)])
    admin.as_user("eng2").save_search("orchestration work", query="orchestration", department="Platform")
    return admin
