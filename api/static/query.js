// edukg query page: plain JS, no dependencies, no network beyond this server.
"use strict";

const PREFIXES = {
  "https://w3id.org/edukg/ontology#": "edukg:",
  "https://w3id.org/edukg/id/": "id:",
  "https://w3id.org/edukg/article/": "article:",
  "http://www.w3.org/2004/02/skos/core#": "skos:",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
  "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
  "http://purl.org/dc/terms/": "dcterms:",
  "https://schema.org/": "schema:",
  "http://www.w3.org/ns/prov#": "prov:",
  "http://www.w3.org/2001/XMLSchema#": "xsd:",
};
const NUMERIC = /#(integer|decimal|double|float|long|int)$/;
const $ = (id) => document.getElementById(id);

function shorten(iri) {
  for (const [ns, prefix] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns)) return prefix + iri.slice(ns.length);
  }
  return iri;
}

function entityLink(iri) {
  // https://w3id.org/edukg/id/<type>/<slug> → that entity's page (its neighbourhood, for people)
  const m = iri.match(/^https:\/\/w3id\.org\/edukg\/id\/([a-z]+)\/([a-z0-9-]+)$/);
  if (m) return `/graph/entity/${m[1]}/${m[2]}`;
  const a = iri.match(/^https:\/\/w3id\.org\/edukg\/article\/([0-9a-f]{16})$/);
  if (a) return `/articles/${a[1]}`;
  return null;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const link = entityLink(term.value);
    const el = document.createElement(link ? "a" : "span");
    el.className = "iri";
    el.textContent = shorten(term.value);
    el.title = term.value;
    if (link) el.href = link;
    td.appendChild(el);
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
  } else {
    td.textContent = term.value;
    if (term.datatype && NUMERIC.test(term.datatype)) td.className = "num";
    if (term["xml:lang"]) {
      const lang = document.createElement("span");
      lang.className = "lang";
      lang.textContent = " @" + term["xml:lang"];
      td.appendChild(lang);
    }
  }
  return td;
}

function renderSolutions(data) {
  const box = $("results");
  box.textContent = "";
  if (typeof data.boolean === "boolean") {
    const p = document.createElement("p");
    p.className = "boolean";
    p.textContent = data.boolean ? "true" : "false";
    box.appendChild(p);
    return "ASK: " + data.boolean;
  }
  const vars = data.head.vars || [];
  const rows = data.results.bindings;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of vars) tr.appendChild(cell(row[v]));
  }
  box.appendChild(table);
  return `${rows.length} row${rows.length === 1 ? "" : "s"}`;
}

function renderGraph(text) {
  const box = $("results");
  box.textContent = "";
  const pre = document.createElement("pre");
  pre.className = "graph";
  pre.textContent = text || "# empty graph";
  box.appendChild(pre);
  const triples = text.split("\n").filter((l) => /\.\s*$/.test(l) && !l.startsWith("@prefix")).length;
  return `graph (${triples} statement line${triples === 1 ? "" : "s"})`;
}

async function run() {
  const query = $("query").value;
  const button = $("run");
  button.disabled = true;
  $("error").hidden = true;
  $("status").textContent = "running…";
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: query,
    });
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      const text = await response.text();
      markError(query, text);
      throw new Error(`${response.status} ${response.statusText}: ${text.trim()}`);
    }
    const type = response.headers.get("Content-Type") || "";
    const summary = type.includes("json") ? renderSolutions(await response.json()) : renderGraph(await response.text());
    $("status").textContent = `${summary} · ${ms} ms`;
  } catch (err) {
    $("results").textContent = "";
    $("error").textContent = err.message;
    $("error").hidden = false;
    $("status").textContent = "";
  } finally {
    button.disabled = false;
  }
}

async function loadExamples() {
  const list = $("examples");
  try {
    const response = await fetch("/queries");
    const examples = await response.json();
    list.textContent = "";
    if (!examples.length) list.innerHTML = '<li class="muted">no example queries installed</li>';
    for (const ex of examples) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = ex.title;
      if (ex.description) {
        const small = document.createElement("small");
        small.textContent = ex.description;
        button.appendChild(small);
      }
      button.addEventListener("click", () => {
        $("query").value = ex.query;
        showParams(ex);
        showDownloads();
        run();
      });
      li.appendChild(button);
      list.appendChild(li);
    }
  } catch (err) {
    list.innerHTML = '<li class="muted">could not load examples</li>';
  }
}

let paramTimer = null;

function showParams(ex) {
  // an example's parameters (e.g. a university name) as inputs; the server fills them in safely
  const box = $("params");
  box.textContent = "";
  box.hidden = !ex.params.length;
  for (const p of ex.params) {
    const label = document.createElement("label");
    label.textContent = p.name;
    label.title = p.description;
    const input = document.createElement("input");
    input.name = p.name;
    input.value = p.default;
    input.placeholder = p.description;
    input.size = Math.max(20, p.description.length + 2); // the whole hint shows, not its first words
    input.addEventListener("input", () => {
      clearTimeout(paramTimer);
      paramTimer = setTimeout(() => renderExample(ex.name), 250);
    });
    label.appendChild(input);
    box.appendChild(label);
  }
}

async function renderExample(name) {
  const params = new URLSearchParams();
  for (const input of $("params").querySelectorAll("input")) params.set(input.name, input.value);
  const response = await fetch(`/queries/${encodeURIComponent(name)}?${params}`);
  if (response.ok) {
    $("query").value = (await response.json()).query;
    showDownloads();
  }
}

function markError(query, message) {
  // "… at line L, column C …": select the offending token in the editor
  const m = message.match(/at line (\d+), column (\d+)/);
  if (!m) return;
  const lines = query.split("\n");
  const line = Math.min(Number(m[1]), lines.length);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  offset = Math.min(offset + Number(m[2]) - 1, query.length);
  const token = message.match(/near '([^']*)'/);
  const end = token ? Math.min(offset + token[1].replace(/…$/, "").length, query.length) : offset;
  const editor = $("query");
  editor.focus();
  editor.setSelectionRange(offset, end);
}

function queryForm(query) {
  // the query form after the prologue: comments, strings and IRIs cannot hide a keyword here
  const text = query.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, " ").replace(/"[^"\n]*"|'[^'\n]*'/g, " ");
  const m = text.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i);
  return m ? m[1].toLowerCase() : "select";
}

function showDownloads() {
  // offer only the formats the endpoint gives for this query form (Turtle for a SELECT is a 406)
  const form = queryForm($("query").value);
  for (const a of document.querySelectorAll(".downloads a")) {
    a.hidden = !a.dataset.forms.split(" ").includes(form);
  }
}

function download(event) {
  event.preventDefault();
  const format = event.target.dataset.format;
  const url = `/sparql?format=${encodeURIComponent(format)}&query=${encodeURIComponent($("query").value)}`;
  window.open(url, "_blank");
}

$("run").addEventListener("click", run);
$("query").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run();
  }
});
for (const a of document.querySelectorAll(".downloads a")) a.addEventListener("click", download);
$("query").addEventListener("input", showDownloads);
showDownloads();
loadExamples();
