#!/usr/bin/env python3
"""Independent, labelled generator of hospital and bank records (EN DE FR ES IT NL).

Written by a helper that never read privatune's recognizers, evalset or synthetic
generator.  Standard library only.  Deterministic from a seed.

    python3 generator.py            # writes dev.jsonl and test.jsonl next to this file
    python3 generator.py --check    # regenerate and compare with the frozen files

Record: {"id", "style", "language", "text", "spans": [{"start","end","kind","value"}]}
Templates are written with inline markup  ⟦KIND|value⟧  which is parsed into text + spans.
"""
import json
import os
import random
import re
import sys
import unicodedata

LANGS = ["en", "de", "fr", "es", "it", "nl"]
KINDS = ["PERSON", "ADDRESS", "RECORD_ID", "PHONE", "EMAIL", "ACCOUNT", "ID_DOC", "DATE",
         "AGE_OVER_89", "URL", "IP", "VEHICLE", "DEVICE", "LICENSE", "BIOMETRIC", "OTHER_ID", "KEEP"]
MARK = re.compile(r"⟦([A-Z_0-9]+)\|(.*?)⟧", re.S)


def M(kind, value):
    assert kind in KINDS, kind
    assert "⟦" not in value and "⟧" not in value
    return "⟦%s|%s⟧" % (kind, value)


def K(value):
    return M("KEEP", value)


def parse(markup):
    out, spans, pos = [], [], 0
    length = 0
    for m in MARK.finditer(markup):
        plain = markup[pos:m.start()]
        out.append(plain)
        length += len(plain)
        kind, value = m.group(1), m.group(2)
        spans.append({"start": length, "end": length + len(value), "kind": kind, "value": value})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(markup[pos:])
    return "".join(out), spans


def occurrences(text, value):
    """Start offsets of `value` in `text` at token boundaries (case-sensitive)."""
    res, i = [], 0
    while True:
        i = text.find(value, i)
        if i < 0:
            return res
        j = i + len(value)
        ok_l = i == 0 or not (value[0].isalnum() and text[i - 1].isalnum())
        ok_r = j == len(text) or not (value[-1].isalnum() and text[j].isalnum())
        if ok_l and ok_r:
            res.append(i)
        i += 1


def deaccent(s):
    s = s.replace("ß", "ss").replace("ø", "o").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# ----------------------------------------------------------------------------- names
FIRST = {
    "en": "James Olivia Michael Sarah David Emily Robert Jessica Thomas Hannah William Grace Daniel Chloe "
          "Matthew Aisha Rajesh Siobhan Connor Megan Priya Gareth Fiona Declan".split(),
    "de": "Jürgen Sabine Klaus Ursula Maximilian Anneliese Wolfgang Katrin Lukas Friederike Dieter Gudrun "
          "Matthias Heike Florian Elke Björn Ingrid Tobias Renate Hans-Peter Dörte Volker Annegret".split(),
    "fr": "Jean-Luc Margaux Thierry Élodie François Camille Benoît Amélie Yannick Sylvie Mathieu Océane "
          "Gérard Brigitte Étienne Nathalie Rémi Clémence Pascal Inès Marie-Hélène Loïc Gaëlle Hervé".split(),
    "es": ["José Luis", "María del Carmen", "Javier", "Lucía", "Francisco", "Carmen", "Alejandro", "Pilar",
           "Sergio", "Rocío", "Álvaro", "Inmaculada", "Manuel", "Begoña", "Íñigo", "Nuria", "Rubén",
           "Montserrat", "Andrés", "Marta", "Juan Carlos", "Ainhoa", "Txema", "Consuelo"],
    "it": "Giuseppe Francesca Alessandro Giulia Lorenzo Chiara Matteo Valentina Salvatore Rosaria Davide "
          "Federica Gianluca Antonella Vincenzo Elisabetta Marco Paola Raffaele Serena Gianmarco Assunta "
          "Pierluigi Ornella".split(),
    "nl": "Jan-Willem Annemieke Sander Femke Pieter Marloes Joost Ingeborg Bram Sanne Willem Lotte Maarten "
          "Eline Daan Joke Thijs Anouk Gert Mieke Hendrik Wilhelmina Sjoerd Fenna".split(),
}
LAST = {
    "en": ["Thompson", "Okafor", "Patel", "Hughes", "O'Brien", "Fitzgerald", "Walsh", "Kowalski", "Bennett",
           "Harrington", "MacLeod", "Ashworth", "Nguyen", "Whitfield", "Pemberton", "Greenwood", "Delaney",
           "Rahman", "Lockhart", "Sinclair", "Abernathy", "Mensah", "Cartwright", "Ellison"],
    "de": ["Müller", "Schneider", "Weißenborn", "Hoffmann", "Schäfer", "Köhler", "Bauer", "Zimmermann",
           "Krüger", "Hartmann", "Lehmann", "Schmitt-Gräbner", "Vogel", "Brandt", "Hübner", "Kessler",
           "Wagner", "Dreßler", "Engelhardt", "Pfeiffer", "Obermaier", "Yıldız", "Nowak", "Rüdiger"],
    "fr": ["Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Chevalier", "Lemaire", "Faure",
           "Marchand", "Dupont", "Mercier", "Blanchard", "Gauthier", "Perrin", "Lacroix", "Bertrand",
           "Roussel", "Carpentier", "Deschamps", "Benali", "Le Goff", "Nguyen-Thanh", "Morvan"],
    "es": ["García López", "Fernández", "Martínez Ruiz", "Sánchez", "Rodríguez de la Fuente", "Gómez",
           "Jiménez", "Navarro", "Ortega", "Castillo", "Iglesias", "Morales", "Delgado", "Romero", "Herrera",
           "Vázquez", "Domínguez", "Gil", "Serrano", "Molina", "Etxeberria", "Pujol i Ferrer", "Cuesta", "Arroyo"],
    "it": ["Rossi", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo",
           "Conti", "De Luca", "D'Angelo", "Mancini", "Lombardi", "Barbieri", "Ferrara", "Santoro", "Caruso",
           "Fontana", "Lo Bianco", "Pellegrini", "Zanetti", "Cavallaro"],
    "nl": ["de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "van Dijk", "de Jong", "Mulder",
           "Meijer", "de Boer", "Vermeulen", "van der Linden", "Hendriks", "Dekker", "Brouwer", "Kuipers",
           "van Leeuwen", "Verhoeven", "Postma", "Hoekstra", "El Amrani", "Zwart", "Oosterhuis"],
}
NICK = {
    "en": ["Bobby", "Lizzie", "Mick", "Katie", "Dave", "Tommo", "Bex", "Jonno"],
    "de": ["Hansi", "Steffi", "Uschi", "Maxi", "Bibi", "Kalle", "Gitti", "Schorsch"],
    "fr": ["Mimi", "Jojo", "Titi", "Fanfan", "Loulou", "Dédé", "Nanou", "Bébert"],
    "es": ["Pepe", "Paco", "Charo", "Nacho", "Lola", "Chema", "Merche", "Quique"],
    "it": ["Beppe", "Pino", "Gigi", "Franci", "Totò", "Ciccio", "Nene", "Tonino"],
    "nl": ["Sjaak", "Wim", "Joop", "Ankie", "Kees", "Truus", "Henk", "Bep"],
}
TITLE = {
    "en": {"m": ["Mr", "Mr."], "f": ["Mrs", "Ms", "Ms."], "dr": ["Dr", "Dr.", "Prof."]},
    "de": {"m": ["Herr", "Hr."], "f": ["Frau", "Fr."], "dr": ["Dr.", "Dr. med.", "Prof. Dr.", "OA Dr."]},
    "fr": {"m": ["M.", "Monsieur"], "f": ["Mme", "Madame"], "dr": ["Dr", "Dr.", "Pr"]},
    "es": {"m": ["Sr.", "D."], "f": ["Sra.", "Dña."], "dr": ["Dr.", "Dra."]},
    "it": {"m": ["Sig.", "Sig"], "f": ["Sig.ra", "Sig.ra"], "dr": ["Dott.", "Dott.ssa", "Prof."]},
    "nl": {"m": ["dhr.", "De heer"], "f": ["mevr.", "Mevrouw"], "dr": ["dr.", "Dr.", "prof. dr."]},
}


FEMALE = set("""Olivia Sarah Emily Jessica Hannah Grace Chloe Aisha Siobhan Megan Priya Fiona
Sabine Ursula Anneliese Katrin Friederike Gudrun Heike Elke Ingrid Renate Dörte Annegret
Margaux Élodie Camille Amélie Sylvie Océane Brigitte Nathalie Clémence Inès Marie-Hélène Gaëlle
Lucía Carmen Pilar Rocío Inmaculada Begoña Nuria Montserrat Marta Ainhoa Consuelo
Francesca Giulia Chiara Valentina Rosaria Federica Antonella Elisabetta Paola Serena Assunta Ornella
Annemieke Femke Marloes Ingeborg Sanne Lotte Eline Joke Anouk Mieke Wilhelmina Fenna""".split()) | {"María del Carmen"}


class Person:
    def __init__(self, rng, lang):
        self.lang = lang
        self.first = rng.choice(FIRST[lang])
        self.last = rng.choice(LAST[lang])
        self.nick = rng.choice(NICK[lang])
        self.sex = "f" if self.first in FEMALE else "m"
        self.rng = rng

    def full(self):
        return self.first + " " + self.last

    def form(self, kind=None):
        """Return markup of the name in one of many surface forms (title kept outside the span)."""
        r = self.rng
        kind = kind or r.choice(["full", "full", "full", "caps", "lastfirst", "lower", "initial",
                                 "title_last", "title_caps", "lastfirst_caps"])
        t = r.choice(TITLE[self.lang][self.sex])
        if kind == "full":
            return M("PERSON", self.full())
        if kind == "caps":
            return M("PERSON", self.full().upper())
        if kind == "lastfirst":
            return M("PERSON", "%s, %s" % (self.last, self.first))
        if kind == "lastfirst_caps":
            return M("PERSON", "%s, %s" % (self.last.upper(), self.first))
        if kind == "lower":
            return M("PERSON", self.full().lower())
        if kind == "initial":
            return M("PERSON", "%s%s %s" % (self.first[0], r.choice([".", "", "."]), self.last))
        if kind == "title_last":
            return t + " " + M("PERSON", self.last)
        if kind == "title_caps":
            return t + " " + M("PERSON", r.choice([self.last.upper(), self.full().upper()]))
        if kind == "nick":
            return M("PERSON", self.nick)
        if kind == "last":
            return M("PERSON", self.last)
        if kind == "first":
            return M("PERSON", self.first)
        raise ValueError(kind)

    def doc(self):
        """A clinician form with a doctor's title."""
        t = self.rng.choice(TITLE[self.lang]["dr"])
        k = self.rng.choice(["full", "full", "last", "caps", "initial"])
        return t + " " + self.form(k)

    def mail(self, domains):
        u = deaccent(self.first.lower().replace(" ", "")) + self.rng.choice([".", "_", "", "."]) + \
            deaccent(self.last.lower().replace(" ", "").replace("'", ""))
        if self.rng.random() < 0.3:
            u += str(self.rng.randint(1, 99))
        return M("EMAIL", u + "@" + self.rng.choice(domains))


