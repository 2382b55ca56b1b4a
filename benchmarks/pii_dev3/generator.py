#!/usr/bin/env python3
"""pii_dev3: an independent labelled DEV set for a PII scrubber (hospital and bank records, EN DE FR ES IT NL).

Standard library only, deterministic (random.Random seeded with strings; independent of PYTHONHASHSEED).

    python3 benchmarks/pii_dev3/generator.py            # (re)write dev3.jsonl
    python3 benchmarks/pii_dev3/generator.py --check    # regenerate, assert guarantees, compare byte-for-byte
    python3 benchmarks/pii_dev3/generator.py --stats    # counts by kind, style, language

Focus: record numbers (RECORD_ID) in many forms and layouts (ICU flowsheets, EMS run sheets, transfer forms,
theatre lists, wristbands/specimen labels, pager messages, bed boards, HL7/FHIR, ...) and bank layouts
(account opening, AML alerts, chargeback logs, core-banking screens, loan servicing).
"""
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dev3.jsonl")
N_RECORDS = 360
SEED = "pii-dev3"
LANGS = ["en", "de", "fr", "es", "it", "nl"]
PII_KINDS = ["PERSON", "ADDRESS", "RECORD_ID", "PHONE", "EMAIL", "ACCOUNT", "ID_DOC", "DATE", "AGE_OVER_89",
             "URL", "IP", "VEHICLE", "DEVICE", "LICENSE", "BIOMETRIC", "OTHER_ID"]
DIG = "0123456789"
UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
UPNO = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O, Q
TOKS = re.compile(r"(?<![0-9])[0-9]{1,4}(?![0-9])")


# ----------------------------------------------------------------------------------------------- builder
class Doc:
    def __init__(self, rng, lang):
        self.r = rng
        self.lang = lang
        self.parts = []
        self.spans = []
        self.n = 0
        self.forbid = set()   # short numeric PII values: never reuse them as KEEP / filler numbers

    def t(self, *ss):
        for s in ss:
            self.parts.append(s)
            self.n += len(s)

    def p(self, kind, v):
        assert v and v == v.strip(), (kind, v)
        self.spans.append((self.n, self.n + len(v), kind, v))
        if kind != "KEEP":
            for tok in TOKS.findall(v):
                self.forbid.add(tok)
        self.t(v)

    def k(self, v):
        self.p("KEEP", v)

    def w(self, segs):
        for s in norm(segs):
            if isinstance(s, str):
                self.t(s)
            else:
                self.p(s[0], s[1])

    def L(self, **kw):
        v = kw.get(self.lang, kw.get("en"))
        return self.r.choice(v) if isinstance(v, (list, tuple)) else v

    def ch(self, seq):
        return self.r.choice(seq)

    def chance(self, p):
        return self.r.random() < p

    def num(self, lo, hi, fmt="%d"):
        """filler / vital-sign number that does not collide with a short numeric PII value"""
        for _ in range(50):
            v = fmt % (self.r.uniform(lo, hi) if "." in fmt else self.r.randint(lo, hi))
            if v not in self.forbid:
                return v
        return v

    def text(self):
        return "".join(self.parts)


def norm(x):
    if isinstance(x, str):
        return [x]
    if isinstance(x, tuple):
        return [x]
    return list(x)


def seglen(segs):
    return sum(len(s) if isinstance(s, str) else len(s[1]) for s in norm(segs))


def table(d, header, rows, mode=None, dash=None):
    """header: list of str (or None); rows: list of list of segs. mode: pad | pipe | tab | semi"""
    mode = mode or d.ch(["pad", "pad", "pipe", "tab", "semi"])
    cols = len(rows[0]) if rows else len(header)
    widths = [0] * cols
    for row in ([header] if header else []) + rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], seglen(cell))
    gap = d.ch([2, 2, 3, 4])
    allrows = ([header] if header else []) + rows
    for ri, row in enumerate(allrows):
        if mode == "pipe":
            d.t("| ")
        for i, cell in enumerate(row):
            d.w(cell)
            last = i == len(row) - 1
            if mode == "pad":
                if not last:
                    d.t(" " * (widths[i] - seglen(cell) + gap))
            elif mode == "pipe":
                d.t(" " * (widths[i] - seglen(cell)))
                d.t(" |" if last else " | ")
            elif mode == "tab":
                if not last:
                    d.t("\t")
            else:
                if not last:
                    d.t(";")
        d.t("\n")
        if ri == 0 and header and (dash or (dash is None and mode in ("pad", "pipe") and d.chance(0.6))):
            if mode == "pipe":
                d.t("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
            else:
                d.t("-" * (sum(widths) + gap * (cols - 1)) + "\n")
    return mode


def kv(d, pairs, mode=None, two=None):
    """pairs: list of (label, segs). mode: colon | eq | dots | two (two fields per line)"""
    mode = mode or d.ch(["colon", "colon", "eq", "dots", "two"])
    if mode == "two":
        lw = max(len(p[0]) for p in pairs) + 2
        vw = max(seglen(p[1]) for p in pairs) + 3
        for i in range(0, len(pairs), 2):
            a = pairs[i]
            d.t((a[0] + ":").ljust(lw))
            d.w(a[1])
            if i + 1 < len(pairs):
                b = pairs[i + 1]
                d.t(" " * (vw - seglen(a[1])))
                d.t((b[0] + ":").ljust(lw))
                d.w(b[1])
            d.t("\n")
        return
    lw = max(len(p[0]) for p in pairs)
    for lab, segs in pairs:
        if mode == "colon":
            d.t(lab + ": ")
        elif mode == "eq":
            d.t(lab.replace(" ", "_") + "=")
        else:
            d.t(lab + " " + "." * (lw - len(lab) + 3) + " ")
        d.w(segs)
        d.t("\n")


# ----------------------------------------------------------------------------------------------- data
NAMES = {
    "en": (["Oliver", "George", "Harry", "Jack", "Thomas", "Daniel", "Samuel", "Arthur", "Callum", "Rhys", "Owen", "Liam"],
           ["Amelia", "Olivia", "Isla", "Emily", "Sophie", "Chloe", "Megan", "Eilidh", "Niamh", "Hannah", "Zara", "Imogen"],
           ["Whitfield", "Thornton", "Pritchard", "McAllister", "Okafor", "Brennan", "Haworth", "Gallagher", "Sutcliffe",
            "Pennington", "Kowalczyk", "Drummond", "Ashworth", "Blackwood", "Fairbairn", "Oyelaran"]),
    "de": (["Jürgen", "Klaus", "Matthias", "Stefan", "Tobias", "Lukas", "Dieter", "Uwe", "Holger", "Jannik", "Björn", "Volker"],
           ["Ursula", "Sabine", "Katrin", "Heike", "Anja", "Lena", "Mareike", "Gisela", "Ingrid", "Franziska", "Svenja", "Birgit"],
           ["Hartmann", "Schröder", "Brandt", "Köhler", "Vogt", "Lindemann", "Pfeiffer", "Wagenknecht", "Eichhorn",
            "Kowalski", "Böttcher", "Reuter", "Zimmermann", "Leitner", "Grünewald", "Yilmaz"]),
    "fr": (["Jean-Luc", "Mathieu", "Olivier", "Thierry", "Benoît", "Yannick", "Rémi", "Laurent", "Hugo", "Théo", "Gaëtan", "Pascal"],
           ["Sandrine", "Nathalie", "Chloé", "Élodie", "Manon", "Céline", "Brigitte", "Margaux", "Aurélie", "Josiane", "Inès", "Solène"],
           ["Lefebvre", "Moreau", "Girard", "Fontaine", "Rousseau", "Chevalier", "Lambert", "Mercier", "Dubois", "Gauthier",
            "Lemaire", "Perrin", "Benali", "Marchand", "Roussel", "Nguyen"]),
    "es": (["Javier", "Alejandro", "Sergio", "Rubén", "Íñigo", "Manuel", "Álvaro", "Joaquín", "Diego", "Pablo", "Xavier", "Andrés"],
           ["María José", "Lucía", "Nuria", "Begoña", "Pilar", "Montserrat", "Rocío", "Inmaculada", "Ainhoa", "Elena", "Marta", "Yolanda"],
           ["García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Iglesias", "Castro", "Moreno", "Domínguez",
            "Vázquez", "Herrero", "Pascual", "Navarro", "Ortega", "Etxeberria"]),
    "it": (["Giuseppe", "Marco", "Alessandro", "Luca", "Francesco", "Davide", "Matteo", "Salvatore", "Gianluca", "Emanuele", "Stefano", "Pietro"],
           ["Giulia", "Francesca", "Chiara", "Federica", "Alessia", "Rosaria", "Paola", "Martina", "Elisa", "Valentina", "Carmela", "Ilaria"],
           ["Rossi", "Esposito", "Bianchi", "Colombo", "Ricci", "Marino", "Greco", "Gallo", "Conti", "De Luca", "Mancini",
            "Lombardi", "Moretti", "Barbieri", "Santoro", "Ferraro"]),
    "nl": (["Jeroen", "Sander", "Bram", "Thijs", "Joost", "Pieter", "Maarten", "Wouter", "Koen", "Ruud", "Daan", "Sem"],
           ["Anouk", "Femke", "Marieke", "Sanne", "Lotte", "Ilse", "Marloes", "Esther", "Annelies", "Noor", "Fenna", "Wilma"],
           ["de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Hendriks",
            "van Dijk", "Kuipers", "Verhoeven", "Dekker", "Brouwer", "van Leeuwen"]),
}
STREETS = {
    "en": ["Albert Road", "Holloway Lane", "Station Street", "Mill Close", "Beechwood Avenue", "Church Walk",
           "Marlborough Crescent", "Granby Terrace", "Kingsley Drive", "Orchard Way"],
    "de": ["Lindenstraße", "Hauptstraße", "Am Mühlbach", "Goethestraße", "Schillerweg", "Birkenallee", "Kastanienring",
           "Ulmenweg", "Bahnhofstr.", "Rosenhang"],
    "fr": ["rue des Lilas", "boulevard Gambetta", "rue de la République", "allée des Tilleuls", "chemin du Moulin",
           "place du Marché", "impasse des Peupliers", "avenue de la Gare", "rue Pasteur", "quai des Brotteaux"],
    "es": ["Calle Mayor", "Avenida de América", "Calle de Alcalá", "Paseo de Gracia", "Calle San Vicente",
           "Ronda de Segovia", "Calle Real", "Avenida del Puerto", "Calle Larios", "Camino de Ronda"],
    "it": ["Via Roma", "Via Garibaldi", "Viale dei Mille", "Piazza Cavour", "Via della Repubblica", "Via Po",
           "Corso Buenos Aires", "Via Toledo", "Via dei Gelsi", "Borgo Pinti"],
    "nl": ["Kerkstraat", "Dorpsstraat", "Prinsengracht", "Molenweg", "Stationsplein", "Julianalaan", "Beukenlaan",
           "Vondelstraat", "Oudegracht", "Lindelaan"],
}
TOWNS = {
    "en": [("Leeds", "LS"), ("Manchester", "M"), ("Glasgow", "G"), ("Bristol", "BS"), ("Cardiff", "CF"),
           ("Norwich", "NR"), ("Leicester", "LE"), ("Sheffield", "S")],
    "de": [("Berlin", "10"), ("München", "80"), ("Hamburg", "22"), ("Köln", "50"), ("Leipzig", "04"),
           ("Freiburg im Breisgau", "79"), ("Kassel", "34"), ("Bremen", "28")],
    "fr": [("Lyon", "6900"), ("Paris", "750"), ("Marseille", "130"), ("Toulouse", "310"), ("Lille", "590"),
           ("Nantes", "440"), ("Strasbourg", "670"), ("Rennes", "350")],
    "es": [("Madrid", "280"), ("Barcelona", "080"), ("Valencia", "460"), ("Sevilla", "410"), ("Bilbao", "480"),
           ("Zaragoza", "500"), ("Málaga", "290"), ("Granada", "180")],
    "it": [("Milano", "201"), ("Roma", "001"), ("Torino", "101"), ("Napoli", "801"), ("Bologna", "401"),
           ("Firenze", "501"), ("Palermo", "901"), ("Bari", "701")],
    "nl": [("Amsterdam", "10"), ("Rotterdam", "30"), ("Utrecht", "35"), ("Den Haag", "25"), ("Eindhoven", "56"),
           ("Groningen", "97"), ("Nijmegen", "65"), ("Zwolle", "80")],
}
HOSPITALS = {
    "en": ["St Aldhelm's Hospital", "Royal Northfield Infirmary", "Moorside General Hospital", "Riverbank University Hospital"],
    "de": ["Klinikum Nordstadt", "Universitätsklinikum Süd", "St.-Vinzenz-Krankenhaus", "Kreisklinik Talheim"],
    "fr": ["CHU de Lyon-Sud", "Hôpital Saint-Roch", "CH de Valrive", "Clinique du Parc"],
    "es": ["Hospital Universitario del Norte", "Hospital General de Levante", "Hospital Comarcal del Valle", "Clínica San Rafael"],
    "it": ["Ospedale San Gerardo", "Policlinico Sant'Orsola", "Ospedale Maggiore di Valle", "Presidio Ospedaliero Nord"],
    "nl": ["Ziekenhuis Rivierenland", "Meander Zuid", "UMC Oost", "Gelre Noord"],
}
WARDS = {
    "en": ["Critical Care Unit", "ITU", "Ward 7B", "Cardiology Ward", "Acute Medical Unit", "HDU", "Renal Unit"],
    "de": ["Intensivstation 3", "ITS", "Station Kardiologie", "Zentrale Notaufnahme", "Station 4 Nord", "Dialysezentrum"],
    "fr": ["Réanimation médicale", "USIC", "Cardiologie B", "Urgences adultes", "Néphrologie", "SSPI"],
    "es": ["UCI", "Medicina Interna", "Urgencias", "Cardiología 3ª planta", "Nefrología", "REA"],
    "it": ["Terapia Intensiva", "Rianimazione", "Medicina Interna", "Pronto Soccorso", "Nefrologia e Dialisi", "UTIC"],
    "nl": ["IC", "Afdeling Cardiologie", "Spoedeisende Hulp", "Interne Geneeskunde", "Dialyseafdeling", "MC-unit"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
}
ICD = ["I21.4", "J18.9", "N18.5", "S72.0", "I63.9", "A41.9", "K35.8", "E11.9", "I48.0", "J44.1", "N17.9", "I50.1", "S06.5", "K92.2"]
SNOMED = ["22298006", "233604007", "44054006", "195967001", "709044004", "73211009", "431855005", "271737000", "91302008"]
LOINC = ["2345-7", "718-7", "2160-0", "6690-2", "1742-6", "2823-3", "2951-2", "1920-8", "6598-7"]
ATC = ["C01BD01", "B01AB01", "N02AB03", "C03CA01", "J01CR02", "N01AX10", "C01CA03", "B05BB01"]
NDC = ["0409-4888-02", "63323-262-01", "0143-9875-25", "0781-3206-95"]
DRUGS = ["noradrenaline", "propofol", "fentanyl", "midazolam", "insulin", "heparin", "furosemide", "amiodarone",
         "vancomycin", "piperacillin/tazobactam", "ondansetron", "paracetamol", "morphine", "dexmedetomidine"]
DRUG_LOC = {
    "de": {"noradrenaline": "Noradrenalin", "insulin": "Insulin", "heparin": "Heparin", "furosemide": "Furosemid",
           "amiodarone": "Amiodaron", "morphine": "Morphin", "paracetamol": "Paracetamol", "midazolam": "Midazolam",
           "propofol": "Propofol", "fentanyl": "Fentanyl", "vancomycin": "Vancomycin", "ondansetron": "Ondansetron"},
    "fr": {"noradrenaline": "noradrénaline", "insulin": "insuline", "heparin": "héparine", "furosemide": "furosémide",
           "amiodarone": "amiodarone", "morphine": "morphine", "vancomycin": "vancomycine"},
    "es": {"noradrenaline": "noradrenalina", "insulin": "insulina", "heparin": "heparina", "furosemide": "furosemida",
           "amiodarone": "amiodarona", "morphine": "morfina", "vancomycin": "vancomicina", "ondansetron": "ondansetrón"},
    "it": {"noradrenaline": "noradrenalina", "insulin": "insulina", "heparin": "eparina", "furosemide": "furosemide",
           "amiodarone": "amiodarone", "morphine": "morfina", "vancomycin": "vancomicina", "paracetamol": "paracetamolo"},
    "nl": {"noradrenaline": "noradrenaline", "insulin": "insuline", "heparin": "heparine", "furosemide": "furosemide",
           "morphine": "morfine", "vancomycin": "vancomycine"},
}
DOSES = {"noradrenaline": ["0.08 mcg/kg/min", "0.12 mcg/kg/min", "0.2 mcg/kg/min"], "propofol": ["2% 12 ml/h", "150 mg/h"],
         "fentanyl": ["50 mcg/h", "100 mcg"], "midazolam": ["3 mg/h", "2 mg"], "insulin": ["4 IU/h", "6 IU/h"],
         "heparin": ["1000 IU/h", "5000 IU", "25000 IU/50 ml"], "furosemide": ["40 mg", "20 mg/h"],
         "amiodarone": ["300 mg", "900 mg/24h"], "vancomycin": ["1 g", "15 mg/kg"], "piperacillin/tazobactam": ["4.5 g"],
         "ondansetron": ["4 mg"], "paracetamol": ["1 g", "500 mg"], "morphine": ["5 mg", "2.5 mg", "10 mg"],
         "dexmedetomidine": ["0.7 mcg/kg/h"]}


def drug(d, name=None):
    name = name or d.ch(DRUGS)
    loc = DRUG_LOC.get(d.lang, {}).get(name, name)
    dose = d.ch(DOSES[name])
    if d.lang in ("de", "fr", "es", "it", "nl") and d.chance(0.6):
        dose = dose.replace(".", ",")
    return loc + " " + dose


# ----------------------------------------------------------------------------------------------- identifiers
def digits(r, n):
    return "".join(r.choice(DIG) for _ in range(n))


def nz(r, n):
    return r.choice("123456789") + digits(r, n - 1)


def mod11_10(r, first=None, valid=True):
    """NHS / CHI style: 9 digits + mod-11 check digit (weights 10..2)."""
    while True:
        d = [int(x) for x in (first or "")] + [r.randrange(10) for _ in range(9 - len(first or ""))]
        s = sum(x * (10 - i) for i, x in enumerate(d))
        ck = 11 - s % 11
        ck = 0 if ck == 11 else ck
        if ck == 10:
            if first:
                first = first[:6]
            continue
        if not valid:
            ck = (ck + r.randrange(1, 10)) % 10
        return "".join(map(str, d)) + str(ck)


def nhs(r, valid=True, fmt=None):
    v = mod11_10(r, r.choice("4679"), valid)
    fmt = fmt or r.choice(["sp", "sp", "sp", "compact", "dash"])
    if fmt == "sp":
        return v[:3] + " " + v[3:6] + " " + v[6:]
    if fmt == "dash":
        return v[:3] + "-" + v[3:6] + "-" + v[6:]
    return v


def chi(r, dob, valid=True):
    return mod11_10(r, dob.strftime("%d%m%y"), valid)


def bsn(r, valid=True):
    while True:
        d = [r.randrange(10) for _ in range(8)]
        if d[0] == 0:
            continue
        s = sum(x * (9 - i) for i, x in enumerate(d))
        c = s % 11
        if c == 10:
            continue
        if not valid:
            c = (c + r.randrange(1, 10)) % 10
        return "".join(map(str, d)) + str(c)


def _iban_ck(cc, bban):
    s = "".join(str(int(ch, 36)) for ch in bban + cc + "00")
    return "%02d" % (98 - int(s) % 97)


def iban(r, cc, valid=None, grouped=None):
    valid = r.random() < 0.7 if valid is None else valid
    if cc == "DE":
        bban = digits(r, 18)
    elif cc == "FR":
        bban = digits(r, 10) + "".join(r.choice(DIG + "ABCDEFGH") if i == 0 else r.choice(DIG) for i in range(11)) + digits(r, 2)
    elif cc == "ES":
        bban = r.choice(["2100", "0049", "0182", "2038", "0081"]) + digits(r, 16)
    elif cc == "IT":
        bban = r.choice(UPNO) + r.choice(["03069", "02008", "05034", "01030"]) + digits(r, 5) + digits(r, 12)
    elif cc == "NL":
        bban = r.choice(["ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB"]) + digits(r, 10)
    elif cc == "BE":
        bban = digits(r, 12)
    else:
        bban = r.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(r, 14)
        cc = "GB"
    ck = _iban_ck(cc, bban)
    if not valid:
        ck = "%02d" % ((int(ck) + r.randrange(1, 90)) % 97 + 2)
        if ck == _iban_ck(cc, bban):
            ck = "%02d" % ((int(ck) + 1) % 97 + 2)
    v = cc + ck + bban
    grouped = r.random() < 0.5 if grouped is None else grouped
    if grouped:
        v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    return v


CC = {"en": "GB", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL"}


def luhn_complete(r, prefix, length, valid=True):
    body = prefix + digits(r, length - len(prefix) - 1)
    s = 0
    for i, ch in enumerate(reversed(body)):
        x = int(ch)
        if i % 2 == 0:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    ck = (10 - s % 10) % 10
    if not valid:
        ck = (ck + r.randrange(1, 10)) % 10
    return body + str(ck)


def card(r):
    kind = r.choice(["visa", "visa", "mc", "amex", "maestro"])
    valid = r.random() < 0.65
    if kind == "amex":
        v = luhn_complete(r, r.choice(["34", "37"]), 15, valid)
        return v[:4] + " " + v[4:10] + " " + v[10:] if r.random() < 0.6 else v
    if kind == "mc":
        v = luhn_complete(r, r.choice(["51", "53", "55", "2221"]), 16, valid)
    elif kind == "maestro":
        v = luhn_complete(r, r.choice(["6759", "5018"]), 16, valid)
    else:
        v = luhn_complete(r, "4", 16, valid)
    sep = r.choice([" ", " ", "", "-"])
    return sep.join(v[i:i + 4] for i in range(0, 16, 4))


def nir(r, sex, dob):
    base = "%d%02d%02d%02d%03d%03d" % (sex, dob.year % 100, dob.month, r.randint(1, 95), r.randint(1, 990), r.randint(1, 999))
    key = 97 - int(base) % 97
    if r.random() < 0.2:
        key = (key + r.randint(1, 50)) % 97 + 1
    if r.random() < 0.6:
        return "%s %s %s %s %s %s %02d" % (base[0], base[1:3], base[3:5], base[5:7], base[7:10], base[10:13], key)
    return base + "%02d" % key


CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                  [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16,
                   10, 22, 25, 24, 23]))


def _cons(s):
    s = strip_acc(s).upper().replace(" ", "").replace("'", "")
    return [c for c in s if c.isalpha() and c not in "AEIOU"], [c for c in s if c in "AEIOU"]


def codice_fiscale(r, first, last, sex, dob):
    c, v = _cons(last)
    sur = "".join((c + v + ["X"] * 3)[:3])
    c, v = _cons(first)
    nam = "".join(c[i] for i in (0, 2, 3)) if len(c) >= 4 else "".join((c + v + ["X"] * 3)[:3])
    day = dob.day + (40 if sex == "F" else 0)
    cf = sur + nam + "%02d" % (dob.year % 100) + "ABCDEHLMPRST"[dob.month - 1] + "%02d" % day
    cf += r.choice(["F205", "H501", "L219", "F839", "A944", "D612", "G273", "A662"])
    s = 0
    for i, ch in enumerate(cf):
        if i % 2 == 0:
            s += CF_ODD[ch]
        else:
            s += int(ch) if ch.isdigit() else ord(ch) - 65
    ck = UP[s % 26]
    if r.random() < 0.15:
        ck = UP[(s + r.randint(1, 25)) % 26]
    return cf + ck


def dni(r):
    n = r.randint(10000000, 99999999)
    return "%08d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]) if r.random() < 0.6 else "%08d-%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23])


