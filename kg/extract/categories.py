"""Canonical issue categories for problems (SKOS scheme ontology/categories.ttl).

The keywords and their weights live in ``kg/data/categories.json``, the one
source this module reads; the scheme's ids and labels must agree with
``ontology/categories.ttl`` (tests/test_categories.py checks both).

A text scores, per category, the weights of the category's keywords times
how often each occurs (at most MAX_REPEATS times, so one word repeated down a
long sentence cannot outweigh everything else). A keyword counts only where it
covers whole jieba tokens: a one-token keyword (党费, 意识形态) must be a token of
the text and a longer phrase (违规接待, 理论学习中心组) a run of tokens, so a
keyword inside an unrelated compound does not fire. Within a category a keyword
found inside a longer keyword that was also found (八项规定 in 中央八项规定) is not
counted again, so a weight means what it says: 4 names the category outright
(三重一大), 3 a term that belongs to it alone, 2 a strong hint, 1 a weak one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from kg.errors import KgError
from kg.extract.words import tokenise
from kg.model import Problem

# How much each part of a problem counts: its own label says most about it, the
# 类 heading it sits under next, its statement least (it often strays into
# examples). Measures are never scored: they say what was done, not what was wrong.
LABEL_WEIGHT = 3
GROUP_WEIGHT = 2
STATEMENT_WEIGHT = 1
# The statement's opening is where the problem is stated; later text is examples.
STATEMENT_CHARS = 200
# Secondary categories must score at least this fraction of the best one, so a
# stray weak keyword does not tag a problem that is plainly about one thing.
SECONDARY_FRACTION = 0.5
MAX_CATEGORIES = 3
# A topic named three times is named; more repeats add nothing.
MAX_REPEATS = 3

# Text removed before scoring: the notices wrap labels in “” ‘’ "" and write
# “三会一课“ with mismatched quotes, which would break phrases apart.
_QUOTES = re.compile(r"[\s\"'“”‘’「」『』〝〞]+")
# Boilerplate of headings that says nothing about the problem:
# 针对“…”问题的整改进展情况, 关于…等问题的整改情况.
_BOILERPLATE = re.compile(r"(等)?问题(的)?整改(进展|落实|完成)?情况")

_DATA = resources.files("kg").joinpath("data")


@dataclass(frozen=True, slots=True)
class Category:
    id: str  # the concept's skos:notation: theory-study
    label_zh: str  # skos:prefLabel@zh: 理论学习
    label_en: str  # skos:prefLabel@en: Theoretical study


@dataclass(frozen=True, slots=True)
class _Keyword:
    term: str
    weight: int
    category: int  # index into _Lexicon.categories
    shadowed_by: tuple[str, ...]  # longer keywords of the same category containing it


@dataclass(frozen=True, slots=True)
class _Lexicon:
    categories: tuple[Category, ...]
    catch_all: str  # the id returned when no keyword is found at all
    keywords: tuple[_Keyword, ...]
    # term → indexes into `keywords` (a term can be a keyword of several
    # categories), and the longest term's length: a text is matched by looking
    # up its runs of tokens, not by searching it for every keyword.
    by_term: dict[str, tuple[int, ...]]
    longest: int


def categories() -> tuple[Category, ...]:
    """The categories of the scheme, in the lexicon's order (the catch-all last)."""
    return _lexicon().categories


def classify_problem(problem: Problem) -> tuple[str, ...]:
    """Category ids for `problem`, best first; never empty.

    Scores the label, the group heading and the opening of the statement (the
    problem's own text before its first measure or result), weighted as above.
    """
    scores = _score([(problem.label.text, LABEL_WEIGHT)])
    if problem.group is not None:
        # Every problem of a group (类) shares its heading: scored once.
        for index, score in enumerate(_group_scores(problem.group.text)):
            scores[index] += score
    statement = _statement(problem)
    if statement:
        for index, score in enumerate(_score([(statement, STATEMENT_WEIGHT)])):
            scores[index] += score
    return _rank(scores)


@lru_cache(maxsize=64)
def _group_scores(heading: str) -> tuple[float, ...]:
    return tuple(_score([(heading, GROUP_WEIGHT)]))