MAILDOM = {
    "en": ["gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk", "nhs.net", "icloud.com"],
    "de": ["web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de", "klinikum-nordstadt.de"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr", "chu-exemple.fr"],
    "es": ["hotmail.es", "gmail.com", "telefonica.net", "yahoo.es", "salud-madrid.es"],
    "it": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it", "alice.it", "asl-esempio.it"],
    "nl": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl", "umc-voorbeeld.nl"],
}

# ----------------------------------------------------------------------------- addresses
STREETS = {
    "en": ["Hawthorn Road", "Mill Lane", "Victoria Street", "Church Close", "Albert Terrace", "Kingsway",
           "Maple Avenue", "Elm Street", "Oakwood Drive", "Station Road"],
    "de": ["Lindenstraße", "Hauptstr.", "Am Mühlbach", "Goethestraße", "Bahnhofstr.", "Schillerplatz",
           "Im Wiesengrund", "Kastanienallee", "Ringstraße", "An der Kirche"],
    "fr": ["rue des Lilas", "avenue Jean Jaurès", "bd Haussmann", "rue Victor Hugo", "allée des Tilleuls",
           "chemin du Moulin", "place de la République", "impasse des Rosiers", "rue de la Paix"],
    "es": ["C/ Mayor", "Calle de Alcalá", "Avda. de la Constitución", "Paseo de Gracia", "Plaza de España",
           "C/ San Vicente", "Ronda de Toledo", "Camino Real", "Travesía del Carmen"],
    "it": ["Via Garibaldi", "Corso Vittorio Emanuele II", "P.zza Duomo", "Viale dei Mille", "Via Roma",
           "Vicolo del Pozzo", "Largo Augusto", "Via dei Tigli", "Strada Provinciale"],
    "nl": ["Keizersgracht", "Dorpsstraat", "Kerkweg", "Prinsengracht", "Molenlaan", "Stationsplein",
           "Julianastraat", "Hoofdweg", "Lindelaan", "Burg. de Withstraat"],
}
CITIES = {
    "en": [("Leeds", "LS6 2QB"), ("Manchester", "M14 5RT"), ("Bristol", "BS8 1TH"), ("Glasgow", "G12 8QQ"),
           ("Springfield, IL", "62704"), ("Boston, MA", "02115"), ("Austin, TX", "78701"), ("Cardiff", "CF10 3AT")],
    "de": [("Berlin", "10115"), ("München", "80331"), ("Hamburg", "20095"), ("Köln", "50667"),
           ("Leipzig", "04109"), ("Freiburg im Breisgau", "79098"), ("Kassel", "34117"), ("Erfurt", "99084")],
    "fr": [("Lyon", "69003"), ("Paris", "75011"), ("Marseille", "13006"), ("Toulouse", "31000"),
           ("Lille", "59800"), ("Rennes", "35000"), ("Nantes", "44000"), ("Strasbourg", "67000")],
    "es": [("Madrid", "28013"), ("Barcelona", "08007"), ("Sevilla", "41004"), ("Valencia", "46002"),
           ("Bilbao", "48001"), ("Zaragoza", "50001"), ("Málaga", "29015"), ("Oviedo", "33003")],
    "it": [("Milano", "20121", "MI"), ("Roma", "00184", "RM"), ("Napoli", "80134", "NA"), ("Torino", "10123", "TO"),
           ("Bologna", "40126", "BO"), ("Palermo", "90133", "PA"), ("Firenze", "50122", "FI"), ("Bari", "70121", "BA")],
    "nl": [("Amsterdam", "1015 CJ"), ("Utrecht", "3511 LX"), ("Rotterdam", "3011 AD"), ("Groningen", "9711 LM"),
           ("Eindhoven", "5611 AB"), ("Den Haag", "2511 BT"), ("Zwolle", "8011 PK"), ("Leiden", "2311 EZ")],
}


def address_parts(r, lang):
    """(street_line, postcode, city_line) in the country's conventions."""
    st = r.choice(STREETS[lang])
    n = r.randint(1, 240)
    c = r.choice(CITIES[lang])
    city, pc = c[0], c[1]
    if lang == "en":
        if re.match(r"^\d", pc):
            street = "%d %s%s" % (r.randint(10, 9999), st.replace("Road", "Rd"), r.choice(["", " Apt %d%s" % (r.randint(1, 40), r.choice("ABC")), " #%d" % r.randint(2, 20)]))
            return street, pc, city
        street = r.choice(["%d %s" % (n, st), "Flat %d, %d %s" % (r.randint(1, 12), n, st)])
        return street, pc, city
    if lang == "de":
        street = "%s %d%s" % (st, n, r.choice(["", "", "a", "b", " / 3. OG"]))
        return street, pc, city
    if lang == "fr":
        street = "%d%s %s" % (n, r.choice([",", "", " bis", " ter,"]), st)
        return street, pc, city
    if lang == "es":
        street = "%s, %d%s" % (st, n, r.choice(["", ", 3º B", ", 1º izda.", ", bajo", ", 5º 2ª"]))
        return street, pc, city
    if lang == "it":
        street = "%s %d%s" % (st, n, r.choice(["", "/A", ", int. 4", ", scala B"]))
        return street, pc, "%s (%s)" % (city, c[2])
    if lang == "nl":
        street = "%s %d%s" % (st, n, r.choice(["", "-II", " hs", "A", " bis"]))
        return street, pc, city
    raise ValueError(lang)


def address(r, lang, layout=None):
    street, pc, city = address_parts(r, lang)
    layout = layout or r.choice(["one", "one", "split", "lines"])
    if lang == "en" and re.match(r"^\d", pc):
        full = "%s, %s %s" % (street, city, pc)
    elif lang == "en":
        full = "%s, %s %s" % (street, city, pc)
    elif lang == "nl":
        full = "%s, %s  %s" % (street, pc, city) if r.random() < 0.3 else "%s, %s %s" % (street, pc, city)
    else:
        full = "%s, %s %s" % (street, pc, city)
    if layout == "one":
        return M("ADDRESS", full)
    if layout == "split":  # street and postcode+city as two spans
        if lang == "en":
            return M("ADDRESS", street) + ", " + M("ADDRESS", "%s %s" % (city, pc))
        return M("ADDRESS", street) + r.choice([", ", " - ", " · "]) + M("ADDRESS", "%s %s" % (pc, city))
    # multi-line
    if lang == "en":
        return M("ADDRESS", street) + "\n" + M("ADDRESS", city + " " + pc)
    return M("ADDRESS", street) + "\n" + M("ADDRESS", pc + " " + city)


def postcode(r, lang):
    return M("ADDRESS", r.choice(CITIES[lang])[1])


# ----------------------------------------------------------------------------- numbers
def digits(r, n):
    return "".join(r.choice("0123456789") for _ in range(n))


def group(s, n=4, sep=" "):
    return sep.join(s[i:i + n] for i in range(0, len(s), n))


DIGW = {
    "en": "zero one two three four five six seven eight nine".split(),
    "de": "null eins zwei drei vier fünf sechs sieben acht neun".split(),
    "fr": "zéro un deux trois quatre cinq six sept huit neuf".split(),
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve".split(),
    "it": "zero uno due tre quattro cinque sei sette otto nove".split(),
    "nl": "nul een twee drie vier vijf zes zeven acht negen".split(),
}


def words_number(r, lang, s):
    w = DIGW[lang][:]
    if lang == "en" and r.random() < 0.5:
        w[0] = "oh"
    if lang == "de" and r.random() < 0.5:
        w[2] = "zwo"
    sep = r.choice([" ", " ", ", ", "-"])
    return sep.join(w[int(c)] for c in s if c.isdigit())


def phone(r, lang, form=None):
    form = form or r.choice(["nat", "nat", "intl", "bare", "alt"])
    if lang == "en":
        if r.random() < 0.5:  # UK
            mob = "07" + digits(r, 9)
            land = "020" + digits(r, 8)
            return {"nat": group(mob[:5], 5) + " " + mob[5:], "intl": "+44 %s %s %s" % (land[1:3], land[3:7], land[7:]),
                    "bare": mob, "alt": "+44 (0)%s %s" % (mob[1:5], mob[5:]), "words": mob}[form]
        a, b, c = str(r.randint(201, 989)), digits(r, 3), digits(r, 4)
        return {"nat": "(%s) %s-%s" % (a, b, c), "intl": "+1 %s-%s-%s" % (a, b, c), "bare": a + b + c,
                "alt": "%s.%s.%s" % (a, b, c), "words": a + b + c}[form]
    if lang == "de":
        area = r.choice(["030", "089", "040", "0221", "0341", "0761", "0561"])
        sub = digits(r, r.randint(6, 8))
        mob = r.choice(["0151", "0160", "0171", "0176"]) + digits(r, 7)
        return {"nat": r.choice(["%s/%s" % (area, sub), "%s / %s" % (area, group(sub, 2)), "%s %s" % (mob[:4], mob[4:])]),
                "intl": r.choice(["+49 (0)%s %s" % (area[1:], sub), "+49 %s %s" % (mob[1:4], mob[4:])]),
                "bare": r.choice([area + sub, mob]), "alt": "%s-%s" % (area, sub), "words": mob}[form]
    if lang == "fr":
        n = "0" + r.choice("1234567") + digits(r, 8)
        return {"nat": group(n, 2), "intl": r.choice(["+33 (0)%s %s" % (n[1], group(n[2:], 2)), "+33 %s %s" % (n[1], group(n[2:], 2))]),
                "bare": n, "alt": group(n, 2, "."), "words": n}[form]
    if lang == "es":
        n = r.choice("6796") + digits(r, 8)
        return {"nat": "%s %s %s" % (n[:3], n[3:6], n[6:]), "intl": "+34 %s %s %s" % (n[:3], n[3:6], n[6:]),
                "bare": n, "alt": "%s %s %s %s" % (n[:3], n[3:5], n[5:7], n[7:]), "words": n}[form]
    if lang == "it":
        mob = "3" + r.choice("234789") + digits(r, 8)
        land = "0" + r.choice(["2", "6", "81", "11", "51"]) + digits(r, 7)
        return {"nat": r.choice(["%s %s %s" % (mob[:3], mob[3:6], mob[6:]), "%s %s" % (land[:2], land[2:])]),
                "intl": "+39 %s %s" % (mob[:3], mob[3:]), "bare": r.choice([mob, land]),
                "alt": "%s-%s" % (mob[:3], mob[3:]), "words": mob}[form]
    if lang == "nl":
        mob = "06" + digits(r, 8)
        land = r.choice(["020", "030", "010", "050"]) + digits(r, 7)
        return {"nat": r.choice(["%s-%s" % (mob[:2], mob[2:]), "%s %s %s" % (land[:3], land[3:6], land[6:])]),
                "intl": r.choice(["+31 (0)%s %s" % (land[1:3], land[3:]), "+31 6 %s" % mob[2:]]),
                "bare": r.choice([mob, land]), "alt": "(%s) %s" % (land[:3], land[3:]), "words": mob}[form]
    raise ValueError(lang)


def phone_m(r, lang, form=None):
    form = form or r.choice(["nat", "nat", "intl", "bare", "alt"])
    p = phone(r, lang, form)
    if form == "words":
        p = words_number(r, lang, p)
    return M("PHONE", p)


IBAN_SPEC = {  # country: bban builder
    "DE": lambda r: digits(r, 8) + digits(r, 10),
    "FR": lambda r: digits(r, 5) + digits(r, 5) + digits(r, 11) + digits(r, 2),
    "ES": lambda r: digits(r, 4) + digits(r, 4) + digits(r, 2) + digits(r, 10),
    "IT": lambda r: r.choice("ABCDEFGHKLMNPRSTUVWXZ") + digits(r, 5) + digits(r, 5) + digits(r, 12),
    "NL": lambda r: r.choice(["ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB"]) + digits(r, 10),
    "GB": lambda r: r.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(r, 6) + digits(r, 8),
    "BE": lambda r: digits(r, 12),
    "AT": lambda r: digits(r, 16),
}
LANG_CC = {"en": "GB", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL"}


def _alnum_num(s):
    return "".join(str(int(c, 36)) for c in s)


def iban_ok(s):
    s = s.replace(" ", "").upper()
    return int(_alnum_num(s[4:] + s[:4])) % 97 == 1


def iban(r, lang=None, cc=None, typo=None, fmt=None):
    cc = cc or (LANG_CC[lang] if r.random() < 0.8 else r.choice(list(IBAN_SPEC)))
    bban = IBAN_SPEC[cc](r)
    chk = 98 - int(_alnum_num(bban + cc + "00")) % 97
    s = "%s%02d%s" % (cc, chk, bban)
    if typo is None:
        typo = r.random() < 0.3
    if typo:
        while True:
            i = r.randrange(4, len(s))
            if s[i].isdigit():
                t = s[:i] + str((int(s[i]) + r.randint(1, 9)) % 10) + s[i + 1:]
                if r.random() < 0.3:  # also transposition / dropped digit
                    j = r.randrange(5, len(t) - 1)
                    t = t[:j] + t[j + 1] + t[j] + t[j + 2:]
                if not iban_ok(t):
                    s = t
                    break
    fmt = fmt or r.choice(["grp", "grp", "compact", "grp"])
    return group(s) if fmt == "grp" else s


def luhn_digit(body):
    tot = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return str((10 - tot % 10) % 10)


def card(r, valid=None):
    kind = r.choice(["visa", "visa", "mc", "amex", "disc", "odd"])
    if kind == "visa":
        body = "4" + digits(r, 14)
    elif kind == "mc":
        body = r.choice(["51", "52", "53", "54", "55", "22"]) + digits(r, 13)
    elif kind == "amex":
        body = r.choice(["34", "37"]) + digits(r, 12)
    elif kind == "disc":
        body = "6011" + digits(r, 11)
    else:  # a prefix no card check accepts
        body = r.choice(["9", "1", "8", "0"]) + digits(r, 14)
    if valid is None:
        valid = r.random() < 0.6
    chk = luhn_digit(body)
    if not valid:
        chk = str((int(chk) + r.randint(1, 9)) % 10)
    n = body + chk
    f = r.choice(["sp", "sp", "dash", "compact"])
    if len(n) == 15:
        return {"sp": "%s %s %s" % (n[:4], n[4:10], n[10:]), "dash": "%s-%s-%s" % (n[:4], n[4:10], n[10:]), "compact": n}[f]
    return {"sp": group(n), "dash": group(n, 4, "-"), "compact": n}[f]


def nhs(r):
    while True:
        d = [r.randint(0, 9) for _ in range(9)]
        c = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
        if c == 11:
            c = 0
        if c != 10:
            s = "".join(map(str, d)) + str(c)
            return r.choice(["%s %s %s" % (s[:3], s[3:6], s[6:]), s, "%s-%s-%s" % (s[:3], s[3:6], s[6:])])


def ssn(r):
    a = r.choice([r.randint(1, 665), r.randint(667, 899)])
    s = "%03d-%02d-%04d" % (a, r.randint(1, 99), r.randint(1, 9999))
    return s if r.random() < 0.8 else s.replace("-", r.choice(["", " "]))


def ni_uk(r):
    L = "ABCEGHJKLMNPRSTWXYZ"
    s = r.choice(L) + r.choice(L) + digits(r, 6) + r.choice("ABCD")
    return r.choice([s, "%s %s %s %s %s" % (s[:2], s[2:4], s[4:6], s[6:8], s[8])])


def nir(r):
    body = r.choice("12") + "%02d%02d" % (r.randint(20, 99), r.randint(1, 12)) + "%02d" % r.randint(1, 95) + digits(r, 6)
    key = 97 - int(body) % 97
    s = body + "%02d" % key
    if r.random() < 0.6:
        return "%s %s %s %s %s %s %s" % (s[0], s[1:3], s[3:5], s[5:7], s[7:10], s[10:13], s[13:])
    return s


def cod_fisc(r):
    U = "BCDFGHLMNPRSTVZ"
    V = "AEIOU"
    s = "".join(r.choice(U) for _ in range(3)) + r.choice(U) + r.choice(V) + r.choice(U)
    s += digits(r, 2) + r.choice("ABCDEHLMPRST") + "%02d" % r.choice([r.randint(1, 31), r.randint(41, 71)])
    s += r.choice("ABCDEFGHLMZ") + digits(r, 3) + r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return s


DNI_L = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(r):
    n = r.randint(1000000, 99999999)
    s = "%08d%s" % (n, DNI_L[n % 23])
    return r.choice([s, "%08d-%s" % (n, DNI_L[n % 23])])


def nie(r):
    p = r.randrange(3)
    n = r.randint(0, 9999999)
    return "%s%07d%s" % ("XYZ"[p], n, DNI_L[int("%d%07d" % (p, n)) % 23])


def bsn(r):
    while True:
        d = [r.randint(0, 9) for _ in range(8)]
        s = sum(x * (9 - i) for i, x in enumerate(d)) % 11
        if s < 10 and d[0] != 0:
            return "".join(map(str, d)) + str(s)


PA = "CFGHJKLMNPRTVWXYZ0123456789"


def perso(r):
    return r.choice("LMNPRTVWXYZ") + "".join(r.choice(PA) for _ in range(8))


def passport(r, lang):
    if lang == "en":
        return digits(r, 9) if r.random() < 0.6 else r.choice("ACEGK") + digits(r, 8)
    if lang == "de":
        return "C" + "".join(r.choice(PA) for _ in range(8))
    if lang == "fr":
        return digits(r, 2) + r.choice("ABCDEFGHJKLMNP") + r.choice("ABCDEFGHJKLMNP") + digits(r, 5)
    if lang == "es":
        return r.choice(["PAA", "PAB", "XDA", "AAF"]) + digits(r, 6)
    if lang == "it":
        return r.choice(["YA", "YB", "AA", "YC"]) + digits(r, 7)
    return r.choice(["NW", "BP", "NX"]) + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(6)) + digits(r, 1)


def driving(r, lang, p=None):
    if lang == "en":
        if r.random() < 0.5 and p:
            sur = (deaccent(p.last).upper().replace(" ", "").replace("'", "") + "99999")[:5]
            return "%s%s%s%s%s" % (sur, digits(r, 6), deaccent(p.first[0]).upper(), r.choice("ABCDEFGHJKLM9"), digits(r, 1) + r.choice(["AB", "CD", "XY", "IJ"]))
        return "%s%s-%s-%s" % (r.choice("DSWAB"), digits(r, 3), digits(r, 4), digits(r, 4))
    if lang == "de":
        return r.choice("BFKMNS") + digits(r, 3) + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3)) + digits(r, 1) + r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + digits(r, 2)
    if lang == "fr":
        return digits(r, 2) + r.choice(["AA", "AB", "BC", "ZK"]) + digits(r, 5)
    if lang == "es":
        return dni(r)
    if lang == "it":
        return r.choice(["U1", "MI", "RM", "NA"]) + digits(r, 7) + r.choice("ABCDEFGHKLMNPRSTUVWXYZ")
    return digits(r, 10)


VINCH = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def vin(r):
    return r.choice(["WVW", "VF1", "ZFA", "VSS", "WBA", "1HG", "XLR", "WDD", "SAL", "YV1"]) + "".join(r.choice(VINCH) for _ in range(14))


def plate(r, lang):
    A = "ABCDEFGHJKLMNPRSTUVWXYZ"
    a = lambda n: "".join(r.choice(A) for _ in range(n))
    if lang == "en":
        return r.choice(["%s%s %s" % (a(2), digits(r, 2), a(3)), "%s%s%s" % (digits(r, 1), a(3), digits(r, 3))])
    if lang == "de":
        return "%s-%s %s" % (r.choice(["B", "M", "HH", "K", "L", "FR", "KS"]), a(r.randint(1, 2)), r.randint(1, 9999))
    if lang == "fr":
        return "%s-%s-%s" % (a(2), digits(r, 3), a(2))
    if lang == "es":
        return "%s %s" % (digits(r, 4), "".join(r.choice("BCDFGHJKLMNPRSTVWXYZ") for _ in range(3)))
    if lang == "it":
        return "%s %s %s" % (a(2), digits(r, 3), a(2))
    return r.choice(["%s-%s-%s" % (digits(r, 2), a(3), digits(r, 1)), "%s-%s-%s" % (a(1), digits(r, 3), a(2))])


def hexs(r, n):
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def ipv4(r):
    return "%d.%d.%d.%d" % (r.choice([r.randint(11, 223), 10, 172, 192]), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))


def ipv6(r):
    return "2001:db8:%s:%s::%s" % (hexs(r, 4).lstrip("0") or "1", hexs(r, 3), hexs(r, 2).lstrip("0") or "7")


def imei(r):
    b = digits(r, 14)
    return b + luhn_digit(b)


MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(),
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
}
MON_ABBR = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.".split(),
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split(),
    "es": "ene. feb. mar. abr. may. jun. jul. ago. sept. oct. nov. dic.".split(),
    "it": "gen feb mar apr mag giu lug ago set ott nov dic".split(),
    "nl": "jan feb mrt apr mei jun jul aug sep okt nov dec".split(),
}
DAYW = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(),
    "de": "ersten zweiten dritten vierten fünften sechsten siebten achten neunten zehnten elften zwölften".split(),
    "fr": "premier deux trois quatre cinq six sept huit neuf dix onze douze".split(),
    "es": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce".split(),
    "it": "primo due tre quattro cinque sei sette otto nove dieci undici dodici".split(),
    "nl": "een twee drie vier vijf zes zeven acht negen tien elf twaalf".split(),
}
EN_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
EN_ONES = "zero one two three four five six seven eight nine".split()


def en_year(y):
    hi, lo = divmod(y, 100)
    hiw = {19: "nineteen", 20: "twenty"}[hi]
    if lo == 0:
        return hiw + " hundred"
    if lo < 10:
        return hiw + " oh " + EN_ONES[lo]
    if lo < 20:
        return hiw + " " + ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"][lo - 10]
    t, o = divmod(lo, 10)
    return hiw + " " + EN_TENS[t] + ("-" + EN_ONES[o] if o else "")


