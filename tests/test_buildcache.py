"""kg/buildcache.py: the build cache remembers inputs and citations, and
which regulations the summary graph must be brought up to date for."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kg.buildcache import (
    FORMAT,
    BuildCache,
    Record,
    read_cache,
    read_cache_and_hashes,
)
from kg.rdf.summary import Citation, scoped_citations

AUDIT = Citation("审计法", "中华人民共和国审计法", "law", "法律", {"studies": 2}, 0)
EIGHT = Citation("中央八项规定", "中央八项规定", "party_regulation", None,
                 {"cites": 3}, 3)


def record(notice_id: str) -> Record:
    return Record(f"/in/{notice_id}.txt", "0" * 64, notice_id, f"urn:g:{notice_id}",
                  warnings=("no feedback date found",), triples=10,
                  ttl_bytes=100, json_bytes=200)


def test_saved_records_and_citations_are_read_back_and_their_keys_are_dirty(
    tmp_path: Path,
) -> None:
    path = tmp_path / ".kg-cache.sqlite"
    cache = BuildCache(path)
    cache.set_meta({"format": FORMAT, "outputs_current": False})
    cache.save([("/in/a.txt", record("a"),
                 scoped_citations("a", "2021-05-01", [AUDIT, EIGHT]))])
    cache.save([("/in/b.txt", record("b"), scoped_citations("b", None, [EIGHT]))])
    assert cache.dirty_keys() == sorted(["审计法", "中央八项规定"])
    assert cache.key_count() == 2
    assert (cache.key_count(at_most=1), cache.key_count(at_most=3)) == (1, 2)
    rows = list(cache.citations(["中央八项规定"]))
    assert [(r.scope, r.notice_id, r.mentions, r.bare) for r in rows] == [
        ("all", "a", 3, 3), ("all", "b", 3, 3), ("cites", "a", 3, 3),
        ("cites", "b", 3, 3)]
    cache.clean(cache.dirty_keys())
    assert cache.dirty_keys() == []
    cache.close()

    meta, records = read_cache(path)
    assert meta == {"format": FORMAT, "outputs_current": False}
    assert records == {"/in/a.txt": record("a"), "/in/b.txt": record("b")}


def test_a_notice_saved_again_replaces_its_citations(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "c.sqlite")
    cache.save([("/in/a.txt", record("a"), scoped_citations("a", None, [AUDIT]))])
    cache.clean(cache.dirty_keys())
    cache.save([("/in/a.txt", record("a"), scoped_citations("a", None, [EIGHT]))])
    # the regulation it no longer cites must be summarised again (to nothing)
    assert cache.dirty_keys() == sorted(["审计法", "中央八项规定"])
    assert {r.key for r in cache.citations()} == {"中央八项规定"}


def test_keep_only_forgets_other_inputs_and_the_citations_of_their_graphs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.sqlite"
    cache = BuildCache(path)
    cache.set_meta({"format": FORMAT})
    cache.save([("/in/a.txt", record("a"), scoped_citations("a", None, [AUDIT])),
                ("/in/b.txt", record("b"), scoped_citations("b", None, [EIGHT]))])
    cache.clean(cache.dirty_keys())
    cache.keep_only({"/in/b.txt": record("b")})
    assert cache.dirty_keys() == ["审计法"]
    assert {r.notice_id for r in cache.citations()} == {"b"}
    cache.close()
    assert list(read_cache(path)[1]) == ["/in/b.txt"]


def test_a_dirty_key_outlives_a_build_that_stops_before_the_summary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.sqlite"
    cache = BuildCache(path)
    cache.set_meta({"format": FORMAT})
    cache.save([("/in/a.txt", record("a"), scoped_citations("a", None, [AUDIT]))])
    cache.close()  # the build is killed here
    assert BuildCache(path).dirty_keys() == ["审计法"]


def test_a_missing_corrupt_or_older_cache_reads_as_empty_and_is_replaced(
    tmp_path: Path,
) -> None:
    assert read_cache(tmp_path / "none.sqlite") == ({}, {})
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"not a database" * 100)
    assert read_cache(corrupt) == ({}, {})
    older = tmp_path / "older.sqlite"
    with sqlite3.connect(older) as connection:
        connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO meta VALUES ('format', '2')")
    connection.close()
    assert read_cache(older) == ({}, {})
    for path in (corrupt, older):
        cache = BuildCache(path)
        cache.set_meta({"format": FORMAT})
        cache.close()
        assert read_cache(path) == ({"format": FORMAT}, {})


def test_a_path_that_is_not_utf8_is_a_key_and_a_record_sqlite_can_hold(
    tmp_path: Path,
) -> None:
    import dataclasses
    import os

    from kg.buildcache import cache_key

    odd = os.fsdecode(b"/in/luo\xff\xfe.txt")
    other = os.fsdecode(b"/in/luo\xfe\xff.txt")
    assert cache_key(odd).startswith("bytes:") and cache_key(odd) != cache_key(other)
    assert cache_key("/in/罗庄.txt") == "/in/罗庄.txt"  # readable when it can be
    path = tmp_path / ".kg-cache.sqlite"
    cache = BuildCache(path)
    cache.set_meta({"format": FORMAT})
    cache.save([(cache_key(odd), dataclasses.replace(record("luo"), path=odd), ())])
    cache.close()
    _, records = read_cache(path)
    assert records[cache_key(odd)].path == odd  # the same bytes come back


def test_a_cache_of_the_format_before_records_were_typed_reads_as_lost(
    tmp_path: Path,
) -> None:
    """Format 3 kept each record as a free-form dict (sizes in a "sizes"
    object): read as a lost cache, so the store decides what exists, and
    replaced when the build opens it for writing."""
    path = tmp_path / ".kg-cache.sqlite"
    cache = BuildCache(path)
    cache.save([("/in/a.txt", record("a"), ())])
    cache.close()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('format', '3')")
    connection.close()
    assert read_cache(path) == ({}, {})
    cache = BuildCache(path)
    cache.set_meta({"format": FORMAT})
    cache.close()
    assert read_cache(path) == ({"format": FORMAT}, {})  # the old rows are gone


def test_a_record_of_another_shape_makes_the_whole_cache_read_as_lost(
    tmp_path: Path,
) -> None:
    path = tmp_path / ".kg-cache.sqlite"
    cache = BuildCache(path)
    cache.set_meta({"format": FORMAT})
    cache.save([("/in/a.txt", record("a"), ()), ("/in/b.txt", record("b"), ())])
    cache.close()
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE inputs SET record = ? WHERE key = '/in/b.txt'",
            ('{"path": "/in/b.txt", "sha256": null, "notice_id": "b", '
             '"sizes": {".ttl": 1}, "warnings": []}',))
    connection.close()
    assert read_cache(path) == ({}, {})
    assert Record.from_json(record("a").to_json()) == record("a")


def test_the_inputs_stats_hashed_are_read_back_as_set_the_gone_forgotten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.sqlite"
    cache = BuildCache(path)
    cache.set_meta({"format": FORMAT})
    first = {"/in/a.txt": ((10, 1, 7), "a" * 64), "/in/b.txt": ((20, 2, 8), "b" * 64)}
    cache.set_hashed(first, {})
    cache.close()
    assert read_cache_and_hashes(path)[2] == first
    cache = BuildCache(path)
    then = {"/in/a.txt": ((11, 3, 7), "c" * 64)}
    cache.set_hashed(then, first)
    cache.close()
    assert read_cache_and_hashes(path)[2] == then
