"""Words for search: cutting text into normalised words, a light stem, and the
vocabulary a query word is expanded against (itself, its completions, and words a
small edit away). Pure Python: no database, no UI."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

from rapidfuzz import fuzz, process

# A word is a run of letters or digits; a trailing "+" or "#" stays (C++, C#, F#).
_WORD = re.compile(r"[^\W_]+[+#]*")
_VOWELS = frozenset("aeiouy")
_SUFFIXES = (
    ("isation", "ize"), ("ization", "ize"), ("ational", "ate"), ("ation", "ate"),
    ("ment", ""), ("ing", ""), ("ed", ""),
)
# Too common to tell opportunities apart; dropped unless a text has nothing else.
STOPWORDS = frozenset(
    "a an and are as at be by for from in into is of on or our the this that to we will with you your".split()
)

FUZZY_CUTOFF = 80  # rapidfuzz ratio for words of five letters or more: about one typo
FUZZY_CUTOFF_SHORT = 85  # four-letter words: one letter dropped or added, no swaps
FUZZY_MIN_LEN = 4  # shorter words ("js", "sql") are too close to everything
FUZZY_WORDS = 8  # near words kept per query word


def normalise(text: str) -> str:
    """Lower-case `text` and drop accents, so "Résumé" and "resume" are one word."""
    text = text.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text


def words(text: str) -> list[str]:
    """The words of `text`, normalised, in order; punctuation only separates them."""
    return _WORD.findall(normalise(text))


def stem(word: str) -> str:
    """A light stem: plural and common suffixes off ("testing" -> "test",
    "automation" and "automated" -> "automat"). Only needs to be consistent, not
    linguistically right, because queries and texts go through the same function."""
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, replacement in _SUFFIXES:
        if not w.endswith(suffix):
            continue
        root = w[: -len(suffix)]
        # "speed" and "string" are not "spe" + "ed" or "str" + "ing".
        if len(root) < 3 or not _VOWELS.intersection(root) or (suffix == "ed" and root.endswith("e")):
            break
        w = root + replacement
        if not replacement and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]  # planning -> plann -> plan
        break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def content_words(ws: list[str]) -> list[str]:
    """The words that tell texts apart; all of them when a text has nothing else."""
    kept = [w for w in ws if w not in STOPWORDS]
    return kept or ws


class Vocabulary:
    """Distinct words in sorted order, for prefix ranges (bisect) and fuzzy matching
    (rapidfuzz over the list). Changes are merged in lazily, at the next query."""

    def __init__(self) -> None:
        self.sorted: list[str] = []
        self._pending: dict[str, bool] = {}  # word -> present; the last change wins

    def add(self, word: str) -> None:
        self._pending[word] = True

    def remove(self, word: str) -> None:
        self._pending[word] = False

    def ready(self) -> list[str]:
        if self._pending:
            gone = {w for w, present in self._pending.items() if not present}
            added = [w for w, present in self._pending.items() if present]
            if gone:
                self.sorted = [w for w in self.sorted if w not in gone]
            if len(added) < 64:
                for w in added:
                    i = bisect_left(self.sorted, w)
                    if i == len(self.sorted) or self.sorted[i] != w:
                        self.sorted.insert(i, w)
            else:
                self.sorted = sorted(set(self.sorted).union(added))
            self._pending.clear()
        return self.sorted


def near_words(word: str, vocab: list[str], prefix_min_len: int) -> tuple[dict[str, float], list[str]]:
    """Words of `vocab` close to `word`: itself (1.0), near spellings (ratio / 100),
    and separately the words it is a prefix of."""
    near: dict[str, float] = {}
    lo = bisect_left(vocab, word)
    if lo < len(vocab) and vocab[lo] == word:
        near[word] = 1.0
    completions: list[str] = []
    if len(word) >= prefix_min_len:
        hi = bisect_left(vocab, word + "\U0010ffff", lo)
        completions = vocab[lo:hi]
    if len(word) >= FUZZY_MIN_LEN:
        cutoff = FUZZY_CUTOFF_SHORT if len(word) == FUZZY_MIN_LEN else FUZZY_CUTOFF
        for w, ratio, _ in process.extract(
            word, vocab, scorer=fuzz.ratio, processor=None, limit=FUZZY_WORDS, score_cutoff=cutoff
        ):
            near[w] = max(near.get(w, 0.0), ratio / 100)
    return near, completions