def date(r, lang, y0=1925, y1=2025, form=None):
    y, mo, d = r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28)
    form = form or r.choice(["num", "num", "num", "month", "month", "abbr", "iso", "spelled"])
    if form == "spelled" and d > 12:
        d = r.randint(1, 12)
    if form == "iso":
        return "%04d-%02d-%02d" % (y, mo, d)
    if form == "num":
        if lang == "en":
            return r.choice(["%02d/%02d/%04d" % (d, mo, y), "%d/%d/%02d" % (mo, d, y % 100), "%02d/%02d/%04d" % (mo, d, y)])
        if lang == "de":
            return r.choice(["%02d.%02d.%04d" % (d, mo, y), "%d.%d.%02d" % (d, mo, y % 100)])
        if lang == "nl":
            return r.choice(["%02d-%02d-%04d" % (d, mo, y), "%d-%d-%04d" % (d, mo, y)])
        return r.choice(["%02d/%02d/%04d" % (d, mo, y), "%02d.%02d.%04d" % (d, mo, y), "%02d-%02d-%04d" % (d, mo, y)])
    mn = MONTHS[lang][mo - 1]
    if form == "abbr":
        ab = MON_ABBR[lang][mo - 1]
        if lang == "en":
            return r.choice(["%02d-%s-%04d" % (d, ab.upper(), y), "%s %d, %d" % (ab, d, y), "%d %s %d" % (d, ab, y)])
        if lang == "nl":
            return r.choice(["%02d-%s-%04d" % (d, ab, y), "%d %s %d" % (d, ab, y)])
        return "%d %s %d" % (d, ab, y)
    if form == "month":
        if lang == "en":
            return r.choice(["%d %s %d" % (d, mn, y), "%s %d, %d" % (mn, d, y), "%s %d%s %d" % (mn, d, {1: "st", 21: "st", 2: "nd", 22: "nd", 3: "rd", 23: "rd"}.get(d, "th"), y)])
        if lang == "de":
            return "%d. %s %d" % (d, mn, y)
        if lang == "fr":
            return "%s %s %d" % ("1er" if d == 1 else str(d), mn, y)
        if lang == "es":
            return r.choice(["%d de %s de %d" % (d, mn, y), "%d %s %d" % (d, mn, y)])
        if lang == "it":
            return r.choice(["%d %s %d" % (d, mn, y), "%d %s %d" % (d, mn.capitalize(), y)])
        return "%d %s %d" % (d, mn, y)
    # spelled out
    w = DAYW[lang][d - 1]
    if lang == "en":
        return r.choice(["the %s of %s %s" % (w, mn, en_year(y)), "%s the %s, %d" % (mn, w, y)])
    if lang == "de":
        return "%s %s %d" % (w, mn, y)
    if lang == "fr":
        return "%s %s %d" % (w, mn, y)
    if lang == "es":
        return "%s de %s de %d" % (w, mn, y)
    if lang == "it":
        return "%s %s %d" % (w, mn, y)
    return "%s %s %d" % (w, mn, y)


def D(r, lang, **kw):
    return M("DATE", date(r, lang, **kw))


def age_over_89(r, lang, form=None):
    a = r.randint(90, 104)
    s = r.choice("MF")
    if lang == "en":
        f = form or r.choice(["short", "aged", "yo", "year"])
        return {"short": M("AGE_OVER_89", "%d%s" % (a, s)), "aged": "aged " + M("AGE_OVER_89", str(a)),
                "yo": r.choice([M("AGE_OVER_89", str(a)) + r.choice([" y/o", " yrs", "-year-old"]), M("AGE_OVER_89", str(a) + "yo")]),
                "year": "a " + M("AGE_OVER_89", str(a)) + "-year-old"}.get(f, M("AGE_OVER_89", str(a)))
    suf = {"de": [" J.", "-jährige", " Jahre alt", "-jähriger", "J"], "fr": [" ans", " ans", "a"],
           "es": [" años", " a.", " años de edad"], "it": [" anni", "aa", " a."], "nl": [" jaar", " jr", "-jarige"]}[lang]
    if form == "short":
        return M("AGE_OVER_89", "%d%s" % (a, {"de": r.choice("MWmw"), "fr": r.choice("HF"), "es": r.choice("HMVM"), "it": r.choice("MF"), "nl": r.choice("MV")}[lang]))
    pre = {"de": ["", "Alter: ", ""], "fr": ["âgée de ", "âgé de ", ""], "es": ["de ", "edad ", ""],
           "it": ["di ", "età ", ""], "nl": ["", "leeftijd ", ""]}[lang]
    if r.random() < 0.25 and lang == "it":
        return "anni " + M("AGE_OVER_89", str(a))
    sf = r.choice(suf)
    pr = "" if sf.startswith("-") else r.choice(pre)
    if sf[0].isalnum():  # attached unit ("94J", "95aa"): part of the token
        return pr + M("AGE_OVER_89", str(a) + sf)
    return pr + M("AGE_OVER_89", str(a)) + sf


# ----------------------------------------------------------------------------- labels
def _l(*rows):
    return dict(zip(LANGS, rows))


LBL = {
    "patient": _l(["Patient", "Patient name", "Name", "PATIENT", "Pt"], ["Patient", "Patientin", "Name", "Pat.", "Name, Vorname"],
                  ["Patient", "Patiente", "Nom", "Nom du patient", "NOM Prénom"], ["Paciente", "Nombre", "Apellidos, nombre", "PACIENTE"],
                  ["Paziente", "Cognome e nome", "Nominativo", "Assistito"], ["Patiënt", "Naam", "Patient", "Naam patiënt"]),
    "mrn": _l(["MRN", "MRN#", "Hospital No.", "Patient ID", "Unit No", "Med Rec #", "Hosp. no"], ["Pat.-Nr.", "Patientennummer", "PID", "Fallnummer", "Fall-Nr.", "Aufnahme-Nr."],
              ["IPP", "N° de dossier", "NIP", "N° patient", "N° séjour", "Dossier n°"], ["NHC", "Nº historia clínica", "Nº de episodio", "Historia", "CIP", "Nº HC"],
              ["N. cartella clinica", "Cod. paziente", "Nosologico", "ID paziente", "N. ricovero", "Cartella n."], ["Patiëntnummer", "Dossiernr.", "ZIS-nr", "Patiënt-ID", "Opnamenummer", "Pat.nr."]),
    "dob": _l(["DOB", "D.O.B.", "Date of birth", "Born", "Birthdate"], ["Geb.-Datum", "geb.", "Geburtsdatum", "geboren am"],
              ["Date de naissance", "Né(e) le", "DDN", "né le"], ["Fecha de nacimiento", "F. nac.", "Nacido/a el", "FN"],
              ["Data di nascita", "Nato/a il", "nata il", "D.N."], ["Geboortedatum", "Geb.datum", "geb.", "geboren op"]),
    "addr": _l(["Address", "Home address", "Addr", "Residence"], ["Adresse", "Anschrift", "Wohnort", "Straße, PLZ Ort"],
               ["Adresse", "Domicile", "Adresse postale"], ["Domicilio", "Dirección", "Dir."], ["Indirizzo", "Residenza", "Domicilio", "Residente in"],
               ["Adres", "Woonadres", "Postadres"]),
    "phone": _l(["Tel", "Phone", "Mobile", "Contact no.", "Ph", "Cell"], ["Tel.", "Telefon", "Mobil", "Handy", "Rückruf unter"],
                ["Tél.", "Téléphone", "Portable", "Tél. domicile", "Joignable au"], ["Tel.", "Teléfono", "Móvil", "Tfno.", "Contacto"],
                ["Tel.", "Telefono", "Cellulare", "Cell.", "Recapito"], ["Tel.", "Telefoon", "Mobiel", "Tel.nr.", "Bereikbaar op"]),
    "email": _l(["Email", "E-mail", "email"], ["E-Mail", "Mail", "E-Mail-Adresse"], ["Courriel", "E-mail", "Mél"],
                ["Correo", "Email", "Correo electrónico"], ["Email", "E-mail", "PEC"], ["E-mail", "E-mailadres", "Mail"]),
    "admit": _l(["Admitted", "Admission date", "Date of admission", "Adm"], ["Aufnahme", "Aufnahmedatum", "stationär seit", "Aufn."],
                ["Entrée le", "Date d'entrée", "Admis le", "Hospitalisé le"], ["Ingreso", "Fecha de ingreso", "F. ingreso"],
                ["Ricovero", "Data ricovero", "Ricoverato il", "Ingresso"], ["Opname", "Opnamedatum", "Opgenomen op"]),
    "disch": _l(["Discharged", "Discharge date", "D/C"], ["Entlassung", "Entlassdatum", "entlassen am"],
                ["Sortie le", "Date de sortie"], ["Alta", "Fecha de alta", "F. alta"], ["Dimissione", "Data dimissione", "Dimesso il"],
                ["Ontslag", "Ontslagdatum", "Ontslagen op"]),
    "signed": _l(["Signed by", "Signed", "Electronically signed by", "Dictated by", "Reported by", "Verified by"],
                 ["Unterschrift", "gez.", "Unterzeichnet von", "Befundet von", "Vidiert:", "Diktiert von"],
                 ["Signé par", "Validé par", "Dicté par", "Compte rendu validé par"], ["Firmado por", "Fdo.", "Validado por", "Informado por"],
                 ["Firmato da", "Il medico refertante", "F.to", "Validato da"], ["Ondertekend door", "Getekend", "Gevalideerd door", "Verslag door"]),
    "nurse": _l(["triage nurse", "Triage RN", "Nurse", "RN", "charge nurse", "seen by triage nurse"], ["Triagepflege", "Pflegekraft", "Pflege:", "Triage durch Pflege", "Schwester"],
                ["IOA", "infirmière", "IDE", "infirmier d'accueil"], ["enfermera de triaje", "Enf.", "DUE", "enfermero"],
                ["infermiere di triage", "Inf.", "infermiera", "triagista"], ["triageverpleegkundige", "vpk.", "verpleegkundige", "SEH-vpk"]),
    "attending": _l(["Attending", "Consultant", "Responsible clinician", "Treating physician"], ["Behandelnder Arzt", "Oberarzt", "Stationsarzt", "Chefarzt"],
                    ["Médecin traitant", "Praticien responsable", "Chef de service"], ["Médico responsable", "Facultativo", "Adjunto"],
                    ["Medico curante", "Dirigente medico", "Primario"], ["Behandelend arts", "Specialist", "Hoofdbehandelaar"]),
    "iban": _l(["IBAN", "Iban", "IBAN no.", "IABN", "Account (IBAN)"], ["IBAN", "Iban", "IBNA", "Konto (IBAN)", "Empfänger-IBAN"],
               ["IBAN", "Iban", "IBAN du bénéficiaire", "RIB/IBAN", "IBAM"], ["IBAN", "Cuenta IBAN", "Nº de cuenta", "IBNA"],
               ["IBAN", "Codice IBAN", "Iban beneficiario", "IBNA"], ["IBAN", "Rekeningnummer", "Tegenrekening", "IBNA", "Rek.nr."]),
    "acct": _l(["Account no.", "Acct #", "Acount number", "A/C", "Account"], ["Kontonummer", "Kto.-Nr.", "Konto-Nr", "Kontonr"],
               ["N° de compte", "Compte n°", "Numéro de comte"], ["Nº de cuenta", "Cuenta", "Nº cta."], ["Conto n.", "Numero conto", "C/C"],
               ["Rekeningnr.", "Rekening", "Reknr"]),
    "cust": _l(["Customer no.", "Customer ID", "CIF", "Client ref", "Custmer ID", "Cust. #"], ["Kundennummer", "Kunden-Nr.", "KdNr", "Kundenummer", "CIF"],
               ["N° client", "Référence client", "Identifiant client", "CIF"], ["Nº de cliente", "Código cliente", "CIF cliente", "Nº clinete"],
               ["Codice cliente", "Cod. cliente", "NDG", "ID cliente"], ["Klantnummer", "Klant-ID", "Relatienummer", "Klantnr"]),
    "card": _l(["Card number", "Card no.", "PAN", "Credit card", "Card #"], ["Kartennummer", "Karten-Nr.", "Kreditkarte", "Kartennr"],
               ["N° de carte", "Carte bancaire", "Numéro de carte"], ["Nº de tarjeta", "Tarjeta", "Número tarjeta"],
               ["Numero carta", "Carta n.", "Carta di credito"], ["Kaartnummer", "Creditcard", "Pasnummer"]),
    "member": _l(["Member ID", "Health plan member no.", "Policy no.", "Subscriber ID", "Beneficiary #", "Membr ID"],
                 ["Versichertennummer", "Vers.-Nr.", "Mitgliedsnummer", "Versicherten-Nr", "KVNR"],
                 ["N° d'adhérent", "N° de mutuelle", "N° assuré", "Numéro d'adhérent"], ["Nº de afiliado", "Nº póliza", "Tarjeta sanitaria", "Nº asegurado"],
                 ["N. tessera", "N. polizza", "Codice assistito", "Tessera sanitaria n."], ["Polisnummer", "Verzekerdennummer", "Lidnummer", "Relatienr. verzekeraar"]),
    "loan": _l(["Loan no.", "Loan ref", "Facility ID", "Mortgage account"], ["Darlehensnummer", "Kreditnummer", "Darlehens-Nr."],
               ["N° de prêt", "Référence du prêt", "Dossier de crédit n°"], ["Nº de préstamo", "Ref. préstamo", "Nº hipoteca"],
               ["N. mutuo", "Pratica mutuo n.", "Codice finanziamento"], ["Leningnummer", "Hypotheeknummer", "Kredietnr."]),
    "claim": _l(["Claim no.", "Claim ref", "Claim #"], ["Schadennummer", "Leistungsfall-Nr.", "Vorgangsnummer"], ["N° de sinistre", "Réf. dossier", "N° de demande"],
                ["Nº de siniestro", "Ref. expediente", "Nº solicitud"], ["N. sinistro", "Pratica n.", "Rif. richiesta"], ["Declaratienummer", "Schadenummer", "Dossiernummer"]),
    "passport": _l(["Passport", "Passport no.", "Passport #"], ["Reisepass", "Reisepass-Nr.", "Pass-Nr."], ["Passeport", "N° de passeport"],
                   ["Pasaporte", "Nº de pasaporte"], ["Passaporto", "N. passaporto"], ["Paspoort", "Paspoortnummer"]),
    "natid": _l(["SSN", "Social Security No.", "NI number", "National Insurance no."], ["Personalausweis", "Ausweis-Nr.", "Personalausweisnummer", "Perso-Nr."],
                ["NIR", "N° de sécurité sociale", "N° SS", "Numéro INSEE"], ["DNI", "NIE", "DNI/NIE", "Documento"],
                ["Codice fiscale", "C.F.", "Cod. Fisc.", "CF"], ["BSN", "Burgerservicenummer", "BSN-nr."]),
    "dl": _l(["Driver's licence", "Driving licence no.", "DL#", "Driver license"], ["Führerschein-Nr.", "Führerschein"], ["Permis de conduire", "N° de permis"],
             ["Permiso de conducir", "Carné de conducir"], ["Patente", "N. patente"], ["Rijbewijs", "Rijbewijsnummer"]),
    "date": _l(["Date", "Dated", "On"], ["Datum", "vom", "am"], ["Date", "le", "Fait le"], ["Fecha", "el día", "a"], ["Data", "il", "lì"], ["Datum", "d.d.", "op"]),
    "ref": _l(["Ref", "Reference", "Our ref", "Ticket"], ["Az.", "Unser Zeichen", "Vorgang", "Ticket-Nr."], ["Réf.", "N/Réf.", "Référence", "Ticket n°"],
              ["Ref.", "Nuestra ref.", "Expediente", "Incidencia"], ["Rif.", "Ns. rif.", "Protocollo n.", "Ticket"], ["Kenmerk", "Ons kenmerk", "Referentie", "Ticketnr."]),
    "age": _l(["Age", "Age/Sex", "Age"], ["Alter", "Alter/Geschl."], ["Âge", "Âge/Sexe"], ["Edad", "Edad/Sexo"], ["Età", "Età/Sesso"], ["Leeftijd", "Leeftijd/Geslacht"]),
    "licence": _l(["GMC No.", "License #", "NPI", "Reg. no.", "DEA #", "State license"], ["LANR", "Arztnummer", "Approbations-Nr.", "BSNR"],
                  ["RPPS", "N° ADELI", "N° d'inscription à l'Ordre", "N° RPPS"], ["Nº colegiado", "Nº Col.", "Colegiado nº", "CNP"],
                  ["Iscr. Ordine n.", "N. iscrizione albo", "Cod. regionale medico"], ["BIG-nummer", "BIG-nr", "AGB-code", "BIG"]),
    "device": _l(["Device S/N", "Serial no.", "Device ID", "SN", "Implant serial"], ["Seriennummer", "Geräte-Nr.", "SN", "Gerätekennung"],
                 ["N° de série", "Numéro de série", "ID dispositif"], ["Nº de serie", "ID dispositivo", "N/S"], ["Matricola", "N. di serie", "S/N", "ID dispositivo"],
                 ["Serienummer", "Apparaat-ID", "S/N", "Serienr."]),
    "plate": _l(["Reg plate", "Vehicle reg", "Plate", "License plate"], ["Kennzeichen", "amtl. Kennzeichen", "Kfz-Kennzeichen"],
                ["Immatriculation", "Plaque", "N° d'immatriculation"], ["Matrícula", "Matrícula vehículo"], ["Targa", "Targa veicolo"], ["Kenteken", "Kenteken voertuig"]),
    "vin": _l(["VIN", "Chassis no.", "VIN#"], ["FIN", "Fahrgestellnummer", "FIN/VIN"], ["VIN", "N° de châssis", "N° VIN"],
              ["Nº bastidor", "VIN", "Bastidor"], ["Telaio", "N. telaio", "VIN"], ["Chassisnummer", "VIN", "Chassisnr."]),
}


