"""The data of the index page's charts, drawn offline by Apache ECharts
5.6.0 (Apache-2.0; kg/data/charts/ holds its minified dist/echarts.min.js
from the npm package, with its LICENSE and NOTICE): problems per issue
category across notices, the regulations cited by most notices, and each
notice's inspection, feedback and publication dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from kg.graph import CategoryRow, Corpus, NoticeRow, regulation_rows

CHARTS_DIR: Final = Path(__file__).parent / "data" / "charts"
ECHARTS_VERSION: Final = "5.6.0"
# Asset file name under assets/ → where the package keeps it.
CHART_ASSETS: Final = {
    "echarts.min.js": CHARTS_DIR / "echarts.min.js",
    "charts.js": CHARTS_DIR / "charts.js",
    "LICENSE-echarts": CHARTS_DIR / "LICENSE-echarts",
    "NOTICE-echarts": CHARTS_DIR / "NOTICE-echarts",
}
TOP_REGULATIONS: Final = 20


def chart_data(corpus: Corpus, notices: list[NoticeRow],
               categories: list[CategoryRow]) -> dict[str, Any]:
    """What assets/charts.js draws, as plain lists."""
    regulations = regulation_rows(corpus)[:TOP_REGULATIONS]
    # Notices with no date known have nothing to place on the timeline.
    dated = sorted((row for row in notices if row.inspection_start
                    or row.inspection_end or row.feedback_date or row.issued),
                   key=lambda row: (row.inspection_start or row.issued or "9999",
                                    row.id))
    return {
        "categories": {
            "names": [row.label for row in categories],
            "problems": [row.problems for row in categories],
            "notices": [row.notices for row in categories],
        },
        "regulations": {
            "names": [row.label for row in regulations],
            "notices": [len(row.notices) for row in regulations],
        },
        "timeline": {
            # Ids keep the rows apart (a unit inspected twice has two);
            # the axis shows the unit.
            "ids": [row.id for row in dated],
            "notices": [row.organization or row.id for row in dated],
            "rows": [{"start": row.inspection_start, "end": row.inspection_end,
                      "feedback": row.feedback_date, "issued": row.issued}
                     for row in dated],
        },
    }
