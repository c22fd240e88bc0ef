"""The search index: skills by name, alias, typo, prefix and inflection; opportunities
by skill, title and description; literal punctuation; determinism; freshness.

Scores are worked out by hand in the comments. Reminders of the rules (see
`oppmarket.search`): a query word matches a word exactly (1.0), as a prefix (0.9), or
with a typo (rapidfuzz ratio = 2 * matching letters / total letters). A skill scores
100 * (0.75 * query covered + 0.25 * name covered), capped at 98 unless the query is
the name or alias itself. In opportunity search each word earns its best of skill
(1000 * skill score / 100), title (900 * match) or description (600 * match) in
thousandths, and the score is their average / 10.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from oppmarket.domain import Opportunity, OppSkill, SkillInfo
from oppmarket.search import OppDoc, OppHit, SearchIndex, SkillHit, stem, words

SKILLS = [
    SkillInfo(1, "Kubernetes", "Cloud", "", ("k8s",)),
    SkillInfo(2, "PostgreSQL", "Data", "", ("postgres", "psql")),
    SkillInfo(3, "JavaScript", "Web", "", ("js",)),
    SkillInfo(4, "Node.js", "Web", ""),
    SkillInfo(5, "Automated Testing", "Quality", ""),
    SkillInfo(6, "Python", "Languages", ""),
    SkillInfo(7, "Postman", "Quality", ""),
    SkillInfo(8, "Machine Learning", "Data", "", ("ml",)),
    SkillInfo(9, "C++", "Languages", ""),
    SkillInfo(10, "C#", "Languages", ""),
    SkillInfo(11, "Résumé Writing", "Careers", ""),
]

OPPS = [
    OppDoc(1, "Migrate billing to Kubernetes", "Move the billing service off virtual machines.", "gig", (1, 6)),
    OppDoc(2, "Postgres upgrade for reporting", "Upgrade the reporting database.", "gig", (2,)),
    OppDoc(3, "Mentor a junior JavaScript developer", "Weekly pairing on testing and reviews.", "mentorship", (3, 5)),
    OppDoc(4, "Fix [bold] markup in exports", "Exports show raw markup such as [bold] in 100% of reports.", "gig", ()),
    OppDoc(5, "Python scripting circle", "Help teams with data migration scripts.", "volunteering", (6,)),
    OppDoc(6, "Shadow the reporting team", "See how the monthly pack is built with PostgreSQL.", "shadowing", (2,)),
    OppDoc(7, "Machine learning reading group", "", "learning", (8,)),
]


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex(SKILLS, OPPS)


def top(index: SearchIndex, query: str) -> SkillHit:
    return index.search_skills(query)[0]


def ids(hits: list[OppHit]) -> list[int]:
    return [h.opp_id for h in hits]


# ---------------------------------------------------------------- words and stems


def test_words_keep_language_names_and_drop_punctuation():
    assert words("C++ and C#, Node.js [bold] 100%") == ["c++", "and", "c#", "node", "js", "bold", "100"]
    assert words("Résumé") == ["resume"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("testing", "test"), ("tests", "test"), ("tested", "test"),
        ("automation", "automat"), ("automated", "automat"), ("automating", "automat"),
        ("migration", "migrat"), ("migrate", "migrat"),
        ("planning", "plan"), ("reports", "report"), ("reporting", "report"),
        # not "str" + "ing" nor "spe" + "ed"; short words and words with digits untouched
        ("string", "string"), ("speed", "speed"), ("k8s", "k8s"), ("js", "js"),
    ],
)
def test_stem(word, expected):
    assert stem(word) == expected


# ---------------------------------------------------------------- skills


def test_alias_finds_the_skill_and_says_so(index):
    hit = top(index, "k8s")
    assert (hit.skill_id, hit.name, hit.matched, hit.score) == (1, "Kubernetes", "k8s", 100.0)
    assert hit.via_alias and hit.label == "Kubernetes (alias k8s)"


def test_exact_name_is_case_insensitive(index):
    assert top(index, "KUBERNETES") == SkillHit(1, "Kubernetes", "Kubernetes", 100.0)


def test_typo_reaches_the_nearest_alias(index):
    # "postgress" vs alias "postgres": 8 letters in common of 9 + 8 -> 2 * 8 / 17 = 94.1;
    # vs the name "postgresql" only 2 * 8 / 19 = 84.2, so the alias is shown.
    assert top(index, "postgress") == SkillHit(2, "PostgreSQL", "postgres", 94.1)
    # "kubrnetes" vs "kubernetes": 2 * 9 / 19 = 94.7
    assert top(index, "kubrnetes") == SkillHit(1, "Kubernetes", "Kubernetes", 94.7)
    # "kubernets" loses its plural-looking "s" and meets "kubernetes" at the stem
    # "kubernet": the same word in another form -> 98
    assert top(index, "kubernets") == SkillHit(1, "Kubernetes", "Kubernetes", 98.0)


def test_short_alias_beats_a_name_that_only_contains_the_word(index):
    hits = index.search_skills("js")
    # JavaScript through its alias: 100. Node.js has the word "js" but also "node":
    # 100 * (0.75 * 1 + 0.25 * 1/2) = 87.5.
    assert [(h.name, h.matched, h.score) for h in hits[:2]] == [
        ("JavaScript", "js", 100.0),
        ("Node.js", "Node.js", 87.5),
    ]


def test_run_together_spelling_of_a_dotted_name(index):
    # "nodejs" is Node.js written as one word: all words covered, but not as typed -> 98.
    assert top(index, "nodejs") == SkillHit(4, "Node.js", "Node.js", 98.0)
    assert top(index, "node.js") == SkillHit(4, "Node.js", "Node.js", 100.0)


def test_language_names_with_symbols(index):
    assert top(index, "c++").name == "C++"
    assert top(index, "C#").name == "C#"


def test_every_prefix_of_a_name_offers_it_first(index):
    for n in range(1, len("kubernetes") + 1):
        assert top(index, "kubernetes"[:n]).name == "Kubernetes", n
    # a prefix scores 0.9 of an exact word
    assert top(index, "kube").score == 90.0


def test_prefix_ties_go_to_the_skill_more_opportunities_ask_for(index):
    # PostgreSQL and Postman both complete "post" (90 each); two postings ask for
    # PostgreSQL and none for Postman.
    assert [(h.name, h.score) for h in index.search_skills("post")[:2]] == [("PostgreSQL", 90.0), ("Postman", 90.0)]
    # Without postings the shorter name goes first.
    assert [h.name for h in SearchIndex(SKILLS).search_skills("post")[:2]] == ["Postman", "PostgreSQL"]


def test_word_order_and_inflection_nobody_entered_as_alias(index):
    # testing -> test, automation -> automat: both words of "Automated Testing" covered,
    # in another order and form -> 98 (100 only for the name as written).
    assert top(index, "testing automation") == SkillHit(5, "Automated Testing", "Automated Testing", 98.0)
    assert top(index, "automate tests").name == "Automated Testing"
    assert top(index, "automated testing").score == 100.0


def test_multi_word_name_and_partial_cover(index):
    assert top(index, "machine learning") == SkillHit(8, "Machine Learning", "Machine Learning", 100.0)
    # one of the name's two words: 100 * (0.75 * 1 + 0.25 * 1/2) = 87.5
    assert top(index, "learning") == SkillHit(8, "Machine Learning", "Machine Learning", 87.5)


def test_accents_do_not_matter(index):
    assert top(index, "resume writing") == SkillHit(11, "Résumé Writing", "Résumé Writing", 100.0)


def test_limit(index):
    assert len(index.search_skills("p", limit=2)) == 2
    assert index.search_skills("python", limit=0) == []


# ---------------------------------------------------------------- opportunities


def test_mixed_query_adds_up_skill_and_title_matches(index):
    hits = index.search_opportunities("k8s migration python")
    # #1: k8s -> skill Kubernetes 1000, migration -> title "Migrate" (same stem) 900,
    #     python -> skill Python 1000: (1000 + 900 + 1000) / 3 / 10 = 96.7
    # #5: k8s nothing, migration -> description 600, python -> skill 1000:
    #     (0 + 600 + 1000) / 3 / 10 = 53.3
    assert hits == [
        OppHit(1, 96.7, ("skill: Kubernetes (alias k8s)", "title", "skill: Python")),
        OppHit(5, 53.3, ("description", "skill: Python")),
    ]
    assert hits[0].why == "skill: Kubernetes (alias k8s); title; skill: Python"


def test_typo_finds_opportunities_through_the_skill(index):
    # skill PostgreSQL at 94.1 -> 941 points; #2 and #6 list it, ties by id.
    assert index.search_opportunities("postgress") == [
        OppHit(2, 94.1, ("skill: PostgreSQL (alias postgres)",)),
        OppHit(6, 94.1, ("skill: PostgreSQL (alias postgres)",)),
    ]


def test_title_outranks_description(index):
    # "reporting" in the titles of #2 and #6: 900 -> 90; "reports" (same stem) in the
    # description of #4: 600 -> 60.
    assert [(h.opp_id, h.score, h.matched) for h in index.search_opportunities("reporting")] == [
        (2, 90.0, ("title",)),
        (6, 90.0, ("title",)),
        (4, 60.0, ("description",)),
    ]


def test_a_pair_of_words_can_name_one_skill(index):
    # "machine learning" names the skill: 1000 for each word -> 100. #1 only has
    # "machines" in its description for "machine": 600 / 2 / 10 = 30.
    assert index.search_opportunities("machine learning") == [
        OppHit(7, 100.0, ("skill: Machine Learning",)),
        OppHit(1, 30.0, ("description",)),
    ]
    assert ids(index.search_opportunities("testing automation"))[0] == 3


def test_stopwords_do_not_widen_the_search(index):
    assert index.search_opportunities("the reporting") == index.search_opportunities("reporting")


def test_kind_filter(index):
    assert ids(index.search_opportunities("postgres", kind="shadowing")) == [6]
    assert index.search_opportunities("postgres", kind="learning") == []
    assert index.search_opportunities("postgres", kind="no such kind") == []


def test_limit_on_opportunities(index):
    assert ids(index.search_opportunities("postgres", limit=1)) == [2]
    assert index.search_opportunities("postgres", limit=0) == []


@pytest.mark.parametrize(
    "query",
    ["", "   ", "%", "'", "\\", "*", "[]", "%' OR 1=1 --", "[red]x[/red]", "[@click=app.quit]", "\x1b[31m", "(", ".*"],
)
def test_punctuation_and_markup_are_literal_and_never_raise(index, query):
    skill_hits = index.search_skills(query)
    opp_hits = index.search_opportunities(query)
    # wildcards and markup are not interpreted: nothing here names a skill or a word
    # that any opportunity has
    assert skill_hits == []
    assert opp_hits == []


def test_bracketed_word_is_searched_as_text(index):
    assert index.search_opportunities("[bold]") == [OppHit(4, 90.0, ("title",))]
    assert index.search_opportunities("100%") == [OppHit(4, 60.0, ("description",))]


# ---------------------------------------------------------------- determinism


def test_results_do_not_depend_on_build_order():
    forward = SearchIndex(SKILLS, OPPS)
    backward = SearchIndex(reversed(SKILLS), reversed(OPPS))
    for query in ("post", "reporting", "k8s migration python", "p", "machine learning", "js"):
        assert forward.search_skills(query) == backward.search_skills(query), query
        assert forward.search_opportunities(query) == backward.search_opportunities(query), query


def test_equal_scores_are_ordered_by_id():
    docs = [OppDoc(i, f"Gig {i}", "", "gig", (6,)) for i in (40, 7, 23, 15)]
    assert ids(SearchIndex(SKILLS, docs).search_opportunities("python")) == [7, 15, 23, 40]


# ---------------------------------------------------------------- freshness


def test_added_updated_and_removed_opportunities(index):
    index.add_opportunity(OppDoc(8, "Zeppelin cost review", "", "gig", ()))
    assert ids(index.search_opportunities("zepp")) == [8]  # a new word, found by prefix

    index.update_opportunity(OppDoc(8, "Cloud cost review", "", "gig", ()))
    assert index.search_opportunities("zeppelin") == []
    assert ids(index.search_opportunities("cloud")) == [8]

    index.remove_opportunity(8)
    assert index.search_opportunities("cloud") == []
    index.remove_opportunity(8)  # already gone: nothing to do
    assert index.opportunity_count == len(OPPS)


def test_update_moves_an_opportunity_between_kinds(index):
    index.update_opportunity(OppDoc(7, "Machine learning reading group", "", "mentorship", (8,)))
    assert ids(index.search_opportunities("ml", kind="mentorship")) == [7]
    assert index.search_opportunities("ml", kind="learning") == []


def test_new_alias_and_removed_skill(index):
    assert top(index, "py") == SkillHit(6, "Python", "Python", 90.0)  # a prefix until the alias exists
    index.update_skill(SkillInfo(6, "Python", "Languages", "", ("py",)))
    assert top(index, "py") == SkillHit(6, "Python", "py", 100.0)

    index.remove_skill(6)
    assert all(h.name != "Python" for h in index.search_skills("python"))
    # #5 is still found by its title, no longer through the skill
    assert index.search_opportunities("python") == [OppHit(5, 90.0, ("title",))]


def test_demand_tie_break_follows_new_postings(index):
    assert top(index, "post").name == "PostgreSQL"
    for i in (20, 21, 22):
        index.add_opportunity(OppDoc(i, f"API checks {i}", "", "gig", (7,)))
    assert top(index, "post").name == "Postman"  # three postings ask for it now, two for PostgreSQL


def test_builds_from_opportunity_records():
    now = dt.datetime(2025, 3, 1, 9, 0)
    opp = Opportunity(
        id=12, kind="mentorship", title="Mentoring circle", description="Monthly sessions.",
        owner_username="ada", owner_name="Ada", department=None, hours_per_week=2, start=None, end=None,
        seats=3, seats_taken=0, location="", remote=True, status="open", created_at=now, updated_at=now,
        skills=(OppSkill(1, "Kubernetes", 3, "grows"),), topics="career growth, negotiation",
    )
    index = SearchIndex(SKILLS, [opp])
    assert index.search_opportunities("k8s") == [OppHit(12, 100.0, ("skill: Kubernetes (alias k8s)",))]
    assert index.search_opportunities("negotiation") == [OppHit(12, 60.0, ("description",))]


def test_many_changes_leave_the_same_index_as_a_fresh_build():
    rng = random.Random(7)
    vocab = "billing cluster migrate migration reports reporting python kubernetes postgres data team weekly".split()
    names = ["Kubernetes", "Python", "Data Pipelines", "Postman", "Public Speaking", "Testing"]
    skills = {s.id: s for s in SKILLS}
    docs = {d.id: d for d in OPPS}
    index = SearchIndex(skills.values(), docs.values())
    for step in range(300):
        action = rng.random()
        if action < 0.5:
            oid = rng.randint(1, 30)
            doc = OppDoc(
                oid,
                " ".join(rng.choices(vocab, k=3)) + f" v{step}",
                " ".join(rng.choices(vocab, k=6)),
                rng.choice(["gig", "mentorship", "learning"]),
                tuple(rng.sample(sorted(skills), k=2)),
            )
            docs[oid] = doc
            index.update_opportunity(doc)
        elif action < 0.75:
            oid = rng.randint(1, 30)
            docs.pop(oid, None)
            index.remove_opportunity(oid)
        elif action < 0.9:
            sid = rng.randint(1, 15)
            skill = SkillInfo(sid, f"{rng.choice(names)} {sid}", "General", "", (f"alias{rng.randint(1, 5)}x{sid}",))
            skills[sid] = skill
            index.add_skill(skill)
        else:
            sid = rng.randint(1, 15)
            skills.pop(sid, None)
            index.remove_skill(sid)
        if step % 50 == 49:
            fresh = SearchIndex(skills.values(), docs.values())
            for query in ("report", "migrate python", "kube", "pubic speking", "alias3", "v1", "dat", "team"):
                assert index.search_skills(query) == fresh.search_skills(query), (step, query)
                for kind in (None, "gig"):
                    assert index.search_opportunities(query, kind=kind) == fresh.search_opportunities(
                        query, kind=kind
                    ), (step, query, kind)