def L(r, lang, key):
    return r.choice(LBL[key][lang])


# ----------------------------------------------------------------------------- KEEP material
PAINW = {"en": ["pain", "Pain", "NRS", "VAS"], "de": ["Schmerz", "NRS", "VAS", "Schmerzskala"], "fr": ["EVA", "douleur", "EN"],
         "es": ["EVA", "dolor", "EVN"], "it": ["NRS", "VAS", "dolore"], "nl": ["pijn", "NRS", "VAS", "pijnscore"]}


def k_score(r, lang):
    c = r.randrange(16)
    return K([lambda: "GCS %d" % r.randint(3, 15), lambda: "GCS %d/15" % r.randint(8, 15), lambda: "NIHSS %d" % r.randint(0, 24),
              lambda: "APGAR %d/%d" % (r.randint(5, 9), r.randint(8, 10)), lambda: "%s %d/10" % (r.choice(PAINW[lang]), r.randint(0, 10)),
              lambda: "Barthel %d" % (5 * r.randint(4, 20)), lambda: "mRS %d" % r.randint(0, 5), lambda: "qSOFA %d" % r.randint(0, 3),
              lambda: "CURB-65 %d" % r.randint(0, 5), lambda: "Wells score %d" % r.randint(0, 7), lambda: "Braden %d" % r.randint(9, 23),
              lambda: "MMSE %d/30" % r.randint(12, 30), lambda: "ASA %s" % r.choice(["I", "II", "III", "IV"]),
              lambda: "NYHA %s" % r.choice(["I", "II", "III", "IV"]), lambda: "CHA2DS2-VASc %d" % r.randint(1, 8),
              lambda: "NEWS2 %d" % r.randint(0, 12)][c]())


def k_triage(r, lang):
    return K(r.choice({
        "en": ["ESI %d" % r.randint(1, 5), "ESI level %d" % r.randint(1, 5), "Manchester triage: %s" % r.choice(["orange", "yellow", "red", "green"]),
               "CTAS %d" % r.randint(1, 5), "triage category %d" % r.randint(1, 5), "ATS %d" % r.randint(1, 5)],
        "de": ["MTS %s" % r.choice(["orange", "gelb", "rot", "grün"]), "Triage-Kategorie %s" % r.choice(["gelb", "orange", "rot"]),
               "ESI-Stufe %d" % r.randint(1, 5), "Dringlichkeit %s" % r.choice(["gelb", "orange"])],
        "fr": ["CIMU %d" % r.randint(1, 5), "tri %d" % r.randint(1, 5), "FRENCH niveau %d" % r.randint(1, 5), "priorité %s" % r.choice(["P1", "P2", "P3"])],
        "es": ["nivel %s (SET)" % r.choice(["I", "II", "III", "IV"]), "triaje Manchester %s" % r.choice(["naranja", "amarillo", "verde"]),
               "prioridad %d" % r.randint(1, 5)],
        "it": ["codice %s" % r.choice(["giallo", "verde", "rosso", "azzurro", "arancione"]), "triage codice %d" % r.randint(1, 5)],
        "nl": ["urgentie U%d" % r.randint(1, 5), "MTS %s" % r.choice(["oranje", "geel", "rood", "groen"]), "triagecategorie %s" % r.choice(["geel", "oranje"])],
    }[lang]))


def k_ward(r, lang):
    return K(r.choice({
        "en": ["Ward %d%s" % (r.randint(1, 30), r.choice("ABC")), "AMU", "CCU", "Stroke Unit", "Rowan Ward", "Ward 12", "HDU", "Resus bay 2"],
        "de": ["Station %d %s" % (r.randint(1, 12), r.choice(["Nord", "Süd", "West", "Ost"])), "Intensivstation 2", "Stroke Unit", "ZNA", "IMC 3"],
        "fr": ["unité %d%s" % (r.randint(1, 9), r.choice("ABC")), "service de cardiologie", "salle Pasteur", "UHCD", "SAUV 2"],
        "es": ["Planta %dª" % r.randint(1, 9), "UCI", "box %d de urgencias" % r.randint(1, 12), "Unidad de Ictus", "Observación 2"],
        "it": ["Reparto Medicina %d" % r.randint(1, 4), "OBI", "UTIC", "Stroke Unit", "Degenza Ordinaria B"],
        "nl": ["afdeling %s%d" % (r.choice("ABCD"), r.randint(1, 9)), "IC", "SEH", "CCU", "Verpleegafdeling 4 Oost"],
    }[lang]))


def k_lab(r, lang):
    dec = "," if lang in ("de", "fr", "es", "it", "nl") and r.random() < 0.7 else "."
    f = lambda x: ("%.1f" % x).replace(".", dec)
    return K(r.choice(["Hb %s g/dL" % f(r.uniform(7, 17)), "CRP %d mg/L" % r.randint(1, 300), "K+ %s mmol/L" % f(r.uniform(2.8, 6.2)),
                       "Na %d mmol/l" % r.randint(125, 150), "eGFR %d mL/min" % r.randint(15, 120), "HbA1c %s %%" % f(r.uniform(5, 11)),
                       "troponin T %d ng/L" % r.randint(3, 900), "INR %s" % f(r.uniform(0.9, 4.5)), "WBC %s x10^9/L" % f(r.uniform(2, 25)),
                       "Krea %s mg/dl" % f(r.uniform(0.5, 4)), "SpO2 %d%%" % r.randint(82, 100), "BP %d/%d" % (r.randint(90, 200), r.randint(50, 110)),
                       "HR %d bpm" % r.randint(40, 160), "T %s °C" % f(r.uniform(35.5, 40.5)), "lactate %s mmol/L" % f(r.uniform(0.5, 9)),
                       "BNP %d pg/mL" % r.randint(20, 4000), "PCT %s ng/mL" % f(r.uniform(0.05, 20)), "RR %d/%d mmHg" % (r.randint(90, 200), r.randint(50, 110))]))


DRUGS = ["metoprolol", "Ramipril", "amoxicillin", "paracetamol", "enoxaparin", "apixaban", "furosemide", "Pantoprazol", "insulin glargine",
         "heparin", "ceftriaxone", "Metformin", "atorvastatin", "Bisoprolol", "levothyroxine", "ondansetron", "Clexane", "Eliquis",
         "Novalgin", "Doliprane", "Tachipirina", "Nolotil", "Augmentin", "Xarelto"]


def k_drug(r, lang):
    d = r.choice(DRUGS)
    return K(r.choice([d, "%s %d mg" % (d, r.choice([5, 10, 20, 25, 40, 50, 100, 500, 1000])), "%s %d mg %s" % (d, r.choice([5, 10, 40, 500]), r.choice(["bid", "od", "1-0-1", "1-0-0", "x3/j", "c/8h", "tds", "sc"])),
                       "heparin %d IE" % r.choice([5000, 7500, 10000]), "insulin glargine %d units" % r.randint(4, 40), "Lantus %d IE" % r.randint(4, 40)]))


def k_icd(r, lang):
    icd = r.choice(["I21.4", "J18.9", "E11.65", "I50.9", "N17.9", "S72.00", "K35.80", "I63.9", "J44.1", "A41.9", "C34.90", "F32.1"])
    pre = {"en": "ICD-10", "de": "ICD-10-GM", "fr": "CIM-10", "es": "CIE-10", "it": "ICD-10", "nl": "ICD-10"}[lang]
    return r.choice([K(icd), K("%s %s" % (pre, icd)), "(" + K(icd) + ")"])


def k_code(r, lang):
    icd = r.choice(["I21.4", "J18.9", "E11.65", "I50.9", "N17.9", "S72.00", "K35.80", "I63.9", "J44.1", "A41.9", "C34.90", "F32.1"])
    pre = {"en": "ICD-10", "de": "ICD-10-GM", "fr": "CIM-10", "es": "CIE-10", "it": "ICD-9-CM" if False else "ICD-10", "nl": "ICD-10"}[lang]
    return K(r.choice(["%s %s" % (pre, icd), icd, "NDC %s-%s-%s" % (digits(r, 4), digits(r, 4), digits(r, 2)), "NDC %s-%s-%s" % (digits(r, 5), digits(r, 3), digits(r, 2)),
                       "SNOMED CT %s" % r.choice(["22298006", "44054006", "38341003", "195967001", "233604007", "73211009", "271737000", "230690007"]),
                       "SCTID %s" % r.choice(["84114007", "49436004", "59621000", "40930008"]),
                       "OPS %s" % r.choice(["8-930", "5-820.00", "3-200", "8-98f.10"]), "CPT %s" % r.choice(["99285", "71046", "93000", "36415"]),
                       "LOINC %s" % r.choice(["2160-0", "718-7", "2345-7", "4548-4"]), "ATC %s" % r.choice(["C07AB02", "B01AF02", "A10BA02", "N02BE01"])]))


def k_fin(r, lang):
    dec = "," if lang != "en" else "."
    f = lambda x, n=1: ("%.*f" % (n, x)).replace(".", dec)
    return K(r.choice(["LTV %d%%" % r.randint(40, 95), "DSCR %sx" % f(r.uniform(0.8, 2.5), 2), "DTI %d%%" % r.randint(15, 55),
                       {"en": "APR %s%%", "de": "Effektivzins %s %%", "fr": "TAEG %s %%", "es": "TAE %s %%", "it": "TAEG %s%%", "nl": "effectieve rente %s%%"}[lang] % f(r.uniform(1, 19), 2),
                       "CET1 ratio %s%%" % f(r.uniform(10, 18)), "interest cover %sx" % f(r.uniform(1, 8)), "EBITDA margin %d%%" % r.randint(4, 40),
                       "%d %%" % r.randint(1, 99), "%s%%" % f(r.uniform(0.1, 9.9), 2)]))


def money(r, lang):
    v = r.uniform(5, 25000)
    if lang == "en":
        return r.choice(["£%s" % format(v, ",.2f"), "$%s" % format(v, ",.2f"), "GBP %s" % format(v, ",.2f"), "EUR %s" % format(v, ",.2f")])
    s = format(v, ",.2f").replace(",", "X").replace(".", ",").replace("X", r.choice([".", " ", "."]))
    return r.choice(["%s €" % s, "EUR %s" % s, "€ %s" % s, "%s EUR" % s])


def k_money(r, lang):
    return K(money(r, lang))


def k_time(r, lang):
    h, m = r.randint(0, 23), r.randint(0, 59)
    return K({"en": "%02d:%02d" % (h, m), "de": "%02d:%02d Uhr" % (h, m), "fr": "%02dh%02d" % (h, m), "es": "%02d:%02d h" % (h, m),
              "it": "ore %02d:%02d" % (h, m), "nl": "%02d.%02d uur" % (h, m)}[lang] if r.random() < 0.5 else "%02d:%02d" % (h, m))


def k_any(r, lang):
    return r.choice([k_score, k_triage, k_ward, k_lab, k_drug, k_code, k_fin, k_money, k_time])(r, lang)


def k_clin(r, lang):
    return r.choice([k_score, k_triage, k_ward, k_lab, k_lab, k_drug, k_code, k_time])(r, lang)


# ----------------------------------------------------------------------------- other identifiers (markup)
def mrn(r, lang):
    v = r.choice([digits(r, 8), digits(r, 7), digits(r, 5), digits(r, 6), "%s%s" % (r.choice("ABKMX"), digits(r, 7)),
                  "%d-%s" % (r.randint(2015, 2025), digits(r, 6)), "%s.%s.%s" % (digits(r, 2), digits(r, 3), digits(r, 3)),
                  "%s/%s" % (digits(r, 4), digits(r, 2))])
    return M("RECORD_ID", v)


def accession(r):
    return M("RECORD_ID", r.choice(["RAD%s-%s" % (digits(r, 2), digits(r, 7)), "ACC%s" % digits(r, 9), "%s%s" % (r.choice(["CT", "MR", "US", "XR"]), digits(r, 8)),
                                   "A%s" % digits(r, 10), "%s-%s" % (r.choice(["H", "P", "S"]), digits(r, 2) + "-" + digits(r, 5))]))


def other_id(r, prefix=None):
    p = prefix or r.choice(["CLM", "INC", "TCK", "REQ", "CASE", "RX", "EMP", "LOY", "TRX", "DOC", "WR"])
    return M("OTHER_ID", r.choice(["%s-%d-%s" % (p, r.randint(2019, 2025), digits(r, 5)), "%s%s" % (p, digits(r, 7)), "%s/%s/%s" % (p, digits(r, 3), digits(r, 4)),
                                   "%s-%s-%s" % (p, "".join(r.choice(VINCH) for _ in range(3)), "".join(r.choice(VINCH) for _ in range(4)))]))


def cust_no(r):
    return M("ACCOUNT", r.choice(["KD-%s" % digits(r, 7), "C%s" % digits(r, 8), digits(r, 10), "CIF%s" % digits(r, 8), "%s-%s" % (digits(r, 4), digits(r, 5)),
                                  "CU%s" % digits(r, 6), digits(r, 12)]))


def acct_no(r):
    return M("ACCOUNT", r.choice([digits(r, 10), digits(r, 8), "%s-%s" % (digits(r, 3), digits(r, 7)), "%s %s %s" % (digits(r, 2), digits(r, 2), digits(r, 6))]))


def loan_no(r):
    return M("ACCOUNT", r.choice(["LN-%d-%s" % (r.randint(2015, 2025), digits(r, 6)), "DL%s" % digits(r, 9), "%s/%s" % (digits(r, 6), digits(r, 2)), "MTG%s" % digits(r, 8)]))


def member_id(r, lang):
    A = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return M("ACCOUNT", r.choice({
        "en": ["%s%s" % ("".join(r.choice(A) for _ in range(3)), digits(r, 9)), "W%s" % digits(r, 9), "%s-%s-%s" % (digits(r, 3), digits(r, 3), digits(r, 3))],
        "de": ["%s%s" % (r.choice(A), digits(r, 9)), "%s %s" % (r.choice(A), digits(r, 9))],
        "fr": ["%s" % digits(r, 10), "MUT-%s" % digits(r, 8)],
        "es": ["%s%s" % ("".join(r.choice(A) for _ in range(4)), digits(r, 10)), "%s" % digits(r, 12)],
        "it": ["%s" % digits(r, 20), "%s%s" % (r.choice(["80380", "80390"]), digits(r, 15))],
        "nl": ["%s" % digits(r, 9), "VZ%s" % digits(r, 8)],
    }[lang]))


def natid_l(r, lang):
    """label + value of the national id, with a label that fits the value."""
    if lang == "en":
        if r.random() < 0.5:
            return r.choice(["SSN", "Social Security No.", "SSN#"]) + " " + M("ID_DOC", ssn(r))
        return r.choice(["NI number", "National Insurance no.", "NINO"]) + " " + M("ID_DOC", ni_uk(r))
    if lang == "es" and r.random() < 0.4:
        return "NIE " + M("ID_DOC", nie(r))
    if lang == "es":
        return "DNI " + M("ID_DOC", dni(r))
    return L(r, lang, "natid") + " " + natid(r, lang)


def natid(r, lang, p=None):
    if lang == "en":
        return M("ID_DOC", r.choice([ssn(r), ni_uk(r)]))
    return M("ID_DOC", {"de": perso, "fr": nir, "es": lambda r: r.choice([dni(r), nie(r)]), "it": cod_fisc, "nl": bsn}[lang](r))


