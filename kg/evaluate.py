"""Score `kg extract --format json` output against hand-checked gold files.

Gold files are `tests/gold/<id>.json`; their fields and conventions are set out
in `tests/gold/README.md`. The predicted side is the JSON contract
(docs/json.md).

Every field becomes a `FieldScore` of true positives, false positives and false
negatives, so per-notice scores add up (micro-average) across a corpus:
- scalar metadata and announced counts: exact match; null == null is a hit,
  a value where gold has null is a false positive, null where gold has a value
  a false negative, a wrong value both;
- regulation titles, aspects, persons and document numbers: multisets;
- per-item attributes (regulation kind, occurrences): accuracy over the items
  found on both sides, written as tp = right, fp = fn = wrong, so that
  precision = recall = accuracy.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import GoldError
from kg.model import CountKey

SCALAR_FIELDS = (
    "title",
    "publisher",
    "published",
    "inspected_org",
    "inspecting_body",
    "inspection_group",
    "inspection_start",
    "inspection_end",
    "feedback_date",
)
COUNT_KEYS = tuple(key.value for key in CountKey)
REGULATION_KINDS = frozenset({"law", "party_regulation", "normative_document", "other"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class FieldScore:
    field: str
    tp: int
    fp: int
    fn: int
    precision: float | None  # None when there was nothing to score (0/0)
    recall: float | None

    @classmethod
    def of(cls, field: str, tp: int, fp: int, fn: int) -> FieldScore:
        return cls(field, tp, fp, fn, _ratio(tp, tp + fp), _ratio(tp, tp + fn))

    @property
    def f1(self) -> float | None:
        # 2tp / (2tp + fp + fn) equals the harmonic mean of P and R where both
        # exist, and stays defined when one side is 0/0.
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


# --- label normalisation ---------------------------------------------------

# Heading markers of the genre (kg.model.HeadingStyle): 一、 (一) 1. 1、 (1) ①
# in full or half width; matched before NFKC, which would turn ① into a bare 1.
_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]"
    r"|[0-9０-９]+[.．、]|[(（][0-9０-９]+[)）]|[①-⑳])"
)
# Field labels some notices put before the heading text: 反馈问题: / 问题：
_LABEL_PREFIX = re.compile(r"^(?:反馈问题|问题):")
# sanmen-2023 writes aspects as 关于“X”问题的整改进展情况 and problems as
# 针对“X”问题的整改进展情况; dongjiaduan-2022 writes 关于“X”等问题的整改情况.
_WRAPPER = re.compile(
    r"^(?:关于|针对|对)[“\"'‘]?(?P<core>.+?)[”\"'’]?等?问题的?整改(?:进展|落实)?情况$"
)
_QUOTES = re.compile(r"[“”‘’\"'「」『』]")
_TRAILING = re.compile(r"[。.;,:!?、]+$")  # after NFKC: half width


def normalise_label(label: str) -> str:
    """The comparison key of an aspect label.

    Applied to gold and predicted labels alike, so an extractor may keep or
    drop the marker, a 反馈问题: prefix, the 关于“…”问题的整改进展情况 wrapper,
    quotes and closing punctuation without changing the score.
    """
    text = _MARKER.sub("", re.sub(r"\s+", "", label))
    text = unicodedata.normalize("NFKC", text)
    text = _LABEL_PREFIX.sub("", text)
    text = _TRAILING.sub("", text)
    match = _WRAPPER.match(text)
    if match:
        text = match.group("core")
    return _TRAILING.sub("", _QUOTES.sub("", text))


# --- scoring -----------------------------------------------------------------


def _score_scalar(field: str, gold: object, predicted: object) -> FieldScore:
    if gold == predicted:
        return FieldScore.of(field, 1, 0, 0)
    return FieldScore.of(
        field, 0, int(predicted is not None), int(gold is not None)
    )


def _score_multiset(
    field: str, gold: Iterable[Hashable], predicted: Iterable[Hashable]
) -> FieldScore:
    gold_counts, predicted_counts = Counter(gold), Counter(predicted)
    tp = sum((gold_counts & predicted_counts).values())
    return FieldScore.of(
        field,
        tp,
        sum(predicted_counts.values()) - tp,
        sum(gold_counts.values()) - tp,
    )


def _score_accuracy(field: str, right: int, wrong: int) -> FieldScore:
    return FieldScore.of(field, right, wrong, wrong)


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) else None


def evaluate(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> list[FieldScore]:
    """Scores of one predicted notice (the JSON contract) against its gold."""
    scores = [
        _score_scalar(name, gold.get(name), _text(predicted.get(name)))
        for name in SCALAR_FIELDS
    ]

    gold_counts = gold.get("announced_counts") or {}
    predicted_counts = predicted.get("announced_counts") or {}
    scores += [
        _score_scalar(f"counts.{key}", gold_counts.get(key), predicted_counts.get(key))
        for key in COUNT_KEYS
    ]

    scores += _score_aspects(gold.get("aspects") or [], predicted.get("aspects") or [],
                             gold.get("problems_total"))
    scores += _score_regulations(
        gold.get("regulations") or [], predicted.get("regulations") or []
    )
    scores += _score_persons(gold.get("persons") or [], predicted.get("persons") or [])
    scores.append(
        _score_multiset(
            "doc_numbers",
            gold.get("doc_numbers") or [],
            (_text(d.get("text")) or "" for d in predicted.get("doc_numbers") or []),
        )
    )
    return scores


def _score_aspects(
    gold_aspects: Sequence[Mapping[str, Any]],
    predicted_aspects: Sequence[Mapping[str, Any]],
    gold_total: object,
) -> list[FieldScore]:
    scores = []
    scores.append(
        _score_multiset(
            "aspects",
            (normalise_label(a["label"]) for a in gold_aspects),
            (normalise_label(a.get("label") or "") for a in predicted_aspects),
        )
    )
    # An aspect counts here only with both its label and its number of problems
    # right: the structure of the findings, not just their headings.
    scores.append(
        _score_multiset(
            "aspects.problems",
            ((normalise_label(a["label"]), a["problems"]) for a in gold_aspects),
            (
                (normalise_label(a.get("label") or ""), len(a.get("problems") or []))
                for a in predicted_aspects
            ),
        )
    )
    scores.append(
        _score_scalar(
            "problems_total",
            gold_total,
            sum(len(a.get("problems") or []) for a in predicted_aspects),
        )
    )
    return scores


def _score_persons(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> list[FieldScore]:
    gold_persons = {(p["name"], p["role"]) for p in gold}
    predicted_persons = {
        (_text(p.get("name")) or "", _text(p.get("role")) or "") for p in predicted
    }
    return [
        _score_multiset("persons", gold_persons, predicted_persons),
        _score_multiset(
            "persons.name",
            {name for name, _ in gold_persons},
            {name for name, _ in predicted_persons},
        ),
    ]


def _score_regulations(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> list[FieldScore]:
    gold_by_title = {r["title"]: r for r in gold}
    predicted_by_title: dict[str, Mapping[str, Any]] = {}
    for regulation in predicted:
        title = _text(regulation.get("title")) or ""
        # The contract promises one entry per distinct title; should an
        # extractor break it, the duplicate counts as a false positive below
        # rather than silently overwriting the first entry.
        predicted_by_title.setdefault(title, regulation)
    titles = _score_multiset(
        "regulations",
        list(gold_by_title),
        (_text(r.get("title")) or "" for r in predicted),
    )
    common = gold_by_title.keys() & predicted_by_title.keys()
    kind_right = sum(
        gold_by_title[t]["kind"] == predicted_by_title[t].get("kind") for t in common
    )
    occurrences_right = sum(
        gold_by_title[t]["occurrences"]
        == len(predicted_by_title[t].get("mentions") or [])
        for t in common
    )
    return [
        titles,
        _score_accuracy("regulations.kind", kind_right, len(common) - kind_right),
        _score_accuracy(
            "regulations.occurrences",
            occurrences_right,
            len(common) - occurrences_right,
        ),
    ]


def aggregate(scores: Iterable[Sequence[FieldScore]]) -> list[FieldScore]:
    """Micro-average: the counts of each field summed over notices."""
    totals: dict[str, list[int]] = {}
    for notice_scores in scores:
        for score in notice_scores:
            total = totals.setdefault(score.field, [0, 0, 0])
            total[0] += score.tp
            total[1] += score.fp
            total[2] += score.fn
    return [FieldScore.of(field, *counts) for field, counts in totals.items()]


def format_table(scores: Sequence[FieldScore]) -> str:
    """An aligned plain-text table: field, P, R, F1, TP/FP/FN."""

    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    header = ("field", "P", "R", "F1", "TP/FP/FN")
    rows = [header] + [
        (
            s.field,
            number(s.precision),
            number(s.recall),
            number(s.f1),
            f"{s.tp}/{s.fp}/{s.fn}",
        )
        for s in scores
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# --- gold files ----------------------------------------------------------------


def load_gold(path: Path) -> dict[str, Any]:
    """Read and check one gold file; `GoldError` says what is wrong and where."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GoldError(
            f"{path}: no gold file (write one as tests/gold/README.md describes, "
            "or leave this notice out of the evaluation)"
        ) from None
    except OSError as error:
        raise GoldError(f"{path}: cannot read gold file ({error.strerror})") from None
    try:
        gold = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise GoldError(
            f"{path}: not UTF-8 (bad byte at {error.start}); save it as UTF-8"
        ) from None
    except json.JSONDecodeError as error:
        raise GoldError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from None
    problem = _gold_problem(gold)
    if problem is not None:
        raise GoldError(f"{path}: {problem} (see tests/gold/README.md)")
    return gold


