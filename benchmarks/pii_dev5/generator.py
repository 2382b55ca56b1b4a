#!/usr/bin/env python3
"""pii_dev5: an independent, labelled PII DEV set focused on PERSON names in hard layouts.

Standard library only, deterministic (random.Random seeded with strings), independent of PYTHONHASHSEED.

    python3 benchmarks/pii_dev5/generator.py           # writes dev5.jsonl
    python3 benchmarks/pii_dev5/generator.py --check   # regenerate, assert guarantees, compare bytes
    python3 benchmarks/pii_dev5/generator.py --stats   # counts by kind, style, language
"""
import json
import os
import random
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dev5.jsonl")
N_RECORDS = 240
SEED = "pii-dev5"
LANGS = ["en", "de", "fr", "es", "it", "nl"]

# ---------------------------------------------------------------- names (written for this generator)
NAMES = {
    "en": dict(
        f="Sarah Emma Olivia Charlotte Siobhan Niamh Aisha Priya Chloe Bethany Gemma Lorraine Maureen Deborah "
          "Kirsty Zainab Megan Rhiannon Fiona Hannah Joanne Shirley Bronwyn Tamsin Ngozi".split(),
        m="James Oliver Callum Darren Mohammed Rhys Gareth Kwame Stuart Declan Liam Connor Nigel Trevor Aled "
          "Hamish Samuel Tariq Keith Barry Dougie Fergus".split(),
        l=["Thompson", "O'Brien", "McAllister", "Patel", "Okafor", "Hughes", "Fitzgerald", "Ellison-Hart",
           "MacLeod", "Davies", "Pritchard", "Whitfield", "Baxter", "Ashworth", "Khan", "Nwosu", "Gallagher",
           "O'Sullivan", "McKenzie", "Rowntree", "Featherstone", "Bramley", "Holloway", "Kowalski",
           "Lindqvist-Moore", "Fairbairn", "Harrington", "Cartwright", "Van der Merwe", "De Souza"]),
    "de": dict(
        f="Ursula Heike Sabine Birgit Jana Lena Svenja Dörte Friederike Maren Gudrun Elif Katharina Anja Wiebke "
          "Hannelore Renate Inge Mia Yvonne Ilse-Marie Hanna".split(),
        m="Jürgen Klaus Dieter Torsten Sven Jörg Matthias Kai Uwe Mehmet Lukas Björn Hartmut Wolfgang Ralf "
          "Frank Timo Detlef Ingo Karl-Heinz".split(),
        l=["Krüger", "Dreßler", "Schulze", "Meyer-Lohmann", "Wagner", "Böhm", "Hoffmann", "von Alvensleben",
           "Schmitt", "Öztürk", "Kowalczyk", "Brandt", "Lehmann", "Weiß", "Zimmermann", "Nowak", "Schäfer",
           "Jäger", "Kühn", "Fuchs", "Hüttenrauch", "Petersen", "von der Heyde", "Baumgärtner", "Wójcik",
           "Meißner", "Thießen", "zur Lippe"]),
    "fr": dict(
        f="Sophie Camille Nathalie Élodie Brigitte Maëlle Chantal Inès Sandrine Yasmine Hélène Océane Ghislaine "
          "Josiane Manon Aurélie Léa Solène Nadège Marie-Claude".split(),
        m="Jean-Pierre Thierry Mathieu Karim Loïc Benoît Yannick Hervé Rémi Olivier Guillaume Didier Stéphane "
          "Mamadou Théo Gérard Cédric Pascal Jean-Baptiste".split(),
        l=["Lefèvre", "Dubois", "de la Tour", "Moreau", "Benali", "Garnier", "Le Goff", "Rousseau", "Fournier",
           "Mercier", "Chevalier", "Girard-Dumas", "Lambert", "Bonnaud", "N'Diaye", "Perrin", "Roux", "Faure",
           "Blanchard", "du Pontavice", "Kerbrat", "Haddad", "Masson", "Lemaire", "d'Ornano", "Le Bihan"]),
    "es": dict(
        f=["María José", "Lucía", "Carmen", "Pilar", "Nerea", "Ainhoa", "Rocío", "Inmaculada", "Montserrat",
           "Begoña", "Yolanda", "Marta", "Itziar", "Alba", "Consuelo", "Esperanza", "Lorena", "Remedios", "Maite"],
        m=["José Luis", "Javier", "Iñaki", "Álvaro", "Sergio", "Jordi", "Rubén", "Manuel", "Francisco", "Aitor",
           "Óscar", "Raúl", "Gonzalo", "Xabier", "Ignacio", "Adrián", "Juan Carlos"],
        l=["García López", "Fernández", "Martínez Ruiz", "de la Fuente", "Sánchez", "Etxeberria", "Rodríguez",
           "Pérez de Lema", "Gómez", "Navarro", "Iglesias", "Moreno", "Castillo", "Ortega", "Domínguez",
           "Vázquez", "Rubio", "Sáez", "Mármol", "Aranburu", "del Olmo", "Núñez-Herrera"]),
    "it": dict(
        f=["Giulia", "Francesca", "Chiara", "Alessandra", "Rosaria", "Concetta", "Federica", "Silvia", "Ilaria",
           "Annalisa", "Maria Grazia", "Valentina", "Loredana", "Nunzia", "Beatrice", "Elisa", "Graziella"],
        m=["Giuseppe", "Marco", "Alessandro", "Salvatore", "Luca", "Gennaro", "Davide", "Pierluigi", "Matteo",
           "Vincenzo", "Stefano", "Carmine", "Riccardo", "Fabrizio", "Gianluca", "Domenico", "Gian Marco"],
        l=["Rossi", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Di Stefano", "De Luca", "Ferrari",
           "Galli", "Lo Russo", "Mancini", "Conti", "Barbieri", "Fontana", "D'Amico", "Caputo", "La Rosa",
           "Pellegrini", "Marchetti", "Santoro", "Dell'Acqua", "Scognamiglio"]),
    "nl": dict(
        f="Anneke Femke Sanne Marieke Ingrid Joke Lotte Fleur Saskia Wilma Noor Esther Mirjam Ilse Tineke "
          "Petra Hanneke Fatima Yara Gerda".split(),
        m="Jeroen Pieter Bas Joost Sjoerd Wouter Maarten Henk Kees Ruud Thijs Mohamed Gerrit Bram Daan Arjen "
          "Teun Jan-Willem".split(),
        l=["de Vries", "van der Berg", "Jansen", "Bakker", "van Dijk", "Visser", "Smit", "de Jong", "Mulder",
           "van den Broek", "Hendriks", "Dekker", "Bos", "Vermeulen", "van Leeuwen", "Kuipers", "Brouwer",
           "ter Horst", "Schouten", "El Idrissi", "de Groot", "van 't Hof", "Meijer", "Hoekstra"]),
}

MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(),
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
}

TOWNS = {
    "en": ["Leeds", "Bristol", "Norwich", "Wigan", "Swansea", "Derby", "Lincoln", "Preston"],
    "de": ["Hannover", "Kassel", "Bielefeld", "Rostock", "Würzburg", "Lübeck", "Erfurt", "Regensburg"],
    "fr": ["Rennes", "Nantes", "Lille", "Angers", "Limoges", "Brest", "Tours", "Dijon"],
    "es": ["Valladolid", "Bilbao", "Zaragoza", "Málaga", "Córdoba", "Vigo", "Murcia", "Oviedo"],
    "it": ["Bologna", "Torino", "Bari", "Padova", "Verona", "Lecce", "Parma", "Brescia"],
    "nl": ["Utrecht", "Zwolle", "Groningen", "Tilburg", "Arnhem", "Leiden", "Haarlem", "Delft"],
}
STREETS = {
    "en": ["Granby Street", "Wellington Road", "Mill Lane", "Ashgrove Avenue", "Chapel Street", "Hollins Close"],
    "de": ["Lindenstraße", "Am Mühlbach", "Bahnhofstr.", "Eichendorffweg", "Hauptstraße", "Kirchgasse"],
    "fr": ["rue des Tanneurs", "avenue Jean Jaurès", "impasse des Lilas", "boulevard Voltaire", "rue de la Paix"],
    "es": ["C/ Mayor", "Avda. de la Constitución", "C/ San Bernardo", "Pza. del Carmen", "C/ Alcalá"],
    "it": ["Via Roma", "Via Giuseppe Verdi", "Corso Garibaldi", "Viale dei Mille", "Via XX Settembre"],
    "nl": ["Kerkstraat", "Molenweg", "Prinsengracht", "Dorpsstraat", "Julianalaan", "Van Goghstraat"],
}

