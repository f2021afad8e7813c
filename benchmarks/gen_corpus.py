#!/usr/bin/env python3
"""Deterministic synthetic news-archive corpus (standard library only).

    python3 gen_corpus.py OUT_DIR N [--seed S] [--flavor plain|hugo|pelican|eleventy] [--stories K]
                         [--languages L]

Writes N Markdown news articles spread over 2005-2024. Every article has a
title, an ISO 8601 date with a UTC offset, 1-5 tags (Zipf over ~300), one
hierarchical region (Zipf over ~120, e.g. middle-east/iraq/anbar), an author,
a summary (the lead sentence) and a unique slug; the body has 400-1200 words
of prose in paragraphs, 1-3 `##` subheadings and, sometimes, a list, a
blockquote, a link and emphasis.

Article i depends only on (seed, i), so a corpus of N articles is a prefix of
any larger one with the same seed. --stories K adds K running stories after
them: each 3-8 more articles a few days apart, in one region and on one tag,
whose front matter names the story (`story: airstrikes-in-anbar`). The flavor changes only the front-matter
syntax and the file layout, so each tool builds the same articles natively:

  plain     OUT/YYYY/SLUG.md               YAML (the Dateline schema)
  hugo      OUT/content/articles/YYYY/...  YAML + taxonomies regions/years/months
                                           (Hugo nests "a/b" terms under "a")
  pelican   OUT/content/YYYY/...           Markdown meta-data; Category = region
  eleventy  OUT/articles/YYYY/...          YAML; Eleventy builds collections

--languages L (plain flavor) writes a multilingual archive in the first L languages of
LANGUAGES, English (the default) first. Each of the N articles gets a language, the default
the most (about 30 % from 6 languages on), the others fewer and fewer; one in another
language goes to OUT/CODE/YYYY/SLUG.md, its title and summary headed by a word of that
language ("Bericht: ...", "تقرير: ..."). About a third of the default language's articles are
translated into 1-4 other languages: the same date and body at the same path under each
language's folder (OUT/de/YYYY/SLUG.md), title and summary headed by that language's word
for a translation ("Übersetzt: ...", "翻訳: ..."). Translations come on top of the N
articles, so article i and its translations still depend only on (seed, i) (for a given L).
The slug of an article in another language is left for Dateline to make from its title, so
slugs in other scripts are made too, unless two titles of one language could make one slug.
Running stories stay in the default language, untranslated. --languages 1 (the default)
writes exactly the single-language archive.
"""

import argparse
import datetime as dt
import itertools
import json
import random
import re
import unicodedata
from pathlib import Path