def _gold_problem(gold: object) -> str | None:
    """What is wrong with a parsed gold document, or None when it is well-formed."""
    if not isinstance(gold, dict):
        return "top level is not a JSON object"
    for check in (_scalars_problem, _counts_problem, _aspects_problem,
                  _regulations_problem, _lists_problem):
        problem = check(gold)
        if problem is not None:
            return problem
    return None


def _scalars_problem(gold: dict[str, Any]) -> str | None:
    for name in ("id", *SCALAR_FIELDS):
        if name not in gold:
            return f"missing field {name!r}"
        if gold[name] is not None and not isinstance(gold[name], str):
            return f"field {name!r} must be a string or null"
    if not isinstance(gold["id"], str):
        return "field 'id' must be a string"
    for name in ("published", "inspection_start", "inspection_end", "feedback_date"):
        if gold[name] is not None and not _DATE.fullmatch(gold[name]):
            return f"field {name!r} must be YYYY-MM-DD or null, not {gold[name]!r}"
    return None


def _counts_problem(gold: dict[str, Any]) -> str | None:
    counts = gold.get("announced_counts")
    if not isinstance(counts, dict):
        return "missing object 'announced_counts'"
    for key in COUNT_KEYS:
        if key not in counts:
            return f"announced_counts lacks {key!r} (null when the notice states none)"
        value = counts[key]
        if value is not None and type(value) is not int:
            return f"announced_counts.{key} must be an integer or null"
    return None