def classify_text(text: str) -> tuple[str, ...]:
    """Category ids for a free text (a heading, a sentence), best first; never empty."""
    return _rank(_score([(text, 1)]))


def _statement(problem: Problem) -> str:
    """The problem's own text after its label, before its measures and result."""
    statement = problem.statement
    if statement is None:
        return ""
    offset = max(problem.label.end - statement.start, 0)
    return statement.text[offset : offset + STATEMENT_CHARS]


def _score(parts: Iterable[tuple[str, int]]) -> list[float]:
    lexicon = _lexicon()
    scores = [0.0] * len(lexicon.categories)
    for text, weight in parts:
        for keyword, count in _found(_normalise(text), lexicon):
            scores[keyword.category] += weight * keyword.weight * count
    return scores


def _rank(scores: list[float]) -> tuple[str, ...]:
    lexicon = _lexicon()
    top = max(scores)
    if top <= 0:
        return (lexicon.catch_all,)
    # Stable sort: ties keep the lexicon's order, so the output is deterministic.
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return tuple(
        lexicon.categories[i].id
        for i in order[:MAX_CATEGORIES]
        if scores[i] >= SECONDARY_FRACTION * top
    )


def _normalise(text: str) -> str:
    # NFKC unifies full- and half-width forms: （一） and (一), ，and ,
    text = unicodedata.normalize("NFKC", text)
    return _BOILERPLATE.sub("", _QUOTES.sub("", text))


def _found(text: str, lexicon: _Lexicon) -> list[tuple[_Keyword, int]]:
    """The keywords found in `text` on token boundaries, minus shadowed ones,
    with their number of occurrences (capped at MAX_REPEATS)."""
    if not text:
        return []
    boundaries = [0]
    for token in tokenise(text):
        boundaries.append(boundaries[-1] + len(token))
    # Every run of whole tokens no longer than the longest keyword, looked up:
    # the same occurrences as searching the text for each of the ~400 keywords
    # and keeping those on token boundaries, at a fraction of the cost (the
    # search was a fifth of a worker's time on the benchmark corpus).
    counts: dict[int, int] = {}
    by_term, longest = lexicon.by_term, lexicon.longest
    last = len(boundaries)
    for first, start in enumerate(boundaries):
        for after in range(first + 1, last):
            end = boundaries[after]
            if end - start > longest:
                break
            for index in by_term.get(text[start:end], ()):
                counts[index] = counts.get(index, 0) + 1
    found = [
        (lexicon.keywords[index], min(n, MAX_REPEATS))
        for index, n in sorted(counts.items())
    ]
    terms = {(k.category, k.term) for k, _ in found}
    return [
        (k, n)
        for k, n in found
        if not any((k.category, longer) in terms for longer in k.shadowed_by)
    ]


@cache
def _lexicon() -> _Lexicon:
    raw = json.loads(_DATA.joinpath("categories.json").read_text("utf-8"))
    cats: list[Category] = []
    keywords: list[_Keyword] = []
    for index, entry in enumerate(raw["categories"]):
        cats.append(Category(entry["id"], entry["zh"], entry["en"]))
        terms = {_normalise(t): int(w) for t, w in entry["keywords"].items()}
        for term, weight in terms.items():
            longer = tuple(t for t in terms if t != term and term in t)
            keywords.append(_Keyword(term, weight, index, longer))
    ids = {c.id for c in cats}
    if raw["catch_all"] not in ids:
        raise KgError(
            f"kg/data/categories.json: catch_all {raw['catch_all']!r} is not the id"
            " of a category (add the category or fix catch_all)"
        )
    by_term: dict[str, tuple[int, ...]] = {}
    for index, keyword in enumerate(keywords):
        if not keyword.term:
            raise KgError(
                f"kg/data/categories.json: an empty keyword in category"
                f" {cats[keyword.category].id} (a keyword must keep some text once"
                " quotes and spaces are removed)"
            )
        by_term[keyword.term] = (*by_term.get(keyword.term, ()), index)
    longest = max((len(k.term) for k in keywords), default=0)
    return _Lexicon(tuple(cats), raw["catch_all"], tuple(keywords), by_term, longest)
