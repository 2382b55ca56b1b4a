#!/usr/bin/env python3
"""pii_dev2: a second, independent labelled DEV set for PII scrubbing (hospitals and banks,
EN DE FR ES IT NL).  Standard library only, deterministic from a seed.

    python3 benchmarks/pii_dev2/generator.py            # (re)write dev2.jsonl
    python3 benchmarks/pii_dev2/generator.py --check    # regenerate, compare with the committed file
    python3 benchmarks/pii_dev2/generator.py --stats    # counts by kind / style / language

Record format and guarantees are those of benchmarks/pii_heldout/README.md:
  {"id", "style", "language", "text", "spans": [{"start", "end", "kind", "value"}]}
  * text[start:end] == value, spans sorted, never overlapping, each at a token boundary;
  * every occurrence of a PII value anywhere in the text lies inside a PII span;
  * no occurrence of a KEEP value overlaps a PII span.
Records failing a guarantee are rebuilt from the next sub-seed; the written file is asserted again.
Written from general knowledge of postal, telephone, identifier, clinical and banking conventions;
no recognizer, name list or evaluation file of privatune was read, and no scrubber was run.
"""
import hashlib
import json
import os
import random
import re
import sys
import unicodedata

SEED = 2026
N_RECORDS = 400
LANGS = ["en", "de", "fr", "es", "it", "nl"]
PII_KINDS = ["PERSON", "ADDRESS", "RECORD_ID", "PHONE", "EMAIL", "ACCOUNT", "ID_DOC", "DATE",
             "AGE_OVER_89", "URL", "IP", "VEHICLE", "DEVICE", "LICENSE", "BIOMETRIC", "OTHER_ID"]
KINDS = PII_KINDS + ["KEEP"]
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dev2.jsonl")


# ----------------------------------------------------------------------------------------------
# text builder: items are str (unlabelled), (kind, value) tuples (spans) or lists of items
# ----------------------------------------------------------------------------------------------
class Builder:
    def __init__(self):
        self.buf, self.pos, self.spans = [], 0, []

    def t(self, *parts):
        for s in parts:
            self.buf.append(s)
            self.pos += len(s)
        return self

    def s(self, kind, value):
        assert kind in KINDS and value, (kind, value)
        self.spans.append({"start": self.pos, "end": self.pos + len(value), "kind": kind, "value": value})
        self.buf.append(value)
        self.pos += len(value)
        return self

    def e(self, item):
        if item is None:
            return self
        if isinstance(item, str):
            return self.t(item)
        if isinstance(item, tuple):
            return self.s(*item)
        for x in item:
            self.e(x)
        return self

    def text(self):
        return "".join(self.buf)


def ilen(item):
    if item is None:
        return 0
    if isinstance(item, str):
        return len(item)
    if isinstance(item, tuple):
        return len(item[1])
    return sum(ilen(x) for x in item)


def iflat(item):
    if item is None:
        return ""
    if isinstance(item, str):
        return item
    if isinstance(item, tuple):
        return item[1]
    return "".join(iflat(x) for x in item)


TPL = re.compile(r"\{(\w+)\}")


def tpl(b, template, **items):
    """Emit a template; {name} is replaced by items[name] (str / span tuple / list)."""
    pos = 0
    for m in TPL.finditer(template):
        b.t(template[pos:m.start()])
        b.e(items[m.group(1)])
        pos = m.end()
    b.t(template[pos:])


def table(b, header, rows, mode, rng=None):
    """mode: fixed | pipe | tsv | csv; | csv, | csv|  (header: list of str, rows: list of item lists)"""
    if mode in ("fixed", "pipe"):
        ncol = len(header)
        w = [max([len(header[i])] + [ilen(r[i]) for r in rows]) for i in range(ncol)]
        gap = 2 if mode == "fixed" else 1
        for r in [header] + rows:
            if mode == "pipe":
                b.t("| ")
            for i, c in enumerate(r):
                b.e(c)
                last = i == ncol - 1
                if mode == "fixed":
                    if not last:
                        b.t(" " * (w[i] - ilen(c) + gap))
                else:
                    b.t(" " * (w[i] - ilen(c)) + (" |" if last else " | "))
            b.t("\n")
            if mode == "pipe" and r is header:
                b.t("|" + "|".join("-" * (x + 2) for x in w) + "|\n")
        return
    sep = {"tsv": "\t", "csv;": ";", "csv,": ",", "csv|": "|"}[mode]
    for r in [header] + rows:
        for i, c in enumerate(r):
            if i:
                b.t(sep)
            flat = iflat(c)
            if mode != "tsv" and (sep in flat or '"' in flat):
                assert '"' not in flat
                b.t('"').e(c).t('"')
            else:
                b.e(c)
        b.t("\n")


# ----------------------------------------------------------------------------------------------
# checks (the README's guarantees), used for regeneration and asserted on the written file
# ----------------------------------------------------------------------------------------------
def occurrences(text, value):
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
    text, spans = rec["text"], rec["spans"]
    assert set(rec) == {"id", "style", "language", "text", "spans"}, rec.keys()
    assert rec["language"] in LANGS
    assert spans == sorted(spans, key=lambda s: (s["start"], s["end"])), "spans sorted"
    prev = 0
    for s in spans:
        assert set(s) == {"start", "end", "kind", "value"}
        assert s["kind"] in KINDS, s
        assert 0 <= s["start"] < s["end"] <= len(text), s
        assert text[s["start"]:s["end"]] == s["value"], (s, text[s["start"]:s["end"]])
        assert s["value"] == s["value"].strip(), ("no padding inside spans", s)
        assert s["start"] >= prev, ("overlap", s)
        prev = s["end"]
        v, a, z = s["value"], s["start"], s["end"]
        assert a == 0 or not (v[0].isalnum() and text[a - 1].isalnum()), ("token boundary left", s)
        assert z == len(text) or not (v[-1].isalnum() and text[z].isalnum()), ("token boundary right", s)
    pii = [(s["start"], s["end"]) for s in spans if s["kind"] != "KEEP"]
    assert pii, "at least one PII span"
    for v in {s["value"] for s in spans if s["kind"] != "KEEP"}:
        for i in occurrences(text, v):
            assert any(a <= i and i + len(v) <= z for a, z in pii), ("PII value outside a PII span", v, i)
    for v in {s["value"] for s in spans if s["kind"] == "KEEP"}:
        for i in occurrences(text, v):
            assert not any(i < z and i + len(v) > a for a, z in pii), ("KEEP value overlaps PII", v, i)
    return True