# ---------------------------------------------------------------- KEEP vocabulary
KEEP = {
    "en": dict(
        drug=["paracetamol 1 g QDS", "morphine 2.5 mg IV", "Clexane 40 mg SC", "Eliquis 5 mg BD", "Keppra 500 mg",
              "co-amoxiclav 1.2 g IV", "furosemide 40 mg", "Oramorph 5 mg PRN", "ondansetron 4 mg", "GTN spray"],
        epo=["Parkinson's disease", "Crohn's disease", "Wells score 4", "Glasgow Coma Scale 13", "Alzheimer's",
             "Foley catheter", "Hartmann's procedure", "Addison's disease", "Bell's palsy"],
        ward=["Ward 7B", "St Luke's Ward", "Nightingale Ward", "AMU", "Ward 22", "Florence Ward", "CCU"],
        triage=["MTS orange", "MTS yellow", "ATS 2", "Category 2", "Cat 1"],
        score=["GCS 14", "GCS 15", "NEWS2 5", "NEWS2 3", "pain 6/10", "RASS -2", "Braden 14", "MUST 1"],
        hr="HR"),
    "de": dict(
        drug=["Novalgin 1 g i.v.", "Paracetamol 1 g", "Clexane 40 mg s.c.", "Pantozol 40 mg", "Ramipril 5 mg",
              "Piritramid 3 mg", "Furosemid 20 mg", "Metamizol 500 mg", "Eliquis 5 mg", "Ringer 500 ml"],
        epo=["Morbus Parkinson", "Morbus Crohn", "Wells-Score 4", "Glasgow Coma Scale 13", "Barthel-Index 45",
             "Morbus Bechterew", "Hashimoto-Thyreoiditis", "Alzheimer-Demenz"],
        ward=["Station 4 Süd", "Station St. Elisabeth", "ITS 2", "Station 12b", "ZNA", "IMC 3"],
        triage=["MTS gelb", "MTS orange", "MTS rot", "MTS grün"],
        score=["GCS 14", "GCS 15", "NRS 6", "RASS -1", "Braden 13", "NEWS2 4", "qSOFA 1"],
        hr="HF"),
    "fr": dict(
        drug=["Doliprane 1 g", "paracétamol 1 g", "Lovenox 4000 UI", "morphine 2 mg IV", "Inexium 40 mg",
              "Lasilix 40 mg", "Tramadol 50 mg", "Augmentin 1 g", "Kardégic 75 mg", "Perfalgan 1 g"],
        epo=["maladie de Parkinson", "maladie de Crohn", "score de Wells 4", "score de Glasgow 13",
             "maladie d'Alzheimer", "sonde de Foley", "manœuvre de Heimlich"],
        ward=["service de cardiologie", "Unité Pasteur", "Salle Sainte-Anne", "SAU", "UHCD", "réa médicale"],
        triage=["CIMU 3", "CIMU 2", "tri 2", "FRENCH 3"],
        score=["Glasgow 14", "EVA 6/10", "EN 5", "RASS -1", "Braden 15", "qSOFA 1"],
        hr="FC"),
    "es": dict(
        drug=["paracetamol 1 g", "Nolotil 575 mg", "Enantyum 50 mg", "omeprazol 20 mg", "Clexane 40 mg",
              "Sintrom 4 mg", "furosemida 20 mg", "morfina 3 mg iv", "Adiro 100 mg", "suero fisiológico 500 ml"],
        epo=["enfermedad de Parkinson", "enfermedad de Crohn", "escala de Glasgow 13", "Wells 4",
             "enfermedad de Alzheimer", "sonda Foley", "maniobra de Heimlich"],
        ward=["Planta 3ª", "UCI", "Hospital Universitario Virgen del Rocío", "Hospital de San Pablo",
              "Urgencias", "Unidad de Ictus"],
        triage=["Manchester naranja", "Manchester amarillo", "nivel II", "nivel III"],
        score=["Glasgow 14", "EVA 6", "RASS -1", "Braden 14", "NEWS2 4", "qSOFA 1"],
        hr="FC"),
    "it": dict(
        drug=["Tachipirina 1000 mg", "paracetamolo 1 g", "Clexane 4000 UI", "morfina 2 mg ev", "Lasix 20 mg",
              "pantoprazolo 40 mg", "Toradol 30 mg", "Augmentin 1 g", "Cardioaspirina 100 mg", "Keppra 500 mg"],
        epo=["morbo di Parkinson", "malattia di Crohn", "score di Wells 4", "Glasgow 13",
             "malattia di Alzheimer", "catetere di Foley", "manovra di Heimlich"],
        ward=["Reparto San Luca", "Medicina 2", "Terapia Intensiva", "Pronto Soccorso", "OBI",
              "Ospedale Sant'Orsola"],
        triage=["codice giallo", "codice arancione", "codice verde", "codice rosso"],
        score=["GCS 14", "NRS 6", "RASS -1", "Braden 14", "NEWS 4", "qSOFA 1"],
        hr="FC"),
    "nl": dict(
        drug=["paracetamol 1 g", "Fraxiparine 2850 IE", "morfine 2,5 mg iv", "pantoprazol 40 mg",
              "furosemide 40 mg", "Movicolon 1 sachet", "Eliquis 5 mg", "oxazepam 10 mg", "Augmentin 625 mg"],
        epo=["ziekte van Parkinson", "ziekte van Crohn", "Wells-score 4", "EMV 4-5-6", "ziekte van Alzheimer",
             "Foley-katheter", "Heimlich-manoeuvre"],
        ward=["afdeling C4", "IC", "SEH", "Sint Antonius Ziekenhuis", "afdeling 5 Oost", "MCU"],
        triage=["urgentie U2", "urgentie U3", "MTS oranje", "MTS geel"],
        score=["EMV 15", "NRS 6", "RASS -1", "Braden 14", "MEWS 3", "qSOFA 1"],
        hr="pols"),
}


# ---------------------------------------------------------------- builder
class B:
    def __init__(self):
        self.parts, self.spans, self.n = [], [], 0

    def t(self, s):
        self.parts.append(s)
        self.n += len(s)
        return self

    def s(self, kind, v):
        self.spans.append({"start": self.n, "end": self.n + len(v), "kind": kind, "value": v})
        return self.t(v)

    def P(self, v):
        return self.s("PERSON", v)

    def K(self, v):
        return self.s("KEEP", v)

    def text(self):
        return "".join(self.parts)


class Person:
    def __init__(self, first, last, sex):
        self.first, self.last, self.sex = first, last, sex

    def initial(self):
        return "-".join(p[0] + "." for p in self.first.split("-")).replace(" ", "")

    def last_initial(self):
        ws = self.last.split()
        core = next((w for w in ws if w[0].isupper()), ws[-1])
        return core[0].upper() + "."

    def initials(self):
        return self.first[0] + "".join(w[0] for w in self.last.replace("-", " ").split() if w[0].isupper())


