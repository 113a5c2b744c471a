"""Readers: every input format → Article or a one-line ExtractError; no NLP, no store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_support import ALLIANCE, GERMAN, PARTNERSHIP, Page, release, rss, serve, write_jsonl

from extract.errors import BadInput, ExtractError, NotEnglish
from extract.model import Article
from extract.readers import Fetcher, FetchError, article_files, estimate_articles, read_path, read_paths
from extract.readers.common import iso_date

NAMES = {
    "uni": "Northvale University",
    "firm": "Brightkite Robotics",
    "topic": "industrial automation",
    "person": "Amara Quinlan",
    "alliance": "Coastal Engineering Alliance",
}


def articles(items: list[Article | ExtractError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items: list[Article | ExtractError]) -> list[ExtractError]:
    return [i for i in items if isinstance(i, ExtractError)]


def test_html_page_keeps_only_the_article(tmp_path: Path) -> None:
    paragraphs = [release(PARTNERSHIP, **NAMES), release(ALLIANCE, **NAMES)]
    page = Page(
        title="Northvale University and Brightkite Robotics open a joint laboratory",
        paragraphs=paragraphs,
        canonical="https://news.example.org/2024/joint-lab",
    )
    path = tmp_path / "page.html"
    path.write_text(page.html(), "utf-8")

    [article] = list(read_path(str(path)))
    assert isinstance(article, Article), article
    for paragraph in paragraphs:
        assert " ".join(paragraph.split()) in " ".join(article.text.split())
    for chrome in Page.CHROME:
        assert chrome not in article.text, f"{chrome!r} leaked into the article text"
    assert article.title == page.title
    assert article.date == page.date
    assert article.url == page.canonical
    assert article.publisher == page.site_name
    assert article.language == "en"
    assert article.source == str(path)


def test_same_page_read_again_in_one_process(tmp_path: Path) -> None:
    """Watch polls and re-runs read a page again: it must never come out empty on a later read."""
    path = tmp_path / "page.html"
    path.write_text(Page(title="Lab", paragraphs=[release(PARTNERSHIP, **NAMES)]).html(), "utf-8")
    reads = [next(read_path(str(path))) for _ in range(5)]
    assert all(isinstance(r, Article) for r in reads), reads
    assert len({r.text for r in reads if isinstance(r, Article)}) == 1


def test_text_and_markdown_title_is_first_line(tmp_path: Path) -> None:
    body = release(PARTNERSHIP, **NAMES)
    (tmp_path / "a.txt").write_text(f"\n\nLab opens at Northvale\n\n{body}\n", "utf-8")
    (tmp_path / "b.md").write_text(f"# Alliance grows\n\n{release(ALLIANCE, **NAMES)}\n", "utf-8")
    got = {Path(a.source).name: a for a in articles(list(read_path(str(tmp_path))))}
    assert got["a.txt"].title == "Lab opens at Northvale"
    assert got["b.md"].title == "Alliance grows"
    assert body in got["a.txt"].text


def test_jsonl_batch_records_and_bad_lines(tmp_path: Path) -> None:
    html_page = Page(title="Alliance grows", paragraphs=[release(ALLIANCE, **NAMES)]).html()
    path = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            {
                "title": "Joint lab",
                "text": release(PARTNERSHIP, **NAMES),
                "url": "https://news.example.org/joint-lab",
                "date": "Thu, 14 Mar 2024 09:00:00 GMT",
                "publisher": "Northvale Press Office",
            },
            {"html": html_page, "date": "2024-05-02"},
            "{this is not json",
            {"title": "no body"},
            ["not", "an", "object"],
        ],
    )
    items = list(read_path(str(path)))
    assert len(items) == 5
    first, second = articles(items)
    assert (first.title, first.date, first.url, first.publisher, first.source) == (
        "Joint lab",
        "2024-03-14",
        "https://news.example.org/joint-lab",
        "Northvale Press Office",
        "https://news.example.org/joint-lab",  # a record with a URL is named by it
    )
    assert second.source == f"{path}:2" and second.title == "Alliance grows" and second.date == "2024-05-02"
    assert "Accept all cookies" not in second.text
    messages = [e.message for e in errors(items)]
    assert messages[0].startswith(f"{path}:3: invalid JSON")
    assert messages[1] == f"{path}:4: record has neither 'text' nor 'html'"
    assert messages[2].startswith(f"{path}:5: record is a JSON list")
    assert estimate_articles([str(path)]) == 5


def test_json_list_file(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(
        json.dumps(
            {"articles": [{"text": release(PARTNERSHIP, **NAMES)}, {"text": release(ALLIANCE, **NAMES)}]}
        ),
        "utf-8",
    )
    got = articles(list(read_path(str(path))))
    assert [a.source for a in got] == [f"{path}#1", f"{path}#2"]


def test_non_english_is_a_skip_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(release(GERMAN, **NAMES), "utf-8")
    [item] = list(read_path(str(path)))
    assert isinstance(item, NotEnglish)
    assert item.code == "not_english"
    assert str(path) in item.message and "'de'" in item.message
    declared = write_jsonl(tmp_path / "declared.jsonl", [{"text": "Kurz.", "language": "de"}])
    [item] = list(read_path(str(declared)))
    assert isinstance(item, NotEnglish)


def test_corrupt_files_among_good_ones(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(release(PARTNERSHIP, **NAMES), "utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 partnership news".encode("latin-1"))
    (tmp_path / "empty.md").write_text("   \n", "utf-8")
    (tmp_path / "broken.json").write_text('{"text": "unterminated', "utf-8")
    (tmp_path / "notafeed.xml").write_text("<config><a>1</a></config>", "utf-8")
    (tmp_path / ".hidden.txt").write_text("ignored", "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    items = list(read_path(str(tmp_path)))
    assert [Path(a.source).name for a in articles(items)] == ["good.txt"]
    reasons = {Path(e.message.split(":")[0]).name: e.message for e in errors(items)}
    assert set(reasons) == {"binary.txt", "latin1.txt", "empty.md", "broken.json", "notafeed.xml"}
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "empty" in reasons["empty.md"]
    assert "invalid JSON" in reasons["broken.json"]
    assert "not an RSS/Atom feed" in reasons["notafeed.xml"]
    assert all("\n" not in e.message for e in errors(items))
    assert [p.name for p in article_files(tmp_path)] == sorted(
        ["good.txt", "binary.txt", "latin1.txt", "empty.md", "broken.json", "notafeed.xml"]
    )


def test_missing_path_is_an_error_not_an_exception() -> None:
    [item] = list(read_path("/nonexistent/edukg/file.txt"))
    assert isinstance(item, BadInput) and "no such file" in item.message


def test_feed_file_items_fetched_from_local_server(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    pages = {
        "lab.html": Page(
            title="Joint laboratory opens",
            paragraphs=[release(PARTNERSHIP, **NAMES)],
            canonical="https://news.example.org/lab",
        ),
        "alliance.html": Page(title="Alliance welcomes Northvale", paragraphs=[release(ALLIANCE, **NAMES)]),
    }
    for name, page in pages.items():
        (site / name).write_text(page.html(), "utf-8")
    with serve(site) as base:
        feed = tmp_path / "news.rss"
        feed.write_text(
            rss(
                [
                    {
                        "title": "Joint laboratory opens",
                        "link": f"{base}/lab.html",
                        "pubDate": "Mon, 04 Mar 2024 10:00:00 GMT",
                    },
                    {
                        "title": "Alliance news",
                        "link": f"{base}/alliance.html",
                        "pubDate": "Tue, 05 Mar 2024 10:00:00 GMT",
                    },
                    {
                        "title": "Gone",
                        "link": f"{base}/missing.html",
                        "pubDate": "Wed, 06 Mar 2024 10:00:00 GMT",
                    },
                ]
            ),
            "utf-8",
        )
        items = list(read_path(str(feed)))
    assert len(items) == 3
    lab, alliance = articles(items)
    assert lab.source == f"{base}/lab.html"
    assert lab.url == "https://news.example.org/lab"  # the page's canonical URL
    assert lab.date == "2024-03-04" and lab.title == "Joint laboratory opens"
    assert "Accept all cookies" not in lab.text and release(PARTNERSHIP, **NAMES)[:60] in lab.text
    assert alliance.url == f"{base}/alliance.html"
    assert alliance.title == "Alliance news"  # the feed item's title is curated: it wins
    assert alliance.publisher == "Campus Newsroom"
    [gone] = errors(items)
    assert isinstance(gone, FetchError)
    assert gone.message == f"{feed}: item 3: {base}/missing.html: HTTP 404 File not found"


def test_feed_and_page_urls(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "lab.html").write_text(
        Page(title="Lab", paragraphs=[release(PARTNERSHIP, **NAMES)]).html(), "utf-8"
    )
    with serve(site) as base:
        (site / "feed.xml").write_text(
            rss([{"title": "Lab", "link": "lab.html", "pubDate": "Mon, 04 Mar 2024 10:00:00 GMT"}]), "utf-8"
        )
        [page] = list(read_path(f"{base}/lab.html"))
        [from_feed] = list(read_paths([f"{base}/feed.xml"]))
    assert isinstance(page, Article) and page.source == f"{base}/lab.html"
    assert isinstance(from_feed, Article), from_feed
    assert from_feed.source == f"{base}/lab.html"  # relative item link resolved against the feed


def test_fetch_limits(tmp_path: Path) -> None:
    with serve(tmp_path) as base, Fetcher(read_timeout=0.5, max_bytes=1_000_000) as fetcher:
        with pytest.raises(FetchError, match="timed out"):
            fetcher.fetch(f"{base}/slow")
        with pytest.raises(FetchError, match="too large"):
            fetcher.fetch(f"{base}/huge")
        [item] = list(read_path(f"{base}/nothing-here", fetcher=fetcher))
        assert isinstance(item, FetchError) and "HTTP 404" in item.message
    [item] = list(read_path("http://127.0.0.1:9/unreachable"))
    assert isinstance(item, FetchError) and item.message.startswith("http://127.0.0.1:9/unreachable: ")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-03-14", "2024-03-14"),
        ("2024-03-14T09:30:00+08:00", "2024-03-14"),
        ("Thu, 14 Mar 2024 09:00:00 GMT", "2024-03-14"),
        ("March 14, 2024", "2024-03-14"),
        ("14 March 2024", "2024-03-14"),
        ("03/04/2024", None),  # ambiguous: not guessed
        ("2024-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(given: str | None, expected: str | None) -> None:
    assert iso_date(given) == expected
