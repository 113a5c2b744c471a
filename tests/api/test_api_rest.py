"""REST look-ups and writes on the seed store, cross-checked with SPARQL: in-process (TestClient
and the real extractor), since none of it needs a server process."""

from __future__ import annotations

import re

import pytest

from .conftest import InProcess, Server
from .test_api_sparql import N_SEED

pytestmark = pytest.mark.slow

KEY = "X-API-Key"


@pytest.fixture
def server(inproc: InProcess) -> InProcess:
    return inproc


def sparql_ask(server: Server, query: str) -> bool:
    with server.client() as c:
        r = c.get("/sparql", params={"query": query})
        r.raise_for_status()
        return bool(r.json()["boolean"])


def test_search_by_name_type_and_paging(server: Server) -> None:
    with server.client() as c:
        r = c.get("/entities", params={"q": "xi'an university"})
        assert r.status_code == 200
        labels = [e["label"] for e in r.json()["items"]]
        assert "Xi'an University of Technology" in labels
        universities = c.get("/entities", params={"type": "University", "limit": 500}).json()
        assert universities["total"] == len(universities["items"]) > 0
        assert {e["type"] for e in universities["items"]} == {"University"}
        everything = c.get("/entities", params={"limit": 500}).json()
        page = c.get("/entities", params={"limit": 3, "offset": 2}).json()
        assert page["total"] == everything["total"]
        assert [e["iri"] for e in page["items"]] == [e["iri"] for e in everything["items"][2:5]]
        # q also matches aliases (skos:altLabel)
        with_alias = [e for e in everything["items"] if e["aliases"]]
        assert with_alias, "the seed graph has entities known by more than one name"
        entity = with_alias[0]
        alias = entity["aliases"][0]
        found = c.get("/entities", params={"q": alias.upper(), "limit": 500}).json()["items"]
        assert entity["iri"] in [e["iri"] for e in found]


def find_entity(server: Server, label: str) -> dict:
    with server.client() as c:
        items = c.get("/entities", params={"q": label, "limit": 50}).json()["items"]
    matches = [e for e in items if e["label"] == label]
    assert matches, f"{label!r} not in the store"
    return matches[0]


def test_entity_relations_carry_evidence_and_article(server: Server) -> None:
    xut = find_entity(server, "Xi'an University of Technology")
    with server.client() as c:
        r = c.get(f"/entities/{xut['id']}", params={"type": xut["type"]})
        assert r.status_code == 200, r.text
        detail = r.json()
        assert detail["iri"] == xut["iri"]
        assert "University" in detail["types"]
        assert detail["articles"]
        partners = [rel for rel in detail["relations"] if rel["predicate"] == "partnersWith"]
        huawei = [rel for rel in partners if rel["other"]["label"] == "Huawei"]
        assert huawei, [rel["other"]["label"] for rel in partners]
        evidence = huawei[0]["evidence"]
        assert evidence and all(e["sentence"] for e in evidence)
        assert any("Huawei" in e["sentence"] for e in evidence)
        article = evidence[0]["article"]
        assert c.get(f"/articles/{article['id']}").status_code == 200
        assert 0.0 <= evidence[0]["confidence"] <= 1.0
        # without ?type= the slug alone is enough when it is unambiguous
        assert c.get(f"/entities/{xut['id']}").json()["iri"] == xut["iri"]
    # the same fact through SPARQL
    assert sparql_ask(
        server,
        f"""PREFIX edukg: <https://w3id.org/edukg/ontology#>
        ASK {{ <{xut["iri"]}> edukg:partnersWith ?p . ?ev a edukg:Evidence ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
              <http://www.w3.org/ns/prov#wasDerivedFrom> <{article["iri"]}> }}""",
    )


def test_neighbours(server: Server) -> None:
    xut = find_entity(server, "Xi'an University of Technology")
    with server.client() as c:
        one = c.get(f"/entities/{xut['id']}/neighbours", params={"depth": 1}).json()
        two = c.get(f"/entities/{xut['id']}/neighbours", params={"depth": 2}).json()
    labels = {n["label"] for n in one["nodes"]}
    assert "Huawei" in labels
    assert {n["iri"] for n in one["nodes"]} <= {n["iri"] for n in two["nodes"]}
    assert all(n["depth"] <= 1 for n in one["nodes"]) and one["nodes"][0]["iri"] == xut["iri"]
    ids = {n["id"] for n in one["nodes"]}
    assert one["edges"] and all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    # a symmetric relation is one edge, not two
    pairs = [(e["source"], e["target"]) for e in one["edges"] if e["predicate"] == "partnersWith"]
    assert len(pairs) == len({frozenset(p) for p in pairs})


def test_articles_list_and_detail(server: Server) -> None:
    with server.client() as c:
        listing = c.get("/articles", params={"limit": 500}).json()
        assert listing["total"] >= N_SEED
        seeded = [a for a in listing["items"] if "data/articles/" in (a["source"] or "")]
        assert len(seeded) == N_SEED
        detail = c.get(f"/articles/{seeded[0]['id']}").json()
        assert detail["iri"] == seeded[0]["iri"] and detail["title"]
        assert detail["triples"] > 0 and detail["entities"]
        assert all(e["names"] for e in detail["entities"])
        stats = c.get("/stats").json()
        assert stats["articles"] == listing["total"]
        assert stats["entities"] == sum(stats["entities_by_type"].values())
        r = c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == stats["quads"]


ARTICLE = """Norvale Polytechnic University signs cooperation agreement with Quillon Robotics

On 3 May, Norvale Polytechnic University and Quillon Robotics Co., Ltd. signed a strategic
cooperation agreement in Lisbon. Under the agreement, the two sides will jointly establish the
Norvale–Quillon Institute of Intelligent Manufacturing, train engineers, and share laboratories.
President Maren Holt of Norvale Polytechnic University said the partnership would help students.
"""