class Ctx:
    def __init__(self, r, lang):
        self.r, self.lang = r, lang
        self.used = set()
        self.year = r.choice([2023, 2024, 2025])

    def person(self, sex=None):
        r, nm = self.r, NAMES[self.lang]
        for _ in range(50):
            sx = sex or r.choice("fm")
            p = Person(r.choice(nm[sx]), r.choice(nm["l"]), sx)
            if p.first not in self.used and p.last not in self.used:
                self.used.update([p.first, p.last])
                return p
        return p

    def relative(self):
        i = self.r.randrange(len(REL[self.lang]))
        return REL[self.lang][i], self.person("f" if i % 2 == 0 else "m")

    def form(self, p, forms=None):
        """A written form of a person name (the whole string is the PERSON span)."""
        r = self.r
        forms = forms or ["full", "full", "caps_comma", "last_init", "init_last", "lower", "caps", "last",
                          "comma"]
        f = r.choice(forms)
        if f == "full":
            return p.first + " " + p.last
        if f == "caps_comma":
            return p.last.upper() + ", " + p.first
        if f == "comma":
            return p.last + ", " + p.first
        if f == "last_init":
            return p.last + " " + p.initial()
        if f == "init_last":
            return p.initial() + " " + p.last
        if f == "lower":
            return (p.first + " " + p.last).lower()
        if f == "caps":
            return (p.first + " " + p.last).upper()
        if f == "last":
            return p.last
        if f == "first":
            return p.first
        return p.first + " " + p.last

    def date(self, short=False):
        r, L = self.r, self.lang
        d, m, y = r.randint(1, 28), r.randint(1, 12), self.year
        mon = MONTHS[L][m - 1]
        opts = {
            "en": ["%02d/%02d/%d" % (d, m, y), "%d %s %d" % (d, mon[:3], y), "%d %s %d" % (d, mon, y)],
            "de": ["%02d.%02d.%d" % (d, m, y), "%d. %s %d" % (d, mon, y), "%02d.%02d.%02d" % (d, m, y % 100)],
            "fr": ["%02d/%02d/%d" % (d, m, y), "%d %s %d" % (d, mon, y)],
            "es": ["%02d/%02d/%d" % (d, m, y), "%d de %s de %d" % (d, mon, y), "%d/%d/%d" % (d, m, y)],
            "it": ["%02d/%02d/%d" % (d, m, y), "%d %s %d" % (d, mon, y), "%02d.%02d.%d" % (d, m, y)],
            "nl": ["%02d-%02d-%d" % (d, m, y), "%d %s %d" % (d, mon, y)],
        }[L]
        return r.choice(opts)

    def dob(self, lo=1930, hi=2005):
        r, L = self.r, self.lang
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(lo, hi)
        sep = {"en": "/", "de": ".", "fr": "/", "es": "/", "it": "/", "nl": "-"}[L]
        return "%02d%s%02d%s%d" % (d, sep, m, sep, y)

    def phone(self):
        r, L = self.r, self.lang
        dg = lambda n: "".join(str(r.randint(0, 9)) for _ in range(n))
        opts = {
            "en": ["07%s %s" % (dg(3), dg(6)), "0113 %s %s" % (dg(3), dg(4)), "+44 7%s %s" % (dg(3), dg(6))],
            "de": ["0171 %s" % dg(7), "0511/%s" % dg(7), "+49 (0)30 %s" % dg(7), "0152-%s" % dg(8)],
            "fr": ["06 %s %s %s %s" % (dg(2), dg(2), dg(2), dg(2)), "+33 (0)2 %s %s %s %s" % (dg(2), dg(2), dg(2), dg(2)),
                   "07.%s.%s.%s.%s" % (dg(2), dg(2), dg(2), dg(2))],
            "es": ["6%s %s %s" % (dg(2), dg(3), dg(3)), "+34 91 %s %s %s" % (dg(3), dg(2), dg(2)), "9%s%s" % (dg(2), dg(6))],
            "it": ["33%s %s %s" % (dg(1), dg(3), dg(4)), "+39 051 %s" % dg(6), "34%s%s" % (dg(1), dg(7))],
            "nl": ["06-%s" % dg(8), "030-%s" % dg(7), "+31 6 %s %s" % (dg(4), dg(4))],
        }[L]
        return r.choice(opts)

    def address(self):
        r, L = self.r, self.lang
        st, tw, n = r.choice(STREETS[L]), r.choice(TOWNS[L]), r.randint(1, 140)
        if L == "en":
            pc = "%s%d %d%s" % (r.choice(["LS", "BS", "NR", "WN", "SA", "DE"]), r.randint(1, 28), r.randint(1, 9),
                                r.choice(["AB", "HX", "QT", "DN", "PW"]))
            return "%d %s, %s %s" % (n, st, tw, pc)
        if L == "de":
            return "%s %d, %05d %s" % (st, n, r.randint(10000, 99999), tw)
        if L == "fr":
            return "%d %s, %05d %s" % (n, st, r.randint(10000, 95999), tw)
        if L == "es":
            return "%s, %d, %d.º %s, %05d %s" % (st, n, r.randint(1, 8), r.choice("ABCD"), r.randint(10000, 50999), tw)
        if L == "it":
            return "%s %d, %05d %s" % (st, n, r.randint(10000, 98999), tw)
        return "%s %d, %d %s %s" % (st, n, r.randint(1000, 9999), r.choice(["AB", "KL", "RT", "XZ", "GH"]), tw)

    def rid(self):
        r, L = self.r, self.lang
        lab, num = {
            "en": (r.choice(["MRN", "Hosp no", "NHS no"]), r.choice(["%07d" % r.randint(0, 9999999),
                   "%03d %03d %04d" % (r.randint(400, 999), r.randint(0, 999), r.randint(0, 9999))])),
            "de": (r.choice(["Fallnr.", "Pat.-Nr.", "PID"]), r.choice(["%d%06d" % (self.year, r.randint(0, 999999)),
                   "%08d" % r.randint(0, 99999999)])),
            "fr": (r.choice(["IPP", "NDA", "n° séjour"]), "%08d" % r.randint(0, 99999999)),
            "es": (r.choice(["NHC", "Nº historia", "CIP"]), r.choice(["%07d" % r.randint(0, 9999999),
                   "SNS%08d" % r.randint(0, 99999999)])),
            "it": (r.choice(["cartella", "n. nosologico", "ID paz."]), "%d/%06d" % (self.year, r.randint(0, 999999))),
            "nl": (r.choice(["patiëntnr.", "ZIS-nr", "pat.nr"]), "%07d" % r.randint(0, 9999999)),
        }[L]
        return lab, num

    def age89(self):
        r, L = self.r, self.lang
        a = r.randint(90, 103)
        return r.choice({
            "en": ["aged %d" % a, "%dF" % a, "%dM" % a, "%d-year-old" % a, "%d yo" % a],
            "de": ["%d-jährige" % a, "%d J." % a, "%dW" % a, "%d Jahre" % a],
            "fr": ["%d ans" % a, "%dF" % a, "%dH" % a],
            "es": ["%d años" % a, "%dM" % a, "%d a" % a],
            "it": ["anni %d" % a, "%d anni" % a, "%daa" % a],
            "nl": ["%d jaar" % a, "%dV" % a, "%djr" % a],
        }[L])

    def age_young(self):
        r, L = self.r, self.lang
        a = r.randint(19, 88)
        return {"en": "%d%s" % (a, r.choice("FM")), "de": "%d J." % a, "fr": "%d ans" % a, "es": "%d años" % a,
                "it": "%d anni" % a, "nl": "%d jaar" % a}[L]

    def plate(self):
        r, L = self.r, self.lang
        A = lambda n: "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(n))
        return {
            "en": "%s%02d %s" % (A(2), r.randint(10, 74), A(3)),
            "de": "%s-%s %d" % (r.choice(["H", "KS", "BI", "HRO", "WÜ", "HL"]), A(2), r.randint(100, 9999)),
            "fr": "%s-%03d-%s" % (A(2), r.randint(1, 999), A(2)),
            "es": "%04d %s" % (r.randint(0, 9999), A(3)),
            "it": "%s %03d%s" % (A(2), r.randint(0, 999), A(2)),
            "nl": "%s-%03d-%s" % (A(2), r.randint(1, 999), A(1)),
        }[L]

    def time(self):
        return "%02d:%02d" % (self.r.randint(0, 23), self.r.choice([0, 5, 10, 15, 20, 30, 40, 45, 50]))

    def kv(self, cat):
        return self.r.choice(KEEP[self.lang][cat])

    def vital(self):
        r = self.r
        return r.choice(["SpO2 %d%%" % r.randint(86, 99), "%s %d" % (KEEP[self.lang]["hr"], r.randint(48, 132)),
                         "RR %d/%d" % (r.randint(90, 180), r.randint(50, 100)), "T %d.%d" % (r.randint(36, 39), r.randint(0, 9)),
                         "AF %d" % r.randint(12, 30)])

    def iban(self):
        r, L = self.r, self.lang
        cc, ln = {"en": ("GB", 18), "de": ("DE", 18), "fr": ("FR", 23), "es": ("ES", 20), "it": ("IT", 23),
                  "nl": ("NL", 14)}[L]
        if cc == "GB":
            bban = "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(4)) + "".join(str(r.randint(0, 9)) for _ in range(14))
        elif cc == "NL":
            bban = "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(4)) + "".join(str(r.randint(0, 9)) for _ in range(10))
        elif cc == "IT":
            bban = r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + "".join(str(r.randint(0, 9)) for _ in range(22))
        else:
            bban = "".join(str(r.randint(0, 9)) for _ in range(ln))
        num = "".join(str(int(ch, 36)) for ch in bban + cc + "00")
        chk = 98 - int(num) % 97
        s = cc + "%02d" % chk + bban
        if r.random() < 0.5:
            s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
        return s

    def amount(self):
        r, L = self.r, self.lang
        v = r.randint(12, 9800)
        c = r.randint(0, 99)
        if L == "en":
            return "£%d.%02d" % (v, c)
        if L == "de" or L == "nl" or L == "it" or L == "es":
            return "%d,%02d €" % (v, c) if L != "nl" else "€ %d,%02d" % (v, c)
        return "%d,%02d €" % (v, c)


