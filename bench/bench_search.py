"""Search at scale: 100,000 opportunities and 15,000 skills.

Generates a deterministic organisation-sized corpus (well-known skills with their
aliases, plus invented tools and specialisms to reach 15,000; titles and descriptions
from templates over a business vocabulary), builds a `SearchIndex` and reports build
time and resident-memory growth, then times a fixed set of queries, each also typed a
letter at a time, and prints median and p95 latency per query type and overall.

    .venv/bin/python bench/bench_search.py [--opportunities N] [--skills N] [--repeat N] [--baseline]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections import defaultdict
from itertools import accumulate

from oppmarket.domain import KINDS, SkillInfo
from oppmarket.search import OppDoc, SearchIndex

SEED = 20240611

KNOWN_SKILLS: list[tuple[str, str, tuple[str, ...]]] = [
    ("Kubernetes", "Cloud", ("k8s", "kube")),
    ("PostgreSQL", "Data", ("postgres", "psql", "pg")),
    ("JavaScript", "Web", ("js", "ecmascript")),
    ("TypeScript", "Web", ("ts",)),
    ("Python", "Languages", ("py",)),
    ("Go", "Languages", ("golang",)),
    ("Rust", "Languages", ()),
    ("Java", "Languages", ()),
    ("C++", "Languages", ("cpp",)),
    ("C#", "Languages", ("csharp",)),
    ("Machine Learning", "Data", ("ml",)),
    ("Amazon Web Services", "Cloud", ("aws",)),
    ("Microsoft Azure", "Cloud", ("azure",)),
    ("Google Cloud Platform", "Cloud", ("gcp",)),
    ("Terraform", "Cloud", ("tf",)),
    ("Docker", "Cloud", ("containers",)),
    ("React", "Web", ("reactjs", "react.js")),
    ("React Native", "Mobile", ()),
    ("Node.js", "Web", ("node", "nodejs")),
    ("Automated Testing", "Quality", ("test automation",)),
    ("Continuous Integration", "DevOps", ("ci", "ci/cd")),
    ("Apache Kafka", "Data", ("kafka",)),
    ("Apache Spark", "Data", ("spark", "pyspark")),
    ("Data Analysis", "Data", ("analytics",)),
    ("Data Visualisation", "Data", ("dataviz",)),
    ("SQL", "Data", ()),
    ("Power BI", "Data", ("powerbi",)),
    ("Tableau", "Data", ()),
    ("Microsoft Excel", "Business", ("excel",)),
    ("Public Speaking", "Communication", ("presenting",)),
    ("Technical Writing", "Communication", ("documentation",)),
    ("Project Management", "Delivery", ("pm",)),
    ("Agile Coaching", "Delivery", ("scrum",)),
    ("User Research", "Design", ("ux research",)),
    ("Figma", "Design", ()),
    ("Accessibility", "Design", ("a11y",)),
    ("Internationalisation", "Web", ("i18n",)),
    ("Negotiation", "Business", ()),
    ("Financial Modelling", "Finance", ()),
    ("Budgeting", "Finance", ()),
    ("Supplier Management", "Operations", ("vendor management",)),
    ("Incident Response", "Security", ()),
    ("Threat Modelling", "Security", ()),
    ("Penetration Testing", "Security", ("pentest",)),
    ("Linux Administration", "Infrastructure", ("linux",)),
    ("Networking", "Infrastructure", ()),
    ("GraphQL", "Web", ()),
    ("REST API Design", "Web", ("rest",)),
    ("Site Reliability Engineering", "DevOps", ("sre",)),
    ("Observability", "DevOps", ("monitoring",)),
    ("Mentoring", "People", ()),
    ("Coaching", "People", ()),
    ("Hiring", "People", ("recruiting",)),
    ("Facilitation", "People", ()),
    ("Stakeholder Management", "Business", ()),
    ("Product Management", "Product", ()),
    ("Customer Discovery", "Product", ()),
    ("Copywriting", "Marketing", ()),
    ("Search Engine Optimisation", "Marketing", ("seo",)),
    ("Event Planning", "Operations", ()),
]

QUALIFIERS = (
    "Advanced|Applied|Cloud|Enterprise|Mobile|Financial|Clinical|Industrial|Regulatory|Strategic|Operational|"
    "Digital|Embedded|Distributed|Secure|Sustainable|Global|Retail|Marine|Aerospace|Automotive|Energy|Pharma|"
    "Public Sector|Quantitative|Behavioural|Predictive|Realtime|Legacy|Open Source|Low Code|Edge|Hybrid"
).split("|")
TOPICS = (
    "Data Modelling|Risk Analysis|Forecasting|Compliance|Security|Architecture|Testing|Design|Reporting|Operations|"
    "Analytics|Governance|Auditing|Procurement|Logistics|Pricing|Planning|Integration|Migration|Automation|"
    "Optimisation|Monitoring|Storage|Networking|Scheduling|Simulation|Localisation|Onboarding|Budgeting|Billing|"
    "Privacy|Identity Management|Incident Management|Change Management|Capacity Planning|Quality Assurance|"
    "Signal Processing|Computer Vision|Natural Language Processing|Recommendation Systems|Search Relevance|"
    "Payments|Fraud Detection|Supply Chain|Warehouse Management|Customer Support|Content Strategy|Brand Design"
).split("|")
TOOL_SUFFIXES = ("Administration", "Development", "Integration", "Configuration", "Scripting", "Reporting", "Migration")
SYLLABLES = (
    "ka lo mi ra ven tor zen dex qua fin sol tri nex ol ar is um cor vel mar tek pli sto gra bel nov cyn"
).split()

TEAMS = (
    "billing payroll platform identity search payments mobile growth data infrastructure security finance "
    "procurement legal marketing sales support logistics warehouse research design people operations"
).split()
SYSTEMS = (
    "service gateway pipeline dashboard warehouse portal scheduler ledger catalogue checkout api cluster "
    "reporting suite intranet crm website app queue database"
).split()
VERBS = (
    "migrate build improve automate redesign document audit modernise consolidate retire scale secure "
    "monitor test launch review refactor map measure simplify"
).split()
FILLER = (
    "team weekly quarter customers users goals roadmap deadline budget impact experience learn share help "
    "support pair review feedback deliver ship plan scope risk process quality reliability cost latency "
    "growth onboarding colleagues stakeholders partners leadership community volunteers charity school "
    "workshop session sprint milestone outcome metrics baseline target savings hours remote office travel "
    "hybrid flexible mentor mentee shadow observe practice certification exam course module lesson path "
    "committee task force event conference meetup hackathon retrospective demo proposal report analysis "
    "research prototype pilot rollout launch migration upgrade incident outage runbook playbook template"
).split()
SENTENCES = (
    "Help the {team} team {verb} the {system} before the end of the quarter.",
    "You will pair with {role}s to {verb} our {system} and share what you learn.",
    "We need someone comfortable with {skill} to {verb} the {team} {system}.",
    "Expect about {hours} hours a week of {filler} and {filler}, mostly {filler}.",
    "Good for anyone who wants to grow in {skill} and {skill2}.",
    "The {filler} ends with a {filler} for the {team} leadership.",
    "Previous {filler} showed {filler} {filler}; this round focuses on {filler}.",
    "Join a {filler} of {n} colleagues working on {filler} and {filler}.",
)
TITLES = (
    "{Verb} the {team} {system} to {skill}",
    "{Verb} {team} {system}",
    "{skill} for the {team} {system}",
    "Mentorship: {skill} for new {role}s",
    "Shadow the {team} team during {filler}",
    "Learning path: {skill} certification",
    "Volunteer: {filler} {filler} for {cause}",
    "{Verb} {filler} with {skill} and {skill2}",
)
# Now and then a title carries a tag or a figure, punctuation and all.
TAGS = ("[Urgent]", "[bold]", "(remote)", "100%", "50% time", "Q3:", "O'Reilly book club:", "C++/CLI")
ROLES = "engineer analyst designer manager researcher writer planner accountant lawyer recruiter".split()
CAUSES = "schools charities the food bank the local library coding clubs climate action".split("|")

QUERIES: dict[str, list[str]] = {
    "typo": ["postgress", "kubernets", "pyhton", "javascrpt", "terrafrom", "mashine learning"],
    "alias": ["k8s", "js", "ml", "tf", "aws", "a11y"],
    "prefix": ["kube", "post", "reac", "dat", "pyt", "mig"],
    "multi-word": [
        "k8s migration python",
        "testing automation",
        "data pipeline spark",
        "mentor react native",
        "billing service postgres upgrade",
        "public speaking coaching",
        "cloud cost reduction",
    ],
    "punctuation": ["[bold]", "100%", "o'reilly", "c++", "node.js", "ci/cd", "\\", "*"],
}


def invented_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_skills(count: int, rng: random.Random) -> list[SkillInfo]:
    """Well-known skills first (so they get the small ids and the most demand),
    then invented tools and qualifier + topic specialisms until `count`."""
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, category, aliases in KNOWN_SKILLS:
        names[name] = (category, aliases)
    tools = sorted({invented_word(rng) for _ in range(3000)})
    candidates = [(f"{q} {t}", "Specialism") for q in QUALIFIERS for t in TOPICS]
    candidates += [(tool, "Tools") for tool in tools]
    candidates += [(f"{tool} {suffix}", "Tools") for tool in tools for suffix in TOOL_SUFFIXES]
    rng.shuffle(candidates)
    for name, category in candidates:
        if len(names) >= count:
            break
        names.setdefault(name, (category, ()))
    return [SkillInfo(i, name, cat, "", aliases) for i, (name, (cat, aliases)) in enumerate(names.items(), start=1)]


def make_opportunities(count: int, skills: list[SkillInfo], rng: random.Random) -> list[OppDoc]:
    """Titles and descriptions from templates; skills drawn with a long tail, so a
    few (Python, SQL, ...) appear in thousands of opportunities and most in a handful."""
    cum_weights = list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(skills))))
    kinds = list(KINDS)
    kind_weights = [6, 2, 1, 1, 1]
    docs = []
    for oid in range(1, count + 1):
        picked = {s.id: s for s in rng.choices(skills, cum_weights=cum_weights, k=rng.randint(2, 6))}
        names = [s.name for s in picked.values()]
        slots = {
            "team": rng.choice(TEAMS),
            "system": rng.choice(SYSTEMS),
            "role": rng.choice(ROLES),
            "cause": rng.choice(CAUSES),
            "skill": names[0],
            "skill2": names[-1],
            "hours": rng.randint(2, 8),
            "n": rng.randint(3, 12),
        }

        def fill(template: str) -> str:
            out = template
            while "{filler}" in out:
                out = out.replace("{filler}", rng.choice(FILLER), 1)
            verb = rng.choice(VERBS)
            return out.format(Verb=verb.capitalize(), verb=verb, **slots)

        title = fill(rng.choice(TITLES))
        if rng.random() < 0.01:
            title = f"{rng.choice(TAGS)} {title}"
        description = " ".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randint(2, 4)))
        docs.append(OppDoc(oid, title, description, rng.choices(kinds, kind_weights)[0], tuple(picked)))
    return docs


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(label: str, values: list[float]) -> None:
    print(f"  {label:<24} n={len(values):<5} median {statistics.median(values):7.2f} ms   p95 {p95(values):7.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--skills", type=int, default=15_000)
    parser.add_argument("--repeat", type=int, default=3, help="times each query is run")
    parser.add_argument("--baseline", action="store_true", help="also time thefuzz over every title, for comparison")
    args = parser.parse_args()

    rng = random.Random(SEED)
    skills = make_skills(args.skills, rng)
    docs = make_opportunities(args.opportunities, skills, rng)
    print(f"corpus: {len(docs):,} opportunities, {len(skills):,} skills "
          f"({sum(len(s.aliases) for s in skills)} aliases)")

    gc.collect()
    before = rss_kib()
    start = time.perf_counter()
    index = SearchIndex(skills, docs)
    index.search_opportunities("warm up")  # merges the vocabulary lists
    build = time.perf_counter() - start
    gc.collect()
    grown = rss_kib() - before
    print(f"build: {build:.2f} s, resident memory +{grown / 1024:.0f} MiB")

    for label, method in (("opportunities", index.search_opportunities), ("skills", index.search_skills)):
        print(f"search_{label}: cold = nothing remembered from earlier queries (each run {args.repeat}x); "
              "as typed = one letter at a time, as in the search box")
        cold_all: list[float] = []
        typed_all: list[float] = []
        for kind, queries in QUERIES.items():
            cold: list[float] = []
            for q in queries:
                for _ in range(args.repeat):
                    index.clear_cache()
                    cold.append(timed(method, q))
            typed: list[float] = []
            for q in queries:
                index.clear_cache()
                typed += [timed(method, q[:i]) for i in range(1, len(q) + 1)]
            report(f"{kind} cold", cold)
            report(f"{kind} as typed", typed)
            cold_all += cold
            typed_all += typed
        report("overall cold", cold_all)
        report("overall as typed", typed_all)
        report("overall", cold_all + typed_all)

    print("samples:")
    for q in ("postgress", "k8s migration python", "testing automation", "post", "[bold]"):
        skills_found = ", ".join(f"{h.label} {h.score:g}" for h in index.search_skills(q, limit=3))
        top = index.search_opportunities(q, limit=3)
        print(f"  {q!r}: skills [{skills_found}]; opportunities "
              + "; ".join(f"#{h.opp_id} {h.score:g} ({h.why})" for h in top))
    if args.baseline:
        from thefuzz import process as naive

        titles = [d.title for d in docs]
        naive_times = [timed(naive.extract, q, titles, limit=50) for q in ("postgress", "kube", "k8s migration python")]
        report("thefuzz over titles", naive_times)
    per_kind = defaultdict(list)
    for kind in KINDS:
        per_kind[kind].append(timed(index.search_opportunities, "python", kind=kind))
    print("kind filter 'python': " + ", ".join(f"{k} {v[0]:.2f} ms" for k, v in per_kind.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
