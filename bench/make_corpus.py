"""Make a synthetic corpus of N English press releases about university–industry cooperation.

Seeded and reproducible: the same --seed and N give byte-identical files. Organisation, person
and place names are generated from syllables (no real institution is named), drawn from fixed
pools with a skewed popularity, so a few organisations recur across thousands of releases the
way real partners do; that is what stresses entity resolution and label upkeep at scale.
Sentence templates vary partnerships, alliances, institutes, programmes, leaders and places.

Files go to OUT/<shard>/release-<n>.txt, 1,000 per shard, so the first k shards are the first
k thousand releases (bench/ingest_scale.py ingests 1, 5 and 10 shards).

    python bench/make_corpus.py 10000 --out /tmp/edukg-corpus [--seed 7] [--jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

SHARD = 1000

ONSETS = [
    "b",
    "br",
    "c",
    "cal",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "qu",
    "r",
    "s",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
    "th",
    "sh",
    "ar",
    "el",
    "or",
    "ul",
]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
CODAS = ["", "n", "r", "l", "s", "th", "x", "m", "nd", "rk", "ven", "ton", "mere", "dale", "ford", "wick"]
FIRST = [
    "Amara",
    "Tomas",
    "Ilse",
    "Wen",
    "Ravi",
    "Lena",
    "Omar",
    "Sofia",
    "Jonas",
    "Mei",
    "Daniel",
    "Aiko",
    "Priya",
    "Lucas",
    "Nadia",
    "Chen",
    "Elena",
    "Kofi",
    "Marta",
    "Yusuf",
    "Hana",
    "Pavel",
    "Ines",
    "Li",
]
TOPICS = [
    "artificial intelligence",
    "battery recycling",
    "industrial automation",
    "crop genomics",
    "quantum sensing",
    "green hydrogen",
    "semiconductor design",
    "marine robotics",
    "smart logistics",
    "biomedical imaging",
    "advanced materials",
    "cybersecurity",
    "digital health",
    "urban mobility",
    "precision agriculture",
    "photonics",
    "intelligent manufacturing",
    "clean water technology",
]
FIRM_KINDS = [
    "Robotics",
    "Systems",
    "Technologies",
    "Materials",
    "Biotech",
    "Energy",
    "Semiconductor",
    "Logistics",
    "Instruments",
    "Software",
    "Medical",
    "Automation",
]
FIRM_SUFFIXES = ["Co., Ltd.", "Inc.", "Group", "Corporation", "Ltd.", "", "", ""]
ROLES = [
    "president",
    "vice president",
    "director",
    "dean of the School of Engineering",
    "chief executive",
    "chief technology officer",
    "head of research",
]


def word(rng: random.Random, parts: int = 2) -> str:
    syllables = [rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(parts)]
    return ("".join(syllables) + rng.choice(CODAS)).capitalize()


@dataclass(frozen=True)
class Org:
    name: str
    short: str
    kind: str  # University, Enterprise, Alliance, Institute, GovernmentBody


class World:
    """Fixed pools of generated names; popularity is skewed (Zipf-like) by drawing indices."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = sorted(
            {word(rng, rng.choice((1, 2))) + rng.choice(["", "ville", " City", "port"]) for _ in range(400)}
        )
        self.universities = self._unique(self._university, 1500)
        self.firms = self._unique(self._firm, 4000)
        self.alliances = self._unique(self._alliance, 250)
        self.institutes = self._unique(self._institute, 600)
        self.agencies = self._unique(self._agency, 120)
        self.people = sorted({f"{rng.choice(FIRST)} {word(rng, 2)}" for _ in range(6000)})

    def _unique(self, make, n: int) -> list[Org]:  # type: ignore[no-untyped-def]
        seen: dict[str, Org] = {}
        while len(seen) < n:
            org = make()
            seen.setdefault(org.name, org)
        return list(seen.values())

    def _university(self) -> Org:
        rng, base = self.rng, word(self.rng, 2)
        place = rng.choice(self.places)
        form = rng.randrange(5)
        if form == 0:
            return Org(f"{base} University", base, "University")
        if form == 1:
            return Org(f"University of {place}", f"{place} University", "University")
        if form == 2:
            return Org(f"{place} Institute of Technology", f"{place} Tech", "University")
        if form == 3:
            return Org(f"{base} Polytechnic University", f"{base} Poly", "University")
        return Org(f"{place} Normal University", f"{place} Normal", "University")

    def _firm(self) -> Org:
        rng = self.rng
        base = word(rng, rng.choice((1, 2)))
        kind = rng.choice(FIRM_KINDS)
        suffix = rng.choice(FIRM_SUFFIXES)
        name = f"{base} {kind} {suffix}".strip()
        return Org(name, f"{base} {kind}", "Enterprise")

    def _alliance(self) -> Org:
        rng = self.rng
        topic = rng.choice(TOPICS).title()
        place = rng.choice(self.places)
        form = rng.randrange(3)
        if form == 0:
            return Org(f"{place} {topic} Industry Alliance", f"{place} alliance", "Alliance")
        if form == 1:
            return Org(f"{topic} Innovation Consortium of {place}", f"{topic} consortium", "Alliance")
        return Org(f"{place} University-Industry Alliance for {topic}", f"{place} alliance", "Alliance")

    def _institute(self) -> Org:
        rng = self.rng
        topic = rng.choice(TOPICS).title()
        base = word(rng, 2)
        if rng.random() < 0.5:
            return Org(f"{base} Institute for {topic}", f"{base} Institute", "Institute")
        return Org(f"Joint Research Institute of {topic}", f"the {topic} institute", "Institute")

    def _agency(self) -> Org:
        rng = self.rng
        place = rng.choice(self.places)
        form = rng.randrange(3)
        if form == 0:
            return Org(
                f"{place} Municipal Bureau of Education", f"{place} education bureau", "GovernmentBody"
            )
        if form == 1:
            return Org(
                f"{place} Department of Science and Technology",
                f"{place} science department",
                "GovernmentBody",
            )
        return Org(f"Ministry of Industry of {place}", f"{place} industry ministry", "GovernmentBody")

    def pick(self, pool: list, skew: float = 1.3):  # type: ignore[no-untyped-def,type-arg]
        """Index drawn from a power law: item 0 is the most popular, the tail is long."""
        index = int(len(pool) * self.rng.random() ** (1 + skew))
        return pool[min(index, len(pool) - 1)]


