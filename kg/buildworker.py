"""What a worker process of `kg build` does: one notice file → its quads,
Turtle, JSON and summary citations, or why it failed.

A module of its own so that the parent never imports the extractors and
jieba: a build with nothing to do starts in a third of the time (kg.build),
and one that extracts a file does not wait for them. Workers are started
with ``spawn`` and import this module to run `extract` (kg.workers submits
it by a function of its own, and `Result` is defined there).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kg.errors import InputError, KgError, LimitError
from kg.export import notice_json
from kg.extract import words
from kg.ingest import read_source
from kg.link import Gazetteer
from kg.pipeline import extract_source
from kg.rdf.answers import kept_rows
from kg.rdf.build import notice_rdf
from kg.rdf.rows import category_counts
from kg.rdf.summary import (
    notice_citations,
    notice_date,
    scoped_citations,
)
from kg.workers import Result

# Quads of one notice's graph: serialised three times (N-Quads, Turtle, the
# store) and held whole; the corpus notice with most has 6,200 and
# `kg.pipeline.MAX_TITLES` keeps a real notice far below this.
MAX_QUADS = 300_000

_gazetteer: Gazetteer | None = None  # one per worker process
_gazetteer_error = ""  # why the gazetteers did not load (kg.build checks first)


def start_worker(gazetteers: list[Path]) -> None:
    """Load the gazetteers and jieba's dictionaries once per worker process
    (a worker started early, kg.workers.early_pool, is then ready when the
    first file comes). A failure is kept and given as each file's error:
    raised here, it would kill the worker, and the pool would fail every
    file as a dead worker."""
    global _gazetteer, _gazetteer_error
    try:
        _gazetteer = Gazetteer.load(gazetteers)
    except KgError as error:
        _gazetteer_error = str(error)
    words.load()


def extract(path: str, sha256: str, notice_id: str) -> Result:
    """The file at `path`, expected to hash to `sha256`, as notice
    `notice_id`: its quads and JSON, or why it failed."""
    if _gazetteer_error:
        return Result(notice_id, error=_gazetteer_error, cacheable=False)
    try:
        source = read_source(path)
        if source.sha256 != sha256:
            return Result(notice_id, error="changed while being built; "
                          "run kg build again", cacheable=False)
        notice = extract_source(source, _gazetteer)
        if notice.id != notice_id:
            notice = dataclasses.replace(notice, id=notice_id)
        rdf = notice_rdf(notice)
        if rdf.triples > MAX_QUADS:
            raise LimitError(path, f"too many facts for one notice ({rdf.triples:,} "
                             f"quads; kg builds notices of up to {MAX_QUADS:,})",
                             "split it into one file per notice")
        return Result(
            notice.id,
            graph=rdf.graph,
            nquads=rdf.nquads,
            turtle=rdf.turtle,
            json=notice_json(notice),
            warnings=tuple(dict.fromkeys(source.warnings + notice.warnings)),
            triples=rdf.triples,
            citations=tuple(scoped_citations(notice.id, notice_date(notice),
                                             notice_citations(notice))),
            categories=category_counts(notice),
            answers=tuple(kept_rows(f"<{rdf.graph}>", rdf.statements)),
        )
    except InputError as error:  # its message starts with the path: say it once
        return Result(notice_id, error=error.without_path)
    except KgError as error:
        return Result(notice_id, error=str(error))
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        return Result(
            notice_id, cacheable=False,
            error=f"internal error {type(error).__name__}: {error} (please report)",
        )

