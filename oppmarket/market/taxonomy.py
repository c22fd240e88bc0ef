"""The skills taxonomy as admins keep it: every skill with where it is used, renamed
(the old name stays as an alias, so searches still find it), its aliases added and
removed, two skills merged into one with every reference kept, and skills retired
(no longer offered, still on the history that names them).

Every write bumps the taxonomy's revision (`search_index.taxonomy_changed`), so each
process's search index rebuilds before its next query."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from peewee import fn

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, NotFound, ValidationError
from oppmarket.market import records, validate
from oppmarket.market.core import MarketCore, api
from oppmarket.market.search_index import taxonomy_changed
from oppmarket.market.validate import required_field
from oppmarket.text import clean_line
from oppmarket.vocabulary import words

MAX_SKILL_NAME = 80  # the width of skill.name and skill_alias.alias
# A claim's source, weakest first: a merged claim keeps the stronger of the two.
SOURCE_STRENGTH = {source: rank for rank, source in enumerate(d.SKILL_SOURCES)}


def _count(query_field, count_of, ids: list[int]) -> Counter:
    model = query_field.model
    return Counter(dict(model.select(query_field, count_of).where(query_field.in_(ids))
                        .group_by(query_field).tuples())) if ids else Counter()


def _mentions(skills: Iterable[d.SkillInfo]) -> Counter:
    """Per skill id, the saved searches whose query holds its name or an alias as
    whole words ("k8s upgrade" mentions Kubernetes through its alias k8s)."""
    forms: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for skill in skills:
        for text in (skill.name, *skill.aliases):
            if spelled := tuple(words(text)):
                forms[spelled].add(skill.id)
    longest = max(map(len, forms), default=0)
    found: Counter = Counter()
    if not longest:
        return found
    for (query,) in M.SavedSearch.select(M.SavedSearch.query).where(M.SavedSearch.query != "").tuples():
        said = words(query)
        hit: set[int] = set()
        for n in range(1, longest + 1):
            for start in range(len(said) - n + 1):
                hit |= forms.get(tuple(said[start:start + n]), set())
        found.update(hit)
    return found


def _usages(rows: list[M.Skill]) -> list[d.SkillUsage]:
    """Skills with where each is used: a grouped count per kind of use."""
    infos = records.skill_infos(rows)
    ids = [r.id for r in rows]
    claims = _count(M.EmployeeSkill.skill, fn.COUNT(M.EmployeeSkill.id), ids)
    interests = _count(M.Interest.skill, fn.COUNT(M.Interest.id), ids)
    postings = _count(M.OpportunitySkill.skill, fn.COUNT(fn.DISTINCT(M.OpportunitySkill.opportunity)), ids)
    endorsements = _count(M.Endorsement.skill, fn.COUNT(M.Endorsement.id), ids)
    roles = _count(M.KeyRoleSkill.skill, fn.COUNT(M.KeyRoleSkill.id), ids)
    searches = _mentions(infos)
    return [d.SkillUsage(s, claims[s.id], interests[s.id], postings[s.id], endorsements[s.id], roles[s.id],
                         searches[s.id]) for s in infos]


def _skill(name: str, field: str = "skill") -> M.Skill:
    """A skill by its name or an alias, in any case; NotFound (or, for a field of a
    form, a ValidationError on it) when there is none."""
    row = validate.skill_row(name or "")
    if row is None and field == "skill":
        raise NotFound(f"no skill called {clean_line(name or '')!r}")
    if row is None:
        raise ValidationError({field: f"no skill called {clean_line(name or '')!r}"})
    return row


def _free_label(errors: dict, field: str, text: str, label: str, keep: M.Skill | None = None) -> str:
    """A name or alias that is given, fits, and names no skill (but `keep`) yet."""
    value = required_field(errors, field, clean_line(text or ""), MAX_SKILL_NAME, label)
    if value and field not in errors and (owner := validate.skill_row(value)) is not None and \
            (keep is None or owner.id != keep.id):
        how = "the name" if owner.name.casefold() == value.casefold() else "an alias"
        errors[field] = f"{value!r} is already {how} of {owner.name}"
    return value


def _aliases_of(skill_id: int) -> list[str]:
    return [a for a, in M.SkillAlias.select(M.SkillAlias.alias).where(M.SkillAlias.skill == skill_id)
            .order_by(M.SkillAlias.alias).tuples()]


def _add_alias(skill_id: int, alias: str, name: str) -> bool:
    """Make `alias` an alias of the skill unless it is already its name or one of its aliases."""
    if alias.casefold() == name.casefold() or any(a.casefold() == alias.casefold() for a in _aliases_of(skill_id)):
        return False
    M.SkillAlias.create(skill=skill_id, alias=alias)
    return True


class TaxonomyMixin(MarketCore):
    """The skills taxonomy (admins; reading it with its usage too)."""

    # ------------------------------------------------------------------ reading

    @api
    def skill_usages(self, query: str = "") -> list[d.SkillUsage]:
        """Admin: every skill (retired ones too), by name, with where it is used;
        with `query`, those whose name, an alias or the category holds it."""
        self._allowed(policy.may_administer)
        rows = list(M.Skill.select().order_by(M.Skill.name))
        found = _usages(rows)
        key = clean_line(query or "").casefold()
        if not key:
            return found
        return [u for u in found if any(key in text.casefold()
                                        for text in (u.skill.name, u.skill.category, *u.skill.aliases))]

    @api
    def skill_usage(self, name: str) -> d.SkillUsage:
        """Admin: one skill (by name or alias) with where it is used: what a merge
        would move or a retirement leave in place."""
        self._allowed(policy.may_administer)
        return _usages([_skill(name)])[0]

    # ------------------------------------------------------------------ changing (admins)

    def _skill_write(self, name: str, change) -> d.SkillInfo:
        """Run `change(me, row)` on the locked skill `name` in one transaction, with
        the taxonomy's revision bumped; the skill as it is after."""
        me = self._allowed(policy.may_manage_taxonomy)

        def body() -> int:
            row = self._lock(M.Skill, _skill(name).id, "skill")
            if change(me, row):
                taxonomy_changed()
            return row.id

        return records.skill_info(M.Skill.get_by_id(self._tx(body)))

    @api
    def rename_skill(self, old: str, new: str) -> d.SkillInfo:
        """Admin: rename a skill (found by its name or an alias). The old name becomes
        an alias, so searches and saved searches still find it; a name another skill
        has as its name or an alias is refused. A new name that was one of its own
        aliases stops being an alias."""

        def change(me: M.Employee, row: M.Skill) -> bool:
            errors: dict[str, str] = {}
            value = _free_label(errors, "name", new, "skill name", keep=row)
            if errors:
                raise ValidationError(errors)
            if value == row.name:
                return False
            M.SkillAlias.delete().where(M.SkillAlias.skill == row.id,
                                        fn.LOWER(M.SkillAlias.alias) == value.lower()).execute()
            M.Skill.update(name=value).where(M.Skill.id == row.id).execute()
            _add_alias(row.id, row.name, value)
            self._audit(me, "rename_skill", "skill", row.id, old={"name": row.name}, new={"name": value})
            return True

        return self._skill_write(old, change)

    @api
    def add_skill_alias(self, skill: str, alias: str) -> d.SkillInfo:
        """Admin: another name a skill is found by ("k8s" for Kubernetes); refused when
        it is already a skill's name or alias."""

        def change(me: M.Employee, row: M.Skill) -> bool:
            errors: dict[str, str] = {}
            value = _free_label(errors, "alias", alias, "alias")
            if errors:
                raise ValidationError(errors)
            before = _aliases_of(row.id)
            M.SkillAlias.create(skill=row.id, alias=value)
            self._audit(me, "add_skill_alias", "skill", row.id, old={"aliases": before},
                        new={"aliases": _aliases_of(row.id)})
            return True

        return self._skill_write(skill, change)

    @api
    def remove_skill_alias(self, alias: str) -> d.SkillInfo:
        """Admin: stop finding a skill by `alias` (its name stays)."""
        key = clean_line(alias or "")
        row = M.SkillAlias.get_or_none(fn.LOWER(M.SkillAlias.alias) == key.lower())
        if row is None:
            raise NotFound(f"no skill has the alias {key!r}")
        owner = M.Skill.get_by_id(row.skill_id)

        def change(me: M.Employee, skill: M.Skill) -> bool:
            if M.SkillAlias.delete().where(M.SkillAlias.id == row.id).execute() != 1:
                raise NotFound(f"no skill has the alias {key!r}")
            self._audit(me, "remove_skill_alias", "skill", skill.id, old={"alias": row.alias}, new={"alias": None})
            return True

        return self._skill_write(owner.name, change)

    @api
    def retire_skill(self, name: str) -> d.SkillInfo:
        """Admin: stop offering a skill: pickers, search, new claims, interests,
        postings and imports refuse it; the claims, postings and endorsements that
        already name it keep it."""
        return self._set_retired(name, True)

    @api
    def unretire_skill(self, name: str) -> d.SkillInfo:
        """Admin: offer a retired skill again."""
        return self._set_retired(name, False)

    def _set_retired(self, name: str, retired: bool) -> d.SkillInfo:
        def change(me: M.Employee, row: M.Skill) -> bool:
            if row.retired == retired:
                raise Conflict(f"{row.name} is {'already' if retired else 'not'} retired")
            M.Skill.update(retired=retired).where(M.Skill.id == row.id).execute()
            self._audit(me, "retire_skill" if retired else "unretire_skill", "skill", row.id,
                        old={"retired": row.retired}, new={"retired": retired})
            return True

        return self._skill_write(name, change)

    @api
    def merge_skills(self, source: str, into: str) -> d.SkillUsage:
        """Admin: merge the skill `source` into `into` in one transaction. Every
        reference moves: claims, interests, posting skills, endorsements and key-role
        skills. Where both would then sit on one row of a unique index (a person
        claims both, a posting asks for both in one role, a key role needs both), one
        row stays, field by field:

        - a claim keeps the higher level, the sum of both evidence counts (each counts
          endorsed work), the stronger source (certified over endorsed over self) and
          the later confirmation (so it is as fresh as the fresher of the two);
        - a posting's or key role's skill keeps the higher level;
        - an interest is kept once.

        Endorsements have no such index and all move. `source`'s name and aliases
        become aliases of `into`, so searches and saved searches still find it; its
        category and description go with it. A retired `into` is refused: what is
        merged into it would no longer be offered."""
        me = self._allowed(policy.may_manage_taxonomy)

        def body() -> int:
            first, second = _skill(source), _skill(into, "into")
            if first.id == second.id:
                raise ValidationError({"into": f"{first.name} cannot be merged into itself"})
            if second.retired:
                raise ValidationError({"into": f"{second.name} is retired; unretire it first or merge into another"})
            for pk in sorted((first.id, second.id)):  # one lock order for every merge
                self._lock(M.Skill, pk, "skill")
            before = _usages([first])[0]
            combined = {"claims": self._merge_claims(first.id, second.id),
                        "interests": self._merge_rows(M.Interest, M.Interest.employee, first.id, second.id),
                        "posting skills": self._merge_rows(M.OpportunitySkill, (M.OpportunitySkill.opportunity,
                                                                                 M.OpportunitySkill.role),
                                                           first.id, second.id),
                        "key-role skills": self._merge_rows(M.KeyRoleSkill, M.KeyRoleSkill.key_role,
                                                            first.id, second.id)}
            M.Endorsement.update(skill=second.id).where(M.Endorsement.skill == first.id).execute()
            aliases = _aliases_of(first.id)
            M.SkillAlias.delete().where(M.SkillAlias.skill == first.id).execute()
            M.Skill.delete().where(M.Skill.id == first.id).execute()
            for alias in (first.name, *aliases):
                _add_alias(second.id, alias, second.name)
            self._audit(me, "merge_skills", "skill", second.id,
                        old={"name": first.name, "aliases": aliases, "retired": first.retired},
                        new={"into": second.name, "aliases": _aliases_of(second.id)},
                        moved={one: n for one, _, n in before.counts() if n and one != "saved search"},
                        combined={k: n for k, n in combined.items() if n})
            taxonomy_changed()
            return second.id

        return _usages([M.Skill.get_by_id(self._tx(body))])[0]

    @staticmethod
    def _merge_claims(first: int, second: int) -> int:
        """Move the claims of skill `first` to `second`; a person holding both keeps
        one claim, combined as `merge_skills` says. Returns how many were combined."""
        both = list(M.EmployeeSkill.select().where(
            M.EmployeeSkill.skill == first,
            M.EmployeeSkill.employee.in_(M.EmployeeSkill.select(M.EmployeeSkill.employee)
                                         .where(M.EmployeeSkill.skill == second))))
        for gone in both:
            kept = M.EmployeeSkill.get(M.EmployeeSkill.employee == gone.employee_id, M.EmployeeSkill.skill == second)
            source = max(kept.source, gone.source, key=lambda s: SOURCE_STRENGTH.get(s, 0))
            M.EmployeeSkill.update(level=max(kept.level, gone.level), source=source,
                                   evidence_count=kept.evidence_count + gone.evidence_count,
                                   confirmed_at=max(kept.confirmed_at, gone.confirmed_at)).where(
                M.EmployeeSkill.id == kept.id).execute()
        M.EmployeeSkill.delete().where(M.EmployeeSkill.id.in_([c.id for c in both])).execute()
        M.EmployeeSkill.update(skill=second).where(M.EmployeeSkill.skill == first).execute()
        return len(both)

    @staticmethod
    def _merge_rows(model, owner, first: int, second: int) -> int:
        """Move `model`'s rows of skill `first` to `second`; where the owner (a field,
        or a tuple of fields, that with the skill is unique) already has `second`, the
        row kept takes the higher level of the two. Returns how many were combined."""
        fields = owner if isinstance(owner, tuple) else (owner,)

        def key(row) -> tuple:
            return tuple(getattr(row, f.column_name) for f in fields)

        kept = {key(row): row for row in model.select().where(model.skill == second)}
        combined = [row for row in model.select().where(model.skill == first) if key(row) in kept]
        for gone in combined:
            other = kept[key(gone)]
            if getattr(gone, "level", None) is not None and gone.level > other.level:
                model.update(level=gone.level).where(model.id == other.id).execute()
        model.delete().where(model.id.in_([row.id for row in combined])).execute()
        model.update(skill=second).where(model.skill == first).execute()
        return len(combined)
