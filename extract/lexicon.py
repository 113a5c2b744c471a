"""Word lists that type organisation names by their head noun and spot roles and triggers.

Only common nouns and verbs live here: no rule may name a specific institution, person or
article, so edukg generalises to press releases it has never seen.
"""

from __future__ import annotations

# head noun (lower case) → entity type. "college"/"institute"/"academy"/"school" are decided in
# context (a stand-alone institution is a University, a sub-unit an Institute): see
# ReferenceResolver.type_colleges in extract/components/references.py.
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
    # named competitions, a class of Program ("X Cup Competition", "Y Invitational Tournament")
    "competition": "Program",
    "tournament": "Program",
    "championship": "Program",
    "olympiad": "Program",
    "hackathon": "Program",
    "strategy": "Program",
    "contest": "Program",
    "campaign": "Program",
    "scheme": "Program",
    "bank": "Program",
}

# company suffixes that may follow a comma: "Co., Ltd."
LEGAL_SUFFIXES = {"co.", "co", "ltd.", "ltd", "inc.", "inc", "llc", "plc", "gmbh", "corp.", "corp", "limited"}

# small words allowed inside a name between capitalised words
NAME_CONNECTORS = {"of", "for", "and", "&", "de"}

# honorifics standing before a name ("Prof P") and between a title and a name ("its director Prof P")
HONORIFICS = {
    "prof",
    "prof.",
    "professor",
    "dr",
    "dr.",
    "doctor",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "sir",
    "dame",
}

# words that qualify a leadership title: "Executive Vice President", "deputy dean", "vice-chancellor"
TITLE_MODIFIERS = {
    "vice",
    "deputy",
    "executive",
    "general",
    "senior",
    "associate",
    "assistant",
    "chief",
    "acting",
}

# sentence-initial or title words that are capitalised but never begin a name
NOT_NAME_START = {
    *HONORIFICS,
    "the",
    "a",
    "an",
    "on",
    "in",
    "at",
    "by",
    "for",
    "from",
    "to",
    "with",
    "after",
    "before",
    "during",
    "since",
    "according",
    "this",
    "that",
    "these",
    "those",
    "our",
    "its",
    "their",
    "his",
    "her",
    "both",
    "every",
    "each",
    "additionally",
    "meanwhile",
    "however",
    "moreover",
    "furthermore",
    "currently",
    "recently",
    "today",
    "yesterday",
    "as",
    "it",
    "they",
    "we",
    "he",
    "she",
    "there",
    "chairperson",
    "chairman",
    "president",
    "director",
    "dean",
    "secretary",
    "executive",
    "deputy",
    "vice",
    "professor",
    "dr",
    "mr",
    "ms",
    "mrs",
}

# words that make a sub-unit a governance body of its parent, not an entity of its own
GOVERNANCE_WORDS = {"party", "board", "senate", "presidium"}

# capitalised words that end a name run: a title splits "USST President Ding Xiaodong"
TITLE_WORDS = {
    "president",
    "chairperson",
    "chairman",
    "chairwoman",
    "secretary",
    "director",
    "dean",
    "principal",
    "rector",
    "provost",
    "chancellor",
    "ceo",
    "founder",
    "manager",
}

# words that name a leadership role when matching "P, <role> of X" (not used to split names)
LEAD_TITLE_WORDS = TITLE_WORDS | {
    "executive",
    "chief",
    "head",
    "chair",
    "leader",
    "ceo",
    "cto",
    "vice-president",
    "partner",
    "commissioner",
    "minister",
    "mayor",
}

