"""The query page and /docs in real headless Chromium with no network but the server's: an
example query runs from one click and its table matches the endpoint's own answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import Server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def page(tmp_path: Path) -> Iterator[tuple[object, list[str]]]:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page()

        def gate(route: object) -> None:
            if urlparse(route.request.url).hostname == "127.0.0.1":  # type: ignore[attr-defined]
                route.continue_()  # type: ignore[attr-defined]
            else:
                blocked.append(route.request.url)  # type: ignore[attr-defined]
                route.abort()  # type: ignore[attr-defined]

        pg.route("**/*", gate)
        yield pg, blocked
        pg.screenshot(path=str(tmp_path / "page.png"), full_page=True)
        browser.close()


def test_query_page_runs_an_example_offline(server: Server, page: tuple[object, list[str]]) -> None:
    pg, blocked = page
    pg.goto(server.url + "/")  # type: ignore[attr-defined]
    pg.wait_for_selector("#examples button")  # type: ignore[attr-defined]
    buttons = pg.locator("#examples button")  # type: ignore[attr-defined]
    titles = buttons.all_inner_texts()
    index = next(i for i, t in enumerate(titles) if "Partners of a university" in t)
    buttons.nth(index).click()
    pg.wait_for_function("document.querySelector('#status').textContent.includes('row')")  # type: ignore[attr-defined]
    shown = pg.locator("#results tbody tr").count()  # type: ignore[attr-defined]
    query = pg.input_value("#query")  # type: ignore[attr-defined]
    with server.client() as c:
        r = c.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert shown == len(r.json()["results"]["bindings"]) > 0
    assert "Huawei" in pg.inner_text("#results")  # type: ignore[attr-defined]
    # a parameter field re-renders the query on the server, then Ctrl+Enter runs it
    pg.fill("#params input", "xi'an")  # type: ignore[attr-defined]
    pg.wait_for_function("v => document.querySelector('#query').value.includes(v)", arg='"xi\'an"')  # type: ignore[attr-defined]
    pg.focus("#query")  # type: ignore[attr-defined]
    pg.keyboard.press("Control+Enter")  # type: ignore[attr-defined]
    pg.wait_for_function("document.querySelectorAll('#results tbody tr').length > 0")  # type: ignore[attr-defined]
    # a malformed query shows the server's one-line reason
    pg.fill("#query", "SELECT * WHERE { ?s ?p }")  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("#error:not([hidden])")  # type: ignore[attr-defined]
    assert "syntax error" in pg.inner_text("#error").lower()  # type: ignore[attr-defined]
    assert blocked == []


def test_docs_render_offline(server: Server, page: tuple[object, list[str]]) -> None:
    pg, blocked = page
    pg.goto(server.url + "/docs")  # type: ignore[attr-defined]
    pg.wait_for_selector("text=/sparql", timeout=30_000)  # type: ignore[attr-defined]
    assert pg.locator(".opblock").count() >= 8  # type: ignore[attr-defined]
    assert blocked == []