LEADS = [
    "{uni} and {firm} signed a strategic cooperation agreement in {place} on {day}.",
    "{firm} and {uni} have announced a five-year partnership on {topic}.",
    "On {day}, {uni} entered into a partnership with {firm} to train engineers in {topic}.",
    "{uni} has joined forces with {firm} and {firm2} to build a shared laboratory for {topic}.",
    "{uni} became a member of the {alliance} at a ceremony held in {place}.",
    "The {alliance} welcomed {uni} and {firm} as new members on {day}.",
]
BODY = [
    "Under the agreement, the two sides will set up the {institute}, which will focus on {topic}.",
    "The {institute} was established by {uni} and {firm} and will be based in {place}.",
    "{person}, {role} of {uni}, said the partnership would give students direct access to industry.",
    "{person2} will lead the {institute}, which opens its first laboratory next spring.",
    "The partners also launched the {program}, a joint training programme for {n} students a year.",
    "{firm} will fund {n} scholarships and provide equipment worth several million for {topic} research.",
    "The cooperation is supported by the {agency}, which has made {topic} a priority for the region.",
    "{uni} is also a member of the {alliance}, which brings together {n} universities and companies.",
    "Researchers from {uni} and {firm2} have worked together on {topic} since {year}.",
    "{firm} is headquartered in {place} and employs more than {n}00 people.",
    "Speaking at the signing, {person2}, {role} of {firm}, praised the university's research strength.",
    "The {program} will combine coursework at {uni} with internships at {firm} and {firm2}.",
    "According to {person}, the {institute} will publish its results openly and host visiting scholars.",
    "The {alliance} was founded in {year} by {uni} and several companies working on {topic}.",
    "Students will spend one semester at {firm}'s plant in {place}, working on real production problems.",
    "The agreement follows a pilot project in which {uni} and {firm} jointly developed {topic} prototypes.",
    "In addition, {firm2} will join the {alliance} and contribute test facilities in {place}.",
    "The {agency} will provide seed funding for the first three years of the {program}.",
    "{person} noted that graduates of {uni} already make up a large share of {firm}'s research staff.",
    "A steering committee chaired by {person2} will review the progress of the cooperation every year.",
    "The new centre, part of {uni}, will be located in the {place} science park.",
    "Earlier this year, {firm} opened a research and development centre in {place} together with {uni}.",
]
CLOSERS = [
    "Both sides said they expect the cooperation to deepen in the coming years.",
    "The first joint projects are expected to start in the autumn semester.",
    "Further details will be announced on the university's website.",
    "The signing ceremony was attended by more than {n} guests from industry and academia.",
]
DAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "March 3",
    "June 18",
    "October 9",
    "November 21",
    "the opening day of the forum",
]
TITLES = [
    "{uni_short} and {firm_short} sign cooperation agreement",
    "{uni_short} joins {alliance}",
    "New institute for {topic} launched by {uni_short} and {firm_short}",
    "{firm_short} partners with {uni_short} on {topic}",
    "{uni_short} deepens industry ties in {topic}",
]