# Blank lines separate topic groups; the Zipf rank order takes them in turn.
TAGS = """
elections protests corruption parliament diplomacy sanctions human-rights coup
referendum constitution opposition censorship press-freedom foreign-policy
presidential-election local-elections campaign-finance impeachment lobbying populism
nationalism government-shutdown cabinet-reshuffle political-prisoners martial-law
state-of-emergency voter-turnout opinion-polls coalition-talks separatism autonomy
federalism term-limits electoral-reform royal-family monarchy state-visits summits
g20 g7 brics european-union african-union asean arab-league united-nations

isis ceasefire airstrikes us-military taliban peace-talks insurgency terrorism al-qaeda
hezbollah hamas al-shabaab boko-haram counterterrorism drones landmines militias
kidnapping hostages war-crimes arms-trade nuclear-weapons missile-tests border-clashes
military-aid peacekeeping troop-withdrawal civil-war sectarian-violence suicide-bombing
cyberattacks espionage piracy organised-crime drug-trafficking military-spending
conscription veterans prisoner-exchange nato security-council chemical-weapons
weapons-inspections ceasefire-violations checkpoints curfews blockades siege
international-criminal-court mass-graves missing-persons transitional-justice
truth-commissions amnesty smuggling border-security

refugees humanitarian-aid famine displacement food-security migration asylum
human-trafficking child-labour water-shortage cholera ebola covid-19 malaria measles
polio vaccines public-health hospitals maternal-health mental-health malnutrition
reconstruction demining evacuation aid-convoys cross-border-aid field-hospitals
medical-supplies tuberculosis hiv-aids dengue mpox antibiotic-resistance obesity
tobacco opioids drug-policy statelessness visas citizenship diaspora

inflation oil-prices unemployment trade interest-rates central-banks opec tariffs
recession budget public-debt imf world-bank currency stock-markets housing wages
strikes labour-unions privatisation subsidies fuel-prices poverty inequality tourism
agriculture fisheries mining manufacturing supply-chains shipping aviation banking
fintech cryptocurrency startups tech-industry telecoms energy renewable-energy
solar-power wind-power nuclear-power natural-gas pipelines coal electric-vehicles
remittances foreign-investment trade-deals exports imports food-prices pensions
taxation tax-evasion money-laundering bankruptcy sovereign-debt consumer-rights

climate-change floods drought earthquakes wildfires hurricanes cyclones deforestation
air-pollution plastic-pollution biodiversity wildlife conservation oceans heatwaves
glaciers carbon-emissions climate-summits desertification water-rights dams
sea-level-rise extreme-weather landslides volcanoes tsunamis disaster-relief
cold-wave snowstorms locusts crop-failure harvests livestock irrigation groundwater
rivers coral-reefs national-parks poaching endangered-species animal-welfare

education courts crime women-rights immigration religion universities schools literacy
lgbtq-rights indigenous-rights minority-rights racism housing-crisis homelessness
supreme-court justice prisons death-penalty free-speech police-brutality gun-violence
domestic-violence sexual-violence child-marriage gender-equality land-rights
evictions slums rural-development youth children ageing-population birth-rate
family-policy journalism social-media disinformation media

sports football culture film music olympics world-cup cricket athletics doping
literature art heritage museums archaeology space science research
artificial-intelligence internet-shutdowns surveillance privacy data-protection
semiconductors transport railways roads ports electricity power-cuts construction
urban-planning public-transport road-safety water-supply sanitation food-safety
aviation-safety shipwrecks mining-accidents industrial-accidents fires
building-collapse product-recalls gambling
"""

# "continent: country(sub-region ...) country ..." - one line per continent.
REGIONS = """
middle-east: iraq(baghdad anbar nineveh basra kurdistan) syria(aleppo idlib damascus) iran israel palestinian-territories(gaza west-bank) lebanon jordan saudi-arabia yemen turkey egypt(sinai) qatar
europe: ukraine(kyiv donetsk kharkiv) russia(chechnya) united-kingdom(london scotland northern-ireland) france germany italy spain(catalonia) poland greece netherlands serbia kosovo
africa: nigeria(lagos borno) ethiopia(tigray) sudan(darfur) south-sudan somalia kenya south-africa dr-congo(north-kivu) mali libya algeria morocco ghana zimbabwe uganda
asia: afghanistan(kabul helmand) pakistan(karachi balochistan) india(kashmir delhi) bangladesh sri-lanka nepal myanmar(rakhine) thailand indonesia(aceh) philippines(mindanao) china(hong-kong xinjiang) japan north-korea south-korea taiwan
north-america: united-states(washington california texas new-york) canada mexico
latin-america: brazil colombia venezuela argentina peru chile haiti cuba
oceania: australia new-zealand papua-new-guinea
"""
OFFSETS = {
    "middle-east": [2, 3, 3.5, 4],
    "europe": [0, 1, 2, 3],
    "africa": [0, 1, 2, 3],
    "asia": [4.5, 5, 5.5, 7, 8, 9],
    "north-america": [-8, -6, -5],
    "latin-america": [-5, -4, -3],
    "oceania": [10, 12],
}
UPPER = {
    "us",
    "un",
    "eu",
    "imf",
    "nato",
    "opec",
    "isis",
    "lgbtq",
    "g20",
    "g7",
    "brics",
    "asean",
    "hiv",
    "covid",
    "dr",
    "ai",
}