# ---------------------------------------------------------------- styles
REL = {  # relation words followed by a first name only
    "en": ["daughter", "son", "wife", "husband", "niece", "grandson", "sister", "partner"],
    "de": ["Tochter", "Sohn", "Ehefrau", "Ehemann", "Nichte", "Enkel", "Schwester", "Lebensgefährtin"],
    "fr": ["fille", "fils", "épouse", "mari", "nièce", "petit-fils", "sœur", "compagne"],
    "es": ["hija", "hijo", "esposa", "marido", "sobrina", "nieto", "hermana", "pareja"],
    "it": ["figlia", "figlio", "moglie", "marito", "nipote", "genero", "sorella", "compagna"],
    "nl": ["dochter", "zoon", "echtgenote", "man", "nicht", "kleinzoon", "zus", "partner"],
}
ROLE = {
    "en": ["RN", "CN", "HCA", "SHO", "FY1", "Reg", "SpR", "Band 6", "Band 5"],
    "de": ["Pflege", "PP", "AA", "OA", "FÄ", "Stationsleitung", "Azubi"],
    "fr": ["IDE", "AS", "interne", "CDS", "PH", "externe"],
    "es": ["DUE", "TCAE", "MIR", "adjunto", "supervisora", "R2"],
    "it": ["inf.", "OSS", "specializzando", "coordinatrice", "dirigente medico"],
    "nl": ["vpk", "verpleegkundige", "AIOS", "ANIOS", "teamleider", "coassistent"],
}


def st_nursing_handover(c, b):
    r, L = c.r, c.lang
    H = {"en": ("Night shift handover", "handed over to", "pt's", "rang", "Bed"),
         "de": ("Übergabe Nachtdienst", "übergeben an", "Pat.", "hat angerufen", "Zi."),
         "fr": ("Transmissions de nuit", "relève donnée à", "patiente :", "a appelé", "Lit"),
         "es": ("Relevo de turno noche", "relevo entregado a", "pac.", "ha llamado", "Cama"),
         "it": ("Consegne turno notte", "consegne a", "pz.", "ha telefonato", "Letto"),
         "nl": ("Overdracht nachtdienst", "overgedragen aan", "pt.", "heeft gebeld", "Bed")}[L]
    n1, n2 = c.person("f"), c.person()
    b.t(H[0] + " — ").K(c.kv("ward")).t(" — ").s("DATE", c.date()).t("\n")
    b.t(H[1] + " ").P(r.choice([n2.first, n2.first + " " + n2.last_initial(), c.form(n2)])).t(
        " (" + r.choice(ROLE[L]) + ")\n")
    for bed in r.sample(range(1, 24), r.randint(3, 4)):
        p = c.person()
        b.t("%s %d: " % (H[4], bed)).P(c.form(p, ["caps_comma", "last_init", "caps", "full", "last", "comma"]))
        b.t(", ")
        if r.random() < 0.25:
            b.s("AGE_OVER_89", c.age89())
        else:
            b.t(c.age_young())
        b.t(". ").K(c.kv("epo")).t(", ").K(c.vital()).t(", ").K(c.kv("drug")).t(" @ ").K(c.time()).t(".")
        if r.random() < 0.6:
            w, rel = c.relative()
            b.t(" " + H[2] + " " + w + " ").P(rel.first if r.random() < 0.7 else rel.first.lower())
            b.t(" " + H[3])
            if r.random() < 0.5:
                b.t(" (").s("PHONE", c.phone()).t(")")
            b.t(".")
        b.t("\n")
    ttl = {"en": ["SN", "Sister", "Staff Nurse"], "de": ["Sr.", "Schwester", "Pfl."], "fr": ["IDE", "Mme"],
           "es": ["Enf.", "Sra."], "it": ["Inf.", "Sig.ra"], "nl": ["Zr.", "vpk"]}[L]
    b.t("— " + r.choice(ttl) + " ").P(r.choice([n1.first, c.form(n1, ["init_last", "full", "last_init", "last"])])).t("\n")