def licence(r, lang):
    return M("LICENSE", {"en": lambda: r.choice([digits(r, 7), "1%s" % digits(r, 9), "%s%s" % (r.choice(["AB", "BF", "FM"]), digits(r, 7)), "MD%s" % digits(r, 6)]),
                         "de": lambda: digits(r, 9), "fr": lambda: "10%s" % digits(r, 9), "es": lambda: digits(r, 9),
                         "it": lambda: r.choice([digits(r, 5), "MI-%s" % digits(r, 5)]), "nl": lambda: digits(r, 11)}[lang]())


def device_id(r):
    return M("DEVICE", r.choice(["PJN%s%s" % (digits(r, 6), r.choice("HSKR")), "SN%s" % digits(r, 9), "%s-%s" % ("".join(r.choice(VINCH) for _ in range(4)), digits(r, 6)),
                                 "(01)%s(21)%s" % (digits(r, 14), "".join(r.choice(VINCH) for _ in range(7))), imei(r), hexs(r, 8) + "-" + hexs(r, 4) + "-" + hexs(r, 4),
                                 "%s:%s:%s:%s:%s:%s" % tuple(hexs(r, 2).upper() for _ in range(6))]))


def biometric(r):
    return M("BIOMETRIC", r.choice(["FP-%s-%s" % (hexs(r, 4).upper(), hexs(r, 4).upper()), "VP%s" % digits(r, 8), "IRIS-%s" % hexs(r, 12), "face_tpl_%s" % hexs(r, 10),
                                    "BIO%s" % digits(r, 9), "DNA-%s-%s" % (digits(r, 4), "".join(r.choice(VINCH) for _ in range(4)))]))


def url(r, lang, p=None):
    host = r.choice(["portal.klinikum-nordstadt.de", "mychart.stmarys-example.org", "patient.chu-exemple.fr", "citas.salud-madrid.es",
                     "fse.asl-esempio.it", "mijn.umc-voorbeeld.nl", "online.bank-example.com", "secure.sparkasse-beispiel.de"])
    path = r.choice(["/patient/%s" % digits(r, 7), "/records?id=%s" % digits(r, 8), "/u/%s" % hexs(r, 12), "/download/%s.pdf" % hexs(r, 16),
                     "/account/%s/statement" % digits(r, 9), "/share/%s" % hexs(r, 10)])
    if p is not None and r.random() < 0.3:
        return M("URL", "https://www.%s-%s.%s" % (deaccent(p.first.lower().replace(" ", "")), deaccent(p.last.lower().replace(" ", "").replace("'", "")), r.choice(["com", "net", "de", "fr", "it", "nl", "es"])))
    return M("URL", "https://" + host + path)


def ip(r):
    return M("IP", ipv4(r) if r.random() < 0.8 else ipv6(r))


# ----------------------------------------------------------------------------- styles
class C:
    def __init__(self, r, lang):
        self.r, self.lang = r, lang
        self.pat = Person(r, lang)
        self.doc = Person(r, lang)
        self.nurse = Person(r, lang)
        self.rel = Person(r, lang)
        while self.doc.last == self.pat.last:
            self.doc = Person(r, lang)

    def tr(self, *opts):
        o = opts[LANGS.index(self.lang)]
        return self.r.choice(o) if isinstance(o, list) else o

    def L(self, key):
        return L(self.r, self.lang, key)

    def sep(self):
        return self.r.choice([": ", ": ", " ", ":\t", " - ", ":  "])

    def hdr(self, *names):
        return self.r.choice([n.upper() for n in names] + list(names))


HOSP = {"en": ["St Mary's Hospital NHS Trust", "Riverside General Hospital", "Northgate Medical Center"],
        "de": ["Klinikum Nordstadt", "Universitätsklinikum Beispielstadt", "St.-Josef-Krankenhaus"],
        "fr": ["CHU de Exemple", "Hôpital Saint-Louis-des-Champs", "Centre Hospitalier Régional"],
        "es": ["Hospital Universitario La Fuente", "Hospital General de Ejemplo", "Complejo Hospitalario San Roque"],
        "it": ["Ospedale Maggiore di Esempio", "Azienda Ospedaliera San Carlo", "Policlinico Universitario"],
        "nl": ["UMC Voorbeeld", "Ziekenhuis Rijnstate-Noord", "Medisch Centrum Oosterhout"]}
BANK = {"en": ["Northbridge Bank plc", "Harbour Savings"], "de": ["Sparkasse Beispielstadt", "Volksbank Nordtal eG"],
        "fr": ["Banque Populaire de l'Exemple", "Crédit Régional"], "es": ["Banco de la Fuente", "Caja Rural del Norte"],
        "it": ["Banca Popolare di Esempio", "Cassa di Risparmio del Borgo"], "nl": ["Rijnbank N.V.", "Spaarbank Noord"]}


def s_discharge(c):
    r, p = c.r, c.pat
    t = c.tr(["DISCHARGE SUMMARY", "Discharge Letter"], ["Entlassungsbericht", "ARZTBRIEF"], ["COMPTE RENDU D'HOSPITALISATION", "Lettre de sortie"],
             ["INFORME DE ALTA", "Informe de alta hospitalaria"], ["LETTERA DI DIMISSIONE", "Relazione di dimissione"], ["Ontslagbrief", "ONTSLAGBRIEF"])
    lines = [r.choice(HOSP[c.lang]) + " - " + k_ward(r, c.lang), t, "=" * r.randint(10, 30) if r.random() < 0.5 else ""]
    lines.append("%s%s%s    %s%s%s" % (c.L("patient"), c.sep(), p.form(), c.L("mrn"), c.sep(), mrn(r, c.lang)))
    lines.append("%s%s%s" % (c.L("dob"), c.sep(), D(r, c.lang, y0=1925, y1=2005)) + ("   " + c.L("age") + c.sep() + age_over_89(r, c.lang) if r.random() < 0.35 else ""))
    lines.append("%s%s%s" % (c.L("addr"), c.sep(), address(r, c.lang)))
    lines.append("%s%s%s / %s%s%s" % (c.L("admit"), c.sep(), D(r, c.lang, y0=2019), c.L("disch"), c.sep(), D(r, c.lang, y0=2019)))
    lines.append("")
    lines.append(c.tr(["Diagnosis: ", "Principal diagnosis: "], ["Diagnose: ", "Hauptdiagnose: "], ["Diagnostic principal : "], ["Diagnóstico principal: "], ["Diagnosi: "], ["Diagnose: "]) + k_icd(r, c.lang))
    body = c.tr(
        ["Patient presented with chest pain, %s on arrival, %s. Troponin rise, %s. Started on %s and %s. Seen by %s on the ward round.",
         "%s admitted via ED with %s, %s and %s. Treated with %s; %s reviewed on day 2."],
        ["Aufnahme über die ZNA mit Dyspnoe, %s, %s. Laborchemisch %s. Therapie mit %s sowie %s. Visite durch %s."],
        ["Admis(e) pour dyspnée, %s à l'entrée, %s. Biologie : %s. Traitement par %s et %s. Vu(e) par %s."],
        ["Ingresa por dolor torácico, %s a la llegada, %s. Analítica: %s. Se inicia %s y %s. Valorado/a por %s."],
        ["Ricoverato/a per dispnea, %s all'ingresso, %s. Esami: %s. Terapia con %s e %s. Visitato/a da %s."],
        ["Opgenomen met pijn op de borst, %s bij binnenkomst, %s. Lab: %s. Gestart met %s en %s. Gezien door %s."])
    if body.startswith("%s admitted"):
        body = body % (p.form(r.choice(["title_last", "full", "title_caps"])), k_score(r, c.lang), k_lab(r, c.lang), k_lab(r, c.lang), k_drug(r, c.lang), c.doc.doc())
    else:
        body = body % (k_score(r, c.lang), k_lab(r, c.lang), k_lab(r, c.lang), k_drug(r, c.lang), k_drug(r, c.lang), c.doc.doc())
    lines.append(body)
    if r.random() < 0.5:
        lines.append(c.tr("Next of kin: %s (%s) %s", "Angehörige: %s (%s) %s", "Personne de confiance : %s (%s) %s", "Familiar de contacto: %s (%s) %s",
                          "Familiare di riferimento: %s (%s) %s", "Contactpersoon: %s (%s) %s")
                     % (c.rel.form(), c.tr(["wife", "son", "daughter"], ["Ehefrau", "Sohn", "Tochter"], ["épouse", "fils", "fille"], ["esposa", "hijo", "hija"], ["moglie", "figlio", "figlia"], ["echtgenote", "zoon", "dochter"]), phone_m(r, c.lang)))
    if r.random() < 0.4:
        lines.append(c.tr("Results portal: ", "Befundportal: ", "Portail patient : ", "Portal del paciente: ", "Fascicolo online: ", "Patiëntenportaal: ") + url(r, c.lang))
    lines.append(c.tr("Follow-up in clinic on %s.", "Wiedervorstellung am %s.", "Revoir en consultation le %s.", "Revisión en consultas el %s.", "Controllo ambulatoriale il %s.", "Controle op de polikliniek op %s.") % D(r, c.lang, y0=2023))
    lines.append("")
    lines.append("%s%s%s, %s%s%s" % (c.L("signed"), c.sep(), c.doc.doc(), c.L("licence"), c.sep(), licence(r, c.lang)))
    return "\n".join(lines)


def s_triage(c):
    r, p = c.r, c.pat
    sep = r.choice([" | ", "; ", "\n", " // "])
    parts = [c.tr("ED TRIAGE", "ZNA-Triage", "Accueil urgences - IOA", "TRIAJE URGENCIAS", "TRIAGE PS", "SEH triage") + " " + k_time(r, c.lang),
             p.form(r.choice(["caps", "lastfirst_caps", "full", "lower", "lastfirst"])) + ", " + (age_over_89(r, c.lang, "short") if r.random() < 0.5 else age_over_89(r, c.lang)),
             c.L("mrn") + " " + mrn(r, c.lang),
             k_triage(r, c.lang), k_score(r, c.lang), k_lab(r, c.lang), k_lab(r, c.lang),
             c.tr("c/o fall at home, ?#NOF", "Sturz zu Hause, V.a. SHF", "chute à domicile", "caída en domicilio", "caduta a domicilio", "val thuis, verdenking heupfractuur"),
             c.L("nurse") + " " + c.nurse.form(r.choice(["last", "last", "first", "initial", "nick"])),
             c.tr("brought in by ambulance", "RTW", "amené par SAMU", "traído por SAMUR", "arrivato con 118", "ambulance") + " " + c.L("plate") + " " + M("VEHICLE", plate(r, c.lang)) if r.random() < 0.4 else k_ward(r, c.lang)]
    if r.random() < 0.5:
        parts.append(c.tr("daughter", "Tochter", "fille", "hija", "figlia", "dochter") + " " + c.rel.form("first") + " " + phone_m(r, c.lang, r.choice(["bare", "nat"])))
    return sep.join(parts)


def s_radiology(c):
    r, p = c.r, c.pat
    mod = r.choice(["CT head without contrast", "MRI lumbar spine", "Chest X-ray PA", "CT pulmonary angiogram", "US abdomen"])
    lines = [c.tr("RADIOLOGY REPORT", "RADIOLOGISCHER BEFUND", "COMPTE RENDU D'IMAGERIE", "INFORME RADIOLÓGICO", "REFERTO RADIOLOGICO", "RADIOLOGIEVERSLAG"),
             "%s: %s   %s: %s" % (c.tr("Accession", "Auftrags-Nr.", "N° d'examen", "Nº de petición", "N. accettazione", "Onderzoeksnr."), accession(r), c.L("mrn"), mrn(r, c.lang)),
             "%s: %s  (%s %s)" % (c.L("patient"), p.form(), c.L("dob"), D(r, c.lang, y0=1930, y1=2010)),
             "%s: %s   %s" % (c.tr("Exam", "Untersuchung", "Examen", "Exploración", "Esame", "Onderzoek"), mod, D(r, c.lang, y0=2020)) + " " + k_time(r, c.lang),
             "%s: %s" % (c.tr("Referring", "Zuweiser", "Prescripteur", "Solicitante", "Richiedente", "Aanvrager"), c.doc.doc()),
             "", c.tr("FINDINGS:", "Befund:", "Résultats :", "Hallazgos:", "Reperto:", "Bevindingen:"),
             c.tr("No acute intracranial haemorrhage. Comparison with prior study from %s.", "Kein Nachweis einer Blutung. Vergleich mit Voruntersuchung vom %s.",
                  "Pas d'hémorragie. Comparaison avec l'examen du %s.", "Sin hemorragia aguda. Se compara con estudio previo del %s.",
                  "Non emorragie acute. Confronto con esame del %s.", "Geen bloeding. Vergeleken met onderzoek van %s.") % D(r, c.lang, y0=2015),
             "CTDIvol %d mGy, DLP %d mGy*cm. " % (r.randint(10, 70), r.randint(200, 1400)) + k_code(r, c.lang)]
    if r.random() < 0.5:
        lines.append(c.tr("Pacemaker in situ, ", "Schrittmacher, ", "Pacemaker, ", "Marcapasos, ", "Pacemaker, ", "Pacemaker, ") + c.L("device") + " " + device_id(r) + " (MR conditional)")
    lines += ["", "%s %s, %s" % (c.L("signed"), c.doc.form(r.choice(["title_caps", "full", "initial", "last"])), D(r, c.lang, y0=2020)) + " " + k_time(r, c.lang)]
    return "\n".join(lines)


def s_lab_table(c):
    r, p = c.r, c.pat
    delim = r.choice(["|", "\t", "  "])
    head = [c.tr("LABORATORY RESULTS", "LABORBEFUND", "RÉSULTATS DE LABORATOIRE", "RESULTADOS DE LABORATORIO", "REFERTO DI LABORATORIO", "LABORATORIUMUITSLAGEN"),
            "%s%s%s  %s%s%s  %s%s%s" % (c.L("patient"), c.sep(), p.form(), c.L("mrn"), c.sep(), mrn(r, c.lang), c.L("dob"), c.sep(), D(r, c.lang, y0=1925, y1=2010)),
            "%s%s%s  %s: %s" % (c.tr("Collected", "Abnahme", "Prélèvement", "Extracción", "Prelievo", "Afname"), c.sep(), D(r, c.lang, y0=2022), c.tr("Order", "Auftrag", "Demande", "Petición", "Richiesta", "Order"), accession(r))]
    rows = [delim.join([c.tr("Test", "Parameter", "Analyse", "Prueba", "Esame", "Bepaling"), c.tr("Result", "Ergebnis", "Résultat", "Resultado", "Risultato", "Uitslag"), "Ref", "Flag"])]
    for _ in range(r.randint(3, 7)):
        rows.append(delim.join([k_lab(r, c.lang), r.choice(["", "H", "L", "*", "↑"]), r.choice(["3.5-5.1", "0-5", "12-16", "135-145", "<14"]), r.choice(["", "!"])]))
    if r.random() < 0.5:
        rows.append(delim.join([c.L("age"), age_over_89(r, c.lang, r.choice(["short", None])), "", ""]))
    tail = "%s %s" % (c.L("signed"), c.doc.form(r.choice(["initial", "last", "caps", "full"])))
    if delim == "|":
        rows = ["| " + x.replace("|", " | ") + " |" for x in rows]
    return "\n".join(head + [""] + rows + ["", tail])


