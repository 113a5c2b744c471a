"""Name normalisation shared by IRI minting (kg/iris.py) and entity resolution (kg/resolve.py).

Press releases name one organisation many ways ("the Ministry of Education", "MOE",
"University of Shanghai for Science and Technology (USST)", "Xi'an" / "Xian"). These functions
turn a surface name into comparison keys; the rules are generic (no institution is named here).
"""

from __future__ import annotations

import re
import unicodedata

# function words ignored when building initials and stripped at the start of a name
STOPWORDS = frozenset({"of", "for", "and", "the", "in", "at", "on", "to", "a", "an", "de", "du", "la"})
DETERMINERS = frozenset(
    {"the", "our", "this", "that", "these", "those", "its", "their", "his", "her", "your"}
)
# legal-form words at the end of enterprise names ("Co., Ltd.") that do not distinguish companies
LEGAL_SUFFIXES = frozenset(
    {
        "co",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "company",
        "llc",
        "plc",
        "gmbh",
        "ag",
        "sa",
    }
)
# British/American and singular/plural spellings treated as one word (near-identical spellings)
SPELLING_VARIANTS = {
    "centre": "center",
    "centres": "center",
    "programme": "program",
    "programmes": "program",
    "organisation": "organization",
    "organisations": "organization",
    "labour": "labor",
    "defence": "defense",
}

# head nouns that alone ('College', 'the University') refer to something without naming it
GENERIC_HEADS = frozenset(
    {
        "university",
        "college",
        "school",
        "institute",
        "institution",
        "academy",
        "center",
        "centre",
        "laboratory",
        "lab",
        "company",
        "enterprise",
        "firm",
        "group",
        "alliance",
        "association",
        "consortium",
        "ministry",
        "department",
        "bureau",
        "committee",
        "commission",
        "government",
        "office",
        "city",
        "province",
        "country",
        "region",
        "project",
        "program",
        "programme",
        "initiative",
        "plan",
        "base",
        "platform",
        "campus",
        "team",
        "park",
        "organization",
        "organisation",
        "union",
        "league",
        "federation",
        "council",
        "agency",
        "authority",
    }
)

_APOSTROPHES = "'’‘`´"
_QUOTES = '"“”«»„'


def fold(text: str) -> str:
    """NFKC + accents removed + lower case: 'Zürich' and 'ZURICH' fold alike."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def clean_display(name: str, *, keep_article: bool = False) -> str:
    """The form of a name worth showing as a label: quotes, outer space, a leading 'the' and a
    trailing possessive "'s" removed ("the Ministry of Education" → "Ministry of Education")."""
    text = " ".join(name.strip().strip(_QUOTES).split())
    text = re.sub(r"[’']s$", "", text).strip()
    if not keep_article:
        text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    return text.strip(" ,;:.-") if not text.endswith(".") else text.strip(" ,;:-")


def tokens(name: str) -> list[str]:
    """Lower-case word tokens: apostrophes vanish (Xi'an → xian), '&' is 'and', other
    punctuation separates words."""
    text = fold(name)
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    text = text.replace("&", " and ")
    return re.findall(r"[^\W_]+", text)


def normalize(name: str, entity_type: str | None = None) -> str:
    """Exact-match key: case, punctuation, a leading 'the' and (for enterprises) the legal form
    ignored. 'The Yalong Equipment Co., Ltd.' and 'Yalong Equipment' share a key."""
    toks = tokens(name)
    while toks and toks[0] == "the":
        toks = toks[1:]
    if entity_type == "Enterprise":
        while len(toks) > 1 and toks[-1] in LEGAL_SUFFIXES:
            toks = toks[:-1]
    return " ".join(toks)


def loose_key(key: str) -> str:
    """Near-identical key: spelling variants unified, plural 's' dropped, spaces removed
    ('Co-operation Centre' ~ 'Cooperation Center')."""
    out = []
    for tok in key.split():
        tok = SPELLING_VARIANTS.get(tok, tok)
        if len(tok) > 5 and tok.endswith("ies"):
            tok = tok[:-3] + "y"
        elif len(tok) > 4 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
            tok = tok[:-1]
        out.append(tok)
    return "".join(out)


def transpositions(key: str, min_len: int = 6) -> set[str]:
    """Loose keys of every single adjacent-letter swap inside a word of at least `min_len`
    letters: the one typo edukg forgives ('Univeristy'). Deletions and substitutions are not
    forgiven because real place names differ by one letter (Hunan/Henan, Shanxi/Shaanxi)."""
    words = key.split()
    out: set[str] = set()
    for i, word in enumerate(words):
        if len(word) < min_len:
            continue
        for j in range(len(word) - 1):
            if word[j] == word[j + 1]:
                continue
            swapped = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
            out.add(loose_key(" ".join(words[:i] + [swapped] + words[i + 1 :])))
    return out


def is_acronym(name: str) -> bool:
    """'USST', 'MoE', 'NJTech': one short token with at least two capitals."""
    text = name.strip().strip(".")
    if not text or " " in text or len(text) > 12:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 2 and not text.isdigit()


def acronym_key(name: str) -> str:
    """Comparison form of an acronym: letters only, upper case ('U.S.S.T.' → 'USST')."""
    return "".join(ch for ch in fold(name) if ch.isalnum()).upper()


def initials(name: str) -> set[str]:
    """Acronyms a full name may be abbreviated to: initials of its content words, with and
    without splitting hyphenated words, and with function words ('Ministry of Education' → ME,
    MOE). Empty for names of fewer than two content words."""
    words = [w for w in re.split(r"\s+", fold(name).replace("&", " and ")) if w]
    words = [re.sub(r"[^\w-]", "", w) for w in words]
    words = [w for w in words if w]
    while words and words[0] == "the":
        words = words[1:]
    out: set[str] = set()
    for split_hyphens in (False, True):
        parts: list[str] = []
        for w in words:
            parts.extend(p for p in w.split("-") if p) if split_hyphens else parts.append(w.replace("-", ""))
        content = [p for p in parts if p not in STOPWORDS]
        if len(content) < 2:
            continue
        out.add("".join(p[0] for p in content).upper())
        out.add("".join(p[0] for p in parts).upper())
    return {a for a in out if len(a) >= 2}


def is_generic(name: str) -> bool:
    """A deictic reference, not a name: 'our school', 'the university', 'this project', or a
    bare head noun ('College').
    Such mentions never become labels or resolution keys."""
    words = name.strip().split()
    if not words or len(words) > 4:
        return False
    rest = words[1:] if words[0].lower() in DETERMINERS else words
    if len(rest) == 1 and rest[0].strip(".,;:").lower() in GENERIC_HEADS:
        return True  # 'College', 'the University'
    if words[0].lower() not in DETERMINERS:
        return False
    return all(not any(ch.isupper() or ch.isdigit() for ch in w) for w in rest)


def split_parenthetical(name: str) -> tuple[str, list[str]]:
    """'Moscow State Technological University (Stankin)' → ('Moscow State Technological
    University', ['Stankin']). Years and numbers in brackets are dropped, not kept as aliases."""
    inner = re.findall(r"\(([^()]*)\)", name)
    base = " ".join(re.sub(r"\([^()]*\)", " ", name).split())
    aliases = [i.strip() for i in inner if i.strip() and not re.fullmatch(r"[\d\s\-–/.,]+", i.strip())]
    return (base or name.strip()), aliases