def st_ems_run_sheet(c, b):
    r, L = c.r, c.lang
    H = {"en": ("PATIENT REPORT FORM", "Crew", "Vehicle", "Call sign", "Pt", "Handed to", "at"),
         "de": ("Einsatzprotokoll", "Besatzung", "Kennz.", "Funkrufname", "Pat.", "Übergabe an", "in"),
         "fr": ("Fiche d'intervention SMUR", "Équipage", "Immat.", "Indicatif", "Victime", "Transmis à", "à"),
         "es": ("Hoja de asistencia SVA", "Dotación", "Matrícula", "Indicativo", "Paciente", "Transferido a", "en"),
         "it": ("Scheda di soccorso 118", "Equipaggio", "Targa", "Sigla", "Paziente", "Consegnato a", "presso"),
         "nl": ("Ritformulier ambulance", "Bemanning", "Kenteken", "Roepnaam", "Patiënt", "Overgedragen aan", "op")}[L]
    cs = {"en": ["Alpha 3-1", "RRV 42", "DCA 17"], "de": ["Florian Kassel 1/83-2", "Rotkreuz Hannover 21/83-1",
          "Johannes Erfurt 3/83-4"], "fr": ["VSAV 2", "SMUR 31", "AR 12"], "es": ["SVA Alfa 4", "SVB 112-07"],
          "it": ["Bravo 12", "India 3", "Alfa Romeo 2"], "nl": ["RAV 17-121", "Ambu 07-143"]}[L]
    a, d = c.person(), c.person()
    b.t(H[0] + "\n").t(H[1] + ": ")
    if r.random() < 0.5:
        b.P(a.last).t(" / ").P(d.last)
    else:
        b.P(c.form(a, ["last_init", "init_last", "caps"])).t(" / ").P(c.form(d, ["last_init", "init_last", "caps"]))
    b.t("\n" + H[2] + ": ").s("VEHICLE", c.plate()).t("   " + H[3] + ": ").K(r.choice(cs)).t("\n")
    p = c.person()
    b.t(H[4] + ": ").P(c.form(p, ["caps_comma", "caps", "comma", "full"])).t("  ")
    if r.random() < 0.3:
        b.s("AGE_OVER_89", c.age89())
    else:
        b.t("DOB ").s("DATE", c.dob())
    b.t("\n").s("ADDRESS", c.address()).t("\n")
    b.t("T0 ").K(c.time()).t("  ").K(c.kv("score")).t("  ").K(c.vital()).t("  ").K(c.vital()).t("\n")
    b.t("Rx: ").K(c.kv("drug")).t("; ").K(c.kv("triage")).t("\n")
    if r.random() < 0.6:
        w = c.person()
        b.t({"en": "Bystander", "de": "Ersthelfer", "fr": "Témoin", "es": "Testigo", "it": "Testimone",
             "nl": "Omstander"}[L] + ": ").P(c.form(w, ["full", "lower", "first"])).t(" ").s("PHONE", c.phone()).t("\n")
    town = r.choice({"en": ["Lincoln", "Preston", "Kingston"], "de": ["Marienberg", "Friedland", "Wittenberg"],
                     "fr": ["Lourdes", "Saint-Denis", "Florac"], "es": ["Santiago", "León", "Ávila"],
                     "it": ["Marsala", "Sora", "Aurelia"], "nl": ["Emmen", "Ede", "Maarssen"]}[L])
    b.t({"en": "Transport to", "de": "Transport nach", "fr": "Transport vers", "es": "Traslado a",
         "it": "Trasporto a", "nl": "Vervoer naar"}[L] + " " + town + "\n")
    rec = c.person()
    b.t(H[5] + " ").P(c.form(rec, ["full", "init_last", "last"])).t(" (" + r.choice(ROLE[L]) + ") " + H[6] + " ")
    b.K(c.kv("ward")).t(" ").K(c.time()).t("\n")
    b.t("Sign: ").P(c.form(a, ["last_init", "init_last"])).t("\n")


def st_ems_crew_log(c, b):
    r, L = c.r, c.lang
    H = {"en": ("Station crew log", "on", "off", "kit check", "Note"),
         "de": ("Wachbuch Rettungswache", "Dienstbeginn", "Dienstende", "Fahrzeugcheck", "Bem."),
         "fr": ("Main courante caserne", "prise de garde", "fin de garde", "check VSAV", "Obs."),
         "es": ("Libro de guardia base", "entrada", "salida", "revisión", "Nota"),
         "it": ("Registro turni postazione", "inizio", "fine", "check mezzo", "Nota"),
         "nl": ("Dienstlogboek post", "begin", "einde", "wagencheck", "Opm.")}[L]
    b.t(H[0] + " ").s("DATE", c.date()).t("\n")
    crew = [c.person() for _ in range(r.randint(3, 5))]
    for p in crew:
        b.K(c.time()).t("  ").P(c.form(p, ["caps", "last_init", "init_last", "last", "full"])).t("  " + r.choice(H[1:3]))
        b.t("\n")
    x, y = r.sample(crew, 2)
    b.K(c.time()).t("  " + H[3] + " ").s("VEHICLE", c.plate()).t(" ").P(x.last).t("/").P(y.last).t(" OK, ")
    b.K(c.kv("drug")).t(" ").t({"en": "restocked", "de": "aufgefüllt", "fr": "réassort", "es": "repuesto",
                                "it": "reintegrato", "nl": "aangevuld"}[L] + "\n")
    z = c.person()
    b.t(H[4] + ": ").P(z.first.lower() if r.random() < 0.3 else z.first).t(" ")
    b.t({"en": "covering for", "de": "vertritt", "fr": "remplace", "es": "cubre a", "it": "sostituisce",
         "nl": "vervangt"}[L] + " ").P(x.first).t(" ").s("DATE", c.date()).t("\n")


def st_icu_flowsheet(c, b):
    r, L = c.r, c.lang
    p = c.person()
    lab, num = c.rid()
    b.K(c.kv("ward")).t(" | ").P(c.form(p, ["caps_comma", "caps", "comma"])).t(" | " + lab + " ").s("RECORD_ID", num)
    b.t(" | ").s("DATE", c.date()).t("\n")
    nurses = [c.person() for _ in range(2)]
    ini = [n.initials() for n in nurses]
    b.t("time  | vent | drip | " + KEEP[L]["hr"] + " | sign\n")
    h0 = r.randint(6, 18)
    for k in range(r.randint(4, 6)):
        nurse = nurses[0] if k < 3 else nurses[1]
        b.K("%02d:00" % ((h0 + k) % 24)).t(" | ").K(r.choice(["PEEP 5", "PEEP 8", "FiO2 40%", "FiO2 35%", "CPAP", "ASB 12"]))
        b.t(" | ").K(r.choice(["NA 0.1", "Propofol 2%", "Sufenta 10", "Midazolam 5 mg/h", "KCl 20 mmol"]))
        b.t(" | ").K(c.vital()).t(" | ")
        if r.random() < 0.6:
            b.P(nurse.initials())
        else:
            b.P(c.form(nurse, ["last", "last_init", "caps"]))
        b.t("\n")
    doc = c.person()
    b.t({"en": "Reviewed", "de": "Visite", "fr": "Vu par", "es": "Revisado", "it": "Visto", "nl": "Gezien"}[L] + ": ")
    b.t("Dr ").P(c.form(doc, ["last", "full", "init_last"])).t(" — ").K(c.kv("score")).t("\n")
    b.t("Key: ")
    for i, n in enumerate(nurses):
        b.P(n.initials()).t(" = ").P(c.form(n, ["full", "comma", "init_last"]))
        b.t("; " if i == 0 else "\n")