# ----------------------------------------------------------------------------------------------
# language data (written for this set)
# ----------------------------------------------------------------------------------------------
FIRST = {
    "en": ["Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Jack", "Freya", "Thomas", "Evelyn", "Daniel",
           "Margaret", "Arthur", "Doris", "Kevin", "Shauna", "Tyrone", "Priya", "Declan", "Wendy", "Winifred", "Bernard"],
    "de": ["Jürgen", "Ingrid", "Klaus", "Hildegard", "Stefan", "Ursula", "Lukas", "Renate", "Dieter", "Gisela", "Tobias",
           "Annegret", "Horst", "Elfriede", "Kai", "Yvonne", "Mehmet", "Sabine", "Volker", "Friederike", "Waltraud", "Günther"],
    "fr": ["Étienne", "Geneviève", "Thierry", "Solange", "Mathieu", "Brigitte", "Yannick", "Odette", "Rémi", "Colette",
           "Benoît", "Ginette", "Loïc", "Maëlle", "Karim", "Josiane", "Hervé", "Nadège", "Gaston", "Chloé", "Marcelle", "Fernand"],
    "es": ["Jesús", "Remedios", "Iñaki", "Montserrat", "Álvaro", "Inmaculada", "Sergio", "Concepción", "Jordi", "Amparo",
           "Rubén", "Begoña", "Ignacio", "Maite", "Xabier", "Rocío", "Fermín", "Nuria", "Eusebio", "Pilar", "Encarnación", "Anselmo"],
    "it": ["Giuseppe", "Assunta", "Salvatore", "Graziella", "Lorenzo", "Rosaria", "Massimo", "Loredana", "Gennaro", "Ornella",
           "Fabrizio", "Carmela", "Tiziano", "Elvira", "Ottavio", "Fiorella", "Raffaele", "Mirella", "Settimio", "Annunziata",
           "Vincenza", "Girolamo"],
    "nl": ["Joost", "Marijke", "Sjoerd", "Annelies", "Bram", "Wilhelmina", "Thijs", "Geertruida", "Koen", "Femke", "Maarten",
           "Hendrika", "Ruud", "Ilse", "Pieter", "Jannie", "Wouter", "Anouk", "Gerrit", "Sanne", "Cornelia", "Teunis"],
}
LAST = {
    "en": ["Thornbury", "Okafor", "Pemberton", "McAllister", "Hughes", "Fairweather", "Blackwood", "Whitcombe", "Nakamura",
           "O'Donnell", "Ashworth", "Sutcliffe", "Kowalski", "Ramsbottom", "Featherstone", "Patel", "Gallagher", "Holloway",
           "Entwistle", "Tremayne", "Abernethy", "Quigley"],
    "de": ["Hartmann", "Schwarzkopf", "Dörfler", "Brückner", "Kleinschmidt", "Oberländer", "Wüstenhagen", "Pfeiffer",
           "Rautenberg", "Yilmaz", "Eisenhauer", "Großmann", "Henneberg", "Lindemann", "Schäfer", "Kowalczyk", "Tiedemann",
           "Vogelsang", "Bachmeier", "Kühnel", "Stöckl", "Jankowski"],
    "fr": ["Lefèvre", "Dubois-Marchal", "Garnier", "Rousseau", "Pelletier", "Benhamou", "Chevallier", "Lemaire", "Fontaine",
           "Gauthier", "Mercier", "Brunet", "Fournier", "Le Goff", "Delacroix", "Haddad", "Perrin", "Vasseur", "Boucher",
           "Lacombe", "Nguyen", "Kerbrat"],
    "es": ["Etxeberria", "Fernández", "Iglesias", "Castillo", "Navarro", "Domínguez", "Quintana", "Villanueva", "Benítez",
           "Carrasco", "Lozano", "Aranda", "Sáez", "Gallego", "Robles", "Ibáñez", "Cabrera", "Herrero", "Zubizarreta",
           "Montoya", "Peñalver", "Arrieta"],
    "it": ["Esposito", "Bianchi", "Lombardi", "Ferraro", "Colombo", "Ricci", "Marino", "Greco", "Gallo", "Ferretti",
           "De Luca", "Mancini", "Giordano", "Rizzo", "Barbieri", "Moretti", "Caruso", "Santoro", "Pellegrino", "D'Amico",
           "Cattaneo", "Scognamiglio"],
    "nl": ["de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
           "Hendriks", "van Dijk", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kuipers", "van Leeuwen", "Schouten",
           "Verhoeven", "Timmermans", "van der Linden"],
}
SEX = {"en": ("M", "F"), "de": ("M", "W"), "fr": ("H", "F"), "es": ("V", "M"), "it": ("M", "F"), "nl": ("M", "V")}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
}
MON3 = {"en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."],
        "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
        "es": ["ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sep.", "oct.", "nov.", "dic."],
        "it": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
        "nl": ["jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]}

# town -> postcode generator data
UK_TOWNS = [("Leeds", "LS"), ("Manchester", "M"), ("Birmingham", "B"), ("Edinburgh", "EH"), ("Glasgow", "G"),
            ("Cardiff", "CF"), ("Bristol", "BS"), ("Newcastle upon Tyne", "NE"), ("Sheffield", "S"), ("Oxford", "OX"),
            ("Norwich", "NR"), ("Belfast", "BT"), ("Plymouth", "PL"), ("York", "YO")]
US_TOWNS = [("Springfield", "IL", 627), ("Columbus", "OH", 432), ("Worcester", "MA", 16), ("Albany", "NY", 122),
            ("Tucson", "AZ", 857), ("Madison", "WI", 537), ("Richmond", "VA", 232), ("Spokane", "WA", 992),
            ("Savannah", "GA", 314), ("Boise", "ID", 837)]
DE_TOWNS = [("Berlin", 10115, 14199), ("München", 80331, 81929), ("Hamburg", 20095, 22769), ("Köln", 50667, 51149),
            ("Leipzig", 4103, 4357), ("Freiburg im Breisgau", 79098, 79117), ("Kassel", 34117, 34134),
            ("Rostock", 18055, 18147), ("Bielefeld", 33602, 33739), ("Mainz", 55116, 55131), ("Erlangen", 91052, 91058),
            ("Oldenburg", 26121, 26135)]
FR_TOWNS = [("Paris", 75001, 75020), ("Lyon", 69001, 69009), ("Marseille", 13001, 13016), ("Toulouse", 31000, 31500),
            ("Lille", 59000, 59800), ("Nantes", 44000, 44300), ("Bordeaux", 33000, 33800), ("Rennes", 35000, 35700),
            ("Strasbourg", 67000, 67200), ("Montpellier", 34000, 34090), ("Brest", 29200, 29200), ("Clermont-Ferrand", 63000, 63100)]
ES_TOWNS = [("Madrid", 28001, 28055), ("Barcelona", 8001, 8042), ("Sevilla", 41001, 41020), ("Valencia", 46001, 46026),
            ("Bilbao", 48001, 48015), ("Zaragoza", 50001, 50021), ("Málaga", 29001, 29018), ("Valladolid", 47001, 47016),
            ("Pamplona", 31001, 31016), ("Oviedo", 33001, 33013), ("Alicante", 3001, 3016)]
IT_TOWNS = [("Roma", "RM", 118, 199, "00"), ("Milano", "MI", 121, 162, "20"), ("Napoli", "NA", 121, 147, "80"),
            ("Torino", "TO", 121, 156, "10"), ("Bologna", "BO", 121, 141, "40"), ("Firenze", "FI", 121, 145, "50"),
            ("Palermo", "PA", 121, 151, "90"), ("Bari", "BA", 121, 132, "70"), ("Genova", "GE", 121, 167, "16"),
            ("Verona", "VR", 121, 142, "37"), ("Padova", "PD", 121, 142, "35")]
NL_TOWNS = [("Amsterdam", 1011, 1109), ("Rotterdam", 3011, 3089), ("Utrecht", 3511, 3585), ("Den Haag", 2491, 2597),
            ("Groningen", 9711, 9747), ("Eindhoven", 5611, 5658), ("Maastricht", 6211, 6229), ("Zwolle", 8011, 8043),
            ("Nijmegen", 6511, 6546), ("Leeuwarden", 8911, 8941), ("Haarlem", 2011, 2037)]

UK_STREETS = ["Harcourt", "Mill", "Station", "Victoria", "Beech", "Grange", "Albion", "Chapel", "Orchard", "Osborne",
              "Clarendon", "Hawthorn", "Quarry", "Rectory", "Sandringham", "Tanner's"]
UK_TYPES = ["Road", "Lane", "Street", "Avenue", "Close", "Crescent", "Gardens", "Terrace", "Drive", "Way", "Rd", "St", "Ave", "Grove", "Mews"]
US_STREETS = ["Maple", "Oak", "Washington", "Lincoln", "Elm", "Cedar Ridge", "N 5th", "S Main", "Pine Hollow", "W 43rd",
              "Jefferson", "Lakeview", "Sycamore", "E Broad"]
US_TYPES = ["St", "Ave", "Blvd", "Dr", "Ln", "Rd", "Ct", "Street", "Avenue", "Pkwy", "Ter"]
DE_STREETS = ["Bahnhof", "Linden", "Goethe", "Schiller", "Garten", "Kirch", "Mühlen", "Ahorn", "Birken", "Rosen", "Wald",
              "Brunnen", "Schul", "Eichendorff", "Kastanien", "Uhland"]
DE_PERSON_STREETS = ["Friedrich-Ebert-", "Konrad-Adenauer-", "Karl-Marx-", "Bertha-von-Suttner-", "Willy-Brandt-", "Otto-Hahn-"]
DE_PREP = ["Am Mühlbach", "An der Alster", "Im Wiesengrund", "Auf dem Kamp", "Zum Steinbruch", "Hinter der Kirche", "Am Sonnenhang"]
FR_STREETS = ["rue des Lilas", "avenue Jean Jaurès", "boulevard Voltaire", "Bd Voltaire", "allée des Tilleuls", "impasse du Moulin",
              "place de la République", "chemin des Vignes", "rue Victor Hugo", "av. du Général Leclerc", "quai de la Fosse",
              "cours Lafayette", "rue du Faubourg Saint-Antoine", "bd de la Liberté", "rue Paul Bert", "rés. les Pins, rue Pasteur"]
ES_STREETS = ["C/ Mayor", "Calle de Alcalá", "Avda. de la Constitución", "Pº de la Castellana", "Plaza de España",
              "Carrer de Mallorca", "Ronda de Atocha", "C/ San Bernardo", "Calle Real", "Av. Diagonal", "C/ Doctor Fleming",
              "Travesía del Conde Duque", "Camino de Ronda", "Avenida de América"]
ES_FLOORS = ["3º B", "2º izda.", "1º dcha.", "bajo", "4º 2ª", "5º A", "ático", "entlo. 1ª", "pta. 12"]
IT_STREETS = ["Via Roma", "Via Giuseppe Garibaldi", "Viale dei Mille", "Corso Vittorio Emanuele II", "P.zza Garibaldi",
              "Piazza del Popolo", "Vicolo Stretto", "Largo Augusto", "V.le Europa", "Via Alessandro Manzoni", "Via XX Settembre",
              "Borgo Palazzo", "Via dei Tigli", "Strada Statale 16", "Via Nazionale"]
NL_STREETS = ["Kerkstraat", "Prinsengracht", "Laan van Meerdervoort", "Dorpsweg", "Oudegracht", "Stationsplein",
              "Burgemeester de Jonghlaan", "Molenweg", "Hoofdstraat", "Lindenlaan", "Zeedijk", "Van Speijkstraat",
              "Nieuwe Binnenweg", "Julianastraat", "Akkerstraat"]

MAIL_DOMAINS = {"en": ["gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk", "nhs.net", "icloud.com"],
                "de": ["web.de", "gmx.de", "t-online.de", "posteo.de", "gmail.com", "freenet.de"],
                "fr": ["orange.fr", "free.fr", "laposte.net", "sfr.fr", "gmail.com", "wanadoo.fr"],
                "es": ["telefonica.net", "hotmail.es", "yahoo.es", "gmail.com", "movistar.es"],
                "it": ["libero.it", "alice.it", "virgilio.it", "tiscali.it", "gmail.com", "tim.it"],
                "nl": ["ziggo.nl", "kpnmail.nl", "hetnet.nl", "gmail.com", "xs4all.nl", "planet.nl"]}

WARDS = {"en": ["Ward 7B", "AMU", "Cardiology CCU", "Elderly Care Ward 12", "Respiratory Ward 5", "SAU", "Stroke Unit"],
         "de": ["Station 4B", "Geriatrie 2", "ITS", "Kardiologie K3", "Innere 1 Süd", "Stroke Unit", "IMC 2"],
         "fr": ["Service de gériatrie", "UHCD", "Cardio 3e ét.", "USIC", "Médecine interne B", "SSR 2", "Pneumologie Est"],
         "es": ["Planta 5ª", "Unidad de Ictus", "UCI", "Medicina Interna 3ª", "Geriatría B", "Neumología 6ª", "Urgencias Obs."],
         "it": ["Reparto Medicina Interna", "UTIC", "Geriatria 2° piano", "Pneumologia", "OBI", "Stroke Unit", "Chirurgia Generale"],
         "nl": ["Afdeling B3", "Hartbewaking", "Longziekten 5 Oost", "SEH", "Geriatrie 7", "MC-unit", "Interne C4"]}
LABS = ["Hb 10.4 g/dL", "Hb 8,9 g/dl", "K+ 5.9 mmol/L", "Kalium 3,1 mmol/l", "CRP 87 mg/L", "CRP 212 mg/l", "Krea 1,4 mg/dl",
        "creat 142 µmol/L", "INR 2.6", "INR 3,4", "Lactate 3.1 mmol/L", "Na+ 128 mmol/L", "HbA1c 7.9 %", "eGFR 41",
        "Troponin T 38 ng/L", "NT-proBNP 4120 pg/ml", "RR 150/85 mmHg", "TA 90/55", "HR 112/min", "FC 48 lpm", "Temp 38.4 °C",
        "T 38,9 °C", "pH 7.31", "pCO2 61 mmHg", "WBC 14.2", "PCT 2,8 ng/ml", "D-Dimer 1,9 mg/l", "glucose 14.8 mmol/L",
        "leuco 17 G/L", "PLT 88 x10^9/L", "Hkt 29 %", "ferritine 14 µg/L", "TSH 0,02 mU/l", "SpO2 88 % RA", "FiO2 0.40"]
SCORES = ["GCS 15", "GCS 14", "GCS 9 (E2V3M4)", "NEWS2 5", "NEWS2 7", "qSOFA 2", "Braden 12", "Barthel 35", "MMSE 21/30",
          "Morse 45", "CHA2DS2-VASc 4", "HAS-BLED 3", "NYHA III", "ASA 3", "mRS 2", "Norton 14", "RASS -2", "Waterlow 18",
          "CURB-65 3", "Wells 6", "NIHSS 11", "MUST 2", "CFS 7", "4AT 6", "Pain 6/10", "NRS 8/10", "EVA 7/10", "VAS 5/10"]
ICD = ["I50.9", "J18.9", "N39.0", "S72.00", "E11.65", "I63.5", "K57.30", "C34.1", "F03", "R55", "I48.0", "J44.1", "A41.9",
       "E87.1", "I21.4", "N17.9", "L89.2", "S06.0", "K92.2", "G30.1"]
SNOMED = ["233604007", "22298006", "44054006", "195967001", "230690007", "49436004", "271737000", "84114007", "386661006"]
LOINC = [("2160-0", "Creatinine"), ("718-7", "Hemoglobin"), ("2823-3", "Potassium"), ("6690-2", "Leukocytes"),
         ("1988-5", "CRP"), ("2345-7", "Glucose"), ("4548-4", "HbA1c"), ("2951-2", "Sodium"), ("6301-6", "INR"),
         ("33762-6", "NT-proBNP"), ("2524-7", "Lactate"), ("777-3", "Platelets")]
NDC = ["0409-4888-02", "0078-0357-15", "0069-0153-01", "63323-262-01", "0173-0682-20", "0781-1506-10"]
ATC = ["C09AA05", "B01AB05", "N02BE01", "J01CR02", "A10BA02", "C03CA01", "B01AF01", "N05AH04", "A02BC02", "C07AB02"]
CPT = ["99214", "71046", "80053", "93000", "36415", "99223", "85025", "74177"]
OPS = ["5-820.00", "8-930", "1-632.0", "3-200", "8-800.c0", "5-470.11"]
DRUGS = {
    "en": ["Furosemide 40 mg IV", "Paracetamol 1 g PO", "Enoxaparin 40 mg SC", "Amoxicillin 500 mg PO", "Morphine 2.5 mg SC PRN",
           "Bisoprolol 2.5 mg", "Co-amoxiclav 1.2 g IV", "Insulin glargine 18 units", "Apixaban 2.5 mg BD", "Lactulose 15 ml"],
    "de": ["Furosemid 40 mg i.v.", "Metamizol 1 g i.v.", "Enoxaparin 40 mg s.c.", "Ramipril 5 mg p.o.", "Pantoprazol 40 mg",
           "Piperacillin/Tazobactam 4,5 g", "Insulin glargin 18 IE", "Novaminsulfon 20 Trpf.", "Torasemid 10 mg", "Apixaban 2,5 mg"],
    "fr": ["Paracétamol 1 g PO", "Furosémide 40 mg IVD", "Enoxaparine 4000 UI SC", "Amoxicilline/ac. clav. 1 g", "Tramadol 50 mg",
           "Lovenox 0,4 ml", "Kardégic 75 mg", "Ceftriaxone 1 g IV", "Oxynorm 5 mg", "Lasilix 20 mg"],
    "es": ["Enoxaparina 40 mg SC", "Paracetamol 1 g IV", "Furosemida 20 mg IV", "Omeprazol 20 mg VO", "Metamizol 575 mg",
           "Amoxicilina/clavulánico 875/125 mg", "Bisoprolol 2,5 mg", "Insulina glargina 16 UI", "Ceftriaxona 2 g IV", "Tramadol 50 mg"],
    "it": ["Pantoprazolo 40 mg ev", "Paracetamolo 1 g ev", "Enoxaparina 4000 UI sc", "Furosemide 20 mg ev", "Ceftriaxone 2 g ev",
           "Bisoprololo 1,25 mg", "Ketorolac 30 mg", "Insulina glargine 14 UI", "Piperacillina/tazobactam 4,5 g", "Levotiroxina 50 mcg"],
    "nl": ["Metoprolol 50 mg p.o.", "Paracetamol 1000 mg", "Nadroparine 2850 IE s.c.", "Furosemide 40 mg i.v.", "Omeprazol 40 mg",
           "Amoxicilline/clavulaanzuur 625 mg", "Oxycodon 5 mg", "Insuline glargine 20 E", "Ceftriaxon 2 g i.v.", "Macrogol 1 sachet"],
}
AMOUNT_FMT = {"en": lambda a: "£%s" % format(a, ",.2f"), "de": lambda a: "%s EUR" % _eu(a),
              "fr": lambda a: "%s €" % _eu(a, " "), "es": lambda a: "%s €" % _eu(a), "it": lambda a: "€ %s" % _eu(a),
              "nl": lambda a: "€ %s" % _eu(a)}


def _eu(a, thou="."):
    s = format(a, ",.2f")
    return s.replace(",", "#").replace(".", ",").replace("#", thou)


def ascii_fold(s):
    s = s.replace("ß", "ss").replace("ø", "o").replace("Æ", "AE").replace("æ", "ae")
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("Ä", "AE").replace("Ö", "OE").replace("Ü", "UE")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# ----------------------------------------------------------------------------------------------
# per-record context: generates values in the conventions of one language / country
# ----------------------------------------------------------------------------------------------
def D(n, rng):
    return "".join(rng.choice("0123456789") for _ in range(n))


def luhn_digit(body):
    tot = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return str((10 - tot % 10) % 10)


def iban_check(cc, bban):
    s = bban + cc + "00"
    num = "".join(str(int(c, 36)) for c in s)
    return "%02d" % (98 - int(num) % 97)


class Ctx:
    def __init__(self, rng, lang):
        self.r, self.lang = rng, lang
        self.us = lang == "en" and rng.random() < 0.4
        self.year = rng.choice([2024, 2025])
        self.used_names = set()

    # --- small helpers ---
    def c(self, seq):
        return self.r.choice(seq)

    def p(self, x):
        return self.r.random() < x

    def L(self, **by_lang):
        v = by_lang.get(self.lang, by_lang.get("en"))
        return self.c(v) if isinstance(v, list) else v

    # --- persons ---
    def person(self, lang=None):
        lang = lang or self.lang
        for _ in range(50):
            f = self.c(FIRST[lang])
            if lang == "es":
                a, b2 = self.r.sample(LAST["es"], 2)
                l = a + " " + b2 if self.p(0.75) else a
            else:
                l = self.c(LAST[lang])
            if (f, l) not in self.used_names and l.split()[-1] not in {x[1].split()[-1] for x in self.used_names}:
                self.used_names.add((f, l))
                return f, l
        return f, l

    def name(self, fl=None, form=None):
        f, l = fl or self.person()
        form = form or self.c(["fl", "fl", "LF", "Lf", "LFs", "iL", "Li", "FL", "lF"])
        core = l
        if self.lang == "nl":
            parts = l.split()
            core = parts[-1]
            tv = " ".join(parts[:-1])
        if form == "fl":
            return f + " " + l
        if form == "LF":
            return l.upper() + ", " + f
        if form == "Lf":
            return l + ", " + f
        if form == "LFs":
            return l.upper() + " " + f
        if form == "iL":
            return f[0] + ". " + l
        if form == "Li":
            return l + " " + f[0] + "."
        if form == "FL":
            return (f + " " + l).upper()
        if form == "lF":  # NL: "Vries, J. de" / other: "Last F"
            if self.lang == "nl" and core != l:
                return core + ", " + f[0] + ". " + tv
            return l.upper() + " " + f[0]
        if form == "L":
            return l
        if form == "init":
            return (f[0] + core[0]).upper()
        raise ValueError(form)

    def initials(self, fl):
        f, l = fl
        return (f[0] + l.split()[-1][0]).upper()

    def email(self, fl, domain=None):
        f, l = fl
        f, l = ascii_fold(f).lower().replace(" ", ""), ascii_fold(l).lower().replace(" ", "").replace("'", "")
        form = self.c(["{f}.{l}", "{f}{l}", "{i}.{l}", "{l}.{f}", "{f}_{l}{n}", "{l}{n}", "{i}{l}"])
        local = form.format(f=f, l=l, i=f[0], n=D(2, self.r))
        return local + "@" + (domain or self.c(MAIL_DOMAINS[self.lang]))

    def userid(self, fl):
        f, l = fl
        f, l = ascii_fold(f).lower(), ascii_fold(l).lower().replace(" ", "").replace("'", "")
        return self.c([f + "." + l, f[0] + l, l + f[0], f[0] + "." + l])

    # --- ages ---
    def age(self):
        return self.c([90, 90, 91, 91, 92, 92, 93, 93, 94, 95, 95, 96, 97, 98, 99, 100, 101, 102, 104])

    def young_age(self):
        return self.r.randint(19, 88)

    def sex(self):
        return self.c(SEX[self.lang])

    def age_compact(self, a=None):
        a = a or self.age()
        return "%d%s%s" % (a, self.c(["", "", " ", "/"]), self.sex())

    def age_phrase(self, a=None):
        """list of items; the AGE_OVER_89 span is the number (with a glued unit / sex letter if glued)"""
        a = a or self.age()
        A = lambda v: ("AGE_OVER_89", v)
        n = str(a)
        opts = {
            "en": [["aged ", A(n)], [A(n), " y/o"], [A(n + "yo")], [A(n), "-year-old"], ["age ", A(n)], [A(n + self.sex())],
                   [A(n), " years old"], ["Age: ", A(n)]],
            "de": [["Alter ", A(n)], [A(n), " J."], [A(n), "-jährige"], [A(n), " Jahre"], [A(n + self.sex())], ["Alter: ", A(n)],
                   [A(n), "-jähriger"], [A(n + "J")]],
            "fr": [["âge ", A(n)], [A(n), " ans"], ["âgée de ", A(n), " ans"], [A(n + self.sex())], ["âgé de ", A(n), " ans"],
                   ["Âge : ", A(n)]],
            "es": [["edad ", A(n)], [A(n), " años"], ["de ", A(n), " años"], [A(n + self.sex())], ["Edad: ", A(n)], [A(n + "a")]],
            "it": [["età ", A(n)], [A(n), " anni"], ["di ", A(n), " anni"], [A(n + "aa")], ["anni ", A(n)], [A(n + self.sex())],
                   ["Età: ", A(n)]],
            "nl": [["leeftijd ", A(n)], [A(n), " jaar"], [A(n), "-jarige"], [A(n), " jr"], [A(n + self.sex())], ["lft. ", A(n)]],
        }
        return self.c(opts[self.lang])

    # --- dates ---
    def ymd(self, y0, y1):
        y = self.r.randint(y0, y1)
        m = self.r.randint(1, 12)
        d = self.r.randint(1, 28)
        return y, m, d

    def fmt_date(self, ymd, form=None):
        y, m, d = ymd
        lang = self.lang
        if form is None:
            pool = {
                "en": ["%d/%m/%Y", "%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d-%b-%Y", "%d.%m.%y"] if not self.us else
                      ["%m/%d/%Y", "%B %d, %Y", "%Y-%m-%d", "%m/%d/%y", "%b %d %Y"],
                "de": ["%d.%m.%Y", "%d.%m.%Y", "%d. %B %Y", "%Y-%m-%d", "%d.%m.%y", "%-d.%-m.%Y"],
                "fr": ["%d/%m/%Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d.%m.%Y"],
                "es": ["%d/%m/%Y", "%d-%m-%Y", "%d de %B de %Y", "%Y-%m-%d", "%d/%m/%y"],
                "it": ["%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%Y-%m-%d", "%d-%m-%Y"],
                "nl": ["%d-%m-%Y", "%-d-%-m-%Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y"],
            }[lang]
            form = self.c(pool)
        out = (form.replace("%Y", "%04d" % y).replace("%y", "%02d" % (y % 100))
               .replace("%-m", str(m)).replace("%m", "%02d" % m).replace("%-d", str(d)).replace("%d", "%02d" % d)
               .replace("%B", MONTHS[lang][m - 1]).replace("%b", MON3[lang][m - 1]))
        return out

    def date(self, kind="recent", form=None, age=None):
        if kind == "dob":
            if age:
                ymd = self.ymd(self.year - age - 1, self.year - age - 1)
            else:
                ymd = self.ymd(1930, 2004)
        else:
            ymd = self.ymd(self.year, self.year)
        return ("DATE", self.fmt_date(ymd, form))

    def time(self):
        return "%02d:%02d" % (self.r.randint(0, 23), self.c([0, 5, 10, 15, 20, 30, 40, 45, 50, 55]))

    # --- addresses ---
    def addr(self):
        """dict with street, pc, town, line2 (postcode+town line in the national order), region"""
        r, lang = self.r, self.lang
        n = r.randint(1, 180)
        if lang == "en" and not self.us:
            town, area = self.c(UK_TOWNS)
            pc = "%s%d%s %d%s%s" % (area, r.randint(1, 19), "",
                                   r.randint(1, 9), self.c("ABDEFGHJLNPQRSTUWXYZ"), self.c("ABDEFGHJLNPQRSTUWXYZ"))
            st = "%d %s %s" % (n, self.c(UK_STREETS), self.c(UK_TYPES))
            if self.p(0.2):
                st = self.c(["Flat %d, " % r.randint(1, 30), "Flat %d%s, " % (r.randint(1, 9), self.c("ABC")), "Apartment %d, " % r.randint(1, 60)]) + st
            return {"street": st, "pc": pc, "town": town, "line2": None, "lines": [town.upper() if self.p(0.4) else town, pc]}
        if lang == "en":
            town, state, z3 = self.c(US_TOWNS)
            z = "%05d" % (z3 * 100 + r.randint(1, 99)) if z3 > 99 else "%05d" % (z3 * 100 + r.randint(1, 99))
            if self.p(0.25):
                z += "-" + D(4, r)
            st = "%d %s %s" % (r.randint(10, 9899), self.c(US_STREETS), self.c(US_TYPES))
            if self.p(0.3):
                st += self.c([" Apt %d%s" % (r.randint(1, 12), self.c("ABCD")), " Unit %d" % r.randint(1, 40), ", Suite %d" % r.randint(100, 450), " #%d" % r.randint(2, 30)])
            l2 = "%s, %s %s" % (town, state, z)
            return {"street": st, "pc": z, "town": town, "line2": l2, "lines": [l2]}
        if lang == "de":
            town, a, b2 = self.c(DE_TOWNS)
            pc = "%05d" % r.randint(a, b2)
            hn = str(n) + (self.c(["a", "b", "c", " a"]) if self.p(0.15) else "") + ("-%d" % (n + 2) if self.p(0.05) else "")
            k = r.random()
            if k < 0.45:
                st = self.c(DE_STREETS) + self.c(["straße", "str.", "straße", "weg", "allee", "gasse", "ring", "platz", "Str."]).replace("Str.", "str.") + " " + hn
            elif k < 0.65:
                st = self.c(DE_PERSON_STREETS) + self.c(["Straße", "Str.", "Allee", "Platz", "Ring"]) + " " + hn
            elif k < 0.85:
                st = self.c(DE_PREP) + " " + hn
            else:
                st = self.c(["Berliner", "Hamburger", "Frankfurter", "Alte", "Lange", "Hohe"]) + " " + self.c(["Straße", "Str.", "Weg", "Chaussee"]) + " " + hn
            pre = "D-" if self.p(0.12) else ""
            l2 = pre + pc + " " + (town.upper() if self.p(0.15) else town)
            return {"street": st, "pc": pc, "town": town, "line2": l2, "lines": [l2]}
        if lang == "fr":
            town, a, b2 = self.c(FR_TOWNS)
            pc = "%05d" % r.randint(a, b2)
            if town == "Paris":
                pc = "750%02d" % r.randint(1, 20)
            if town == "Lyon":
                pc = "6900%d" % r.randint(1, 9)
            num = str(n) + (self.c([" bis", " ter", "bis", " B"]) if self.p(0.12) else "")
            st = num + self.c([" ", ", "]) + self.c(FR_STREETS)
            if self.p(0.15):
                st = self.c(["Bât. C, ", "Appt 12, ", "Esc. B, ", "Rés. du Parc, "]) + st
            l2 = pc + " " + (town.upper() if self.p(0.5) else town)
            return {"street": st, "pc": pc, "town": town, "line2": l2, "lines": [l2]}
        if lang == "es":
            town, a, b2 = self.c(ES_TOWNS)
            pc = "%05d" % r.randint(a, b2)
            base = self.c(ES_STREETS)
            k = r.random()
            if k < 0.5:
                st = "%s, %d, %s" % (base, n, self.c(ES_FLOORS))
            elif k < 0.8:
                st = "%s %d" % (base, n)
            else:
                st = "%s, nº %d %s" % (base, n, self.c(ES_FLOORS))
            l2 = pc + " " + town + (" (%s)" % town if self.p(0.15) else "")
            return {"street": st, "pc": pc, "town": town, "line2": l2, "lines": [l2]}
        if lang == "it":
            town, prov, a, b2, pre = self.c(IT_TOWNS)
            pc = pre + "%03d" % r.randint(a, b2)
            hn = str(n) + (self.c(["/B", "/a", " int. 4", " sc. B", "/3"]) if self.p(0.2) else "")
            st = self.c(IT_STREETS) + self.c([" ", ", "]) + hn
            l2 = pc + " " + (town.upper() if self.p(0.2) else town) + self.c([" (%s)" % prov, " %s" % prov, ""])
            return {"street": st, "pc": pc, "town": town, "line2": l2, "lines": [l2]}
        town, a, b2 = self.c(NL_TOWNS)
        pc4 = str(r.randint(a, b2))
        lets = self.c("ABCEGHJKLMNPRTVWXZ") + self.c("ABCEGHJKLMNPRTVWXZ")
        pc = pc4 + self.c([" ", " ", ""]) + lets
        hn = str(n) + (self.c([" A", "-1", "-II", " hs", "bis", "a", " bg"]) if self.p(0.25) else "")
        st = self.c(NL_STREETS) + " " + hn
        l2 = pc + self.c([" ", "  "]) + (town.upper() if self.p(0.3) else town)
        return {"street": st, "pc": pc, "town": town, "line2": l2, "lines": [l2]}

    def addr_items(self, a, sep="\n"):
        """street line + postcode/town line(s) as ADDRESS spans, joined by sep"""
        out = [("ADDRESS", a["street"])]
        if a["line2"] is None:  # UK: town and postcode on their own lines
            if sep == "\n":
                out += ["\n", ("ADDRESS", a["lines"][0]), "\n", ("ADDRESS", a["lines"][1])]
            else:
                out += [sep, ("ADDRESS", a["lines"][0] + " " + a["lines"][1])]
        else:
            out += [sep, ("ADDRESS", a["line2"])]
        return out

    def addr_oneline(self, a):
        if a["line2"] is None:
            return a["street"] + ", " + a["town"] + " " + a["pc"]
        return a["street"] + ", " + a["line2"]

    # --- phones ---
    def phone(self, mobile=None):
        r, lang = self.r, self.lang
        mobile = self.p(0.45) if mobile is None else mobile
        g = lambda n: D(n, r)
        if lang == "en" and not self.us:
            if mobile:
                return self.c(["07%s %s" % (g(3), g(6)), "07%s%s" % (g(3), g(6)), "+44 7%s %s" % (g(3), g(6)),
                               "+44 (0)7%s %s %s" % (g(3), g(3), g(3)), "07%s-%s" % (g(3), g(6))])
            ac = self.c(["020", "0113", "0161", "0121", "0131", "0141", "029", "0117", "01865", "01603"])
            rest = g(11 - len(ac))
            if len(ac) == 3:
                fm = [ac + " " + rest[:4] + " " + rest[4:], "+44 (0)" + ac[1:] + " " + rest[:4] + " " + rest[4:], "(" + ac + ") " + rest[:4] + " " + rest[4:]]
            else:
                fm = [ac + " " + rest[:3] + " " + rest[3:], ac + " " + rest, "+44 (0)" + ac[1:] + " " + rest[:3] + " " + rest[3:], "(" + ac + ") " + rest]
            fm.append(ac + rest)
            ph = self.c(fm)
            if self.p(0.12):
                ph += self.c([" ext. %s" % g(4), " x%s" % g(3), " ext %s" % g(4)])
            return ph
        if lang == "en":
            a, b2, c2 = str(r.randint(201, 989)), str(r.randint(2, 9)) + g(2), g(4)
            if a[1] == "1" and a[2] == "1":
                a = "617"
            ph = self.c(["(%s) %s-%s" % (a, b2, c2), "%s-%s-%s" % (a, b2, c2), "%s.%s.%s" % (a, b2, c2), "+1 %s %s %s" % (a, b2, c2),
                         "1-%s-%s-%s" % (a, b2, c2), "%s%s%s" % (a, b2, c2), "+1 (%s) %s-%s" % (a, b2, c2)])
            if self.p(0.12):
                ph += self.c([" x%s" % g(3), " ext. %s" % g(3), " Ext %s" % g(4)])
            return ph
        if lang == "de":
            if mobile:
                p = self.c(["0151", "0160", "0170", "0171", "0176", "0157", "0162"])
                n = g(self.c([7, 8]))
                return self.c([p + " " + n, p + "/" + n, p + "-" + n, "+49 " + p[1:] + " " + n, "+49 (0)" + p[1:] + " " + n,
                               "0049 " + p[1:] + " " + n, p + " " + n[:3] + " " + n[3:], p + n])
            ac = self.c(["030", "040", "089", "0221", "069", "0341", "0761", "0561", "0381", "0521", "06131", "09131", "0441"])
            n = g(10 - len(ac) + self.c([0, 1]))
            pairs = " ".join(n[i:i + 2] for i in range(0, len(n), 2))
            fm = [ac + " " + n, ac + "/" + n, ac + "-" + n, ac + " / " + n, "(" + ac + ") " + n, "(0" + ac[1:] + ") " + pairs,
                  "+49 (0)" + ac[1:] + " " + n, "+49 " + ac[1:] + " " + n, "+49-" + ac[1:] + "-" + n, ac + " " + pairs, ac + n]
            ph = self.c(fm)
            if self.p(0.15):
                ph = ac + self.c([" ", "/"]) + n[:-2] + "-" + g(self.c([2, 3, 4]))
            return ph
        if lang == "fr":
            p = ("0" + self.c("67")) if mobile else ("0" + self.c("12345"))
            n = [g(2) for _ in range(4)]
            return self.c([p + " " + " ".join(n), p + "." + ".".join(n), p + "".join(n), p + "-" + "-".join(n),
                           "+33 (0)" + p[1] + " " + " ".join(n), "+33 " + p[1] + " " + " ".join(n), "0033 " + p[1] + " " + " ".join(n),
                           "+33" + p[1] + "".join(n), p + " " + " ".join(n)])
        if lang == "es":
            if mobile:
                p = self.c(["6", "7"]) + g(2)
            else:
                p = self.c(["91", "93", "95", "96", "94", "98", "976", "948", "985", "965"])
                p = p + g(3 - len(p))
            n = g(6)
            full = p + n
            return self.c([full[:3] + " " + full[3:6] + " " + full[6:], full, full[:2] + " " + full[2:5] + " " + full[5:7] + " " + full[7:],
                           "+34 " + full[:3] + " " + full[3:6] + " " + full[6:], "(+34) " + full, "0034 " + full,
                           full[:3] + " " + full[3:5] + " " + full[5:7] + " " + full[7:], full[:3] + "-" + full[3:6] + "-" + full[6:]])
        if lang == "it":
            if mobile:
                p = "3" + self.c(["20", "28", "33", "35", "38", "39", "40", "47", "49", "66", "88", "93"])
                n = g(7)
                return self.c([p + " " + n, p + " " + n[:3] + " " + n[3:], p + "-" + n, p + "/" + n, p + n, "+39 " + p + " " + n,
                               "+39 " + p + " " + n[:3] + " " + n[3:], "0039 " + p + n])
            p = self.c(["06", "02", "081", "011", "051", "055", "091", "080", "010", "045", "049"])
            n = g(self.c([6, 7, 8]) if len(p) == 2 else self.c([6, 7]))
            ph = self.c([p + " " + n, p + "-" + n, p + "/" + n, p + " " + n[:4] + " " + n[4:], p + n, "+39 " + p + " " + n,
                         "+39 " + p + n, "(" + p + ") " + n, "0039 " + p + " " + n])
            return ph
        # nl
        if mobile:
            n = g(8)
            return self.c(["06-" + n, "06 " + n, "06 " + n[:4] + " " + n[4:], "06 - " + n, "+31 6 " + n, "+31 (0)6 " + n,
                           "+31 6 " + n[:2] + " " + n[2:5] + " " + n[5:], "0031 6 " + n, "06" + n])
        p = self.c(["020", "010", "030", "070", "050", "040", "043", "038", "024", "058", "023", "0118", "0513"])
        n = g(10 - len(p))
        return self.c([p + "-" + n, p + " " + n, p + " " + n[:3] + " " + n[3:], p + " - " + n, "+31 (0)" + p[1:] + " " + n,
                       "+31 " + p[1:] + " " + n, "0031 " + p[1:] + " " + n, p + n, "(" + p + ") " + n])

    def phone_x(self, mobile=None):
        """phone, landlines sometimes with an extension in the national wording"""
        mobile = self.p(0.45) if mobile is None else mobile
        ph = self.phone(mobile)
        if not mobile and self.lang in ("fr", "es", "it", "nl") and self.p(0.15):
            ph += self.L(fr=[" poste %s", " p. %s"], es=[" ext. %s", " extensión %s"], it=[" int. %s", " interno %s"],
                         nl=[" toestel %s", " tst. %s"]) % D(self.c([3, 4]), self.r)
        return ph

    def phone_label(self, mobile=False):
        if mobile:
            return self.L(en=["Mob", "Mobile", "Mob.", "M:", "mobile"], de=["Handy", "Mobil", "Handy-Nr.", "Mobiltelefon", "mobil"],
                          fr=["Portable", "Mob.", "portable", "Tél. port.", "GSM"], es=["Móvil", "Tfno. móvil", "móvil", "Movil"],
                          it=["Cell.", "cellulare", "Cellulare", "cell", "Mobile"], nl=["Mobiel", "mob.", "GSM", "Mobiel nr."])
        return self.L(en=["Tel", "Tel.", "Phone", "Ph", "T:", "Contact no.", "tel"], de=["Tel.", "Telefon", "Fon", "Tel", "Ruf", "Tel.-Nr."],
                      fr=["tél", "Tél.", "tel.", "Téléphone", "Tél", "tél."], es=["Tfno", "Tfno.", "Tlf.", "Teléfono", "Tel.", "tfno"],
                      it=["tel.", "Tel", "Telefono", "recapito", "tel", "Tel.:"], nl=["tel.", "Telefoon", "Tel.nr.", "tel", "Tel"])

    # --- record ids ---
    def nhs(self):
        while True:
            d = [self.r.randint(0, 9) for _ in range(9)]
            d[0] = self.r.randint(3, 9)
            c = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
            if c == 11:
                c = 0
            if c != 10:
                s = "".join(map(str, d)) + str(c)
                return self.c([s[:3] + " " + s[3:6] + " " + s[6:], s, s[:3] + "-" + s[3:6] + "-" + s[6:]])

    def record_id(self, short=False):
        """(label, value) in the conventions of the language"""
        r, g = self.r, lambda n: D(n, self.r)
        if short:
            return ("", str(r.randint(10000, 999999)))
        opts = {
            "en": [("MRN", g(8)), ("MRN", "M" + g(7)), ("Hospital No.", self.c(["RXH", "K", "RJ1", "H"]) + g(6)),
                   ("NHS No.", self.nhs()), ("Unit No.", g(6)), ("NHS number", self.nhs()), ("Hosp. no", g(7)),
                   ("CRN", self.c(["A", "B", "D"]) + g(6)), ("MRN#", g(7))],
            "de": [("Fallnr.", str(self.year) + g(6)), ("Pat.-Nr.", g(8)), ("PID", g(7)), ("Fallnummer", g(9)),
                   ("Aufn.-Nr.", g(8)), ("Patientennummer", g(7)), ("Fall-Nr.", g(10)), ("KIS-Nr.", g(8))],
            "fr": [("IPP", g(9)), ("IPP", self.c(["1", "2"]) + g(9)), ("NDA", g(9)), ("N° de dossier", g(8)),
                   ("N° séjour", str(self.year % 100) + g(7)), ("IEP", g(10)), ("n° patient", g(7))],
            "es": [("NHC", g(7)), ("NHC", g(6)), ("Nº Historia", g(8)), ("Nº H.ª", g(7)), ("Nº episodio", g(9)),
                   ("NUHSA", "AN" + g(10)), ("Historia clínica", g(6))],
            "it": [("n. cartella", "%d/%06d" % (self.year, r.randint(1, 99999))), ("nosologico", str(self.year) + g(6)),
                   ("ID paziente", g(8)), ("cartella clinica", g(7)), ("N. ricovero", g(9)), ("cod. paziente", g(7))],
            "nl": [("patiëntnr.", g(7)), ("Patiëntnummer", g(7)), ("ZIS-nr.", g(8)), ("opnamenr.", g(9)),
                   ("pat.nr", g(7)), ("Patiëntnr", g(8)), ("EPD-nr.", g(7))],
        }
        return self.c(opts[self.lang])

    def accession(self):
        g = lambda n: D(n, self.r)
        y = "%02d" % (self.year % 100)
        return self.c(["ACC" + y + g(6), "L" + y + "-" + g(6), "RAD" + y + "-" + g(7), "CT" + y + g(6), y + "-" + g(5),
                       "P" + y + "/" + g(5), "H" + y + "." + g(5), "E" + g(9), "MR" + g(8)])

    # --- money ---
    def iban(self, cc=None, valid=None, grouped=None):
        r, g = self.r, lambda n: D(n, self.r)
        cc = cc or {"en": "GB", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL"}[self.lang]
        if cc == "GB":
            bban = self.c(["NWBK", "BARC", "LOYD", "MIDL", "HBUK", "NAIA"]) + g(14)
        elif cc == "DE":
            bban = self.c(["37040044", "10010010", "20050550", "50010517", "70150000", "43060967"]) + g(10)
        elif cc == "FR":
            bban = self.c(["30004", "20041", "30003", "10278", "18206", "30002"]) + g(5) + g(11) + g(2)
        elif cc == "ES":
            bban = self.c(["2100", "0049", "0182", "2085", "0081", "1465"]) + g(4) + g(2) + g(10)
        elif cc == "IT":
            bban = self.c("ABCDEFGHIJKLMNOPRSTUVWXYZ") + self.c(["03069", "02008", "05034", "01030", "03062", "05428"]) + g(5) + g(12)
        elif cc == "NL":
            bban = self.c(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "KNAB", "ASNB"]) + g(10)
        elif cc == "BE":
            b = g(10)
            bban = b + "%02d" % (int(b) % 97 or 97)
        else:
            raise ValueError(cc)
        chk = iban_check(cc, bban)
        valid = self.p(0.67) if valid is None else valid
        if not valid:
            chk = "%02d" % ((int(chk) + r.randint(1, 90)) % 97 + 2)
            if chk == iban_check(cc, bban):
                chk = "%02d" % ((int(chk) + 1) % 97 + 2)
        s = cc + chk + bban
        grouped = self.p(0.55) if grouped is None else grouped
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if grouped else s

    def card(self):
        r = self.r
        pre = self.c(["4", "4", "51", "53", "55", "2221", "37", "6011", "9" + D(2, r)])
        ln = 15 if pre == "37" else 16
        body = pre + D(ln - 1 - len(pre), r)
        chk = luhn_digit(body)
        if self.p(0.4):
            chk = str((int(chk) + r.randint(1, 9)) % 10)
        s = body + chk
        if ln == 15:
            return self.c([s, s[:4] + " " + s[4:10] + " " + s[10:]])
        return self.c([s, " ".join(s[i:i + 4] for i in range(0, 16, 4)), "-".join(s[i:i + 4] for i in range(0, 16, 4))])

    def customer_no(self):
        g = lambda n: D(n, self.r)
        return self.c([
            {"en": ("Customer no.", g(8)), "de": ("Kundennr.", g(4) + "-" + g(4)), "fr": ("N° client", g(9)),
             "es": ("Nº cliente", g(8)), "it": ("Codice cliente", g(8)), "nl": ("Klantnummer", g(9))}[self.lang],
            {"en": ("CIF", g(8)), "de": ("Kunden-ID", "K" + g(7)), "fr": ("Réf. client", "C" + g(8)),
             "es": ("Código de cliente", g(10)), "it": ("NDG", g(9)), "nl": ("Relatienummer", g(8))}[self.lang],
        ])

    def loan_no(self):
        g = lambda n: D(n, self.r)
        return {"en": ("Loan account", g(4) + "-" + g(6)), "de": ("Darlehensnr.", g(10)), "fr": ("Prêt n°", g(11)),
                "es": ("Préstamo nº", g(4) + "-" + g(4) + "-" + g(2) + "-" + g(10)), "it": ("Mutuo n.", g(10)),
                "nl": ("Leningnummer", g(9))}[self.lang]

    def amount(self, lo=5, hi=25000):
        a = round(self.r.uniform(lo, hi), 2)
        if self.us:
            return "$" + format(a, ",.2f")
        return AMOUNT_FMT[self.lang](a)

    # --- id documents / licences / misc ---
    def id_doc(self):
        r, g = self.r, lambda n: D(n, self.r)
        lang = self.lang
        if lang == "en" and self.us:
            return ("SSN", "%03d-%s-%s" % (r.randint(100, 665), g(2), g(4)))
        if lang == "en":
            return ("NI No.", "%s%s %s %s %s %s" % (self.c("ABCEGHJKLMNPRSTWXYZ"), self.c("ABCEGHJKLMNPRSTWXYZ"), g(2), g(2), g(2), self.c("ABCD")))
        if lang == "de":
            al = "CFGHJKLMNPRTVWXYZ0123456789"
            return self.c([("Personalausweis", self.c("LMNPRTVWXY") + "".join(self.c(al) for _ in range(8))),
                           ("Steuer-ID", str(r.randint(1, 9)) + g(10))])
        if lang == "fr":
            sx, yy, mm, dep, com, ordn = self.c("12"), g(2), "%02d" % r.randint(1, 12), "%02d" % r.randint(1, 95), g(3), g(3)
            n = int(sx + yy + mm + dep + com + ordn)
            key = "%02d" % (97 - n % 97)
            return ("NIR", " ".join([sx, yy, mm, dep, com, ordn, key]))
        if lang == "es":
            if self.p(0.7):
                n = r.randint(10000000, 99999999)
                return ("DNI", "%08d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]))
            p = self.c("XYZ")
            n = r.randint(1000000, 9999999)
            return ("NIE", "%s%07d%s" % (p, n, "TRWAGMYFPDXBNJZSQVHLCKE"[int(str("XYZ".index(p)) + "%07d" % n) % 23]))
        if lang == "it":
            cons = "BCDFGHLMNPRSTVZ"
            cf = "".join(self.c(cons) for _ in range(6)) + g(2) + self.c("ABCDEHLMPRST") + "%02d" % r.randint(1, 71) + self.c("ABCDEFGHILM") + g(3) + self.c("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            return ("C.F.", cf)
        while True:
            d = [r.randint(0, 9) for _ in range(9)]
            if (sum(x * (9 - i) for i, x in enumerate(d[:8])) - d[8]) % 11 == 0 and d[0] in (1, 2, 3, 4, 5, 6, 7):
                return ("BSN", "".join(map(str, d)))

    def license(self):
        g = lambda n: D(n, self.r)
        if self.lang == "en" and self.us:
            body = g(9)
            body = self.c("12") + body[1:]
            return ("NPI", body + luhn_digit("80840" + body))
        return {"en": self.c([("GMC", g(7)), ("NMC PIN", g(2) + self.c("ABCDEFGHIJ") + g(4) + self.c("ABCEO"))]),
                "de": ("LANR", g(9)), "fr": ("RPPS", "10" + g(9)), "es": ("Nº col.", self.c(["28", "08", "41", "46", "48"]) + g(7)),
                "it": ("iscr. OMCeO n.", g(5)), "nl": ("BIG", g(11))}[self.lang]

    def plate(self):
        r, L_ = self.r, lambda n: "".join(self.c("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(n))
        g = lambda n: D(n, r)
        return {"en": self.c(["%s%s %s" % (L_(2), g(2), L_(3)), "%s %s%s" % (g(3), L_(3), "")]) if not self.us else "%s-%s" % (g(3), L_(4)),
                "de": "%s-%s %d" % (self.c(["B", "M", "HH", "K", "L", "FR", "KS", "HRO", "BI", "MZ", "ER"]), L_(self.c([1, 2])), r.randint(1, 9999)),
                "fr": "%s-%s-%s" % (L_(2), g(3), L_(2)), "es": "%s %s" % (g(4), "".join(self.c("BCDFGHJKLMNPRSTVWXYZ") for _ in range(3))),
                "it": "%s %s%s" % (L_(2), g(3), L_(2)), "nl": self.c(["%s-%s-%s" % (g(2), L_(3), g(1)), "%s-%s-%s" % (L_(2), g(3), L_(1)), "%s-%s-%s" % (g(1), L_(3), g(2))])}[self.lang]

    def ip(self):
        r = self.r
        if self.p(0.2):
            return "2001:db8:%x:%x::%x" % (r.randint(1, 0xffff), r.randint(1, 0xffff), r.randint(1, 0xfff))
        return self._ip4()

    def _ip4(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return "10.%d.%d.%d" % (r.randint(0, 255), r.randint(0, 255), r.randint(2, 254))
        if k < 0.5:
            return "192.168.%d.%d" % (r.randint(0, 255), r.randint(2, 254))
        return "%d.%d.%d.%d" % (r.choice([62, 78, 81, 85, 91, 145, 185, 213, 217]), r.randint(0, 255), r.randint(0, 255), r.randint(2, 254))

    def uuid(self):
        h = "".join(self.c("0123456789abcdef") for _ in range(32))
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], self.c("89ab"), h[17:20], h[20:])

    def other_ref(self, kind):
        g = lambda n: D(n, self.r)
        y = "%02d" % (self.year % 100)
        return {"claim": self.c(["CLM-%s-%s" % (y, g(7)), "C%s%s" % (y, g(8)), "%s%s-%s" % (y, g(4), g(4))]),
                "mandate": self.c(["MNDT-%s-%s" % (g(4), g(6)), "M%s%s" % (y, g(9)), "SEPA%s" % g(10)]),
                "e2e": self.c(["E2E%s%s" % (y, g(12)), "NOTPROVIDED" if False else "EREF-%s" % g(10), "PAY%s%s" % (y, g(8))]),
                "parcel": self.c(["JJD%s" % g(17), "1Z%s%s" % ("".join(self.c("0123456789ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(6)), g(10)),
                                  "CX%s%s" % (g(9), self.c(["DE", "FR", "IT", "ES", "NL", "GB"])), "%s-%s" % (g(4), g(7))]),
                "invoice": self.c(["INV-%s-%s" % (y, g(5)), "RG%s%s" % (y, g(6)), "F%s%s" % (y, g(6)), "%s/%s" % (g(6), y)]),
                "ticket": self.c(["INC%s" % g(7), "SR-%s" % g(6), "TKT%s" % g(6)])}[kind]


# ----------------------------------------------------------------------------------------------
# styles (none of them is in the pii_heldout style table)
# ----------------------------------------------------------------------------------------------
def P(v): return ("PERSON", v)
def A(v): return ("ADDRESS", v)
def R(v): return ("RECORD_ID", v)
def T(v): return ("PHONE", v)
def M(v): return ("EMAIL", v)
def AC(v): return ("ACCOUNT", v)
def K(v): return ("KEEP", v)
def AGE(v): return ("AGE_OVER_89", str(v))
def O(v): return ("OTHER_ID", v)
def LI(v): return ("LICENSE", v)


def age_cell(c, compact=True):
    """an age/sex table cell: over-89 ages are PII, younger ones are unlabelled"""
    if c.p(0.5):
        a = c.age()
        return AGE(c.age_compact(a)) if compact else AGE(a)
    a = c.young_age()
    return ("%d%s%s" % (a, c.c(["", " ", "/"]), c.sex())) if compact else str(a)


def st_bed_board(b, c):
    H = {"en": ["Bed", "Patient", "Age/Sex", "MRN", "Consultant", "NEWS2", "Notes"],
         "de": ["Bett", "Patient", "Alter/G", "Pat.-Nr.", "Arzt", "NEWS2", "Bemerkung"],
         "fr": ["Lit", "Patient", "Âge/S", "IPP", "Médecin", "NEWS2", "Remarques"],
         "es": ["Cama", "Paciente", "Edad/S", "NHC", "Médico", "NEWS2", "Observ."],
         "it": ["Letto", "Paziente", "Età/S", "ID paz.", "Medico", "NEWS2", "Note"],
         "nl": ["Bed", "Patiënt", "Lft/G", "Patnr.", "Arts", "NEWS2", "Opm."]}[c.lang]
    ward = c.c(WARDS[c.lang])
    code = c.c(["4B", "K3", "A2", "C4", "7", "12", "B3"])
    title = c.L(en="Bed board", de="Bettenübersicht", fr="Tableau des lits", es="Pizarra de camas", it="Tabellone letti", nl="Beddenbord")
    tpl(b, "{t} – {w} – {d} {h}\n", t=title, w=K(ward), d=c.date(), h=K(c.time()))
    rows, beds = [], c.r.sample(range(1, 29), c.r.randint(4, 8))
    title_dr = c.L(en=["Dr ", "Dr. ", "Mr ", "Ms "], de=["Dr. ", "OA ", "Dr. med. "], fr=["Dr ", "Pr "], es=["Dr. ", "Dra. "],
                   it=["Dott. ", "Dr.ssa ", "Prof. "], nl=["dr. ", "Dr. "])
    drs = [c.person() for _ in range(2)]
    for bd in sorted(beds):
        fl = c.person()
        nm = c.name(fl, c.c(["LF", "LFs", "Lf", "lF", "Li", "FL"]))
        d = c.c(drs)
        doc = c.c([[title_dr, P(d[1])], [P(c.initials(d))], [P(c.name(d, "iL"))]])
        note = c.c([K(c.c(DRUGS[c.lang])), K(c.c(LABS)), K(c.c(SCORES)), K(c.c(ICD)), "", c.L(en="NBM", de="nüchtern", fr="à jeun", es="dieta absoluta", it="digiuno", nl="nuchter")])
        rows.append([K("%s-%02d" % (code, bd)), P(nm), age_cell(c), R(c.record_id(short=True)[1]) if c.p(0.6) else R(c.record_id()[1]),
                     doc, str(c.r.randint(0, 9)), note])
    table(b, H, rows, c.c(["fixed", "pipe", "tsv", "fixed"]))


def st_mar_tsv(b, c):
    fl = c.person()
    lab, mrn = c.record_id()
    a = c.age() if c.p(0.5) else None
    H = {"en": ["Date", "Time", "Drug", "Dose", "Route", "Given by", "Witness"],
         "de": ["Datum", "Zeit", "Medikament", "Dosis", "Appl.", "Verabreicht", "Gegenzeichnung"],
         "fr": ["Date", "Heure", "Médicament", "Dose", "Voie", "Administré par", "Témoin"],
         "es": ["Fecha", "Hora", "Fármaco", "Dosis", "Vía", "Administrado por", "Testigo"],
         "it": ["Data", "Ora", "Farmaco", "Dose", "Via", "Somministrato da", "Testimone"],
         "nl": ["Datum", "Tijd", "Medicatie", "Dosis", "Route", "Toegediend door", "Controle"]}[c.lang]
    hdr = c.L(en="MAR export", de="Kurvenblatt Medikation", fr="Plan d'administration", es="Hoja de administración",
              it="Foglio unico di terapia", nl="Toedienregistratie")
    b.t(hdr + "\t")
    tpl(b, "{wl}: {w}\t{pl}: {p}\t{dl}: {d}\t{ml}: {m}", wl=c.L(en="Ward", de="Station", fr="Service", es="Unidad", it="Reparto", nl="Afdeling"),
        w=K(c.c(WARDS[c.lang])), pl=H[0] and c.L(en="Patient", de="Patient", fr="Patient", es="Paciente", it="Paziente", nl="Patiënt"),
        p=P(c.name(fl, c.c(["LF", "fl", "Lf", "LFs"]))), dl=c.L(en="DOB", de="Geb.", fr="DDN", es="F. nac.", it="Nato il", nl="Geb.datum"),
        d=c.date("dob", age=a), ml=lab or "MRN", m=R(mrn))
    if a:
        b.t("\t").e(c.age_phrase(a))
    b.t("\n")
    if c.p(0.5):
        tpl(b, "{al}: {k}\n", al=c.L(en="Weight", de="Gewicht", fr="Poids", es="Peso", it="Peso", nl="Gewicht"), k=K("%d kg" % c.r.randint(41, 96)))
    nurses = [c.person() for _ in range(3)]
    days = [c.date(form=c.c(["%d/%m", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"])) for _ in range(2)]
    rows = []
    for _ in range(c.r.randint(4, 9)):
        drug = c.c(DRUGS[c.lang])
        nm, dose = drug.split(" ", 1) if " " in drug else (drug, "")
        route = c.L(en=["PO", "IV", "SC", "IM", "SL", "NG"], de=["i.v.", "p.o.", "s.c.", "i.m.", "PEG"], fr=["PO", "IV", "SC", "IVL", "IM"],
                    es=["VO", "IV", "SC", "IM", "SNG"], it=["os", "ev", "sc", "im", "SNG"], nl=["p.o.", "i.v.", "s.c.", "i.m.", "sonde"])
        giver = c.c(nurses)
        gv = c.c([P(c.initials(giver)), P(c.name(giver, "iL")), P(c.name(giver, "Li")), P(c.userid(giver))])
        wit = c.c(["", "", P(c.initials(c.c(nurses)))])
        rows.append([c.c(days), K(c.c(["06:00", "08:00", "12:00", "14:00", "18:00", "22:00", c.time()])), K(nm), K(dose) if dose else "",
                     route, gv, wit])
    table(b, H, rows, "tsv")


def st_shift_roster(b, c):
    H = {"en": ["Name", "Role", "Ward", "Shift", "Start", "End", "Mobile", "Email", "Reg. no."],
         "de": ["Name", "Funktion", "Station", "Dienst", "Beginn", "Ende", "Handy", "E-Mail", "LANR"],
         "fr": ["Nom", "Fonction", "Service", "Poste", "Début", "Fin", "Portable", "Courriel", "RPPS"],
         "es": ["Nombre", "Categoría", "Unidad", "Turno", "Inicio", "Fin", "Móvil", "Correo", "Nº colegiado"],
         "it": ["Nominativo", "Qualifica", "Reparto", "Turno", "Inizio", "Fine", "Cellulare", "Email", "N. iscrizione"],
         "nl": ["Naam", "Functie", "Afdeling", "Dienst", "Begin", "Eind", "Mobiel", "E-mail", "BIG-nr."]}[c.lang]
    roles = c.L(en=[["Staff Nurse", "HCA", "FY1", "Reg", "Sister"]], de=[["Pflege", "Assistenzarzt", "OA", "PFK", "Stationsleitung"]],
                fr=[["IDE", "AS", "Interne", "PH", "Cadre"]], es=[["Enfermera", "TCAE", "MIR", "Adjunto", "Supervisora"]],
                it=[["Infermiere", "OSS", "Specializzando", "Dirigente medico", "Coordinatrice"]],
                nl=[["Verpleegkundige", "Arts-assistent", "Specialist", "Zorgassistent", "Teamleider"]])
    shifts = c.L(en=[[("Early", "07:00", "15:00"), ("Late", "13:30", "21:30"), ("Night", "21:00", "07:30")]],
                 de=[[("Früh", "06:00", "14:15"), ("Spät", "13:45", "22:00"), ("Nacht", "21:45", "06:15")]],
                 fr=[[("Matin", "06:45", "14:15"), ("Soir", "13:45", "21:15"), ("Nuit", "21:00", "07:00")]],
                 es=[[("Mañana", "08:00", "15:00"), ("Tarde", "15:00", "22:00"), ("Noche", "22:00", "08:00")]],
                 it=[[("Mattino", "07:00", "14:00"), ("Pomeriggio", "14:00", "21:00"), ("Notte", "21:00", "07:00")]],
                 nl=[[("Vroeg", "07:00", "15:30"), ("Laat", "15:00", "23:30"), ("Nacht", "23:00", "07:30")]])
    ward = c.c(WARDS[c.lang])
    tpl(b, "{t} {w} — {d1} – {d2}\n", t=c.L(en="Duty roster", de="Dienstplan", fr="Planning", es="Cuadrante de turnos", it="Turni",
                                             nl="Rooster"), w=K(ward), d1=c.date(), d2=c.date())
    rows = []
    for _ in range(c.r.randint(4, 8)):
        fl = c.person()
        role = c.c(roles)
        sh = c.c(shifts)
        lic = c.license()[1] if c.p(0.6) else ""
        rows.append([P(c.name(fl, c.c(["Lf", "fl", "LF", "Li"]))), role, K(ward), sh[0], K(sh[1]), K(sh[2]),
                     T(c.phone(mobile=True)) if c.p(0.85) else "", M(c.email(fl)) if c.p(0.7) else "", LI(lic) if lic else ""])
    table(b, H, rows, c.c(["csv;", "csv,", "tsv", "csv;"]))


def st_claims_batch(b, c):
    g = lambda n: D(n, c.r)
    if c.lang == "en" and c.us:
        H = ["claim_id", "member_id", "pt_last", "pt_first", "dob", "age", "zip", "dos", "icd10", "cpt", "billed", "npi", "rendering"]
    else:
        H = {"en": ["claim_ref", "policy_no", "surname", "forename", "dob", "age", "postcode", "date_of_service", "icd10", "cpt", "amount", "gmc", "clinician"],
             "de": ["Belegnr", "Versichertennr", "Name", "Vorname", "GebDat", "Alter", "PLZ", "Leistungsdatum", "ICD", "OPS", "Betrag", "LANR", "Arzt"],
             "fr": ["n_facture", "n_adherent", "nom", "prenom", "date_naiss", "age", "code_postal", "date_soins", "cim10", "ccam", "montant", "rpps", "praticien"],
             "es": ["n_siniestro", "n_poliza", "apellidos", "nombre", "f_nac", "edad", "cp", "f_servicio", "cie10", "cod_acto", "importe", "n_colegiado", "facultativo"],
             "it": ["n_pratica", "n_polizza", "cognome", "nome", "data_nascita", "eta", "cap", "data_prestazione", "icd9cm", "cod_prest", "importo", "albo", "medico"],
             "nl": ["declaratienr", "verzekerdennr", "achternaam", "voornaam", "geb_datum", "leeftijd", "postcode", "behandeldatum", "icd10", "dbc_zorgproduct", "bedrag", "big", "behandelaar"]}[c.lang]
    codes = {"de": OPS, "fr": ["DEQP003", "YYYY010", "ZBQK002", "HHFA016", "EBQM001"], "es": ["89.52", "88.38", "87.44", "45.23"],
             "it": ["89.7", "89.52", "87.44.1", "88.74.1", "90.62.2"], "nl": ["990089044", "131999208", "990027021", "979001096"]}.get(c.lang, CPT)
    sep = c.c(["csv,", "csv;", "csv|"])
    rows = []
    docs = [c.person() for _ in range(2)]
    for _ in range(c.r.randint(3, 7)):
        fl = c.person()
        ad = c.addr()
        over = c.p(0.45)
        a = c.age() if over else c.young_age()
        dob = c.date("dob", form=c.c(["%Y-%m-%d", "%d.%m.%Y" if c.lang == "de" else "%d/%m/%Y", "%Y%m%d"]), age=a)
        d = c.c(docs)
        amt = "%.2f" % c.r.uniform(20, 4000)
        if sep == "csv;" and c.lang != "en":
            amt = amt.replace(".", ",")
        member = {"en": "W" + g(9) if c.us else g(3) + " " + g(3) + " " + g(4), "de": c.c("ABCDEFGHIJKLMNOPRSTUVWXYZ") + g(9),
                  "fr": g(10), "es": c.c(["ES", "P"]) + g(8), "it": g(8) + "/" + g(2), "nl": g(9)}[c.lang]
        rows.append([O(c.other_ref("claim")), AC(member), P(fl[1].upper() if c.p(0.5) else fl[1]), P(fl[0]), dob,
                     AGE(a) if over else str(a), A(ad["pc"]), c.date(form="%Y-%m-%d"), K(c.c(ICD)), K(c.c(codes)), K(amt),
                     LI(c.license()[1]), P(c.name(d, c.c(["Lf", "fl", "L"])))])
    table(b, H, rows, sep)


def st_core_banking_audit(b, c):
    staff = c.person()
    uid = c.userid(staff)
    cust = c.person()
    cif_label, cif = c.customer_no()
    ip = c.ip()
    day = c.date(form="%Y-%m-%d")
    lines = []
    clock = sorted("%02d:%02d:%02d.%03d" % (c.r.randint(7, 19), c.r.randint(0, 59), c.r.randint(0, 59), c.r.randint(0, 999)) for _ in range(12))

    def ts():
        return [day, " ", K(clock.pop(0))]
    br = "%04d" % c.r.randint(1, 9999)
    lines.append(ts() + [" INFO  auth    user=", P(uid), " branch=", br, " src_ip=", ("IP", ip), " result=OK"])
    lines.append(ts() + [" INFO  cust    user=", P(uid), " action=VIEW cif=", AC(cif), " name=\"", P(c.name(cust, c.c(["LF", "FL", "LFs"]))), "\""])
    events = c.r.sample(["addr", "phone", "iban", "email", "kyc", "limit", "voice", "device", "card"], c.r.randint(3, 6))
    for ev in events:
        if ev == "addr":
            o, n = c.addr(), c.addr()
            lines.append(ts() + [" AUDIT cust    user=", P(uid), " cif=", AC(cif), " field=address old=\"", A(c.addr_oneline(o)), "\" new=\"", A(c.addr_oneline(n)), "\""])
        elif ev == "phone":
            lines.append(ts() + [" AUDIT cust    user=", P(uid), " cif=", AC(cif), " field=", c.c(["phone_home", "phone_mobile", "tel"]), " old=",
                                 T(c.phone()), " new=", T(c.phone())])
        elif ev == "iban":
            lines.append(ts() + [" AUDIT acct    user=", P(uid), " cif=", AC(cif), " action=PAYEE_ADD iban=", AC(c.iban(grouped=False)),
                                 " payee=\"", P(c.name(c.person(), "FL")), "\" limit=", K(c.amount(100, 5000))])
        elif ev == "email":
            lines.append(ts() + [" AUDIT cust    user=", P(uid), " cif=", AC(cif), " field=email new=", M(c.email(cust))])
        elif ev == "kyc":
            lab, v = c.id_doc()
            lines.append(ts() + [" INFO  kyc     user=", P(uid), " cif=", AC(cif), " doc_type=\"", lab, "\" doc_no=", ("ID_DOC", v),
                                 " expiry=", c.date(form="%Y-%m-%d"), " check=PASS"])
        elif ev == "limit":
            lines.append(ts() + [" AUDIT limit   user=", P(uid), " acct=", AC(c.iban()), " daily_limit old=", K(c.amount(500, 2000)),
                                 " new=", K(c.amount(2000, 10000)), " reason_code=", K(c.c(["LIM02", "RSK-7", "CUSTREQ"]))])
        elif ev == "voice":
            lines.append(ts() + [" INFO  ivr     cif=", AC(cif), " voiceprint_id=", ("BIOMETRIC", "VP-" + c.uuid()[:13]), " score=",
                                 K("%.2f" % c.r.uniform(0.6, 0.99)), " match=Y"])
        elif ev == "device":
            lines.append(ts() + [" INFO  mobile  cif=", AC(cif), " device_id=", ("DEVICE", c.uuid()), " ip=", ("IP", c._ip4()), " os=iOS 17.4"])
        elif ev == "card":
            lines.append(ts() + [" AUDIT card    user=", P(uid), " cif=", AC(cif), " action=REPLACE pan=", AC(c.card()), " fee=", K(c.amount(5, 15))])
    lines.append(ts() + [" INFO  auth    user=", P(uid), " action=LOGOFF session_len=", K("%dm%02ds" % (c.r.randint(1, 59), c.r.randint(0, 59)))])
    for ln in lines:
        b.e(ln).t("\n")


def st_dunning_letter(b, c):
    fl = c.person()
    ad = c.addr()
    clerk = c.person()
    lab, cno = c.customer_no()
    male = c.p(0.5)
    sal_title = {"en": ("Mr", "Mrs"), "de": ("Herrn", "Frau"), "fr": ("Monsieur", "Madame"), "es": ("Sr. D.", "Sra. Dña."),
                 "it": ("Sig.", "Sig.ra"), "nl": ("De heer", "Mevrouw")}[c.lang][0 if male else 1]
    b.t(sal_title + " ").s("PERSON", c.name(fl, c.c(["fl", "FL", "iL"]))).t("\n")
    b.e(c.addr_items(ad)).t("\n\n")
    T_ = {"en": ("Final reminder", "Dear", "Our records show that the following amount is overdue:", "Please pay by", "Yours sincerely"),
          "de": ("2. Mahnung", "Sehr geehrte(r)", "leider konnten wir bis heute keinen Zahlungseingang zu folgendem Betrag feststellen:",
                 "Bitte überweisen Sie den Betrag bis zum", "Mit freundlichen Grüßen"),
          "fr": ("Relance – mise en demeure", "Madame, Monsieur", "Sauf erreur de notre part, la somme suivante reste impayée :",
                 "Merci de régler avant le", "Veuillez agréer nos salutations distinguées"),
          "es": ("Requerimiento de pago", "Estimado/a", "Le recordamos que el siguiente importe se encuentra pendiente de pago:",
                 "Le rogamos abone la cantidad antes del", "Atentamente"),
          "it": ("Sollecito di pagamento", "Gentile", "risulta ad oggi non pagato il seguente importo:", "La preghiamo di provvedere entro il",
                 "Distinti saluti"),
          "nl": ("Aanmaning", "Geachte", "Volgens onze administratie staat het volgende bedrag nog open:", "Wij verzoeken u te betalen vóór",
                 "Met vriendelijke groet")}[c.lang]
    tpl(b, "{ll}: {cn}\n", ll=lab, cn=AC(cno))
    if c.p(0.6):
        l2, ln = c.loan_no()
        tpl(b, "{ll}: {cn}\n", ll=l2, cn=AC(ln))
    tpl(b, "{dl}: {d}\n\n{subj}\n\n{hi}", dl=c.L(en="Date", de="Datum", fr="Date", es="Fecha", it="Data", nl="Datum"), d=c.date(), subj=T_[0], hi=T_[1])
    if c.lang != "fr":
        b.t(" " + sal_title.replace("Herrn", "Herr") + " ").s("PERSON", fl[1])
    b.t(",\n\n" + T_[2] + "\n")
    invs = [(O(c.other_ref("invoice")), K(c.amount(20, 3000))) for _ in range(c.r.randint(1, 3))]
    for inv, am in invs:
        tpl(b, "  {i}   {d}   {a}\n", i=inv, d=c.date(), a=am)
    tpl(b, "  {fl}: {f}\n  {il}: {rate}\n\n{pay} {d}, IBAN {ib}.\n",
        fl=c.L(en="Late fee", de="Mahngebühr", fr="Frais de relance", es="Gastos de gestión", it="Spese di sollecito", nl="Aanmaningskosten"),
        f=K(c.amount(2, 40)), il=c.L(en="Interest", de="Verzugszinsen", fr="Intérêts de retard", es="Intereses de demora", it="Interessi di mora", nl="Rente"),
        rate=K(c.c(["8,12 %", "5,37 % p.a.", "9.25% APR", "3,75 %", "TAEG 7,45 %", "TAE 5,20 %"])), pay=T_[3], d=c.date(),
        ib=AC(c.iban()))
    tpl(b, "\n{bye}\n\n{clerk}\n{role}  {tl} {ph}\n", bye=T_[4], clerk=P(c.name(clerk, c.c(["fl", "iL"]))),
        role=c.L(en="Collections", de="Forderungsmanagement", fr="Service recouvrement", es="Dpto. de recobro", it="Ufficio recupero crediti", nl="Debiteurenbeheer"),
        tl=c.phone_label(), ph=T(c.phone_x(mobile=False)))


def st_courier_manifest(b, c):
    H = {"en": ["Stop", "Consignee", "Street", "Postcode", "Town", "Phone", "Parcel", "Weight", "Note"],
         "de": ["Stopp", "Empfänger", "Straße", "PLZ", "Ort", "Telefon", "Sendung", "Gewicht", "Hinweis"],
         "fr": ["Arrêt", "Destinataire", "Adresse", "CP", "Ville", "Tél", "Colis", "Poids", "Remarque"],
         "es": ["Parada", "Destinatario", "Dirección", "CP", "Población", "Tfno", "Envío", "Peso", "Nota"],
         "it": ["Tappa", "Destinatario", "Indirizzo", "CAP", "Località", "Tel", "Collo", "Peso", "Nota"],
         "nl": ["Stop", "Geadresseerde", "Straat", "Postcode", "Plaats", "Tel", "Zending", "Gewicht", "Opm."]}[c.lang]
    if c.us:
        H[3], H[4] = "ZIP", "City"
    driver = c.person()
    tpl(b, "{t} {m}  {dl} {d}  {vl} {v}  {drl} {dr}\n",
        t=c.L(en="MANIFEST", de="Tourenliste", fr="Bordereau de tournée", es="Hoja de ruta", it="Distinta di consegna", nl="Rittenlijst"),
        m=O(c.other_ref("parcel")), dl=c.L(en="date", de="Datum", fr="date", es="fecha", it="data", nl="datum"), d=c.date(),
        vl=c.L(en="van", de="Kfz", fr="véhicule", es="vehículo", it="targa", nl="kenteken"), v=("VEHICLE", c.plate()),
        drl=c.L(en="driver", de="Fahrer", fr="chauffeur", es="conductor", it="autista", nl="chauffeur"), dr=P(c.name(driver, c.c(["fl", "Lf", "iL"]))))
    notes = ["UN3373", "2-8 °C", "+15/+25 °C", "UN1845", c.L(en="signature req.", de="nur persönlich", fr="contre signature", es="entrega en mano",
                                                             it="consegna a mano", nl="handtekening")]
    rows = []
    for i in range(c.r.randint(3, 7)):
        fl = c.person()
        ad = c.addr()
        town = ad["town"].upper() if c.p(0.3) else ad["town"]
        rows.append([str(i + 1), P(c.name(fl, c.c(["fl", "LF", "FL", "Lf"]))), A(ad["street"]), A(ad["pc"]), A(town),
                     T(c.phone_x()) if c.p(0.8) else "", O(c.other_ref("parcel")), K("%.1f kg" % c.r.uniform(0.2, 14)),
                     K(c.c(notes)) if c.p(0.6) else ""])
    table(b, H, rows, c.c(["fixed", "pipe", "csv;", "tsv"]))


def st_hl7_lab_order(b, c):
    fl = c.person()
    a = c.age() if c.p(0.4) else None
    ad = c.addr()
    doc = c.person()
    fac = c.c(["KLIN", "CHU", "HUVH", "OSP", "UMC", "RXH", "LAB1"])
    g = lambda n: D(n, c.r)
    ts = "%d%02d%02d%02d%02d" % (c.year, c.r.randint(1, 12), c.r.randint(1, 28), c.r.randint(0, 23), c.r.randint(0, 59))
    nl = c.c(["\n", "\r\n", "\r"]) if False else "\n"
    mrn = c.record_id()[1].replace(" ", "")
    sx = c.c("MF")
    b.t("MSH|^~\\&|HIS|" + fac + "|LIS|" + fac + "|").s("DATE", ts).t("||ORM^O01|" + g(8) + "|P|2.5" + nl)
    b.t("PID|1||").s("RECORD_ID", mrn).t("^^^" + fac + "^MR")
    if c.p(0.4):
        b.t("~").s("ID_DOC" if c.lang != "en" or c.us else "RECORD_ID", c.id_doc()[1].replace(" ", "") if c.lang != "en" or c.us else c.nhs().replace(" ", ""))
        b.t("^^^" + c.c(["NHS", "SS", "INS", "CF", "BSN"]) + "^" + c.c(["NH", "SS", "NI"]))
    fam = ascii_fold(fl[1]).upper() if c.p(0.5) else fl[1].upper()
    giv = ascii_fold(fl[0]).upper() if c.p(0.5) else fl[0]
    b.t("||").s("PERSON", fam + "^" + giv).t("^^^||")
    dob = c.date("dob", form="%Y%m%d", age=a)
    b.s(*dob).t("|" + sx + "|||")
    town = ad["town"]
    b.s("ADDRESS", ad["street"]).t("^^").s("ADDRESS", town).t("^^").s("ADDRESS", ad["pc"]).t("^" + {"en": "GBR" if not c.us else "USA", "de": "DEU", "fr": "FRA", "es": "ESP", "it": "ITA", "nl": "NLD"}[c.lang])
    b.t("||").s("PHONE", c.phone()).t("^PRN^PH")
    if c.p(0.4):
        b.t("~").s("PHONE", c.phone(mobile=True)).t("^ORN^CP")
    b.t(nl)
    lic = c.license()[1]
    ward = c.c(["KARD3", "GER2", "ITS1", "MED4", "UHCD", "PNEU", "B3"])
    b.t("PV1|1|I|").s("KEEP", ward).t("^" + g(3) + "^" + str(c.r.randint(1, 4)) + "||||").s("LICENSE", lic).t("^")
    b.s("PERSON", ascii_fold(doc[1]).upper() + "^" + ascii_fold(doc[0]).upper()).t("^^^Dr|||||||||||")
    b.s("RECORD_ID", str(c.year) + g(6)).t("|||||||||||||||||||||||||").s("DATE", ts[:8]).t(nl)
    acc = c.accession()
    b.t("ORC|NW|").s("RECORD_ID", acc).t("||||||||").s("DATE", ts).t(nl)
    tests = c.r.sample(LOINC, c.r.randint(1, 4))
    for i, (code, nm) in enumerate(tests):
        b.t("OBR|%d|" % (i + 1)).s("RECORD_ID", acc).t("||").s("KEEP", code).t("^" + nm + "^LN|||").s("DATE", ts).t(nl)
    if c.p(0.7):
        b.t("DG1|1||").s("KEEP", c.c(ICD)).t("^^I10|||A" + nl)
    if a or c.p(0.4):
        b.t("NTE|1||")
        if a:
            b.e(c.age_phrase(a)).t(", ")
        b.s("KEEP", c.c(DRUGS[c.lang])).t(nl)


def st_insurance_eob(b, c):
    sub = c.person()
    pat = c.person() if c.p(0.4) else sub
    ad = c.addr()
    g = lambda n: D(n, c.r)
    Tt = {"en": ("EXPLANATION OF BENEFITS", "Member", "Member ID", "Group", "Claim number", "Patient", "Date of birth", "Date", "Provider", "Code", "Billed", "Allowed", "Paid", "Your share"),
          "de": ("Leistungsabrechnung", "Versicherungsnehmer", "Versicherungsnummer", "Tarif", "Vorgangsnummer", "Versicherte Person", "Geburtsdatum", "Datum", "Leistungserbringer", "Ziffer", "Rechnungsbetrag", "erstattungsfähig", "Erstattung", "Selbstbehalt"),
          "fr": ("Décompte de remboursement", "Adhérent", "N° adhérent", "Contrat", "N° de décompte", "Bénéficiaire", "Né(e) le", "Date", "Professionnel", "Acte", "Dépense", "Base", "Remboursé", "Reste à charge"),
          "es": ("Liquidación de reembolso", "Titular", "Nº de póliza", "Producto", "Nº de expediente", "Asegurado", "F. nacimiento", "Fecha", "Facultativo", "Código", "Importe", "Admitido", "Reembolso", "A su cargo"),
          "it": ("Prospetto di liquidazione", "Assicurato", "N. polizza", "Piano", "N. sinistro", "Beneficiario", "Data di nascita", "Data", "Medico", "Codice", "Spesa", "Ammesso", "Rimborsato", "Scoperto"),
          "nl": ("Declaratieoverzicht", "Verzekeringnemer", "Polisnummer", "Pakket", "Declaratienummer", "Verzekerde", "Geboortedatum", "Datum", "Zorgverlener", "Code", "Gedeclareerd", "Vergoedbaar", "Vergoed", "Eigen risico")}[c.lang]
    b.t(Tt[0] + "\n\n").s("PERSON", c.name(sub, c.c(["FL", "fl", "iL"]))).t("\n").e(c.addr_items(ad)).t("\n\n")
    member = {"en": c.c(["W" + g(9), "XEH" + g(9), g(3) + "-" + g(3) + "-" + g(3)]), "de": c.c("ABCDEFGHIJKLMNOPRSTUVWXYZ") + g(9),
              "fr": g(8) + c.c(["01", "02"]), "es": g(4) + "-" + g(6), "it": g(2) + "/" + g(7), "nl": g(9)}[c.lang]
    tpl(b, "{l1}: {m}    {l2}: {grp}\n{l3}: {cl}\n{l4}: {p}   {l5}: {dob}\n\n", l1=Tt[2], m=AC(member), l2=Tt[3],
        grp=c.c(["PPO 500", "Gold", "Komfort 3", "Essentiel", "Plan Plus", "Basis+"]), l3=Tt[4], cl=O(c.other_ref("claim")),
        l4=Tt[5], p=P(c.name(pat, c.c(["fl", "LF"]))), l5=Tt[6], dob=c.date("dob"))
    codes = {"en": CPT, "de": ["GOÄ 1", "GOÄ 5", "GOÄ 250", "GOÄ 3550", "GOÄ 5135"], "fr": ["CCAM YYYY010", "C 26,50", "CCAM DEQP003", "NGAP AMI 4"],
             "es": ["Cód. 1101", "Cód. 2203", "Cód. 4410"], "it": ["cod. 89.7", "cod. 88.74.1", "cod. 90.62.2"], "nl": ["190008", "190218", "Z5112"]}[c.lang]
    rows = []
    docs = [c.person() for _ in range(2)]
    tot = 0.0
    for _ in range(c.r.randint(2, 5)):
        bill = round(c.r.uniform(30, 900), 2)
        allowed = round(bill * c.r.uniform(0.5, 1.0), 2)
        paid = round(allowed * c.r.choice([0.7, 0.8, 0.9, 1.0]), 2)
        tot += paid
        d = c.c(docs)
        fmt = (lambda x: format(x, ",.2f")) if c.lang == "en" else _eu
        rows.append([c.date(), [c.c(["Dr. ", "Dr ", ""]), P(c.name(d, c.c(["L", "iL", "fl"])))], K(c.c(codes)), K(fmt(bill)), K(fmt(allowed)), K(fmt(paid))])
    table(b, [Tt[7], Tt[8], Tt[9], Tt[10], Tt[11], Tt[12]], rows, c.c(["fixed", "pipe"]))
    tpl(b, "\n{l}: {a}\nICD-10: {i}\n", l=Tt[13], a=K(c.amount(0, 300)), i=K(c.c(ICD)))
    if c.p(0.6):
        tpl(b, "{l} {ib}\n", l=c.L(en="Paid to account", de="Überwiesen auf", fr="Versé sur le compte", es="Abonado en", it="Accreditato su", nl="Overgemaakt naar"),
            ib=AC(c.iban()))


def st_portal_message(b, c):
    me = c.person()
    rel = c.person() if c.p(0.6) else None
    a = c.age()
    ad = c.addr()
    lab, mrn = c.record_id()
    staff = c.person()
    url = {"en": "https://myrecord.stmarys-health.org.uk/msg/", "de": "https://meinportal.klinikum-nord.de/nachricht/",
           "fr": "https://monespace.chu-exemple.fr/message?id=", "es": "https://mipaciente.hospital-norte.es/mensaje/",
           "it": "https://fse.ospedale-centro.it/messaggio/", "nl": "https://mijn.zkh-oost.nl/bericht/"}[c.lang] + D(7, c.r)
    if c.p(0.4):
        url += c.c(["?pt=", "&p=", "#"]) + D(6, c.r)
    pt = rel or me
    tpl(b, "{fl}: {fn} <{em}>\n{sl}: {d} {t}\n{subl}: {subj}\n\n",
        fl=c.L(en="From", de="Von", fr="De", es="De", it="Da", nl="Van"), fn=P(c.name(me, "fl")), em=M(c.email(me)),
        sl=c.L(en="Sent", de="Gesendet", fr="Envoyé", es="Enviado", it="Inviato", nl="Verzonden"), d=c.date(), t=K(c.time()),
        subl=c.L(en="Subject", de="Betreff", fr="Objet", es="Asunto", it="Oggetto", nl="Onderwerp"),
        subj=c.L(en="Question about medication", de="Frage zur Medikation", fr="Question sur le traitement", es="Consulta sobre la medicación",
                 it="Domanda sulla terapia", nl="Vraag over medicatie"))
    ap = c.age_phrase(a)
    who = {"en": "my father" if rel else "myself", "de": "meinen Vater" if rel else "mich selbst", "fr": "ma mère" if rel else "moi-même",
           "es": "mi madre" if rel else "mí misma", "it": "mio padre" if rel else "me stesso", "nl": "mijn moeder" if rel else "mijzelf"}[c.lang]
    body = {"en": "Hello,\nI am writing about {who}, {pn} ({lab} {mrn}, born {dob}), {age}. Since the change to {drug} the {lab2} has been high. Could someone call me on {ph} or {ph2}? Please note the new address: {ad}.\nThanks, {sign}\n",
            "de": "Guten Tag,\nes geht um {who}, {pn} ({lab} {mrn}, geb. {dob}), {age}. Seit der Umstellung auf {drug} ist der Wert {lab2}. Bitte rufen Sie mich unter {ph} oder {ph2} zurück. Neue Anschrift: {ad}.\nViele Grüße\n{sign}\n",
            "fr": "Bonjour,\nje vous écris au sujet de {who}, {pn} ({lab} {mrn}, née le {dob}), {age}. Depuis le passage à {drug}, le bilan montre {lab2}. Pouvez-vous me rappeler au {ph} ou au {ph2} ? Nouvelle adresse : {ad}.\nCordialement, {sign}\n",
            "es": "Buenos días:\nles escribo por {who}, {pn} ({lab} {mrn}, nacida el {dob}), {age}. Desde el cambio a {drug} tiene {lab2}. ¿Pueden llamarme al {ph} o al {ph2}? Nueva dirección: {ad}.\nUn saludo, {sign}\n",
            "it": "Buongiorno,\nvi scrivo per {who}, {pn} ({lab} {mrn}, nato il {dob}), {age}. Dopo il passaggio a {drug} ha {lab2}. Potete richiamarmi al {ph} oppure al {ph2}? Nuovo indirizzo: {ad}.\nCordiali saluti, {sign}\n",
            "nl": "Goedemiddag,\nik schrijf over {who}, {pn} ({lab} {mrn}, geboren {dob}), {age}. Sinds de overstap naar {drug} is de {lab2}. Kunt u mij bellen op {ph} of {ph2}? Nieuw adres: {ad}.\nMet vriendelijke groet, {sign}\n"}[c.lang]
    tpl(b, body, who=who, pn=P(c.name(pt, c.c(["fl", "fl", "L"]) if rel else "fl")), lab=lab, mrn=R(mrn), dob=c.date("dob", age=a), age=ap,
        drug=K(c.c(DRUGS[c.lang])), lab2=K(c.c(LABS)), ph=T(c.phone(mobile=True)), ph2=T(c.phone(mobile=False)),
        ad=A(c.addr_oneline(ad)), sign=P(me[0]))
    reply = {"en": "\n--- Reply from {sn}, {role} ({d}) ---\nThank you. We will review the {sc} result. Link: {u}\n",
             "de": "\n--- Antwort von {sn}, {role} ({d}) ---\nDanke, wir prüfen den Befund ({sc}). Link: {u}\n",
             "fr": "\n--- Réponse de {sn}, {role} ({d}) ---\nMerci, nous regardons le résultat ({sc}). Lien : {u}\n",
             "es": "\n--- Respuesta de {sn}, {role} ({d}) ---\nGracias, revisaremos el resultado ({sc}). Enlace: {u}\n",
             "it": "\n--- Risposta di {sn}, {role} ({d}) ---\nGrazie, valuteremo il referto ({sc}). Link: {u}\n",
             "nl": "\n--- Antwoord van {sn}, {role} ({d}) ---\nDank u, wij bekijken de uitslag ({sc}). Link: {u}\n"}[c.lang]
    tpl(b, reply, sn=P(c.name(staff, c.c(["fl", "iL"]))), role=c.L(en="Clinical Nurse Specialist", de="Stationsärztin", fr="IDE de coordination",
                                                                  es="enfermera gestora", it="infermiera case manager", nl="verpleegkundig specialist"),
        d=c.date(), sc=K(c.c(LABS)), u=("URL", url))


def st_swift_mt103(b, c):
    g = lambda n: D(n, c.r)
    snd, rcv = c.person(), c.person(c.c(LANGS))
    sa, ra = c.addr(), Ctx(c.r, c.lang).addr()
    bic1 = c.c(["COBADEFFXXX", "BNPAFRPPXXX", "CAIXESBBXXX", "UNCRITMMXXX", "INGBNL2AXXX", "NWBKGB2LXXX", "DEUTDEDBBER"])
    bic2 = c.c(["BCITITMMXXX", "RABONL2UXXX", "BSCHESMMXXX", "SOGEFRPPXXX", "BYLADEMMXXX", "BARCGB22XXX"])
    ref = "%s%s" % (c.c(["PAY", "FT", "TRF", "REF"]), g(10))
    cur = c.c(["EUR", "EUR", "GBP", "USD", "CHF"])
    amt = "%d,%02d" % (c.r.randint(50, 250000), c.r.randint(0, 99))
    up = lambda s: ascii_fold(s).upper()
    b.t("{1:F01" + bic1 + "0000" + g(6) + "}{2:I103" + bic2 + "N}{3:{121:").s("OTHER_ID", c.uuid()).t("}}{4:\n")
    b.t(":20:").s("OTHER_ID", ref).t("\n:23B:CRED\n:32A:" + "%02d%02d%02d" % (c.year % 100, c.r.randint(1, 12), c.r.randint(1, 28)) + cur + amt + "\n")
    b.t(":33B:").s("KEEP", cur + amt).t("\n")
    if c.p(0.5):
        b.t(":50K:/").s("ACCOUNT", c.iban(grouped=False)).t("\n").s("PERSON", up(c.name(snd, "fl"))).t("\n")
        b.s("ADDRESS", up(sa["street"])).t("\n").s("ADDRESS", up(sa["line2"] or (sa["town"] + " " + sa["pc"]))).t("\n")
    else:
        b.t(":50F:/").s("ACCOUNT", c.iban(grouped=False)).t("\n1/").s("PERSON", up(c.name(snd, "fl"))).t("\n2/")
        b.s("ADDRESS", up(sa["street"])).t("\n3/" + {"en": "GB" if not c.us else "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL"}[c.lang] + "/")
        b.s("ADDRESS", up(sa["line2"] or (sa["town"] + " " + sa["pc"]))).t("\n")
    b.t(":52A:" + bic1 + "\n:57A:" + bic2 + "\n:59:/").s("ACCOUNT", c.iban(cc=c.c(["DE", "FR", "ES", "IT", "NL", "GB", "BE"]), grouped=False)).t("\n")
    b.s("PERSON", up(c.name(rcv, c.c(["fl", "LFs"])))).t("\n").s("ADDRESS", up(ra["street"])).t("\n").s("ADDRESS", up(ra["line2"] or (ra["town"] + " " + ra["pc"]))).t("\n")
    b.t(":70:").e(c.c([["/INV/", O(c.other_ref("invoice"))], ["/RFB/", O(c.other_ref("e2e"))], ["RENT ", K(c.c(["MARCH", "Q2", "APRIL"]))]])).t("\n")
    b.t(":71A:").s("KEEP", c.c(["SHA", "OUR", "BEN"])).t("\n-}\n")
    chk = c.person()
    tpl(b, "{l} {n}, {d} {t}; {vl} {v}\n", l=c.L(en="Released by", de="Freigabe", fr="Validé par", es="Autorizado por", it="Autorizzato da", nl="Vrijgegeven door"),
        n=P(c.name(chk, c.c(["iL", "fl", "Li"]))), d=c.date(), t=K(c.time()), vl=c.L(en="value date", de="Valuta", fr="date de valeur", es="fecha valor", it="valuta", nl="valutadatum"),
        v=c.date())


def st_spreadsheet_paste(b, c):
    hosp = c.p(0.6)
    if hosp:
        H = {"en": ["#", "Surname", "First name", "DOB", "Age", "Address", "Postcode", "Phone", "MRN"],
             "de": ["Nr", "Name", "Vorname", "Geb.-Datum", "Alter", "Straße", "PLZ Ort", "Telefon", "Pat-ID"],
             "fr": ["N°", "Nom", "Prénom", "Date naiss.", "âge", "Adresse", "CP Ville", "Téléphone", "IPP"],
             "es": ["Nº", "Apellidos", "Nombre", "F. nac.", "edad", "Domicilio", "CP Localidad", "Teléfono", "NHC"],
             "it": ["N.", "Cognome", "Nome", "Data nascita", "età", "Indirizzo", "CAP Comune", "Telefono", "ID paz."],
             "nl": ["Nr", "Achternaam", "Voornaam", "Geb.datum", "leeftijd", "Adres", "Postcode Plaats", "Telefoon", "Patiëntnr"]}[c.lang]
    else:
        H = {"en": ["#", "Surname", "First name", "DOB", "Age", "Address", "Postcode", "Phone", "Account"],
             "de": ["Nr", "Name", "Vorname", "Geb.-Datum", "Alter", "Straße", "PLZ Ort", "Telefon", "IBAN"],
             "fr": ["N°", "Nom", "Prénom", "Date naiss.", "âge", "Adresse", "CP Ville", "Téléphone", "IBAN"],
             "es": ["Nº", "Apellidos", "Nombre", "F. nac.", "edad", "Domicilio", "CP Localidad", "Teléfono", "Cuenta"],
             "it": ["N.", "Cognome", "Nome", "Data nascita", "età", "Indirizzo", "CAP Comune", "Telefono", "IBAN"],
             "nl": ["Nr", "Achternaam", "Voornaam", "Geb.datum", "leeftijd", "Adres", "Postcode Plaats", "Telefoon", "Rekening"]}[c.lang]
    rows = []
    for i in range(c.r.randint(3, 8)):
        fl = c.person()
        over = c.p(0.5)
        a = c.age() if over else c.young_age()
        ad = c.addr()
        last = fl[1].upper() if c.p(0.4) else fl[1]
        l2 = (ad["town"] + " " + ad["pc"]) if ad["line2"] is None else ad["line2"]
        rows.append([str(i + 1), P(last), P(fl[0]), c.date("dob", age=a), AGE(a) if over else str(a), A(ad["street"]), A(l2),
                     T(c.phone_x()), R(c.record_id(short=c.p(0.6))[1]) if hosp else AC(c.iban())])
    table(b, H, rows, "tsv")


def st_ward_census(b, c):
    ward = c.c(WARDS[c.lang])
    occ = c.r.randint(14, 30)
    tpl(b, "{t} — {w} — {d} {h}\n{ol} {o}  {al} {a}  {dl} {dc}\n\n",
        t=c.L(en="MIDNIGHT CENSUS", de="Mitternachtsstatistik", fr="Recensement de minuit", es="Censo de medianoche", it="Censimento notturno", nl="Middernachtstelling"),
        w=K(ward), d=c.date(), h=K("23:59"), ol=c.L(en="occupied", de="belegt", fr="occupés", es="ocupadas", it="occupati", nl="bezet"),
        o=K("%d/%d" % (occ, occ + c.r.randint(0, 6))), al=c.L(en="admissions", de="Aufnahmen", fr="entrées", es="ingresos", it="ricoveri", nl="opnames"),
        a=str(c.r.randint(0, 6)), dl=c.L(en="discharges", de="Entlassungen", fr="sorties", es="altas", it="dimissioni", nl="ontslagen"), dc=str(c.r.randint(0, 6)))
    code = c.c(["B", "K", "S", "C", "E"])
    for bd in sorted(c.r.sample(range(1, 31), c.r.randint(4, 8))):
        fl = c.person()
        lab, mrn = c.record_id()
        ag = c.age_compact() if c.p(0.55) else None
        b.t("- ").s("KEEP", "%s%02d" % (code, bd)).t(" ").s("PERSON", c.name(fl, c.c(["LF", "Li", "LFs", "lF"]))).t(" ")
        if ag:
            b.s("AGE_OVER_89", ag)
        else:
            b.t("%d%s" % (c.young_age(), c.sex()))
        b.t(" " + c.c(["", lab + " "])).s("RECORD_ID", mrn).t(" " + c.L(en="adm", de="aufg.", fr="entré le", es="ingr.", it="ric.", nl="opn.") + " ")
        b.s(*c.date()).t(" ").s("KEEP", c.c(ICD)).t(c.c(["", " " + c.c(["DNACPR", "MRSA", "ISO", "NIV", "O2 2 l/min"])]) + "\n")


def st_json_worklist(b, c):
    pretty = c.p(0.5)
    keys = {"en": ("mrn", "name", "family", "given", "birthDate", "age", "address", "line", "postalCode", "city", "phone", "ward", "reason"),
            "de": ("patId", "name", "nachname", "vorname", "gebDatum", "alter", "anschrift", "strasse", "plz", "ort", "telefon", "station", "anlass"),
            "fr": ("ipp", "nom", "nomUsage", "prenom", "dateNaissance", "age", "adresse", "voie", "codePostal", "ville", "tel", "service", "motif"),
            "es": ("nhc", "nombre", "apellidos", "nombrePila", "fechaNac", "edad", "domicilio", "via", "cp", "municipio", "telefono", "unidad", "motivo"),
            "it": ("idPaziente", "nominativo", "cognome", "nome", "dataNascita", "eta", "indirizzo", "via", "cap", "comune", "telefono", "reparto", "motivo"),
            "nl": ("patientnr", "naam", "achternaam", "voornaam", "geboortedatum", "leeftijd", "adres", "straat", "postcode", "woonplaats", "telefoon", "afdeling", "reden")}[c.lang]
    n = c.r.randint(2, 4)
    ind = lambda k: ("\n" + "  " * k) if pretty else ""
    sp = " " if pretty else ""
    b.t("{" + ind(1) + '"worklist":' + sp + '"' + c.c(["referrals", "callback", "discharge-planning", "anticoag-clinic"]) + '",' + sp + ind(1) + '"generated":' + sp + '"').s(*c.date(form="%Y-%m-%d")).t('",' + sp + ind(1) + '"items":' + sp + "[")
    for i in range(n):
        fl = c.person()
        over = c.p(0.5)
        a = c.age() if over else c.young_age()
        ad = c.addr()
        if i:
            b.t(",")
        b.t(ind(2) + "{" + ind(3) + '"%s":%s"' % (keys[0], sp)).s("RECORD_ID", c.record_id(short=c.p(0.4))[1].replace(" ", "")).t('",' + sp)
        b.t(ind(3) + '"%s":%s{"%s":%s"' % (keys[1], sp, keys[2], sp)).s("PERSON", fl[1]).t('",' + sp + '"%s":%s"' % (keys[3], sp)).s("PERSON", fl[0]).t('"},' + sp)
        b.t(ind(3) + '"%s":%s"' % (keys[4], sp)).s(*c.date("dob", form="%Y-%m-%d", age=a)).t('",' + sp + '"%s":%s' % (keys[5], sp))
        if over:
            b.s("AGE_OVER_89", str(a))
        else:
            b.t(str(a))
        b.t("," + sp + ind(3) + '"%s":%s{"%s":%s"' % (keys[6], sp, keys[7], sp)).s("ADDRESS", ad["street"]).t('",' + sp + '"%s":%s"' % (keys[8], sp)).s("ADDRESS", ad["pc"])
        b.t('",' + sp + '"%s":%s"' % (keys[9], sp)).s("ADDRESS", ad["town"]).t('"},' + sp)
        b.t(ind(3) + '"%s":%s"' % (keys[10], sp)).s("PHONE", c.phone()).t('",' + sp + '"%s":%s"' % (keys[11], sp)).s("KEEP", c.c(WARDS[c.lang])).t('",' + sp)
        b.t('"%s":%s"' % (keys[12], sp)).s("KEEP", c.c(LABS + ICD)).t('"' + ind(2) + "}")
    b.t(ind(1) + "]" + ind(0) + "}\n")


def st_direct_debit_return(b, c):
    g = lambda n: D(n, c.r)
    uk = c.lang == "en" and not c.us
    H = {"en": ["Mandate ref", "Payer", "Sort code", "Account no", "Amount", "Reason", "Due date", "Our ref"] if uk else
               ["Mandate ref", "Debtor", "IBAN", "Amount", "Reason", "Return date", "E2E id"],
         "de": ["Mandatsreferenz", "Zahlungspflichtiger", "IBAN", "Betrag", "Rückgabegrund", "Rückgabedatum", "End-to-End-ID"],
         "fr": ["RUM", "Débiteur", "IBAN", "Montant", "Motif", "Date de rejet", "Réf. de bout en bout"],
         "es": ["Ref. mandato", "Deudor", "IBAN", "Importe", "Motivo", "F. devolución", "Ref. E2E"],
         "it": ["Rif. mandato", "Debitore", "IBAN", "Importo", "Causale", "Data storno", "ID E2E"],
         "nl": ["Machtigingskenmerk", "Debiteur", "IBAN", "Bedrag", "Reden", "Stornodatum", "End-to-end-ID"]}[c.lang]
    tpl(b, "{t} {d}  {cl} {cid}\n", t=c.L(en="ARUDD report" if uk else "Direct debit returns", de="Rücklastschriften vom", fr="Rejets de prélèvements SEPA du",
                                         es="Devoluciones de recibos SEPA", it="Insoluti SDD del", nl="Gestorneerde incasso's"), d=c.date(),
        cl=c.L(en="SUN" if uk else "Creditor ID", de="Gläubiger-ID", fr="ICS", es="Id. acreedor", it="CID", nl="Incassant-ID"),
        cid=("%s%02dZZZ%s" % ({"en": "GB", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL"}[c.lang], c.r.randint(10, 99), g(10))) if not uk else g(6))
    codes = ["AM04", "MD06", "AC04", "MS02", "MD01", "AC06", "SL01", "MS03"] if not uk else ["0 - Refer to payer", "1 - Instruction cancelled", "2 - Payer deceased", "B - Account closed"]
    rows = []
    for _ in range(c.r.randint(3, 7)):
        fl = c.person()
        nm = P(c.name(fl, c.c(["fl", "LF", "FL", "Lf"])))
        am = K(c.amount(9, 900))
        if uk:
            rows.append([O(c.other_ref("mandate")), nm, "%s-%s-%s" % (g(2), g(2), g(2)), AC(g(8)), am, K(c.c(codes)), c.date(), O(c.other_ref("e2e"))])
        else:
            rows.append([O(c.other_ref("mandate")), nm, AC(c.iban()), am, K(c.c(codes)), c.date(), O(c.other_ref("e2e"))])
    table(b, H, rows, c.c(["csv;", "csv;", "csv,", "fixed"]))


def st_specimen_label(b, c):
    for k in range(c.r.randint(2, 3)):
        fl = c.person()
        over = c.p(0.6)
        a = c.age() if over else c.young_age()
        lab, mrn = c.record_id()
        b.s("PERSON", c.name(fl, c.c(["LF", "LFs", "Lf", "lF"]))).t(c.c(["  ", "   ", " "]))
        if over:
            b.e(c.c([[AGE(c.age_compact(a))], c.age_phrase(a)]))
        else:
            b.t("%d%s" % (a, c.sex()))
        b.t("\n" + c.L(en="DOB", de="Geb.", fr="DDN", es="FN", it="n.", nl="geb.") + " ").s(*c.date("dob", age=a)).t("  " + (lab or "MRN") + " ").s("RECORD_ID", mrn).t("\n")
        b.t(c.L(en=["Acc ", "Accession "], de=["Auftrag ", "Auftr.-Nr. "], fr=["N° dem. ", "Demande "], es=["Pet. ", "Nº petición "],
                it=["Acc. ", "N. acc. "], nl=["Aanvr. ", "Aanvraag "])).s("RECORD_ID", c.accession()).t("  ")
        b.s("KEEP", c.c(["EDTA 2,7 ml", "EDTA 4 ml", "Serum 7.5 ml", "Citrat 3 ml", "Li-Hep 4.9 ml", "NaF 2 ml", "SST 5 ml", "Urine 10 ml"])).t("\n")
        b.t(c.L(en="Coll ", de="Abn. ", fr="Prél. ", es="Extr. ", it="Prel. ", nl="Afn. ")).s(*c.date()).t(" ").s("KEEP", c.time()).t("  ")
        b.s("KEEP", c.c(WARDS[c.lang])).t("\n")
        if c.p(0.3):
            b.t(c.L(en="by ", de="von ", fr="par ", es="por ", it="da ", nl="door ")).s("PERSON", c.initials(c.person())).t("\n")
        b.t("\n")


def st_address_change_form(b, c):
    fl = c.person()
    old, new = c.addr(), c.addr()
    lab, cno = c.customer_no()
    Lb = {"en": ("CHANGE OF DETAILS", "Customer name", "Previous address", "New address", "Home phone", "Mobile", "Email", "Effective from", "ID seen", "Processed by"),
          "de": ("ADRESSÄNDERUNG", "Kontoinhaber", "Bisherige Anschrift", "Neue Anschrift", "Tel. privat", "Handy", "E-Mail", "Gültig ab", "Legitimation", "Bearbeiter"),
          "fr": ("CHANGEMENT D'ADRESSE", "Titulaire", "Ancienne adresse", "Nouvelle adresse", "Tél. domicile", "Portable", "Courriel", "À compter du", "Pièce d'identité", "Traité par"),
          "es": ("CAMBIO DE DOMICILIO", "Titular", "Domicilio anterior", "Nuevo domicilio", "Tfno. fijo", "Móvil", "Correo electrónico", "Con efecto", "Documento", "Tramitado por"),
          "it": ("VARIAZIONE DI INDIRIZZO", "Intestatario", "Indirizzo precedente", "Nuovo indirizzo", "Tel. casa", "Cellulare", "E-mail", "Decorrenza", "Documento", "Operatore"),
          "nl": ("ADRESWIJZIGING", "Rekeninghouder", "Oud adres", "Nieuw adres", "Tel. thuis", "Mobiel", "E-mail", "Ingangsdatum", "Legitimatie", "Verwerkt door")}[c.lang]
    kv = c.c([": ", " = ", ":\t"])
    b.t(Lb[0] + "\n")
    tpl(b, "{l}{kv}{v}\n", l=lab, kv=kv, v=AC(cno))
    tpl(b, "{l}{kv}{v}\n", l=Lb[1], kv=kv, v=P(c.name(fl, c.c(["fl", "LF", "FL"]))))
    for L_, ad in ((Lb[2], old), (Lb[3], new)):
        b.t(L_ + kv)
        if c.p(0.5):
            b.e(c.addr_items(ad, sep=", ")).t("\n")
        else:
            b.t("\n    ").e([x if x != "\n" else "\n    " for x in c.addr_items(ad)]).t("\n")
    tpl(b, "{l}{kv}{v}\n{l2}{kv}{v2}\n", l=Lb[4], kv=kv, v=T(c.phone(mobile=False)), l2=Lb[5], v2=T(c.phone(mobile=True)))
    if c.p(0.6):
        tpl(b, "{l}{kv}{v}\n", l=Lb[6], kv=kv, v=M(c.email(fl)))
    tpl(b, "{l}{kv}{v}\n", l=Lb[7], kv=kv, v=c.date())
    dl, dv = c.id_doc()
    tpl(b, "{l}{kv}{dl} {dv}\n", l=Lb[8], kv=kv, dl=dl, dv=("ID_DOC", dv))
    st = c.person()
    tpl(b, "{l}{kv}{v} ({ini})  {fee}\n", l=Lb[9], kv=kv, v=P(c.name(st, c.c(["fl", "iL"]))), ini=P(c.initials(st)),
        fee=K(c.L(en="Fee 0.00", de="Gebühr 0,00 EUR", fr="frais 0,00 €", es="comisión 0,00 €", it="commissione € 0,00", nl="kosten € 0,00")))


def st_clinic_list(b, c):
    H = {"en": ["Time", "Patient", "DOB", "Hosp no", "Phone", "Reason", "Clinician"],
         "de": ["Zeit", "Patient", "Geb.", "Fall", "Telefon", "Anlass", "Behandler"],
         "fr": ["Heure", "Patient", "DDN", "IPP", "Tél", "Motif", "Praticien"],
         "es": ["Hora", "Paciente", "F. nac.", "NHC", "Tfno", "Motivo", "Facultativo"],
         "it": ["Ora", "Paziente", "Nato il", "Cartella", "Tel", "Motivo", "Medico"],
         "nl": ["Tijd", "Patiënt", "Geb.", "Patnr", "Tel", "Reden", "Behandelaar"]}[c.lang]
    clin = c.person()
    tpl(b, "{t} {d} – {cl}\n", t=c.L(en="Outpatient clinic list", de="Sprechstundenliste", fr="Liste de consultation", es="Agenda de consultas externas",
                                     it="Agenda ambulatorio", nl="Poliklinieklijst"), d=c.date(), cl=K(c.c(["Anticoag clinic", "Herzinsuffizienz-Ambulanz", "Consultation mémoire", "Consulta de Neumología", "Ambulatorio TAO", "Hartfalenpoli", "Falls clinic"])))
    rows = []
    h, m = c.r.randint(8, 10), 0
    for _ in range(c.r.randint(4, 8)):
        fl = c.person()
        m += c.c([10, 15, 20, 30])
        tm = "%02d:%02d" % (h + m // 60, m % 60)
        reason = c.c([K(c.c(LABS)), K(c.c(SCORES)), K(c.c(ICD)), K(c.c(DRUGS[c.lang]))])
        rows.append([K(tm), P(c.name(fl, c.c(["LF", "Lf", "fl", "LFs"]))), c.date("dob"), R(c.record_id(short=c.p(0.5))[1]),
                     T(c.phone()) if c.p(0.8) else "", reason, P(c.initials(clin)) if c.p(0.5) else P(c.name(clin, "iL"))])
    table(b, H, rows, c.c(["fixed", "pipe", "tsv", "csv;"]))


def st_nok_contacts(b, c):
    """next-of-kin / contact sheet of an admission: labelled phones in every national wording"""
    pt = c.person()
    lab, mrn = c.record_id()
    a = c.age() if c.p(0.6) else None
    Lb = {"en": ("CONTACTS / NEXT OF KIN", "Patient", "relationship", "Address", "Key holder", "Preferred contact", "Do not call after"),
          "de": ("KONTAKTPERSONEN / ANGEHÖRIGE", "Patient", "Beziehung", "Anschrift", "Schlüssel bei", "Bevorzugt", "Nicht anrufen nach"),
          "fr": ("PERSONNES À PRÉVENIR", "Patient", "lien", "Adresse", "Personne de confiance", "Joindre de préférence", "Ne pas appeler après"),
          "es": ("CONTACTOS / FAMILIARES", "Paciente", "parentesco", "Domicilio", "Cuidador principal", "Contacto preferente", "No llamar después de"),
          "it": ("RECAPITI FAMILIARI", "Paziente", "parentela", "Indirizzo", "Caregiver", "Contatto preferito", "Non chiamare dopo le"),
          "nl": ("CONTACTPERSONEN", "Patiënt", "relatie", "Adres", "Sleutelhouder", "Voorkeur", "Niet bellen na")}[c.lang]
    rels = c.L(en=[["daughter", "son", "wife", "husband", "niece", "neighbour"]], de=[["Tochter", "Sohn", "Ehefrau", "Ehemann", "Nichte", "Nachbarin"]],
               fr=[["fille", "fils", "épouse", "époux", "nièce", "voisine"]], es=[["hija", "hijo", "esposa", "marido", "sobrina", "vecina"]],
               it=[["figlia", "figlio", "moglie", "marito", "nipote", "vicina"]], nl=[["dochter", "zoon", "echtgenote", "echtgenoot", "nicht", "buurvrouw"]])
    b.t(Lb[0] + "\n")
    tpl(b, "{l}: {n}  {ml} {m}", l=Lb[1], n=P(c.name(pt, c.c(["LF", "fl", "LFs"]))), ml=lab or "MRN", m=R(mrn))
    if a:
        b.t("  ").e(c.age_phrase(a))
    b.t("\n\n")
    for i in range(c.r.randint(2, 3)):
        k = c.person()
        tpl(b, "{i}) {n} ({rel})\n", i=str(i + 1), n=P(c.name(k, c.c(["fl", "fl", "Lf", "iL"]))), rel=c.c(rels))
        for mob in c.r.sample([True, False, False], c.r.randint(1, 3)):
            lbl = c.phone_label(mobile=mob) if mob else c.c([c.phone_label(), c.L(en="Work", de="dienstl.", fr="Travail", es="Trabajo", it="Ufficio", nl="Werk")])
            b.t("   " + lbl.rstrip(":") + c.c([": ", " ", " – ", ":\t"])).s("PHONE", c.phone_x(mobile=mob)).t("\n")
        if c.p(0.5):
            ad = c.addr()
            b.t("   " + Lb[3] + ": ").e(c.addr_items(ad, sep=c.c([", ", " – ", "; "]))).t("\n")
        if c.p(0.3):
            b.t("   ").s("EMAIL", c.email(k)).t("\n")
    tpl(b, "\n{l}: {v}   {l2} {t}\n", l=Lb[5], v=c.L(en="mobile", de="Handy", fr="portable", es="móvil", it="cellulare", nl="mobiel"), l2=Lb[6], t=K(c.c(["21:00", "20:30", "22:00"])))
    tpl(b, "{w} – {d}, {by}\n", w=K(c.c(WARDS[c.lang])), d=c.date(), by=P(c.name(c.person(), c.c(["iL", "Li", "init"]))))


def st_loan_app_csv(b, c):
    """credit-application export with full postal addresses inside (quoted) CSV cells"""
    sep = c.c(["csv,", "csv;", "csv;"])
    H = {"en": ["app_id", "applicant", "date_of_birth", "address", "phone", "email", "employer", "net_income", "ltv", "dti", "repay_account"],
         "de": ["Antragsnr", "Antragsteller", "Geburtsdatum", "Anschrift", "Telefon", "E-Mail", "Arbeitgeber", "Nettoeinkommen", "Beleihungsauslauf", "Kapitaldienstquote", "Referenzkonto"],
         "fr": ["n_dossier", "emprunteur", "date_naissance", "adresse", "telephone", "courriel", "employeur", "revenu_net", "quotite", "taux_endettement", "compte_prelevement"],
         "es": ["n_solicitud", "solicitante", "fecha_nacimiento", "domicilio", "telefono", "email", "empresa", "ingresos_netos", "ltv", "ratio_endeudamiento", "cuenta_cargo"],
         "it": ["n_pratica", "richiedente", "data_nascita", "indirizzo", "telefono", "email", "datore_lavoro", "reddito_netto", "ltv", "rata_reddito", "conto_addebito"],
         "nl": ["aanvraagnr", "aanvrager", "geboortedatum", "adres", "telefoon", "email", "werkgever", "netto_inkomen", "ltv", "woonquote", "incassorekening"]}[c.lang]
    employers = c.L(en=[["NHS Trust", "Tesco Stores Ltd", "self-employed", "retired"]], de=[["Stadtwerke", "Siemens AG", "selbständig", "Rentner/in"]],
                    fr=[["SNCF", "Groupe Casino", "profession libérale", "retraité(e)"]], es=[["Mercadona", "Ayuntamiento", "autónomo", "jubilado/a"]],
                    it=[["Poste Italiane", "ASL", "libero professionista", "pensionato/a"]], nl=[["Gemeente", "Albert Heijn", "zzp", "gepensioneerd"]])
    rows = []
    for _ in range(c.r.randint(2, 5)):
        fl = c.person()
        ad = c.addr()
        addr = A(c.addr_oneline(ad)) if c.p(0.6) else [A(ad["street"]), ", ", A(ad["line2"] or (ad["town"] + " " + ad["pc"]))]
        inc = c.amount(900, 9000)
        rows.append([O("%s-%s" % (c.c(["APP", "KA", "DOS", "SOL", "PRA", "AV"]), D(7, c.r))), P(c.name(fl, c.c(["fl", "LF", "Lf"]))), c.date("dob"),
                     addr, [c.c(["", "", c.phone_label() + " "]), T(c.phone_x())], M(c.email(fl)) if c.p(0.7) else "", c.c(employers), K(inc),
                     K("%d %%" % c.r.randint(40, 95) if sep == "csv;" else "%d%%" % c.r.randint(40, 95)),
                     K(("%.1f" % c.r.uniform(18, 45)).replace(".", "," if sep == "csv;" else ".") + " %"), AC(c.iban())])
    table(b, H, rows, sep)


STYLES = {
    "bed_board": st_bed_board, "mar_tsv": st_mar_tsv, "shift_roster": st_shift_roster, "claims_batch_csv": st_claims_batch,
    "core_banking_audit": st_core_banking_audit, "dunning_letter": st_dunning_letter, "courier_manifest": st_courier_manifest,
    "hl7_lab_order": st_hl7_lab_order, "insurance_eob": st_insurance_eob, "portal_message": st_portal_message,
    "swift_mt103": st_swift_mt103, "spreadsheet_paste": st_spreadsheet_paste, "ward_census": st_ward_census,
    "json_worklist": st_json_worklist, "direct_debit_return": st_direct_debit_return, "specimen_label": st_specimen_label,
    "address_change_form": st_address_change_form, "clinic_list": st_clinic_list, "nok_contacts": st_nok_contacts,
    "loan_app_csv": st_loan_app_csv,
}


# ----------------------------------------------------------------------------------------------
# generation
# ----------------------------------------------------------------------------------------------
def plan(seed=SEED, n=N_RECORDS):
    pairs = [(s, l) for s in sorted(STYLES) for l in LANGS]
    out = []
    k = 0
    while len(out) < n:
        cyc = list(pairs)
        random.Random("pii_dev2/plan/%d/%d" % (seed, k)).shuffle(cyc)
        out.extend(cyc)
        k += 1
    return out[:n]


def make_record(idx, style, lang, seed=SEED):
    for attempt in range(500):
        rng = random.Random("pii_dev2/%d/%d/%d" % (seed, idx, attempt))
        c = Ctx(rng, lang)
        b = Builder()
        STYLES[style](b, c)
        rec = {"id": "dev2-%04d" % idx, "style": style, "language": lang, "text": b.text(),
               "spans": sorted(b.spans, key=lambda s: (s["start"], s["end"]))}
        try:
            check(rec)
        except AssertionError:
            continue
        return rec, attempt
    raise RuntimeError("no valid record for %d %s %s" % (idx, style, lang))


def generate(seed=SEED, n=N_RECORDS):
    recs, retries = [], 0
    for i, (style, lang) in enumerate(plan(seed, n)):
        rec, att = make_record(i, style, lang, seed)
        recs.append(rec)
        retries += att
    return recs, retries


def dumps(recs):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


def stats(recs):
    from collections import Counter
    kinds, styles, langs = Counter(), Counter(), Counter()
    for r in recs:
        styles[r["style"]] += 1
        langs[r["language"]] += 1
        for s in r["spans"]:
            kinds[s["kind"]] += 1
    return kinds, styles, langs


def main(argv):
    recs, retries = generate()
    for r in recs:
        check(r)
    data = dumps(recs)
    if "--check" in argv:
        with open(OUT, encoding="utf-8") as f:
            old = f.read()
        for line in old.splitlines():
            check(json.loads(line))
        assert old == data, "dev2.jsonl differs from what the generator produces"
        print("OK %d records, sha256 %s" % (len(recs), hashlib.sha256(old.encode("utf-8")).hexdigest()))
        return 0
    if "--stats" in argv:
        kinds, styles, langs = stats(recs)
        print("records", len(recs), "retries", retries)
        for k in KINDS:
            print("  %-12s %d" % (k, kinds[k]))
        for s in sorted(styles):
            print("  %-22s %d" % (s, styles[s]))
        print("  " + ", ".join("%s %d" % (l, langs[l]) for l in LANGS))
        return 0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(data)
    print("wrote %s: %d records, sha256 %s" % (OUT, len(recs), hashlib.sha256(data.encode("utf-8")).hexdigest()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