FIRST = [
    "Ahmed",
    "Maria",
    "Olena",
    "Chen",
    "Fatima",
    "James",
    "Amara",
    "Dmitri",
    "Sofia",
    "Rahul",
    "Leila",
    "Carlos",
    "Aisha",
    "Tomasz",
    "Mei",
    "Kwame",
    "Ingrid",
    "Omar",
    "Lucia",
    "Hiroshi",
    "Nadia",
    "Samuel",
    "Priya",
    "Yusuf",
    "Elena",
    "Mateo",
    "Zainab",
    "Pieter",
    "Ana",
    "Kofi",
    "Hana",
    "Diego",
    "Layla",
    "Viktor",
    "Grace",
    "Tariq",
    "Noura",
    "Daniel",
    "Yuki",
    "Ibrahim",
]
LAST = [
    "Hassan",
    "Petrenko",
    "Garcia",
    "Okafor",
    "Nguyen",
    "Schmidt",
    "Rahman",
    "Kowalski",
    "Haddad",
    "Silva",
    "Mensah",
    "Ivanova",
    "Tanaka",
    "Khalil",
    "Moreau",
    "Ali",
    "Novak",
    "Mwangi",
    "Rossi",
    "Kaya",
    "Jansen",
    "Chowdhury",
    "Abdullah",
    "Lindqvist",
    "Mendez",
    "Osei",
    "Park",
    "Nasser",
    "Dubois",
    "Sato",
    "Karimi",
    "Fischer",
    "Alvarez",
    "Yilmaz",
    "Sokolov",
    "Obi",
    "Larsen",
    "Cohen",
    "Reyes",
    "Bakr",
]
ROLES = [
    "the interior minister",
    "a senior UN official",
    "the provincial governor",
    "a military spokesman",
    "the central bank governor",
    "an opposition leader",
    "the foreign minister",
    "a police spokeswoman",
    "the health minister",
    "a senior diplomat",
    "the prime minister's office",
    "an aid worker",
    "the electoral commission",
    "a Western diplomat",
    "the defence ministry",
    "a government adviser",
    "the mayor",
    "a regional commander",
]
ORGS = [
    "the United Nations",
    "the World Bank",
    "the International Monetary Fund",
    "NATO",
    "the European Union",
    "the African Union",
    "the Red Cross",
    "UNICEF",
    "the World Health Organization",
    "Amnesty International",
    "the Arab League",
    "the World Food Programme",
    "Human Rights Watch",
    "Doctors Without Borders",
]
GROUPS = [
    "residents",
    "protesters",
    "farmers",
    "opposition lawmakers",
    "union leaders",
    "shopkeepers",
    "students",
    "aid agencies",
    "local officials",
    "rights groups",
    "families of the victims",
    "business owners",
    "tribal elders",
    "teachers",
]
SAID = [
    "said",
    "told reporters",
    "warned",
    "confirmed",
    "insisted",
    "acknowledged",
    "cautioned",
    "argued",
    "noted",
    "stressed",
]
ACTIONS = [
    "resume talks with rival factions",
    "release emergency funds",
    "extend the curfew",
    "open an independent inquiry",
    "reopen the border crossing",
    "raise interest rates",
    "delay the vote",
    "withdraw troops from the area",
    "expand the vaccination campaign",
    "restore power to the city",
    "impose new sanctions",
    "hold early elections",
    "cut fuel subsidies",
    "rebuild damaged schools",
    "step up patrols",
    "negotiate a prisoner exchange",
    "review the security arrangements",
    "compensate families who lost their homes",
    "publish the full report",
]
EVENTS = [
    "the overnight attack",
    "the flooding",
    "the protests",
    "the ceasefire agreement",
    "the disputed election results",
    "the fuel shortage",
    "the corruption investigation",
    "the drought",
    "the trade dispute",
    "the outbreak",
    "the strike",
    "the explosion",
    "the budget negotiations",
    "the court ruling",
    "the evacuation",
]
PROBLEMS = [
    "power cuts",
    "rising prices",
    "a lack of clean water",
    "long delays at checkpoints",
    "unpaid salaries",
    "overcrowded hospitals",
    "a shortage of medicine",
    "poor roads",
    "harassment by armed groups",
    "a lack of jobs",
]
ADJS = ["tense", "calm but uncertain", "fragile", "volatile", "dire", "stable", "chaotic"]
PLACES = [
    "the main market",
    "the parliament building",
    "the governor's office",
    "a hospital",
    "the central mosque",
    "the university campus",
    "the port",
]
HEADINGS = [
    "Background",
    "What happens next",
    "Reaction in {place}",
    "The economic toll",
    "A long-running dispute",
    "International response",
    "Humanitarian situation",
    "Political fallout",
    "What officials say",
    "Security concerns",
    "Voices from {place}",
]
SENTENCES = [
    "{role} {said} on {weekday} that the government would {action}.",
    "At least {n} people were killed and {m} wounded in {event} near {place}, according to {org}.",
    "The decision follows weeks of {topic} in {place}, where {group} have complained of {problem}.",
    "{person}, a spokesperson for {org}, said the situation in {place} remained {adj}.",
    "Officials in {place} declined to comment on {event}, citing an ongoing investigation.",
    "{org} estimated that {pct} percent of households in {place} faced {problem}.",
    "Critics argue that {topic} has been neglected for years by successive governments.",
    "The talks, which began in {month}, are expected to resume next week in {city}.",
    "Prices rose {pct} percent in {month}, the statistics office in {country} said.",
    "Witnesses described {adj} scenes as {group} gathered outside {landmark}.",
    "It was not immediately clear who was responsible for {event}.",
    "The move was welcomed by {group}, who had long called for action on {topic}.",
    "Analysts said {topic} would likely dominate the agenda when leaders meet in {month}.",
    "Since {year}, more than {n},000 people have left {place}, according to {org}.",
    "{group} said they would continue until the authorities agreed to {action}.",
    "{person}, who has lived in {city} for {m} years, said the past week had been the hardest.",
    "The ministry said {n} officials had been suspended pending the outcome of {inquiry}.",
    "{role} {said} that {country} could not afford another year of {topic}.",
    "In {city}, queues formed outside banks and petrol stations by early afternoon.",
    "Diplomats said a draft resolution on {topic} could be put to a vote within days.",
    "Local media reported that {n} people had been detained in connection with {event}.",
    "The government has denied the allegations, calling them politically motivated.",
    "{org} said it had received reports of {problem} in at least {m} districts.",
    "The latest figures, released on {weekday}, showed a sharp rise in {topic} cases.",
    "Schools and government offices in {city} remained closed for a {ord} day.",
    "Lawmakers are due to debate a bill on {topic} before the end of {month}.",
    "Security forces sealed off roads leading to {landmark} on {weekday} morning.",
    "{person}, a researcher who studies {topic}, said the figures were likely an undercount.",
    "The {country} government has promised to {action} but has given no timetable.",
    "Some {group} said they had lost confidence in the authorities' ability to {action}.",
    "Previous efforts to address {topic} in {place} collapsed in {year}.",
    "The announcement was broadcast on state television late on {weekday}.",
]
QUOTES = [
    "We are doing everything we can, but the needs are enormous.",
    "Nobody has told us when we can go home.",
    "This is not the end of the process; it is the beginning.",
    "The international community cannot look away from what is happening here.",
    "We have heard promises before. This time we want to see results.",
    "Our priority is the safety of civilians, and that will not change.",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TITLES = [
    "{org_short} Warns of Worsening {Topic} in {place}",
    "{n} Killed in {place} as {Topic} Fears Grow",
    "Talks on {Topic} Stall as Tensions Rise in {place}",
    "Thousands Protest Over {Topic} in {city}",
    "{place} Unveils Plan to Tackle {Topic}",
    "Aid Groups Scramble as {Topic} Crisis Deepens in {place}",
    "{place} Officials Under Pressure Over {Topic}",
    "In {city}, {Topic} Reshapes Daily Life",
    "{place} and {org_short} Agree on New Steps Over {Topic}",
    "Inquiry Opens Into {Topic} in {place}",
]
ORG_SHORT = ["UN", "EU", "IMF", "NATO", "WHO", "Red Cross", "World Bank", "African Union"]

#: BCP 47 code: the word heading the titles of stories written in that language, and the one
#: heading a translation's title and summary. The default language, English, first.
LANGUAGES = {
    "en": ("", ""),
    "de": ("Bericht", "Übersetzt"),
    "fr": ("Reportage", "Traduit"),
    "es": ("Crónica", "Traducido"),
    "pt": ("Reportagem", "Traduzido"),
    "it": ("Cronaca", "Tradotto"),
    "nl": ("Verslag", "Vertaald"),
    "pl": ("Relacja", "Przekład"),
    "ru": ("Репортаж", "Перевод"),
    "uk": ("Репортаж", "Переклад"),
    "tr": ("Haber", "Çeviri"),
    "ar": ("تقرير", "ترجمة"),
    "fa": ("گزارش", "ترجمه"),
    "he": ("כתבה", "תרגום"),
    "ur": ("رپورٹ", "ترجمہ"),
    "zh": ("报道", "译文"),
    "ja": ("報道", "翻訳"),
    "ko": ("보도", "번역"),
    "hi": ("रिपोर्ट", "अनुवाद"),
    "id": ("Laporan", "Terjemahan"),
    "sw": ("Ripoti", "Tafsiri"),
}


def person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def label(slug):
    """'middle-east/iraq' -> 'Iraq'; 'us-military' -> 'US Military'."""
    words = slug.rsplit("/", 1)[-1].split("-")
    return " ".join(w.upper() if w in UPPER else w.capitalize() for w in words)


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].rstrip("-")