def st_phone_transcript(c, b):
    r, L = c.r, c.lang
    agent, caller = c.person(), c.person()
    w, pt = c.relative()
    G = {"en": ("hospital switchboard, this is", "hi, i'm calling about", "can you spell the surname",
                "thanks, putting you through to", "date of birth"),
         "de": ("Klinikum Zentrale, Sie sprechen mit", "ja hallo, ich rufe an wegen", "buchstabieren Sie bitte den Nachnamen",
                "danke, ich verbinde mit", "Geburtsdatum"),
         "fr": ("standard de l'hôpital,", "bonjour, j'appelle pour", "vous pouvez épeler le nom",
                "merci, je vous passe", "date de naissance"),
         "es": ("centralita del hospital, le atiende", "hola, llamo por", "¿me deletrea el apellido?",
                "gracias, le paso con", "fecha de nacimiento"),
         "it": ("centralino ospedale, sono", "buongiorno, chiamo per", "mi può fare lo spelling del cognome",
                "grazie, le passo", "data di nascita"),
         "nl": ("ziekenhuis receptie, u spreekt met", "hallo, ik bel over", "kunt u de achternaam spellen",
                "dank u, ik verbind u door met", "geboortedatum")}[L]
    A, C = "A", "C"
    b.t("[").K(c.time()).t("] " + A + ": " + G[0] + " ").P(agent.first.lower() if r.random() < 0.4 else agent.first)
    f = pt.sex == "f"
    poss = {"en": "my", "de": "meiner" if f else "meinem", "fr": "ma" if f else "mon", "es": "mi",
            "it": "mia" if f else "mio", "nl": "mijn"}[L]
    b.t("\n" + C + ": " + G[1] + " " + poss + " " + w + " ").P(c.form(pt, ["full", "lower", "first"]))
    b.t(", " + r.choice(["uh", "ehm", "euh", "eh", "ehm", "uhm"]) + " ")
    b.K(c.kv("ward")).t("\n" + A + ": " + G[2] + "?\n" + C + ": ")
    spelled = "-".join(ch.upper() for ch in pt.last if ch.isalpha())
    b.P(spelled).t(", ").P(pt.last.lower() if r.random() < 0.5 else pt.last).t(". " + G[4] + " ").s("DATE", c.dob())
    b.t("\n")
    if r.random() < 0.7:
        b.t(C + ": " + {"en": "my name's", "de": "ich bin", "fr": "moi c'est", "es": "soy", "it": "sono",
                        "nl": "ik ben"}[L] + " ").P(c.form(caller, ["full", "lower", "first"])).t(", ")
        b.t({"en": "number", "de": "Nummer", "fr": "numéro", "es": "número", "it": "numero", "nl": "nummer"}[L] + " ")
        b.s("PHONE", c.phone()).t("\n")
    dr = c.person()
    b.t(A + ": " + G[3] + " ").P(c.form(dr, ["first", "full", "init_last"])).t(" (" + r.choice(ROLE[L]) + ")\n")
    b.t("[").K(c.time()).t("] -- ").t({"en": "call ended", "de": "Gespräch beendet", "fr": "fin d'appel",
                                         "es": "fin de llamada", "it": "fine chiamata", "nl": "einde gesprek"}[L])


def st_ward_whiteboard(c, b):
    r, L = c.r, c.lang
    cols = {"en": "BED | PATIENT | CONS | NURSE | EDD", "de": "BETT | PATIENT | OA | PFLEGE | ENTL.",
            "fr": "LIT | PATIENT | MÉDECIN | IDE | SORTIE", "es": "CAMA | PACIENTE | MÉDICO | ENFERMERA | ALTA",
            "it": "LETTO | PAZIENTE | MEDICO | INF. | DIMISS.", "nl": "BED | PATIËNT | ARTS | VPK | ONTSLAG"}[L]
    b.K(c.kv("ward")).t("  ").s("DATE", c.date()).t("\n" + cols + "\n")
    cons = [c.person() for _ in range(2)]
    nurses = [c.person("f"), c.person()]
    for bed in range(1, r.randint(5, 7)):
        p = c.person()
        b.t("%d%s | " % (bed, r.choice(["", "A", "B"]))).P(c.form(p, ["caps", "last_init", "caps_comma", "last"]))
        if r.random() < 0.2:
            b.t(" ").s("AGE_OVER_89", c.age89())
        b.t(" | ").P(r.choice(cons).last.upper() if r.random() < 0.5 else r.choice(cons).last).t(" | ")
        b.P(r.choice(nurses).first).t(" | ")
        if r.random() < 0.4:
            b.s("DATE", c.date())
        else:
            b.K(r.choice(["?", "TBC", "MFFD", "NBM", "isol."]))
        b.t("\n")
    b.t({"en": "Nurse in charge", "de": "Schichtleitung", "fr": "IDE référente", "es": "Responsable turno",
         "it": "Capoturno", "nl": "Dienstdoende"}[L] + ": ").P(nurses[0].first + " " + nurses[0].last_initial())
    b.t("  bleep ").K(str(r.randint(1000, 9999))).t("\n")


def st_safeguarding(c, b):
    r, L = c.r, c.lang
    child = c.person()
    mum, sib, gran, sw = c.person("f"), c.person("m"), c.person("f"), c.person()
    T = {"en": ("Safeguarding note", "Referral re", "lives with mother", "older brother", "maternal grandmother",
                "said that", "Social worker", "Plan"),
         "de": ("Kinderschutz-Vermerk", "Meldung zu", "lebt bei der Mutter", "älterer Bruder", "Großmutter mütterlich",
                "berichtet, dass", "Jugendamt", "Plan"),
         "fr": ("Note de signalement", "Concernant", "vit avec sa mère", "frère aîné", "grand-mère maternelle",
                "rapporte que", "Assistante sociale", "Suite"),
         "es": ("Nota de protección del menor", "Derivación de", "vive con la madre", "hermano mayor", "abuela materna",
                "refiere que", "Trabajadora social", "Plan"),
         "it": ("Segnalazione tutela minori", "Riguardo a", "vive con la madre", "fratello maggiore", "nonna materna",
                "riferisce che", "Assistente sociale", "Piano"),
         "nl": ("Notitie Veilig Thuis", "Melding over", "woont bij moeder", "oudere broer", "oma van moederskant",
                "vertelt dat", "Maatschappelijk werker", "Plan")}[L]
    b.t(T[0] + " — ").s("DATE", c.date()).t("\n" + T[1] + " ").P(c.form(child, ["full", "caps_comma", "caps"]))
    b.t(", DOB ").s("DATE", c.dob(c.year - 16, c.year - 2)).t(", ").s("ADDRESS", c.address()).t(".\n")
    b.P(child.first).t(" " + T[2] + " ").P(mum.first).t(" " + {"en": "and", "de": "und", "fr": "et", "es": "y",
                                                              "it": "e", "nl": "en"}[L] + " " + T[3] + " ")
    b.P(sib.first.lower() if r.random() < 0.3 else sib.first).t(". " + T[4] + " ").P(gran.first).t(" ")
    b.t(T[5] + " ").P(mum.first).t(" ").t({"en": "has not been coping", "de": "überfordert sei",
                                              "fr": "est dépassée", "es": "no puede más", "it": "non ce la fa",
                                              "nl": "het niet meer redt"}[L] + ".\n")
    if r.random() < 0.6:
        b.t("Tel. ").P(gran.first).t(": ").s("PHONE", c.phone()).t("\n")
    b.t(T[7] + ": ").K(r.choice(["s.47", "CP conference", "§ 8a SGB VIII", "IP", "RAC", "MDT"])).t(" ")
    b.s("DATE", c.date()).t("\n" + T[6] + ": ").P(c.form(sw, ["full", "init_last", "last_init"])).t("\n")


def st_clinic_letter(c, b):
    r, L = c.r, c.lang
    pt, gp, cons, sec = c.person(), c.person(), c.person(), c.person("f")
    lab, num = c.rid()
    T = {"en": ("Dear Dr", "Re:", "I reviewed", "in clinic today. Background:", "Yours sincerely", "Consultant", "cc:"),
         "de": ("Sehr geehrte Frau Kollegin / Herr Kollege", "Betr.:", "wir berichten über", "Vorstellung heute. Vorerkrankungen:",
                "Mit freundlichen Grüßen", "Chefarzt", "Kopie an:"),
         "fr": ("Cher confrère", "Objet :", "j'ai revu", "en consultation ce jour. Antécédents :", "Bien confraternellement",
                "PH", "Copie :"),
         "es": ("Estimado/a compañero/a", "Ref.:", "valoramos a", "hoy en consulta. Antecedentes:", "Atentamente",
                "FEA", "c.c.:"),
         "it": ("Gentile collega", "Oggetto:", "ho rivisto", "in ambulatorio oggi. Anamnesi:", "Cordiali saluti",
                "Dirigente medico", "p.c.:"),
         "nl": ("Geachte collega", "Betreft:", "ik zag", "vandaag op de poli. Voorgeschiedenis:", "Met vriendelijke groet",
                "internist", "Kopie aan:")}[L]
    b.s("DATE", c.date()).t("\n")
    if L == "en":
        b.t(T[0] + " ").P(gp.last)
    else:
        b.t(T[0]).t(" (").P(c.form(gp, ["init_last", "full"])).t(")")
    b.t(",\n" + T[1] + " ").P(c.form(pt, ["caps_comma", "full", "caps"])).t(", " + lab + " ").s("RECORD_ID", num)
    b.t(", ").s("ADDRESS", c.address()).t("\n" + T[2] + " ").P(pt.first + " " + pt.last if r.random() < 0.5 else pt.last)
    b.t(" " + T[3] + " ").K(c.kv("epo")).t(", ").K(c.kv("epo")).t(". ").K(c.kv("drug")).t(", ").K(c.kv("drug")).t(".\n")
    if r.random() < 0.5:
        w, rel = c.relative()
        b.t(w.capitalize() + " ").P(rel.first).t(" ").t({"en": "attended", "de": "anwesend",
            "fr": "présente", "es": "acompaña", "it": "presente", "nl": "aanwezig"}[L] + ".\n")
    b.t(T[4] + ",\n\n").P(c.form(cons, ["full", "init_last", "caps"])).t("\n" + T[5] + ", ").K(c.kv("ward")).t("\n")
    b.t({"en": "Dictated by", "de": "Diktat", "fr": "Dicté par", "es": "Dictado por", "it": "Dettato da",
         "nl": "Gedicteerd door"}[L] + ": ").P(cons.initials()).t("/").P(sec.initials().lower()).t("\n")
    b.t(T[6] + " ")
    ccs = [gp] + [c.person() for _ in range(r.randint(1, 3))]
    for i, x in enumerate(ccs):
        b.t("; " if i else "").P(c.form(x, ["init_last", "full", "last_init", "caps"]))
    b.t("\n")