def nie(r):
    p = r.randint(0, 2)
    n = r.randint(1000000, 9999999)
    return "%s%07d%s" % ("XYZ"[p], n, "TRWAGMYFPDXBNJZSQVHLCKE"[(p * 10000000 + n) % 23])


def perso(r):
    chars = "CFGHJKLMNPRTVWXYZ0123456789"
    body = r.choice("LMNPRTVWXY") + "".join(r.choice(chars) for _ in range(8))
    s = 0
    for i, ch in enumerate(body):
        val = int(ch) if ch.isdigit() else ord(ch) - 55
        s += val * (7, 3, 1)[i % 3]
    return body + str(s % 10)


def ni_number(r):
    a = r.choice("ABCEGHJKLMNPRSTWXYZ")
    b = r.choice("ABCEGHJKLMNPRSTWXYZ")
    while a + b in ("GB", "NK", "TN", "ZZ", "BG", "KN", "NT"):
        b = r.choice("ABCEGHJKLMNPRSTWXYZ")
    n = digits(r, 6)
    s = r.choice("ABCD")
    return "%s%s %s %s %s %s" % (a, b, n[:2], n[2:4], n[4:], s) if r.random() < 0.5 else a + b + n + s


def ssn(r):
    a = r.choice([x for x in range(1, 900) if x != 666])
    return "%03d-%02d-%04d" % (a, r.randint(1, 99), r.randint(1, 9999))


def passport(r, lang):
    if lang == "en":
        return nz(r, 9)
    if lang == "de":
        return r.choice("CFGHJK") + "".join(r.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8))
    if lang == "fr":
        return digits(r, 2) + r.choice(UPNO) + r.choice(UPNO) + digits(r, 5)
    if lang == "es":
        return r.choice(["PAA", "PAB", "PAC", "XDA"]) + digits(r, 6)
    if lang == "it":
        return r.choice(["YA", "YB", "AA", "YC"]) + digits(r, 7)
    return "".join(r.choice(UPNO) for _ in range(2)) + "".join(r.choice(UPNO + DIG) for _ in range(6)) + r.choice(DIG)


def plate(r, lang):
    L = lambda n: "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(n))
    if lang == "en":
        return L(2) + digits(r, 2) + " " + L(3)
    if lang == "de":
        return r.choice(["M", "B", "HH", "K", "F", "S", "KS", "L", "HB", "FR"]) + r.choice(["-", " "]) + L(r.randint(1, 2)) + " " + nz(r, r.randint(2, 4))
    if lang == "fr":
        return L(2) + "-" + digits(r, 3) + "-" + L(2)
    if lang == "es":
        return digits(r, 4) + r.choice([" ", "-", ""]) + "".join(r.choice("BCDFGHJKLMNPRSTVWXYZ") for _ in range(3))
    if lang == "it":
        return L(2) + r.choice([" ", ""]) + digits(r, 3) + r.choice([" ", ""]) + L(2)
    f = r.choice(["A", "B", "C"])
    if f == "A":
        return L(2) + "-" + digits(r, 3) + "-" + L(1)
    if f == "B":
        return digits(r, 2) + "-" + L(3) + "-" + digits(r, 1)
    return digits(r, 1) + "-" + L(3) + "-" + digits(r, 2)


def vin(r):
    wmi = r.choice(["WVW", "WBA", "VF1", "ZFA", "VSS", "XLR", "SAJ", "WDB", "VF3", "YV1", "TMB"])
    return wmi + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(6)) + r.choice("KLMNPR") + \
        "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(1)) + digits(r, 6)


def phone(r, lang):
    if lang == "en":
        return r.choice(["0113 496 " + digits(r, 4), "07700 9" + digits(r, 5), "+44 7700 9" + digits(r, 5),
                         "0161 496 " + digits(r, 4), "(0117) 496 " + digits(r, 4), "020 7946 " + digits(r, 4)])
    if lang == "de":
        return r.choice(["030 " + nz(r, 8), "+49 (0)89 " + nz(r, 7), "0171/" + nz(r, 7), "0221 " + nz(r, 3) + "-" + digits(r, 4),
                         "+49 151 " + nz(r, 8), "089/4400-" + digits(r, 5)])
    if lang == "fr":
        d = lambda: "%02d" % r.randint(10, 99)
        return r.choice(["0%d %s %s %s %s" % (r.randint(1, 5), d(), d(), d(), d()), "+33 (0)6 %s %s %s %s" % (d(), d(), d(), d()),
                         "06.%s.%s.%s.%s" % (d(), d(), d(), d()), "+33 7 %s %s %s %s" % (d(), d(), d(), d())])
    if lang == "es":
        return r.choice(["91" + digits(r, 1) + " " + digits(r, 3) + " " + digits(r, 3), "+34 6" + digits(r, 2) + " " + digits(r, 3) + " " + digits(r, 3),
                         "6" + digits(r, 8), "93 " + digits(r, 3) + " " + digits(r, 2) + " " + digits(r, 2)])
    if lang == "it":
        return r.choice(["02 " + digits(r, 4) + " " + digits(r, 4), "+39 3" + digits(r, 2) + " " + digits(r, 3) + " " + digits(r, 4),
                         "06-" + nz(r, 8), "3" + digits(r, 2) + " " + digits(r, 7), "051 " + nz(r, 6)])
    return r.choice(["020-" + nz(r, 7), "06-" + nz(r, 8), "+31 (0)6 " + digits(r, 4) + " " + digits(r, 4), "010 " + nz(r, 3) + " " + digits(r, 4),
                     "+31 30 " + nz(r, 3) + " " + digits(r, 4)])


def strip_acc(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def email(r, p, lang):
    dom = {"en": ["btinternet.com", "gmail.com", "outlook.com"], "de": ["web.de", "gmx.de", "t-online.de"],
           "fr": ["orange.fr", "free.fr", "laposte.net"], "es": ["telefonica.net", "gmail.com", "yahoo.es"],
           "it": ["libero.it", "alice.it", "virgilio.it"], "nl": ["ziggo.nl", "kpnmail.nl", "hotmail.nl"]}[lang]
    f = strip_acc(p["first"]).lower().replace(" ", "").replace("-", "")
    l = strip_acc(p["last"]).lower().replace(" ", "")
    u = r.choice([f + "." + l, f[0] + l, l + "." + f, f + "_" + l + digits(r, 2), l + f[0] + digits(r, 2)])
    return u + "@" + r.choice(dom)


def date_rand(r, y0, y1):
    return datetime.date(r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28))


def fdate(d, dt, form=None):
    """format a date in a national style"""
    lg = d.lang
    M = MONTHS[lg]
    forms = {
        "en": ["%d/%m/%Y", "%d/%m/%Y", "DMONY", "ISO", "DD-MON-YYYY", "%d/%m/%y"],
        "de": ["%d.%m.%Y", "%d.%m.%Y", "%d.%m.%y", "DMONTHY", "ISO"],
        "fr": ["%d/%m/%Y", "%d/%m/%Y", "DMONTHY", "ISO", "%d/%m/%y"],
        "es": ["%d/%m/%Y", "%d-%m-%Y", "DEMONTH", "ISO"],
        "it": ["%d/%m/%Y", "%d.%m.%Y", "DMONTHY", "ISO", "%d/%m/%y"],
        "nl": ["%d-%m-%Y", "%d-%m-%Y", "DMONTHY", "ISO", "%d/%m/%Y"],
    }[lg]
    form = form or d.ch(forms)
    if form == "ISO":
        return dt.isoformat()
    if form == "DMONY":
        return "%d %s %d" % (dt.day, M[dt.month - 1][:3], dt.year)
    if form == "DD-MON-YYYY":
        return "%02d-%s-%d" % (dt.day, M[dt.month - 1][:3].upper(), dt.year)
    if form == "DMONTHY":
        return ("%d. %s %d" if lg == "de" else "%d %s %d") % (dt.day, M[dt.month - 1], dt.year)
    if form == "DEMONTH":
        return "%d de %s de %d" % (dt.day, M[dt.month - 1], dt.year)
    if form == "COMPACT":
        return dt.strftime("%Y%m%d")
    return dt.strftime(form)


def person(d, sex=None, lang=None):
    lang = lang or d.lang
    fm, ff, sur = NAMES[lang]
    sex = sex or d.ch("MF")
    first = d.ch(fm if sex == "M" else ff)
    last = d.ch(sur)
    if lang == "es" and d.chance(0.6):
        l2 = d.ch(sur)
        if l2 != last:
            last = last + " " + l2
    return {"first": first, "last": last, "sex": sex}


def pname(d, p, form=None):
    f, l = p["first"], p["last"]
    form = form or d.ch(["full", "full", "LAST, First", "LAST First", "F. Last", "LAST, FIRST", "Last, First"])
    if form == "full":
        return f + " " + l
    if form == "LAST, First":
        return l.upper() + ", " + f
    if form == "LAST First":
        return l.upper() + " " + f
    if form == "F. Last":
        return f[0] + ". " + l
    if form == "LAST, FIRST":
        return l.upper() + ", " + f.upper()
    if form == "LAST F":
        return l.upper() + " " + f[0]
    if form == "last":
        return l
    return l + ", " + f


def address(d, lang=None, multi=False):
    """returns list of ADDRESS strings (1 or 2 parts)"""
    lang = lang or d.lang
    st = d.ch(STREETS[lang])
    town, pc = d.ch(TOWNS[lang])
    r = d.r
    no = str(r.randint(1, 140))
    if lang == "en":
        pcode = pc + str(r.randint(1, 19)) + " " + str(r.randint(1, 9)) + "".join(r.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
        a, b = no + " " + st, town + " " + pcode
        sep = ", "
    elif lang == "de":
        a, b = st + " " + no + r.choice(["", "", "a"]), pc + digits(r, 3) + " " + town
        sep = ", "
    elif lang == "fr":
        a, b = no + r.choice(["", "", " bis"]) + " " + st, pc + digits(r, 5 - len(pc)) + " " + town
        sep = ", "
    elif lang == "es":
        a = st + " " + no + r.choice(["", ", 3º B", ", 1º izda.", ", bajo"])
        b = pc + digits(r, 2) + " " + town
        sep = ", "
    elif lang == "it":
        a, b = st + " " + no + r.choice(["", "", "/B"]), pc + digits(r, 2) + " " + town
        sep = ", "
    else:
        a, b = st + " " + no + r.choice(["", "", "-II", " A"]), pc + digits(r, 2) + " " + "".join(r.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2)) + " " + town
        sep = r.choice(["  ", ", "])
    if multi:
        return [a, b]
    return [a + sep + b]


# ----------------------------------------------------------------------------------------------- record numbers
SITES = {"en": ["RX1", "GH", "LGI", "RVN", "QEH", "SAH"], "de": ["KNS", "UKS", "SVK", "KTH"], "fr": ["LYS", "HSR", "CHV", "APH"],
         "es": ["HUN", "HGL", "HCV", "CSR"], "it": ["OSG", "PSO", "OMV", "PON"], "nl": ["RVL", "MZ", "UMCO", "GN"]}
RID_LABELS = {
    "mrn": {"en": ["MRN", "MRN", "Hospital No", "Hosp No.", "Unit No", "Patient ID", "Hosp. no", "Pt ID", "Case Note No", "K No.", "Hospital Number"],
            "de": ["Patientennummer", "Pat.-Nr.", "PID", "Patienten-ID", "PatNr", "Pat-ID", "Patientennr."],
            "fr": ["IPP", "IPP", "NIP", "N° patient", "Identifiant patient", "N° de dossier", "Dossier n°"],
            "es": ["NHC", "NHC", "Nº historia", "Nº de historia clínica", "H.C.", "Historia", "Nº HC"],
            "it": ["Cod. paziente", "Codice paziente", "ID paziente", "Cartella clinica", "N. cartella", "Cod. paz."],
            "nl": ["Patiëntnummer", "Pat.nr.", "Ziekenhuisnummer", "ZH-nr", "Patiënt-ID", "Dossiernr."]},
    "case": {"en": ["Encounter No", "Visit No", "Admission No", "Spell No", "Episode No", "Case No", "CSN", "Enc#", "Visit#"],
             "de": ["Fallnummer", "Fall-Nr.", "Fallnr.", "Aufnahmenummer", "Aufn.-Nr.", "Fall-ID", "Behandlungsfall"],
             "fr": ["N° séjour", "NDA", "N° de séjour", "N° venue", "N° d'admission", "NDA séjour"],
             "es": ["Nº episodio", "Episodio", "Nº ingreso", "Nº de episodio", "Ep."],
             "it": ["N. ricovero", "Nosologico", "N. nosologico", "Nr. ricovero", "N. accesso", "N. pratica"],
             "nl": ["Opnamenummer", "Opname-nr.", "Opnamenr", "Episodenummer", "Bezoeknummer", "Contactnr."]},
    "acc": {"en": ["Accession No", "ACC", "Acc#", "Lab No", "Specimen No", "Order No", "Request No"],
            "de": ["Auftragsnummer", "Auftrags-Nr.", "Labornummer", "Eingangsnr.", "Proben-ID", "Befund-Nr."],
            "fr": ["N° de demande", "N° d'examen", "N° prélèvement", "N° dossier labo", "N° accession"],
            "es": ["Nº de petición", "Nº muestra", "Nº de estudio", "Nº solicitud", "Accession"],
            "it": ["N. richiesta", "N. accettazione", "N. campione", "ID esame", "N. referto"],
            "nl": ["Aanvraagnummer", "Labnummer", "Monsternummer", "Onderzoeksnummer", "Accessienummer"]},
}
MISSPELL = {"en": ["MNR", "Hosptial No", "Hopsital no.", "Paitent ID", "M.R.N.", "Hosp Nr"],
            "de": ["Fallnumer", "Patientennumer", "Fal-Nr.", "Pat.Nr", "Fallnr"],
            "fr": ["N° sejour", "Num dossier", "IPP n°", "No dossier", "N° sejours"],
            "es": ["N.H.C", "Nº epsiodio", "Hª clínica", "NHC.", "N historia"],
            "it": ["Nosologio", "Cod paz", "N.ricovero", "cart. clin."],
            "nl": ["Patientnummer", "Opnamennummer", "pat nr", "ziekenhuisnr"]}


