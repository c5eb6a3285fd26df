"""Finding catalog modules by what a consultant types: fuzzy, across names, summaries and the needs each module answers,
in the reader's language and in English.

Each word of the query is matched to the closest word of a text — exactly, as the start of a word ("park" finds
"parking"), or within RapidFuzz's edit ratio ("flod" finds "flood") — and a text scores the mean over the query's
words, so every word counts and order, hyphens and extra words do not. A module's score is the best of its name, the
names of the needs it answers substantially (relevance 2 or more, a little lower), its summary (lower again) and its
id and standards, in the reader's language and in English. Scores are 0–100; a module below ``THRESHOLD`` is not a
match. An empty query matches everything at 100, in the given order.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from app.core.models import Catalog, Module

THRESHOLD = 70.0
NEED_WEIGHT = 0.9  # a need's name is nearly as telling as the module's own name
SUMMARY_WEIGHT = 0.8  # summaries share many common words: a partial match there counts less
SHORTEST_PARTIAL = 3  # a query word shorter than this matches only a whole word; from this length also a word's start
WORD_CUTOFF = 80.0  # a query word longer than SHORTEST_PARTIAL matches a word at least this similar (one typo in five letters)


@dataclass(frozen=True)
class Match:
    module_id: str
    score: float  # 0–100


def _texts(module: Module, catalog: Catalog, lang: str) -> tuple[list[str], list[str], list[str], list[str]]:
    langs = dict.fromkeys((lang, "en"))
    names = [module.name.get(code) for code in langs]
    needs = [catalog.needs[link.need].name.get(code) for link in module.needs if link.relevance >= 2 and link.need in catalog.needs
             for code in langs]
    summaries = [module.summary.get(code) for code in langs]
    codes = [module.id.replace("-", " "), *module.standards]
    return names, needs, summaries, codes


def _word(q: str, words: list[str]) -> float:
    """How well one query word matches the best word of a text: exact or a prefix of 3+ letters is 100, else the edit
    ratio when it is at least ``WORD_CUTOFF`` (short words must match exactly or as a prefix)."""
    best = 0.0
    for w in words:
        if w == q or (len(q) >= SHORTEST_PARTIAL and w.startswith(q)):
            return 100.0
        if len(q) > SHORTEST_PARTIAL:
            ratio = fuzz.ratio(q, w)
            if ratio >= WORD_CUTOFF:
                best = max(best, ratio)
    return best


def _best(words: list[str], texts: list[str]) -> float:
    """The best text's score: the mean over the query's words of each word's best match in that text."""
    best = 0.0
    for text in texts:
        tokens = default_process(text).split()
        best = max(best, sum(_word(q, tokens) for q in words) / len(words))
    return best


def score(module: Module, catalog: Catalog, query: str, lang: str) -> float:
    """How well ``module`` matches ``query`` (0–100)."""
    words = default_process(query).split()
    if not words:
        return 100.0
    names, needs, summaries, codes = _texts(module, catalog, lang)
    return max(_best(words, names), NEED_WEIGHT * _best(words, needs), SUMMARY_WEIGHT * _best(words, summaries), _best(words, codes))


def search(catalog: Catalog, query: str, lang: str, modules: list[str] | None = None) -> list[Match]:
    """The modules (all, or those in ``modules``) that match ``query``, best first; ties keep the given order."""
    candidates = list(catalog.modules) if modules is None else modules
    scored = [Match(module_id=m, score=round(score(catalog.modules[m], catalog, query, lang), 1)) for m in candidates]
    order = {m: i for i, m in enumerate(candidates)}
    return sorted((s for s in scored if s.score >= THRESHOLD), key=lambda s: (-s.score, order[s.module_id]))