def st_bank_call_note(c, b):
    r, L = c.r, c.lang
    cu, agent, tl = c.person(), c.person(), c.person()
    w, third = c.relative()
    T = {"en": ("CALL NOTE", "Customer", "called re", "Agent", "Passed to TL", "third party"),
         "de": ("GESPRÄCHSNOTIZ", "Kunde", "ruft an wg.", "MA", "weitergeleitet an TL", "Dritte"),
         "fr": ("NOTE D'APPEL", "Client", "appelle pour", "Conseiller", "transmis au RE", "tiers"),
         "es": ("NOTA DE LLAMADA", "Cliente", "llama por", "Gestor", "escalado a", "tercero"),
         "it": ("NOTA CHIAMATA", "Cliente", "chiama per", "Operatore", "passato a TL", "terzo"),
         "nl": ("GESPREKSNOTITIE", "Klant", "belt over", "Medewerker", "doorgezet naar TL", "derde")}[L]
    topic = {"en": ["a blocked card", "a failed direct debit", "a mortgage overpayment"],
             "de": ["gesperrte Karte", "Rücklastschrift", "Sondertilgung"],
             "fr": ["carte bloquée", "prélèvement rejeté", "remboursement anticipé"],
             "es": ["tarjeta bloqueada", "recibo devuelto", "amortización anticipada"],
             "it": ["carta bloccata", "RID respinto", "estinzione anticipata"],
             "nl": ["geblokkeerde pas", "gestorneerde incasso", "extra aflossing"]}[L]
    b.t(T[0] + " ").s("DATE", c.date()).t(" ").K(c.time()).t("\n" + T[1] + ": ").P(c.form(cu, ["caps_comma", "caps", "full", "comma"]))
    b.t("  IBAN ").s("ACCOUNT", c.iban()).t("\n")
    b.P(c.form(cu, ["last", "init_last", "first"])).t(" " + T[2] + " " + r.choice(topic) + ", ").K(c.amount()).t(".")
    b.t("\n" + T[5].capitalize() + ": " + w + " ").P(third.first).t(" (")
    b.t({"en": "no authority", "de": "keine Vollmacht", "fr": "pas de procuration", "es": "sin poder",
         "it": "senza delega", "nl": "geen machtiging"}[L] + ").\n")
    if r.random() < 0.6:
        b.t("Callback: ").s("PHONE", c.phone()).t("\n")
    b.t(T[4] + " ").P(tl.first).t(". " + T[3] + ": ").P(r.choice([agent.first, agent.first + " " + agent.last_initial(),
                                                                 (agent.first + "." + agent.last).lower().replace(" ", "")]))
    b.t("\n")


def st_complaint_log(c, b):
    r, L = c.r, c.lang
    T = {"en": ("Complaint log", "opened by", "customer", "says", "was rude", "Resolution", "closed by"),
         "de": ("Beschwerdeprotokoll", "angelegt von", "Kundin", "gibt an,", "sei unfreundlich gewesen", "Lösung", "geschlossen von"),
         "fr": ("Registre des réclamations", "ouvert par", "cliente", "indique que", "a été désagréable", "Solution", "clôturé par"),
         "es": ("Registro de reclamaciones", "abierto por", "clienta", "dice que", "fue maleducado", "Resolución", "cerrado por"),
         "it": ("Registro reclami", "aperto da", "cliente", "riferisce che", "è stato scortese", "Esito", "chiuso da"),
         "nl": ("Klachtenregistratie", "geopend door", "klant", "zegt dat", "onbeleefd was", "Oplossing", "gesloten door")}[L]
    cu, staff, opener, closer = c.person("f"), c.person(), c.person(), c.person()
    ref = "%s-%d-%05d" % (r.choice(["CMP", "REC", "BES", "KL"]), c.year, r.randint(0, 99999))
    b.t(T[0] + " #").s("OTHER_ID", ref).t("\n")
    b.s("DATE", c.date()).t(" ").K(c.time()).t(" " + T[1] + " ").P(opener.first).t("\n")
    b.t(T[2].capitalize() + ": ").P(c.form(cu, ["caps_comma", "full", "comma", "caps"])).t(", ").s("ADDRESS", c.address()).t("\n")
    b.t(T[3].capitalize() + " ").P(staff.first).t(" (" + {"en": "branch", "de": "Filiale", "fr": "agence", "es": "oficina", "it": "filiale", "nl": "kantoor"}[L] + ") ")
    b.t(T[4] + "; ").t({"en": "fee of", "de": "Gebühr", "fr": "frais de", "es": "comisión de", "it": "commissione di",
                        "nl": "kosten"}[L] + " ").K(c.amount()).t(".\n")
    if r.random() < 0.6:
        w = c.person()
        b.t({"en": "Witness", "de": "Zeugin", "fr": "Témoin", "es": "Testigo", "it": "Testimone", "nl": "Getuige"}[L] + ": ")
        b.P(c.form(w, ["full", "lower", "last_init"])).t("\n")
    b.t(T[5] + ": ").K({"en": "refund", "de": "Erstattung", "fr": "remboursement", "es": "reembolso", "it": "rimborso",
                        "nl": "terugbetaling"}[L]).t(" ")
    b.K(c.amount()).t(". " + T[6] + " ").P(c.form(closer, ["full", "init_last", "first"])).t(" ").s("DATE", c.date()).t("\n")


def st_branch_visitor_log(c, b):
    r, L = c.r, c.lang
    cols = {"en": "Time in | Visitor | Seeing | Out", "de": "Ankunft | Besucher | bei | Ende",
            "fr": "Arrivée | Visiteur | Reçu par | Départ", "es": "Entrada | Visitante | Atiende | Salida",
            "it": "Entrata | Visitatore | Ricevuto da | Uscita", "nl": "Binnen | Bezoeker | Bij | Weg"}[L]
    b.t({"en": "Branch visitor log", "de": "Besucherliste Filiale", "fr": "Registre visiteurs agence",
         "es": "Registro de visitas oficina", "it": "Registro visitatori filiale", "nl": "Bezoekerslijst kantoor"}[L])
    b.t(" — ").s("DATE", c.date()).t("\n" + cols + "\n")
    staff = [c.person() for _ in range(2)]
    hh = r.randint(8, 10)
    for _ in range(r.randint(4, 6)):
        v = c.person()
        hh += r.randint(0, 1)
        m0 = r.choice([0, 10, 20, 30])
        b.K("%02d:%02d" % (hh, m0)).t(" | ").P(c.form(v, ["caps", "full", "last_init", "caps_comma", "lower", "init_last"]))
        if r.random() < 0.3:
            b.t(" + ").P(c.person().first)
        b.t(" | ").P(r.choice(staff).first).t(" | ").K("%02d:%02d" % (hh, m0 + r.choice([15, 25]))).t("\n")
    b.t({"en": "Checked by", "de": "geprüft", "fr": "Vérifié par", "es": "Revisado por", "it": "Controllato da",
         "nl": "Gecontroleerd door"}[L] + ": ").P(staff[0].initials()).t("\n")