def rid_value(d, role, lang=None):
    lang = lang or d.lang
    r = d.r
    site = r.choice(SITES[lang])
    yy = r.choice(["23", "24", "25"])
    if role == "mrn":
        base = {"en": ["d7", "d7", "d6", "K6", "site-7", "site/6", "d7L", "z7", "d5", "d8"],
                "de": ["d8", "d10", "P7", "d7", "site-7", "d9", "z8"],
                "fr": ["d9", "d10", "d8", "D6", "site-7", "dot", "z7"],
                "es": ["d6", "d7", "d8", "site-6", "z7", "d5"],
                "it": ["d7", "d8", "P6", "site/6", "yy/5", "z7"],
                "nl": ["d7", "d7", "Z6", "d8", "site-6", "z7", "d6"]}[lang]
    elif role == "case":
        base = ["yyyy6", "yy7", "A-yy-6", "d9", "d10", "E8", "V9", "F/yy/5", "yy-6"]
    else:
        base = ["RAD", "CT", "L-", "H", "B.", "yyA6", "E/", "d10", "MR", "US8", "bar"]
    f = r.choice(base)
    if f[0] == "d" and f[1:].isdigit():
        return nz(r, int(f[1:]))
    if f[0] == "z":
        n = int(f[1:])
        return "00" + nz(r, n - 2)
    if f in ("K6", "P7", "P6", "D6", "Z6", "E8", "V9"):
        return f[0] + digits(r, int(f[1:]))
    if f == "site-7":
        return site + "-" + digits(r, 7)
    if f == "site-6":
        return site + "-" + digits(r, 6)
    if f == "site/6":
        return site + "/" + digits(r, 6)
    if f == "d7L":
        return nz(r, 7) + r.choice("ABCDEFGHJKLMNPRSTVWXY")
    if f == "dot":
        return "%s.%s.%s" % (nz(r, 2), digits(r, 3), digits(r, 3))
    if f == "yy/5":
        return "20" + yy + "/" + digits(r, 5)
    if f == "yyyy6":
        return "20" + yy + digits(r, 6)
    if f == "yy7":
        return yy + digits(r, 7)
    if f == "A-yy-6":
        return r.choice("ASF") + yy + "-" + digits(r, 6)
    if f == "F/yy/5":
        return r.choice("FRE") + yy + "/" + digits(r, 5)
    if f == "yy-6":
        return yy + "-" + digits(r, 6)
    if f == "RAD":
        return "RAD" + yy + "-" + digits(r, 7)
    if f == "CT":
        return r.choice(["CT", "MR", "XR", "US"]) + yy + "%02d%02d" % (r.randint(1, 12), r.randint(1, 28)) + digits(r, 4)
    if f == "L-":
        return "L" + yy + "%02d%02d" % (r.randint(1, 12), r.randint(1, 28)) + "-" + digits(r, 4)
    if f == "H":
        return r.choice("HBCE") + yy + "-" + digits(r, 5)
    if f == "B.":
        return r.choice("BHP") + yy + "." + digits(r, 5)
    if f == "yyA6":
        return yy + r.choice("ABCKLM") + digits(r, 6)
    if f == "E/":
        return r.choice("EHZ") + yy + "/" + digits(r, 4)
    if f == "MR":
        return r.choice(["MR", "CT", "DX"]) + "-" + yy + "-" + digits(r, 6)
    if f == "US8":
        return r.choice(["US", "NM", "MG"]) + digits(r, 8)
    return "".join(r.choice(UPNO + DIG) for _ in range(2)) + digits(r, 8)


def rid_label(d, role):
    r = d.r
    x = r.random()
    if x < 0.10:
        other = r.choice([l for l in LANGS if l != d.lang])
        return r.choice(RID_LABELS[role][other])
    if x < 0.17 and role != "acc":
        return r.choice(MISSPELL[d.lang])
    return r.choice(RID_LABELS[role][d.lang])


def rid(d, role="mrn"):
    return rid_label(d, role), rid_value(d, role)


def natdoc(d, P):
    """national identity number filed as ID_DOC (NI, Personalausweis, NIR/INS, DNI/NIE, codice fiscale, BSN)"""
    r = d.r
    return {"en": lambda: (r.choice(["NI No", "NINO", "Nat. Ins. No"]), ni_number(r)) if r.random() < 0.7 else ("SSN", ssn(r)),
            "de": lambda: (r.choice(["Personalausweis-Nr.", "Ausweis-Nr.", "PA-Nr."]), perso(r)),
            "fr": lambda: (r.choice(["NIR", "INS (NIR)", "N° sécurité sociale", "N° SS"]), nir(r, 1 if P["sex"] == "M" else 2, P["dob"])),
            "es": lambda: (r.choice(["DNI", "DNI/NIE", "NIE"]), dni(r) if r.random() < 0.7 else nie(r)),
            "it": lambda: (r.choice(["C.F.", "Codice fiscale", "Cod. fiscale"]), codice_fiscale(r, P["first"], P["last"], P["sex"], P["dob"])),
            "nl": lambda: (r.choice(["BSN", "Burgerservicenummer", "BSN-nr."]), bsn(r, r.random() < 0.85))}[d.lang]()


def natid(d, P):
    """national health / record numbers filed as RECORD_ID (NHS, CHI, CIP/SIP/NUHSA)"""
    r = d.r
    if d.lang == "en":
        if r.random() < 0.25:
            return r.choice(["CHI", "CHI No", "CHI number"]), chi(r, P["dob"], r.random() < 0.85)
        return r.choice(["NHS No", "NHS No.", "NHS number", "NHS#", "NHS"]), nhs(r, r.random() < 0.85)
    if d.lang == "es":
        c, v = _cons(P["last"])
        c2, v2 = _cons(P["first"])
        pre = "".join((c + v + ["X", "X"])[:2]) + "".join((c2 + v2 + ["X", "X"])[:2])
        return r.choice([("CIP", pre + P["dob"].strftime("%y%m%d") + digits(r, 4)), ("SIP", nz(r, 8)),
                         ("NUHSA", "AN" + digits(r, 10)), ("CIP-SNS", "BBBB" + digits(r, 12))])
    return rid(d, "mrn")


def license_(d, lang=None):
    lang = lang or d.lang
    r = d.r
    return r.choice({
        "en": [("GMC", nz(r, 7)), ("GMC No", nz(r, 7)), ("NMC PIN", digits(r, 2) + r.choice(UPNO) + digits(r, 4) + r.choice("ACEKS")),
               ("HCPC", "PA" + digits(r, 5)), ("Staff No", nz(r, 6))],
        "de": [("LANR", nz(r, 9)), ("BSNR", nz(r, 9)), ("Pers.-Nr.", nz(r, 6)), ("Dienstnr.", nz(r, 5))],
        "fr": [("RPPS", "10" + digits(r, 9)), ("ADELI", nz(r, 9)), ("Matricule", nz(r, 6))],
        "es": [("Nº colegiado", r.choice(["28", "08", "46", "41"]) + "/" + digits(r, 5)), ("Col.", r.choice(["28", "08"]) + digits(r, 7)),
               ("Cód. empleado", nz(r, 6))],
        "it": [("Iscr. Albo n.", nz(r, 5)), ("Matricola", nz(r, 6)), ("OMCeO", r.choice(["MI", "RM", "TO", "NA"]) + "-" + nz(r, 5))],
        "nl": [("BIG", nz(r, 11)), ("BIG-nr.", nz(r, 11)), ("Pers.nr.", nz(r, 6))],
    }[lang])


def serial(d):
    r = d.r
    return r.choice([r.choice(UPNO) + r.choice(UPNO) + digits(r, 7), digits(r, 4) + "-" + digits(r, 5), "SN" + digits(r, 8),
                     r.choice(UPNO) + digits(r, 2) + r.choice(UPNO) + digits(r, 5),
                     "(01)0" + digits(r, 13) + "(21)" + "".join(r.choice(UPNO + DIG) for _ in range(8))])


def patient(d, old=0.3, lang=None):
    P = person(d, lang=lang)
    P["event"] = date_rand(d.r, 2024, 2025)
    if d.chance(old):
        P["dob"] = datetime.date(P["event"].year - d.r.randint(91, 99), d.r.randint(1, 12), d.r.randint(1, 28))
    else:
        P["dob"] = date_rand(d.r, 1936, 2004)
    e, b = P["event"], P["dob"]
    P["age"] = e.year - b.year - ((e.month, e.day) < (b.month, b.day))
    if P["age"] > 89:
        d.forbid.add(str(P["age"]))
    return P


SEXL = {"en": "MF", "de": "MW", "fr": "HF", "es": "VM", "it": "MF", "nl": "MV"}


def age_seg(d, age, form="bare", sex=None):
    if form == "sex":
        s = str(age) + SEXL[d.lang]["MF".index(sex or "M")]
    elif form == "word":
        s = str(age) + " " + d.L(en=["years", "yrs", "y"], de=["Jahre", "J."], fr="ans", es="años", it="anni", nl="jaar")
    elif form == "yo":
        s = d.L(en="%d-year-old", de="%d-jährige", fr="%d ans", es="%d años", it="%d anni", nl="%d-jarige") % age
    else:
        s = str(age)
    return [("AGE_OVER_89", s)] if age > 89 else [s]


def keepnum(d, lo, hi, fmt="%d", comma=False):
    v = d.num(lo, hi, fmt)
    if comma:
        v = v.replace(".", ",")
    return ("KEEP", v) if len(v) >= 2 else v


def dt(d, date):
    return ("DATE", fdate(d, date))


def dr(d):
    return d.L(en=["Dr ", "Dr. ", "Mr ", "Ms "], de=["Dr. ", "Dr. med. ", "OA ", ""], fr=["Dr ", "Pr ", ""], es=["Dr. ", "Dra. ", ""],
               it=["Dott. ", "Dr. ", "Dott.ssa "], nl=["dr. ", "Dr. ", ""])


def staff(d, form=None):
    return ("PERSON", pname(d, person(d), form or d.ch(["full", "F. Last", "last", "LAST, First", "full"])))


def tm(d, h=None, m=None):
    h = d.r.randint(0, 23) if h is None else h
    m = d.r.choice([0, 5, 10, 14, 20, 25, 30, 36, 40, 45, 50, 55]) if m is None else m
    if d.lang == "fr" and d.chance(0.5):
        return "%02dh%02d" % (h, m)
    return "%02d:%02d" % (h, m)


# ----------------------------------------------------------------------------------------------- hospital styles
def s_icu_flowsheet(d):
    P = patient(d, 0.35)
    _, mrn = rid(d, "mrn")
    ml = rid_label(d, "mrn")
    cl, case = rid(d, "case")
    d.t(d.L(en=["INTENSIVE CARE FLOWSHEET", "ICU OBSERVATION CHART", "Critical Care Chart 24h"],
            de=["INTENSIVKURVE", "ITS-Überwachungsbogen", "Intensivpflege-Kurve"],
            fr=["FEUILLE DE SURVEILLANCE RÉANIMATION", "Pancarte de réanimation"], es=["GRÁFICA DE UCI", "Hoja de enfermería UCI"],
            it=["SCHEDA DI MONITORAGGIO TI", "Grafica Terapia Intensiva"], nl=["IC-OBSERVATIELIJST", "Verpleegkundige IC-lijst"]))
    d.t(" - ")
    d.k(d.ch(WARDS[d.lang]))
    d.t("   " + d.L(en="Date", de="Datum", fr="Date", es="Fecha", it="Data", nl="Datum") + ": ")
    d.w(dt(d, P["event"]))
    d.t("\n")
    pairs = [(d.L(en=["Name", "Patient"], de=["Name", "Patient"], fr=["Nom", "Patient"], es=["Nombre", "Paciente"], it=["Nome", "Paziente"], nl=["Naam", "Patiënt"]),
              [("PERSON", pname(d, P, d.ch(["LAST, First", "LAST, FIRST", "full", "LAST First"])))]),
             (d.L(en="Bed", de="Bett", fr="Lit", es="Cama", it="Letto", nl="Bed"), [str(d.r.randint(1, 24))]),
             (ml, [("RECORD_ID", mrn)]),
             (d.L(en="DOB", de="Geb.", fr="Né(e) le", es="F. nac.", it="Nato/a il", nl="Geb.datum"), [dt(d, P["dob"]), " ("] + age_seg(d, P["age"], d.ch(["bare", "word", "sex"]), P["sex"]) + [")"]),
             (d.L(en="Weight", de="Gewicht", fr="Poids", es="Peso", it="Peso", nl="Gewicht"), [("KEEP", d.num(48, 130) + " kg")]),
             (cl, [("RECORD_ID", case)]),
             (d.L(en="Consultant", de="Oberarzt", fr="Médecin référent", es="Médico responsable", it="Medico referente", nl="Intensivist"), [dr(d), staff(d, "last")]),
             (d.L(en="Diagnosis", de="Diagnose", fr="Diagnostic", es="Diagnóstico", it="Diagnosi", nl="Diagnose"), [("KEEP", d.ch(ICD))])]
    if d.chance(0.5):
        nl_, nv = natid(d, P)
        pairs.insert(4, (nl_, [("RECORD_ID", nv)]))
    kv(d, pairs, d.ch(["two", "two", "colon", "dots"]))
    d.t("\n")
    h0 = d.r.randint(0, 18)
    n = d.r.randint(4, 7)
    times = [("KEEP", tm(d, (h0 + i) % 24, 0)) for i in range(n)]
    lab = lambda **kw: d.L(**kw)
    comma = d.lang != "en" and d.chance(0.6)
    rows = [
        (lab(en="HR", de="HF", fr="FC", es="FC", it="FC", nl=["HF", "Pols"]), lambda: keepnum(d, 52, 135)),
        (lab(en="MAP", de="MAD", fr="PAM", es="PAM", it="PAM", nl="MAP"), lambda: keepnum(d, 55, 98)),
        ("SpO2", lambda: keepnum(d, 86, 100)),
        ("FiO2", lambda: ("KEEP", d.ch(["0.30", "0.35", "0.40", "0.45", "0.50", "0.60", "0.4", "0.5"]).replace(".", "," if comma else "."))),
        ("PEEP", lambda: keepnum(d, 10, 14)),
        (lab(en="RR", de="AF", fr="FR", es="FR", it="FR", nl="AH"), lambda: keepnum(d, 10, 32)),
        (lab(en="Temp", de="Temp.", fr="T°", es="Tª", it="TC", nl="Temp"), lambda: keepnum(d, 35.5, 39.4, "%.1f", comma)),
        ("RASS", lambda: ("KEEP", d.ch(["-4", "-3", "-2", "-1", "+1"]))),
        ("GCS", lambda: ("KEEP", d.ch(["3T", "6T", "8T", "9T", "10T", "11", "13", "14", "15"]))),
        (lab(en="UO ml", de="Urin ml", fr="Diurèse ml", es="Diuresis ml", it="Diuresi ml", nl="Diurese ml"), lambda: keepnum(d, 10, 140)),
    ]
    d.r.shuffle(rows)
    rows = rows[:d.r.randint(6, 10)]
    dn = DRUG_LOC.get(d.lang, {}).get("noradrenaline", "noradrenaline")
    rows.append((dn + " mcg/kg/min", lambda: ("KEEP", d.ch(["0.05", "0.08", "0.12", "0.15", "0.2"]).replace(".", "," if comma else "."))))
    trs = [[lab_] + [f() for _ in range(n)] for lab_, f in rows]
    table(d, [d.L(en="Time", de="Zeit", fr="Heure", es="Hora", it="Ora", nl="Tijd")] + times, trs, d.ch(["pad", "pad", "pipe", "tab"]), dash=False)
    d.t("\n")
    d.t(d.L(en="Ventilator SN", de="Beatmungsgerät SN", fr="Respirateur n° série", es="Respirador n.º serie", it="Ventilatore S/N", nl="Beademingstoestel SN") + ": ")
    d.p("DEVICE", serial(d))
    d.t("   " + d.L(en="Pump", de="Spritzenpumpe", fr="PSE", es="Bomba", it="Pompa", nl="Pomp") + " SN ")
    d.p("DEVICE", serial(d))
    d.t("\n" + d.L(en="Lactate", de="Laktat", fr="Lactates", es="Lactato", it="Lattati", nl="Lactaat") + " ")
    d.k(d.num(1, 6) + "," + d.num(0, 9) + " mmol/l" if comma else d.num(1, 6) + "." + d.num(0, 9) + " mmol/L")
    d.t("; ")
    d.k(drug(d, "propofol"))
    d.t("; ")
    d.k(drug(d, "fentanyl"))
    d.t("\n")
    for shift in d.L(en=[["Day RN", "Night RN"]], de=[["Frühdienst", "Nachtdienst"]], fr=[["IDE jour", "IDE nuit"]],
                     es=[["Enf. mañana", "Enf. noche"]], it=[["Inf. mattina", "Inf. notte"]], nl=[["Dagdienst", "Nachtdienst"]]):
        ll, lv = license_(d)
        d.t(shift + ": ")
        d.p("PERSON", pname(d, person(d), d.ch(["full", "F. Last", "LAST, First"])))
        if d.chance(0.6):
            d.t(" (" + ll + " ")
            d.p("LICENSE", lv)
            d.t(")")
        d.t("   ")
    d.t("\n" + d.ch(["Page 1/2", "p. 1", "1/1", "--"]) + " | ")
    d.p("RECORD_ID", mrn)
    d.t(" | ")
    d.p("PERSON", pname(d, P, "LAST F"))
    d.t(" | ")
    d.p("RECORD_ID", case)
    d.t("\n")


