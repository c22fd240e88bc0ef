"""The per-process search index over skills and open opportunities."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
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

# The setting whose value changes with every change to the taxonomy that counts of
# rows cannot see (a rename, a retirement, a merge): a new value rebuilds the index.
TAXONOMY_REVISION = "taxonomy_revision"


def taxonomy_changed() -> None:
    """Mark the skills taxonomy changed (inside the write's transaction): every
    process's index rebuilds before its next query. A fresh random value, not a
    counter, so two writers at once never leave the value a reader has already seen."""
    value = uuid.uuid4().hex
    M.Setting.insert(key=TAXONOMY_REVISION, value=value).on_conflict(
        conflict_target=[M.Setting.key], update={M.Setting.value: value}).execute()


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
        self.revision: str | None = None
        self.skill_ids: set[int] = set()

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
        """The index, with every change since the last call applied. Retired skills
        are left out: search never offers them. A change to the taxonomy (a rename, a
        merge, a retirement) rebuilds it, since postings' skills may have moved too."""
        with self.lock:
            mark = self._skill_watermark()
            revision = M.Setting.select(M.Setting.value).where(M.Setting.key == TAXONOMY_REVISION).scalar()
            if self.index is None or revision != self.revision:
                offered = [skill for skill in market.skills() if not skill.retired]
                self.index = SearchIndex(offered, [doc for status, doc in self._docs(
                    M.Opportunity.select().where(M.Opportunity.status == OppStatus.OPEN))
                    if status == OppStatus.OPEN])
                self.skill_mark, self.revision = mark, revision
                self.skill_ids = {skill.id for skill in offered}
                self.opp_mark = M.Opportunity.select(fn.MAX(M.Opportunity.updated_at)).scalar()
                return self.index
            if mark != self.skill_mark:
                offered = [skill for skill in market.skills() if not skill.retired]
                for gone in self.skill_ids - {skill.id for skill in offered}:
                    self.index.remove_skill(gone)
                for skill in offered:
                    self.index.add_skill(skill)
                self.skill_ids = {skill.id for skill in offered}
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
