"""The per-process search index over skills and open opportunities."""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import defaultdict
from typing import TYPE_CHECKING

import peewee
from peewee import fn

from oppmarket.db import models as M
from oppmarket.lifecycle import OppStatus
from oppmarket.search import OppDoc, SearchIndex

if TYPE_CHECKING:
    from oppmarket.market import Market


class IndexKeeper:
    """One search index per database per process, built on first use and brought up
    to date before every query: rows whose `updated_at` is at or past the last one seen
    are re-read, so changes made by other processes (other SSH sessions, the CLI)
    show up too."""

    # Weak keys: a closed and collected database must not hand its index to a new one.
    _by_db: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    _registry_lock = threading.Lock()

    def __init__(self):
        self.lock = threading.Lock()
        self.index: SearchIndex | None = None
        self.opp_mark: dt.datetime | None = None
        self.skill_mark: tuple = ()

    @classmethod
    def for_db(cls, db: peewee.Database) -> IndexKeeper:
        with cls._registry_lock:
            keeper = cls._by_db.get(db)
            if keeper is None:
                keeper = cls._by_db[db] = cls()
            return keeper

    @staticmethod
    def _docs(query) -> list[tuple[str, OppDoc]]:
        rows = list(query.select(M.Opportunity.id, M.Opportunity.title, M.Opportunity.description,
                                 M.Opportunity.kind, M.Opportunity.topics, M.Opportunity.certification,
                                 M.Opportunity.status).tuples())
        skills: dict[int, list[int]] = defaultdict(list)
        ids = [r[0] for r in rows]
        for chunk in range(0, len(ids), 5000):
            part = ids[chunk:chunk + 5000]
            for opp_id, skill_id in (M.OpportunitySkill.select(M.OpportunitySkill.opportunity, M.OpportunitySkill.skill)
                                     .where(M.OpportunitySkill.opportunity.in_(part)).tuples()):
                skills[opp_id].append(skill_id)
        return [(status, OppDoc(i, t, "\n".join(x for x in (desc, topics, cert) if x), kind, tuple(skills.get(i, ()))))
                for i, t, desc, kind, topics, cert, status in rows]

    def _skill_watermark(self) -> tuple:
        return (M.Skill.select().count(), M.Skill.select(fn.MAX(M.Skill.id)).scalar(),
                M.SkillAlias.select().count(), M.SkillAlias.select(fn.MAX(M.SkillAlias.id)).scalar())

    def fresh(self, market: Market) -> SearchIndex:
        """The index, with every change since the last call applied."""
        with self.lock:
            mark = self._skill_watermark()
            if self.index is None:
                self.index = SearchIndex(market.skills(), [doc for status, doc in self._docs(
                    M.Opportunity.select().where(M.Opportunity.status == OppStatus.OPEN))
                    if status == OppStatus.OPEN])
                self.skill_mark = mark
                self.opp_mark = M.Opportunity.select(fn.MAX(M.Opportunity.updated_at)).scalar()
                return self.index
            if mark != self.skill_mark:
                for skill in market.skills():
                    self.index.add_skill(skill)
                self.skill_mark = mark
            if self.opp_mark is None:
                changed = M.Opportunity.select()
            else:
                changed = M.Opportunity.select().where(M.Opportunity.updated_at >= self.opp_mark)
            for status, doc in self._docs(changed):
                if status == OppStatus.OPEN:
                    self.index.add_opportunity(doc)
                else:
                    self.index.remove_opportunity(doc.id)
            latest = M.Opportunity.select(fn.MAX(M.Opportunity.updated_at)).scalar()
            self.opp_mark = latest or self.opp_mark
            return self.index
