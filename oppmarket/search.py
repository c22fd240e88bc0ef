"""Fuzzy search over skills (names and aliases) and opportunities.

One `SearchIndex` per process, built from the skills taxonomy and the opportunities and
kept fresh with `add_*`, `update_*` and `remove_*` as the data changes. Pure Python: no
database, no UI.

How a query is answered without scoring every row:

- Text is cut into words (case, accents and punctuation dropped; "C++" and "C#" keep
  their tails; `oppmarket.vocabulary`) and each word is reduced to a light stem, so "testing", "tests" and
  "tested" meet at "test", and "automation" and "automated" at "automat".
- Each query word is expanded against the *vocabulary* (the distinct words, tens of
  thousands, not the rows): its own stem, the words it is a prefix of, and words a
  small edit away (rapidfuzz `ratio` with a cutoff).
- A skill scores by how much of the query its name or alias covers, and how much of the
  name the query covers.
- Opportunities come from inverted lists (skill -> opportunities, stem -> titles,
  stem -> descriptions; compact integer arrays). Each query word earns its best match
  per opportunity (a skill beats a title, a title beats a description); the words'
  points add up and only the best `limit` are sorted. A word that reaches a large
  share of all opportunities keeps only its better matches.
- Skill matches are remembered per query words until the data changes, so typing
  "k8s migration p" one letter at a time re-ranks only the last word.

Punctuation and markup in a query are never interpreted: they only separate words, so
"[bold]" looks for the word "bold" and "%" or "*" look for nothing.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from oppmarket.domain import Opportunity, SkillInfo
from oppmarket.vocabulary import Vocabulary, content_words, near_words, normalise, stem, words

__all__ = ["OppDoc", "OppHit", "SearchIndex", "SkillHit", "normalise", "stem", "words"]

PREFIX_SIM = 0.9  # "kube" completing to "kubernetes": any completion is as likely as another
PREFIX_WORDS = 24  # completions kept per query word in titles and descriptions
OPP_PREFIX_MIN_LEN = 2  # one letter completes to half the vocabulary
QUERY_SHARE = 0.75  # a skill's score: share for covering the query, the rest for the name
SKILL_MIN_SCORE = 50.0  # below this a skill shares too little with the query to offer it
SKILL_HITS_PER_SPAN = 6  # skills a query word (or pair of words) may stand for
SKILL_MIN_FOR_OPPS = 70.0  # opportunity search only follows skills a word clearly names
MAX_QUERY_WORDS = 12
WORD_REACH = 20_000  # opportunities one query word may reach before weaker matches are cut
SKILL_MEMO_SIZE = 512  # skill matches remembered between keystrokes, until the data changes
MAX_QUERY_CHARS = 500  # a pasted paragraph is cut, not searched word by word
# Points per query word, in thousandths, so sums are exact integers and ties are real.
FIELD_POINTS = {"skill": 1000, "title": 900, "description": 600}


@dataclass(frozen=True)
class SkillHit:
    """A skill that matches a query: `matched` is the name or alias (as entered) that
    matched best; `score` is 0-100."""

    skill_id: int
    name: str
    matched: str
    score: float

    @property
    def via_alias(self) -> bool:
        """Whether an alias, not the canonical name, matched."""
        return self.matched != self.name

    @property
    def label(self) -> str:
        """"Kubernetes (alias k8s)" or just "Kubernetes"."""
        return f"{self.name} (alias {self.matched})" if self.via_alias else self.name


@dataclass(frozen=True)
class OppHit:
    """An opportunity that matches a query, with a 0-100 score and what matched, one
    entry per distinct reason in query order: "skill: Kubernetes (alias k8s)",
    "title", "description"."""

    opp_id: int
    score: float
    matched: tuple[str, ...]

    @property
    def why(self) -> str:
        """The reasons on one line: "skill: Kubernetes (alias k8s); title"."""
        return "; ".join(self.matched)


@dataclass(frozen=True)
class OppDoc:
    """The searchable part of an opportunity. `description` may carry any other body
    text (topics, certification); it is all matched as "description"."""

    id: int
    title: str
    description: str
    kind: str
    skill_ids: tuple[int, ...] = ()

    @classmethod
    def from_opportunity(cls, opp: Opportunity) -> OppDoc:
        """The searchable part of an `Opportunity` record."""
        body = "\n".join(part for part in (opp.description, opp.topics, opp.certification) if part)
        return cls(opp.id, opp.title, body, opp.kind, tuple(s.skill_id for s in opp.skills))


class _Form:
    """One way of writing a skill: its name, an alias, or a run-together spelling."""

    __slots__ = ("skill_id", "text", "is_alias", "words", "stems", "exact")

    def __init__(self, skill_id: int, text: str, is_alias: bool, ws: list[str], exact: str):
        self.skill_id = skill_id
        self.text = text
        self.is_alias = is_alias
        self.words = tuple(dict.fromkeys(content_words(ws)))
        self.stems = tuple(dict.fromkeys(stem(w) for w in self.words))
        self.exact = exact


class SearchIndex:
    """In-memory index over skills and opportunities. Thread-safe: queries and updates
    take one lock, so a search worker and an update from another worker never race."""

    def __init__(self, skills: Iterable[SkillInfo] = (), opportunities: Iterable[Opportunity | OppDoc] = ()):
        self._lock = threading.RLock()
        # skills
        self._skills: dict[int, SkillInfo] = {}
        self._forms_of: dict[int, list[_Form]] = {}
        self._forms_by_stem: dict[str, list[_Form]] = {}
        self._skill_word_refs: dict[str, int] = {}
        self._skill_word_stem: dict[str, str] = {}
        self._skill_vocab = Vocabulary()
        # opportunities: stems get small integer ids so per-opportunity records are compact
        self._term_ids: dict[str, int] = {}
        self._next_term = 0
        self._opp_word_term: dict[str, int] = {}
        self._term_words: dict[int, list[str]] = {}  # to forget a stem's words with it
        self._opp_vocab = Vocabulary()
        self._title_post: dict[int, array] = {}
        self._desc_post: dict[int, array] = {}
        self._skill_post: dict[int, array] = {}
        self._kinds: dict[str, set[int]] = {}
        # Per opportunity: title stems as 2*t+1, description stems as 2*t, skills as
        # -(id+1); enough to take it out of every list again.
        self._opps: dict[int, array] = {}
        # Skill matches per query words: typing "k8s migration p" re-ranks only "p".
        self._skill_memo: dict[tuple, list[SkillHit]] = {}
        for skill in skills:
            if skill.id in self._skills:
                self._unindex_skill(skill.id)
            self._index_skill(skill)
        for opp in opportunities:
            doc = opp if isinstance(opp, OppDoc) else OppDoc.from_opportunity(opp)
            if doc.id in self._opps:
                self._unindex_opp(doc.id)
            self._index_opp(doc)

    # ------------------------------------------------------------------ upkeep

    @property
    def skill_count(self) -> int:
        """How many skills are indexed."""
        return len(self._skills)

    @property
    def opportunity_count(self) -> int:
        """How many opportunities are indexed."""
        return len(self._opps)

    def clear_cache(self) -> None:
        """Forget remembered skill matches (they are also dropped on every change)."""
        with self._lock:
            self._skill_memo.clear()

    def add_skill(self, skill: SkillInfo) -> None:
        """Index a skill, replacing what was indexed under its id."""
        with self._lock:
            self._skill_memo.clear()
            if skill.id in self._skills:
                self._unindex_skill(skill.id)
            self._index_skill(skill)

    update_skill = add_skill

    def remove_skill(self, skill_id: int) -> None:
        """Forget a skill; opportunities that list it are no longer found through it."""
        with self._lock:
            self._skill_memo.clear()
            if skill_id in self._skills:
                self._unindex_skill(skill_id)

    def add_opportunity(self, opp: Opportunity | OppDoc) -> None:
        """Index an opportunity, replacing what was indexed under its id."""
        doc = opp if isinstance(opp, OppDoc) else OppDoc.from_opportunity(opp)
        with self._lock:
            self._skill_memo.clear()  # demand (the tie-break) may have changed
            if doc.id in self._opps:
                self._unindex_opp(doc.id)
            self._index_opp(doc)

    update_opportunity = add_opportunity

    def remove_opportunity(self, opp_id: int) -> None:
        """Forget an opportunity (closed, cancelled, deleted)."""
        with self._lock:
            self._skill_memo.clear()
            if opp_id in self._opps:
                self._unindex_opp(opp_id)

    def _index_skill(self, skill: SkillInfo) -> None:
        forms: list[_Form] = []
        seen: set[tuple[str, ...]] = set()
        for text, is_alias in [(skill.name, False)] + [(a, True) for a in skill.aliases]:
            ws = words(text)
            if not ws:
                continue
            # "Node.js" is also written "nodejs", "CI/CD" "cicd": one word per chunk.
            joined = ["".join(words(chunk)) for chunk in text.split()]
            joined = [w for w in joined if w]
            for variant in (ws, joined):
                key = tuple(variant)
                if key in seen:
                    continue
                seen.add(key)
                forms.append(_Form(skill.id, text, is_alias, variant, " ".join(ws)))
        self._skills[skill.id] = skill
        self._forms_of[skill.id] = forms
        for form in forms:
            for s in form.stems:
                self._forms_by_stem.setdefault(s, []).append(form)
            for w in form.words:
                refs = self._skill_word_refs.get(w, 0)
                if not refs:
                    self._skill_vocab.add(w)
                    self._skill_word_stem[w] = stem(w)
                self._skill_word_refs[w] = refs + 1

    def _unindex_skill(self, skill_id: int) -> None:
        del self._skills[skill_id]
        for form in self._forms_of.pop(skill_id):
            for s in form.stems:
                bucket = self._forms_by_stem[s]
                bucket.remove(form)
                if not bucket:
                    del self._forms_by_stem[s]
            for w in form.words:
                refs = self._skill_word_refs[w] - 1
                if refs:
                    self._skill_word_refs[w] = refs
                else:
                    del self._skill_word_refs[w]
                    del self._skill_word_stem[w]
                    self._skill_vocab.remove(w)

    def _terms(self, text: str) -> dict[int, None]:
        """The term ids of `text`'s words, in order, each once (new words join the
        vocabulary)."""
        term_of = self._opp_word_term
        terms: dict[int, None] = {}
        for w in content_words(words(text)):
            tid = term_of.get(w)
            if tid is None:
                s = stem(w)
                tid = self._term_ids.get(s)
                if tid is None:
                    tid = self._term_ids[s] = self._next_term
                    self._next_term += 1
                    self._term_words[tid] = []
                term_of[w] = tid
                self._term_words[tid].append(w)
                self._opp_vocab.add(w)
            terms[tid] = None
        return terms

    def _index_opp(self, doc: OppDoc) -> None:
        oid = doc.id
        title = self._terms(doc.title)
        codes = []
        for lists, keys, code in (
            (self._title_post, title, lambda t: 2 * t + 1),
            (self._desc_post, [t for t in self._terms(doc.description) if t not in title], lambda t: 2 * t),
            (self._skill_post, dict.fromkeys(doc.skill_ids), lambda sid: -(sid + 1)),
        ):
            for key in keys:
                postings = lists.get(key)
                if postings is None:
                    lists[key] = array("i", (oid,))
                else:
                    postings.append(oid)
                codes.append(code(key))
        self._opps[oid] = array("i", codes)
        self._kinds.setdefault(doc.kind, set()).add(oid)

    def _unindex_opp(self, oid: int) -> None:
        for code in self._opps.pop(oid):
            if code < 0:
                lists, key = self._skill_post, -code - 1
            else:
                lists, key = (self._title_post if code & 1 else self._desc_post), code >> 1
            postings = lists[key]
            postings.remove(oid)
            if not postings:
                del lists[key]
                if code >= 0 and key not in self._title_post and key not in self._desc_post:
                    self._forget_term(key)
        for members in self._kinds.values():
            members.discard(oid)

    def _forget_term(self, tid: int) -> None:
        """Drop a stem no opportunity uses any more, so its words stop being offered
        as completions or near spellings."""
        words_of_term = self._term_words.pop(tid)
        del self._term_ids[stem(words_of_term[0])]
        for w in words_of_term:
            del self._opp_word_term[w]
            self._opp_vocab.remove(w)

    # ------------------------------------------------------------------ queries

    def search_skills(self, query: str, limit: int = 10) -> list[SkillHit]:
        """Skills whose name or an alias matches `query`, best first.

        Exact names and aliases score 100; the same words in another order or
        inflection 98 ("testing automation" -> Automated Testing); a completed prefix
        90 ("kube" -> Kubernetes); a typo its rapidfuzz ratio ("postgress" ->
        PostgreSQL through its alias "postgres"). A name with words the query lacks
        loses part of the score. Ties go to the skill more opportunities ask for,
        then the shorter name, then the name, then the id.
        """
        ws = list(dict.fromkeys(words(query[:MAX_QUERY_CHARS])))[:MAX_QUERY_WORDS]
        if not ws or limit <= 0:
            return []
        with self._lock:
            vocab = self._skill_vocab.ready()
            return self._rank_skills(ws, vocab, {}, limit, SKILL_MIN_SCORE)

    def search_opportunities(self, query: str, limit: int = 50, kind: str | None = None) -> list[OppHit]:
        """Opportunities matching `query`, best first, ties by id.

        Each query word earns, per opportunity, its best match: a listed skill it
        names (through `search_skills`, so aliases and typos work; pairs of words are
        tried too, for "machine learning"), else a title word, else a description
        word, each worth less in that order. The score is the words' average, 0-100.
        """
        ws = list(dict.fromkeys(words(query[:MAX_QUERY_CHARS])))
        content = content_words(ws)[:MAX_QUERY_WORDS]
        if not content or limit <= 0:
            return []
        with self._lock:
            allowed: set[int] | None = None
            if kind is not None:
                allowed = self._kinds.get(kind)
                if not allowed:
                    return []
            skill_vocab = self._skill_vocab.ready()
            opp_vocab = self._opp_vocab.ready()
            word_tiers = [
                self._tiers(skills, self._opp_expansion(w, opp_vocab), allowed)
                for w, skills in zip(content, self._skills_per_word(content, skill_vocab))
            ]
            hits = []
            for oid, points in _best(word_tiers, limit):
                reasons: list[str] = []
                for tiers in word_tiers:
                    for _, reason, ids in tiers:
                        if oid in ids:
                            if reason not in reasons:
                                reasons.append(reason)
                            break
                hits.append(OppHit(oid, round(points / (10 * len(content)), 1), tuple(reasons)))
            return hits

    def _skill_expansion(self, word: str, vocab: list[str], cache: dict) -> dict[str, float]:
        """Skill stems `word` may stand for, with how closely (1.0 = same stem)."""
        exp = cache.get(word)
        if exp is None:
            near, completions = near_words(word, vocab, 1)
            stem_of = self._skill_word_stem
            exp = dict.fromkeys({stem_of[w] for w in completions}, PREFIX_SIM)
            for w, sim in near.items():
                s = stem_of[w]
                if sim > exp.get(s, 0.0):
                    exp[s] = sim
            s = stem(word)
            if s in self._forms_by_stem:
                exp[s] = 1.0
            cache[word] = exp
        return exp

    def _rank_skills(
        self, ws: list[str], vocab: list[str], cache: dict, limit: int, min_score: float, every_word: bool = False
    ) -> list[SkillHit]:
        """Score every skill form the words reach; keep each skill's best form, and the
        best `limit` skills. With `every_word`, only forms all words reach count (a
        pair of query words looking for a two-word skill)."""
        memo_key = (tuple(ws), limit, min_score, every_word)
        hits = self._skill_memo.get(memo_key)
        if hits is not None:
            return hits
        exps = [self._skill_expansion(w, vocab, cache) for w in content_words(ws)]
        joined = " ".join(ws)
        by_stem = self._forms_by_stem
        forms: dict[int, _Form] = {}
        for n, exp in enumerate(exps):
            reached: dict[int, _Form] = {}
            for s in exp:
                for form in by_stem.get(s, ()):
                    reached[id(form)] = form
            if not every_word:
                forms.update(reached)
            elif n == 0:
                forms = reached
            else:
                forms = {key: form for key, form in forms.items() if key in reached}
        m = len(exps)
        query_share = QUERY_SHARE / m
        best: dict[int, tuple[float, bool, int, _Form]] = {}
        for form in forms.values():
            stems = form.stems
            if m == 1:
                if len(stems) == 1:
                    score = 100 * exps[0][stems[0]]
                else:
                    sims = [exps[0].get(s, 0.0) for s in stems]
                    score = 100 * (QUERY_SHARE * max(sims) + (1 - QUERY_SHARE) * sum(sims) / len(stems))
            else:
                covered_query = sum(max([e.get(s, 0.0) for s in stems]) for e in exps)
                covered_name = sum(max([e.get(s, 0.0) for e in exps]) for s in stems)
                score = 100 * (query_share * covered_query + (1 - QUERY_SHARE) * covered_name / len(stems))
            if score > 98.0 and form.exact != joined:
                score = 98.0
            score = round(score, 1)
            if score < min_score:
                continue
            # The canonical name wins a tie with an alias, then the shorter spelling.
            prev = best.get(form.skill_id)
            if prev is None or (score, not form.is_alias, -len(form.text)) > prev[:3] or (
                (score, not form.is_alias, -len(form.text)) == prev[:3] and form.text < prev[3].text
            ):
                best[form.skill_id] = (score, not form.is_alias, -len(form.text), form)
        ranked = list(best.values())
        if len(ranked) > limit:
            kth = heapq.nlargest(limit, [entry[0] for entry in ranked])[-1]
            ranked = [entry for entry in ranked if entry[0] >= kth]
        demand, skills = self._skill_post, self._skills
        ranked.sort(
            key=lambda e: (
                -e[0],
                -len(demand.get(e[3].skill_id, ())),
                len(skills[e[3].skill_id].name),
                skills[e[3].skill_id].name.casefold(),
                e[3].skill_id,
            )
        )
        hits = [SkillHit(e[3].skill_id, skills[e[3].skill_id].name, e[3].text, e[0]) for e in ranked[:limit]]
        if len(self._skill_memo) >= SKILL_MEMO_SIZE:
            self._skill_memo.clear()
        self._skill_memo[memo_key] = hits
        return hits

    def _skills_per_word(self, content: list[str], vocab: list[str]) -> list[dict[int, SkillHit]]:
        """For each query word, the skills it may name: alone, or with a neighbour."""
        cache: dict = {}
        per_word: list[dict[int, SkillHit]] = [{} for _ in content]
        spans = [(i,) for i in range(len(content))] + [(i, i + 1) for i in range(len(content) - 1)]
        for span in spans:
            span_words = [content[i] for i in span]
            hits = self._rank_skills(
                span_words, vocab, cache, SKILL_HITS_PER_SPAN, SKILL_MIN_FOR_OPPS, every_word=len(span) > 1
            )
            for i in span:
                for hit in hits:
                    prev = per_word[i].get(hit.skill_id)
                    if prev is None or hit.score > prev.score:
                        per_word[i][hit.skill_id] = hit
        return per_word

    def _opp_expansion(self, word: str, vocab: list[str]) -> dict[int, float]:
        """Title and description stems (term ids) `word` may stand for."""
        near, completions = near_words(word, vocab, OPP_PREFIX_MIN_LEN)
        term_of = self._opp_word_term
        if len(completions) > PREFIX_WORDS:
            # Keep the completions most opportunities use: the likeliest meant.
            completions = heapq.nsmallest(PREFIX_WORDS, completions, key=lambda w: (-self._df(term_of[w]), w))
        exp = dict.fromkeys({term_of[w] for w in completions}, PREFIX_SIM)
        for w, sim in near.items():
            t = term_of[w]
            if sim > exp.get(t, 0.0):
                exp[t] = sim
        t = self._term_ids.get(stem(word))
        if t is not None:
            exp[t] = 1.0
        return exp

    def _df(self, term: int) -> int:
        return len(self._title_post.get(term, ())) + len(self._desc_post.get(term, ()))

    def _tiers(
        self, skills: dict[int, SkillHit], terms: dict[int, float], allowed: set[int] | None
    ) -> list[tuple[int, str, set[int]]]:
        """One query word's matches as disjoint tiers (points, reason, opportunity ids),
        best first: each opportunity sits in the tier of its best match only."""
        sources: list[tuple[int, int, str, array]] = []
        for hit in skills.values():
            postings = self._skill_post.get(hit.skill_id)
            if postings:
                sources.append((round(FIELD_POINTS["skill"] * hit.score / 100), 0, "skill: " + hit.label, postings))
        for term, sim in terms.items():
            postings = self._title_post.get(term)
            if postings:
                sources.append((round(FIELD_POINTS["title"] * sim), 1, "title", postings))
            postings = self._desc_post.get(term)
            if postings:
                sources.append((round(FIELD_POINTS["description"] * sim), 2, "description", postings))
        sources.sort(key=lambda src: (-src[0], src[1], src[2]))
        seen: set[int] = set()
        tiers: list[tuple[int, str, set[int]]] = []
        for points, _, reason, postings in sources:
            # A word that already reaches this many opportunities refines the ranking
            # through its better matches; its weakest ones would only add noise and time.
            weaker = bool(tiers) and points < tiers[-1][0]
            if weaker and allowed is None and len(seen) + len(postings) > WORD_REACH:
                break
            ids = allowed.intersection(postings) if allowed is not None else set(postings)
            ids -= seen
            if weaker and len(seen) + len(ids) > WORD_REACH:
                break
            if ids:
                seen |= ids
                tiers.append((points, reason, ids))
        return tiers


def _best(word_tiers: list[list[tuple[int, str, set[int]]]], limit: int) -> list[tuple[int, int]]:
    """The best `limit` (opportunity id, points) over all query words, ties by id.

    Only opportunities that more than one word reaches need their points added up one
    by one; every other one scores exactly its single tier, so whole tiers are ranked
    as groups with set operations.
    """
    several: set[int] = set()
    if len(word_tiers) > 1:
        reached = [set().union(*(ids for _, _, ids in tiers)) for tiers in word_tiers]
        for i, first in enumerate(reached):
            for second in reached[i + 1 :]:
                several |= first & second
    totals = dict.fromkeys(several, 0)
    groups: dict[int, set[int]] = {}
    for tiers in word_tiers:
        for points, _, ids in tiers:
            if several:
                shared = ids & several
                for oid in shared:
                    totals[oid] += points
                ids = ids - shared
            if ids:
                group = groups.get(points)
                if group is None:
                    groups[points] = ids
                else:
                    groups[points] = group | ids
    # The points of the limit-th opportunity: whatever scores less cannot be shown.
    counts = Counter(totals.values())
    for points, ids in groups.items():
        counts[points] += len(ids)
    if not counts:
        return []
    taken, kth = 0, min(counts)
    for points in sorted(counts, reverse=True):
        taken += counts[points]
        if taken >= limit:
            kth = points
            break
    chosen = [(oid, points) for oid, points in totals.items() if points >= kth]
    for points, ids in groups.items():
        if points >= kth:
            chosen += [(oid, points) for oid in (ids if len(ids) <= limit else heapq.nsmallest(limit, ids))]
    chosen.sort(key=lambda item: (-item[1], item[0]))
    return chosen[:limit]