# referring expressions: "our college", "the university", "this alliance" → head word → types
GENERIC_HEADS: dict[str, tuple[str, ...]] = {
    "school": ("University",),
    "college": ("University", "Institute"),
    "university": ("University",),
    "institute": ("Institute", "University"),
    "laboratory": ("Institute",),
    "lab": ("Institute",),
    "base": ("Institute",),
    "platform": ("Institute",),
    "academy": ("Institute", "University"),
    "alliance": ("Alliance",),
    "consortium": ("Alliance",),
    "association": ("Alliance",),
    "committee": ("GovernmentBody",),
    "department": ("GovernmentBody",),
    "bureau": ("GovernmentBody",),
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
HEDGES = {
    "may",
    "might",
    "could",
    "would",
    "should",
    "if",
    "whether",
    "unless",
    "rumored",
    "rumoured",
    "reportedly",
    "considering",
    "consider",
    "possible",
    "possibly",
    "perhaps",
    "hope",
    "hopes",
    "hoped",
}
NEGATIONS = {
    "not",
    "never",
    "no",
    "n't",
    "neither",
    "nor",
    "without",
    "denied",
    "denies",
    "deny",
    "cancelled",
    "canceled",
    "terminated",
    "ended",
    "withdrew",
    "withdrawn",
    "refused",
    "rejected",
    "failed",
}

# boilerplate markers: paragraphs holding them are site furniture, not news
BOILERPLATE = (
    "copyright",
    "all rights reserved",
    "without written authorization",
    "registration number",
    "browsers with",
    "photo:",
    "file photo",
)

# --- organisation names: typing from context (entity section) ---------------------------------
# general English class nouns for kinds of organisation (lemma → type): "tech giant Cisco",
# "Acme, an engineering firm", "Kingston and Teesside universities"
ORG_CLASS_NOUNS: dict[str, str] = {
    "company": "Enterprise",
    "firm": "Enterprise",
    "corporation": "Enterprise",
    "giant": "Enterprise",
    "producer": "Enterprise",
    "manufacturer": "Enterprise",
    "maker": "Enterprise",
    "provider": "Enterprise",
    "supplier": "Enterprise",
    "operator": "Enterprise",
    "carrier": "Enterprise",
    "startup": "Enterprise",
    "enterprise": "Enterprise",
    "conglomerate": "Enterprise",
    "multinational": "Enterprise",
    "contractor": "Enterprise",
    "employer": "Enterprise",
    "telco": "Enterprise",
    "university": "University",
    "college": "University",
    "polytechnic": "University",
    "institution": "University",
    "alliance": "Alliance",
    "consortium": "Alliance",
    "network": "Alliance",
    "association": "Alliance",
    "ministry": "GovernmentBody",
    "agency": "GovernmentBody",
    "regulator": "GovernmentBody",
    "authority": "GovernmentBody",
    "institute": "Institute",
    "laboratory": "Institute",
    "lab": "Institute",
}

# words that open a list of the things a plural class noun just named ("companies, including")
LIST_INTRODUCERS = {"including", "include", "includes", "like", "as", "namely", "are", ":"}

# heads of sub-units whose type depends on their parent: a government's own office is a
# GovernmentBody, a university's or a company's is an Institute (decided in references.py)
SUBUNIT_HEADS = {
    "office",
    "department",
    "division",
    "unit",
    "faculty",
    "committee",
    "council",
    "foundation",
    "secretariat",
    "directorate",
    "embassy",
    "consulate",
}
# sub-unit heads that, with no parent named, are a government's own bodies ("Department of Labor")
GOVERNMENT_SUBUNITS = {
    "office",
    "department",
    "committee",
    "council",
    "embassy",
    "consulate",
    "secretariat",
    "directorate",
}

# words of a college/institute name that make it a stand-alone higher-education institution
HEI_KIND_WORDS = {"community", "vocational", "technical", "polytechnic", "technological"}
# an "Institute of Technology"-style field tail also marks one; a research institute never is
HEI_FIELD_TAILS = {"technology", "engineering", "science", "sciences", "arts"}

# last words of venues the model calls organisations ("the Administration Building")
VENUE_WORDS = {
    "building",
    "hall",
    "room",
    "campus",
    "auditorium",
    "stadium",
    "hotel",
    "street",
    "road",
    "avenue",
}

# words next to an unexplained acronym that make it a university ("ACU students", "dean of ACU")
ACADEMIC_WORDS = {
    "student",
    "students",
    "professor",
    "professors",
    "faculty",
    "alumni",
    "campus",
    "dean",
    "rector",
    "provost",
    "chancellor",
    "vice-chancellor",
    "undergraduate",
    "postgraduate",
    "graduate",
}

# "university" in languages whose names put the head first ("Universiti Teknologi Malaysia",
# "Université de Montréal", "Universitas Indonesia"): the word, not any one institution
HEAD_INITIAL_UNIVERSITY = {
    "universiti",
    "universitas",
    "université",
    "universität",
    "universidad",
    "universidade",
    "università",
    "universiteit",
    "universitat",
    "uniwersytet",
}

# rank words that, before a title, belong to the title and not to the name before it
RANK_WORDS = {
    "vice",
    "deputy",
    "executive",
    "chief",
    "general",
    "managing",
    "senior",
    "associate",
    "assistant",
}

# --- relations -------------------------------------------------------------------------------
# Trigger words of the relation rules (extract/rules/) and of the learned scorer's features:
# common verbs and nouns of founding, cooperation, membership and leadership in any press release.

EST_VERBS = {
    "establish",
    "found",
    "launch",
    "set",
    "build",
    "create",
    "initiate",
    "host",
    "open",
    "inaugurate",
    "co-build",
    "cobuild",
    "construct",
    "develop",
    "propose",
    "form",
    "start",
    "sponsor",
    "organize",
    "organise",
    "co-found",
    "unveil",
    "incubate",
}
EST_NOUNS = {"establishment", "construction", "creation", "founding", "launch", "building", "setup"}
PARTNER_WORDS = {
    "partnership",
    "cooperation",
    "co-operation",
    "collaboration",
    "cooperate",
    "collaborate",
    "partner",
    "agreement",
    "contract",
    "memorandum",
    "mou",
    "alliance",
    "consensus",
    "ties",
    "understanding",
}
AGREE_VERBS = {
    "sign",
    "reach",
    "conclude",
    "ink",
    "establish",
    "form",
    "forge",
    "enter",
    "renew",
    "extend",
    "expand",
    "deepen",
    "strengthen",
}
MEMBER_WORDS = {"member", "members", "membership", "incorporate", "include", "join", "comprise"}
COLLEGE_HEADS = {
    "college",
    "school",
    "academy",
    "institute",
    "center",
    "centre",
    "lab",
    "laboratory",
    "department",
    "faculty",
}
ROLE_NOUNS = {
    "president",
    "presidents",
    "representative",
    "representatives",
    "leader",
    "leaders",
    "head",
    "heads",
    "delegation",
    "delegations",
    "secretary",
    "director",
    "dean",
}
GROUP_NOUNS = {"universities", "colleges", "members", "institutions", "schools"}
