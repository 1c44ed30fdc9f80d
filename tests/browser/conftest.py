"""Headless Chromium for the page tests (pytest marker `browser`).

Debian's chromium at /usr/bin/chromium, driven by playwright; never the
browsers `playwright install` downloads. CI installs chromium, so these tests
skip only where that binary is absent.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "notices"
HOSTILE_ID = "hostile-2023"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium to run these")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


def _hostile_notice() -> str:
    """sanmen-2023 with markup in its title and in two 《》 titles."""
    text = (EXAMPLES / "sanmen-2023.txt").read_text(encoding="utf-8")
    text = text.replace("中共三门县投资促进中心党组\n关于",
                        f"中共三门县投资促进中心党组{SCRIPT}\n关于", 1)
    text = text.replace("《信访工作条例》", f"《{IMG}信访工作条例》")
    return text.replace("《三门县党风廉政建设约谈暂行办法》",
                        f"《{SCRIPT}约谈暂行办法》", 1)


@dataclass
class Site:
    out: Path
    store: Path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The five example notices and a hostile one, built and written as HTML."""
    from kg.build import build_corpus
    from kg.site import write_site

    inputs = tmp_path_factory.mktemp("notices")
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, inputs / path.name)
    (inputs / f"{HOSTILE_ID}.txt").write_text(_hostile_notice(), encoding="utf-8")
    out = tmp_path_factory.mktemp("site")
    build_corpus([inputs], out, jobs=1, prune=False, gazetteers=[], progress=False,
                 html=False)
    write_site(out / "store", out)
    return Site(out, out / "store")


@pytest.fixture(scope="session")
def examples_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The five example notices alone, built as `kg build` builds them."""
    from kg.build import build_corpus

    out = tmp_path_factory.mktemp("examples-site")
    build_corpus([EXAMPLES], out, jobs=1, prune=False, gazetteers=[],
                 progress=False, html=True)
    return Site(out, out / "store")


@dataclass
class Watched:
    """What a page did: console errors, requests, dialogs."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    """A page whose every request is routed: file URLs go through, anything
    else is aborted and recorded, so a test can fail on it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    seen = Watched(page)

    def route(route: Route) -> None:
        url = route.request.url
        seen.requests.append(url)
        if url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("dialog", on_dialog)
    yield seen
    context.close()
