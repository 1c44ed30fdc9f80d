"""Score the extraction against a dev set of real notice openings.

A dev set is a folder with `gold/<id>.json` (facts read by hand from one
notice, usually its opening: the first screen of a web page) and `texts/<id>.txt`
(the text the facts were read from, kept out of the repository: the dev set's
README says how to collect each one again). `tests/devset/README.md` sets out
the gold fields and conventions.

The gold is partial, as openings are: a metadata field the gold leaves null
(the opening does not state it) is not scored. Announced counts are scored
whole: a figure the gold leaves null is one the notice does not state, so an
extractor that reads 谈话提醒24人 as a count of problems is wrong there.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import GoldError
from kg.evaluate import FieldScore, aggregate
from kg.model import CountKey

# Gold field → field of the JSON contract (kg.export.notice_to_dict).
METADATA_FIELDS = {
    "title": "title",
    "inspected_org": "inspected_org",
    "inspecting_body": "inspecting_body",
    "inspection_group": "inspection_group",
    "inspection_start": "inspection_start",
    "inspection_end": "inspection_end",
    "feedback_date": "feedback_date",
    "publication_date": "published",
}
# The dev set's gold files record no tasks done: too few notices state them.
COUNT_KEYS = tuple(k.value for k in CountKey if k is not CountKey.TASKS_DONE)

# The unit and its Party organization name one inspected body (the dev set's
# convention: 市交通运输局 and 市交通运输局党组 are both right).
# A committee's term written before its group (七届市委第十二轮巡察一组) names
# the committee, not the group: not scored.
_TERM = re.compile("^[一二三四五六七八九十]+届")
_PARTY_ORG = re.compile(r"(?:党组|党委|党工委|党总支|党支部|委员会)$")


@dataclass(frozen=True, slots=True)
class Miss:
    """One disagreement, for the error listing: notice, field, gold, predicted."""

    notice: str
    field: str
    gold: object
    predicted: object


@dataclass(frozen=True, slots=True)
class DevsetResult:
    scores: list[FieldScore]
    misses: list[Miss]
    scored: list[str]  # ids scored
    missing_texts: list[str]  # ids whose text is not in texts/


def load_devset(folder: Path) -> list[tuple[dict[str, Any], Path]]:
    """The gold entries of a dev set with the path of each text, by id."""
    gold_dir = folder / "gold"
    if not gold_dir.is_dir():
        raise GoldError(f"{folder}: no gold/ folder (a dev set holds gold/ and texts/)")
    entries = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise GoldError(f"{path}: not a UTF-8 JSON file ({error})") from None
        problem = _entry_problem(entry, path.stem)
        if problem:
            raise GoldError(f"{path}: {problem} (see the dev set's README)")
        entries.append((entry, folder / "texts" / f"{entry['id']}.txt"))
    return entries


def _entry_problem(entry: object, stem: str) -> str | None:
    if not isinstance(entry, dict):
        return "top level is not a JSON object"
    if entry.get("id") != stem:
        return f"its id is {entry.get('id')!r}, not the file stem {stem!r}"
    gold = entry.get("gold")
    if not isinstance(gold, dict):
        return "no 'gold' object"
    for name in METADATA_FIELDS:
        if gold.get(name) is not None and not isinstance(gold[name], str):
            return f"gold.{name} must be a string or null"
    counts = gold.get("announced_counts")
    if not isinstance(counts, dict):
        return "no gold.announced_counts object"
    for key, value in counts.items():
        if value is not None and type(value) is not int:
            return f"gold.announced_counts.{key} must be an integer or null"
    if not isinstance(gold.get("bracketed_titles", []), list):
        return "gold.bracketed_titles must be a list"
    return None


def org_key(name: str) -> str:
    """The comparison key of an inspected unit: 中共 and the Party
    organization's word dropped, width unified."""
    text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", name))
    return _PARTY_ORG.sub("", text.removeprefix("中共"))


