"""Discovery: fuzzy search, match scores, recommendations with their exposure
record, and the owner's ranked review of applicants."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import fn

from oppmarket import domain as d
from oppmarket import location, matching
from oppmarket.db import models as M
from oppmarket.lifecycle import LIVE_STATUSES, OppStatus
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.search_index import IndexKeeper
from oppmarket.search import SkillHit


class DiscoveryMixin(MarketCore):
    """Finding work that fits a person, and people who fit a posting."""

    @api
    def search_skills(self, query: str, limit: int = 10) -> list[SkillHit]:
        """Skills by fuzzy name or alias ('k8s' finds Kubernetes), best first."""
        return IndexKeeper.for_db(self.db).fresh(self).search_skills(query, limit)

    @api
    def search(self, query: str, *, kind: str | None = None, limit: int = 200) -> list[d.SearchResult]:
        """Open opportunities matching a query of skills (typos and aliases welcome),
        title or description words; best first, each saying what matched."""
        hits = IndexKeeper.for_db(self.db).fresh(self).search_opportunities(query, limit=limit, kind=kind)
        rows = {r.id: r for r in M.Opportunity.select().where(M.Opportunity.id.in_([h.opp_id for h in hits]))}
        opps = {o.id: o for o in records.opportunities(list(rows.values()))}
        return [d.SearchResult(opps[h.opp_id], h.score, h.why) for h in hits if h.opp_id in opps]

    def warm_up(self) -> None:
        """Build the search index now (it is otherwise built on the first query)."""
        self.search_skills("", 1)

    @api
    def match(self, opportunity_id: int) -> matching.Match:
        """How well an opportunity fits the actor, term by term."""
        return matching.match(self.profile(), self.opportunity(opportunity_id), weights=self.weights)

    @api
    def recommend(self, *, limit: int = 50, kind: str | None = None, record: bool = True,
                  anywhere: bool = False) -> list[d.Recommendation]:
        """Open opportunities for the actor, best match first. Candidates are the
        postings with a seat left that the actor is not already in (nor has been
        through) and that require or grow a skill the actor has or wants (most overlap
        first), topped up with the newest, with or without skills; in-person ones out of
        the actor's reach (their location and remote preference) are left out unless
        `anywhere`. Each shown one is recorded as an exposure so equal access can be
        audited."""
        me = self._me()
        profile = self.profile()
        mine = {c.skill_id for c in profile.skills}
        mine |= {s.id for s in M.Skill.select(M.Skill.id).where(M.Skill.name.in_(list(profile.interests) or [""]))}
        base = M.Opportunity.select(M.Opportunity.id).where(
            M.Opportunity.status == OppStatus.OPEN, M.Opportunity.owner != me.id,
            M.Opportunity.id.not_in(records.full_postings()), M.Opportunity.id.not_in(records.taken_part_in(me.id)))
        if kind:
            base = base.where(M.Opportunity.kind == kind)
        candidate_ids: list[int] = []
        if mine:
            overlap = (base.join(M.OpportunitySkill).where(M.OpportunitySkill.skill.in_(list(mine)))
                       .group_by(M.Opportunity.id)
                       .order_by(fn.COUNT(M.OpportunitySkill.id).desc(), M.Opportunity.id.desc()).limit(2000))
            candidate_ids = [r.id for r in overlap]
        if len(candidate_ids) < limit:
            newest = base.order_by(M.Opportunity.id.desc()).limit(limit * 2)
            candidate_ids += [r.id for r in newest if r.id not in set(candidate_ids)]
        rows: list[M.Opportunity] = []
        for chunk in range(0, len(candidate_ids), 500):
            rows += list(M.Opportunity.select().where(M.Opportunity.id.in_(candidate_ids[chunk:chunk + 500])))
        person = profile.person
        opps = [o for o in records.opportunities(rows) if anywhere or location.within_reach(
            o.location, o.remote, person.location, person.remote_preference)]
        ranked = matching.rank_opportunities(profile, opps, weights=self.weights)[:limit]
        if record and ranked:
            self._record_exposure(me, [o.id for o, _ in ranked])
        return [d.Recommendation(o, m) for o, m in ranked]

    def _record_exposure(self, me: M.Employee, opp_ids: list[int]) -> None:
        def body():
            now = self.clock()
            seen = set(M.Exposure.select(M.Exposure.opportunity).where(
                M.Exposure.employee == me.id, M.Exposure.opportunity.in_(opp_ids)).tuples())
            seen = {row[0] for row in seen}
            M.Exposure.update(times=M.Exposure.times + 1).where(
                M.Exposure.employee == me.id, M.Exposure.opportunity.in_(list(seen))).execute()
            new = [{"employee": me.id, "opportunity": i, "first_shown": now, "times": 1}
                   for i in opp_ids if i not in seen]
            if new:
                M.Exposure.insert_many(new).on_conflict_ignore().execute()

        self._tx(body)

    @api
    def matches(self, opportunity_ids: Iterable[int]) -> dict[int, matching.Match]:
        """The actor's match for each of several opportunities (for a list's score column).
        Someone else's draft is left out, as if it did not exist: `opportunity` hides
        drafts from all but their owner, and a score would tell of one."""
        profile = self.profile()
        ids = list(opportunity_ids)
        me = self._me()
        rows = list(M.Opportunity.select().where(
            M.Opportunity.id.in_(ids),
            (M.Opportunity.status != OppStatus.DRAFT) | (M.Opportunity.owner == me.id)))
        return {o.id: matching.match(profile, o, weights=self.weights) for o in records.opportunities(rows)}

    @api
    def rate(self, opportunities: Iterable[d.Opportunity]) -> dict[int, matching.Match]:
        """The actor's match for opportunities already fetched (a page of a list),
        without reading them again."""
        profile = self.profile()
        return {o.id: matching.match(profile, o, weights=self.weights) for o in opportunities}

    @api
    def review(self, opportunity_id: int, *, include_closed: bool = False) -> list[d.ReviewEntry]:
        """The owner's view of the applicants, best match first (ties in a stable,
        reproducible order), each with their track record."""
        apps = self.applicants(opportunity_id)
        if not include_closed:
            apps = [a for a in apps if a.status in LIVE_STATUSES]
        opp = self.opportunity(opportunity_id)
        # Every applicant's profile and track record in a few queries, not a few each.
        rows = {r.username: r for r in M.Employee.select().where(
            M.Employee.username.in_([a.applicant_username for a in apps]))}
        applicants = [rows[name] for name in dict.fromkeys(a.applicant_username for a in apps)]
        profiles = records.profiles(applicants, self.clock())
        track = records.track_records(r.id for r in applicants)
        by_user = {a.applicant_username: a for a in apps}
        by_name = {r.username: r.id for r in applicants}
        ranked = matching.rank_applicants(opp, profiles, weights=self.weights)
        return [d.ReviewEntry(by_user[p.person.username], p, m, *track.get(by_name[p.person.username], (0, None)))
                for p, m in ranked]