def interleave(groups):
    """Round-robin over groups: the rank order for Zipf draws mixes the groups."""
    return [item for row in itertools.zip_longest(*groups) for item in row if item]


def ranked_regions(spec):
    """Countries first, then sub-regions, then continents, each mixed across continents."""
    continents, countries, subregions = [], [], []
    for line in spec.strip().splitlines():
        continent, rest = line.split(":")
        continents.append(continent)
        countries.append([])
        subregions.append([])
        for country, subs in re.findall(r"([\w-]+)(?:\(([^)]*)\))?", rest):
            countries[-1].append(f"{continent}/{country}")
            subregions[-1] += [f"{continent}/{country}/{sub}" for sub in subs.split()]
    return interleave(countries) + interleave(subregions) + continents


def zipf_cum_weights(n, s=1.0):
    return list(itertools.accumulate(1 / (rank**s) for rank in range(1, n + 1)))


class Vocabulary:
    """Tags, regions and authors in Zipf rank order."""

    def __init__(self, seed):
        rng = random.Random(f"{seed}:vocabulary")
        self.tags = interleave(block.split() for block in TAGS.strip().split("\n\n"))
        self.regions = ranked_regions(REGIONS)
        self.tag_weights = zipf_cum_weights(len(self.tags))
        self.region_weights = zipf_cum_weights(len(self.regions))
        self.authors = [person(rng) for _ in range(60)]
        self.author_weights = zipf_cum_weights(len(self.authors), 0.8)


