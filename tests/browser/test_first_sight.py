"""What a reader sees at first sight (issue 12): labels readable and apart
on the notice and overview pages, the index's charts drawn, a `kg view`
page as complete as a built one — each offline, without a console error."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.graph import notice_graph, notice_rows
from kg.site import view_page
from tests.browser.conftest import Site, Watched
from tests.browser.firstsight import READABLE_PX, first_sight
from tests.browser.test_pages import _assert_offline_and_clean, _open, _wait

pytestmark = pytest.mark.browser

MIN_READABLE = 20
MIN_CLEAR_SHARE = 0.9


@pytest.mark.parametrize("page", ["notices/luozhuang-2021.html", "graph.html"])
def test_labels_read_at_first_sight(
    watched: Watched, examples_site: Site, page: str
) -> None:
    path = examples_site.out / page
    _open(watched, path)
    seen = first_sight(watched.page)
    print(f"\n{page}: {seen}")
    assert seen.readable >= MIN_READABLE, seen
    assert seen.clear >= MIN_CLEAR_SHARE * seen.readable, seen
    assert seen.px >= READABLE_PX
    _assert_offline_and_clean(watched, path, examples_site.out)


def test_index_charts_are_drawn_offline(watched: Watched, site: Site) -> None:
    path = site.out / "index.html"
    _open(watched, path, graph=False)
    _wait(watched, "window.kgChartsReady === true", 30)
    drawn = watched.page.evaluate("""Object.keys(kgCharts).map(id => {
        const option = kgCharts[id].getOption();
        const canvas = document.querySelector('#' + id + ' canvas');
        return [id, option.series.map(s => s.data.length),
                canvas !== null && canvas.width > 100];
    })""")
    charts = {chart_id: (lengths, canvas) for chart_id, lengths, canvas in drawn}
    assert set(charts) == {"kg-chart-categories", "kg-chart-regulations",
                           "kg-chart-timeline"}
    assert all(canvas for _, canvas in charts.values())
    categories = len(list((site.out / "categories").glob("*.html")))
    assert charts["kg-chart-categories"][0] == [categories, categories]
    # Inspections as segments (start, end, gap), feedback and issue dates:
    # one of each per notice that has it.
    rows = notice_rows(site.store)
    inspection, feedback, issued = charts["kg-chart-timeline"][0]
    assert inspection == 3 * sum(1 for r in rows if r.inspection_start) > 0
    assert feedback == sum(1 for r in rows if r.feedback_date) > 0
    assert issued == sum(1 for r in rows if r.issued) > 0
    _assert_offline_and_clean(watched, path, site.out)


def test_a_view_page_stands_alone_and_shows_what_a_built_page_shows(
    watched: Watched, site: Site, tmp_path: Path
) -> None:
    page = tmp_path / "view" / "luozhuang.html"
    page.parent.mkdir()
    page.write_text(view_page(site.store, notice="luozhuang-2021"), encoding="utf-8")
    _open(watched, page)
    side = watched.page.inner_text("#kg-side")
    _, detail = notice_graph(site.store, "luozhuang-2021")
    assert detail.regulations and detail.categories
    for _, label in (*detail.regulations, *detail.categories):
        assert label in side
    assert "罗庄区委第一巡察组" in side
    built = watched.page.evaluate("kgNodes.length")
    _open(watched, site.out / "notices" / "luozhuang-2021.html")
    assert watched.page.evaluate("kgNodes.length") == built
    assert watched.requests[0] == page.as_uri()
    assert watched.errors == [] and watched.dialogs == []