def release(world: World, rng: random.Random, index: int) -> tuple[str, str]:
    """(title, text) of release `index`: 4–7 paragraphs, about 250–450 words."""
    uni, firm, firm2 = world.pick(world.universities), world.pick(world.firms), world.pick(world.firms)
    slots = {
        "uni": uni.name,
        "uni_short": uni.short,
        "firm": firm.name,
        "firm_short": firm.short,
        "firm2": firm2.name,
        "alliance": world.pick(world.alliances, 0.8).name,
        "institute": world.pick(world.institutes, 0.5).name,
        "agency": world.pick(world.agencies, 0.8).name,
        "program": f"{rng.choice(TOPICS).title()} Talent Programme",
        "person": world.pick(world.people, 0.3),
        "person2": world.pick(world.people, 0.3),
        "role": rng.choice(ROLES),
        "place": rng.choice(world.places),
        "topic": rng.choice(TOPICS),
        "day": rng.choice(DAYS),
        "year": str(rng.randrange(2005, 2024)),
        "n": str(rng.randrange(12, 95)),
    }
    title = rng.choice(TITLES).format(**slots)
    paragraphs = [rng.choice(LEADS).format(**slots)]
    body = rng.sample(BODY, k=rng.randrange(10, 17))
    while body:
        size = rng.randrange(2, 4)
        paragraphs.append(" ".join(s.format(**slots) for s in body[:size]))
        body = body[size:]
    paragraphs.append(rng.choice(CLOSERS).format(**slots) + f" (Release {index:06d}.)")
    return title, "\n\n".join(paragraphs)


def make_corpus(n: int, out: Path, *, seed: int = 7, jsonl: bool = False) -> int:
    """Write n releases under `out`; returns the total word count."""
    rng = random.Random(seed)
    world = World(random.Random(seed + 1))
    out.mkdir(parents=True, exist_ok=True)
    words = 0
    batch = (out / "releases.jsonl").open("w", encoding="utf-8") if jsonl else None
    try:
        for i in range(n):
            title, text = release(world, rng, i)
            words += len(title.split()) + len(text.split())
            if batch is not None:
                batch.write(
                    json.dumps({"title": title, "text": text, "date": f"2024-{1 + i % 12:02d}-15"}) + "\n"
                )
                continue
            shard = out / f"{i // SHARD:04d}"
            shard.mkdir(exist_ok=True)
            (shard / f"release-{i:06d}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    finally:
        if batch is not None:
            batch.close()
    return words


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, help="number of press releases")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jsonl", action="store_true", help="one releases.jsonl instead of .txt files")
    args = parser.parse_args()
    words = make_corpus(args.n, args.out, seed=args.seed, jsonl=args.jsonl)
    print(
        f"wrote {args.n} releases ({words:,} words, {words / max(args.n, 1):.0f} per release) to {args.out}"
    )


if __name__ == "__main__":
    main()