def s_referral(c):
    r, p = c.r, c.pat
    greet = c.tr("Dear Dr %s,", "Sehr geehrte Frau Kollegin %s,", "Cher confrère %s,", "Estimado Dr. %s:", "Gentile Collega %s,", "Geachte collega %s,") % c.doc.form("last")
    opener = c.tr("Thank you for seeing %s, %s, of %s, tel %s.", "vielen Dank für die Übernahme von %s, geb. %s, wohnhaft %s, Tel. %s.",
                  "Je vous adresse %s, né(e) le %s, demeurant %s, tél. %s.", "Le remito a %s, nacido/a el %s, con domicilio en %s, tel. %s.",
                  "Le invio il/la paziente %s, nato/a il %s, residente in %s, tel. %s.", "Graag verwijs ik %s, geboren %s, wonende %s, tel. %s.")
    opener = opener % (p.form(r.choice(["full", "title_last", "lastfirst", "caps"])), D(r, c.lang, y0=1928, y1=2010), address(r, c.lang, "one"), phone_m(r, c.lang))
    mid = c.tr("Current medication: %s, %s. %s. Recent %s.", "Aktuelle Medikation: %s, %s. %s. Zuletzt %s.", "Traitement : %s, %s. %s. Dernier bilan %s.",
               "Tratamiento actual: %s, %s. %s. Última analítica %s.", "Terapia in atto: %s, %s. %s. Ultimi esami %s.", "Medicatie: %s, %s. %s. Recent %s.")
    mid = mid % (k_drug(r, c.lang), k_drug(r, c.lang), k_score(r, c.lang), k_lab(r, c.lang))
    idl = c.tr("NHS number: %s" % M("RECORD_ID", nhs(r)) if r.random() < 0.6 else "SSN %s" % M("ID_DOC", ssn(r)),
               "Versichertennr. %s" % member_id(r, "de"), "N° SS : %s" % M("ID_DOC", nir(r)), "%s, CIP %s" % (natid_l(r, "es"), mrn(r, "es")),
               "C.F. %s" % M("ID_DOC", cod_fisc(r)), "BSN %s" % M("ID_DOC", bsn(r)))
    close = c.tr("Kind regards,", "Mit freundlichen kollegialen Grüßen", "Bien confraternellement,", "Atentamente,", "Cordiali saluti,", "Met collegiale groet,")
    sig = "%s\n%s\n%s %s" % (c.nurse.doc(), r.choice(HOSP[c.lang]), c.L("licence"), licence(r, c.lang))
    return "\n".join([r.choice(HOSP[c.lang]), D(r, c.lang, y0=2023), "", greet, "", opener, mid, idl, "", close, sig])


def s_pharmacy(c):
    r, p = c.r, c.pat
    lines = [c.tr("PHARMACY NOTE", "Apothekenvermerk", "Note de pharmacie", "Nota de farmacia", "Nota farmacia", "Apotheeknotitie") + " - " + k_ward(r, c.lang),
             "Rx %s  %s %s" % (other_id(r, "RX"), c.L("patient"), p.form(r.choice(["lastfirst", "caps", "full", "lower"]))),
             "%s %s" % (c.L("member"), member_id(r, c.lang)),
             k_drug(r, c.lang) + "; " + k_drug(r, c.lang) + "; " + k_code(r, c.lang),
             c.tr("Allergy: penicillin. Dispensed by", "Allergie: Penicillin. Abgegeben von", "Allergie : pénicilline. Délivré par", "Alergia: penicilina. Dispensado por",
                  "Allergia: penicillina. Dispensato da", "Allergie: penicilline. Uitgegeven door") + " " + c.nurse.form(r.choice(["last", "initial", "first"])) + " " + k_time(r, c.lang),
             c.tr("Prescriber", "Verordner", "Prescripteur", "Prescriptor", "Prescrittore", "Voorschrijver") + ": " + c.doc.doc() + " (" + c.L("licence") + " " + licence(r, c.lang) + ")"]
    if r.random() < 0.5:
        lines.append(c.tr("Call back", "Rückruf", "Rappeler", "Llamar", "Richiamare", "Terugbellen") + " " + phone_m(r, c.lang, r.choice(["bare", "nat", "alt"])))
    return "\n".join(lines)


def s_claim(c):
    r, p = c.r, c.pat
    kv = [(c.L("claim"), other_id(r, "CLM")), (c.L("member"), member_id(r, c.lang)), (c.tr("Insured", "Versicherte/r", "Assuré", "Asegurado", "Assicurato", "Verzekerde"), p.form()),
          (c.L("dob"), D(r, c.lang, y0=1925, y1=2015)), (c.L("addr"), address(r, c.lang, "one")),
          (c.tr("Provider", "Leistungserbringer", "Professionnel", "Proveedor", "Struttura", "Zorgverlener"), c.doc.doc()), (c.L("licence"), licence(r, c.lang)),
          (c.tr("Service date", "Behandlungsdatum", "Date de soins", "Fecha de servicio", "Data prestazione", "Behandeldatum"), D(r, c.lang, y0=2023)),
          (c.tr("Diagnosis", "Diagnose", "Diagnostic", "Diagnóstico", "Diagnosi", "Diagnose"), k_code(r, c.lang)),
          (c.tr("Procedure", "Leistung", "Acte", "Procedimiento", "Prestazione", "Verrichting"), k_code(r, c.lang)),
          (c.tr("Amount claimed", "Rechnungsbetrag", "Montant", "Importe", "Importo", "Bedrag"), k_money(r, c.lang)),
          (c.tr("Reimbursement", "Erstattungssatz", "Taux de remboursement", "Reembolso", "Rimborso", "Vergoeding"), K("%d %%" % r.choice([60, 70, 80, 90, 100]))),
          (c.L("iban"), M("ACCOUNT", iban(r, c.lang)))]
    r.shuffle(kv)
    w = max(len(k) for k, _ in kv) + 2
    style = r.choice(["pad", "colon", "table"])
    if style == "pad":
        body = "\n".join(k.ljust(w) + v for k, v in kv)
    elif style == "colon":
        body = "\n".join("%s: %s" % (k, v) for k, v in kv)
    else:
        body = "\n".join("| %s | %s |" % (k, v) for k, v in kv)
    return c.tr("HEALTH PLAN CLAIM FORM", "Leistungsantrag Krankenversicherung", "Demande de remboursement - mutuelle", "SOLICITUD DE REEMBOLSO",
                "RICHIESTA DI RIMBORSO", "Declaratieformulier zorgverzekering") + "\n\n" + body


def s_sepa(c):
    r = c.r
    rows = []
    n = r.randint(2, 5)
    for i in range(n):
        pp = Person(r, r.choice([c.lang, c.lang, r.choice(LANGS)]))
        st, pc, city = address_parts(r, pp.lang)
        rows.append(";".join(["%d" % (i + 1), pp.form(r.choice(["caps", "full", "lastfirst_caps"])), M("ADDRESS", st), M("ADDRESS", (city + " " + pc) if pp.lang == "en" else (pc + " " + city)),
                              M("ACCOUNT", iban(r, pp.lang, fmt="compact")), r.choice(["COBADEFFXXX", "BNPAFRPPXXX", "CAIXESBBXXX", "UNCRITMMXXX", "RABONL2U", "NWBKGB2L"]),
                              K(money(r, c.lang).replace(" ", "")) if r.random() < 0.3 else money(r, c.lang), "EndToEndId " + other_id(r, "E2E"),
                              r.choice(["SALA", "RENT", "%s %s" % (c.tr("Rent", "Miete", "Loyer", "Alquiler", "Affitto", "Huur"), MONTHS[c.lang][r.randint(0, 11)]), "Rechnung", "Facture", "Factura", "Fattura", "Factuur"])]))
    head = "MsgId=%s;CreDtTm=%s;NbOfTxs=%d;Dbtr=%s;DbtrAcct=%s" % (other_id(r, "MSG"), M("DATE", date(r, c.lang, form="iso", y0=2024) + "T%02d:%02d:%02d" % (r.randint(0, 23), r.randint(0, 59), r.randint(0, 59))), n,
                                                                  r.choice(BANK[c.lang]), M("ACCOUNT", iban(r, c.lang, typo=False, fmt="compact")))
    cols = "Nr;Name;Strasse;PLZ Ort;IBAN;BIC;Betrag;Referenz;Verwendungszweck" if c.lang == "de" else "No;Creditor;Street;Postcode Town;IBAN;BIC;Amount;Reference;Remittance"
    return "\n".join([head, cols] + rows)


def s_wire(c):
    r, p = c.r, c.pat
    b = c.rel
    lines = [c.tr("INTERNATIONAL WIRE TRANSFER REQUEST", "Auslandsüberweisung - Auftrag", "ORDRE DE VIREMENT INTERNATIONAL", "SOLICITUD DE TRANSFERENCIA",
                  "RICHIESTA DI BONIFICO ESTERO", "OPDRACHT BUITENLANDSE BETALING"),
             "%s: %s" % (c.L("ref"), other_id(r, "WR")),
             "%s: %s, %s" % (c.tr("Ordering customer", "Auftraggeber", "Donneur d'ordre", "Ordenante", "Ordinante", "Opdrachtgever"), p.form(r.choice(["full", "caps", "lastfirst"])), cust_no(r)),
             "%s: %s" % (c.L("acct"), M("ACCOUNT", iban(r, c.lang))),
             "%s: %s" % (c.tr("Beneficiary", "Begünstigter", "Bénéficiaire", "Beneficiario", "Beneficiario", "Begunstigde"), b.form()),
             "%s: %s" % (c.L("addr"), address(r, b.lang, r.choice(["one", "split"]))),
             "%s: %s" % (c.L("iban"), M("ACCOUNT", iban(r, cc=r.choice(list(IBAN_SPEC)), typo=r.random() < 0.6))),
             "%s: %s" % (c.tr("Amount", "Betrag", "Montant", "Importe", "Importo", "Bedrag"), k_money(r, c.lang)),
             "%s: %s" % (c.tr("Execution date", "Ausführungsdatum", "Date d'exécution", "Fecha de ejecución", "Data esecuzione", "Uitvoeringsdatum"), D(r, c.lang, y0=2024)),
             "%s: %s / %s" % (c.tr("Verified by phone", "Telefonisch bestätigt", "Confirmé par téléphone", "Confirmado por teléfono", "Confermato telefonicamente", "Telefonisch bevestigd"), phone_m(r, c.lang), k_time(r, c.lang)),
             "%s: %s, %s %s" % (c.tr("ID checked", "Ausweis geprüft", "Pièce d'identité", "Documento verificado", "Documento", "ID gecontroleerd"), c.L("passport"), M("ID_DOC", passport(r, c.lang)), "")]
    return "\n".join(lines)


def s_statement(c):
    r, p = c.r, c.pat
    tab = r.choice(["\t", " | ", "  "])
    head = [r.choice(BANK[c.lang]), c.tr("Statement of account", "Kontoauszug", "Relevé de compte", "Extracto de cuenta", "Estratto conto", "Rekeningafschrift") + " " + "%d/%d" % (r.randint(1, 12), r.randint(2023, 2025)),
            p.form(r.choice(["caps", "title_caps", "full"])), address(r, c.lang, "lines"), "%s %s   %s %s" % (c.L("iban"), M("ACCOUNT", iban(r, c.lang)), c.L("cust"), cust_no(r)), ""]
    rows = [tab.join([c.L("date"), c.tr("Description", "Buchungstext", "Libellé", "Concepto", "Descrizione", "Omschrijving"), c.tr("Amount", "Betrag", "Montant", "Importe", "Importo", "Bedrag")])]
    for _ in range(r.randint(3, 8)):
        cp = Person(r, c.lang)
        desc = r.choice([
            lambda: c.tr("Transfer to", "Überweisung an", "Virement à", "Transferencia a", "Bonifico a", "Overboeking naar") + " " + cp.form(r.choice(["caps", "full", "lastfirst_caps"])) + " " + M("ACCOUNT", iban(r, c.lang, fmt="compact")),
            lambda: "SEPA-DD " + r.choice(["Stadtwerke", "Vodafone", "EDF", "Iberdrola", "Enel Energia", "Eneco"]) + " Mandat " + other_id(r, "MND"),
            lambda: c.tr("Card payment", "Kartenzahlung", "Paiement CB", "Pago con tarjeta", "Pagamento POS", "Betaalautomaat") + " " + M("ACCOUNT", card(r)) + " " + r.choice(["REWE", "Carrefour", "Mercadona", "Esselunga", "Albert Heijn", "Tesco"]),
            lambda: c.tr("Standing order", "Dauerauftrag", "Virement permanent", "Orden permanente", "Bonifico periodico", "Periodieke overboeking") + " " + cp.form("initial"),
            lambda: c.tr("Interest", "Zinsen", "Intérêts", "Intereses", "Interessi", "Rente") + " " + k_fin(r, c.lang)])()
        rows.append(tab.join([D(r, c.lang, y0=2024, form="num"), desc, money(r, c.lang)]))
    rows.append(tab.join(["", c.tr("Closing balance", "Neuer Saldo", "Nouveau solde", "Saldo final", "Saldo finale", "Nieuw saldo"), k_money(r, c.lang)]))
    return "\n".join(head + rows)


def s_loan(c):
    r, p = c.r, c.pat
    return "\n".join([
        c.tr("Credit committee note", "Kreditvorlage", "Note au comité de crédit", "Nota para comité de riesgos", "Nota per il comitato crediti", "Kredietnotitie"),
        "%s %s | %s %s | %s %s" % (c.L("loan"), loan_no(r), c.L("cust"), cust_no(r), c.L("date"), D(r, c.lang, y0=2024)),
        c.tr("Borrower %s (%s) requests refinancing of the property at %s. %s, %s, %s. Income verified against payslips; employer %s confirmed by phone on %s.",
             "Kreditnehmer %s (%s) beantragt Anschlussfinanzierung für das Objekt %s. %s, %s, %s. Einkommen geprüft; Arbeitgeber %s telefonisch bestätigt unter %s.",
             "L'emprunteur %s (%s) sollicite un rachat de crédit pour le bien situé %s. %s, %s, %s. Revenus vérifiés ; employeur %s joint au %s.",
             "El prestatario %s (%s) solicita la subrogación del inmueble sito en %s. %s, %s, %s. Ingresos verificados; empresa %s contactada en el %s.",
             "Il mutuatario %s (%s) chiede la surroga per l'immobile in %s. %s, %s, %s. Reddito verificato; datore di lavoro %s contattato al %s.",
             "Kredietnemer %s (%s) vraagt oversluiting aan voor de woning aan %s. %s, %s, %s. Inkomen gecontroleerd; werkgever %s gebeld op %s.")
        % (p.form(), natid_l(r, c.lang), address(r, c.lang, "one"), k_fin(r, c.lang), k_fin(r, c.lang), k_fin(r, c.lang), c.rel.form("full"), phone_m(r, c.lang)),
        c.tr("Relationship manager: %s", "Betreuer: %s", "Chargé d'affaires : %s", "Gestor: %s", "Gestore: %s", "Accountmanager: %s") % c.doc.form(r.choice(["initial", "full", "lower"])),
        c.tr("Approved at ", "Genehmigt ", "Accordé à ", "Aprobado a ", "Deliberato a ", "Goedgekeurd voor ") + k_money(r, c.lang)])


def s_kyc(c):
    r, p = c.r, c.pat
    f = [("1. " + c.tr("Surname", "Nachname", "Nom", "Apellidos", "Cognome", "Achternaam"), p.form("last")),
         ("2. " + c.tr("Given names", "Vorname(n)", "Prénom(s)", "Nombre", "Nome", "Voornamen"), p.form("first")),
         ("3. " + c.L("dob"), D(r, c.lang, y0=1930, y1=2006)),
         ("4. " + c.tr("Nationality", "Staatsangehörigkeit", "Nationalité", "Nacionalidad", "Cittadinanza", "Nationaliteit"), c.tr("British", "deutsch", "française", "española", "italiana", "Nederlandse")),
         ("5. " + c.L("addr"), address(r, c.lang, "one")),
         ("6. " + c.tr("ID document", "Ausweisdokument", "Pièce d'identité", "Documento de identidad", "Documento", "Identiteitsbewijs"), r.choice([c.L("passport") + " " + M("ID_DOC", passport(r, c.lang)), natid_l(r, c.lang), c.L("dl") + " " + M("ID_DOC", driving(r, c.lang, p))])),
         ("7. " + c.tr("Expiry", "Gültig bis", "Expire le", "Caducidad", "Scadenza", "Geldig tot"), D(r, c.lang, y0=2026, y1=2035)),
         ("8. " + c.L("phone"), phone_m(r, c.lang)), ("9. " + c.L("email"), p.mail(MAILDOM[c.lang])),
         ("10. " + c.tr("Tax ID", "Steuer-ID", "N° fiscal", "NIF", "Codice fiscale", "BSN/fiscaal nr."), M("ID_DOC", {"en": ssn, "de": lambda r: digits(r, 11), "fr": lambda r: digits(r, 13), "es": dni, "it": cod_fisc, "nl": bsn}[c.lang](r))),
         ("11. PEP", c.tr("No", "Nein", "Non", "No", "No", "Nee")),
         ("11b. " + c.tr("Selfie liveness ref", "Video-Ident Gesichts-ID", "Réf. biométrique selfie", "Ref. biometría facial", "Rif. riconoscimento facciale", "Gezichtsherkenning-ID"), biometric(r)),
         ("12. " + c.tr("Risk score", "Risikoklasse", "Score de risque", "Nivel de riesgo", "Profilo di rischio", "Risicoscore"), K("%s %d/100" % (c.tr("risk", "Risiko", "risque", "riesgo", "rischio", "risico"), r.randint(5, 95))))]
    mark = r.choice(["[x]", "☒", "(X)", "X"])
    out = [c.tr("KYC - CUSTOMER DUE DILIGENCE", "KYC / Legitimationsprüfung", "FORMULAIRE KYC", "FORMULARIO KYC", "MODULO ADEGUATA VERIFICA", "KYC-formulier"),
           "%s %s" % (c.L("cust"), cust_no(r)), ""]
    out += ["%s%s%s" % (k, r.choice([": ", " ........ ", "\t"]), v) for k, v in f]
    out += ["", "%s %s %s" % (mark, c.tr("Source of funds: salary", "Mittelherkunft: Gehalt", "Origine des fonds : salaire", "Origen de fondos: nómina", "Origine fondi: stipendio", "Herkomst: salaris"), ""),
            "%s: %s, %s" % (c.tr("Checked by", "Geprüft von", "Vérifié par", "Verificado por", "Verificato da", "Gecontroleerd door"), c.nurse.form(r.choice(["initial", "last", "full"])), D(r, c.lang, y0=2024))]
    return "\n".join(out)