def make_article(vocab, seed, index, region=None, topic=None, local=None):
    """Article ``index``; a story's articles give their region, first tag and local time."""
    rng = random.Random(f"{seed}:article:{index}")
    region = region or rng.choices(vocab.regions, cum_weights=vocab.region_weights)[0]
    tags = [topic] if topic else []
    for _ in range(rng.randint(1, 5)):
        tag = rng.choices(vocab.tags, cum_weights=vocab.tag_weights)[0]
        if tag not in tags:
            tags.append(tag)
    continent = region.split("/")[0]
    offset = dt.timedelta(hours=rng.choice(OFFSETS[continent]))
    start = dt.datetime(2005, 1, 1)
    local = local or start + dt.timedelta(seconds=rng.randrange(20 * 365 * 86400) // 60 * 60)
    date = local.replace(tzinfo=dt.timezone(offset))

    place = label(region)
    country = label("/".join(region.split("/")[:2]))
    city = place if region.count("/") == 2 else rng.choice(["the capital", country])

    slots = {
        "role": lambda: rng.choice(ROLES),
        "said": lambda: rng.choice(SAID),
        "weekday": lambda: rng.choice(WEEKDAYS),
        "month": lambda: rng.choice(MONTHS),
        "action": lambda: rng.choice(ACTIONS),
        "event": lambda: rng.choice(EVENTS),
        "inquiry": lambda: "an inquiry into " + rng.choice(EVENTS),
        "org": lambda: rng.choice(ORGS),
        "group": lambda: rng.choice(GROUPS),
        "problem": lambda: rng.choice(PROBLEMS),
        "adj": lambda: rng.choice(ADJS),
        "landmark": lambda: rng.choice(PLACES),
        "person": lambda: person(rng),
        "topic": lambda: label(topic or rng.choice(tags)).lower(),
        "Topic": lambda: label(topic or rng.choice(tags)),
        "n": lambda: rng.randint(2, 90),
        "m": lambda: rng.randint(3, 40),
        "pct": lambda: rng.randint(3, 70),
        "year": lambda: rng.randint(2000, date.year),
        "ord": lambda: rng.choice(["second", "third", "fourth", "fifth"]),
        "org_short": lambda: rng.choice(ORG_SHORT),
        "place": lambda: place,
        "city": lambda: city,
        "country": lambda: country,
    }

    def fill(template):
        text = re.sub(r"{(\w+)}", lambda m: str(slots[m[1]]()), template)
        return text[0].upper() + text[1:]

    def paragraph():
        sentences = [fill(t) for t in rng.sample(SENTENCES, rng.randint(3, 6))]
        if rng.random() < 0.1:  # emphasise one sentence
            i, mark = rng.randrange(len(sentences)), rng.choice(["*", "**"])
            sentences[i] = f"{mark}{sentences[i][:-1]}{mark}."
        return " ".join(sentences)

    title = fill(rng.choice(TITLES))
    lead = fill(rng.choice(SENTENCES[:4]))
    blocks = [" ".join([lead] + [fill(t) for t in rng.sample(SENTENCES[4:], rng.randint(1, 3))])]
    target = rng.randint(400, 1200)
    while sum(len(b.split()) for b in blocks) < target:
        blocks.append(paragraph())
    if rng.random() < 0.6:
        org = rng.choice(ORGS)
        i = rng.randrange(len(blocks))
        blocks[i] += (
            f" The findings are set out in [a report by {org}]"
            f"(https://www.example.org/reports/{slugify(org)}/{date.year})."
        )
    if rng.random() < 0.5:
        quote = f'> "{rng.choice(QUOTES)[:-1]}," said {person(rng)}.'
        blocks.insert(rng.randrange(1, len(blocks) + 1), quote)
    if rng.random() < 0.3:
        items = "\n".join(f"- {fill(rng.choice(SENTENCES))}" for _ in range(rng.randint(3, 5)))
        blocks.insert(rng.randrange(1, len(blocks) + 1), f"Key points:\n\n{items}")
    headings = rng.sample(HEADINGS, rng.randint(1, 3))
    for i in sorted(rng.sample(range(1, len(blocks)), len(headings)), reverse=True):
        blocks.insert(i, "## " + headings.pop().format(place=place))
    author = rng.choices(vocab.authors, cum_weights=vocab.author_weights)[0]
    body = "\n\n".join(blocks) + "\n"
    return {
        "title": title,
        "date": date,
        "tags": tags,
        "region": region,
        "author": author,
        "summary": lead,
        "body": body,
    }


def make_story(vocab, seed, number):
    """Running story ``number``: its articles, oldest first, each naming the story."""
    rng = random.Random(f"{seed}:story:{number}")
    region = rng.choices(vocab.regions, cum_weights=vocab.region_weights)[0]
    topic = rng.choices(vocab.tags, cum_weights=vocab.tag_weights)[0]
    story = f"{topic}-in-{slugify(label(region))}"
    local = dt.datetime(2005, 1, 1) + dt.timedelta(days=rng.randrange(20 * 365 - 60))
    articles = []
    for part in range(rng.randint(3, 8)):
        local += dt.timedelta(days=rng.randint(1, 6), minutes=rng.randrange(-600, 600))
        article = make_article(vocab, seed, f"story:{number}:{part}", region, topic, local)
        articles.append({**article, "story": story})
    return articles


def language_weights(count):
    """The default language's share of the articles (the most: 30 % of 6 languages or more),
    then the others', fewer and fewer."""
    if count == 1:
        return [1.0]
    default = max(0.3, 2 / (count + 1))
    others = [1 / rank**0.5 for rank in range(1, count)]
    return [default] + [(1 - default) * weight / sum(others) for weight in others]


def language_of(seed, index, codes, weights):
    """Article ``index``'s language and the languages it is translated into, in site order."""
    language = random.Random(f"{seed}:language:{index}").choices(codes, weights)[0]
    rng = random.Random(f"{seed}:translations:{index}")
    if language != codes[0] or len(codes) == 1 or rng.random() >= 1 / 3:
        return language, []
    chosen = rng.sample(codes[1:], rng.randint(1, min(4, len(codes) - 1)))
    return language, [code for code in codes if code in chosen]


def title_key(title):
    """What Dateline's slug of ``title`` is made of, roughly and in any script (its letters
    and digits, no accents, cut short): titles with different keys make different slugs."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", title).casefold() if c.isalnum())
    return letters[:40]


def in_language(article, word, titles):
    """``article`` as written in another language: title and summary headed by ``word``; its
    slug left to Dateline unless a title of that language (``titles``: day and title_key)
    could make the same slug within a day (URLs have the day, in the site's time zone)."""
    title = f"{word}: {article['title']}"
    written = {**article, "title": title, "summary": f"{word}: {article['summary']}"}
    day, key = article["date"].date(), title_key(title)
    if any((day + dt.timedelta(days=shift), key) in titles for shift in (-1, 0, 1)):
        return written
    titles.add((day, key))
    return {key: value for key, value in written.items() if key != "slug"}


def render(article, flavor):
    a, q = article, lambda v: json.dumps(v, ensure_ascii=False)  # JSON strings are YAML
    date = a["date"].isoformat()
    if flavor == "pelican":  # Python-Markdown meta-data, read by Pelican's Markdown reader
        head = [
            f"Title: {a['title']}",
            f"Date: {date}",
            f"Tags: {', '.join(a['tags'])}",
            f"Category: {a['region']}",
            f"Author: {a['author']}",
            f"Summary: {a['summary']}",
        ] + [f"{key.capitalize()}: {a[key]}" for key in ("slug", "story") if key in a]
        return "\n".join(head) + "\n\n" + a["body"]
    head = [f"title: {q(a['title'])}", f"date: {date}", f"tags: {q(a['tags'])}"]
    if flavor == "hugo":  # taxonomies; Hugo nests "a/b" terms, so /regions/a/ includes a/b
        head += [
            f"regions: {q([a['region']])}",
            f"years: {q([a['date'].strftime('%Y')])}",
            f"months: {q([a['date'].strftime('%Y/%m')])}",
        ]
    else:
        head.append(f"region: {q(a['region'])}")
    head += [f"author: {q(a['author'])}", f"summary: {q(a['summary'])}"]
    head += [f"{key}: {q(a[key])}" for key in ("slug", "story") if key in a]
    return "---\n" + "\n".join(head) + "\n---\n\n" + a["body"]


LAYOUT = {"plain": "", "hugo": "content/articles", "pelican": "content", "eleventy": "articles"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", default="1")
    parser.add_argument("--flavor", choices=sorted(LAYOUT), default="plain")
    parser.add_argument("--stories", type=int, default=0, help="running stories to add")
    parser.add_argument(
        "--languages", type=int, default=1, help=f"languages (plain flavor; 1-{len(LANGUAGES)})"
    )
    args = parser.parse_args()
    if not 1 <= args.languages <= len(LANGUAGES):
        parser.error(f"--languages must be 1-{len(LANGUAGES)}")
    if args.languages > 1 and args.flavor != "plain":
        parser.error("--languages is for the plain flavor")
    codes = list(LANGUAGES)[: args.languages]
    weights = language_weights(len(codes))
    vocab = Vocabulary(args.seed)
    root = args.out_dir / LAYOUT[args.flavor]
    slugs = set()
    titles = {code: set() for code in codes}
    articles = (
        (make_article(vocab, args.seed, index), *language_of(args.seed, index, codes, weights))
        for index in range(args.n)
    )
    stories = (
        (article, codes[0], [])
        for number in range(args.stories)
        for article in make_story(vocab, args.seed, number)
    )
    for article, language, translations in itertools.chain(articles, stories):
        base = slug = slugify(article["title"])
        for suffix in itertools.count(2):
            if slug not in slugs:
                break
            slug = f"{base}-{suffix}"
        slugs.add(slug)
        article["slug"] = slug
        relative = Path(article["date"].strftime("%Y")) / f"{slug}.md"
        written = {language: article}
        if language != codes[0]:
            written[language] = in_language(article, LANGUAGES[language][0], titles[language])
        for code in translations:
            written[code] = in_language(article, LANGUAGES[code][1], titles[code])
        for code, version in written.items():
            path = root / ("" if code == codes[0] else code) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(version, args.flavor), encoding="utf-8")


if __name__ == "__main__":
    main()
