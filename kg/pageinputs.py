"""The digest of what each page of the site is made from, so that a page
whose inputs are those it was last rendered from is not rendered again
(`kg.site`, `kg.pagecache`).

A page's inputs: the code and templates that render pages (`code_digest`),
the digests of what the notices it shows give it (`kg.pagecache.
content_digests`: all of it for a notice's own page, its summary, row and
link items for the others), and what it takes from the rest of the site: a
notice page the names and titles of its regulations and which have a page,
a regulation or category page its title and the notices that mention it,
the index and the overview everything. "" when a notice shown has no
digest: such a page is always rendered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.fingerprint import digest, reachable_modules

if TYPE_CHECKING:
    from kg.site import Site

_PACKAGE = Path(__file__).parent
# What decides a page's bytes besides its data: the modules kg.site reaches by
# its imports (found as kg.fingerprint finds the build worker's, so a module
# split off or added is not missed) and the files the pages are made from.
_SITE = "kg.site"
_FILES = ("templates/*", "data/viz/*", "data/charts/charts.js")


@cache
def code_digest() -> str:
    files = [path for part in _FILES for path in sorted(_PACKAGE.glob(part))
             if path.is_file()]
    return digest([*reachable_modules(_SITE), *files])


def page_inputs(site: Site, kind: str, key: str) -> str:
    """The digest of the inputs of the page (`kind`, `key`) of `site`."""
    corpus = site.corpus
    digests = corpus.digests
    labels = corpus.regulation_labels
    if kind == "notice":
        notice = corpus.by_id[key]
        shown = [notice]
        parts: list[object] = [
            [(r, labels.get(r), site.slugs.get(r)) for r in sorted(notice.regulations)],
            sorted((c, corpus.category_labels.get(c)) for _, c in notice.subjects)]
    elif kind == "regulation":
        row = site.regulation_by_iri[key]
        shown = [corpus.by_id[i] for i in row.notices]
        parts = [row.label, row.kind, site.slugs[key]]
    elif kind == "category":
        category = site.category_by_iri[key]
        shown = sorted({n.id: n for n, _ in corpus.filed.get(key, [])}.values(),
                       key=lambda n: n.id)
        parts = [category.label, category.id]
    else:  # the index and the overview show every notice
        shown = list(corpus.notices.values())
        parts = [sorted(corpus.category_labels.items()), list(site.dumps)]
    whole = kind == "notice"  # its own page: its detail too
    files = [(notice.id, notice.iri, digests.get(notice.id, ("", ""))[whole])
             for notice in shown]
    if any(not digest for _, _, digest in files):
        return ""
    text = json.dumps([code_digest(), kind, key, site.max_nodes, parts, files],
                      ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def context_digest(notices: Sequence[tuple[str, str]],
                   digests: dict[str, tuple[str, str]],
                   category_labels: dict[str, str], max_nodes: int,
                   dumps: Sequence[str]) -> str:
    """The digest of what every page but a notice's own is made from: the
    code, the notices ((IRI, id) pairs) and what each gives the pages that
    show many (`kg.pagecache.content_digests`), the categories' labels and
    the dumps the index links. A notice page's inputs besides its own notice
    (its regulations' labels and pages, its categories' labels) follow from
    these too."""
    files = sorted((notice_id, iri, digests.get(notice_id, ("", ""))[0])
                   for iri, notice_id in notices)
    text = json.dumps([code_digest(), max_nodes, sorted(category_labels.items()),
                       list(dumps), files],
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