def _aspects_problem(gold: dict[str, Any]) -> str | None:
    aspects = gold.get("aspects")
    if not isinstance(aspects, list) or not all(
        isinstance(a, dict)
        and isinstance(a.get("label"), str)
        and type(a.get("problems")) is int
        for a in aspects
    ):
        return "'aspects' must be a list of {label: str, problems: int}"
    total = gold.get("problems_total")
    if type(total) is not int:
        return "'problems_total' must be an integer"
    if total != sum(a["problems"] for a in aspects):
        return (
            f"problems_total {total} is not the sum of the aspects' problems "
            f"({sum(a['problems'] for a in aspects)})"
        )
    return None


def _regulations_problem(gold: dict[str, Any]) -> str | None:
    regulations = gold.get("regulations")
    if not isinstance(regulations, list):
        return "'regulations' must be a list"
    seen: set[str] = set()
    for regulation in regulations:
        if not (
            isinstance(regulation, dict)
            and isinstance(regulation.get("title"), str)
            and type(regulation.get("occurrences")) is int
            and regulation["occurrences"] > 0
        ):
            return "'regulations' must be {title: str, kind, occurrences: int > 0}"
        if regulation.get("kind") not in REGULATION_KINDS:
            return (
                f"regulation {regulation['title']!r} has kind "
                f"{regulation.get('kind')!r}, not one of {sorted(REGULATION_KINDS)}"
            )
        if regulation["title"] in seen:
            return f"regulation {regulation['title']!r} is listed twice"
        seen.add(regulation["title"])
    return None


def _lists_problem(gold: dict[str, Any]) -> str | None:
    persons = gold.get("persons")
    if not isinstance(persons, list) or not all(
        isinstance(p, dict)
        and isinstance(p.get("name"), str)
        and isinstance(p.get("role"), str)
        for p in persons
    ):
        return "'persons' must be a list of {name: str, role: str}"
    doc_numbers = gold.get("doc_numbers")
    if not isinstance(doc_numbers, list) or not all(
        isinstance(d, str) for d in doc_numbers
    ):
        return "'doc_numbers' must be a list of strings"
    return None


def evaluate_files(
    gold_dir: Path, predicted: Sequence[Mapping[str, Any]]
) -> list[FieldScore]:
    """Micro-averaged scores of predicted notices; gold is `<gold_dir>/<id>.json`."""
    per_notice = []
    for notice in predicted:
        notice_id = notice.get("id")
        if not isinstance(notice_id, str) or not notice_id:
            raise GoldError(
                f"{notice.get('source') or '<notice>'}: predicted notice has no id "
                "to look its gold file up by"
            )
        gold = load_gold(gold_dir / f"{notice_id}.json")
        if gold["id"] != notice_id:
            raise GoldError(
                f"{gold_dir / f'{notice_id}.json'}: its id is {gold['id']!r}, "
                f"not {notice_id!r} (the id is the file stem)"
            )
        per_notice.append(evaluate(gold, notice))
    return aggregate(per_notice)