def s_ems_run_sheet(d):
    P = patient(d, 0.3)
    inc_l = d.L(en=["Incident No", "CAD No", "Incident #"], de=["Einsatznummer", "Einsatz-Nr.", "ELS-Nr."], fr=["N° intervention", "N° affaire SAMU"],
                es=["Nº incidente", "Nº de aviso 112"], it=["N. missione", "ID evento 118"], nl=["Ritnummer", "Meldingsnummer"])
    inc = d.ch(["INC-", "", "E", ""]) + P["event"].strftime("%y%m%d") + "-" + digits(d.r, 4) if d.chance(0.6) else nz(d.r, 10)
    cs = d.L(en=["Delta 21", "Alpha 07", "RRV 334"], de=["RTW 3/83-1", "NEF 2/82-1", "RTW Nord 1"], fr=["VSAV 2", "SMUR 1", "UMH 3"],
             es=["SVA 104", "SVB 22", "UVI 7"], it=["MSA 3", "MSB 12", "India 5"], nl=["ambulance 17-121", "A1 rit", "MMT 2"])
    d.t(d.L(en=["PATIENT CARE RECORD", "Ambulance Patient Report Form", "EMS RUN SHEET"], de=["EINSATZPROTOKOLL RETTUNGSDIENST", "DIVI-Notarztprotokoll"],
            fr=["FICHE BILAN SMUR", "Fiche d'intervention VSAV"], es=["INFORME DE ASISTENCIA EXTRAHOSPITALARIA", "Hoja de asistencia SVA"],
            it=["SCHEDA DI SOCCORSO 118", "Scheda paziente MSA"], nl=["AMBULANCE RITFORMULIER", "Ritverslag ambulancezorg"]) + "\n")
    mode = d.ch(["colon", "two", "dots", "pipe"])
    pairs = [(inc_l, [("OTHER_ID", inc)]),
             (d.L(en="Call sign", de="Funkrufname", fr="Indicatif", es="Indicativo", it="Sigla mezzo", nl="Roepnaam"), [cs]),
             (d.L(en="Vehicle reg", de="Kennzeichen", fr="Immatriculation", es="Matrícula", it="Targa", nl="Kenteken"), [("VEHICLE", plate(d.r, d.lang))]),
             (d.L(en="Date", de="Datum", fr="Date", es="Fecha", it="Data", nl="Datum"), [dt(d, P["event"])])]
    h = d.r.randint(0, 21)
    mm = d.r.randint(0, 30)
    tl = d.L(en=[["Call", "Mobile", "At scene", "Left scene", "At hospital"]], de=[["Alarm", "Ausgerückt", "Am Einsatzort", "Abfahrt", "Ankunft Klinik"]],
             fr=[["Appel", "Départ", "Sur place", "Départ lieux", "Arrivée hôpital"]], es=[["Aviso", "Salida", "Llegada", "Traslado", "Hospital"]],
             it=[["Chiamata", "Partenza", "Arrivo posto", "Partenza posto", "Arrivo PS"]], nl=[["Melding", "Vertrek", "Ter plaatse", "Vertrek plaats", "Aankomst ZH"]])
    times = []
    for i, lab in enumerate(tl):
        times += [lab + " ", ("KEEP", tm(d, (h + (mm + 9 * i) // 60) % 24, (mm + 9 * i) % 60))] + (["  "] if i < 4 else [])
    if mode == "pipe":
        for lab, segs in pairs:
            d.t("| " + lab + " | ")
            d.w(segs)
            d.t(" |\n")
    else:
        kv(d, pairs, mode)
    d.w(times)
    d.t("\n")
    crew = d.L(en="Crew", de="Besatzung", fr="Équipage", es="Dotación", it="Equipaggio", nl="Bemanning")
    d.t(crew + ": ")
    for i in range(d.r.randint(2, 3)):
        if i:
            d.t(d.ch([" / ", "; ", ", "]))
        d.w(staff(d, d.ch(["F. Last", "full", "LAST, First"])))
        ll, lv = license_(d)
        d.t(" (" + ll + " ")
        d.p("LICENSE", lv)
        d.t(")")
    d.t("\n")
    d.t(d.L(en="Pickup", de="Einsatzort", fr="Lieu d'intervention", es="Lugar", it="Luogo", nl="Ophaaladres") + ": ")
    d.w([("ADDRESS", a) for a in address(d)])
    d.t("\n")
    pp = [(d.L(en="Patient", de="Patient", fr="Victime", es="Paciente", it="Paziente", nl="Patiënt"), [("PERSON", pname(d, P, d.ch(["LAST, First", "full", "LAST First"])))]),
          (d.L(en="DOB", de="Geb.", fr="DDN", es="F. nac.", it="Data nascita", nl="Geb."), [dt(d, P["dob"])]),
          (d.L(en="Age", de="Alter", fr="Âge", es="Edad", it="Età", nl="Leeftijd"), age_seg(d, P["age"], d.ch(["bare", "sex", "word"]), P["sex"]))]
    if d.lang == "en":
        l, v = natid(d, P)
        pp.append((l, [("RECORD_ID", v)]))
    elif d.lang == "de":
        pp.append((d.ch(["Versichertennr.", "KV-Nr.", "Vers.-Nr."]), [("ACCOUNT", d.ch("ABCDEFGHKLMN") + nz(d.r, 9))]))
        pp.append(("Kasse", [d.ch(["AOK Bayern", "TK", "Barmer", "DAK-Gesundheit"])]))
    elif d.lang == "fr":
        pp.append((d.ch(["N° SS", "NIR", "N° sécu"]), [("ID_DOC", nir(d.r, 1 if P["sex"] == "M" else 2, P["dob"]))]))
    elif d.lang == "es":
        l, v = natid(d, P)
        pp.append((l, [("RECORD_ID", v)]))
    elif d.lang == "it":
        pp.append((d.ch(["C.F.", "Cod. fiscale", "Tessera sanitaria"]), [("ID_DOC", codice_fiscale(d.r, P["first"], P["last"], P["sex"], P["dob"]))]))
    else:
        pp.append(("BSN", [("ID_DOC", bsn(d.r, d.chance(0.85)))]))
    kv(d, pp, d.ch(["colon", "two"]))
    if d.chance(0.6):
        d.t(d.L(en=["Known to ", "Previous attendance at "], de=["Bekannt im ", "Voraufenthalt "], fr=["Connu(e) au ", "Déjà suivi(e) au "],
                es=["Conocido/a en ", "Antecedentes en "], it=["Già noto/a a ", "Precedente ricovero "], nl=["Bekend in ", "Eerder opgenomen in "]))
        d.t(d.ch(HOSPITALS[d.lang]) + d.ch([" (", ", ", " - "]))
        l, v = rid(d, "mrn")
        d.t(l + d.ch([" ", ": "]))
        d.p("RECORD_ID", v)
        if d.chance(0.5):
            d.t(d.ch([" / ", ", "]))
            d.p("RECORD_ID", rid_value(d, "case"))
        d.t(")\n" if d.chance(0.5) else "\n")
    if d.chance(0.4):
        d.t(d.L(en="RTC - patient driver of car ", de="VU - Pat. Fahrer PKW ", fr="AVP - conducteur du véhicule ", es="Accidente tráfico - conductor del turismo ",
                it="Incidente stradale - conducente auto targa ", nl="VKO - bestuurder auto kenteken "))
        d.p("VEHICLE", plate(d.r, d.lang))
        d.t("\n")
    d.t(d.L(en="Obs", de="Vitalwerte", fr="Bilan", es="Constantes", it="Parametri", nl="Vitale waarden") + " ")
    d.k(tm(d))
    d.t(": ")
    vit = [("KEEP", d.L(en="HR ", de="HF ", fr="FC ", es="FC ", it="FC ", nl="HF ") + d.num(50, 140)),
           ("KEEP", d.L(en="BP ", de="RR ", fr="TA ", es="TA ", it="PA ", nl="RR ") + d.num(85, 190) + "/" + d.num(45, 110)),
           ("KEEP", "SpO2 " + d.num(82, 100) + "%"), ("KEEP", "GCS " + d.ch(["15", "14", "13", "E3V4M6", "9"])),
           ("KEEP", d.L(en="BM ", de="BZ ", fr="Dextro ", es="Glucemia ", it="HGT ", nl="Glucose ") + d.num(3, 18) + d.ch([".2", ".8", ".5", ""])),
           ("KEEP", d.L(en="NEWS2 ", de="NEWS2 ", fr="NEWS2 ", es="NEWS2 ", it="NEWS2 ", nl="MEWS ") + d.num(1, 12))]
    for i, v in enumerate(vit):
        if i:
            d.t(", ")
        d.w(v)
    d.t("\n" + d.L(en="Drugs", de="Medikamente", fr="Thérapeutique", es="Medicación", it="Farmaci", nl="Medicatie") + ": ")
    d.k(drug(d, d.ch(["paracetamol", "morphine", "ondansetron", "fentanyl"])))
    d.t(" ")
    d.k(tm(d))
    d.t("; " + d.L(en="Triage", de="SK", fr="CCMU", es="Triaje", it="Codice", nl="Urgentie") + " ")
    d.k(d.L(en=["Amber", "Red", "Category 2", "Cat 1"], de=["SK II", "SK I", "MTS orange"], fr=["CCMU 3", "CCMU 2", "P1"], es=["MTS amarillo", "Nivel II"],
            it=["codice giallo", "codice rosso"], nl=["A1", "A2", "U2"]))
    d.t("\n")
    d.t(d.L(en="Receiving", de="Zielklinik", fr="Destination", es="Hospital receptor", it="Destinazione", nl="Ontvangend ziekenhuis") + ": " + d.ch(HOSPITALS[d.lang]) + ", ")
    d.t(d.L(en="handover to ", de="Übergabe an ", fr="transmis à ", es="transferido a ", it="consegnato a ", nl="overgedragen aan "))
    d.t(dr(d))
    d.w(staff(d, "last"))
    if d.chance(0.7):
        l, v = rid(d, "mrn")
        d.t(" - " + l + d.ch([": ", " ", " "]))
        d.p("RECORD_ID", v)
    d.t("\n" + d.L(en="Signed", de="Unterschrift", fr="Signature", es="Firma", it="Firma", nl="Paraaf") + ": ")
    d.w(staff(d, d.ch(["F. Last", "LAST F"])))
    d.t("\n")


def s_transfer_form(d):
    P = patient(d, 0.3)
    d.t(d.L(en=["INTER-HOSPITAL TRANSFER FORM", "Patient Transfer Request"], de=["VERLEGUNGSBERICHT", "Verlegungsanfrage Intensiv"],
            fr=["FICHE DE TRANSFERT INTER-HOSPITALIER", "Demande de mutation"], es=["HOJA DE TRASLADO INTERHOSPITALARIO", "Solicitud de traslado"],
            it=["SCHEDA DI TRASFERIMENTO", "Richiesta trasferimento interospedaliero"], nl=["OVERPLAATSINGSFORMULIER", "Verzoek overplaatsing"]) + "\n")
    ref = d.ch(["TRF-", "T", "TR/"]) + P["event"].strftime("%y") + "-" + digits(d.r, 5)
    d.t(d.L(en="Transfer ref", de="Verlegungs-ID", fr="Réf. transfert", es="Ref. traslado", it="Rif. trasferimento", nl="Ref. overplaatsing") + ": ")
    d.p("OTHER_ID", ref)
    d.t("\n")
    l1, mrn1 = rid(d, "mrn")
    l2 = rid_label(d, "mrn")
    mrn2 = rid_value(d, "mrn")
    cl, case = rid(d, "case")
    s_from, s_to = d.r.sample(HOSPITALS[d.lang], 2)
    pairs = [(d.L(en="From", de="Von", fr="De", es="Origen", it="Da", nl="Van"), [s_from + ", "] + [("KEEP", d.ch(WARDS[d.lang]))]),
             (d.L(en="To", de="Nach", fr="Vers", es="Destino", it="A", nl="Naar"), [s_to]),
             (d.L(en="Patient", de="Patient/in", fr="Patient(e)", es="Paciente", it="Paziente", nl="Patiënt"), [("PERSON", pname(d, P))]),
             (d.L(en="DOB / Age", de="Geb. / Alter", fr="DDN / âge", es="F. nac. / edad", it="Nascita / età", nl="Geb. / leeftijd"), [dt(d, P["dob"]), " / "] + age_seg(d, P["age"], d.ch(["bare", "word", "sex"]), P["sex"])),
             (l1 + " (" + d.L(en="sending", de="abgebend", fr="émetteur", es="origen", it="inviante", nl="verwijzend") + ")", [("RECORD_ID", mrn1)]),
             (l2 + " (" + d.L(en="receiving", de="aufnehmend", fr="receveur", es="destino", it="ricevente", nl="ontvangend") + ")", [("RECORD_ID", mrn2)]),
             (cl, [("RECORD_ID", case)]),
             (d.L(en="Diagnosis", de="Diagnose", fr="Diagnostic", es="Diagnóstico", it="Diagnosi", nl="Diagnose"), [("KEEP", d.ch(ICD)), " / SNOMED ", ("KEEP", d.ch(SNOMED))])]
    xl, xv = natdoc(d, P)
    pairs.insert(4, (xl, [("ID_DOC", xv)]))
    rl, rv = license_(d)
    rp = person(d)
    pairs.append((d.L(en="Referring clinician", de="Verlegender Arzt", fr="Médecin demandeur", es="Médico remitente", it="Medico inviante", nl="Verwijzend arts"),
                   [dr(d), ("PERSON", pname(d, rp, "full")), ", " + rl + " ", ("LICENSE", rv), ", ", ("PHONE", phone(d.r, d.lang))]))
    pairs.append((d.L(en="Accepting", de="Übernehmender Arzt", fr="Médecin accueillant", es="Acepta", it="Accetta", nl="Accepterend arts"), [dr(d), staff(d, "full")]))
    if d.chance(0.5):
        pairs.append((d.L(en="Pacemaker", de="Schrittmacher", fr="Pacemaker", es="Marcapasos", it="Pacemaker", nl="Pacemaker") + " SN", [("DEVICE", serial(d))]))
    kin = person(d)
    pairs.append((d.L(en="Next of kin", de="Angehörige", fr="Personne à prévenir", es="Familiar", it="Familiare", nl="Contactpersoon"),
                   [("PERSON", pname(d, kin, "full")), ", ", ("PHONE", phone(d.r, d.lang))]))
    pairs.append((d.L(en="NOK address", de="Adresse", fr="Adresse", es="Domicilio", it="Indirizzo", nl="Adres"), [("ADDRESS", a) for a in address(d)]))
    if d.chance(0.5):
        pairs.append((d.L(en="E-mail", de="E-Mail", fr="Courriel", es="Correo", it="E-mail", nl="E-mail"), [("EMAIL", email(d.r, kin, d.lang))]))
    pairs.append((d.L(en="Transport", de="Transportmittel", fr="Vecteur", es="Transporte", it="Mezzo", nl="Vervoer"),
                  [d.L(en="critical care ambulance ", de="ITW ", fr="SMUR ", es="UVI móvil ", it="ambulanza ", nl="IC-ambulance "), ("VEHICLE", plate(d.r, d.lang))]))
    pairs.append((d.L(en="Date of transfer", de="Verlegungsdatum", fr="Date du transfert", es="Fecha traslado", it="Data trasferimento", nl="Datum"),
                  [dt(d, P["event"]), " ", ("KEEP", tm(d))]))
    kv(d, pairs, d.ch(["colon", "dots", "two"]))
    d.t(d.L(en="Current infusions: ", de="Laufende Perfusoren: ", fr="Perfusions en cours : ", es="Perfusiones: ", it="Infusioni in corso: ", nl="Lopende pompen: "))
    d.k(drug(d, "noradrenaline"))
    d.t(", ")
    d.k(drug(d, d.ch(["insulin", "heparin", "amiodarone"])))
    d.t(". " + d.L(en="Please quote ", de="Bitte ", fr="Merci de rappeler le ", es="Indicar ", it="Citare ", nl="Graag "))
    d.p("RECORD_ID", mrn1)
    d.t(d.L(en=" on all correspondence.\n", de=" bei Rückfragen angeben.\n", fr=" dans tout courrier.\n", es=" en toda comunicación.\n",
            it=" in ogni comunicazione.\n", nl=" vermelden bij correspondentie.\n"))


def s_theatre_list(d):
    date = date_rand(d.r, 2024, 2025)
    th = d.L(en=["Theatre 4", "Main Theatre 2", "Day Surgery 1"], de=["OP-Saal 3", "Saal 5", "Zentral-OP 2"], fr=["Bloc B salle 2", "Salle 6"],
             es=["Quirófano 3", "Q-5"], it=["Sala operatoria 2", "Blocco B sala 4"], nl=["OK 3", "OK-complex 5"])
    d.t(d.L(en="THEATRE LIST", de="OP-PLAN", fr="PROGRAMME OPÉRATOIRE", es="PARTE QUIRÚRGICO", it="LISTA OPERATORIA", nl="OK-PROGRAMMA") + " - " + th + " - ")
    d.w(dt(d, date))
    d.t("\n" + d.L(en="Consultant", de="Operateur", fr="Chirurgien", es="Cirujano", it="Primo operatore", nl="Operateur") + ": ")
    d.t(dr(d))
    d.w(staff(d, "full"))
    d.t("   " + d.L(en="Anaesthetist", de="Anästhesie", fr="Anesthésiste", es="Anestesista", it="Anestesista", nl="Anesthesioloog") + ": ")
    d.w(staff(d, d.ch(["full", "F. Last"])))
    d.t("\n")
    withlab = d.chance(0.6)
    hdr = [d.L(en="Time", de="Zeit", fr="Heure", es="Hora", it="Ora", nl="Tijd"),
           d.L(en="Patient", de="Patient", fr="Patient", es="Paciente", it="Paziente", nl="Patiënt"),
           (rid_label(d, "mrn") if withlab else d.ch(["#", "No", "ID", "Nr"])),
           d.L(en="DOB", de="Geb.", fr="DDN", es="F.nac", it="Nascita", nl="Geb."),
           d.L(en="Age", de="Alter", fr="Âge", es="Edad", it="Età", nl="Lft"),
           d.L(en="Procedure", de="Eingriff", fr="Intervention", es="Procedimiento", it="Intervento", nl="Ingreep"), "ASA"]
    procs = d.L(en=[["Lap cholecystectomy", "Right hemiarthroplasty", "TURP", "Cataract L eye", "Hernia repair", "ORIF wrist"]],
                de=[["Lap. Cholezystektomie", "Hüft-TEP rechts", "TUR-P", "Hernienplastik", "Osteosynthese Radius"]],
                fr=[["Cholécystectomie coelio", "PTH droite", "Cure de hernie", "Cataracte OG"]],
                es=[["Colecistectomía lap.", "Artroplastia cadera dcha.", "Hernioplastia", "RTU próstata"]],
                it=[["Colecistectomia VL", "Protesi anca dx", "Ernioplastica", "TURP"]],
                nl=[["Lap. cholecystectomie", "Heupprothese re", "Liesbreukcorrectie", "TURP"]])
    rows = []
    h = d.r.randint(7, 9)
    ps = []
    for i in range(d.r.randint(4, 7)):
        P = patient(d, 0.25)
        ps.append(P)
        rows.append([("KEEP", tm(d, h + i, d.ch([0, 30]))), ("PERSON", pname(d, P, d.ch(["LAST, First", "LAST First", "full"]))),
                     ("RECORD_ID", rid_value(d, "mrn") if d.chance(0.8) else nhs(d.r) if d.lang == "en" else rid_value(d, "case")),
                     dt(d, P["dob"]), age_seg(d, P["age"], d.ch(["bare", "bare", "sex"]), P["sex"]), d.ch(procs), ("KEEP", "ASA " + d.ch("1234"))])
    table(d, hdr, rows, d.ch(["pad", "pipe", "tab", "semi"]))
    if d.chance(0.6):
        i = d.r.randrange(len(rows))
        d.t(d.L(en="NB: ", de="Hinweis: ", fr="NB : ", es="Nota: ", it="NB: ", nl="NB: "))
        d.p("RECORD_ID", rows[i][2][1])
        d.t(d.L(en=" - latex allergy, list last.", de=" - Latexallergie, ans Ende.", fr=" - allergie latex, en dernier.",
                es=" - alergia al látex, al final.", it=" - allergia lattice, per ultimo.", nl=" - latexallergie, als laatste."))
        d.t("\n")
    d.t(d.L(en="Scrub: ", de="Instrumentierend: ", fr="IBODE : ", es="Instrumentista: ", it="Strumentista: ", nl="Instrumenterende: "))
    d.w(staff(d, d.ch(["full", "last"])))
    d.t("\n")


def s_wristband_label(d):
    P = patient(d, 0.35)
    mrn = rid_value(d, "mrn")
    name1 = pname(d, P, d.ch(["LAST, First", "LAST, FIRST", "LAST First"]))
    d.t(d.ch(["[WRISTBAND]", "--- wristband ---", "== ID BAND ==", "<band>"]) + "\n")
    d.p("PERSON", name1)
    d.t("\n")
    d.w([dt(d, P["dob"]), "  "] + age_seg(d, P["age"], "sex", P["sex"]) + ["\n"])
    d.p("RECORD_ID", mrn)
    d.t("\n")
    if d.lang in ("en", "es") and d.chance(0.8):
        l, v = natid(d, P)
        d.t(l + " ")
        d.p("RECORD_ID", v)
        d.t("\n")
    d.t(d.ch(["|||| ", "||| ", "▌▌▌ "]) + "*")
    d.p("RECORD_ID", mrn)
    d.t("*" + d.ch([" ||||", " |||", " ▌▌▌"]) + "\n")
    d.k(d.L(en=["ALLERGY: PENICILLIN", "NKDA"], de=["ALLERGIE: PENICILLIN", "keine Allergien"], fr=["ALLERGIE : PÉNICILLINE", "Pas d'allergie"],
            es=["ALERGIA: PENICILINA", "NAMC"], it=["ALLERGIA: PENICILLINA", "Nessuna allergia"], nl=["ALLERGIE: PENICILLINE", "Geen allergieën"]))
    d.t("\n\n")
    # specimen labels
    for i in range(d.r.randint(1, 3)):
        acc = rid_value(d, "acc")
        d.t(d.ch(["[SPECIMEN]", "[label]", "--- tube ---", "[ETIQUETTE]" if d.lang == "fr" else "[TUBE]"]) + "\n")
        d.p("PERSON", pname(d, P, d.ch(["LAST F", "LAST First"])))
        d.t("  ")
        d.p("DATE", fdate(d, P["dob"], d.ch(["%d.%m.%y", "%d/%m/%y", "%d%m%Y"]) if d.lang != "en" else d.ch(["%d/%m/%y", "%d%m%Y"])))
        d.t("  ")
        d.p("RECORD_ID", mrn)
        d.t("\n")
        d.p("RECORD_ID", acc)
        d.t("  " + d.ch(["EDTA", "SST", "Citrate", "Li-Hep", "Fluoride"]) + "  ")
        d.k(tm(d))
        d.t("\n")
        if d.chance(0.5):
            d.t(d.ch(["*", ">"]))
            d.p("RECORD_ID", acc)
            d.t(d.ch(["*", "<"]) + "\n")
        if d.chance(0.4):
            d.t(d.L(en="Taken by ", de="Abnahme: ", fr="Prélevé par ", es="Extraído por ", it="Prelievo: ", nl="Afname: "))
            d.w(staff(d, d.ch(["F. Last", "LAST F", "last"])))
            d.t("\n")
        d.t("\n")
    # addressograph sticker
    d.t(d.ch(["[STICKER]", "[Addressograph]", "[Etikett]", "[Patientenaufkleber]" if d.lang == "de" else "[étiquette patient]" if d.lang == "fr" else "[PEGATINA]"]) + "\n")
    d.p("PERSON", pname(d, P, "full"))
    d.t(d.ch(["   ", "\n"]))
    d.w([dt(d, P["dob"])])
    d.t("\n")
    d.w([("ADDRESS", a) for a in address(d)])
    d.t("\n")
    d.p("RECORD_ID", mrn)
    d.t(" / ")
    d.p("RECORD_ID", rid_value(d, "case"))
    d.t("   " + d.L(en="Cons", de="OA", fr="Dr", es="Dr.", it="Dr.", nl="Beh.") + " ")
    d.w(staff(d, "LAST F"))
    d.t("\n")


def s_pager_message(d):
    n = d.r.randint(3, 6)
    d.t(d.L(en=["Bleep log", "Pager messages - ", "PAGER"], de=["Piepser-Protokoll", "Funkmeldeempfänger"], fr=["Journal des bips", "Messages bip"],
            es=["Mensajes busca", "Registro buscapersonas"], it=["Messaggi cercapersone", "Log cercapersone"], nl=["Piepermeldingen", "Semafoon log"]))
    d.t(" " + d.ch(WARDS[d.lang]) + "\n")
    for i in range(n):
        P = patient(d, 0.3)
        d.t("[")
        d.k(tm(d))
        d.t("] " + d.L(en="to", de="an", fr="à", es="a", it="a", nl="aan") + " " + str(d.r.randint(1000, 8999)) + ": ")
        form = d.r.randint(0, 5)
        nm = ("PERSON", pname(d, P, d.ch(["full", "LAST F", "last", "F. Last"])))
        mrn = ("RECORD_ID", rid_value(d, "mrn"))
        lab = d.ch(["", "", "#", rid_label(d, "mrn") + " ", "pt ", "MRN:", "MRN#"])
        val = ("KEEP", d.ch(["K+ 6.1", "Hb 68 g/L", "Na 124", "lactate 4.2", "trop 812 ng/L", "CRP 245", "glucose 2.1", "INR 5.8"]))
        if d.lang != "en":
            val = ("KEEP", d.ch(["K+ 6,1", "Hb 6,8 g/dl", "Na 124", "Laktat 4,2" if d.lang == "de" else "lact 4,2", "CRP 245", "INR 5,8"]))
        please = d.L(en=["pls review", "please see", "can u review", "urgent:"], de=["bitte ansehen", "bitte kommen", "dringend:"],
                     fr=["merci de passer voir", "svp voir", "urgent :"], es=["por favor valorar", "urgente:", "ver a"],
                     it=["per favore vedere", "urgente:", "valutare"], nl=["graag beoordelen", "spoed:", "kun je kijken bij"])
        bed = d.L(en="bed ", de="Bett ", fr="lit ", es="cama ", it="letto ", nl="bed ") + str(d.r.randint(1, 30))
        if form == 0:
            d.w([please + " ", nm, " " + bed + ", ", lab, mrn, ", ", val])
        elif form == 1:
            d.w([nm, " (", mrn, ") ", bed, " - ", val, " - " + please])
        elif form == 2:
            d.w([mrn, "/", nm, ": ", val, ", ", please])
        elif form == 3:
            d.w([please + " " + bed + " ", nm] + ([" "] + age_seg(d, P["age"], "sex", P["sex"]) if P["age"] > 89 else []) + [" ", lab, mrn, " NEWS2 ", ("KEEP", d.num(5, 12))])
        elif form == 4:
            d.w([bed + " ", mrn, " ", val, " ", please])
        else:
            d.w(["re ", nm, d.L(en=" DOB ", de=" geb. ", fr=" né(e) le ", es=" nac. ", it=" nato/a ", nl=" geb. "), dt(d, P["dob"]), " ", lab, mrn, " - ", val])
        d.t(" " + d.L(en="call ext ", de="Rückruf ", fr="rappeler poste ", es="llamar ext. ", it="chiamare int. ", nl="bel toestel ") + str(d.r.randint(2000, 7999)) + " ")
        d.w(staff(d, d.ch(["first", "F. Last", "last"]) if False else d.ch(["F. Last", "last", "full"])))
        d.t(d.ch([" (FY1)", " (SHO)", " (reg)", "", " (PJ)" if d.lang == "de" else " (int.)"]) + "\n")


def s_discharge_checklist(d):
    P = patient(d, 0.3)
    ml, mrn = rid(d, "mrn")
    cl, case = rid(d, "case")
    d.t(d.L(en="DISCHARGE CHECKLIST", de="ENTLASSCHECKLISTE", fr="CHECK-LIST DE SORTIE", es="LISTA DE VERIFICACIÓN AL ALTA",
            it="CHECKLIST DIMISSIONE", nl="ONTSLAGCHECKLIST") + "\n")
    kv(d, [(d.L(en="Patient", de="Patient", fr="Patient", es="Paciente", it="Paziente", nl="Patiënt"), [("PERSON", pname(d, P))]),
           (ml, [("RECORD_ID", mrn)]), (cl, [("RECORD_ID", case)]), natdoc_pair(d, P),
           (d.L(en="DOB", de="Geb.-Datum", fr="Date de naissance", es="Fecha de nacimiento", it="Data di nascita", nl="Geboortedatum"), [dt(d, P["dob"])]),
           (d.L(en="Discharge date", de="Entlassdatum", fr="Date de sortie", es="Fecha de alta", it="Data dimissione", nl="Ontslagdatum"), [dt(d, P["event"])]),
           (d.L(en="Ward", de="Station", fr="Service", es="Unidad", it="Reparto", nl="Afdeling"), [("KEEP", d.ch(WARDS[d.lang]))])],
       d.ch(["colon", "two", "eq"]))
    items = d.L(en=[["Wristband removed", "TTOs dispensed", "Cannula removed", "Discharge letter sent to GP", "Transport booked", "Follow-up booked"]],
                de=[["Armband entfernt", "Entlassmedikation mitgegeben", "Braunüle entfernt", "Arztbrief an Hausarzt", "Transport bestellt", "Wiedervorstellung vereinbart"]],
                fr=[["Bracelet retiré", "Ordonnance de sortie remise", "Cathéter retiré", "Courrier au médecin traitant", "Transport commandé", "RDV de suivi"]],
                es=[["Pulsera retirada", "Medicación entregada", "Vía retirada", "Informe al médico de cabecera", "Ambulancia solicitada", "Cita de revisión"]],
                it=[["Braccialetto rimosso", "Terapia consegnata", "Agocannula rimossa", "Lettera al MMG", "Trasporto prenotato", "Controllo prenotato"]],
                nl=[["Polsbandje verwijderd", "Ontslagmedicatie mee", "Infuus verwijderd", "Brief naar huisarts", "Vervoer geregeld", "Controle afspraak"]])
    for it in items:
        d.t(d.ch(["[x] ", "[ ] ", "☑ ", "☐ ", "(x) "]) + it)
        if "GP" in it or "Haus" in it or "traitant" in it or "cabecera" in it or "MMG" in it or "huisarts" in it:
            gp = person(d)
            d.t(" - ")
            d.t(dr(d))
            d.p("PERSON", pname(d, gp, d.ch(["full", "F. Last"])))
            d.t(", ")
            d.p("ADDRESS", address(d)[0])
            d.t(", " + d.L(en="tel ", de="Tel. ", fr="tél. ", es="tel. ", it="tel. ", nl="tel. "))
            d.p("PHONE", phone(d.r, d.lang))
        if it.startswith(("Follow", "Wieder", "RDV", "Cita", "Controllo", "Controle")):
            d.t(" - ")
            d.p("DATE", fdate(d, P["event"] + datetime.timedelta(days=d.r.randint(7, 60))))
            d.t(", ref ")
            d.p("OTHER_ID", d.ch(["APT", "RDV", "CIT", "A"]) + digits(d.r, 7))
        d.t("\n")
    d.t(d.L(en="Meds on discharge: ", de="Entlassmedikation: ", fr="Traitement de sortie : ", es="Tratamiento al alta: ", it="Terapia alla dimissione: ", nl="Ontslagmedicatie: "))
    for i in range(d.r.randint(2, 4)):
        if i:
            d.t(", ")
        d.k(drug(d, d.ch(["furosemide", "paracetamol", "amiodarone", "heparin"])))
    d.t("\nATC ")
    d.k(d.ch(ATC))
    d.t("\n" + d.L(en="Checked by", de="Geprüft", fr="Vérifié par", es="Revisado por", it="Verificato da", nl="Gecontroleerd door") + ": ")
    d.w(staff(d))
    d.t(" / ")
    d.p("RECORD_ID", mrn)
    d.t("\n")


def s_dialysis_run(d):
    P = patient(d, 0.3)
    ml, mrn = rid(d, "mrn")
    d.t(d.L(en="HAEMODIALYSIS RUN SHEET", de="DIALYSEPROTOKOLL", fr="FICHE DE SÉANCE D'HÉMODIALYSE", es="HOJA DE SESIÓN DE HEMODIÁLISIS",
            it="SCHEDA SEDUTA DIALITICA", nl="DIALYSEVERSLAG") + "  ")
    d.w(dt(d, P["event"]))
    d.t("\n")
    dl = d.L(en=["Renal unit no", "Dialysis No"], de=["Dialyse-Nr.", "Dialysepat.-Nr."], fr=["N° dialyse", "N° patient dialyse"], es=["Nº diálisis"],
             it=["N. dialisi", "Cod. dializzato"], nl=["Dialysenummer"])
    pairs = [(d.L(en="Name", de="Name", fr="Nom", es="Nombre", it="Nome", nl="Naam"), [("PERSON", pname(d, P, d.ch(["LAST, First", "full"])))]),
             (ml, [("RECORD_ID", mrn)]), (dl, [("RECORD_ID", d.ch(["D", "HD", "R"]) + digits(d.r, 5))]),
             (d.L(en="Age", de="Alter", fr="Âge", es="Edad", it="Età", nl="Leeftijd"), age_seg(d, P["age"], d.ch(["bare", "word"]))),
             (d.L(en="Machine", de="Gerät", fr="Générateur", es="Monitor", it="Monitor", nl="Machine"), [d.ch(["5008S", "AK 98", "4008S"]) + " SN ", ("DEVICE", serial(d))]),
             (d.L(en="Dialyser", de="Dialysator", fr="Dialyseur", es="Dializador", it="Filtro", nl="Dialysator"), [d.ch(["FX80", "Xevonta Hi 18", "Polyflux 21H"])]),
             (d.L(en="Dry weight", de="Trockengewicht", fr="Poids sec", es="Peso seco", it="Peso secco", nl="Droog gewicht"), [("KEEP", d.num(50, 95) + " kg")]),
             (d.L(en="Access", de="Zugang", fr="Abord", es="Acceso", it="Accesso", nl="Toegang"), [d.L(en=["AVF L arm", "tunnelled line R IJ"], de=["Shunt li. UA", "Vorhofkatheter"], fr=["FAV gauche", "KT tunnelisé"], es=["FAV izq.", "catéter tunelizado"], it=["FAV sx", "CVC tunnellizzato"], nl=["shunt links", "getunnelde lijn"])])]
    kv(d, pairs, d.ch(["two", "colon", "dots"]))
    hdr = [d.L(en="Time", de="Zeit", fr="Heure", es="Hora", it="Ora", nl="Tijd"), d.L(en="BP", de="RR", fr="TA", es="TA", it="PA", nl="RR"),
           d.L(en="Pulse", de="Puls", fr="Pouls", es="Pulso", it="FC", nl="Pols"), "QB", d.L(en="VP", de="VD", fr="PV", es="PV", it="PV", nl="VD"), "TMP", "UF ml"]
    h = d.r.randint(6, 15)
    rows = []
    for i in range(d.r.randint(3, 6)):
        rows.append([("KEEP", tm(d, h + i, 0)), ("KEEP", d.num(90, 180) + "/" + d.num(50, 95)), keepnum(d, 55, 110), keepnum(d, 250, 400),
                     keepnum(d, 100, 250), keepnum(d, 20, 180), keepnum(d, 100, 2500)])
    table(d, hdr, rows)
    d.t(d.L(en="Heparin: ", de="Heparin: ", fr="Héparine : ", es="Heparina: ", it="Eparina: ", nl="Heparine: "))
    d.k(d.ch(["2000 IU", "5000 IU", "1000 IU/h", "500 IE/h"]))
    d.t("   Kt/V ")
    d.k(d.ch(["1.2", "1.35", "1.41", "1,28", "1,5"]))
    d.t("   " + d.L(en="Post weight ", de="Gewicht nach ", fr="Poids fin ", es="Peso post ", it="Peso post ", nl="Gewicht na "))
    d.k(d.num(50, 95) + "." + d.num(0, 9) + " kg")
    d.t("\n" + d.L(en="Nurse", de="Pflege", fr="IDE", es="Enfermera", it="Infermiere", nl="Verpleegkundige") + ": ")
    d.w(staff(d))
    ll, lv = license_(d)
    d.t(" " + ll + " ")
    d.p("LICENSE", lv)
    d.t("   " + d.L(en="Next session", de="Nächste Sitzung", fr="Prochaine séance", es="Próxima sesión", it="Prossima seduta", nl="Volgende sessie") + ": ")
    d.p("DATE", fdate(d, P["event"] + datetime.timedelta(days=d.ch([2, 3]))))
    d.t("\n")


def s_transfusion_form(d):
    P = patient(d, 0.3)
    ml, mrn = rid(d, "mrn")
    sl = d.L(en=["Sample No", "G&S sample", "Lab No"], de=["Proben-Nr.", "Kreuzprobe Nr."], fr=["N° échantillon RAI", "N° de demande"],
             es=["Nº muestra pruebas cruzadas", "Nº petición"], it=["N. provetta", "N. richiesta"], nl=["Monsternummer", "Kruisproef nr."])
    d.t(d.L(en="BLOOD TRANSFUSION RECORD", de="TRANSFUSIONSPROTOKOLL", fr="FICHE TRANSFUSIONNELLE", es="REGISTRO DE TRANSFUSIÓN",
            it="MODULO TRASFUSIONALE", nl="TRANSFUSIEFORMULIER") + "\n")
    pairs = [(d.L(en="Surname", de="Nachname", fr="Nom", es="Apellidos", it="Cognome", nl="Achternaam"), [("PERSON", P["last"].upper())]),
             (d.L(en="Forename", de="Vorname", fr="Prénom", es="Nombre", it="Nome", nl="Voornaam"), [("PERSON", P["first"])]),
             (d.L(en="DOB", de="Geb.", fr="DDN", es="F. nac.", it="Nato il", nl="Geb."), [dt(d, P["dob"])]),
             (ml, [("RECORD_ID", mrn)])]
    if d.lang in ("en", "es"):
        l, v = natid(d, P)
        pairs.append((l, [("RECORD_ID", v)]))
    sample = rid_value(d, "acc")
    pairs += [(sl, [("RECORD_ID", sample)]),
              (d.L(en="Blood group", de="Blutgruppe", fr="Groupe", es="Grupo", it="Gruppo", nl="Bloedgroep"), [("KEEP", d.ch(["O Rh+", "A Rh-", "O neg", "A pos", "B Rh+", "AB+"]))]),
              (d.L(en="Antibody screen", de="AK-Suchtest", fr="RAI", es="EAI", it="Ricerca Ab", nl="Antistoffen"), [d.ch(["neg", "negative", "négatif", "negativo"])])]
    kv(d, pairs, d.ch(["colon", "two", "dots"]))
    hdr = [d.L(en="Unit number", de="Konserven-Nr.", fr="N° de poche", es="Nº de unidad", it="N. unità", nl="Eenheidnummer"),
           d.L(en="Product", de="Präparat", fr="Produit", es="Producto", it="Emocomp.", nl="Product"),
           d.L(en="Start", de="Beginn", fr="Début", es="Inicio", it="Inizio", nl="Start"), "T", d.L(en="Pulse", de="Puls", fr="Pouls", es="Pulso", it="FC", nl="Pols"),
           d.L(en="Checked by", de="Geprüft", fr="Contrôle", es="Verificado", it="Controllo", nl="Controle")]
    rows = []
    for i in range(d.r.randint(1, 4)):
        din = d.ch(["G", "W", "A"]) + digits(d.r, 4) + " " + P["event"].strftime("%y") + " " + digits(d.r, 6)
        rows.append([("OTHER_ID", din), d.ch(["RBC", "EK", "CGR", "CH", "FFP", "PLT"]), ("KEEP", tm(d)), keepnum(d, 36.0, 38.4, "%.1f"), keepnum(d, 60, 115),
                     [staff(d, "F. Last"), " + ", staff(d, "F. Last")]])
    table(d, hdr, rows)
    d.t(d.L(en="Reaction: none. ", de="Reaktion: keine. ", fr="Pas de réaction. ", es="Sin reacción. ", it="Nessuna reazione. ", nl="Geen reactie. "))
    d.t(d.L(en="Hb pre ", de="Hb vor ", fr="Hb avant ", es="Hb pre ", it="Hb pre ", nl="Hb voor "))
    d.k(d.ch(["68 g/L", "7.1 g/dL", "6,9 g/dl", "4.3 mmol/L", "4,1 mmol/l"]))
    d.t(", " + d.L(en="post ", de="nach ", fr="après ", es="post ", it="post ", nl="na "))
    d.k(d.ch(["89 g/L", "9.0 g/dL", "8,8 g/dl", "5.4 mmol/L", "5,6 mmol/l"]))
    d.t("\n" + d.L(en="Prescriber", de="Anordnender Arzt", fr="Prescripteur", es="Médico prescriptor", it="Medico richiedente", nl="Voorschrijver") + ": ")
    d.t(dr(d))
    d.w(staff(d, "full"))
    ll, lv = license_(d)
    d.t(" (" + ll + " ")
    d.p("LICENSE", lv)
    d.t(")\n")


def s_anaesthesia_chart(d):
    P = patient(d, 0.25)
    ml, mrn = rid(d, "mrn")
    cl, case = rid(d, "case")
    d.t(d.L(en="ANAESTHETIC RECORD", de="NARKOSEPROTOKOLL", fr="FEUILLE D'ANESTHÉSIE", es="REGISTRO ANESTÉSICO", it="CARTELLA ANESTESIOLOGICA", nl="ANESTHESIEVERSLAG"))
    d.t(" | " + ml + " ")
    d.p("RECORD_ID", mrn)
    d.t(" | " + cl + " ")
    d.p("RECORD_ID", case)
    d.t("\n")
    anl, anv = license_(d)
    pairs = [(d.L(en="Patient", de="Patient", fr="Patient", es="Paciente", it="Paziente", nl="Patiënt"), [("PERSON", pname(d, P, d.ch(["LAST, First", "LAST First", "full"])))]),
             (d.L(en="DOB", de="Geb.", fr="DDN", es="F.nac.", it="Nato", nl="Geb."), [dt(d, P["dob"])]),
             (d.L(en="Age/Sex", de="Alter/Geschl.", fr="Âge/sexe", es="Edad/sexo", it="Età/sesso", nl="Lft/geslacht"), age_seg(d, P["age"], "sex", P["sex"])),
             ("ASA", [("KEEP", "ASA " + d.ch(["II", "III", "IV", "2", "3"]))]),
             (d.L(en="Weight", de="Gewicht", fr="Poids", es="Peso", it="Peso", nl="Gewicht"), [("KEEP", d.num(45, 120) + " kg")]),
             (d.L(en="Airway", de="Atemweg", fr="Voies aériennes", es="Vía aérea", it="Vie aeree", nl="Luchtweg"), [("KEEP", d.ch(["ETT 7.5", "ETT 8.0", "LMA 4", "iGel 4", "Tubus 7,5"]))]),
             (d.L(en="Anaesthetist", de="Anästhesist", fr="MAR", es="Anestesista", it="Anestesista", nl="Anesthesioloog"), [dr(d), staff(d, "full"), " (" + anl + " ", ("LICENSE", anv), ")"]),
             (d.L(en="Surgeon", de="Operateur", fr="Chirurgien", es="Cirujano", it="Chirurgo", nl="Chirurg"), [staff(d, d.ch(["last", "F. Last"]))]),
             (d.L(en="Date", de="Datum", fr="Date", es="Fecha", it="Data", nl="Datum"), [dt(d, P["event"])])]
    kv(d, pairs, d.ch(["two", "colon"]))
    d.t(d.L(en="Induction: ", de="Einleitung: ", fr="Induction : ", es="Inducción: ", it="Induzione: ", nl="Inductie: "))
    for i, nmx in enumerate(["propofol", "fentanyl", d.ch(["midazolam", "ondansetron"])]):
        if i:
            d.t(", ")
        d.k(drug(d, nmx))
    d.t(", rocuronium ")
    d.k(d.ch(["50 mg", "0.6 mg/kg", "40 mg"]))
    d.t("\n")
    h = d.r.randint(7, 16)
    m0 = d.ch([0, 10, 30])
    rows = []
    for i in range(d.r.randint(4, 8)):
        mm = m0 + 5 * i
        rows.append([("KEEP", tm(d, h + mm // 60, mm % 60)), keepnum(d, 50, 120), ("KEEP", d.num(80, 170) + "/" + d.num(40, 95)), keepnum(d, 92, 100),
                     keepnum(d, 28, 45), ("KEEP", d.ch(["0.8", "1.0", "1.1", "0.9"]) + " MAC")])
    table(d, [d.L(en="Time", de="Zeit", fr="Heure", es="Hora", it="Ora", nl="Tijd"), d.L(en="HR", de="HF", fr="FC", es="FC", it="FC", nl="HF"),
              d.L(en="NIBP", de="NIBP", fr="PNI", es="PANI", it="PAN", nl="NIBP"), "SpO2", "EtCO2", "Sevo"], rows)
    d.t(d.L(en="Infusion pump", de="Perfusor", fr="Pousse-seringue", es="Bomba", it="Pompa siringa", nl="Spuitpomp") + " ")
    d.p("DEVICE", serial(d))
    d.t("  EBL ")
    d.k(d.num(50, 900) + " ml")
    d.t("  " + d.L(en="Recovery", de="AWR", fr="SSPI", es="URPA", it="Recovery room", nl="Verkoever") + " ")
    d.k(tm(d))
    d.t("\n")


def s_bed_board(d):
    ward = d.ch(WARDS[d.lang])
    d.t(d.L(en="BED BOARD", de="BELEGUNGSÜBERSICHT", fr="TABLEAU DES LITS", es="PIZARRA DE CAMAS", it="TABELLONE LETTI", nl="BEDDENBORD") + " - ")
    d.k(ward)
    d.t(" - ")
    date = date_rand(d.r, 2024, 2025)
    d.w(dt(d, date))
    d.t(" ")
    d.k(tm(d))
    d.t("\n")
    labelled = d.chance(0.5)
    hdr = [d.L(en="Bed", de="Bett", fr="Lit", es="Cama", it="Letto", nl="Bed"), d.L(en="Name", de="Name", fr="Nom", es="Nombre", it="Nome", nl="Naam"),
           rid_label(d, "mrn") if labelled else "", d.L(en="Age", de="Alter", fr="Âge", es="Edad", it="Età", nl="Lft"),
           d.L(en="Cons", de="OA", fr="Méd.", es="Médico", it="Medico", nl="Arts"), d.L(en="Nurse", de="Pflege", fr="IDE", es="Enf.", it="Inf.", nl="VPK"),
           d.L(en="EDD", de="Entl.", fr="Sortie prév.", es="Alta prev.", it="Dimiss.", nl="Ontslag"), "NEWS2"]
    rows = []
    nurses = [person(d) for _ in range(2)]
    for i in range(d.r.randint(4, 8)):
        P = patient(d, 0.3)
        rows.append([str(d.r.randint(1, 4)) + d.ch("ABCD") if d.chance(0.5) else str(i + 1),
                     ("PERSON", pname(d, P, d.ch(["LAST F", "LAST, First", "F. Last", "last"]))),
                     ("RECORD_ID", rid_value(d, "mrn")), age_seg(d, P["age"], d.ch(["bare", "sex"]), P["sex"]),
                     staff(d, "last"), ("PERSON", d.ch(nurses)["first"]), dt(d, P["event"] + datetime.timedelta(days=d.r.randint(0, 9))), keepnum(d, 0, 14)])
    if not labelled:
        hdr = None if d.chance(0.4) else hdr
    table(d, hdr if hdr else None, rows, d.ch(["pad", "pipe", "tab"]))
    d.t(d.L(en="Nurse in charge: ", de="Schichtleitung: ", fr="IDE référente : ", es="Supervisora: ", it="Coordinatore: ", nl="Dienstdoende: "))
    d.w(staff(d, "full"))
    d.t("\n")


def s_lab_accession(d):
    P = patient(d, 0.3)
    ml, mrn = rid(d, "mrn")
    d.t(d.L(en=["LABORATORY REPORT", "Pathology / Radiology requests"], de=["LABORBEFUND", "Auftragsübersicht Labor/Radiologie"],
            fr=["COMPTE RENDU DE LABORATOIRE", "Demandes d'examens"], es=["INFORME DE LABORATORIO", "Peticiones"],
            it=["REFERTO DI LABORATORIO", "Richieste esami"], nl=["LABORATORIUMUITSLAG", "Aanvragen lab/radiologie"]) + "\n")
    kv(d, [(d.L(en="Patient", de="Patient", fr="Patient", es="Paciente", it="Paziente", nl="Patiënt"), [("PERSON", pname(d, P))]),
           (ml, [("RECORD_ID", mrn)]),
           (d.L(en="DOB", de="Geb.", fr="Né(e) le", es="F. nac.", it="Nato/a il", nl="Geb."), [dt(d, P["dob"])]),
           natdoc_pair(d, P),
           (d.L(en="Requested by", de="Einsender", fr="Prescripteur", es="Solicitante", it="Richiedente", nl="Aanvrager"), [dr(d), staff(d, d.ch(["full", "F. Last"]))])],
       d.ch(["colon", "two", "eq"]))
    al = rid_label(d, "acc")
    acc = rid_value(d, "acc")
    d.t(al + ": ")
    d.p("RECORD_ID", acc)
    d.t("   " + d.L(en="Received", de="Eingang", fr="Reçu le", es="Recibido", it="Accettato", nl="Ontvangen") + " ")
    d.w([dt(d, P["event"]), " ", ("KEEP", tm(d))])
    d.t("\n")
    tests = [("Hb", ["118 g/L", "9.8 g/dL", "12,1 g/dl", "7.4 mmol/L"], "718-7"), ("K", ["4.1 mmol/L", "5,9 mmol/l", "3.2 mmol/L"], "2823-3"),
             ("Na", ["139 mmol/L", "128 mmol/l", "144 mmol/L"], "2951-2"), ("Creat", ["88 µmol/L", "312 µmol/l", "1,4 mg/dl"], "2160-0"),
             ("Glucose", ["6.2 mmol/L", "11,4 mmol/l", "98 mg/dl"], "2345-7"), ("ALT", ["34 U/L", "212 U/l"], "1742-6"),
             ("Lactate", ["2.8 mmol/L", "1,1 mmol/l"], "2524-7"), ("CRP", ["45 mg/L", "3 mg/l", "188 mg/L"], "1988-5")]
    d.r.shuffle(tests)
    rows = [[t, ("KEEP", d.ch(v)), ("KEEP", lo)] for t, v, lo in tests[:d.r.randint(3, 6)]]
    table(d, [d.L(en="Test", de="Analyt", fr="Analyse", es="Prueba", it="Esame", nl="Bepaling"), d.L(en="Result", de="Ergebnis", fr="Résultat", es="Resultado", it="Risultato", nl="Uitslag"), "LOINC"], rows)
    # radiology / pathology accessions
    for kind in d.r.sample(["rad", "path", "micro"], d.r.randint(1, 3)):
        lab = {"rad": d.L(en=["Radiology ACC", "RIS accession", "Rad Acc No"], de=["RIS-Nr.", "Radiologie Auftrags-Nr."], fr=["N° examen radio", "N° RIS"],
                          es=["Nº estudio RX", "Nº RIS"], it=["N. esame RIS", "Acc. radiologia"], nl=["RIS-nummer", "Accessienr. radiologie"]),
               "path": d.L(en=["Histo No", "Pathology No"], de=["E-Nr. Pathologie", "Histo-Nr."], fr=["N° anapath", "N° ACP"], es=["Nº biopsia", "Nº AP"],
                           it=["N. istologico", "N. esame istologico"], nl=["PA-nummer", "T-nummer"]),
               "micro": d.L(en=["Micro lab no", "Culture No"], de=["Mikro-Nr.", "Kultur-Nr."], fr=["N° bactério"], es=["Nº microbiología"],
                            it=["N. microbiologia"], nl=["Micro-nummer"])}[kind]
        v = rid_value(d, "acc")
        form = d.r.randint(0, 3)
        if form == 0:
            d.t(lab + ": ")
            d.p("RECORD_ID", v)
        elif form == 1:
            d.t(lab + " (")
            d.p("RECORD_ID", v)
            d.t(")")
        elif form == 2:
            d.p("RECORD_ID", mrn)
            d.t("/")
            d.p("RECORD_ID", v)
            d.t(" " + lab.split()[0].lower())
        else:
            d.t("[" + lab + "] ")
            d.p("RECORD_ID", v)
        d.t(" - " + d.ch(["CT thorax", "MRI brain", "Rx thorax", "biopsy colon", "blood culture x2", "US abdomen"]) + "\n")
    d.t(d.L(en="Validated", de="Validiert", fr="Validé par", es="Validado", it="Validato", nl="Geautoriseerd") + ": ")
    d.w(staff(d, d.ch(["full", "F. Last"])))
    d.t(" ")
    d.w(dt(d, P["event"]))
    d.t("\n")


def natdoc_pair(d, P):
    l, v = natdoc(d, P)
    return (l, [("ID_DOC", v)])


def s_clinical_prose(d):
    P = patient(d, 0.35)
    mrn = rid_value(d, "mrn")
    case = rid_value(d, "case")
    acc = rid_value(d, "acc")
    nm = ("PERSON", pname(d, P, d.ch(["full", "F. Last", "full"])))
    sur = ("PERSON", P["last"])
    ol = d.r.choice([l for l in LANGS if l != d.lang])
    misl = d.ch(MISSPELL[d.lang])
    age = age_seg(d, P["age"], "yo")
    L = d.lang
    if L == "en":
        sents = [[nm, ", a "] + age + [" " + ("man" if P["sex"] == "M" else "woman") + ", was admitted on ", dt(d, P["event"]), " under his hospital number " if P["sex"] == "M" else " under her hospital number ", ("RECORD_ID", mrn), "."],
                 ["Previous notes are filed under ", ("RECORD_ID", mrn), " (old " + misl + " ", ("RECORD_ID", case), ")."],
                 ["CT was reported as ", ("RECORD_ID", acc), "; please quote this accession number."],
                 ["Mr " if P["sex"] == "M" else "Mrs ", sur, " / ", ("RECORD_ID", mrn), " - for review by ", dr(d), staff(d, "last"), "."],
                 ["The " + d.ch(RID_LABELS["mrn"][ol]) + " on the transfer letter (", ("RECORD_ID", case), ") belongs to the sending hospital."]]
    elif L == "de":
        sents = [["Die "] + age + [" " + ("Patient" if P["sex"] == "M" else "Patientin") + " ", nm, " wurde am ", dt(d, P["event"]), " unter der Fallnummer ", ("RECORD_ID", case), " aufgenommen."],
                 ["Vorbefunde liegen unter Pat.-Nr. ", ("RECORD_ID", mrn), " (" + misl + " ", ("RECORD_ID", case), ") vor."],
                 ["Das CT (Auftrag ", ("RECORD_ID", acc), ") wurde von ", dr(d), staff(d, "last"), " befundet."],
                 ["Rückfragen bitte unter ", ("RECORD_ID", mrn), " an die Station ", ("KEEP", d.ch(WARDS["de"])), "."],
                 ["Im Verlegungsbrief steht die " + d.ch(RID_LABELS["mrn"][ol]) + " ", ("RECORD_ID", mrn), ", die hier übernommen wurde."]]
    elif L == "fr":
        sents = [[("PERSON", ("M. " if False else "") + pname(d, P, "LAST First")), ", "] + age + [", hospitalisé(e) le ", dt(d, P["event"]), " (IPP ", ("RECORD_ID", mrn), ", séjour ", ("RECORD_ID", case), ")."],
                 ["Le dossier ", ("RECORD_ID", mrn), " contient les comptes rendus antérieurs (" + misl + " ", ("RECORD_ID", case), ")."],
                 ["Scanner enregistré sous le n° ", ("RECORD_ID", acc), ", interprété par le ", dr(d), staff(d, "last"), "."],
                 ["Merci de rappeler la référence ", ("RECORD_ID", mrn), " pour toute demande."],
                 ["Sur le courrier figure le " + d.ch(RID_LABELS["mrn"][ol]) + " ", ("RECORD_ID", case), " de l'hôpital d'origine."]]
    elif L == "es":
        sents = [["Paciente de "] + age + [", ", nm, ", ingresa el ", dt(d, P["event"]), " con NHC ", ("RECORD_ID", mrn), " y episodio ", ("RECORD_ID", case), "."],
                 ["Su historia ", ("RECORD_ID", mrn), " incluye informes previos (" + misl + " ", ("RECORD_ID", case), ")."],
                 ["TAC registrado con el número ", ("RECORD_ID", acc), ", informado por la ", dr(d), staff(d, "last"), "."],
                 ["Para consultas indicar la historia clínica ", ("RECORD_ID", mrn), "."],
                 ["En el informe de traslado aparece el " + d.ch(RID_LABELS["mrn"][ol]) + " ", ("RECORD_ID", case), "."]]
    elif L == "it":
        sents = [["Paziente di "] + age + [", ", nm, ", ricoverato/a il ", dt(d, P["event"]), " (cartella clinica ", ("RECORD_ID", mrn), ", nosologico ", ("RECORD_ID", case), ")."],
                 ["La cartella ", ("RECORD_ID", mrn), " contiene i referti precedenti (" + misl + " ", ("RECORD_ID", case), ")."],
                 ["TC registrata con n. ", ("RECORD_ID", acc), ", refertata dal ", dr(d), staff(d, "last"), "."],
                 ["Per informazioni citare il codice ", ("RECORD_ID", mrn), "."],
                 ["Nella lettera di trasferimento compare il " + d.ch(RID_LABELS["mrn"][ol]) + " ", ("RECORD_ID", case), "."]]
    else:
        sents = [[nm, ", "] + age + [", is op ", dt(d, P["event"]), " opgenomen onder patiëntnummer ", ("RECORD_ID", mrn), " (opname ", ("RECORD_ID", case), ")."],
                 ["Zijn dossier " if P["sex"] == "M" else "Haar dossier ", ("RECORD_ID", mrn), " bevat eerdere verslagen (" + misl + " ", ("RECORD_ID", case), ")."],
                 ["De CT staat onder aanvraagnummer ", ("RECORD_ID", acc), ", beoordeeld door ", dr(d), staff(d, "last"), "."],
                 ["Bij vragen graag ", ("RECORD_ID", mrn), " vermelden."],
                 ["Op de overplaatsingsbrief staat het " + d.ch(RID_LABELS["mrn"][ol]) + " ", ("RECORD_ID", case), "."]]
    d.r.shuffle(sents)
    for s in sents[:d.r.randint(3, 5)]:
        d.w(s)
        d.t(" ")
    d.t("\n" + d.L(en="Medication: ", de="Medikation: ", fr="Traitement : ", es="Tratamiento: ", it="Terapia: ", nl="Medicatie: "))
    d.k(drug(d))
    d.t(", ")
    d.k(drug(d))
    d.t(". ICD-10 ")
    d.k(d.ch(ICD))
    d.t(", SNOMED CT ")
    d.k(d.ch(SNOMED))
    d.t(".\n")


def addr_parts(d, lang=None):
    lang = lang or d.lang
    a, b = address(d, lang, multi=True)
    t = b.split(" ")
    if lang == "en":
        return a, " ".join(t[-2:]), " ".join(t[:-2])
    if lang == "nl":
        return a, " ".join(t[:2]), " ".join(t[2:])
    return a, t[0], " ".join(t[1:])


def s_hl7_message(d):
    P = patient(d, 0.3)
    site = d.ch(SITES[d.lang])
    mrn = rid_value(d, "mrn")
    visit = rid_value(d, "case")
    acc = rid_value(d, "acc")
    st, pc, town = addr_parts(d)
    ph = phone(d.r, d.lang)
    doc = person(d)
    ll, lv = license_(d)
    ts = P["event"].strftime("%Y%m%d") + "%02d%02d%02d" % (d.r.randint(0, 23), d.r.randint(0, 59), d.r.randint(0, 59))
    if d.chance(0.55):
        d.t("MSH|^~\\&|PAS|" + site + "|LIS|" + site + "|" + ts + "||" + d.ch(["ADT^A01", "ADT^A02", "ORM^O01", "ADT^A08"]) + "|MSG" + digits(d.r, 8) + "|P|2.5\r\n")
        d.t("PID|1||")
        d.p("RECORD_ID", mrn)
        d.t("^^^" + site + "^MR")
        if d.lang in ("en", "es") and d.chance(0.8):
            l, v = natid(d, P)
            d.t("~")
            d.p("RECORD_ID", v.replace(" ", ""))
            d.t("^^^" + l.split()[0].replace("#", "").upper() + "^NH")
        elif d.lang == "nl":
            d.t("~")
            d.p("ID_DOC", bsn(d.r))
            d.t("^^^NLMINBIZA^NNNLD")
        elif d.lang == "fr":
            d.t("~")
            d.p("ID_DOC", nir(d.r, 1 if P["sex"] == "M" else 2, P["dob"]).replace(" ", ""))
            d.t("^^^ASIP-SANTE-INS-NIR^INS")
        d.t("||")
        d.p("PERSON", strip_acc(P["last"]).upper())
        d.t("^")
        d.p("PERSON", strip_acc(P["first"]).upper())
        d.t("^^^" + ("MR" if P["sex"] == "M" else "MRS") + "||")
        d.p("DATE", P["dob"].strftime("%Y%m%d"))
        d.t("|" + ("M" if P["sex"] == "M" else "F") + "|||")
        d.p("ADDRESS", st)
        d.t("^^" + town + "^^")
        d.p("ADDRESS", pc)
        d.t("^" + CC[d.lang] + "||")
        d.p("PHONE", ph)
        d.t("\r\n")
        d.t("PV1|1|I|" + d.ch(["ICU", "W7B", "CARD", "NEPH", "SAU"]) + "^" + str(d.r.randint(1, 30)) + "^1||||")
        d.p("LICENSE", lv)
        d.t("^")
        d.p("PERSON", strip_acc(doc["last"]).upper())
        d.t("^")
        d.p("PERSON", strip_acc(doc["first"]).upper())
        d.t("|||" + d.ch(["MED", "SUR", "CAR"]) + "||||||||")
        d.p("RECORD_ID", visit)
        d.t("\r\n")
        if d.chance(0.7):
            d.t("ORC|NW|")
            d.p("RECORD_ID", acc)
            d.t("|||||||" + ts + "\r\n")
            d.t("OBR|1|")
            d.p("RECORD_ID", acc)
            code, nm_ = d.ch([("718-7", "Hemoglobin"), ("2160-0", "Creatinine"), ("2345-7", "Glucose"), ("24627-2", "CT Chest")])
            d.t("||")
            d.k(code)
            d.t("^" + nm_ + "^LN\r\n")
        if d.chance(0.5):
            d.t("DG1|1||")
            d.k(d.ch(ICD))
            d.t("^^I10\r\n")
    else:
        ind = d.ch([None, 2])
        idsys = d.ch(["urn:oid:1.2.250.1.71.4.2.7", "https://fhir." + site.lower() + ".example/mrn", "urn:oid:2.16.840.1.113883.2.4.6.3"])
        obj = {"resourceType": "Patient", "identifier": [{"type": "MR", "system": idsys, "value": ("RECORD_ID", mrn)}]}
        if d.lang in ("en", "es"):
            l, v = natid(d, P)
            obj["identifier"].append({"system": "national", "value": ("RECORD_ID", v)})
        obj.update({"name": [{"family": ("PERSON", P["last"]), "given": [("PERSON", P["first"])]}],
                    "birthDate": ("DATE", P["dob"].isoformat()), "gender": "male" if P["sex"] == "M" else "female",
                    "telecom": [{"system": "phone", "value": ("PHONE", ph)}],
                    "address": [{"line": [("ADDRESS", st)], "city": town, "postalCode": ("ADDRESS", pc)}],
                    "generalPractitioner": [{"display": ("PERSON", pname(d, doc, "full")), "identifier": ("LICENSE", lv)}],
                    "encounter": {"identifier": ("RECORD_ID", visit), "class": "IMP", "period": {"start": ("DATE", P["event"].isoformat())}}})
        emit_json(d, obj, ind, 0)
        d.t("\n")


def emit_json(d, obj, ind, lvl):
    """dict = object, list = array, str = unlabelled string, (KIND, v) = labelled string"""
    nl = "" if ind is None else "\n"
    pad = (lambda l: "") if ind is None else (lambda l: " " * (ind * l))
    if isinstance(obj, tuple):
        d.t('"')
        d.p(obj[0], obj[1])
        d.t('"')
    elif isinstance(obj, str):
        d.t(json.dumps(obj, ensure_ascii=False))
    elif isinstance(obj, dict):
        d.t("{" + nl)
        items = list(obj.items())
        for i, (k, v) in enumerate(items):
            d.t(pad(lvl + 1) + json.dumps(k) + ": ")
            emit_json(d, v, ind, lvl + 1)
            d.t(("," + ("" if ind else " ") if i < len(items) - 1 else "") + nl)
        d.t(pad(lvl) + "}")
    else:
        d.t("[")
        for i, v in enumerate(obj):
            emit_json(d, v, ind, lvl + 1)
            if i < len(obj) - 1:
                d.t(", ")
        d.t("]")


def s_hospital_invoice(d):
    P = patient(d, 0.25)
    ml, mrn = rid(d, "mrn")
    cl, case = rid(d, "case")
    inv = d.ch(["RE-", "INV-", "F", "FAC-", "FT/"]) + P["event"].strftime("%Y") + "-" + digits(d.r, 6)
    cur = "£" if d.lang == "en" else "EUR "
    d.t(d.ch(HOSPITALS[d.lang]) + " - " + d.L(en="PATIENT INVOICE", de="RECHNUNG", fr="FACTURE DE SÉJOUR", es="FACTURA", it="FATTURA PRESTAZIONI", nl="FACTUUR") + "\n")
    st = address(d)
    pairs = [(d.L(en="Invoice no", de="Rechnungsnr.", fr="N° facture", es="Nº factura", it="N. fattura", nl="Factuurnr."), [("OTHER_ID", inv)]),
             (d.L(en="Bill to", de="Rechnungsempfänger", fr="Débiteur", es="Titular", it="Intestatario", nl="Debiteur"), [("PERSON", pname(d, P, "full"))]),
             (d.L(en="Address", de="Anschrift", fr="Adresse", es="Dirección", it="Indirizzo", nl="Adres"), [("ADDRESS", st[0])]),
             (ml, [("RECORD_ID", mrn)]), (cl, [("RECORD_ID", case)])]
    if d.lang == "de":
        pairs.append((d.ch(["Versichertennummer", "Vers.-Nr."]), [("ACCOUNT", d.ch("ABCDEFGHKLMNPRS") + nz(d.r, 9))]))
    elif d.lang == "fr":
        pairs.append(("N° mutuelle", [("ACCOUNT", nz(d.r, 9))]))
    elif d.lang == "nl":
        pairs.append(("Verzekerdennummer", [("ACCOUNT", nz(d.r, 9))]))
    elif d.lang == "it":
        pairs.append(("Codice fiscale", [("ID_DOC", codice_fiscale(d.r, P["first"], P["last"], P["sex"], P["dob"]))]))
    elif d.lang == "es":
        pairs.append(("Nº póliza", [("ACCOUNT", "POL-" + digits(d.r, 8))]))
    else:
        pairs.append(("Policy no", [("ACCOUNT", d.ch(["BUPA", "AXA", "VIT"]) + digits(d.r, 8))]))
    pairs.append((d.L(en="Stay", de="Aufenthalt", fr="Séjour", es="Estancia", it="Ricovero", nl="Opname"),
                   [dt(d, P["event"]), " - ", ("DATE", fdate(d, P["event"] + datetime.timedelta(days=d.r.randint(1, 12))))]))
    kv(d, pairs, d.ch(["colon", "dots", "two"]))
    codes = d.L(en=[["HRG FD02H", "OPCS W37.1", "CPT 99223"]], de=[["DRG F62C", "OPS 5-820.00", "OPS 8-980.0"]], fr=[["GHM 05M09", "CCAM DZQM006"]],
                es=[["GRD 194", "CIE-10-PCS 0SR9"]], it=[["DRG 127", "ICD-9-CM 81.51"]], nl=[["DBC 13.0301", "ZA 190150"]])
    rows = []
    for c in codes:
        rows.append([("KEEP", c), ("KEEP", cur + d.num(100, 9999) + d.ch([".00", ",00", ".50"]))])
    rows.append([d.L(en="Total", de="Summe", fr="Total", es="Total", it="Totale", nl="Totaal"), ("KEEP", cur + d.num(2000, 30000) + d.ch([".00", ",00"]))])
    table(d, None, rows, d.ch(["pad", "pipe"]))
    d.t(d.L(en="Pay to", de="Zahlbar an", fr="À régler sur", es="Ingresar en", it="Bonifico su", nl="Over te maken naar") + " IBAN ")
    d.p("ACCOUNT", iban(d.r, CC[d.lang]))
    d.t(", " + d.L(en="reference", de="Verwendungszweck", fr="référence", es="concepto", it="causale", nl="kenmerk") + " ")
    d.p("OTHER_ID", inv)
    d.t(" / ")
    d.p("RECORD_ID", mrn)
    d.t("\n")
    if d.chance(0.5):
        d.t(d.L(en="Direct debit from ", de="Lastschrift von ", fr="Prélèvement sur ", es="Domiciliado en ", it="Addebito su ", nl="Incasso van "))
        d.p("ACCOUNT", iban(d.r, CC[d.lang]))
        d.t(" (" + d.L(en="mandate", de="Mandat", fr="RUM", es="mandato", it="mandato", nl="machtiging") + " ")
        d.p("OTHER_ID", "M" + digits(d.r, 9))
        d.t(")\n")


# ----------------------------------------------------------------------------------------------- bank styles
def taxid(d, P):
    r = d.r
    L = d.lang
    if L == "en":
        return d.ch(["NI number", "NINO", "National Insurance No"]), ni_number(r)
    if L == "de":
        return d.ch(["Steuer-ID", "Steuerliche IdNr.", "IdNr"]), nz(r, 2) + " " + digits(r, 3) + " " + digits(r, 3) + " " + digits(r, 3) if d.chance(0.5) else nz(r, 11)
    if L == "fr":
        return d.ch(["N° fiscal", "NIF", "Numéro fiscal de référence"]), r.choice("0123") + digits(r, 12)
    if L == "es":
        return d.ch(["NIF", "DNI/NIF", "NIE"]), dni(r) if d.chance(0.7) else nie(r)
    if L == "it":
        return d.ch(["Codice fiscale", "C.F.", "Cod. Fisc."]), codice_fiscale(r, P["first"], P["last"], P["sex"], P["dob"])
    return d.ch(["BSN", "Burgerservicenummer", "BSN/sofinr"]), bsn(r, d.chance(0.85))


def iddoc(d, P):
    r = d.r
    L = d.lang
    opts = {"en": [("Passport", passport(r, "en")), ("Driving licence", strip_acc(P["last"]).upper().replace(" ", "")[:5].ljust(5, "9") + digits(r, 6) + r.choice(UP) + r.choice(UP) + digits(r, 1) + r.choice(UP) + r.choice(UP)), ("US SSN", ssn(r))],
            "de": [("Personalausweis", perso(r)), ("Reisepass", passport(r, "de"))],
            "fr": [("CNI", digits(r, 12)), ("Passeport", passport(r, "fr")), ("Titre de séjour", digits(r, 10))],
            "es": [("DNI", dni(r)), ("NIE", nie(r)), ("Pasaporte", passport(r, "es"))],
            "it": [("Carta d'identità", "CA" + digits(r, 5) + r.choice(UP) + r.choice(UP)), ("Passaporto", passport(r, "it"))],
            "nl": [("Paspoort", passport(r, "nl")), ("ID-kaart", passport(r, "nl"))]}[L]
    return r.choice(opts)


def money(d, lo, hi, cur=None):
    cur = cur or ("GBP" if d.lang == "en" and d.chance(0.5) else "EUR")
    v = d.r.randint(lo, hi)
    cents = d.r.randint(0, 99)
    if d.lang in ("en",) or d.chance(0.3):
        s = "{:,}.{:02d}".format(v, cents)
    else:
        s = "{:,}".format(v).replace(",", ".") + ",%02d" % cents
    return d.ch([cur + " " + s, s + " " + cur]) if cur != "GBP" or d.chance(0.5) else "£" + s


def s_account_opening(d):
    P = patient(d, 0.05)
    tl, tv = taxid(d, P)
    il, iv = iddoc(d, P)
    cust = d.ch(["", "C", "CIF", "KD"]) + nz(d.r, d.ch([8, 9, 10]))
    app = d.ch(["APP-", "AO", "ANT-", "ONB-"]) + P["event"].strftime("%y%m") + digits(d.r, 5)
    rm = person(d)
    adr = address(d)
    pairs = [(d.L(en="Application ref", de="Antragsnummer", fr="N° de demande d'ouverture", es="Nº de solicitud", it="N. pratica", nl="Aanvraagnummer"), ("OTHER_ID", app)),
             (d.L(en="Full name", de="Name, Vorname", fr="Nom et prénom", es="Nombre y apellidos", it="Nome e cognome", nl="Naam"), ("PERSON", pname(d, P, d.ch(["full", "Last, First", "LAST, First"])))),
             (d.L(en="Date of birth", de="Geburtsdatum", fr="Date de naissance", es="Fecha de nacimiento", it="Data di nascita", nl="Geboortedatum"), ("DATE", fdate(d, P["dob"]))),
             (il, ("ID_DOC", iv)),
             (d.L(en="ID expiry", de="Gültig bis", fr="Expire le", es="Caducidad", it="Scadenza", nl="Geldig tot"), ("DATE", fdate(d, date_rand(d.r, 2026, 2034)))),
             (tl, ("ID_DOC", tv)),
             (d.L(en="Address", de="Anschrift", fr="Adresse", es="Domicilio", it="Residenza", nl="Adres"), ("ADDRESS", adr[0])),
             (d.L(en="Mobile", de="Mobil", fr="Portable", es="Móvil", it="Cellulare", nl="Mobiel"), ("PHONE", phone(d.r, d.lang))),
             ("E-mail", ("EMAIL", email(d.r, P, d.lang))),
             (d.L(en="Customer no", de="Kundennummer", fr="N° client", es="Nº cliente", it="Codice cliente", nl="Klantnummer"), ("ACCOUNT", cust)),
             ("IBAN", ("ACCOUNT", iban(d.r, CC[d.lang]))),
             (d.L(en="Opening deposit", de="Ersteinzahlung", fr="Dépôt initial", es="Ingreso inicial", it="Versamento iniziale", nl="Eerste storting"), ("KEEP", money(d, 50, 20000))),
             (d.L(en="Interest rate", de="Zinssatz", fr="Taux", es="Tipo de interés", it="Tasso", nl="Rente"), ("KEEP", d.ch(["1.25%", "2,10 %", "0.75% AER", "3,0 %", "TAE 2,35 %"]))),
             (d.L(en="Relationship manager", de="Berater", fr="Conseiller", es="Gestor", it="Gestore", nl="Adviseur"), ("PERSON", pname(d, rm, d.ch(["full", "F. Last"]))))]
    if d.chance(0.25):
        pairs.append((d.L(en="Face match template", de="Gesichtsabgleich-ID", fr="Gabarit facial", es="Plantilla facial", it="Template volto", nl="Gezichtstemplate"), ("BIOMETRIC", "FT-" + "".join(d.ch("0123456789abcdef") for _ in range(16)))))
    mode = d.ch(["pipe", "kv", "json", "two"])
    d.t(d.L(en="ACCOUNT OPENING - PERSONAL CURRENT ACCOUNT", de="KONTOERÖFFNUNG GIROKONTO", fr="OUVERTURE DE COMPTE - PARTICULIER", es="APERTURA DE CUENTA",
            it="APERTURA CONTO CORRENTE", nl="REKENING OPENEN - PARTICULIER") + "\n")
    if mode == "pipe":
        table(d, [d.L(en="Field", de="Feld", fr="Champ", es="Campo", it="Campo", nl="Veld"), d.L(en="Value", de="Wert", fr="Valeur", es="Valor", it="Valore", nl="Waarde")],
              [[k, v] for k, v in pairs], "pipe", dash=True)
    elif mode == "json":
        emit_json(d, {strip_acc(k).lower().replace(" ", "_").replace(".", "").replace(",", "").replace("'", ""): v for k, v in pairs}, d.ch([None, 2]), 0)
        d.t("\n")
    elif mode == "two":
        kv(d, [(k, v) for k, v in pairs], "two")
    else:
        kv(d, [(k, v) for k, v in pairs], d.ch(["colon", "eq", "dots"]))
    d.t(d.L(en="KYC risk: low. ", de="KYC-Risiko: gering. ", fr="Risque LCB-FT : faible. ", es="Riesgo PBC: bajo. ", it="Rischio AML: basso. ", nl="KYC-risico: laag. "))
    d.t(d.L(en="Verified by ", de="Legitimation geprüft durch ", fr="Vérifié par ", es="Verificado por ", it="Verificato da ", nl="Gecontroleerd door "))
    d.w(staff(d, d.ch(["full", "F. Last"])))
    d.t("\n")


def s_aml_alert(d):
    P = patient(d, 0.05)
    cif = d.ch(["", "CIF", "C-"]) + nz(d.r, 8)
    alert = d.ch(["ALR-", "AML-", "TM-"]) + P["event"].strftime("%Y") + "-" + digits(d.r, 7)
    case = d.ch(["CASE-", "FIU-", "INV-"]) + digits(d.r, 6)
    acct = iban(d.r, CC[d.lang])
    d.t(d.L(en="AML ALERT - CASE SHEET", de="GELDWÄSCHE-VERDACHT - FALLBLATT", fr="ALERTE LCB-FT - FICHE DOSSIER", es="ALERTA PBC - HOJA DE CASO",
            it="ALERT ANTIRICICLAGGIO - SCHEDA", nl="WWFT-ALERT - DOSSIERBLAD") + "\n")
    kv(d, [(d.L(en="Alert ID", de="Alert-ID", fr="ID alerte", es="ID alerta", it="ID alert", nl="Alert-ID"), [("OTHER_ID", alert)]),
           (d.L(en="Case", de="Fall", fr="Dossier", es="Caso", it="Pratica", nl="Dossier"), [("OTHER_ID", case)]),
           (d.L(en="Scenario", de="Szenario", fr="Scénario", es="Escenario", it="Scenario", nl="Scenario"), [d.ch(["S12 structuring cash", "S07 rapid movement", "S31 high-risk country", "S04 dormant reactivation"])]),
           (d.L(en="Risk score", de="Risikowert", fr="Score", es="Puntuación", it="Punteggio", nl="Risicoscore"), [("KEEP", d.num(60, 99) + "/100")]),
           (d.L(en="Customer", de="Kunde", fr="Client", es="Cliente", it="Cliente", nl="Klant"), [("PERSON", pname(d, P, d.ch(["LAST, First", "full", "LAST First"])))]),
           ("CIF", [("ACCOUNT", cif)]),
           (d.L(en="DOB", de="Geb.", fr="Né(e) le", es="F. nac.", it="Nato/a il", nl="Geb."), [dt(d, P["dob"])]),
           (d.L(en="Account", de="Konto", fr="Compte", es="Cuenta", it="Conto", nl="Rekening"), [("ACCOUNT", acct)])], d.ch(["colon", "two", "dots"]))
    hdr = [d.L(en="Date", de="Datum", fr="Date", es="Fecha", it="Data", nl="Datum"), d.L(en="Amount", de="Betrag", fr="Montant", es="Importe", it="Importo", nl="Bedrag"),
           d.L(en="Counterparty", de="Gegenpartei", fr="Contrepartie", es="Contraparte", it="Controparte", nl="Tegenpartij"), "IBAN", d.L(en="Channel", de="Kanal", fr="Canal", es="Canal", it="Canale", nl="Kanaal")]
    rows = []
    cps = [person(d, lang=d.ch(LANGS)) for _ in range(d.r.randint(2, 3))]
    cpib = [iban(d.r, d.ch(["DE", "FR", "ES", "IT", "NL", "GB", "BE"])) for _ in cps]
    for i in range(d.r.randint(3, 7)):
        j = d.r.randrange(len(cps))
        rows.append([("DATE", fdate(d, P["event"] - datetime.timedelta(days=d.r.randint(1, 40)), "ISO" if d.chance(0.5) else None)), ("KEEP", money(d, 900, 9990)),
                     ("PERSON", pname(d, cps[j], "full")), ("ACCOUNT", cpib[j]), d.ch(["SEPA", "cash", "SWIFT", "card", "instant"])])
    table(d, hdr, rows)
    if d.chance(0.35):
        d.t(d.L(en="Linked purchase: vehicle VIN ", de="Verbundener Kauf: Fahrzeug FIN ", fr="Achat lié : véhicule VIN ", es="Compra vinculada: vehículo bastidor ",
                it="Acquisto collegato: veicolo telaio ", nl="Gerelateerde aankoop: voertuig VIN "))
        d.p("VEHICLE", vin(d.r))
        d.t(", " + d.L(en="reg ", de="Kennz. ", fr="immat. ", es="matrícula ", it="targa ", nl="kenteken "))
        d.p("VEHICLE", plate(d.r, d.lang))
        d.t("\n")
    d.t(d.L(en="Analyst", de="Bearbeiter", fr="Analyste", es="Analista", it="Analista", nl="Analist") + ": ")
    d.w(staff(d, d.ch(["full", "F. Last"])))
    d.t(" | " + d.L(en="Decision", de="Entscheidung", fr="Décision", es="Decisión", it="Esito", nl="Besluit") + ": ")
    d.t(d.ch(["escalate", "SAR filed", "close - no suspicion", "refer to MLRO"]))
    if d.chance(0.6):
        d.t(" | SAR ref ")
        d.p("OTHER_ID", d.ch(["SAR", "STR", "UIF", "MOT"]) + "-" + digits(d.r, 8))
    d.t("\n")


def s_chargeback_log(d):
    sep = d.ch([";", "|", "\t", ","])
    hdr = ["date", "case_id", "cardholder", "pan", "amount", "reason", "arn", "merchant", "status"]
    if d.chance(0.5):
        hdr = [d.L(en=h, de={"date": "Datum", "case_id": "Fall-ID", "cardholder": "Karteninhaber", "pan": "Kartennr", "amount": "Betrag", "reason": "Grund", "arn": "ARN", "merchant": "Händler", "status": "Status"}[h],
                   fr={"date": "date", "case_id": "n_dossier", "cardholder": "porteur", "pan": "carte", "amount": "montant", "reason": "motif", "arn": "ARN", "merchant": "commerçant", "status": "statut"}[h],
                   es={"date": "fecha", "case_id": "id_caso", "cardholder": "titular", "pan": "tarjeta", "amount": "importe", "reason": "motivo", "arn": "ARN", "merchant": "comercio", "status": "estado"}[h],
                   it={"date": "data", "case_id": "id_pratica", "cardholder": "titolare", "pan": "carta", "amount": "importo", "reason": "motivo", "arn": "ARN", "merchant": "esercente", "status": "stato"}[h],
                   nl={"date": "datum", "case_id": "zaak_id", "cardholder": "kaarthouder", "pan": "kaartnr", "amount": "bedrag", "reason": "reden", "arn": "ARN", "merchant": "winkelier", "status": "status"}[h]) for h in hdr]
    d.t(d.L(en="# chargeback export", de="# Rückbuchungen Export", fr="# export impayés carte", es="# exportación contracargos", it="# export chargeback", nl="# terugboekingen export") + "\n")
    d.t(sep.join(hdr) + "\n")
    for i in range(d.r.randint(4, 8)):
        P = person(d)
        date = date_rand(d.r, 2024, 2025)
        cells = [("DATE", date.isoformat() if d.chance(0.6) else fdate(d, date)), ("OTHER_ID", d.ch(["CB-", "DSP", "CBK"]) + digits(d.r, 8)),
                 ("PERSON", pname(d, P, d.ch(["full", "LAST, FIRST", "LAST First"])) if sep != "," else pname(d, P, "full")), ("ACCOUNT", card(d.r)),
                 ("KEEP", ("%d.%02d" % (d.r.randint(5, 3000), d.r.randint(0, 99)))), ("KEEP", d.ch(["10.4", "13.1", "4837", "4853", "12.6.1", "13.3"])),
                 ("OTHER_ID", d.ch("27") + digits(d.r, 22)), d.ch(["AMZN MKTP", "BOOKING.COM", "ZALANDO SE", "RYANAIR", "SHELL 4471", "UBER TRIP"]),
                 d.ch(["open", "won", "lost", "pre-arb", "representment"])]
        for j, c in enumerate(cells):
            if j:
                d.t(sep)
            d.w(c)
        d.t("\n")
    d.t(d.L(en="exported by ", de="exportiert von ", fr="exporté par ", es="exportado por ", it="esportato da ", nl="geëxporteerd door "))
    u = person(d)
    d.p("PERSON", strip_acc(u["first"]).lower().replace(" ", "") + "." + strip_acc(u["last"]).lower().replace(" ", ""))
    d.t(" ")
    d.k(tm(d))
    d.t("\n")


def s_core_banking_screen(d):
    P = patient(d, 0.08)
    cust = nz(d.r, 8)
    date = P["event"]
    d.t(d.ch(["CBS01", "CIF200", "KUNDE01", "TXN-INQ"]) + "  " + d.L(en="CUSTOMER INQUIRY", de="KUNDENAUSKUNFT", fr="CONSULTATION CLIENT", es="CONSULTA CLIENTE",
                                                                   it="INTERROGAZIONE CLIENTE", nl="KLANTOVERZICHT") + "            ")
    d.p("DATE", date.strftime("%d/%m/%Y") if d.chance(0.5) else date.isoformat())
    d.t(" ")
    d.k(tm(d))
    d.t("  TERM T" + digits(d.r, 4) + "\n")
    tl, tv = taxid(d, P)
    a = address(d)[0].upper()
    lines = [("CUST NO", [("ACCOUNT", cust)]), ("NAME", [("PERSON", strip_acc(pname(d, P, d.ch(["LAST First", "LAST, First"]))).upper())]),
             ("DOB", [("DATE", P["dob"].strftime("%d%m%Y") if d.chance(0.4) else P["dob"].strftime("%d/%m/%Y"))]),
             (strip_acc(tl).upper()[:8], [("ID_DOC", tv)]), ("ADDR", [("ADDRESS", a)]), ("PHONE", [("PHONE", phone(d.r, d.lang).replace(" ", ""))])]
    kv(d, lines, d.ch(["two", "colon"]))
    d.t("\n")
    rows = []
    for i in range(d.r.randint(2, 4)):
        typ = d.ch(["CHK", "SAV", "LN", "CC", "TD"])
        acc = card(d.r).replace(" ", "").replace("-", "") if typ == "CC" else (iban(d.r, CC[d.lang], grouped=False) if d.chance(0.5) else nz(d.r, d.ch([10, 11, 12])))
        rows.append([("ACCOUNT", acc), typ, "EUR" if d.lang != "en" else "GBP", ("KEEP", d.ch(["", "-"]) + "%d.%02d" % (d.r.randint(0, 99999), d.r.randint(0, 99))),
                     d.ch(["ACTIVE", "ACTIVE", "DORMANT", "BLOCKED"])])
    table(d, ["ACCT NO", "TYPE", "CCY", "BALANCE", "STATUS"], rows, "pad", dash=True)
    d.t("\nLAST LOGIN ")
    d.p("IP", "%d.%d.%d.%d" % (d.ch([10, 172, 192, 81, 62]), d.r.randint(0, 255), d.r.randint(0, 255), d.r.randint(1, 254)))
    d.t("   OPER ")
    u = person(d)
    d.p("PERSON", strip_acc(u["first"])[0].lower() + strip_acc(u["last"]).lower().replace(" ", ""))
    d.t("   F3=EXIT F5=REFRESH F12=CANCEL\n")
    if d.chance(0.5):
        d.t("MEMO: " + d.L(en="cust called from ", de="Kd. rief an von ", fr="client a appelé du ", es="cliente llamó desde ", it="cliente ha chiamato da ", nl="klant belde vanaf "))
        d.p("PHONE", phone(d.r, d.lang))
        d.t(d.L(en=", card stopped", de=", Karte gesperrt", fr=", carte opposée", es=", tarjeta bloqueada", it=", carta bloccata", nl=", kaart geblokkeerd") + "\n")


def s_loan_servicing(d):
    P = patient(d, 0.05)
    loan = d.ch(["LN", "", "PR-", "MTG", "K"]) + nz(d.r, d.ch([8, 9, 10]))
    car = d.chance(0.5)
    d.t(d.L(en="LOAN SERVICING - ACCOUNT SUMMARY", de="DARLEHENSVERWALTUNG - KONTOÜBERSICHT", fr="GESTION DE PRÊT - SITUATION", es="GESTIÓN DE PRÉSTAMO - RESUMEN",
            it="GESTIONE MUTUO/PRESTITO - RIEPILOGO", nl="LENINGBEHEER - OVERZICHT") + "\n")
    pairs = [(d.L(en="Loan no", de="Darlehensnr.", fr="N° de prêt", es="Nº préstamo", it="N. finanziamento", nl="Leningnummer"), [("ACCOUNT", loan)]),
             (d.L(en="Borrower", de="Darlehensnehmer", fr="Emprunteur", es="Prestatario", it="Mutuatario", nl="Kredietnemer"), [("PERSON", pname(d, P))])]
    if d.chance(0.5):
        co = person(d)
        co["last"] = P["last"] if d.chance(0.5) else co["last"]
        pairs.append((d.L(en="Co-borrower", de="Mitantragsteller", fr="Co-emprunteur", es="Cotitular", it="Cointestatario", nl="Medeaanvrager"), [("PERSON", pname(d, co, "full"))]))
    pairs.append((d.L(en="Rate", de="Sollzins", fr="Taux nominal", es="TIN", it="TAN", nl="Rente"), [("KEEP", d.ch(["3.45%", "4,10 %", "2.99 %", "5,25%"]))]))
    pairs.append((d.L(en="APR", de="Effektivzins", fr="TAEG", es="TAE", it="TAEG", nl="JKP"), [("KEEP", d.ch(["3.9%", "4,35 %", "6,2 %", "5.1% APR"]))]))
    if car:
        pairs.append((d.L(en="Collateral", de="Sicherheit", fr="Garantie", es="Garantía", it="Garanzia", nl="Onderpand"),
                      [d.ch(["VW Golf", "Renault Clio", "Fiat 500", "Seat Leon", "Toyota Yaris"]) + ", VIN ", ("VEHICLE", vin(d.r)), ", ", ("VEHICLE", plate(d.r, d.lang))]))
    else:
        pairs.append((d.L(en="Property", de="Objekt", fr="Bien", es="Inmueble", it="Immobile", nl="Onderpand"), [("ADDRESS", address(d)[0])]))
        pairs.append(("LTV", [("KEEP", d.ch(["72%", "80 %", "65,5 %", "90%"]))]))
    pairs.append((d.L(en="Direct debit", de="Lastschriftkonto", fr="Compte de prélèvement", es="Cuenta de cargo", it="Conto di addebito", nl="Incassorekening"), [("ACCOUNT", iban(d.r, CC[d.lang]))]))
    kv(d, pairs, d.ch(["colon", "two", "dots"]))
    hdr = [d.L(en="Due date", de="Fällig", fr="Échéance", es="Vencimiento", it="Scadenza", nl="Vervaldatum"), d.L(en="Principal", de="Tilgung", fr="Capital", es="Capital", it="Capitale", nl="Aflossing"),
           d.L(en="Interest", de="Zinsen", fr="Intérêts", es="Intereses", it="Interessi", nl="Rente"), d.L(en="Balance", de="Restschuld", fr="Capital restant dû", es="Saldo", it="Debito residuo", nl="Restschuld"),
           d.L(en="Status", de="Status", fr="Statut", es="Estado", it="Stato", nl="Status")]
    start = date_rand(d.r, 2024, 2025)
    bal = d.r.randint(8000, 350000)
    rows = []
    for i in range(d.r.randint(3, 6)):
        m = (start.month - 1 + i) % 12 + 1
        y = start.year + (start.month - 1 + i) // 12
        pr = d.r.randint(150, 1800)
        bal -= pr
        rows.append([("DATE", fdate(d, datetime.date(y, m, min(start.day, 28)), d.ch(["ISO", None]))), ("KEEP", "%d.%02d" % (pr, d.r.randint(0, 99))),
                     ("KEEP", "%d.%02d" % (d.r.randint(20, 900), d.r.randint(0, 99))), ("KEEP", "%d.%02d" % (bal, d.r.randint(0, 99))),
                     d.ch(["paid", "paid", "late", "DD returned", "paid"])])
    table(d, hdr, rows)
    d.t(d.L(en="Collections note: ", de="Inkasso-Notiz: ", fr="Note recouvrement : ", es="Nota recobro: ", it="Nota recupero: ", nl="Incassonotitie: "))
    d.t(d.L(en="spoke to borrower on ", de="Kunde erreicht unter ", fr="emprunteur joint au ", es="hablado con el titular en el ", it="sentito il cliente al ", nl="klant gesproken op "))
    d.p("PHONE", phone(d.r, d.lang))
    d.t(d.L(en=", promise to pay by ", de=", Zahlungszusage bis ", fr=", promesse de paiement avant le ", es=", promesa de pago antes del ", it=", promessa di pagamento entro il ", nl=", betaalbelofte voor "))
    d.p("DATE", fdate(d, start + datetime.timedelta(days=d.r.randint(100, 200))))
    d.t(". " + d.L(en="Agent ", de="Sachb. ", fr="Agent ", es="Agente ", it="Operatore ", nl="Medewerker "))
    d.w(staff(d, d.ch(["F. Last", "full"])))
    d.t(", ticket ")
    d.p("OTHER_ID", d.ch(["TCK-", "SR", "INC"]) + digits(d.r, 7))
    d.t("\n")


# ----------------------------------------------------------------------------------------------- driver
STYLES = [
    ("icu_flowsheet", s_icu_flowsheet), ("ems_run_sheet", s_ems_run_sheet), ("transfer_form", s_transfer_form),
    ("theatre_list", s_theatre_list), ("wristband_label", s_wristband_label), ("pager_message", s_pager_message),
    ("discharge_checklist", s_discharge_checklist), ("dialysis_run", s_dialysis_run), ("transfusion_form", s_transfusion_form),
    ("anaesthesia_chart", s_anaesthesia_chart), ("bed_board", s_bed_board), ("lab_accession", s_lab_accession),
    ("clinical_prose", s_clinical_prose), ("hl7_fhir", s_hl7_message), ("hospital_invoice", s_hospital_invoice),
    ("account_opening", s_account_opening), ("aml_alert", s_aml_alert), ("chargeback_log", s_chargeback_log),
    ("core_banking_screen", s_core_banking_screen), ("loan_servicing", s_loan_servicing),
]


def occurrences(text, value):
    """same definition as benchmarks/pii_heldout/score.py"""
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
    """returns None if the record satisfies every guarantee, else a reason"""
    text, spans = rec["text"], rec["spans"]
    pii = [s for s in spans if s["kind"] != "KEEP"]
    if not pii:
        return "no PII span"
    prev = 0
    for s in spans:
        a, b, v = s["start"], s["end"], s["value"]
        if s["kind"] not in PII_KINDS + ["KEEP"]:
            return "bad kind %s" % s["kind"]
        if text[a:b] != v or not v:
            return "offset mismatch %r" % v
        if v != v.strip():
            return "blank at edge %r" % v
        if a < prev:
            return "overlap/unsorted at %r" % v
        prev = b
        if a > 0 and v[0].isalnum() and text[a - 1].isalnum():
            return "not at token boundary (left) %r" % v
        if b < len(text) and v[-1].isalnum() and text[b].isalnum():
            return "not at token boundary (right) %r" % v
    for s in pii:
        for i in occurrences(text, s["value"]):
            j = i + len(s["value"])
            if not any(p["start"] <= i and j <= p["end"] for p in pii):
                return "PII value %r occurs outside a PII span at %d" % (s["value"], i)
    for s in spans:
        if s["kind"] != "KEEP":
            continue
        for i in occurrences(text, s["value"]):
            j = i + len(s["value"])
            if any(p["start"] < j and i < p["end"] for p in pii):
                return "KEEP value %r overlaps PII at %d" % (s["value"], i)
    return None


def drop_ambiguous_keep(text, spans):
    """A KEEP label whose value also occurs inside PII (e.g. a pulse of 12 and house number 12) is ambiguous:
    the value is left in the text but unlabelled (neither PII nor KEEP)."""
    pii = [s for s in spans if s["kind"] != "KEEP"]
    out = []
    for s in spans:
        if s["kind"] == "KEEP" and any(p["start"] < i + len(s["value"]) and i < p["end"] for i in occurrences(text, s["value"]) for p in pii):
            continue
        out.append(s)
    return out


def build(i):
    name, fn = STYLES[i % len(STYLES)]
    lang = LANGS[(i // len(STYLES)) % len(LANGS)]
    for sub in range(200):
        rng = random.Random("%s|%d|%d" % (SEED, i, sub))
        d = Doc(rng, lang)
        fn(d)
        text = d.text()
        spans = [{"start": a, "end": b, "kind": k, "value": v} for a, b, k, v in sorted(d.spans)]
        spans = drop_ambiguous_keep(text, spans)
        rec = {"id": "dev3-%04d" % (i + 1), "style": name, "language": lang, "text": text, "spans": spans}
        if check(rec) is None:
            return rec, sub
    raise RuntimeError("record %d: no valid sub-seed" % i)


def generate():
    recs, rebuilt = [], 0
    for i in range(N_RECORDS):
        rec, sub = build(i)
        rebuilt += sub > 0
        recs.append(rec)
    return recs, rebuilt


def dumps(recs):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


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
            committed = f.read()
        recs = [json.loads(l) for l in committed.splitlines() if l.strip()]
        bad = [(r["id"], check(r)) for r in recs if check(r)]
        assert not bad, bad[:5]
        assert len({r["id"] for r in recs}) == len(recs) == N_RECORDS
        fresh, _ = generate()
        assert dumps(fresh) == committed, "regenerated file differs from committed dev3.jsonl"
        print("OK: %d records, all guarantees hold, byte-identical to regeneration" % len(recs))
        return 0
    if "--stats" in argv:
        with open(OUT, encoding="utf-8") as f:
            recs = [json.loads(l) for l in f if l.strip()]
        kinds, styles, langs = stats(recs)
        print("records", len(recs))
        print("kinds:", ", ".join("%s %d" % (k, kinds[k]) for k in PII_KINDS + ["KEEP"] if kinds[k]))
        print("PII spans:", sum(v for k, v in kinds.items() if k != "KEEP"))
        print("styles:", ", ".join("%s %d" % kv_ for kv_ in sorted(styles.items())))
        print("languages:", ", ".join("%s %d" % (l, langs[l]) for l in LANGS))
        return 0
    recs, rebuilt = generate()
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(dumps(recs))
    kinds, _, _ = stats(recs)
    print("wrote %s: %d records (%d rebuilt from a later sub-seed); %s" % (OUT, len(recs), rebuilt, dict(sorted(kinds.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
