"""The query page and /docs in real headless Chromium with no network but the server's: an
example query runs from one click and its table matches the endpoint's own answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import Server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

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


PREFIX_NAMES = ("edukg", "skos", "rdf", "rdfs", "prov", "schema", "org", "xsd")
HINT_FITS = """input => {
  const style = getComputedStyle(input);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [ctx.measureText(input.placeholder).width, room];
}"""


def visible_downloads(pg: object) -> dict[str, str]:
    """format → the URL its link opens, for the links shown."""
    return pg.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.downloads a')]
        .filter(a => a.offsetParent !== null).map(a => [a.dataset.format,
        `/sparql?format=${encodeURIComponent(a.dataset.format)}&query=${encodeURIComponent(document.querySelector('#query').value)}`]))""")  # type: ignore[attr-defined, no-any-return]


def test_query_page_details(server: Server, page: tuple[object, list[str]]) -> None:
    pg, blocked = page
    pg.goto(server.url + "/")  # type: ignore[attr-defined]
    pg.wait_for_selector("#examples button")  # type: ignore[attr-defined]
    # no empty parameter box above the editor
    assert not pg.is_visible("#params")  # type: ignore[attr-defined]
    # the usual prefixes are declared in the editor
    text = pg.input_value("#query")  # type: ignore[attr-defined]
    for name in PREFIX_NAMES:
        assert f"PREFIX {name}: <" in text, name
    # only downloads that fit the query form, and each of them answers
    shown = visible_downloads(pg)
    assert set(shown) == {"csv", "tsv", "json"}, shown
    pg.fill(
        "#query",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"  # type: ignore[attr-defined]
        "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e skos:prefLabel ?l } LIMIT 3",
    )
    graph_links = visible_downloads(pg)
    assert "turtle" in graph_links and "csv" not in graph_links, graph_links
    with server.client() as c:
        for url in [*shown.values(), *graph_links.values()]:
            assert c.get(url).status_code == 200, url
    # an example's parameter field shows its whole hint
    buttons = pg.locator("#examples button")  # type: ignore[attr-defined]
    index = next(i for i, t in enumerate(buttons.all_inner_texts()) if "Partners of a university" in t)
    buttons.nth(index).click()
    pg.wait_for_selector("#params input")  # type: ignore[attr-defined]
    for handle in pg.query_selector_all("#params input"):  # type: ignore[attr-defined]
        need, room = handle.evaluate(HINT_FITS)
        assert need <= room, (handle.get_attribute("placeholder"), need, room)
    # an entity IRI in the results opens the entity's page, not JSON
    pg.fill(
        "#query",
        "PREFIX edukg: <https://w3id.org/edukg/ontology#>\n"  # type: ignore[attr-defined]
        "SELECT ?u WHERE { ?u a edukg:University } ORDER BY ?u LIMIT 1",
    )
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("#results a.iri")  # type: ignore[attr-defined]
    with pg.expect_navigation():  # type: ignore[attr-defined]
        pg.click("#results a.iri")  # type: ignore[attr-defined]
    assert pg.evaluate("document.contentType") == "text/html"  # type: ignore[attr-defined]
    assert "/graph/entity/" in pg.url  # type: ignore[attr-defined]
    assert blocked == []


def test_query_page_marks_a_syntax_error(server: Server, page: tuple[object, list[str]]) -> None:
    pg, _ = page
    query = "SELECT ?s\nWHERE { ?s ?p ?o }\nLIMT 3"
    pg.goto(server.url + "/")  # type: ignore[attr-defined]
    pg.fill("#query", query)  # type: ignore[attr-defined]
    pg.click("#run")  # type: ignore[attr-defined]
    pg.wait_for_selector("#error:not([hidden])")  # type: ignore[attr-defined]
    assert "line 3, column 1" in pg.inner_text("#error")  # type: ignore[attr-defined]
    start, end = pg.evaluate(
        "[document.querySelector('#query').selectionStart, document.querySelector('#query').selectionEnd]"
    )  # type: ignore[attr-defined]
    assert query[start:end] == "LIMT"