def score_opening(
    entry: Mapping[str, Any], predicted: Mapping[str, Any]
) -> tuple[list[FieldScore], list[Miss]]:
    """Scores of one predicted notice (the JSON contract) against its entry."""
    gold = entry["gold"]
    notice = entry["id"]
    scores: list[FieldScore] = []
    misses: list[Miss] = []

    def tally(field: str, right: bool, gold_value: object, value: object) -> None:
        wrong = not right
        scores.append(FieldScore.of(field, int(right), int(wrong and value is not None),
                                    int(wrong and gold_value is not None)))
        if not right:
            misses.append(Miss(notice, field, gold_value, value))

    for name, contract_name in METADATA_FIELDS.items():
        expected = gold.get(name)
        if expected is None:
            continue
        value = predicted.get(contract_name)
        if name == "inspected_org":
            accepted = [expected, *(gold.get("inspected_org_aliases") or [])]
            right = value is not None and org_key(value) in {
                org_key(a) for a in accepted
            }
        elif name == "inspection_group":
            right = value is not None and _TERM.sub("", value) == _TERM.sub(
                "", expected
            )
        elif name == "title":
            right = value is not None and _plain(value) == _plain(expected)
        else:
            right = value == expected
        tally(f"meta.{name}", right, expected, value)

    gold_counts = gold.get("announced_counts") or {}
    predicted_counts = predicted.get("announced_counts") or {}
    for key in COUNT_KEYS:
        if key not in gold_counts:
            continue
        expected, value = gold_counts[key], predicted_counts.get(key)
        if expected is None and value is None:
            continue
        tally(f"counts.{key}", expected == value, expected, value)

    scores += _titles(notice, gold, predicted, misses)
    scores += _persons(notice, gold, predicted, misses)
    return scores, misses


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))


def _titles(
    notice: str, gold: Mapping[str, Any], predicted: Mapping[str, Any],
    misses: list[Miss],
) -> list[FieldScore]:
    expected = set(gold.get("bracketed_titles") or [])
    regulations = {r["title"]: r for r in predicted.get("regulations") or []}
    found = set(regulations)
    for title in sorted(expected - found):
        misses.append(Miss(notice, "titles", title, None))
    for title in sorted(found - expected):
        misses.append(Miss(notice, "titles", None, title))
    right = wrong = 0
    for title, kind in sorted((gold.get("title_kinds") or {}).items()):
        if title in regulations:
            if regulations[title].get("kind") == kind:
                right += 1
            else:
                wrong += 1
                misses.append(Miss(notice, "titles.kind", f"{title}: {kind}",
                                   regulations[title].get("kind")))
    tp = len(expected & found)
    return [
        FieldScore.of("titles", tp, len(found - expected), len(expected - found)),
        FieldScore.of("titles.kind", right, wrong, wrong),
    ]


def _persons(
    notice: str, gold: Mapping[str, Any], predicted: Mapping[str, Any],
    misses: list[Miss],
) -> list[FieldScore]:
    if "persons" not in gold:
        return []
    expected = {p["name"] for p in gold["persons"]}
    found = {p["name"] for p in predicted.get("persons") or []}
    for name in sorted(found - expected):
        misses.append(Miss(notice, "persons", None, name))
    for name in sorted(expected - found):
        misses.append(Miss(notice, "persons", name, None))
    tp = len(expected & found)
    return [FieldScore.of("persons", tp, len(found - expected), len(expected - found))]


def summarise(scores: Sequence[FieldScore]) -> list[FieldScore]:
    """Totals over field families: every meta.* field, every counts.* key."""
    families: dict[str, list[int]] = {}
    for score in scores:
        family = score.field.split(".")[0]
        if family not in ("meta", "counts"):
            continue
        total = families.setdefault(f"{family} (all)", [0, 0, 0])
        total[0] += score.tp
        total[1] += score.fp
        total[2] += score.fn
    return [FieldScore.of(name, *counts) for name, counts in families.items()]


def evaluate_devset(
    folder: Path, extract: Any, only: Iterable[str] = ()
) -> DevsetResult:
    """Extract every dev-set text with `extract` (a path → JSON contract
    function) and score it; entries whose text is missing are listed, not
    scored."""
    wanted = set(only)
    per_notice, misses, scored, missing = [], [], [], []
    for entry, text in load_devset(folder):
        if wanted and entry["id"] not in wanted:
            continue
        if not text.is_file():
            missing.append(entry["id"])
            continue
        notice_scores, notice_misses = score_opening(entry, extract(text))
        per_notice.append(notice_scores)
        misses += notice_misses
        scored.append(entry["id"])
    scores = aggregate(per_notice)
    return DevsetResult(scores + summarise(scores), misses, scored, missing)
