"""Word lists that type organisation names by their head noun and spot roles and triggers.

Only common nouns and verbs live here: no rule may name a specific institution, person or
article, so edukg generalises to press releases it has never seen.
"""

from __future__ import annotations

# head noun (lower case) → entity type. "college"/"institute"/"academy"/"school" are decided in
# context (a stand-alone institution is a University, a sub-unit an Institute): see types.py.
HEAD_TYPES: dict[str, str] = {
    "university": "University",
    "polytechnic": "University",
    "college": "College",
    "institute": "College",
    "academy": "College",
    "school": "College",
    "institution": "College",
    "center": "Institute",
    "centre": "Institute",
    "lab": "Institute",
    "laboratory": "Institute",
    "laboratories": "Institute",
    "base": "Institute",
    "platform": "Institute",
    "workshop": "Institute",
    "workshops": "Institute",
    "park": "Institute",
    "hub": "Institute",
    "incubator": "Institute",
    "alliance": "Alliance",
    "consortium": "Alliance",
    "association": "Alliance",
    "league": "Alliance",
    "network": "Alliance",
    "federation": "Alliance",
    "coalition": "Alliance",
    "society": "Alliance",
    "ministry": "GovernmentBody",
    "commission": "GovernmentBody",
    "department": "GovernmentBody",
    "departments": "GovernmentBody",
    "bureau": "GovernmentBody",
    "government": "GovernmentBody",
    "committee": "GovernmentBody",
    "council": "GovernmentBody",
    "administration": "GovernmentBody",
    "agency": "GovernmentBody",
    "co": "Enterprise",
    "co.": "Enterprise",
    "company": "Enterprise",
    "corporation": "Enterprise",
    "corp": "Enterprise",
    "corp.": "Enterprise",
    "inc": "Enterprise",
    "inc.": "Enterprise",
    "ltd": "Enterprise",
    "ltd.": "Enterprise",
    "limited": "Enterprise",
    "group": "Enterprise",
    "holdings": "Enterprise",
    "technologies": "Enterprise",
    "llc": "Enterprise",
    "plc": "Enterprise",
    "gmbh": "Enterprise",
    "project": "Program",
    "projects": "Program",
    "initiative": "Program",
    "plan": "Program",
    "outline": "Program",
    "programme": "Program",
    "program": "Program",
    "competition": "Program",
    "strategy": "Program",
    "tournament": "Program",
    "contest": "Program",
    "campaign": "Program",
    "scheme": "Program",
    "bank": "Program",
}

# company suffixes that may follow a comma: "Co., Ltd."
LEGAL_SUFFIXES = {"co.", "co", "ltd.", "ltd", "inc.", "inc", "llc", "plc", "gmbh", "corp.", "corp", "limited"}

# small words allowed inside a name between capitalised words
NAME_CONNECTORS = {"of", "for", "and", "&", "de"}

# sentence-initial or title words that are capitalised but never begin a name
NOT_NAME_START = {
    "the", "a", "an", "on", "in", "at", "by", "for", "from", "to", "with", "after", "before",
    "during", "since", "according", "this", "that", "these", "those", "our", "its", "their",
    "his", "her", "both", "every", "each", "nowadays", "additionally", "meanwhile", "however",
    "moreover", "furthermore", "currently", "recently", "today", "yesterday", "relying", "through",
    "starting", "going", "as", "it", "they", "we", "he", "she", "there", "feature", "deepen",
    "build", "copyright", "note", "registration", "without", "representatives", "presidents",
    "members", "chairperson", "chairman", "president", "director", "dean", "secretary",
    "executive", "deputy", "vice", "professor", "dr", "mr", "ms", "mrs", "said", "photo",
}

# words that make a sub-unit a governance body of its parent, not an entity of its own
GOVERNANCE_WORDS = {"party", "board", "senate", "presidium"}

# leadership titles (lower case, may be multi-word); longest first when matching
TITLES = [
    "executive vice president", "vice president", "executive director", "deputy director",
    "general manager", "managing director", "vice chairman", "vice chair",
    "president", "chairperson", "chairman", "chairwoman", "chair", "secretary", "director",
    "dean", "principal", "rector", "provost", "chancellor", "head", "ceo", "founder",
]
# capitalised words that end a name run: a title splits "USST President Ding Xiaodong"
TITLE_WORDS = {
    "president", "chairperson", "chairman", "chairwoman", "secretary", "director", "dean",
    "principal", "rector", "provost", "chancellor", "ceo", "founder", "manager",
}

# referring expressions: "our college", "the university", "this alliance" → head word → types
GENERIC_HEADS: dict[str, tuple[str, ...]] = {
    "school": ("University",),
    "college": ("University", "Institute"),
    "university": ("University",),
    "institute": ("Institute", "University"),
    "academy": ("Institute", "University"),
    "alliance": ("Alliance",),
    "consortium": ("Alliance",),
    "association": ("Alliance",),
    "committee": ("GovernmentBody",),
    "commission": ("GovernmentBody",),
    "ministry": ("GovernmentBody",),
    "center": ("Institute", "GovernmentBody"),
    "centre": ("Institute", "GovernmentBody"),
    "company": ("Enterprise",),
    "enterprise": ("Enterprise",),
    "group": ("Enterprise",),
    "project": ("Program",),
    "initiative": ("Program",),
}

# hedges that make a statement hypothetical; negations that deny it
HEDGES = {"may", "might", "could", "would", "should", "if", "whether", "unless", "rumored",
          "rumoured", "reportedly", "considering", "consider", "possible", "possibly", "perhaps",
          "hope", "hopes", "hoped"}
NEGATIONS = {"not", "never", "no", "n't", "neither", "nor", "without", "denied", "denies",
             "deny", "cancelled", "canceled", "terminated", "ended", "withdrew", "withdrawn",
             "refused", "rejected", "failed"}

# boilerplate markers: paragraphs holding them are site furniture, not news
BOILERPLATE = ("copyright", "all rights reserved", "without written authorization",
               "registration number", "browsers with", "photo:", "file photo")