def s_chat(c):
    r, p = c.r, c.pat
    agent = c.nurse.form("first")
    ts = lambda: "[%s]" % k_time(r, c.lang) if r.random() < 0.3 else "%02d:%02d" % (r.randint(8, 20), r.randint(0, 59))
    cu = p.form(r.choice(["first", "nick", "lower", "full"]))
    msgs = [("agent", c.tr("Hi, this is %s from support, how can I help?", "Hallo, hier ist %s vom Kundenservice. Wie kann ich helfen?", "Bonjour, %s du service client, que puis-je faire pour vous ?",
                            "Hola, soy %s de atención al cliente, ¿en qué puedo ayudarle?", "Buongiorno, sono %s dell'assistenza, come posso aiutarla?", "Hoi, je spreekt met %s van de klantenservice, waarmee kan ik helpen?") % agent),
            ("cust", c.tr("hi its %s, my card %s got blocked", "hallo hier %s, meine karte %s ist gesperrt", "bonjour c'est %s, ma carte %s est bloquée",
                          "hola soy %s, me han bloqueado la tarjeta %s", "ciao sono %s, la carta %s è bloccata", "hoi met %s, mijn pas %s is geblokkeerd") % (cu, M("ACCOUNT", card(r)))),
            ("agent", c.tr("Can you confirm your date of birth and postcode?", "Können Sie Geburtsdatum und PLZ bestätigen?", "Pouvez-vous confirmer votre date de naissance et code postal ?",
                           "¿Me confirma fecha de nacimiento y código postal?", "Mi conferma data di nascita e CAP?", "Kunt u geboortedatum en postcode bevestigen?")),
            ("cust", "%s, %s" % (D(r, c.lang, y0=1930, y1=2005), postcode(r, c.lang))),
            ("cust", c.tr("my new number is %s and email %s", "neue nummer %s, mail %s", "nouveau numéro %s et mail %s", "mi número nuevo es %s y correo %s",
                          "nuovo numero %s e mail %s", "nieuw nummer %s en mail %s") % (phone_m(r, c.lang, r.choice(["bare", "nat", "intl"])), p.mail(MAILDOM[c.lang]))),
            ("agent", c.tr("Thanks. Case %s opened, fee waived (%s).", "Danke. Vorgang %s angelegt, Gebühr erlassen (%s).", "Merci. Dossier %s ouvert, frais annulés (%s).",
                           "Gracias. Incidencia %s abierta, comisión anulada (%s).", "Grazie. Pratica %s aperta, commissione stornata (%s).", "Dank je. Melding %s aangemaakt, kosten vervallen (%s).") % (other_id(r, "CASE"), k_money(r, c.lang)))]
    fmt = r.choice(["%s %s: %s", "%s <%s> %s", "%s - %s - %s"])
    nm = {"agent": agent, "cust": r.choice([c.tr("Customer", "Kunde", "Client", "Cliente", "Cliente", "Klant"), "visitor_%s" % digits(r, 4), "guest"])}
    return "\n".join(fmt % (ts(), nm[w] if w == "agent" or r.random() < 0.8 else nm[w], m) for w, m in msgs)