def st_chat_transcript(c, b):
    r, L = c.r, c.lang
    cu, bot_agent = c.person(), c.person()
    bank = r.choice([True, False])
    G = {"en": ("hi, you're chatting with", "can i get your full name", "and your date of birth?", "my mum",
                "is in", "thanks, i'll pass this to my colleague"),
         "de": ("hallo, Sie chatten mit", "wie ist Ihr vollständiger Name", "und Ihr Geburtsdatum?", "meine Mutter",
                "liegt auf", "danke, ich gebe das an meine Kollegin"),
         "fr": ("bonjour, vous êtes en ligne avec", "votre nom complet svp", "et votre date de naissance ?", "ma mère",
                "est en", "merci, je transmets à ma collègue"),
         "es": ("hola, le atiende", "¿me indica su nombre completo?", "¿y su fecha de nacimiento?", "mi madre",
                "está en", "gracias, se lo paso a mi compañera"),
         "it": ("ciao, sei in chat con", "mi dai nome e cognome?", "e la data di nascita?", "mia madre",
                "è in", "grazie, passo alla collega"),
         "nl": ("hoi, je chat met", "wat is je volledige naam", "en je geboortedatum?", "mijn moeder",
                "ligt op", "dank je, ik geef het door aan mijn collega")}[L]
    t = lambda: b.t("[").K(c.time()).t("] ")
    t()
    b.t("agent: " + G[0] + " ").P(bot_agent.first).t("\n")
    t()
    b.t("user: " + {"en": "hello", "de": "hallo", "fr": "bonjour", "es": "hola", "it": "ciao", "nl": "hoi"}[L] + "\n")
    t()
    b.t("agent: " + G[1] + "?\n")
    t()
    b.t("user: ").P(c.form(cu, ["lower", "lower", "full", "caps"])).t("\n")
    t()
    b.t("agent: " + G[2] + "\n")
    t()
    b.t("user: ").s("DATE", c.dob()).t("\n")
    mum = c.person("f")
    t()
    if bank:
        b.t("user: " + G[3] + " ").P(mum.first.lower() if r.random() < 0.5 else mum.first).t(" ")
        b.t({"en": "has power of attorney", "de": "hat Vollmacht", "fr": "a procuration", "es": "tiene poder",
             "it": "ha la delega", "nl": "heeft volmacht"}[L] + ", IBAN ").s("ACCOUNT", c.iban()).t(", ").K(c.amount()).t("\n")
    else:
        b.t("user: " + G[3] + " ").P(mum.first.lower() if r.random() < 0.5 else mum.first).t(" ")
        if r.random() < 0.5:
            b.t("(").s("AGE_OVER_89", c.age89()).t(") ")
        b.t(G[4] + " ").K(c.kv("ward")).t(", ").K(c.kv("epo")).t("\n")
    col = c.person("f")
    t()
    b.t("agent: " + G[5] + " ").P(col.first + " " + col.last_initial()).t("\n")



STYLES = [
    ("nursing_handover", st_nursing_handover), ("ems_run_sheet", st_ems_run_sheet),
    ("ems_crew_log", st_ems_crew_log), ("icu_flowsheet_signoff", st_icu_flowsheet),
    ("phone_transcript", st_phone_transcript), ("ward_whiteboard", st_ward_whiteboard),
    ("safeguarding_note", st_safeguarding), ("clinic_letter_cc", st_clinic_letter),
    ("bank_call_note", st_bank_call_note), ("bank_complaint_log", st_complaint_log),
    ("branch_visitor_log", st_branch_visitor_log), ("chat_transcript", st_chat_transcript),
]


# ---------------------------------------------------------------- checks
def occurrences(text, value):
    """Same definition as benchmarks/pii_heldout/score.py."""
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


def check(rec):
    """Return None if the record satisfies every guarantee, else a reason string."""
    text, spans = rec["text"], rec["spans"]
    pii = [s for s in spans if s["kind"] != "KEEP"]
    if not pii:
        return "no PII span"
    prev = 0
    for s in spans:
        a, e, v = s["start"], s["end"], s["value"]
        if text[a:e] != v:
            return "value mismatch %r" % v
        if not v or v != v.strip():
            return "blank edge %r" % v
        if a < prev:
            return "overlap/unsorted at %r" % v
        prev = e
        if a > 0 and v[0].isalnum() and text[a - 1].isalnum():
            return "left boundary %r" % v
        if e < len(text) and v[-1].isalnum() and text[e].isalnum():
            return "right boundary %r" % v
    for s in pii:
        v = s["value"]
        for i in occurrences(text, v):
            if not any(p["start"] <= i and i + len(v) <= p["end"] for p in pii):
                return "uncovered PII occurrence %r" % v
    for s in spans:
        if s["kind"] != "KEEP":
            continue
        v = s["value"]
        for i in occurrences(text, v):
            if any(p["start"] < i + len(v) and i < p["end"] for p in pii):
                return "KEEP value overlaps PII %r" % v
    return None


def build(idx):
    lang = LANGS[idx % len(LANGS)]
    style, fn = STYLES[(idx // len(LANGS)) % len(STYLES)]
    for sub in range(1000):
        r = random.Random("%s:%d:%d" % (SEED, idx, sub))
        c = Ctx(r, lang)
        b = B()
        fn(c, b)
        rec = {"id": "dev5-%04d" % (idx + 1), "style": style, "language": lang, "text": b.text(),
               "spans": b.spans}
        if check(rec) is None:
            return rec
    raise RuntimeError("no valid record for %d" % idx)


def generate():
    return [build(i) for i in range(N_RECORDS)]


def dumps(recs):
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in recs)


def stats(recs):
    kinds, styles, langs = Counter(), Counter(), Counter()
    for r in recs:
        styles[r["style"]] += 1
        langs[r["language"]] += 1
        for s in r["spans"]:
            kinds[s["kind"]] += 1
    return kinds, styles, langs


def main(argv):
    if "--check" in argv:
        with open(OUT, encoding="utf-8") as f:
            data = f.read()
        recs = [json.loads(l) for l in data.splitlines() if l.strip()]
        bad = [(r["id"], check(r)) for r in recs if check(r) is not None]
        assert not bad, bad[:5]
        ids = [r["id"] for r in recs]
        assert len(set(ids)) == len(ids), "duplicate ids"
        assert data == dumps(generate()), "dev5.jsonl differs from a fresh generation"
        print("OK: %d records, all guarantees hold, byte-identical to regeneration" % len(recs))
        return 0
    if "--stats" in argv:
        with open(OUT, encoding="utf-8") as f:
            recs = [json.loads(l) for l in f if l.strip()]
        kinds, styles, langs = stats(recs)
        print("records", len(recs))
        print("kinds:", ", ".join("%s %d" % kv for kv in sorted(kinds.items())))
        print("styles:", ", ".join("%s %d" % kv for kv in sorted(styles.items())))
        print("languages:", ", ".join("%s %d" % kv for kv in sorted(langs.items())))
        return 0
    recs = generate()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(recs))
    print("wrote %s (%d records)" % (OUT, len(recs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