def test_post_text_then_delete_leaves_the_store_as_it_was(server: Server) -> None:
    before = server.quads()
    with server.client() as c:
        r = c.post("/articles", content=ARTICLE, headers={"Content-Type": "text/plain", KEY: server.key})  # type: ignore[dict-item]
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "ingested"
        assert re.fullmatch(r"[0-9a-f]{16}", body["article"]["id"])
        assert r.headers["location"] == f"/articles/{body['article']['id']}"
        names = {e["name"] for e in body["extraction"]["entities"]}
        assert any("Norvale" in n for n in names), names
        assert body["article"]["title"].startswith("Norvale Polytechnic University signs")
        iri = body["article"]["iri"]
        assert server.quads() > before
        assert sparql_ask(
            server, f"ASK {{ GRAPH <{iri}> {{ <{iri}> a <https://w3id.org/edukg/ontology#Article> }} }}"
        )
        detail = c.get(f"/articles/{body['article']['id']}").json()
        assert detail["source"].startswith("upload:")
        # the same text again changes nothing
        again = c.post("/articles", content=ARTICLE, headers={"Content-Type": "text/plain", KEY: server.key})  # type: ignore[dict-item]
        assert again.status_code == 200 and again.json()["status"] == "unchanged"
        r = c.delete(f"/articles/{body['article']['id']}", headers={KEY: server.key})  # type: ignore[dict-item]
        assert r.status_code == 200, r.text
        assert r.json()["removed"] == [iri]
        assert c.get(f"/articles/{body['article']['id']}").status_code == 404
    assert server.quads() == before


def test_post_html_and_json_with_metadata(server: Server) -> None:
    before = server.quads()
    html = f"""<!doctype html><html><head><title>Norvale and Quillon cooperate</title></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Norvale Polytechnic University signs agreement with Quillon Robotics</h1>
{"".join(f"<p>{p}</p>" for p in ARTICLE.split(chr(10))[2:] if p)}</article>
<footer>Copyright Norvale Polytechnic University</footer></body></html>"""
    with server.client() as c:
        r = c.post(
            "/articles",
            content=html,
            params={"url": "https://news.example.org/norvale-quillon", "date": "2024-05-03"},
            headers={"Content-Type": "text/html; charset=utf-8", KEY: server.key},
        )  # type: ignore[dict-item]
        assert r.status_code == 201, r.text
        made = r.json()["article"]
        assert made["url"] == "https://news.example.org/norvale-quillon"
        assert made["source"] == made["url"] and made["date"] == "2024-05-03"
        assert "Home" not in c.get(f"/articles/{made['id']}").json()["title"]

        doc = {
            "text": ARTICLE.replace("3 May", "4 May"),
            "title": "Norvale–Quillon agreement",
            "publisher": "Norvale News",
            "date": "2024-05-04",
        }
        r = c.post("/articles", json=doc, headers={KEY: server.key})  # type: ignore[dict-item]
        assert r.status_code == 201, r.text
        made2 = r.json()["article"]
        detail = c.get(f"/articles/{made2['id']}").json()
        assert (detail["title"], detail["publisher"], detail["date"]) == (
            "Norvale–Quillon agreement",
            "Norvale News",
            "2024-05-04",
        )
        for made_id in (made["id"], made2["id"]):
            assert c.delete(f"/articles/{made_id}", headers={KEY: server.key}).status_code == 200  # type: ignore[dict-item]
    assert server.quads() == before


def test_non_english_article_is_refused(server: Server) -> None:
    text = (
        "Die Technische Universität Norvale und die Firma Quillon Robotik GmbH haben am Montag in Lissabon "
        "einen Kooperationsvertrag unterzeichnet. Beide Seiten wollen gemeinsam Ingenieure ausbilden und "
        "ein Labor für intelligente Fertigung aufbauen."
    )
    before = server.quads()
    with server.client() as c:
        r = c.post("/articles", content=text, headers={"Content-Type": "text/plain", KEY: server.key})  # type: ignore[dict-item]
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "not_english"
    assert server.quads() == before


def test_health_page_docs_and_examples(server: Server) -> None:
    with server.client() as c:
        health = c.get("/health").json()
        assert health["status"] == "ok" and health["store"]["quads"] > 0
        page = c.get("/")
        assert page.status_code == 200 and "<textarea" in page.text
        assert 'href="/graph"' in page.text
        assert c.get("/query").text == page.text
        for src in re.findall(r'(?:src|href)="([^"]+)"', page.text):
            assert not src.startswith(("http:", "https:", "//")), f"the page loads {src} from outside"
            if src.startswith("/static/"):
                assert c.get(src).status_code == 200, src
        docs = c.get("/docs").text
        assets = re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", docs)
        assert assets and all(a.startswith("/static/") for a in assets), assets
        assert all(c.get(a).status_code == 200 for a in assets)
        spec = c.get("/openapi.json").json()
        for path in (
            "/sparql",
            "/entities",
            "/entities/{entity_id}",
            "/entities/{entity_id}/neighbours",
            "/articles",
            "/articles/{article_id}",
            "/stats",
            "/health",
        ):
            assert path in spec["paths"], path
        examples = c.get("/queries").json()
        assert examples and all(e["title"] and e["query"] for e in examples)
        with_param = [e for e in examples if e["params"]]
        assert with_param
        ex = with_param[0]
        name = ex["params"][0]["name"]
        rendered = c.get(f"/queries/{ex['name']}", params={name: 'a "quoted" value'}).json()["query"]
        assert '"a \\"quoted\\" value"' in rendered
