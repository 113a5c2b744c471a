"""Builders for the files the ingest tests make, and a real HTTP server on loopback.

The texts are short invented press releases (no real institution is named); each builder returns
what the test needs to assert on, so expectations come from the inputs, not from hard-coded
outputs.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PARTNERSHIP = (
    "{uni} and {firm} announced a research partnership on Monday. "
    "The two partners will open a joint laboratory for {topic} on the {uni} campus. "
    "Professor {person} will lead the laboratory, and {firm} will fund six doctoral students."
)
ALLIANCE = (
    "{uni} joined the {alliance} this week. The alliance brings together universities and "
    "companies working on {topic}. {person}, president of {uni}, said membership would help "
    "students find placements with industry partners."
)
GERMAN = (
    "Die {uni} und die Firma {firm} haben heute eine Forschungspartnerschaft unterzeichnet. "
    "Gemeinsam wollen die Partner ein Labor für {topic} auf dem Campus eröffnen, das von "
    "Professorin {person} geleitet wird."
)


def release(template: str, **names: str) -> str:
    return template.format(**names)


@dataclass
class Page:
    """An HTML page with navigation, a cookie banner, a sidebar and a footer around the article."""

    title: str
    paragraphs: list[str]
    date: str = "2024-03-14"
    canonical: str | None = None
    site_name: str = "Campus Newsroom"

    CHROME = (
        "We use cookies to improve your experience",
        "Accept all cookies",
        "Admissions",
        "Alumni portal",
        "Copyright 2024",
        "Privacy policy",
        "Most read stories",
    )

    def html(self) -> str:
        canonical = f'<link rel="canonical" href="{self.canonical}">' if self.canonical else ""
        body = "\n".join(f"<p>{p}</p>" for p in self.paragraphs)
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{self.title} | {self.site_name}</title>
{canonical}
<meta property="og:site_name" content="{self.site_name}">
<meta property="og:title" content="{self.title}">
<meta name="date" content="{self.date}">
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience.
<button>Accept all cookies</button> <a href="/privacy">Manage preferences</a></p></div>
<header class="site-header"><nav class="main-menu"><ul>
<li><a href="/">Home</a></li><li><a href="/study">Admissions</a></li>
<li><a href="/research">Research</a></li><li><a href="/alumni">Alumni portal</a></li>
<li><a href="/contact">Contact</a></li></ul></nav></header>
<main><article>
<h1>{self.title}</h1>
<p class="byline">Published {self.date}</p>
{body}
</article>
<aside class="sidebar"><h3>Most read stories</h3><ul>
<li><a href="/a">Library opening hours change</a></li><li><a href="/b">New parking rules</a></li>
</ul></aside></main>
<footer class="site-footer"><p>Copyright 2024 Campus Newsroom. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
</body></html>
"""


def rss(items: list[dict[str, str]], *, title: str = "Campus Newsroom: press releases") -> str:
    """An RSS 2.0 document; each item dict has title, link, pubDate and optional description."""
    parts = []
    for item in items:
        desc = f"<description>{item['description']}</description>" if "description" in item else ""
        parts.append(
            f"<item><title>{item['title']}</title><link>{item['link']}</link>"
            f"<pubDate>{item['pubDate']}</pubDate>{desc}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://127.0.0.1/</link><description>News</description>"
        + "".join(parts)
        + "</channel></rss>\n"
    )


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", "utf-8")
    return path


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site folder, plus /slow (drips past the client's timeout) and /huge."""

    slow_seconds = 3.0

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            time.sleep(self.slow_seconds)
            with suppress(OSError):
                self.wfile.write(b"<html><body><p>late</p></body></html>")
            return
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            except OSError:
                pass
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (free port) serving `folder`; yields its base URL."""

    def handler(*args: Any, **kwargs: Any) -> _Handler:
        return _Handler(*args, directory=str(folder), **kwargs)

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


FIRMS = ["Brightkite Robotics", "Lumenfold Materials", "Tessaly Systems", "Orvane Biotech"]
UNIS = ["Northvale University", "Redmere Institute of Technology", "Halberg University"]


def names(i: int) -> dict[str, str]:
    return {
        "uni": UNIS[i % len(UNIS)],
        "firm": FIRMS[i % len(FIRMS)],
        "topic": ["battery recycling", "industrial automation", "crop genomics"][i % 3],
        "person": ["Amara Quinlan", "Tomas Brandt", "Ilse Marr"][i % 3],
        "alliance": "Coastal Engineering Alliance",
    }


class Corpus:
    """A drop of mixed inputs and what each should become."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.english: dict[str, dict[str, Any]] = {}  # source → expected metadata
        self.duplicates: list[str] = []
        self.non_english: list[str] = []
        self.corrupt: list[str] = []

    def add_text(self, name: str, text: str, **meta: Any) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        self.english[str(path)] = {"title": text.strip().splitlines()[0], **meta}
        return path


def make_corpus(root: Path) -> Corpus:
    """HTML page, .txt/.md files, a JSONL batch, a duplicate under two names (one with CRLF),
    a German article and two corrupt files."""
    c = Corpus(root)
    page = Page(
        title="Northvale University opens a joint laboratory with Brightkite Robotics",
        paragraphs=[release(PARTNERSHIP, **names(0))],
        date="2024-03-14",
        canonical="https://news.example.org/2024/joint-lab",
    )
    (c.root / "web").mkdir()
    html_path = c.root / "web" / "lab.html"
    html_path.write_text(page.html(), "utf-8")
    c.english[str(html_path)] = {
        "title": page.title,
        "date": "2024-03-14",
        "url": page.canonical,
        "publisher": page.site_name,
    }
    c.add_text("a.txt", "Alliance grows\n\n" + release(ALLIANCE, **names(1)) + "\n")
    c.add_text("notes/b.md", "Battery partnership\n\n" + release(PARTNERSHIP, **names(2)) + "\n")
    dup = c.root / "copies" / "a-copy.txt"
    dup.parent.mkdir()
    shutil.copy(c.root / "a.txt", dup)
    crlf = c.root / "copies" / "a-crlf.txt"
    crlf.write_bytes((c.root / "a.txt").read_bytes().replace(b"\n", b"\r\n"))
    c.duplicates = [str(dup), str(crlf)]
    batch = write_jsonl(
        c.root / "batch.jsonl",
        [
            {
                "title": "Genomics institute",
                "text": release(PARTNERSHIP, **names(3)),
                "url": "https://news.example.org/genomics",
                "date": "2024-04-02",
                "publisher": "Redmere Press Office",
            },
            {"title": "Materials alliance", "text": release(ALLIANCE, **names(4)), "date": "5 May 2024"},
        ],
    )
    c.english["https://news.example.org/genomics"] = {
        "title": "Genomics institute",
        "date": "2024-04-02",
        "url": "https://news.example.org/genomics",
        "publisher": "Redmere Press Office",
    }
    c.english[f"{batch}:2"] = {"title": "Materials alliance", "date": "2024-05-05"}
    german = c.root / "de.txt"
    german.write_text("Neues Labor\n\n" + release(GERMAN, **names(0)), "utf-8")
    c.non_english = [str(german)]
    broken = c.root / "broken.txt"
    broken.write_bytes(b"\x00\x9f\x92\x96 not text \x00" * 40)
    bad_html = c.root / "empty.html"
    bad_html.write_text("<html><head><title>x</title></head><body></body></html>", "utf-8")
    c.corrupt = [str(broken), str(bad_html)]
    return c
