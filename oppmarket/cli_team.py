"""`oppmarket team`: a line manager's reports, their caps and what holds them, and the
team's marketplace hours week by week (text, or JSON for scripts); `oppmarket cap`
sets a report's time cap, as `oppmarket hours` sets their contracted hours."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from oppmarket import team
from oppmarket.cli_output import print_json, print_rows, say, whole_number
from oppmarket.errors import NotFound
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_team_parsers(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("team", parents=[common],
                       help="your reports: caps, committed hours, engagements, releases waiting, top skills; "
                            "the team's marketplace hours week by week")
    p.add_argument("--weeks", type=whole_number(1, team.MAX_WEEKS), default=team.WEEKS, metavar="N",
                   help=f"weeks of team hours, 1-{team.MAX_WEEKS} (default {team.WEEKS})")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("cap", parents=[common],
                       help="set a report's marketplace time cap, a percent of their weekly hours "
                            "(line manager or admin; never below what they already hold)")
    p.add_argument("user", metavar="USER", help="the person's username")
    p.add_argument("pct", type=whole_number(0, 100), metavar="PCT", help="the cap, 0-100 percent")


def _commitment(c: team.Commitment) -> dict:
    return {"application_id": c.application_id, "opportunity_id": c.opportunity_id, "title": c.title,
            "kind": c.kind, "hours_per_week": c.hours_per_week, "release_due": c.release_due}


def document(found: team.Team) -> dict:
    """The team as JSON-ready data."""
    reports = []
    for r in found.reports:
        person = r.profile.person
        reports.append({
            "username": person.username, "display_name": person.display_name, "weekly_hours": person.weekly_hours,
            "cap_pct": person.cap_pct, "cap_hours": person.cap_hours, "committed_hours": r.profile.committed_hours,
            "hours_left": r.profile.hours_left, "engagements": [_commitment(c) for c in r.engagements],
            "pending_releases": [_commitment(c) for c in r.pending_releases],
            "top_skills": [{"skill": c.skill, "level": c.level, "stale": c.stale} for c in r.top_skills],
        })
    return {"reports": reports, "committed_hours": found.committed, "cap_hours": found.cap_hours,
            "pending_releases": found.pending_releases,
            "weeks": [{"start": w.start.isoformat(), "hours": round(w.hours, 2)} for w in found.weeks]}


def cmd_team(ctx: Context, args) -> int:
    try:
        found = ctx.market().team(weeks=args.weeks)
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    if args.json:
        print_json(document(found))
        return 0
    if not found.reports:
        say("nobody reports to you, so you have no team here")
        return 0
    count = len(found.reports)
    say(f"{count} direct report{'s' if count != 1 else ''} · {found.committed} of {found.cap_hours:g} h/week "
        f"committed · {found.pending_releases} waiting for your release")
    print_rows(("report", "name", "cap", "committed", "engaged", "waiting", "top skills"), [
        (r.profile.person.username, r.profile.person.display_name,
         f"{r.profile.person.cap_pct}% = {r.profile.person.cap_hours:g} h", f"{r.profile.committed_hours} h",
         len(r.engagements), len(r.pending_releases),
         ", ".join(f"{c.skill} {c.level}" for c in r.top_skills)) for r in found.reports])
    weeks = found.weeks
    say(f"marketplace hours a week, the last {len(weeks)} weeks from {weeks[0].start.isoformat()}: "
        + " ".join(f"{w.hours:.1f}".rstrip("0").rstrip(".") for w in weeks))
    return 0


def cmd_cap(ctx: Context, args) -> int:
    person = ctx.market().set_cap(args.user, args.pct)
    say(f"{clean_line(person.display_name)} ({person.username}) now has a marketplace time cap of "
        f"{person.cap_pct}% of {person.weekly_hours} h/week = {person.cap_hours:g} h/week")
    return 0