def s_applog(c):
    r, p = c.r, c.pat
    lines = []
    for _ in range(r.randint(4, 8)):
        ts = "%s %02d:%02d:%02d.%03d" % (D(r, c.lang, form="iso", y0=2025), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
        lvl = r.choice(["INFO", "WARN", "DEBUG", "ERROR"])
        ev = r.choice([
            lambda: "event=login user=%s src_ip=%s session=%s" % (p.mail(MAILDOM[c.lang]), ip(r), other_id(r, "SES")),
            lambda: "event=payment_init cust_id=%s iban=%s amount=%s latency_ms=%d" % (cust_no(r), M("ACCOUNT", iban(r, c.lang, fmt="compact")), K("%d.%02d" % (r.randint(1, 9999), r.randint(0, 99))), r.randint(3, 900)),
            lambda: "msg=\"card tokenized\" pan=%s device=%s" % (M("ACCOUNT", card(r).replace(" ", "")), device_id(r)),
            lambda: "event=patient_lookup mrn=%s by=%s ward=%s" % (mrn(r, c.lang), c.nurse.form("lower").replace(" ", ".") if False else M("PERSON", deaccent(c.nurse.first.lower()).replace(" ", "") + "." + deaccent(c.nurse.last.lower()).replace(" ", "").replace("'", "")), K(k_ward(r, c.lang)[len("⟦KEEP|"):-1].replace(" ", "_"))),
            lambda: "event=kyc_update customer=\"%s\" phone=%s dob=%s" % (p.form(r.choice(["full", "caps"])), phone_m(r, c.lang, r.choice(["bare", "intl"])), D(r, c.lang, form="iso", y0=1930, y1=2005)),
            lambda: "GET %s 200 %dms ip=%s" % (url(r, c.lang), r.randint(5, 800), ip(r)),
            lambda: "event=retry attempt=%d backoff=%s cpu=%s" % (r.randint(1, 5), K("%dms" % (100 * r.randint(1, 30))), K("%d%%" % r.randint(1, 99))),
            lambda: "ssn_check=%s result=MATCH loan=%s" % (natid(r, c.lang), loan_no(r)),
            lambda: "event=biometric_login template_id=%s match=%s user_agent=\"okhttp/4.9\"" % (biometric(r), K("%.3f" % r.uniform(0.5, 0.999))),
            lambda: "event=doc_download url=%s ip=%s" % (url(r, c.lang), ip(r))])()
        sep = r.choice([" ", " | ", " "])
        lines.append(sep.join([ts, lvl, r.choice(["api", "core-banking", "ehr-gw", "auth"]), ev]))
    return "\n".join(lines)


def s_email(c):
    r, p = c.r, c.pat
    to = c.doc
    hdr = ["From: %s <%s>" % (p.form("full"), p.mail(MAILDOM[c.lang])),
           "To: %s" % to.mail(MAILDOM[c.lang]),
           "Date: %s, %s %s +0100" % (r.choice(["Mon", "Tue", "Wed", "Thu", "Fri"]), D(r, "en", form="month", y0=2024), "%02d:%02d" % (r.randint(0, 23), r.randint(0, 59))),
           "Subject: " + c.tr(["Re: my appointment", "results", "Invoice query"], ["AW: Termin", "Befund", "Rechnung"], ["RE: rendez-vous", "résultats"], ["RE: cita", "resultados"], ["R: appuntamento", "referti"], ["RE: afspraak", "uitslag"])]
    body = c.tr("Dear %s,\n\nI still have not received the letter about my husband %s (hospital number %s). We moved to %s last month. Could you ring me on %s? He is now on %s.\n\nThanks,\n%s",
                "Sehr geehrte/r %s,\n\nich habe den Befund meines Mannes %s (Pat.-Nr. %s) noch nicht erhalten. Wir sind umgezogen: %s. Bitte rufen Sie mich an unter %s. Er nimmt jetzt %s.\n\nViele Grüße\n%s",
                "Bonjour %s,\n\nje n'ai toujours pas reçu le courrier concernant mon mari %s (dossier %s). Nous habitons désormais %s. Pouvez-vous me rappeler au %s ? Il prend %s.\n\nCordialement,\n%s",
                "Estimado/a %s:\n\nNo he recibido el informe de mi marido %s (NHC %s). Nos hemos mudado a %s. ¿Me puede llamar al %s? Ahora toma %s.\n\nUn saludo,\n%s",
                "Gentile %s,\n\nnon ho ancora ricevuto la lettera di mio marito %s (cartella %s). Ci siamo trasferiti in %s. Può chiamarmi al %s? Ora prende %s.\n\nGrazie,\n%s",
                "Beste %s,\n\nIk heb de brief over mijn man %s (patiëntnummer %s) nog niet ontvangen. We wonen nu op %s. Kunt u mij bellen op %s? Hij gebruikt nu %s.\n\nGroet,\n%s")
    body = body % (to.doc(), c.rel.form(r.choice(["full", "first", "caps"])), mrn(r, c.lang), address(r, c.lang, "one"), phone_m(r, c.lang), k_drug(r, c.lang),
                   p.form(r.choice(["first", "nick", "full"])))
    if r.random() < 0.4:
        body += "\n--\n%s\n%s" % (p.form("full"), phone_m(r, c.lang, "intl"))
    return "\n".join(hdr) + "\n\n" + body


NUMW = {"en": "Number", "de": "Nummer", "fr": "numéro", "es": "número", "it": "numero", "nl": "nummer"}


def s_transcript(c):
    r, p = c.r, c.pat
    A = c.tr("AGENT", "MITARBEITER", "CONSEILLER", "AGENTE", "OPERATORE", "MEDEWERKER")
    B = c.tr("CALLER", "ANRUFER", "APPELANT", "CLIENTE", "CHIAMANTE", "BELLER")
    lines = [c.tr("Call recording transcript", "Gesprächsprotokoll (automatisch)", "Transcription d'appel", "Transcripción de llamada", "Trascrizione chiamata", "Gesprekstranscript") + " " + other_id(r, "CALL") + " " + k_time(r, c.lang),
             "%s: %s" % (A, c.tr("Can I take your full name?", "Ihr vollständiger Name bitte?", "Votre nom complet ?", "¿Su nombre completo?", "Il suo nome completo?", "Uw volledige naam?")),
             "%s: %s" % (B, c.tr("yeah it's %s, that's ", "ja, %s, ", "oui, %s, ", "sí, %s, ", "sì, %s, ", "ja, %s, ") % p.form(r.choice(["lower", "full"])) + M("PERSON", "-".join(deaccent(p.last).upper().replace(" ", "").replace("'", "")))),
             "%s: %s" % (A, c.tr("And a number we can reach you on?", "Und eine Rückrufnummer?", "Un numéro où vous joindre ?", "¿Un teléfono de contacto?", "Un numero per ricontattarla?", "En een telefoonnummer?")),
             "%s: %s" % (B, c.tr("it's ", "", "c'est le ", "es el ", "è ", "dat is ") + phone_m(r, c.lang, "words")),
             "%s: %s" % (A, c.tr("And your account number?", "Und die Kontonummer?", "Et votre numéro de compte ?", "¿Y el número de cuenta?", "E il numero di conto?", "En uw rekeningnummer?")),
             "%s: %s" % (B, M("ACCOUNT", words_number(r, c.lang, digits(r, r.randint(8, 10))))),
             "%s: %s" % (A, c.tr("Date of birth?", "Geburtsdatum?", "Date de naissance ?", "¿Fecha de nacimiento?", "Data di nascita?", "Geboortedatum?")),
             "%s: %s" % (B, D(r, c.lang, form=r.choice(["spelled", "month"]), y0=1930, y1=2004)),
             "%s: %s" % (A, c.tr("Thanks, the fee of %s is refunded, and %s will call you back.", "Danke, die Gebühr von %s wird erstattet, %s ruft zurück.", "Merci, les frais de %s sont remboursés, %s vous rappellera.",
                                 "Gracias, se reembolsan %s y %s le llamará.", "Grazie, rimborsiamo %s e %s la richiamerà.", "Dank u, de %s wordt teruggestort en %s belt u terug.") % (k_money(r, c.lang), c.doc.form(r.choice(["first", "title_last"]))))]
    return "\n".join(lines)


def s_handover(c):
    r = c.r
    out = [c.tr("NURSING HANDOVER", "Pflegeübergabe", "Transmissions infirmières", "Relevo de enfermería", "Consegne infermieristiche", "Overdracht verpleging") + " " + k_ward(r, c.lang) + " " + k_time(r, c.lang)]
    for bed in range(1, r.randint(3, 5)):
        pp = Person(r, c.lang)
        out.append("%s %d: %s, %s - %s; %s; %s" % (c.tr("Bed", "Bett", "Lit", "Cama", "Letto", "Bed"), bed + r.randint(0, 20), pp.form(r.choice(["lastfirst_caps", "caps", "title_last", "initial", "full"])),
                                               age_over_89(r, c.lang, r.choice(["short", None])) if r.random() < 0.5 else K("%s %d" % (c.tr("day", "Tag", "J", "día", "giorno", "dag"), r.randint(1, 14))),
                                               k_score(r, c.lang), k_lab(r, c.lang), k_drug(r, c.lang)))
    out.append(c.tr("Handed over by %s to %s.", "Übergabe von %s an %s.", "Transmis par %s à %s.", "Entrega %s a %s.", "Consegne da %s a %s.", "Overgedragen door %s aan %s.")
               % (c.nurse.form(r.choice(["first", "last", "nick"])), c.rel.form(r.choice(["first", "initial", "last"]))))
    return "\n".join(out)


def s_ambulance(c):
    r, p = c.r, c.pat
    kv = [("Unit", r.choice(["RTW 3/83-1", "VSAV 2", "SVB 104", "MSA Alfa 5", "A2 Noord", "Medic 14"])), (c.L("plate"), M("VEHICLE", plate(r, c.lang))),
          (c.L("vin"), M("VEHICLE", vin(r))), ("Pt", p.form(r.choice(["caps", "lastfirst", "full"]))), (c.L("age"), age_over_89(r, c.lang)),
          (c.tr("Pickup", "Einsatzort", "Lieu d'intervention", "Lugar", "Luogo intervento", "Ophaaladres"), address(r, c.lang, "one")),
          ("Call", k_time(r, c.lang)), ("ECG", c.L("device") + " " + device_id(r)), ("Vitals", k_lab(r, c.lang) + ", " + k_lab(r, c.lang) + ", " + k_score(r, c.lang)),
          (c.tr("Crew", "Besatzung", "Équipage", "Dotación", "Equipaggio", "Bemanning"), c.nurse.form(r.choice(["last", "initial"])) + " / " + c.doc.form(r.choice(["last", "first"])))]
    return c.tr("PATIENT CARE REPORT", "DIVI-Einsatzprotokoll", "Fiche bilan SMUR", "Informe de asistencia SVA", "Scheda soccorso 118", "Ambulancerittenformulier") + "\n" + "\n".join(
        "%s%s%s" % (k, r.choice([": ", "\t", " = "]), v) for k, v in kv)


def s_dispute(c):
    r, p = c.r, c.pat
    return "\n".join([
        c.tr("Card dispute form", "Reklamation Kartenumsatz", "Contestation d'opération carte", "Reclamación de cargo con tarjeta", "Disconoscimento operazione carta", "Betwisting kaarttransactie"),
        "%s: %s   %s: %s" % (c.L("card"), M("ACCOUNT", card(r)), c.L("cust"), cust_no(r)),
        "%s: %s" % (c.tr("Cardholder", "Karteninhaber", "Titulaire", "Titular", "Titolare", "Kaarthouder"), p.form(r.choice(["caps", "full", "lastfirst"]))),
        c.tr("I did not authorise the payment of %s on %s at %s. My card was in my possession. Merchant MCC 5411, %s.",
             "Ich habe die Zahlung über %s am %s um %s nicht autorisiert. Die Karte war in meinem Besitz. MCC 5411, %s.",
             "Je n'ai pas autorisé le paiement de %s le %s à %s. MCC 5411, %s.", "No autoricé el cargo de %s del %s a las %s. MCC 5411, %s.",
             "Non ho autorizzato il pagamento di %s del %s alle %s. MCC 5411, %s.", "Ik heb de betaling van %s op %s om %s niet goedgekeurd. MCC 5411, %s.")
        % (k_money(r, c.lang), D(r, c.lang, y0=2025), k_time(r, c.lang), k_fin(r, c.lang)),
        "%s: %s   %s: %s" % (c.L("phone"), phone_m(r, c.lang), c.L("email"), p.mail(MAILDOM[c.lang])),
        "%s %s" % (c.tr("Signature", "Unterschrift", "Signature", "Firma", "Firma", "Handtekening"), p.form(r.choice(["initial", "full", "lower"])))])


def s_sms(c):
    r, p = c.r, c.pat
    return r.choice([" ", "\n"]).join([
        c.tr("Reminder: %s, your appointment at %s is on %s at %s (%s).", "Erinnerung: %s, Ihr Termin in der %s ist am %s um %s (%s).",
             "Rappel : %s, RDV %s le %s à %s (%s).", "Recordatorio: %s, su cita en %s es el %s a las %s (%s).", "Promemoria: %s, appuntamento %s il %s alle %s (%s).",
             "Herinnering: %s, uw afspraak bij %s is op %s om %s (%s).") % (p.form(r.choice(["first", "title_last", "full", "nick"])), k_ward(r, c.lang), D(r, c.lang, y0=2025, form=r.choice(["month", "num", "abbr"])), k_time(r, c.lang), other_id(r, "APT")),
        c.tr("Reply STOP or call", "Absage unter", "Annulation au", "Para anular llame al", "Per disdire", "Afmelden via") + " " + phone_m(r, c.lang, r.choice(["bare", "nat"])) + ".",
        url(r, c.lang)])


# ---- styles that appear ONLY in the test split
def s_pathology(c):
    r, p = c.r, c.pat
    return "\n".join([
        c.tr("SURGICAL PATHOLOGY REPORT", "Histopathologischer Befund", "Compte rendu anatomopathologique", "Informe de anatomía patológica", "Referto istologico", "Pathologieverslag"),
        "%s %s  //  %s %s" % (c.tr("Case", "Eingangs-Nr.", "N° d'enregistrement", "Nº de biopsia", "N. esame", "T-nummer"), accession(r), c.L("mrn"), mrn(r, c.lang)),
        "%s, %s" % (p.form(r.choice(["lastfirst_caps", "lastfirst", "caps"])), age_over_89(r, c.lang, r.choice(["short", None])) if r.random() < 0.6 else D(r, c.lang, y0=1930, y1=2000)),
        c.tr("Specimen received %s: colon, sigmoid resection. ", "Material eingegangen am %s: Sigmaresektat. ", "Prélèvement reçu le %s : colectomie sigmoïde. ",
             "Muestra recibida el %s: sigmoidectomía. ", "Materiale pervenuto il %s: resezione del sigma. ", "Materiaal ontvangen %s: sigmoïdresectie. ") % D(r, c.lang, y0=2024)
        + "pT3 pN1a (1/14) L1 V0 Pn0, G2. " + k_code(r, c.lang) + ", " + k_code(r, c.lang) + ". Ki-67 " + K("%d%%" % r.randint(5, 90)) + ".",
        "Block %s-%s; %s" % (digits(r, 2), r.choice("ABCDE"), c.tr("MMR proficient", "MMR-profizient", "MMR conservé", "MMR conservado", "MMR conservato", "MMR intact")),
        "%s %s (%s %s)" % (c.L("signed"), c.doc.doc(), c.L("licence"), licence(r, c.lang)),
        "cc: %s, %s" % (c.rel.doc(), c.rel.mail(MAILDOM[c.lang]))])


def s_icu(c):
    r, p = c.r, c.pat
    tab = "\t"
    hdr = "%s\t%s\t%s\t%s" % (p.form(r.choice(["caps", "lastfirst_caps"])), mrn(r, c.lang), age_over_89(r, c.lang, "short") if r.random() < 0.7 else age_over_89(r, c.lang), k_ward(r, c.lang))
    cols = tab.join(["time", "HR", "BP", "SpO2", "RASS", "GCS", "pump S/N", "RN"])
    rows = []
    pumps = device_id(r)
    for _ in range(r.randint(3, 6)):
        rows.append(tab.join([k_time(r, c.lang), "%d" % r.randint(55, 89), "%d/%d" % (r.randint(80, 180), r.randint(40, 100)),
                              "%d%%" % r.randint(85, 100), K("RASS %d" % r.randint(-5, 2)), K("GCS %dT" % r.randint(3, 11)), pumps if not rows else '"', c.nurse.form(r.choice(["initial", "last", "first"])) if not rows else c.rel.form("first")]))
    vent = c.tr("Ventilator", "Beatmungsgerät", "Respirateur", "Respirador", "Ventilatore", "Beademingsapparaat") + " " + c.L("device") + " " + device_id(r) + "; FiO2 " + K("%d%%" % r.randint(21, 100)) + ", " + K("PEEP %d" % r.randint(5, 15))
    return "\n".join([c.tr("ICU FLOWSHEET", "ITS-Kurve", "Feuille de surveillance réa", "Gráfica UCI", "Diario clinico TI", "IC-registratie"), hdr, cols] + rows + [vent])


def s_json(c):
    r, p = c.r, c.pat
    items = [('"event"', '"%s"' % r.choice(["fraud_alert", "chargeback", "aml_hit", "address_change"])),
             ('"customer"', '{"name": "%s", "cif": "%s", "dob": "%s"}' % (p.form(r.choice(["full", "caps", "lower"])), cust_no(r), D(r, c.lang, form="iso", y0=1930, y1=2005))),
             ('"iban"', '"%s"' % M("ACCOUNT", iban(r, c.lang, fmt="compact"))), ('"pan"', '"%s"' % M("ACCOUNT", card(r).replace(" ", "").replace("-", ""))),
             ('"ip"', '"%s"' % ip(r)), ('"device_fp"', '"%s"' % device_id(r)), ('"score"', K("%.2f" % r.uniform(0.01, 0.99))),
             ('"ratio"', '"%s"' % k_fin(r, c.lang)), ('"amount"', '"%s"' % k_money(r, c.lang)), ('"phone"', '"%s"' % phone_m(r, c.lang, r.choice(["intl", "bare"]))),
             ('"address"', '{"street": "%s", "zip": "%s"}' % tuple(M("ADDRESS", x) for x in address_parts(r, c.lang)[:2])),
             ('"analyst"', '"%s"' % c.nurse.form(r.choice(["lower", "initial"]))), ('"ts"', '"%s 0%d:1%d:00"' % (D(r, c.lang, form="iso", y0=2025), r.randint(0, 9), r.randint(0, 5)))]
    r.shuffle(items)
    if r.random() < 0.5:
        return "{" + ", ".join("%s: %s" % kv for kv in items) + "}"
    return "{\n" + ",\n".join("  %s: %s" % kv for kv in items) + "\n}"


def s_csv(c):
    r = c.r
    sep = r.choice([",", ";", "\t"])
    cols = ["id", "name", "dob", "zip", "phone", "email", "member_id", "plan", "copay"]
    rows = [sep.join(cols)]
    for i in range(r.randint(3, 7)):
        pp = Person(r, c.lang)
        nm = pp.form(r.choice(["lastfirst", "full", "caps", "lower"]))
        if sep == "," and "," in nm:
            nm = '"' + nm + '"'
        rows.append(sep.join([str(i + 1), nm, D(r, c.lang, form=r.choice(["iso", "num"]), y0=1925, y1=2015), postcode(r, c.lang), phone_m(r, c.lang, r.choice(["bare", "nat"])),
                              pp.mail(MAILDOM[c.lang]), member_id(r, c.lang), r.choice(["GOLD", "PPO", "HMO", "Basis", "Plus"]), K("%d%%" % r.choice([10, 20, 30, 0])) if r.random() < 0.5 else "0"]))
    return "\n".join(rows)


def s_fax(c):
    r, p = c.r, c.pat
    return "\n".join([
        "*" * r.randint(20, 40), "FAX  " + c.tr("COVER SHEET", "Deckblatt", "Page de garde", "Portada", "Frontespizio", "Voorblad"), "*" * r.randint(20, 40),
        "%s: %s   Fax: %s" % (c.tr("To", "An", "À", "Para", "A", "Aan"), c.doc.doc(), phone_m(r, c.lang, "nat")),
        "%s: %s, %s" % (c.tr("From", "Von", "De", "De", "Da", "Van"), c.nurse.form(r.choice(["full", "caps"])), r.choice(HOSP[c.lang])),
        "%s: %s   %s: %s" % (c.tr("Pages", "Seiten", "Pages", "Páginas", "Pagine", "Pagina's"), K("%d/%d" % (1, r.randint(2, 9))), c.L("date"), D(r, c.lang, y0=2024)),
        "RE: %s %s, %s %s, %s %s" % (c.L("patient"), p.form(r.choice(["title_caps", "lastfirst_caps", "full"])), c.L("dob"), D(r, c.lang, y0=1925, y1=2010), c.L("member"), member_id(r, c.lang)),
        c.tr("Prior authorisation for %s; %s; %s.", "Kostenübernahme für %s; %s; %s.", "Demande d'accord préalable : %s ; %s ; %s.", "Autorización previa para %s; %s; %s.",
             "Autorizzazione per %s; %s; %s.", "Machtiging voor %s; %s; %s.") % (k_drug(r, c.lang), k_code(r, c.lang), k_code(r, c.lang)),
        c.tr("CONFIDENTIAL: if received in error call %s.", "VERTRAULICH: bei Fehlzustellung bitte %s anrufen.", "CONFIDENTIEL : en cas d'erreur appeler le %s.",
             "CONFIDENCIAL: si lo recibe por error llame al %s.", "RISERVATO: se ricevuto per errore chiamare il %s.", "VERTROUWELIJK: bij vergissing bel %s.") % phone_m(r, c.lang, r.choice(["intl", "alt", "bare"]))])


def s_biometric(c):
    r, p = c.r, c.pat
    kv = [(c.tr("Enrolment", "Registrierung", "Enrôlement", "Alta biométrica", "Registrazione", "Registratie"), other_id(r, "ENR")),
          (c.L("patient"), p.form()), (c.L("mrn"), mrn(r, c.lang)),
          (c.tr("Fingerprint template", "Fingerabdruck-Template", "Gabarit d'empreinte", "Plantilla de huella", "Template impronta", "Vingerafdruksjabloon"), biometric(r)),
          (c.tr("Palm vein ID", "Handvenen-ID", "ID réseau veineux", "ID venas palma", "ID vene palmari", "Handpalmader-ID"), biometric(r)),
          (c.tr("Voiceprint", "Stimmprofil", "Empreinte vocale", "Huella de voz", "Impronta vocale", "Stemprofiel"), biometric(r)),
          (c.tr("Reader", "Lesegerät", "Lecteur", "Lector", "Lettore", "Lezer"), device_id(r)), ("Host", ip(r)),
          (c.tr("Match threshold", "Schwellwert", "Seuil", "Umbral", "Soglia", "Drempel"), K("FAR %s" % r.choice(["0.01%", "0.001%", "1:10000"]))),
          (c.tr("Operator", "Bediener", "Opérateur", "Operador", "Operatore", "Operator"), c.nurse.form(r.choice(["last", "initial", "nick"])))]
    return "\n".join("%s%s%s" % (k, r.choice([": ", " :: ", "\t"]), v) for k, v in kv)


def s_valuation(c):
    r, p = c.r, c.pat
    return "\n".join([
        c.tr("MORTGAGE VALUATION REPORT", "Wertgutachten Beleihung", "Rapport d'expertise immobilière", "Informe de tasación", "Perizia di stima immobiliare", "Taxatierapport"),
        "%s %s   %s %s" % (c.L("loan"), loan_no(r), c.L("ref"), other_id(r, "VAL")),
        "%s: %s" % (c.tr("Applicant(s)", "Antragsteller", "Emprunteur(s)", "Solicitante(s)", "Richiedente/i", "Aanvrager(s)"), p.form() + c.tr([" & ", " and "], " und ", " et ", " y ", " e ", " en ") + c.rel.form(r.choice(["first", "full"]))),
        "%s: %s" % (c.tr("Property", "Objekt", "Bien", "Inmueble", "Immobile", "Object"), address(r, c.lang, r.choice(["lines", "one"]))),
        c.tr("Market value %s, %s, %s. Inspected on %s by %s (%s %s).", "Marktwert %s, %s, %s. Besichtigt am %s durch %s (%s %s).",
             "Valeur vénale %s, %s, %s. Visite le %s par %s (%s %s).", "Valor de mercado %s, %s, %s. Visitado el %s por %s (%s %s).",
             "Valore di mercato %s, %s, %s. Sopralluogo del %s a cura di %s (%s %s).", "Marktwaarde %s, %s, %s. Bezichtigd op %s door %s (%s %s).")
        % (k_money(r, c.lang), k_fin(r, c.lang), k_fin(r, c.lang), D(r, c.lang, y0=2024), c.doc.form(r.choice(["full", "initial", "caps"])),
           c.tr("RICS no.", "Sachverständigen-Nr.", "N° expert", "Nº tasador", "Iscr. albo", "NRVT-nr."), M("LICENSE", digits(r, 7))),
        c.tr("Vehicle on drive: %s", "Fahrzeug in Einfahrt: %s", "Véhicule : %s", "Vehículo: %s", "Veicolo: %s", "Auto op oprit: %s") % M("VEHICLE", plate(r, c.lang))])


SHARED = {"discharge_summary": s_discharge, "triage_note": s_triage, "radiology_report": s_radiology, "lab_table": s_lab_table,
          "referral_letter": s_referral, "pharmacy_note": s_pharmacy, "health_claim": s_claim, "sepa_payment": s_sepa,
          "wire_request": s_wire, "bank_statement": s_statement, "loan_note": s_loan, "kyc_form": s_kyc, "chat_log": s_chat,
          "app_log": s_applog, "email": s_email, "call_transcript": s_transcript, "nursing_handover": s_handover,
          "ambulance_sheet": s_ambulance, "card_dispute": s_dispute, "appointment_sms": s_sms}
TEST_ONLY = {"pathology_report": s_pathology, "icu_flowsheet": s_icu, "json_event": s_json, "csv_export": s_csv,
             "fax_cover": s_fax, "biometric_enrolment": s_biometric, "mortgage_valuation": s_valuation}
STYLES = dict(SHARED, **TEST_ONLY)


# ----------------------------------------------------------------------------- checks and splits
def check(text, spans):
    """Raise AssertionError unless the record is fair to score by value search."""
    pii = [s for s in spans if s["kind"] != "KEEP"]
    for s in spans:
        assert text[s["start"]:s["end"]] == s["value"], s
        assert s["value"].strip() == s["value"] and s["value"], s
        assert s["start"] in occurrences(text, s["value"]), ("not at a token boundary", s)
    for s in spans:
        for o in occurrences(text, s["value"]):
            inside = [q for q in pii if q["start"] <= o and o + len(s["value"]) <= q["end"]]
            if s["kind"] != "KEEP":
                # every occurrence of a PII value must be PII (so "value still present" means a leak)
                assert inside, ("PII value also occurs as non-PII text", s)
            else:
                # a KEEP value must never sit inside PII (so "still present" is not bought by a leak)
                overl = [q for q in pii if q["start"] < o + len(s["value"]) and o < q["end"]]
                assert not overl, ("KEEP value overlaps PII", s)


def make_record(rid, style, lang, seed):
    for attempt in range(200):
        r = random.Random("%s/%s/%d" % (style, lang, seed * 1000 + attempt))
        text, spans = parse(STYLES[style](C(r, lang)))
        try:
            check(text, spans)
        except AssertionError:
            continue
        return {"id": rid, "style": style, "language": lang, "text": text, "spans": spans}
    raise RuntimeError("could not build a consistent record for %s %s %d" % (style, lang, seed))


def build(split):
    recs = []
    if split == "dev":
        styles, seeds = sorted(SHARED), range(1000, 1300)
    else:
        styles, seeds = sorted(SHARED) + sorted(TEST_ONLY) * 2, range(700000, 700600)  # test-only styles get double weight
    for i, seed in enumerate(seeds):
        r = random.Random("pick/%s/%d" % (split, seed))
        style = styles[i % len(styles)] if i < len(styles) * 6 else r.choice(styles)
        lang = LANGS[(i // len(styles)) % len(LANGS)] if i < len(styles) * 6 else r.choice(LANGS)
        recs.append(make_record("%s-%04d" % (split, i), style, lang, seed))
    return recs


def write(path, recs):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for rec in recs:
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ok = True
    for split in ("dev", "test"):
        recs = build(split)
        for rec in recs:
            check(rec["text"], rec["spans"])
        path = os.path.join(here, split + ".jsonl")
        if "--check" in argv:
            with open(path, encoding="utf-8") as f:
                same = [json.loads(l) for l in f] == recs
            print(split, "matches frozen file" if same else "DIFFERS from frozen file")
            ok &= same
        else:
            write(path, recs)
            print("wrote", path, len(recs))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
