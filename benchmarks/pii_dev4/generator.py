#!/usr/bin/env python3
"""pii_dev4: a labelled DEV set of hurried, semi-structured hospital and bank documents
(EN DE FR ES IT NL).  Standard library only, deterministic (random.Random seeded with strings).

    python3 benchmarks/pii_dev4/generator.py            # writes dev4.jsonl
    python3 benchmarks/pii_dev4/generator.py --check    # regenerate, assert guarantees, compare bytes
    python3 benchmarks/pii_dev4/generator.py --stats    # counts by kind, style, language
"""
import json
import os
import random
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dev4.jsonl")
LANGS = ["en", "de", "fr", "es", "it", "nl"]
N_RECORDS = 360
SEED_BASE = 4_400_000
PII_KINDS = ["PERSON", "ADDRESS", "RECORD_ID", "PHONE", "EMAIL", "ACCOUNT", "ID_DOC", "DATE", "AGE_OVER_89",
             "URL", "IP", "VEHICLE", "DEVICE", "LICENSE", "BIOMETRIC", "OTHER_ID"]

# ----------------------------------------------------------------------------------------------
# small hand-written lists (per country)
# ----------------------------------------------------------------------------------------------
FIRST = {
    "uk": (["Oliver", "George", "Callum", "Rhys", "Declan", "Stuart", "Gareth", "Owen", "Ewan", "Nathaniel"],
           ["Amelia", "Siobhan", "Freya", "Megan", "Niamh", "Joanne", "Isla", "Bethany", "Gwen", "Lorraine"]),
    "us": (["Tyler", "Brandon", "Derek", "Marcus", "Travis"], ["Ashley", "Brittany", "Kayla", "Tiffany", "Shanice"]),
    "de": (["Jürgen", "Dieter", "Uwe", "Matthias", "Jörg", "Torsten", "Florian", "Henrik", "Wolfgang", "Lukas"],
           ["Ursula", "Gisela", "Sabine", "Heike", "Birgit", "Katrin", "Jutta", "Renate", "Annegret", "Lena"]),
    "fr": (["Jean-Luc", "Thierry", "Mathieu", "Benoît", "Didier", "Rémi", "Yannick", "Gaël", "Hervé", "Ludovic"],
           ["Josiane", "Sylvie", "Nathalie", "Élodie", "Maëlle", "Brigitte", "Céline", "Sandrine", "Ginette", "Odile"]),
    "es": (["Javier", "Alejandro", "Iñaki", "Sergio", "Álvaro", "Ramón", "Jorge", "Rubén", "Óscar", "Eusebio"],
           ["Lucía", "Pilar", "Begoña", "Montserrat", "Nuria", "Inmaculada", "Ainhoa", "Yolanda", "Remedios", "Itziar"]),
    "it": (["Giuseppe", "Salvatore", "Gianluca", "Massimo", "Vincenzo", "Pierpaolo", "Davide", "Ottavio", "Raffaele", "Cosimo"],
           ["Giuseppina", "Concetta", "Francesca", "Annunziata", "Elisabetta", "Marisa", "Loredana", "Graziella", "Carmela", "Ilaria"]),
    "nl": (["Pieter", "Sjoerd", "Gerrit", "Maarten", "Bram", "Thijs", "Wouter", "Joost", "Kees", "Hendrik"],
           ["Anneke", "Wilhelmina", "Marieke", "Femke", "Saskia", "Joke", "Gerda", "Lotte", "Hendrika", "Ineke"]),
}
LAST = {
    "uk": ["Hargreaves", "Whitfield", "Thornton", "Ashworth", "McAllister", "O'Neill", "Pemberton", "Okafor",
           "Brennan", "Fairbairn", "Kowalczyk", "Sutcliffe", "Nwachukwu", "Ramsbottom"],
    "us": ["Delgado", "Novak", "Hutchins", "Pruitt", "Yamamoto", "Okonkwo", "Castellanos"],
    "de": ["Hartmann", "Schwarzkopf", "Brüggemann", "Kowalewski", "Oberländer", "Pfeiffer", "Wagenknecht",
           "Stöckl", "Hüttner", "Rademacher", "Yılmaz", "Ebersbach", "Gruenwald", "Tietjen"],
    "fr": ["Lefebvre", "Rousseau", "Mercier", "Faure", "Chevalier", "Giraud", "Le Goff", "Benali", "Duchêne",
           "Vasseur", "Kerjean", "Pelletier", "Ouedraogo", "Delaunay"],
    "es": ["Fernández", "Ruiz", "Etxeberria", "Navarro", "Castillo", "Domínguez", "Iglesias", "Morales",
           "Santamaría", "Ortega", "Quintana", "Villalobos", "Arrieta", "Cifuentes"],
    "it": ["Esposito", "Russo", "Colombo", "Bianchi", "Ferraro", "De Luca", "Marchetti", "Lombardi", "Caruso",
           "Santoro", "Pellegrino", "D'Amico", "Barbieri", "Giordano"],
    "nl": ["de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Jong", "Mulder", "van Dijk",
           "Hoekstra", "Brouwer", "Kuipers", "Verhoeven", "Dijkstra"],
}
STREETS = {
    "uk": ["Kingsley Road", "Albert Terrace", "Moorland Avenue", "Chapel Lane", "Hawthorn Close", "Beech Grove",
           "Tennyson Street", "Pennine Way"],
    "us": ["Maple Avenue", "Sycamore Street", "Lincoln Blvd", "Cedar Ridge Drive", "Elm Court"],
    "de": ["Lindenstraße", "Am Mühlbach", "Bahnhofstr.", "Goethestraße", "Kastanienallee", "Im Wiesengrund",
           "Schillerplatz", "Hauptstr."],
    "fr": ["rue des Lilas", "avenue Jean Jaurès", "boulevard Voltaire", "impasse des Tilleuls", "chemin du Moulin",
           "rue Victor Hugo", "allée des Peupliers", "rue de la Gare"],
    "es": ["Calle Mayor", "Avenida de la Constitución", "Calle de la Paz", "Paseo de Gracia", "Calle San Vicente",
           "Ronda de Segovia", "C/ Alcalá", "Plaza del Pilar"],
    "it": ["Via Garibaldi", "Corso Vittorio Emanuele II", "Via Roma", "Viale dei Mille", "Piazza Cavour",
           "Via San Martino", "Vicolo del Pozzo", "Via Mazzini"],
    "nl": ["Keizersgracht", "Dorpsstraat", "Molenweg", "Kerkstraat", "Julianalaan", "Beatrixstraat", "Lindenlaan",
           "Havenkade"],
}
TOWNS = {
    "uk": [("Leeds", "LS"), ("Bradford", "BD"), ("Sheffield", "S"), ("Norwich", "NR"), ("Bristol", "BS"),
           ("Cardiff", "CF"), ("Leicester", "LE"), ("Preston", "PR")],
    "us": [("Columbus", "OH", "432"), ("Tucson", "AZ", "857"), ("Albany", "NY", "122"), ("Madison", "WI", "537")],
    "de": [("Berlin", "10"), ("Hamburg", "22"), ("München", "80"), ("Köln", "50"), ("Leipzig", "04"),
           ("Freiburg im Breisgau", "79"), ("Bielefeld", "33"), ("Erfurt", "99")],
    "fr": [("Paris", "750"), ("Lyon", "690"), ("Marseille", "130"), ("Lille", "590"), ("Rennes", "350"),
           ("Toulouse", "310"), ("Nantes", "440"), ("Strasbourg", "670")],
    "es": [("Madrid", "28"), ("Barcelona", "08"), ("Sevilla", "41"), ("Valencia", "46"), ("Bilbao", "48"),
           ("Zaragoza", "50"), ("Málaga", "29"), ("Valladolid", "47")],
    "it": [("Milano", "201", "MI"), ("Roma", "001", "RM"), ("Napoli", "801", "NA"), ("Torino", "101", "TO"),
           ("Bologna", "401", "BO"), ("Palermo", "901", "PA"), ("Firenze", "501", "FI"), ("Bari", "701", "BA")],
    "nl": [("Amsterdam", "10"), ("Rotterdam", "30"), ("Utrecht", "35"), ("Groningen", "97"), ("Eindhoven", "56"),
           ("Zwolle", "80"), ("Leiden", "23"), ("Maastricht", "62")],
}
HOSPITALS = {
    "en": ["St Aldhelm's Infirmary", "Northgate General Hospital", "Riverside Community Hospital"],
    "de": ["Klinikum Am Steinberg", "Kreiskrankenhaus Talheim", "Evangelisches Krankenhaus Nordufer"],
    "fr": ["CHU de la Côte-Verte", "Centre hospitalier Les Genêts", "Clinique du Val Fleuri"],
    "es": ["Hospital Universitario Río Claro", "Hospital Comarcal Sierra Alta", "Clínica Nuestra Señora del Olivar"],
    "it": ["Ospedale Maggiore di Valleverde", "Presidio Ospedaliero San Biagio", "Policlinico Colle Alto"],
    "nl": ["Ziekenhuis Rijnoever", "Medisch Centrum De Horst", "Streekziekenhuis Lindeveld"],
}
BANKS = {
    "en": ["Northbridge Bank plc", "Carrow Building Society", "Harbour & County Bank"],
    "de": ["Sparkasse Talheim", "Nordufer Volksbank eG", "Bankhaus Steinberg"],
    "fr": ["Banque du Val Fleuri", "Crédit des Genêts", "Caisse Côte-Verte"],
    "es": ["Banco Río Claro", "Caja Sierra Alta", "Banca Olivar"],
    "it": ["Banca di Valleverde", "Cassa di Risparmio San Biagio", "Credito Colle Alto"],
    "nl": ["Rijnoever Bank N.V.", "Spaarbank De Horst", "Lindeveld Bank"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
}
MON_ABBR = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    "es": ["ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."],
    "it": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}

# labels: key -> "en|de|fr|es|it|nl"; several variants inside one language separated by "/"
_LBL = """
patient=Patient/Pt/PATIENT|Patient/Pat./Name Patient|Patient/Patiente/Nom patient|Paciente/PACIENTE/Nombre|Paziente/Pz./Nominativo|Patiënt/Pat./Naam
dob=DOB/D.O.B./Date of birth|Geb.-Datum/geb./Geburtsdatum|DDN/Né(e) le/Date de naissance|F. nac./Fecha nacimiento/FN|Data di nascita/Nato/a il/DN|Geb.datum/Geboortedatum/geb.
age=Age|Alter|Âge|Edad|Età|Leeftijd
address=Address/Addr|Adresse/Anschrift|Adresse/Domicile|Domicilio/Dirección|Indirizzo/Residenza|Adres/Woonadres
phone=Tel/Phone/Tel. no|Tel./Telefon/Tel.-Nr.|Tél./Téléphone/Tel|Tel./Teléfono/Tfno.|Tel./Telefono/Recapito|Tel./Telefoon/Tel.nr
email=Email/E-mail|E-Mail/Mail|Courriel/E-mail/Mail|Correo/E-mail/Email|E-mail/Email/Posta elettronica|E-mail/Mail/E-mailadres
ward=Ward|Station|Service|Unidad|Reparto|Afdeling
nok=NOK/Next of kin|Angehörige/Kontaktperson|Personne à prévenir/PAP|Familiar/Contacto|Familiare/Referente|Contactpersoon/1e contact
gp=GP|Hausarzt|Médecin traitant|Médico de cabecera/MAP|MMG/Medico curante|Huisarts
signed=Signed/Sign./Signature|Unterschrift/gez./Visum|Signé/Signature/Visa|Firmado/Firma|Firma/F.to|Getekend/Paraaf/Handtekening
remarks=Remarks/Notes/Comments|Bemerkungen/Anmerkungen/Notiz|Remarques/Observations/Commentaires|Observaciones/Comentarios/Notas|Note/Osservazioni/Annotazioni|Opmerkingen/Notities/Bijzonderheden
date=Date|Datum|Date|Fecha|Data|Datum
time=Time|Zeit/Uhrzeit|Heure|Hora|Ora|Tijd
dx=Diagnosis/Dx|Diagnose/Dg.|Diagnostic/Dg|Diagnóstico/Dx|Diagnosi/Dg.|Diagnose/Dx
allergy=Allergies|Allergien/CAVE|Allergies|Alergias|Allergie|Allergieën
name=Name|Name|Nom|Nombre|Nome|Naam
customer=Customer/Client|Kunde/Kundin|Client/Cliente|Cliente/Titular|Cliente/Intestatario|Klant/Cliënt
account=Account/A/c|Konto/Kto.|Compte/Cpte|Cuenta/Cta.|Conto/C/c|Rekening/Rek.
iban=IBAN|IBAN|IBAN|IBAN|IBAN|IBAN
amount=Amount|Betrag|Montant|Importe|Importo|Bedrag
status=Status|Status|Statut|Estado|Stato|Status
officer=Officer/Handled by|Sachbearbeiter/Bearbeiter|Conseiller/Traité par|Gestor/Tramitado por|Operatore/Gestito da|Medewerker/Behandeld door
branch=Branch|Filiale|Agence|Sucursal/Oficina|Filiale/Agenzia|Kantoor/Vestiging
reason=Reason|Grund|Motif|Motivo|Motivo|Reden
mobile=Mobile/Mob|Mobil/Handy|Portable/Mobile|Móvil|Cellulare/Cell.|Mobiel/GSM
idnum=ID|Ausweis|Pièce d'identité|Documento|Documento|Legitimatie
expiry=Expiry/Expires|gültig bis/Ablauf|Expire le/Validité|Caduca/Válido hasta|Scadenza|Geldig tot/Vervaldatum
employer=Employer|Arbeitgeber|Employeur|Empresa/Empleador|Datore di lavoro|Werkgever
vehicle=Vehicle|Fahrzeug/Kfz|Véhicule|Vehículo|Veicolo|Voertuig
plate=Reg/Plate/Reg. no|Kennzeichen/Kfz-Kennz.|Immatriculation/Immat.|Matrícula|Targa|Kenteken
vin=VIN|FIN/Fahrgestellnr.|VIN/N° de série|Bastidor/VIN|Telaio/VIN|Chassisnummer/VIN
doctor=Dr|Dr.|Dr|Dr./Dra.|Dott./Dott.ssa|dr.
nurse=RN/Staff nurse/SN|Pflegekraft/Pfl./GuK|IDE/Inf./IDE|Enf./DUE/Enfermera|Inf./IP/Infermiere|Vpk./Verpleegkundige/VPK
"""
LBL = {}
for _line in _LBL.strip().splitlines():
    _k, _v = _line.split("=", 1)
    LBL[_k] = {lg: part.split("/") if _k not in ("account",) else part.split("/") for lg, part in zip(LANGS, _v.split("|"))}
LBL["account"] = {"en": ["Account", "Acct"], "de": ["Konto", "Kto."], "fr": ["Compte", "Cpte"], "es": ["Cuenta", "Cta."],
                  "it": ["Conto", "Conto n."], "nl": ["Rekening", "Rek."]}
LBL["nok"]["fr"] = ["Personne à prévenir", "PAP"]
LBL["dob"]["it"] = ["Data di nascita", "Nato il", "DN"]

VOWELS = "AEIOU"
ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def luhn_digit(s):
    tot = 0
    for i, ch in enumerate(reversed(s)):
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


def group4(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


# ----------------------------------------------------------------------------------------------
# document builder
# ----------------------------------------------------------------------------------------------
class Doc:
    def __init__(self, rng, lang):
        self.r = rng
        self.lang = lang
        self.cc = lang if lang != "en" else ("us" if rng.random() < 0.25 else "uk")
        self.parts, self.spans, self.n = [], [], 0
        self.year = rng.choice([2023, 2024, 2025])
        self.used_names = []
        self.ids = []
        self.pt = None

    # --- emitting -------------------------------------------------------------------------------
    def t(self, x):
        self.parts.append(x)
        self.n += len(x)

    def p(self, kind, v):
        if kind is None:
            return self.t(v)
        st = self.n
        self.t(v)
        self.spans.append({"start": st, "end": self.n, "kind": kind, "value": v})

    def emit(self, x):
        if x is None:
            return
        if isinstance(x, tuple):
            self.p(*x)
        elif isinstance(x, list):
            for y in x:
                self.emit(y)
        elif callable(x):
            x()
        else:
            self.t(x)

    def f(self, tpl, **kw):
        """Template: '{name}' placeholders filled from kw (str, (kind, value), list or callable)."""
        pos = 0
        for m in re.finditer(r"\{(\w+)\}", tpl):
            self.t(tpl[pos:m.start()])
            self.emit(kw[m.group(1)])
            pos = m.end()
        self.t(tpl[pos:])

    def text(self):
        return "".join(self.parts)

    # --- random helpers -------------------------------------------------------------------------
    def c(self, seq):
        return self.r.choice(seq)

    def P(self, prob):
        return self.r.random() < prob

    def D(self, n, first_nonzero=False):
        s = "".join(self.c("0123456789") for _ in range(n))
        if first_nonzero and s[0] == "0":
            s = self.c("123456789") + s[1:]
        return s

    def U(self, n, alphabet="ABCDEFGHJKLMNPRSTUVWXYZ"):
        return "".join(self.c(alphabet) for _ in range(n))

    def lbl(self, key):
        return self.c(LBL[key][self.lang])

    def ln(self, key, sep=None):
        """'Label: ' with a random separator."""
        return self.lbl(key) + (sep if sep is not None else self.c([": ", ": ", ":", " : " if self.lang == "fr" else ": ", " - "]))

    # --- people ---------------------------------------------------------------------------------
    def person(self, sex=None, cc=None):
        cc = cc or self.cc
        sex = sex or self.c("MF")
        for _ in range(40):
            first = self.c(FIRST[cc][0 if sex == "M" else 1])
            last = self.c(LAST[cc])
            if cc == "es":
                last2 = self.c(LAST[cc])
                if last2 != last:
                    last = last + " " + last2
            if (first, last) not in self.used_names and all(last != u[1] for u in self.used_names):
                break
        self.used_names.append((first, last))
        return {"first": first, "last": last, "sex": sex}

    def N(self, p, form=None):
        """A PERSON span for person p in one of many written forms."""
        f, l = p["first"], p["last"]
        form = form or self.c(["full", "full", "LAST, First", "Last, First", "F. Last", "LAST First", "First LAST",
                               "LAST", "full", "LAST, F."])
        v = {"full": f + " " + l, "LAST, First": l.upper() + ", " + f, "Last, First": l + ", " + f,
             "F. Last": f[0] + ". " + l, "LAST First": l.upper() + " " + f, "First LAST": f + " " + l.upper(),
             "LAST": l.upper(), "Last": l, "First": f, "lower": (f + " " + l).lower(),
             "LAST, F.": l.upper() + ", " + f[0] + "."}[form]
        return ("PERSON", v)

    def title(self, p):
        m = p["sex"] == "M"
        return {"en": "Mr " if m else self.c(["Mrs ", "Ms "]), "de": "Herr " if m else "Frau ",
                "fr": "M. " if m else "Mme ", "es": "Sr. " if m else "Sra. ", "it": "Sig. " if m else "Sig.ra ",
                "nl": "dhr. " if m else "mevr. "}[self.lang]

    def drt(self, p):
        if self.lang == "es":
            return "Dr. " if p["sex"] == "M" else "Dra. "
        if self.lang == "it":
            return "Dott. " if p["sex"] == "M" else "Dott.ssa "
        return {"en": "Dr ", "de": "Dr. ", "fr": "Dr ", "nl": "dr. "}[self.lang]

    # --- dates ----------------------------------------------------------------------------------
    def ymd(self, y0, y1):
        return (self.r.randint(y0, y1), self.r.randint(1, 12), self.r.randint(1, 28))

    def fdate(self, t, style=None):
        y, m, dd = t
        lg = self.lang
        style = style or self.c(["num", "num", "num", "iso", "long", "abbr"])
        if style == "iso":
            v = "%04d-%02d-%02d" % (y, m, dd)
        elif style == "long":
            mn = MONTHS[lg][m - 1]
            v = {"en": "%d %s %d" % (dd, mn, y) if self.cc == "uk" else "%s %d, %d" % (mn, dd, y),
                 "de": "%d. %s %d" % (dd, mn, y), "fr": "%d %s %d" % (dd, mn, y), "es": "%d de %s de %d" % (dd, mn, y),
                 "it": "%d %s %d" % (dd, mn, y), "nl": "%d %s %d" % (dd, mn, y)}[lg]
        elif style == "abbr":
            mn = MON_ABBR[lg][m - 1]
            v = ("%02d-%s-%d" % (dd, mn.upper(), y)) if lg == "en" and self.P(0.5) else "%d %s %d" % (dd, mn, y)
            if lg == "de":
                v = "%d. %s %d" % (dd, mn, y)
        else:
            if self.cc == "us":
                v = "%02d/%02d/%04d" % (m, dd, y)
            elif lg == "de":
                v = self.c(["%02d.%02d.%04d", "%d.%d.%04d"]) % (dd, m, y)
            elif lg == "nl":
                v = self.c(["%02d-%02d-%04d", "%d-%d-%04d"]) % (dd, m, y)
            elif lg == "it":
                v = self.c(["%02d/%02d/%04d", "%02d.%02d.%04d"]) % (dd, m, y)
            else:
                v = self.c(["%02d/%02d/%04d", "%02d.%02d.%04d" if lg == "uk" else "%02d/%02d/%04d"]) % (dd, m, y)
        return ("DATE", v)

    def today(self):
        return (self.year, self.r.randint(1, 12), self.r.randint(1, 28))

    def dob_for(self, old=None):
        if old is None:
            old = self.P(0.4)
        age = self.r.randint(90, 104) if old else self.r.randint(19, 86)
        return (self.year - age, self.r.randint(1, 12), self.r.randint(1, 28)), age

    def age(self, age, sex, table=False, suffix_only=False):
        """AGE_OVER_89 span if age > 89, plain text otherwise."""
        lg, f = self.lang, sex == "F"
        if table and not suffix_only:
            v = str(age)
        else:
            opts = {"en": ["%d%s" % (age, "F" if f else "M"), "aged %d" % age, "%d-year-old" % age, "%d yrs" % age, "%dy" % age],
                    "de": ["%d-jährige%s" % (age, "" if f else "r"), "%d J." % age, "%d%s" % (age, "W" if f else "M"), "%d Jahre" % age],
                    "fr": ["âgé%s de %d ans" % ("e" if f else "", age), "%d ans" % age, "%d%s" % (age, "F" if f else "H")],
                    "es": ["%d años" % age, "%da" % age, "de %d años" % age, "%d%s" % (age, "M" if f else "V")],
                    "it": ["anni %d" % age, "%daa" % age, "%d anni" % age, "%d a." % age],
                    "nl": ["%d jaar" % age, "%d-jarige" % age, "%d%s" % (age, "V" if f else "M"), "%d jr" % age]}[lg]
            v = self.c(opts)
        return ("AGE_OVER_89" if age > 89 else None, v)

    def tm(self):
        return ("KEEP", "%02d:%02d" % (self.r.randint(0, 23), self.c([0, 5, 10, 15, 20, 30, 40, 45, 50])))

    # --- addresses ------------------------------------------------------------------------------
    def addr(self, cc=None):
        """(street line, town line) as two ADDRESS values."""
        cc = cc or self.cc
        st = self.c(STREETS[cc])
        no = str(self.r.randint(1, 180))
        tw = self.c(TOWNS[cc])
        if cc == "uk":
            street = no + " " + st if self.P(0.8) else "Flat %d, %s %s" % (self.r.randint(1, 30), no, st)
            pc = tw[1] + str(self.r.randint(1, 29)) + " " + str(self.r.randint(1, 9)) + self.U(2, "ABDEFGHJLNPQRSTUWXYZ")
            town = self.c(["%s %s", "%s  %s", "%s, %s"]) % (tw[0], pc) if self.P(0.7) else tw[0].upper() + " " + pc
        elif cc == "us":
            street = "%d %s" % (self.r.randint(100, 9999), st) + self.c(["", ", Apt %d" % self.r.randint(1, 40), " #%d" % self.r.randint(2, 20)])
            town = "%s, %s %s%s" % (tw[0], tw[1], tw[2], self.D(2))
        elif cc == "de":
            street = st + " " + no + self.c(["", "", "a", "b"])
            town = tw[1] + self.D(5 - len(tw[1])) + " " + tw[0]
        elif cc == "fr":
            street = no + self.c([" ", ", ", " bis "]) + st
            town = tw[1] + self.D(2) + " " + (tw[0] if self.P(0.7) else tw[0].upper()) + self.c(["", "", " Cedex"])
        elif cc == "es":
            street = st + self.c([", %s" % no, " %s" % no, ", %s, %dº %s" % (no, self.r.randint(1, 9), self.c("ABCD")),
                                  " %s, %dº izda." % (no, self.r.randint(1, 6))])
            town = tw[1] + self.D(3) + " " + tw[0]
        elif cc == "it":
            street = st + self.c([" ", ", ", " n. "]) + no
            town = tw[1] + self.D(2) + " " + tw[0] + self.c([" (%s)" % tw[2], " %s" % tw[2], ""])
        else:
            street = st + " " + no + self.c(["", "", "-II", " A", "hs"])
            town = tw[1] + self.D(2) + " " + self.U(2, "ABCDEGHJKLMNPRTVWXZ") + " " + (tw[0] if self.P(0.8) else tw[0].upper())
        return ("ADDRESS", street), ("ADDRESS", town)

    def addr2(self, sep=None):
        a, b = self.addr()
        return [a, sep or self.c([", ", ", ", "\n    "]), b]

    def addr1(self, cc=None):
        a, b = self.addr(cc)
        return ("ADDRESS", a[1] + self.c([", ", ", ", " - "]) + b[1])

    # --- phones ---------------------------------------------------------------------------------
    def phone(self, mobile=None, cc=None):
        cc = cc or self.cc
        D = self.D
        mob = self.P(0.5) if mobile is None else mobile
        if cc == "uk":
            if mob:
                v = self.c(["07%s %s" % (D(3), D(6)), "+44 7%s %s" % (D(3), D(6)), "07%s%s" % (D(3), D(6)),
                            "+44 (0)7%s %s %s" % (D(3), D(3), D(3))])
            else:
                v = self.c(["0%s %s %s" % (self.c(["113", "114", "117", "161", "121", "29"]), D(3), D(4)),
                            "+44 (0)%s %s %s" % (self.c(["113", "1603", "20"]), D(3), D(4)),
                            "(01%s) %s%s" % (D(3), D(3), D(3)), "020 %s %s" % (D(4), D(4))])
        elif cc == "us":
            a = self.c(["614", "520", "518", "608"])
            v = self.c(["(%s) %s-%s" % (a, D(3, 1), D(4)), "%s-%s-%s" % (a, D(3, 1), D(4)), "+1 %s %s %s" % (a, D(3, 1), D(4)),
                        "%s.%s.%s" % (a, D(3, 1), D(4))])
        elif cc == "de":
            if mob:
                v = self.c(["01%s %s" % (self.c(["51", "52", "60", "70", "71", "76"]), D(7)), "+49 1%s %s" % (self.c(["51", "60", "72"]), D(7)),
                            "01%s/%s" % (self.c(["57", "62", "77"]), D(7)), "+49 (0)17%s %s" % (D(1), D(7))])
            else:
                v = self.c(["030 %s" % D(8), "0221/%s" % D(7), "+49 (0)89 %s" % D(7), "0761 %s-%s" % (D(4), D(2)),
                            "040 / %s %s %s" % (D(2), D(2), D(2)), "+49 521 %s" % D(6), "(0361) %s" % D(6)])
        elif cc == "fr":
            pre = self.c(["06", "07"]) if mob else self.c(["01", "02", "03", "04", "05"])
            g = [D(2) for _ in range(4)]
            v = self.c([pre + " " + " ".join(g), pre + "." + ".".join(g), "+33 " + pre[1] + " " + " ".join(g),
                        "+33 (0)" + pre[1] + " " + " ".join(g), pre + "".join(g), pre + "-" + "-".join(g)])
        elif cc == "es":
            if mob:
                v = self.c(["6%s %s %s" % (D(2), D(3), D(3)), "+34 6%s %s %s %s" % (D(2), D(2), D(2), D(2)), "6%s" % D(8),
                            "(+34) 7%s %s %s" % (D(2), D(3), D(3))])
            else:
                v = self.c(["91 %s %s %s" % (D(3), D(2), D(2)), "93 %s %s %s" % (D(3), D(2), D(2)), "954 %s %s" % (D(3), D(3)),
                            "+34 96 %s %s %s" % (D(3), D(2), D(2)), "944%s" % D(6)])
        elif cc == "it":
            if mob:
                v = self.c(["3%s %s %s" % (D(2), D(3), D(4)), "+39 3%s %s" % (D(2), D(7)), "3%s/%s" % (D(2), D(7)),
                            "+39 3%s %s %s" % (D(2), D(3), D(4))])
            else:
                v = self.c(["02 %s %s" % (D(4), D(4)), "06 %s" % D(8), "+39 06 %s" % D(7), "081 %s" % D(7),
                            "0039 011 %s" % D(7), "051-%s" % D(6)])
        else:
            if mob:
                v = self.c(["06-%s" % D(8), "06 %s %s" % (D(4), D(4)), "+31 6 %s" % D(8), "+31 (0)6 %s %s" % (D(4), D(4)), "06%s" % D(8)])
            else:
                v = self.c(["020 %s %s" % (D(3), D(4)), "010-%s" % D(7), "+31 (0)30 %s %s" % (D(3), D(4)), "050 - %s %s %s" % (D(3), D(2), D(2)),
                            "+31 40 %s" % D(7), "071-%s %s" % (D(3), D(4))])
        return ("PHONE", v)

    def phone_ext(self):
        v = self.phone(mobile=False)[1]
        ext = {"en": " ext. ", "de": " - Durchwahl ", "fr": " poste ", "es": " ext. ", "it": " int. ", "nl": " toestel "}[self.lang]
        if self.lang == "de" and self.P(0.5):
            return ("PHONE", v + "-" + self.D(3))
        return ("PHONE", v + ext + self.D(4, 1))

    def email(self, p=None, corp=None):
        if p is None:
            u = self.c(["info", "secretariaat", "ward.admin", "sekretariat", "accueil", "cita.previa", "urp", "backoffice"]) + self.D(2)
        else:
            f = p["first"].lower().replace(" ", "").replace("'", "")
            l = p["last"].lower().replace(" ", "").replace("'", "")
            u = self.c(["%s.%s" % (f, l), "%s%s" % (f[0], l), "%s_%s%s" % (f, l, self.D(2)), "%s.%s%s" % (l, f[0], self.D(2))])
        u = (u.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("é", "e").replace("è", "e").replace("ë", "e")
             .replace("á", "a").replace("í", "i").replace("ó", "o").replace("ú", "u").replace("ñ", "n").replace("ç", "c")
             .replace("ï", "i").replace("ê", "e").replace("î", "i").replace("â", "a").replace("ı", "i").replace("-", ""))
        dom = corp or self.c({"en": ["btinternet.com", "outlook.com", "gmail.com", "nhs.net", "yahoo.co.uk"],
                              "de": ["web.de", "gmx.de", "t-online.de", "posteo.de"],
                              "fr": ["orange.fr", "free.fr", "laposte.net", "wanadoo.fr"],
                              "es": ["gmail.com", "hotmail.es", "telefonica.net", "yahoo.es"],
                              "it": ["libero.it", "virgilio.it", "tiscali.it", "alice.it"],
                              "nl": ["ziggo.nl", "kpnmail.nl", "hotmail.nl", "xs4all.nl"]}[self.lang])
        return ("EMAIL", u + "@" + dom)

    # --- record ids -----------------------------------------------------------------------------
    def nhs(self):
        while True:
            d = self.D(9, 1)
            s = sum(int(x) * (10 - i) for i, x in enumerate(d))
            ch = 11 - s % 11
            ch = 0 if ch == 11 else ch
            if ch != 10:
                break
        v = d + str(ch if self.P(0.85) else (ch + 1) % 10)
        return self.c([v[:3] + " " + v[3:6] + " " + v[6:], v, v[:3] + "-" + v[3:6] + "-" + v[6:]])

    def rid(self, kind="mrn", foreign=False):
        """(label, ('RECORD_ID', value)) for this country; misspelled / other-language labels sometimes."""
        cc = self.cc
        D, c = self.D, self.c
        if foreign:
            cc = c(["uk", "de", "fr", "es", "it", "nl"])
        if kind == "acc":
            lab = {"uk": ["Lab no", "Accession", "Specimen no"], "us": ["Accession #", "Acc no"],
                   "de": ["Labor-Nr.", "Eingangsnr.", "Auftragsnr. Labor"], "fr": ["N° de prélèvement", "N° demande", "N° échantillon"],
                   "es": ["Nº muestra", "Nº petición", "Nº de solicitud"], "it": ["N. campione", "N. accettazione", "ID campione"],
                   "nl": ["Labnummer", "Monsternummer", "Aanvraagnr."]}[cc]
            v = c(["%s%s-%s" % (c("MHBCS"), str(self.year)[2:], D(6)), "%s.%s.%s" % (str(self.year)[2:], c("BMHP"), D(5)),
                   "%s%s" % (str(self.year)[2:], D(7)), "L%s/%s" % (D(4), D(3)), "%s%s%s" % (c(["MB", "HA", "CH"]), str(self.year)[2:], D(6))])
            return c(lab), ("RECORD_ID", v)
        if cc == "uk":
            opts = [("NHS No", self.nhs()), ("NHS number", self.nhs()), ("NHS Numbr", self.nhs()),
                    ("Hospital No", c(["RTH", "K", "M", "RX1", "NG"]) + D(7)), ("Hosp no.", D(5, 1)), ("Hosptial no", D(7, 1)),
                    ("Unit No", c(["U", "J", "RW"]) + D(6)), ("MRN", D(8)), ("MNR", D(7)), ("A&E no", "ED" + str(self.year)[2:] + "-" + D(6)),
                    ("Encounter", "E" + D(9)), ("K-number", "K" + D(7))]
        elif cc == "us":
            opts = [("MRN", D(8)), ("Med Rec #", "MR-" + D(7)), ("MRN", D(5, 1)), ("Encounter #", D(10, 1)),
                    ("Acct/Enc", "ENC" + D(8)), ("Medical record no", D(3) + "-" + D(2) + "-" + D(3))]
        elif cc == "de":
            opts = [("Fallnummer", D(9, 1)), ("Fall-Nr.", D(8, 1)), ("Pat.-Nr.", D(7, 1)), ("PID", D(8, 1)),
                    ("Patientennummer", "P" + D(7)), ("Aufnahme-Nr.", str(self.year) + "/" + D(6)), ("Fallnumer", D(10, 1)),
                    ("Patienten-ID", D(5, 1)), ("Fall", "F" + D(8)), ("Pat.Nr", D(6, 1))]
        elif cc == "fr":
            opts = [("IPP", D(10, 1)), ("N° IPP", D(9, 1)), ("NDA", D(9, 1)), ("N° de séjour", str(self.year)[2:] + D(7)),
                    ("Dossier n°", D(8, 1)), ("N° patient", D(5, 1)), ("IIP", D(8, 1)), ("N° de sejour", D(10, 1)),
                    ("N° dossier", c(["H", "C", "P"]) + D(8))]
        elif cc == "es":
            opts = [("NHC", D(7, 1)), ("Nº historia", D(6, 1)), ("Nº H.C.", D(8, 1)), ("Episodio", D(10, 1)),
                    ("Nº episodio", str(self.year) + D(6)), ("NCH", D(7, 1)), ("Nº hitoria", D(5, 1)), ("Historia clínica", "HC-" + D(7))]
        elif cc == "it":
            opts = [("Cartella n.", str(self.year) + "/" + D(6)), ("N. cartella clinica", D(8, 1)), ("Nosologico", str(self.year) + D(6)),
                    ("N. nosologico", D(10, 1)), ("ID paziente", D(7, 1)), ("Cartela n.", D(6, 1)), ("Cod. paziente", "PZ" + D(6)),
                    ("N. pratica", D(5, 1))]
        else:
            opts = [("Patiëntnummer", D(7, 1)), ("Patientnr.", D(8, 1)), ("Ziekenhuisnummer", D(7, 1)), ("Opnamenummer", D(9, 1)),
                    ("Pat.nr", D(6, 1)), ("ZIS-nr", D(8, 1)), ("Patientnumer", D(7, 1)), ("Pat. nr.", D(5, 1)), ("Opname-ID", "OPN" + D(7))]
        lab, v = c(opts)
        if self.P(0.12) and not foreign:
            lab = c(["MRN", "Patient ID", "Case no", "ID"])
        self.ids.append(("RECORD_ID", v))
        return lab, ("RECORD_ID", v)

    def rids(self, fmt=None):
        lab, v = self.rid()
        return [lab + self.c([": ", " ", ": ", "# ", " n° " if self.lang == "fr" else ": "]), v]

    # --- identity documents ---------------------------------------------------------------------
    def iddoc(self, p=None, dob=None, which=None):
        """(label, ('ID_DOC', value))"""
        cc, D, c = self.cc, self.D, self.c
        bad = self.P(0.15)
        if cc == "uk":
            which = which or c(["ni", "ni", "pp", "dl"])
            if which == "ni":
                v = c("ABCEGHJKLMNOPRSTWXYZ") + c("ABCEGHJKLMNPRSTWXYZ") + " " + D(2) + " " + D(2) + " " + D(2) + " " + c("ABCD")
                if self.P(0.4):
                    v = v.replace(" ", "")
                return c(["NI No", "NINO", "National Insurance no", "NI number"]), ("ID_DOC", v)
            if which == "pp":
                return c(["Passport", "Passport no"]), ("ID_DOC", D(9, 1))
            last = (p["last"].upper().replace(" ", "").replace("'", "") + "99999")[:5] if p else self.U(5)
            y, m, dd = dob or self.ymd(1940, 2000)
            mm = m + (50 if p and p["sex"] == "F" else 0)
            v = "%s%s%02d%02d%s%s%s%s" % (last, str(y)[2], mm, dd, str(y)[3], self.U(2), D(1), self.U(2))
            return c(["Driving licence", "DL no"]), ("ID_DOC", v)
        if cc == "us":
            which = which or c(["ssn", "ssn", "pp", "dl"])
            if which == "ssn":
                a = self.r.randint(1, 665)
                v = "%03d-%s-%s" % (a, D(2, 1), D(4, 1))
                return c(["SSN", "SS#", "Social Security no"]), ("ID_DOC", v)
            if which == "pp":
                return "Passport #", ("ID_DOC", D(9, 1))
            return c(["DL#", "Driver license"]), ("ID_DOC", self.U(1) + D(7 + self.r.randint(0, 5)))
        if cc == "de":
            which = which or c(["pa", "pa", "svnr", "steuer", "pass"])
            if which in ("pa", "pass"):
                al = "CFGHJKLMNPRTVWXYZ0123456789"
                b = c("LMNPRTVWXY" if which == "pa" else "C") + "".join(c(al) for _ in range(8))
                w, tot = [7, 3, 1], 0
                for i, ch in enumerate(b):
                    tot += (int(ch) if ch.isdigit() else ord(ch) - 55) * w[i % 3]
                v = b + str((tot + bad) % 10)
                return (c(["Personalausweis", "PA-Nr.", "Ausweisnr."]) if which == "pa" else "Reisepass"), ("ID_DOC", v)
            if which == "svnr":
                y, m, dd = dob or (1960, 5, 5)
                ini = (p["last"].replace("de ", "")[0].upper() if p else self.U(1))
                v = "%s %02d%02d%s %s %s" % (D(2), dd, m, str(y)[2:], ini, D(3))
                if self.P(0.4):
                    v = v.replace(" ", "")
                return c(["SV-Nr.", "RV-Nummer", "Sozialvers.-Nr."]), ("ID_DOC", v)
            digs = D(10, 1)
            prod = 10
            for ch in digs:
                s = (int(ch) + prod) % 10 or 10
                prod = (s * 2) % 11
            chk = (11 - prod) % 10
            v = digs + str((chk + bad) % 10)
            v = c([v, v[:2] + " " + v[2:5] + " " + v[5:8] + " " + v[8:]])
            return c(["Steuer-ID", "Steuerliche IdNr.", "IdNr"]), ("ID_DOC", v)
        if cc == "fr":
            which = which or c(["nir", "nir", "cni", "pp"])
            if which == "nir":
                y, m, dd = dob or (1960, 5, 5)
                sx = "1" if (p and p["sex"] == "M") else "2"
                dep = c(["75", "69", "13", "59", "35", "31", "44", "67", "2A", "99"])
                body = sx + str(y)[2:] + "%02d" % m + dep + D(3) + D(3)
                num = int(body.replace("2A", "19").replace("2B", "18"))
                key = 97 - num % 97
                if bad:
                    key = (key + 3) % 97
                v = "%s %s %s %s %s %s %02d" % (body[0], body[1:3], body[3:5], body[5:7], body[7:10], body[10:13], key)
                if self.P(0.3):
                    v = v.replace(" ", "")
                return c(["NIR", "N° sécu", "N° de sécurité sociale", "N° SS"]), ("ID_DOC", v)
            if which == "cni":
                return c(["CNI n°", "Carte d'identité"]), ("ID_DOC", c([D(12, 1), self.U(1) + self.U(1, ALNUM) + D(7)]))
            return c(["Passeport", "Passeport n°"]), ("ID_DOC", D(2) + self.U(2) + D(5))
        if cc == "es":
            which = which or c(["dni", "dni", "nie", "nass", "pp"])
            if which in ("dni", "nie"):
                pre = "" if which == "dni" else c("XYZ")
                n = D(8) if which == "dni" else D(7)
                num = int(("XYZ".index(pre) if pre else "") and str("XYZ".index(pre)) + n or n) if pre else int(n)
                if pre:
                    num = int(str("XYZ".index(pre)) + n)
                let = "TRWAGMYFPDXBNJZSQVHLCKE"[(num + bad) % 23]
                v = pre + n + c(["", "-", " "]) + let
                return ("DNI" if which == "dni" else "NIE") + c(["", ":", " nº"]), ("ID_DOC", v)
            if which == "nass":
                v = c(["%s %s %s", "%s/%s/%s", "%s%s%s"]) % (c(["28", "08", "41", "46", "48"]), D(8), D(2))
                return c(["NASS", "Nº afiliación SS", "NUSS"]), ("ID_DOC", v)
            return "Pasaporte", ("ID_DOC", self.U(3) + D(6))
        if cc == "it":
            which = which or c(["cf", "cf", "cf", "ci", "pp"])
            if which == "cf":
                return c(["C.F.", "Codice fiscale", "CF", "Cod. fisc."]), ("ID_DOC", self.cf(p, dob, bad))
            if which == "ci":
                return c(["C.I. n.", "Carta d'identità"]), ("ID_DOC", c(["C" + self.U(1) + D(5) + self.U(2), "AY" + D(7)]))
            return "Passaporto", ("ID_DOC", self.U(2) + D(7))
        which = which or c(["bsn", "bsn", "pp", "id"])
        if which == "bsn":
            while True:
                d8 = D(8, 1)
                s = sum(int(x) * (9 - i) for i, x in enumerate(d8)) % 11
                if s != 10:
                    break
            v = d8 + str((s + bad) % 10)
            v = c([v, v, v[:4] + "." + v[4:6] + "." + v[6:], v[:3] + " " + v[3:6] + " " + v[6:]])
            return c(["BSN", "BSN-nr", "Burgerservicenummer", "Sofinummer"]), ("ID_DOC", v)
        v = self.U(2, "ABCDEFGHIJKLMNPRSTUVWXYZ") + "".join(c("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(6)) + D(1)
        return ("Paspoort" if which == "pp" else "ID-kaart"), ("ID_DOC", v)

    def cf(self, p, dob, bad=False):
        def part(s, first):
            s = re.sub("[^A-Z]", "", s.upper().replace("À", "A").replace("È", "E").replace("É", "E").replace("Ì", "I").replace("Ò", "O").replace("Ù", "U"))
            co = [ch for ch in s if ch not in VOWELS]
            vo = [ch for ch in s if ch in VOWELS]
            if first and len(co) >= 4:
                co = [co[0], co[2], co[3]]
            return "".join((co + vo + ["X", "X", "X"])[:3])
        p = p or {"first": "Mario", "last": "Rossi", "sex": "M"}
        y, m, dd = dob or (1950, 3, 3)
        s = part(p["last"], False) + part(p["first"], True) + str(y)[2:] + "ABCDEHLMPRST"[m - 1] + \
            "%02d" % (dd + (40 if p["sex"] == "F" else 0)) + self.c("ABCDFGHLMF") + self.D(3)
        odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
        tot = 0
        for i, ch in enumerate(s):
            k = int(ch) if ch.isdigit() else ord(ch) - 65
            tot += odd[k] if i % 2 == 0 else k
        return s + chr(65 + (tot + (1 if bad else 0)) % 26)

    # --- accounts -------------------------------------------------------------------------------
    def iban(self, cc=None, grouped=None):
        cc = cc or self.cc
        D = self.D
        if cc in ("uk", "us"):
            ccode, bban = "GB", self.c(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + D(14)
        elif cc == "de":
            ccode, bban = "DE", D(8, 1) + D(10)
        elif cc == "fr":
            ccode, bban = "FR", D(10) + D(11) + D(2)
        elif cc == "es":
            ccode, bban = "ES", D(20)
        elif cc == "it":
            ccode, bban = "IT", self.U(1) + D(10) + D(12)
        else:
            ccode, bban = "NL", self.c(["ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB"]) + D(10)
        ck = iban_check(ccode, bban)
        if self.P(0.3):
            ck = "%02d" % ((int(ck) + self.r.randint(1, 50)) % 97 + 2)
        v = ccode + ck + bban
        g = self.P(0.6) if grouped is None else grouped
        return ("ACCOUNT", group4(v) if g else v)

    def card(self):
        pre = self.c(["4", "4", "51", "53", "55", "2221", "37", "6011", "9"])
        n = 15 if pre == "37" else 16
        body = pre + self.D(n - len(pre) - 1)
        ck = luhn_digit(body)
        if self.P(0.35):
            ck = str((int(ck) + self.r.randint(1, 9)) % 10)
        v = body + ck
        if n == 16 and self.P(0.6):
            v = group4(v)
        elif n == 16 and self.P(0.3):
            v = "-".join(v[i:i + 4] for i in range(0, 16, 4))
        return ("ACCOUNT", v)

    def acctno(self):
        cc, D = self.cc, self.D
        if cc == "uk":
            return ("ACCOUNT", self.c([D(8, 1), "%s-%s-%s %s" % (D(2), D(2), D(2), D(8, 1))]))
        if cc == "us":
            return ("ACCOUNT", D(10, 1))
        return ("ACCOUNT", self.c([D(10, 1), D(3) + "-" + D(7), D(12, 1)]))

    def custid(self):
        lab = {"en": ["Customer ID", "CIF", "Custmer ID", "Client no"], "de": ["Kundennummer", "Kd.-Nr.", "Kundennr", "CIF"],
               "fr": ["N° client", "Réf. client", "Identifiant client"], "es": ["Nº cliente", "Cód. cliente", "NIC"],
               "it": ["Codice cliente", "NDG", "Cod. cliente"], "nl": ["Klantnummer", "Relatienummer", "Klantnr."]}[self.lang]
        v = self.c([self.D(8, 1), "C" + self.D(9), self.D(10, 1), self.U(2) + self.D(7)])
        return self.c(lab), ("ACCOUNT", v)

    def member(self):
        lab = {"en": ["Member ID", "Policy no", "Membership no"], "de": ["Versichertennr.", "KVNR", "Mitgliedsnr."],
               "fr": ["N° adhérent", "N° mutuelle", "N° contrat"], "es": ["Nº póliza", "Nº asegurado", "Tarjeta aseguradora"],
               "it": ["N. polizza", "N. tessera", "N. adesione"], "nl": ["Polisnummer", "Verzekerdennr.", "Lidnummer"]}[self.lang]
        if self.lang == "de":
            v = self.U(1) + self.D(9)
        else:
            v = self.c([self.U(3) + self.D(8), self.D(10, 1), self.U(2) + "-" + self.D(6) + "-" + self.D(2)])
        return self.c(lab), ("ACCOUNT", v)

    # --- vehicles, devices, licences, biometrics, refs, network ---------------------------------
    def plate(self, cc=None):
        cc = cc or self.cc
        U, D, c = self.U, self.D, self.c
        if cc == "uk":
            v = U(2) + D(2) + c([" ", ""]) + U(3)
        elif cc == "us":
            v = c([D(1, 1) + U(3) + D(3), U(3) + "-" + D(4), U(3) + " " + D(4)])
        elif cc == "de":
            v = c(["M", "B", "HH", "K", "L", "FR", "BI", "EF", "KA"]) + c(["-", " "]) + U(c([1, 2])) + " " + D(c([2, 3, 4]), 1) + c(["", "", "E"])
        elif cc == "fr":
            v = U(2) + "-" + D(3) + "-" + U(2)
            if self.P(0.3):
                v = v.replace("-", " ")
        elif cc == "es":
            v = D(4) + c([" ", "-", ""]) + U(3, "BCDFGHJKLMNPRSTVWXYZ")
        elif cc == "it":
            v = U(2) + c([" ", ""]) + D(3) + c([" ", ""]) + U(2)
        else:
            v = c([D(2) + "-" + U(3, "BDFGHJKLNPRSTVXZ") + "-" + D(1), U(2, "BDFGHJKLNPRSTVXZ") + "-" + D(3) + "-" + U(1, "BDFGHJKLNPRSTVXZ"),
                   D(1) + "-" + U(3, "BDFGHJKLNPRSTVXZ") + "-" + D(2), U(2, "BDFGHJKLNPRSTVXZ") + "-" + D(2) + "-" + U(2, "BDFGHJKLNPRSTVXZ")])
        return ("VEHICLE", v)

    def vin(self):
        al = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        wmi = self.c(["WVW", "WBA", "VF1", "VF7", "ZFA", "VSS", "SAL", "1FT", "XLR", "WDD", "TMB", "YV1"])
        body = wmi + "".join(self.c(al) for _ in range(5)) + "0" + "".join(self.c(al) for _ in range(8))
        tr = {ch: v for ch, v in zip("ABCDEFGHJKLMNPRSTUVWXYZ", [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9])}
        w = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
        s = sum((int(ch) if ch.isdigit() else tr[ch]) * w[i] for i, ch in enumerate(body))
        ck = "X" if s % 11 == 10 else str(s % 11)
        if self.P(0.3):
            ck = self.c("0123456789")
        return ("VEHICLE", body[:8] + ck + body[9:])

    def device(self, what=None):
        what = what or self.c(["pm", "pump", "vent", "imei", "mac", "udi", "uuid", "cgm"])
        D, U = self.D, self.U
        if what == "pm":
            v = self.c([U(3) + D(6) + U(1), "SN " + D(8), "RNF" + D(6) + "S"])
            return self.c(["Pacemaker SN", "ICD serial", "Device serial"]), ("DEVICE", v.replace("SN ", ""))
        if what == "pump":
            return self.c(["Pump S/N", "Infusion pump SN", "Insulin pump serial"]), ("DEVICE", self.c(["NG" + D(7) + "H", D(4) + "-" + D(5), "PX" + D(8)]))
        if what == "vent":
            return self.c(["Ventilator SN", "Vent serial"]), ("DEVICE", self.c(["CB" + D(6), "HAM" + D(7), U(2) + "-" + D(6)]))
        if what == "imei":
            b = D(14, 1)
            return "IMEI", ("DEVICE", b + luhn_digit(b))
        if what == "mac":
            return "MAC", ("DEVICE", ":".join(self.c("0123456789ABCDEF") + self.c("0123456789ABCDEF") for _ in range(6)))
        if what == "udi":
            return "UDI", ("DEVICE", "(01)0%s(21)%s%s" % (D(13), U(2), D(6)))
        if what == "cgm":
            return self.c(["CGM sensor SN", "Sensor ID"]), ("DEVICE", "0M" + "".join(self.c(ALNUM) for _ in range(9)))
        h = "0123456789abcdef"
        v = "-".join("".join(self.c(h) for _ in range(n)) for n in (8, 4, 4, 4, 12))
        return self.c(["Device ID", "device_id"]), ("DEVICE", v)

    def lic(self, role="doc"):
        """(label, ('LICENSE', value)) for a clinician / professional of this country."""
        cc, D, c = self.cc, self.D, self.c
        if role == "nurse":
            lab, v = {"uk": ("NMC PIN", D(2) + c("ABCDEFGHIJ") + D(4) + c("EONSW")), "us": ("RN lic.", "RN" + D(7)),
                      "de": ("Reg.-Nr.", "PK" + D(6)), "fr": ("ADELI", D(9, 1)), "es": ("Nº col.", D(2) + "/" + D(5)),
                      "it": ("OPI n.", D(5, 1)), "nl": ("BIG", D(11, 1))}[cc]
            return lab, ("LICENSE", v)
        if role == "para":
            return {"uk": "HCPC", "us": "NREMT", "de": "NotSan-Nr.", "fr": "N° DE", "es": "Nº col.", "it": "Matr.", "nl": "BIG"}[cc], \
                ("LICENSE", {"uk": "PA" + D(5), "us": "E" + D(7)}.get(cc, D(8, 1)))
        if role == "pharm":
            return {"uk": "GPhC", "us": "RPh lic.", "de": "Approb.-Nr.", "fr": "RPPS", "es": "Nº col.", "it": "Albo n.", "nl": "BIG"}[cc], \
                ("LICENSE", {"uk": D(7, 2), "fr": "10" + D(9)}.get(cc, D(8, 1)))
        if role == "fin":
            lab = {"uk": "FCA IRN", "us": "CRD #", "de": "Vermittlerreg.", "fr": "ORIAS", "es": "Reg. CNMV", "it": "Albo OCF n.",
                   "nl": "AFM-vergunning"}[cc]
            v = {"uk": self.U(3) + D(5), "us": D(7, 1), "de": "D-" + self.U(1) + "-" + D(3) + "-" + self.U(4) + "-" + D(2),
                 "fr": D(8, 1), "es": D(5, 1), "it": D(5, 1), "nl": "120" + D(5)}[cc]
            return lab, ("LICENSE", v)
        if role == "notary":
            return {"uk": "SRA no", "us": "Notary commission", "de": "Notar-Nr.", "fr": "CRPCEN", "es": "Nº protocolo notario",
                    "it": "Ruolo notai n.", "nl": "KNB-nr"}[cc], ("LICENSE", D(6, 1))
        if cc == "uk":
            return c(["GMC", "GMC No", "GMC no."]), ("LICENSE", D(7, 1))
        if cc == "us":
            if self.P(0.5):
                b = D(9, 1)
                ck = luhn_digit("80840" + b)
                return "NPI", ("LICENSE", b + (ck if self.P(0.8) else str((int(ck) + 1) % 10)))
            v = self.U(2) + D(6)
            d = [int(x) for x in v[2:]]
            ck = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
            return "DEA", ("LICENSE", v + str(ck))
        if cc == "de":
            if self.P(0.6):
                b = D(6, 1)
                ck = sum(int(x) * (4 if i % 2 == 0 else 9) for i, x in enumerate(b)) % 10
                return c(["LANR", "Arzt-Nr."]), ("LICENSE", b + str((10 - ck) % 10) + c(["01", "23", "34", "50", "03"]))
            return "BSNR", ("LICENSE", c(["01", "17", "38", "46", "72"]) + D(7))
        if cc == "fr":
            return c(["RPPS", "N° RPPS", "ADELI"]), ("LICENSE", "10" + D(9) if self.P(0.7) else D(9, 1))
        if cc == "es":
            return c(["Nº colegiado", "Col. nº", "NºCol."]), ("LICENSE", c([D(2) + "/" + D(5), D(9, 1), D(2) + D(2) + D(5)]))
        if cc == "it":
            return c(["iscr. Albo n.", "OMCeO n.", "n. iscrizione"]), ("LICENSE", c([D(5, 1), self.U(2) + "-" + D(5)]))
        return c(["BIG", "BIG-nr", "AGB"]), ("LICENSE", D(11, 1) if self.P(0.6) else D(2) + "-" + D(6))

    def bio(self, what=None):
        what = what or self.c(["fp", "palm", "voice", "iris", "face"])
        h = "0123456789abcdef"
        x = "".join(self.c(h) for _ in range(self.c([12, 16, 20])))
        lab = {"fp": "fingerprint template", "palm": "palm-vein template", "voice": "voiceprint id", "iris": "iris template",
               "face": "face template"}[what]
        v = self.c(["%s-%s" % ({"fp": "FP", "palm": "PV", "voice": "VP", "iris": "IR", "face": "FT"}[what], x.upper()[:12]),
                    "tpl_" + x, "BIO%s" % self.D(10)])
        return lab, ("BIOMETRIC", v)

    def ref(self, kind):
        D, U, y = self.D, self.U, str(self.year)
        v = {"claim": self.c(["CLM-" + y + "-" + D(6), "SIN" + D(8), "SCH/" + y[2:] + "/" + D(5)]),
             "case": self.c(["CASE-" + D(7), "FR" + y[2:] + "-" + D(6), "INC" + D(7)]),
             "ticket": self.c(["TCK" + D(7), "SR-" + D(8), "#" + D(6, 1), "REQ" + y + D(5)]),
             "rx": self.c(["RX" + D(8), D(3) + "." + D(3) + "." + D(3) + "." + D(3), "ER-" + D(10)]),
             "appt": self.c(["APT-" + D(6), "RDV" + D(7), "CITA" + D(6)]),
             "auth": self.c(["PA-" + y[2:] + "-" + D(5), "AUTH" + D(8), "GEN" + D(7)]),
             "inc": self.c(["INC-" + y + "-" + D(5), D(2) + "/" + D(6), "CAD" + D(7)]),
             "emp": self.c(["E" + D(6), D(5, 1) + "-" + U(1), "PN" + D(6)]),
             "box": self.c([D(4, 1) + "-" + U(1), "SDB-" + D(5), "K" + D(4)]),
             "cheque": self.c([D(6), "00" + D(4, 1)]),
             "trade": self.c(["TRD" + D(9), y + D(8), "CNF-" + D(7)]),
             "reg": self.c(["POA-" + y + "-" + D(6), "LPA " + D(4) + "-" + D(4) + "-" + D(4), "REG" + D(8)]),
             "e2e": self.c(["E2E" + D(12), U(4) + D(10)]),
             "mandate": self.c(["MNDT-" + D(8), "SEPA" + D(9)]),
             "cert": self.c(["MCCD " + D(6), "CERT-" + y + "-" + D(5), "N° " + D(8)]).replace("N° ", ""),
             "loan": self.c(["LN" + D(9), D(3) + "/" + D(6) + "/" + D(2)]),
             "police": self.c(["CR/" + D(6) + "/" + y[2:], D(4) + "-" + D(6), "PV " + D(5)]).replace("PV ", "PV")}[kind]
        return ("OTHER_ID", v)

    def ip(self):
        if self.P(0.25):
            h = "0123456789abcdef"
            return ("IP", "2a02:" + ":".join("".join(self.c(h) for _ in range(4)) for _ in range(3)) + "::" + "".join(self.c(h) for _ in range(3)))
        return ("IP", "%d.%d.%d.%d" % (self.c([81, 82, 86, 90, 151, 176, 185, 193, 212, 217, 62, 37]), self.r.randint(0, 255),
                                       self.r.randint(0, 255), self.r.randint(1, 254)))

    def url(self, host):
        tok = "".join(self.c("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
        return ("URL", "https://%s/%s/%s" % (host, self.c(["p", "r", "track", "s", "rx", "doc"]), tok))

    # --- KEEP material --------------------------------------------------------------------------
    def tr(self, s):
        parts = s.split("|")
        return parts[LANGS.index(self.lang)] if len(parts) == 6 else parts[0]

    def dec(self, x, nd=1):
        s = ("%." + str(nd) + "f") % x
        return s if self.lang == "en" else s.replace(".", ",")

    def vital(self, which=None):
        r, c = self.r, self.c
        which = which or c(["bp", "hr", "spo2", "rr", "temp", "gcs", "pain", "bm", "news"])
        if which == "bp":
            v = ("BP %d/%d" if self.lang == "en" else c(["RR %d/%d", "TA %d/%d", "PA %d/%d", "RR %d/%d mmHg"])) % (r.randint(85, 175), r.randint(45, 100))
        elif which == "hr":
            v = c(["HR %d", "P %d", "FC %d", "Puls %d", "HF %d/min"]) % r.randint(48, 134)
        elif which == "spo2":
            v = c(["SpO2 %d%%", "SaO2 %d%%", "Sats %d%% RA", "SpO2 %d %%"]) % r.randint(86, 100)
        elif which == "rr":
            v = c(["RR %d", "AF %d/min", "FR %d", "AH %d"]) % r.randint(10, 32)
        elif which == "temp":
            v = c(["T %s", "Temp %s °C", "T° %s", "T %s°C"]) % self.dec(r.uniform(35.4, 39.8))
        elif which == "gcs":
            v = c(["GCS %d" % r.randint(9, 15), "GCS %d/15" % r.randint(9, 15), "GCS E%dV%dM%d" % (r.randint(2, 4), r.randint(3, 5), r.randint(4, 6))])
        elif which == "pain":
            v = c(["pain %d/10", "NRS %d", "EVA %d/10", "VAS %d", "NPRS %d"]) % r.randint(0, 9)
        elif which == "bm":
            v = c(["BM %s mmol/L" % self.dec(r.uniform(3.9, 17.8)), "BZ %d mg/dl" % r.randint(70, 260), "glycémie %s g/l" % self.dec(r.uniform(0.7, 2.6), 2)])
        else:
            v = c(["NEWS2 %d", "NEWS %d", "MEWS %d", "EWS %d"]) % r.randint(0, 9)
        return ("KEEP", v)

    DRUGS = ["amoxicillin", "paracetamol", "metoprolol", "ramipril", "furosemide", "apixaban", "enoxaparin", "metformin",
             "atorvastatin", "omeprazole", "levothyroxine", "morphine", "ceftriaxone", "piperacillin/tazobactam", "bisoprolol",
             "amlodipine", "prednisolone", "ondansetron", "tramadol", "insulin glargine"]
    DOSES = ["1 g", "500 mg", "47.5 mg", "5 mg", "40 mg", "2.5 mg", "40 mg s.c.", "850 mg", "20 mg", "20 mg", "75 mcg",
             "5 mg i.v.", "2 g i.v.", "4.5 g", "2.5 mg", "10 mg", "30 mg", "4 mg", "50 mg", "18 IU"]

    def drug(self, with_freq=False):
        i = self.r.randrange(len(self.DRUGS))
        name = self.DRUGS[i]
        if self.lang != "en":
            name = {"de": {"amoxicillin": "Amoxicillin", "paracetamol": "Paracetamol", "morphine": "Morphin", "omeprazole": "Omeprazol",
                           "ceftriaxone": "Ceftriaxon", "prednisolone": "Prednisolon", "ondansetron": "Ondansetron"},
                    "fr": {"amoxicillin": "amoxicilline", "morphine": "morphine", "omeprazole": "oméprazole", "metformin": "metformine",
                           "atorvastatin": "atorvastatine", "furosemide": "furosémide", "enoxaparin": "énoxaparine", "levothyroxine": "lévothyroxine"},
                    "es": {"amoxicillin": "amoxicilina", "morphine": "morfina", "omeprazole": "omeprazol", "metformin": "metformina",
                           "furosemide": "furosemida", "enoxaparin": "enoxaparina", "paracetamol": "paracetamol"},
                    "it": {"amoxicillin": "amoxicillina", "morphine": "morfina", "omeprazole": "omeprazolo", "metformin": "metformina",
                           "furosemide": "furosemide", "enoxaparin": "enoxaparina", "paracetamol": "paracetamolo"},
                    "nl": {"amoxicillin": "amoxicilline", "morphine": "morfine", "omeprazole": "omeprazol", "metformin": "metformine",
                           "enoxaparin": "enoxaparine", "paracetamol": "paracetamol"}}[self.lang].get(name, name)
            if self.lang == "de":
                name = name[0].upper() + name[1:]
        dose = self.DOSES[i] if self.lang == "en" else re.sub(r"(\d)\.(\d)", r"\1,\2", self.DOSES[i])
        v = name + " " + dose
        if with_freq:
            v += " " + self.c(["1-0-1", "OD", "BD", "TDS", "nocte", "PRN", "q6h", "1-1-1", "0-0-1"])
        return ("KEEP", v)

    def labv(self):
        r = self.r
        items = [("Hb", r.uniform(7.5, 16.5), 1, "g/dL"), ("CRP", r.uniform(1, 240), 0, "mg/L"), ("K+", r.uniform(2.9, 6.1), 1, "mmol/L"),
                 ("Na+", r.uniform(124, 148), 0, "mmol/L"), ("creat", r.uniform(45, 390), 0, "µmol/L"), ("WBC", r.uniform(2.1, 24), 1, "x10^9/L"),
                 ("lactate", r.uniform(0.6, 7.5), 1, "mmol/L"), ("INR", r.uniform(0.9, 4.2), 1, ""), ("troponin", r.uniform(3, 900), 0, "ng/L"),
                 ("eGFR", r.uniform(12, 95), 0, "mL/min"), ("HbA1c", r.uniform(36, 98), 0, "mmol/mol"), ("PCT", r.uniform(0.05, 18), 2, "ng/mL")]
        n, x, nd, u = self.c(items)
        return ("KEEP", (n + " " + self.dec(x, nd) + (" " + u if u else "")).strip())

    def code(self, which=None):
        which = which or self.c(["icd", "icd", "snomed", "loinc", "atc", "ops", "ndc"])
        c = self.c
        v = {"icd": c(["I21.4", "J18.9", "N39.0", "S72.01", "I63.9", "E11.65", "A41.9", "K35.8", "F05.0", "J44.1", "I50.9", "C34.1",
                       "R55", "S06.0", "Z95.0", "O80", "I48.91", "G30.1"]),
             "snomed": c(["22298006", "233604007", "68566005", "44054006", "195967001", "266257000", "840539006"]),
             "loinc": c(["2345-7", "718-7", "2160-0", "600-7", "630-4", "6463-4", "94500-6"]),
             "atc": c(["C07AB02", "J01CA04", "B01AF02", "A10BA02", "C09AA05", "N02BE01", "J01DD04"]),
             "ops": c(["5-470.11", "8-930", "5-820.00", "1-632.0", "8-831.0", "5-893.1e"]),
             "ndc": c(["0093-7146-56", "0409-4888-02", "0074-3799-13", "63323-262-01"])}[which]
        pre = {"icd": c(["ICD-10 ", "", "", "CIM-10 " if self.lang == "fr" else "", "CIE-10 " if self.lang == "es" else ""]),
               "snomed": "SNOMED ", "loinc": "LOINC ", "atc": "ATC ", "ops": "OPS ", "ndc": "NDC "}[which]
        return ("KEEP", pre + v) if pre and self.P(0.5) else ("KEEP", v)

    def score(self):
        r = self.r
        return ("KEEP", self.c(["Barthel %d" % (r.randint(0, 20) * 5), "CURB-65 %d" % r.randint(0, 5), "Wells %d" % r.randint(0, 7),
                                "Braden %d" % r.randint(8, 23), "MMSE %d/30" % r.randint(9, 30), "ASA %s" % c_(r, ["I", "II", "III", "IV"]),
                                "NYHA %s" % c_(r, ["II", "III", "IV"]), "CHA2DS2-VASc %d" % r.randint(1, 8), "qSOFA %d" % r.randint(0, 3),
                                "RASS %d" % r.randint(-4, 2), "mRS %d" % r.randint(0, 5), "NIHSS %d" % r.randint(0, 22),
                                "Waterlow %d" % r.randint(5, 25), "Norton %d" % r.randint(6, 20)]))

    def money(self, lo=10, hi=50000):
        x = self.r.uniform(lo, hi)
        if self.cc in ("uk", "us"):
            sym = "£" if self.cc == "uk" else "$"
            return ("KEEP", self.c([sym + "{:,.2f}".format(x), "GBP {:,.2f}".format(x) if self.cc == "uk" else "USD {:,.2f}".format(x)]))
        s = "{:,.2f}".format(x).replace(",", "X").replace(".", ",").replace("X", ".")
        return ("KEEP", self.c(["EUR " + s, s + " €", "€ " + s, s + " EUR"]))

    def pct(self):
        return ("KEEP", self.dec(self.r.uniform(0.5, 12), 2) + (" %" if self.lang in ("fr", "de") and self.P(0.5) else "%"))

    def ward(self):
        n = self.r.randint(1, 24)
        return ("KEEP", self.c({"en": ["Ward %d" % n, "Ward %d%s" % (n, self.c("AB")), "AMU", "HDU", "CCU", "ITU bay %d" % (n % 6 + 1)],
                                "de": ["Station %d" % n, "Station %d%s" % (n, self.c("AB")), "ITS 2", "IMC", "ZNA", "Station K%d" % n],
                                "fr": ["USIC", "UHCD", "Médecine %d" % (n % 5 + 1), "SSR", "Réa B", "unité %d" % n],
                                "es": ["Planta %dª" % (n % 9 + 1), "UCI", "Urgencias box %d" % (n % 12 + 1), "UCE", "Medicina Interna %d" % (n % 4 + 1)],
                                "it": ["Medicina %d" % (n % 3 + 1), "UTIC", "OBI", "Chirurgia %d" % (n % 3 + 1), "Rianimazione", "Geriatria"],
                                "nl": ["afdeling %d" % n, "IC", "SEH", "CCU", "MC-unit", "verpleegafdeling %d%s" % (n, self.c("AB"))]}[self.lang]))

    def triage(self):
        return ("KEEP", self.c({"en": ["MTS orange", "MTS yellow", "ESI 2", "ESI 3", "Cat 2", "P1", "P2"],
                                "de": ["MTS orange", "MTS gelb", "ESI 2", "Triage rot"], "fr": ["CIMU 2", "CIMU 3", "tri 2", "FRENCH 3"],
                                "es": ["MTS naranja", "nivel II", "SET 3", "nivel III"], "it": ["codice giallo", "codice rosso", "codice arancione", "codice verde"],
                                "nl": ["urgentie U2", "urgentie U3", "MTS oranje", "U1"]}[self.lang]))


def c_(r, seq):
    return r.choice(seq)


def table(d, headers, rows, style=None):
    """Emit a table. Cells: str (plain), (kind, value) or None. style: pad | pipe | tab | semi."""
    style = style or d.c(["pad", "pad", "pad", "pipe", "tab"])
    cols = len(headers)
    def val(c):
        return "" if c is None else (c if isinstance(c, str) else c[1])
    w = [max([len(headers[i])] + [len(val(r[i])) for r in rows]) for i in range(cols)]
    def line(cells, is_header=False):
        for i, c in enumerate(cells):
            s = val(c)
            if style == "pipe":
                d.t("| " if i == 0 else " | ")
            elif i > 0:
                d.t({"pad": "  ", "tab": "\t", "semi": ";"}[style])
            if isinstance(c, tuple):
                d.p(*c)
            else:
                d.t(s)
            if style in ("pad", "pipe") and i < cols - 1 or style == "pipe":
                d.t(" " * (w[i] - len(s)))
        d.t(" |\n" if style == "pipe" else "\n")
    line(headers, True)
    if style in ("pad", "pipe") and d.P(0.7):
        if style == "pipe":
            d.t("|" + "|".join("-" * (x + 2) for x in w) + "|\n")
        else:
            d.t("  ".join("-" * x for x in w) + "\n")
    for r in rows:
        line(r)


# ----------------------------------------------------------------------------------------------
# shared blocks
# ----------------------------------------------------------------------------------------------
REL = {"en": ["daughter", "son", "wife", "husband", "niece", "neighbour"], "de": ["Tochter", "Sohn", "Ehefrau", "Ehemann", "Nichte", "Betreuer"],
       "fr": ["fille", "fils", "épouse", "époux", "nièce", "voisine"], "es": ["hija", "hijo", "esposa", "marido", "sobrina", "vecina"],
       "it": ["figlia", "figlio", "moglie", "marito", "nipote", "badante"], "nl": ["dochter", "zoon", "echtgenote", "echtgenoot", "nicht", "buurvrouw"]}

CLIN_REM = {
    "en": ["{tm} pt c/o SOB, {v1}, {v2}. {rel} {nok} aware, tel {ph}. {doc} r/v, plan {drug}.",
           "Seen by {doc} on WR. NOK {nok} ({rel}) rang on {ph} - updated. For r/v {dt}.",
           "Pt's {rel} {nok} to bring meds in. Call back on {ph} if any change. {v1}, {v2}.",
           "D/w {doc} re {v1}. ?sepsis - bloods sent, {drug} given {tm}. {rel} ({nok}) informed."],
    "de": ["{tm} Pat. klagt über Dyspnoe, {v1}, {v2}. {rel} {nok} informiert, Tel. {ph}. AVO {doc}: {drug}.",
           "Visite {doc}. Angehörige {nok} ({rel}) angerufen unter {ph}. WV am {dt}.",
           "{rel} {nok} bringt Medikamente mit, Rückruf unter {ph}. {v1}, {v2}.",
           "Rücksprache mit {doc} wg. {v1}. V.a. Sepsis, BK abgenommen, {drug} um {tm}. {rel} {nok} informiert."],
    "fr": ["{tm} pte se plaint de dyspnée, {v1}, {v2}. {rel} {nok} prévenue au {ph}. {doc} : {drug}.",
           "Vu en visite par {doc}. PAP {nok} ({rel}) appelée au {ph}. Contrôle le {dt}.",
           "La {rel} {nok} apporte le traitement, rappeler au {ph}. {v1}, {v2}.",
           "Avis {doc} pour {v1}. Suspicion de sepsis, hémocs faites, {drug} à {tm}. {rel} ({nok}) informée."],
    "es": ["{tm} pcte refiere disnea, {v1}, {v2}. {rel} {nok} avisada, tlf {ph}. Pauta {doc}: {drug}.",
           "Pase de planta {doc}. Familiar {nok} ({rel}) llamado al {ph}. Revisión el {dt}.",
           "{rel} {nok} traerá la medicación, devolver llamada al {ph}. {v1}, {v2}.",
           "Comentado con {doc} por {v1}. Sospecha de sepsis, hemocultivos, {drug} a las {tm}. {rel} ({nok}) informada."],
    "it": ["{tm} pz riferisce dispnea, {v1}, {v2}. {rel} {nok} avvisata al {ph}. Da {doc}: {drug}.",
           "Giro visita {doc}. Referente {nok} ({rel}) contattato al {ph}. Controllo il {dt}.",
           "{rel} {nok} porterà la terapia domiciliare, richiamare al {ph}. {v1}, {v2}.",
           "Sentito {doc} per {v1}. Sospetta sepsi, emocolture, {drug} alle {tm}. {rel} ({nok}) informata."],
    "nl": ["{tm} pt klaagt over dyspnoe, {v1}, {v2}. {rel} {nok} ingelicht via {ph}. Afspraak {doc}: {drug}.",
           "Visite {doc}. Contactpersoon {nok} ({rel}) gebeld op {ph}. Controle op {dt}.",
           "{rel} {nok} neemt medicatie mee, terugbellen op {ph}. {v1}, {v2}.",
           "Overleg met {doc} ivm {v1}. Verdenking sepsis, kweken afgenomen, {drug} om {tm}. {rel} ({nok}) ingelicht."],
}
BANK_REM = {
    "en": ["Cust {cu} called from {ph} on {dt}, ID&V passed. Ref {ref}. Actioned by {st}.",
           "{cu} in branch {dt} {tm}, presented {idl} {idv}. Confirmation e-mailed to {em}."],
    "de": ["Kd. {cu} rief am {dt} von {ph} an, Legitimation ok. Vorgang {ref}. Bearb. {st}.",
           "{cu} am {dt} um {tm} in der Filiale, {idl} {idv} vorgelegt. Bestätigung an {em}."],
    "fr": ["Client(e) {cu} a appelé le {dt} depuis le {ph}, identité vérifiée. Réf. {ref}. Traité par {st}.",
           "{cu} reçu(e) en agence le {dt} à {tm}, {idl} {idv} présenté(e). Confirmation envoyée à {em}."],
    "es": ["Cliente {cu} llamó el {dt} desde el {ph}, identificación OK. Ref. {ref}. Gestionado por {st}.",
           "{cu} acude a oficina el {dt} a las {tm}, presenta {idl} {idv}. Confirmación a {em}."],
    "it": ["Cliente {cu} ha chiamato il {dt} dal {ph}, identificazione ok. Rif. {ref}. Gestito da {st}.",
           "{cu} in filiale il {dt} alle {tm}, esibito {idl} {idv}. Conferma inviata a {em}."],
    "nl": ["Klant {cu} belde op {dt} vanaf {ph}, identificatie ok. Ref. {ref}. Behandeld door {st}.",
           "{cu} op {dt} om {tm} op kantoor, {idl} {idv} getoond. Bevestiging naar {em}."],
}


def lv(d, label, value, width=0):
    """'Label: value' line (value: tuple, str, list)."""
    sep = d.c([": ", ": ", ":\t", " : ", ":  "]) if not width else ": "
    d.t((label.ljust(width) if width else label) + sep)
    d.emit(value)
    d.t("\n")


def block(d, pairs):
    width = max(len(a) for a, _ in pairs) + 1 if d.P(0.5) else 0
    for a, b in pairs:
        lv(d, a, b, width)


def rel_person(d):
    i = d.r.randrange(6)
    sex = "FMFMF"[i] if i < 5 else ("M" if d.lang == "de" else "F")
    return REL[d.lang][i], d.person(sex)


def clin_remark(d, doc_p, n=1, nl=True):
    for _ in range(n):
        rel, nok = rel_person(d)
        d.f(d.c(CLIN_REM[d.lang]), tm=d.tm(), v1=d.vital(), v2=d.vital(), rel=rel if d.lang != "en" else rel.capitalize(),
            nok=d.N(nok, d.c(["full", "full", "Last, First", "F. Last"])), ph=d.phone(), dt=d.fdate(d.today()),
            doc=[d.drt(doc_p), d.N(doc_p, d.c(["Last", "LAST", "F. Last", "full"]))], drug=d.drug())
        if nl:
            d.t("\n")


def bank_remark(d, cu, staff):
    idl, idv = d.iddoc(cu)
    d.f(d.c(BANK_REM[d.lang]), cu=d.N(cu, d.c(["full", "LAST, First", "F. Last"])), ph=d.phone(), dt=d.fdate(d.today()),
        ref=d.ref(d.c(["ticket", "case"])), st=d.N(staff, d.c(["full", "F. Last", "First LAST"])), tm=d.tm(), idl=idl, idv=idv,
        em=d.email(cu))
    d.t("\n")


def signature(d, p, role="doc", with_lic=True, when=True):
    d.t(d.c(["\n", "\n--\n", "\n____________________\n", "\n"]))
    d.t(d.lbl("signed") + d.c([": ", " ", ": "]))
    if role == "doc":
        d.t(d.drt(p))
    d.emit(d.N(p, d.c(["full", "F. Last", "First LAST", "LAST, First"])))
    if with_lic:
        lab, v = d.lic(role)
        op = d.c([", ", " (", " - ", "  "])
        d.t(op + lab + " ")
        d.emit(v)
        if op == " (":
            d.t(")")
    if when:
        d.t(d.c(["  ", ", ", " "]))
        d.emit(d.fdate(d.today()))
        d.t(" ")
        d.emit(d.tm())
    d.t("\n")


def sticker(d, p, dob, age):
    """Patient addressograph label repeated at the foot of a form."""
    if not d.ids or d.P(0.5):
        d.rid()
    op, cl = d.c([("\n[", "]\n"), ("\n+--- ", " ---\n"), ("\n## ", "\n"), ("\n", "\n")])
    d.t(op)
    d.emit(d.N(p, d.c(["LAST, First", "LAST First", "LAST, F."])))
    for v in d.ids:
        d.t(d.c(["  ", " | ", " / "]))
        d.emit(v)
    d.t(d.c(["  ", " | "]))
    d.emit(d.fdate(dob, "num"))
    if age > 89 and d.P(0.8):
        d.t(" ")
        d.emit(d.age(age, p["sex"], suffix_only=True))
    d.t(cl)


def hosp(d):
    return d.c(HOSPITALS[d.lang])


def bank(d):
    return d.c(BANKS[d.lang])


def patient_fields(d, p, dob, age, more=("addr", "phone"), nrid=1):
    pairs = [(d.lbl("patient"), d.N(p, d.c(["LAST, First", "LAST First", "full", "Last, First", "First LAST"])))]
    for i in range(nrid):
        lab, v = d.rid(foreign=(i == 1 and d.P(0.3)))
        pairs.append((lab, v))
    pairs.append((d.lbl("dob"), [d.fdate(dob, d.c(["num", "num", "iso", "abbr"]))] +
                  ([" (", d.age(age, p["sex"]), ")"] if age > 89 and d.P(0.7) else [])))
    if "addr" in more:
        a, b = d.addr()
        if d.P(0.5):
            pairs.append((d.lbl("address"), [a, ", ", b]))
        else:
            pairs.append((d.lbl("address"), d.addr1()))
    if "phone" in more:
        pairs.append((d.lbl("phone"), d.phone()))
    return pairs


# ----------------------------------------------------------------------------------------------
# hospital styles
# ----------------------------------------------------------------------------------------------
def st_nursing_notes(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    doc = d.person()
    d.t(d.tr("NURSING NOTES|PFLEGEBERICHT|TRANSMISSIONS INFIRMIÈRES|EVOLUTIVO DE ENFERMERÍA|DIARIO INFERMIERISTICO|VERPLEEGKUNDIGE RAPPORTAGE") + " - " + hosp(d) + "\n")
    pairs = patient_fields(d, p, dob, age, more=(), nrid=d.c([1, 2]))
    pairs.append((d.lbl("ward"), [d.ward(), d.tr(" bed | Bett | lit | cama | letto | bed "), str(d.r.randint(1, 30))]))
    pairs.append((d.lbl("allergy"), d.c(["NKDA", "nil", "Penicillin", "CAVE Penicillin", "aucune", "ninguna", "nessuna", "geen"])))
    block(d, pairs)
    d.t("\n")
    nurses = [d.person() for _ in range(d.c([2, 3]))]
    day = d.today()
    times = sorted(d.tm()[1] for _ in range(d.r.randint(3, 5)))
    for i, tmv in enumerate(times):
        n = nurses[i % len(nurses)]
        d.emit(d.fdate(day, "num"))
        d.t(" ")
        d.emit(("KEEP", tmv))
        d.t(d.c(["  ", " - ", " | "]))
        r = d.r.random()
        if r < 0.4:
            d.f(d.tr("{a}, {b}, {c}. Settled o/n, mobilising w/ frame. Skin intact, {s}.|{a}, {b}, {c}. Nacht ruhig, mobil mit Rollator, Haut intakt, {s}.|"
                     "{a}, {b}, {c}. Nuit calme, se lève avec déambulateur, {s}.|{a}, {b}, {c}. Noche tranquila, deambula con andador, {s}.|"
                     "{a}, {b}, {c}. Notte tranquilla, deambula con girello, {s}.|{a}, {b}, {c}. Rustige nacht, mobiliseert met rollator, {s}."),
                a=d.vital("bp"), b=d.vital("hr"), c=d.vital("spo2"), s=d.score())
        elif r < 0.7:
            clin_remark(d, doc, nl=False)
        else:
            d.f(d.tr("{drug} given as per chart. {l}. Bleep {bl} for r/v.|{drug} lt. AVO gegeben. {l}. Piepser {bl}.|"
                     "{drug} administré selon PM. {l}. Bip {bl}.|{drug} según pauta. {l}. Busca {bl}.|{drug} come da STU. {l}. Cercapersone {bl}.|"
                     "{drug} volgens voorschrift. {l}. Pieper {bl}."), drug=d.drug(), l=d.labv(), bl=d.D(4, 1))
        d.t(" ")
        lab = d.c(LBL["nurse"][d.lang])
        d.t(lab + " ")
        d.emit(d.N(n, d.c(["First", "F. Last", "full", "Last", "First LAST"])))
        d.t("\n")
    lab, v = d.lic("nurse")
    d.t("\n" + d.lbl("signed") + ": ")
    d.emit(d.N(nurses[0], "full"))
    d.t(" " + lab + " ")
    d.emit(v)
    d.t("\n")


def st_icu_obs(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    d.t(d.tr("ICU / HDU OBSERVATION CHART|ITS-ÜBERWACHUNGSBOGEN|FEUILLE DE SURVEILLANCE RÉA|GRÁFICA DE CONSTANTES UCI|SCHEDA PARAMETRI TERAPIA INTENSIVA|IC OBSERVATIELIJST") + "\n")
    d.f("{a}  {b}  {c}  ", a=d.N(p, d.c(["LAST, First", "LAST First"])), b=d.rid()[1], c=d.fdate(dob))
    d.emit(d.age(age, p["sex"], suffix_only=True))
    d.t("  " + d.lbl("ward") + " ")
    d.emit(d.ward())
    d.t("\n")
    lab, v = d.device(d.c(["vent", "pump", "pm"]))
    d.t(lab + ": ")
    d.emit(v)
    if d.P(0.5):
        lab2, v2 = d.device("pump")
        d.t("; " + lab2 + ": ")
        d.emit(v2)
    d.t("\n\n")
    staff = [d.person() for _ in range(2)]
    rows = []
    h0 = d.r.randint(0, 16)
    for i in range(d.r.randint(4, 7)):
        r = d.r
        rows.append([("KEEP", "%02d:00" % ((h0 + i) % 24)), "%d" % r.randint(55, 128), ("KEEP", "%d/%d" % (r.randint(85, 160), r.randint(40, 95))),
                     ("KEEP", "%d%%" % r.randint(88, 100)), "%d" % r.randint(12, 30), ("KEEP", d.dec(r.uniform(35.8, 39.4))),
                     ("KEEP", "E%dV%dM%d" % (r.randint(1, 4), r.randint(1, 5), r.randint(4, 6))), "%+d" % r.randint(-4, 1),
                     d.N(staff[i % 2], d.c(["F. Last", "Last", "LAST"]))])
    table(d, [d.lbl("time"), "HR", d.c(["BP", "RR", "PA", "TA"]), "SpO2", "RR" if d.lang == "en" else "AF", "T", "GCS", "RASS", d.lbl("signed")], rows)
    d.t("\n" + d.lbl("remarks") + ": ")
    d.f(d.tr("FiO2 {a}, PEEP {b}. {l}. Family ({nok}, {ph}) visited.|FiO2 {a}, PEEP {b}. {l}. Angehörige ({nok}, {ph}) zu Besuch.|"
             "FiO2 {a}, PEEP {b}. {l}. Famille ({nok}, {ph}) passée.|FiO2 {a}, PEEP {b}. {l}. Visita familiar ({nok}, {ph}).|"
             "FiO2 {a}, PEEP {b}. {l}. Visita parenti ({nok}, {ph}).|FiO2 {a}, PEEP {b}. {l}. Familie ({nok}, {ph}) op bezoek."),
        a=("KEEP", d.dec(d.r.uniform(0.21, 0.8), 2)), b=("KEEP", "%d" % d.r.randint(5, 14)), l=d.labv(), nok=d.N(d.person(), "full"), ph=d.phone())
    d.t("\n")
    signature(d, staff[0], "nurse", with_lic=d.P(0.6))


def st_paramedic_prf(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    d.t(d.tr("PATIENT REPORT FORM (PRF)|EINSATZPROTOKOLL RETTUNGSDIENST|FICHE BILAN SMUR|INFORME DE ASISTENCIA SVA|SCHEDA DI SOCCORSO 118|AMBULANCE RITFORMULIER") + "\n")
    block(d, [(d.tr("Incident no|Einsatz-Nr.|N° d'intervention|Nº incidente|N. missione|Ritnummer"), d.ref("inc")),
              (d.lbl("date"), d.fdate(d.today(), "num")),
              (d.tr("Call / at scene|Alarm / vor Ort|Appel / sur place|Aviso / llegada|Chiamata / arrivo|Melding / ter plaatse"), [d.tm(), " / ", d.tm()]),
              (d.tr("Unit|Fahrzeug|Véhicule|Unidad|Mezzo|Eenheid"), d.c(["A-12", "RTW 3/83-1", "VSAV 2", "SVA-07", "MSA Alfa 3", "AMB 17-121"])),
              (d.tr("Scene|Einsatzort|Lieu|Lugar|Luogo evento|Locatie"), d.addr1())])
    d.t("\n")
    block(d, [(d.lbl("patient"), d.N(p, d.c(["LAST, First", "full", "First LAST"]))),
              (d.lbl("dob"), [d.fdate(dob), " / ", d.age(age, p["sex"])]),
              (d.lbl("address"), d.addr1()),
              (d.lbl("nok"), [d.N(d.person(), "full"), " ", d.phone()])])
    if d.P(0.7):
        d.t("\n" + d.tr("RTC: driver of|VU: Fahrer von|AVP : conducteur du|Accidente: conductor de|Incidente stradale: conducente|VKO: bestuurder van") + " ")
        d.emit(d.plate())
        if d.P(0.5):
            d.t(" (" + d.lbl("vin") + " ")
            d.emit(d.vin())
            d.t(")")
        d.t(d.tr(", other vehicle |, Unfallgegner |, tiers |, otro vehículo |, altro veicolo |, tegenpartij "))
        d.emit(d.plate())
        d.t("\n")
    d.t("\n")
    rows = [[d.tm(), d.vital("hr"), d.vital("bp"), d.vital("spo2"), d.vital("gcs"), d.vital("pain")] for _ in range(d.r.randint(2, 4))]
    table(d, [d.lbl("time"), "HR", "BP", "SpO2", "GCS", d.tr("Pain|Schmerz|EVA|Dolor|Dolore|Pijn")], rows, d.c(["pad", "pipe"]))
    d.t("\n" + d.tr("Triage|Triage|Tri|Triaje|Triage|Triage") + ": ")
    d.emit(d.triage())
    d.t(". " + d.tr("Tx|Maßnahmen|Ttt|Tto|Terapia|Beh.") + ": ")
    d.emit(d.drug())
    d.t(". " + d.tr("Handed over at ED, ED no |Übergabe ZNA, Fall-Nr. |Transmis aux urgences, n° |Transferido a urgencias, episodio |Consegnato in PS, n. |Overgedragen SEH, nr. "))
    d.emit(("RECORD_ID", d.D(8, 1)))
    d.t(".\n")
    crew = [d.person(), d.person()]
    for c in crew:
        lab, v = d.lic("para")
        d.t(d.tr("Crew|Besatzung|Équipage|Dotación|Equipaggio|Bemanning") + ": ")
        d.emit(d.N(c, d.c(["full", "F. Last", "LAST First"])))
        d.t(" " + lab + " ")
        d.emit(v)
        d.t("\n")


def st_transfer_letter(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    doc, doc2 = d.person(), d.person()
    d.t(hosp(d) + "\n" + d.ward()[1] + "\n")
    d.emit(d.fdate(d.today(), "long"))
    d.t("\n\n" + d.tr("Re: |Betr.: |Objet : |Asunto: |Oggetto: |Betreft: "))
    d.emit(d.N(p, d.c(["full", "LAST, First"])))
    d.t(", ")
    d.emit(d.fdate(dob))
    lab, v = d.rid()
    d.t(", " + lab + " ")
    d.emit(v)
    lab, v = d.rid(foreign=True)
    d.t(" / " + lab + " ")
    d.emit(v)
    d.t("\n\n" + d.tr("Dear|Sehr geehrte/r|Cher confrère,|Estimado/a|Gentile collega,|Geachte") + " " + d.drt(doc2))
    d.emit(d.N(doc2, "Last"))
    d.t(",\n\n")
    d.f(d.tr("Thank you for accepting {t}{n} ({a}) for transfer. Admitted {dt} with {dx}. {v1}, {v2}, {l}.|"
             "vielen Dank für die Übernahme von {t}{n} ({a}). Aufnahme am {dt} mit {dx}. {v1}, {v2}, {l}.|"
             "merci d'accepter le transfert de {t}{n} ({a}). Admis(e) le {dt} pour {dx}. {v1}, {v2}, {l}.|"
             "gracias por aceptar el traslado de {t}{n} ({a}). Ingresó el {dt} por {dx}. {v1}, {v2}, {l}.|"
             "grazie per aver accettato il trasferimento di {t}{n} ({a}). Ricoverato/a il {dt} per {dx}. {v1}, {v2}, {l}.|"
             "dank voor het overnemen van {t}{n} ({a}). Opgenomen op {dt} met {dx}. {v1}, {v2}, {l}."),
        t=d.title(p), n=d.N(p, "Last"), a=d.age(age, p["sex"]), dt=d.fdate(d.today()), dx=d.code("icd"), v1=d.vital(), v2=d.vital(), l=d.labv())
    d.t("\n\n" + d.tr("Current medication|Aktuelle Medikation|Traitement en cours|Tratamiento actual|Terapia in atto|Huidige medicatie") + ":\n")
    for _ in range(d.r.randint(2, 4)):
        d.t(" - ")
        d.emit(d.drug(True))
        d.t("\n")
    d.t("\n" + d.lbl("nok") + ": ")
    rel, nok = rel_person(d)
    d.f("{n} ({r}), {ph}\n", n=d.N(nok, "full"), r=rel, ph=d.phone())
    lab, v = d.iddoc(p, dob)
    d.t(lab + ": ")
    d.emit(v)
    d.t("\n")
    if d.P(0.5):
        lab, v = d.device(d.c(["pm", "pump", "cgm"]))
        d.t(lab + ": ")
        d.emit(v)
        d.t("\n")
    d.t("\n" + d.tr("Contact me on|Erreichbar unter|Joignable au|Contacto|Recapito|Bereikbaar op") + " ")
    d.emit(d.phone_ext())
    d.t(" / ")
    d.emit(d.email(doc, corp=d.tr("nhs.net|klinikum-steinberg.de|chu-coteverte.fr|hurioclaro.es|ospvalleverde.it|rijnoever.nl")))
    d.t("\n")
    signature(d, doc, "doc", when=False)


def st_clinic_list(d):
    cons = d.person()
    d.t(d.tr("OUTPATIENT CLINIC LIST|AMBULANZ-TERMINLISTE|LISTE DE CONSULTATION|AGENDA DE CONSULTAS EXTERNAS|ELENCO AMBULATORIO|POLIKLINIEK SPREEKUURLIJST") + " - ")
    d.emit(d.fdate(d.today()))
    d.t("\n" + d.tr("Consultant|Oberarzt|Praticien|Facultativo|Medico|Specialist") + ": " + d.drt(cons))
    d.emit(d.N(cons, d.c(["full", "F. Last", "LAST"])))
    d.t("   " + d.tr("Clinic|Sprechstunde|Consultation|Agenda|Ambulatorio|Spreekuur") + ": " + d.c(["CARD2", "GERI-AM", "DIAB3", "ORTHO1", "NEURO-PM"]) + "\n\n")
    rows = []
    rlab = d.rid()[0]
    d.ids = []
    times = sorted("%02d:%02d" % (d.r.randint(8, 16), d.c([0, 10, 15, 20, 30, 40, 45, 50])) for _ in range(d.r.randint(5, 9)))
    for tmv in times:
        p = d.person()
        dob, age = d.dob_for(old=d.P(0.35))
        rows.append([("KEEP", tmv), d.N(p, d.c(["LAST, First", "LAST, First", "Last, First", "LAST First"])), d.rid()[1], d.fdate(dob, "num"),
                     d.age(age, p["sex"], table=True), d.phone() if d.P(0.8) else None,
                     d.c(d.tr("FU/NP/new/r-v/DNA x1/-|Kontrolle/Erstvorst./WV/-|suivi/1re cs/contrôle/-|revisión/primera/control/-|controllo/prima visita/follow-up/-|controle/nieuw/NP/-").split("/"))])
    table(d, [d.lbl("time"), d.lbl("name"), rlab, d.lbl("dob"), d.lbl("age"), d.lbl("phone"), d.lbl("remarks")], rows)
    d.t("\n" + d.tr("Booked by|Erfasst von|Saisi par|Citado por|Prenotato da|Ingepland door") + " ")
    d.emit(d.N(d.person(), d.c(["full", "F. Last"])))
    d.t(d.tr(" - queries to | - Rückfragen | - questions au | - dudas al | - info al | - vragen ") )
    d.emit(d.phone_ext())
    d.t("\n")


def st_gp_referral_fax(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    gp = d.person()
    d.t("FAX  " + d.tr("To|An|À|A|A|Aan") + ": " + hosp(d) + "  Fax ")
    d.emit(d.phone(mobile=False))
    d.t("\n     " + d.tr("From|Von|De|De|Da|Van") + ": " + d.tr("Practice|Praxis|Cabinet|Centro de Salud|Studio|Praktijk") + " " + d.drt(gp))
    d.emit(d.N(gp, "Last"))
    d.t("  Tel ")
    d.emit(d.phone(mobile=False))
    d.t("  " + d.tr("Pages: 2|Seiten: 2|Pages : 3|Págs: 2|Pagine: 2|Pagina's: 2") + "\n")
    d.t("=" * d.r.randint(30, 60) + "\n")
    block(d, patient_fields(d, p, dob, age, more=("addr", "phone"), nrid=1) + [d.iddoc(p, dob)])
    rl = rel_person(d)
    d.t("\n" + d.tr("Reason for referral|Überweisungsgrund|Motif|Motivo de derivación|Motivo dell'invio|Reden verwijzing") + ":\n")
    d.f(d.tr("{a} with {dx}, {l}, {s}. Lives alone, {rel} {nok} helps ({ph}). Please see urgently.|"
             "{a}, {dx}, {l}, {s}. Lebt allein, {rel} {nok} hilft ({ph}). Bitte zeitnah.|"
             "{a}, {dx}, {l}, {s}. Vit seul(e), {rel} {nok} aide ({ph}). Merci de voir rapidement.|"
             "{a}, {dx}, {l}, {s}. Vive solo/a, ayuda {rel} {nok} ({ph}). Ruego valoración preferente.|"
             "{a}, {dx}, {l}, {s}. Vive solo/a, aiutato/a da {rel} {nok} ({ph}). Si prega visita urgente.|"
             "{a}, {dx}, {l}, {s}. Woont alleen, {rel} {nok} helpt ({ph}). Graag spoedig zien."),
        a=d.age(age, p["sex"]), dx=d.code("icd"), l=d.labv(), s=d.score(), rel=rl[0], nok=d.N(rl[1], "full"), ph=d.phone())
    d.t("\n")
    signature(d, gp, "doc", when=d.P(0.5))
    if d.lang == "de" and d.P(0.6):
        d.t("BSNR ")
        d.emit(("LICENSE", d.c(["01", "17", "38", "46", "72"]) + d.D(7)))
        d.t("\n")


def st_micro_request(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    doc = d.person()
    alab, acc = d.rid("acc")
    d.t(d.tr("MICROBIOLOGY / PATHOLOGY REQUEST|ANFORDERUNG MIKROBIOLOGIE|DEMANDE D'EXAMEN BACTÉRIOLOGIQUE|PETICIÓN DE MICROBIOLOGÍA|RICHIESTA ESAME MICROBIOLOGICO|AANVRAAG MICROBIOLOGIE") + "\n")
    d.t(alab + ": ")
    d.emit(acc)
    d.t("   *")
    d.emit(acc)
    d.t("*\n")
    pairs = patient_fields(d, p, dob, age, more=(), nrid=1)
    pairs += [(d.lbl("ward"), d.ward()),
              (d.tr("Requested by|Anfordernder Arzt|Prescripteur|Solicitante|Richiedente|Aanvrager"),
               [d.drt(doc), d.N(doc, d.c(["F. Last", "full", "LAST"])), " bleep " if d.lang == "en" else " / ", d.D(4, 1)]),
              (d.tr("Collected|Abnahme|Prélevé le|Extracción|Prelievo|Afname"), [d.fdate(d.today(), "num"), " ", d.tm()])]
    block(d, pairs)
    d.t("\n")
    rows = [[d.c(["Blood culture", "MSU", "Sputum", "Wound swab", "CSF", "Stool"]) if d.lang == "en" else
             d.c(["Blutkultur", "Urin", "Hémoculture", "ECBU", "Urocultivo", "Hemocultivo", "Emocoltura", "Urinocoltura", "Bloedkweek", "Urinekweek"]),
             d.code("loinc"), d.c(["x2", "x1", "aer+anaer", "-"]), ("KEEP", d.c(["MC&S", "PCR", "Gram", "AST"]))] for _ in range(d.r.randint(2, 3))]
    table(d, [d.tr("Specimen|Material|Prélèvement|Muestra|Campione|Materiaal"), "LOINC", "n", d.tr("Test|Test|Analyse|Prueba|Esame|Test")], rows)
    d.t("\n" + d.tr("Clinical details|Klinische Angaben|Renseignements cliniques|Datos clínicos|Notizie cliniche|Klinische gegevens") + ": ")
    d.f("{a}, {b}, {c}; {e}.\n", a=d.vital("temp"), b=d.labv(), c=d.drug(), e=d.code("icd"))
    lab, v = d.lic("doc")
    d.t(lab + " ")
    d.emit(v)
    d.t("\n")


def st_med_rec(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    ph_p = d.person()
    d.t(d.tr("MEDICINES RECONCILIATION|ARZNEIMITTELANAMNESE|CONCILIATION MÉDICAMENTEUSE|CONCILIACIÓN DE LA MEDICACIÓN|RICONCILIAZIONE FARMACOLOGICA|MEDICATIEVERIFICATIE") + "\n")
    block(d, patient_fields(d, p, dob, age, more=("phone",), nrid=1) +
          [(d.tr("Community pharmacy|Stammapotheke|Pharmacie d'officine|Farmacia|Farmacia|Openbare apotheek"),
            [d.tr("Boots Market Street|Apotheke am Markt|Pharmacie du Centre|Farmacia Central|Farmacia Comunale|Apotheek De Linde"), " ", d.phone(mobile=False)])])
    d.t("\n")
    rows = []
    for _ in range(d.r.randint(3, 6)):
        rows.append([d.drug(), d.code("atc"), d.c(["PO", "SC", "IV", "inh", "p.o.", "s.c."]),
                     ("KEEP", d.c(["1-0-0", "1-0-1", "0-0-1", "OD", "BD", "TDS", "PRN"])), d.c(["GP", "pt", "family", "HA", "MT", "MAP", "MMG", "HA-lijst"]),
                     d.ref("rx") if d.P(0.4) else None])
    table(d, [d.tr("Drug / dose|Wirkstoff / Dosis|Médicament / dose|Fármaco / dosis|Farmaco / dose|Middel / dosis"), "ATC", d.tr("Route|Appl.|Voie|Vía|Via|Toed."),
              d.tr("Freq|Schema|Posologie|Pauta|Posologia|Frequentie"), d.tr("Source|Quelle|Source|Fuente|Fonte|Bron"), "Rx"], rows)
    d.t("\n")
    clin_remark(d, d.person())
    signature(d, ph_p, "pharm")


def st_preauth_form(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    doc = d.person()
    holder = p if d.P(0.5) else d.person()
    d.t(d.tr("PRIOR AUTHORISATION REQUEST|KOSTENÜBERNAHMEANTRAG|DEMANDE D'ENTENTE PRÉALABLE|SOLICITUD DE AUTORIZACIÓN PREVIA|RICHIESTA DI AUTORIZZAZIONE|MACHTIGINGSAANVRAAG") + "\n")
    mlab, mv = d.member()
    block(d, [(d.tr("Insurer|Kostenträger|Organisme|Aseguradora|Assicurazione|Zorgverzekeraar"), d.tr("Meridian Health|AOK Talheim|Mutuelle des Genêts|Sanitas Olivar|Fondo Colle Alto|Zorgverzekeraar Horst")),
              (mlab, mv), (d.tr("Policy holder|Versicherte/r|Assuré|Titular|Contraente|Verzekeringnemer"), d.N(holder, "full")),
              (d.lbl("patient"), d.N(p, d.c(["LAST, First", "full"]))), (d.lbl("dob"), d.fdate(dob)), d.iddoc(p, dob),
              (d.lbl("address"), d.addr1()), (d.lbl("email"), d.email(holder)), d.rid()])
    d.t("\n")
    rows = [[d.code("icd"), d.code(d.c(["ops", "snomed"])), d.money(200, 15000), "%d" % d.r.randint(1, 10)] for _ in range(d.r.randint(1, 3))]
    table(d, ["ICD-10", d.tr("Procedure|Prozedur|Acte|Procedimiento|Procedura|Verrichting"), d.lbl("amount"), "n"], rows, d.c(["pad", "pipe", "tab"]))
    d.t("\n" + d.tr("Authorisation no|Genehmigungs-Nr.|N° d'accord|Nº autorización|N. autorizzazione|Machtigingsnummer") + ": ")
    d.emit(d.ref("auth"))
    d.t("  " + d.tr("Claim|Leistungsfall|Dossier|Siniestro|Sinistro|Declaratie") + ": ")
    d.emit(d.ref("claim"))
    d.t("\n" + d.tr("Treating physician|Behandelnder Arzt|Médecin|Médico responsable|Medico curante|Behandelaar") + ": " + d.drt(doc))
    d.emit(d.N(doc, "full"))
    lab, v = d.lic("doc")
    d.t(", " + lab + " ")
    d.emit(v)
    d.t(", ")
    d.emit(d.phone_ext())
    d.t("\n")


def st_death_birth_notice(d):
    doc = d.person()
    if d.P(0.7):
        p = d.person()
        dob, age = d.dob_for(old=d.P(0.65))
        d.pt = (p, dob, age)
        aa = d.addr()
        d.t(d.tr("NOTIFICATION OF DEATH|TODESBESCHEINIGUNG (Meldeteil)|CERTIFICAT DE DÉCÈS - volet administratif|CERTIFICADO DE DEFUNCIÓN|SCHEDA ISTAT DI MORTE|A-FORMULIER OVERLIJDEN") + "\n")
        pairs = [(d.tr("Deceased|Verstorbene/r|Défunt(e)|Fallecido/a|Deceduto/a|Overledene"), d.N(p, d.c(["LAST, First", "LAST First", "full"]))),
                 (d.lbl("dob"), d.fdate(dob)), (d.lbl("age"), d.age(age, p["sex"], table=d.P(0.5))),
                 (d.tr("Date/time of death|Todeszeitpunkt|Date et heure du décès|Fecha/hora defunción|Data/ora decesso|Datum/tijd overlijden"), [d.fdate(d.today()), " ", d.tm()]),
                 (d.lbl("address"), [aa[0], " / ", aa[1]]), d.iddoc(p, dob), d.rid(),
                 (d.tr("Cause (Ia/Ib/II)|Todesursache|Cause|Causa|Causa|Doodsoorzaak"), [d.code("icd"), " / ", d.code("icd")]),
                 (d.tr("Certificate no|Bescheinigungs-Nr.|N° certificat|Nº certificado|N. scheda|Nr. verklaring"), d.ref("cert"))]
        if d.P(0.4):
            pairs.append(d.device("pm"))
        block(d, pairs)
        rl, inf = rel_person(d)
        d.t("\n" + d.tr("Informant|Auskunftsperson|Déclarant|Declarante|Dichiarante|Aangever") + ": ")
        d.f("{n} ({r}), {a}, {ph}\n", n=d.N(inf, d.c(["full", "LAST, First"])), r=rl, a=d.addr1(), ph=d.phone())
    else:
        m, baby, fa = d.person("F"), d.person(), d.person("M")
        d.t(d.tr("BIRTH NOTIFICATION|GEBURTSANZEIGE|AVIS DE NAISSANCE|PARTE DE NACIMIENTO|ATTESTAZIONE DI NASCITA|GEBOORTEMELDING") + "\n")
        mdob, _ = d.dob_for(old=False)
        block(d, [(d.tr("Mother|Mutter|Mère|Madre|Madre|Moeder"), d.N(m, d.c(["LAST, First", "full"]))), (d.lbl("dob"), d.fdate(mdob)), d.rid(),
                  d.iddoc(m, mdob), (d.lbl("address"), d.addr1()), (d.lbl("phone"), d.phone(True)),
                  (d.tr("Father|Vater|Père|Padre|Padre|Vader"), d.N(fa, "full")),
                  (d.tr("Baby|Kind|Enfant|Recién nacido|Neonato|Kind"), d.N({"first": baby["first"], "last": m["last"], "sex": baby["sex"]}, "full")),
                  (d.tr("Born|Geboren|Né(e) le|Nacido/a|Nato/a|Geboren"), [d.fdate(d.today()), " ", d.tm()]),
                  ("APGAR", ("KEEP", "%d/%d/%d" % (d.r.randint(5, 9), d.r.randint(7, 10), d.r.randint(8, 10)))),
                  (d.tr("Weight|Gewicht|Poids|Peso|Peso|Gewicht"), ("KEEP", "%d g" % d.r.randint(2100, 4600))),
                  (d.tr("Baby no|Kind-Nr.|N° IPP enfant|NHC RN|Cartella neonato|Patiëntnr. kind"), ("RECORD_ID", d.D(8, 1)))])
    d.t("\n" + d.tr("Certifying doctor|Ärztin/Arzt|Médecin certificateur|Médico certificante|Medico certificatore|Behandelend arts") + ": " + d.drt(doc))
    d.emit(d.N(doc, d.c(["full", "F. Last"])))
    lab, v = d.lic("doc")
    d.t("  " + lab + ": ")
    d.emit(v)
    d.t("\n")


def st_occ_health(d):
    p = d.person()
    dob, age = d.dob_for(old=False)
    d.pt = (p, dob, age)
    doc = d.person()
    d.t(d.tr("OCCUPATIONAL HEALTH ASSESSMENT|BETRIEBSÄRZTLICHE UNTERSUCHUNG|VISITE DE MÉDECINE DU TRAVAIL|RECONOCIMIENTO MÉDICO LABORAL|VISITA MEDICO COMPETENTE|ARBO-KEURING") + "\n")
    block(d, [(d.lbl("name"), d.N(p, d.c(["LAST, First", "full"]))), (d.tr("Employee no|Personalnr.|Matricule|Nº empleado|Matricola|Personeelsnr."), d.ref("emp")),
              (d.lbl("employer"), d.tr("Carrow Logistics Ltd|Spedition Talheim GmbH|Transports des Genêts|Logística Olivar S.L.|Trasporti Colle Alto srl|Horst Transport B.V.")),
              (d.lbl("dob"), d.fdate(dob)), d.iddoc(p, dob), (d.lbl("address"), d.addr1()), (d.lbl("mobile"), d.phone(True)), (d.lbl("email"), d.email(p))])
    d.t("\n")
    if d.P(0.75):
        lab, v = d.iddoc(p, dob, which="dl") if d.cc in ("uk", "us") else (d.tr("Driving licence|Führerschein-Nr.|Permis n°|Permiso nº|Patente n.|Rijbewijsnr."), ("ID_DOC", d.U(1) + d.D(8) + d.U(1)))
        d.t(d.tr("Role: HGV driver, licence |Tätigkeit: Berufskraftfahrer, FS |Poste : chauffeur PL, permis |Puesto: conductor, permiso |Mansione: autista, patente |Functie: vrachtwagenchauffeur, rijbewijs ") + lab.split()[-1] + " ")
        d.emit(v)
        d.t("; " + d.lbl("vehicle") + " ")
        d.emit(d.plate())
        d.t("\n")
    rows = [[d.tr("Audiometry|Audiometrie|Audiométrie|Audiometría|Audiometria|Audiometrie"), ("KEEP", "%d dB HL" % d.r.randint(10, 45))],
            [d.tr("Spirometry|Spirometrie|Spirométrie|Espirometría|Spirometria|Spirometrie"), ("KEEP", "FEV1/FVC %d%%" % d.r.randint(58, 88))],
            ["BMI", ("KEEP", d.dec(d.r.uniform(19, 38)))], [d.tr("Vision|Visus|Acuité|Agudeza|Visus|Visus"), ("KEEP", d.c(["6/6", "6/9", "1,0", "0,8", "10/10"]))],
            [d.tr("Blood pressure|Blutdruck|TA|TA|PA|Bloeddruk"), d.vital("bp")]]
    table(d, [d.tr("Test|Test|Examen|Prueba|Esame|Onderzoek"), d.tr("Result|Ergebnis|Résultat|Resultado|Risultato|Uitslag")], rows)
    d.t("\n" + d.tr("Outcome: fit with restrictions, review|Ergebnis: geeignet mit Auflagen, Nachuntersuchung|Avis : apte avec restrictions, revoir le|"
                     "Resultado: apto con restricciones, revisión|Giudizio: idoneo con prescrizioni, rivalutazione|Oordeel: geschikt met beperkingen, herkeuring") + " ")
    d.emit(d.fdate(d.ymd(d.year + 1, d.year + 2)))
    d.t(". " + d.tr("Fit note|AU-Bescheinigung|Arrêt n°|Parte de baja|Certificato INPS|Verzuimmelding") + " ")
    d.emit(d.ref("claim"))
    d.t("\n")
    signature(d, doc, "doc")


def st_rx_renewal(d):
    p = d.person()
    dob, age = d.dob_for()
    d.pt = (p, dob, age)
    doc = d.person()
    d.t(d.tr("REPEAT PRESCRIPTION REQUEST|FOLGEREZEPT-ANFRAGE|RENOUVELLEMENT D'ORDONNANCE|RENOVACIÓN DE RECETA|RINNOVO RICETTA|HERHAALRECEPT") + "\n")
    block(d, patient_fields(d, p, dob, age, more=("addr",), nrid=1) + [(d.lbl("email"), d.email(p))])
    d.t("\n")
    rows = [[d.drug(True), d.ref("rx"), "%d" % d.c([28, 30, 56, 84, 90, 100]), d.fdate(d.today(), "num")] for _ in range(d.r.randint(2, 4))]
    table(d, [d.tr("Item|Präparat|Médicament|Medicamento|Farmaco|Middel"), d.tr("Rx no|Rezept-ID|N° ordonnance|Nº receta|NRE|Receptnr."), "Qty", d.tr("Last issued|Zuletzt|Dernière délivrance|Última disp.|Ultima|Laatst")], rows)
    d.t("\n")
    if d.P(0.7):
        d.t(d.tr("Collect via link|Abruf über|Lien de retrait|Enlace|Link ritiro|Ophaallink") + ": ")
        d.emit(d.url(d.tr("rx.northgate-gp.co.uk|erezept.praxis-talheim.de|ordo.cabinet-genets.fr|receta.sierraalta.es|ricette.colle-alto.it|recept.horst-apotheek.nl")))
        d.t("\n")
    if d.P(0.35):
        lab, v = d.device("cgm")
        d.t(lab + ": ")
        d.emit(v)
        d.t("\n")
    d.t(d.tr("Pt rang from|Pat. rief an von|Appel du patient depuis le|Llamada del paciente desde|Chiamata dal|Pt belde vanaf") + " ")
    d.emit(d.phone())
    d.t(", ")
    d.emit(d.vital("bp"))
    d.t(" " + d.tr("(home reading)|(Selbstmessung)|(automesure)|(domicilio)|(automisurazione)|(thuismeting)") + "\n")
    signature(d, doc, "doc")


# ----------------------------------------------------------------------------------------------
# bank styles
# ----------------------------------------------------------------------------------------------
def st_cheque_return_log(d):
    st = d.person()
    d.t(d.tr("RETURNED CHEQUES LOG|SCHECKRÜCKGABE-PROTOKOLL|JOURNAL DES CHÈQUES IMPAYÉS|REGISTRO DE CHEQUES DEVUELTOS|REGISTRO ASSEGNI INSOLUTI|LOGBOEK GERETOURNEERDE CHEQUES") + " - " + bank(d) + "\n")
    d.t(d.lbl("branch") + ": " + d.tr("0412 Market St|Zentrale|Agence Centre|Oficina 0231|Filiale 18|Kantoor Centrum") + "   " + d.lbl("date") + ": ")
    d.emit(d.fdate(d.today(), "num"))
    d.t("\n\n")
    rows = []
    for _ in range(d.r.randint(4, 7)):
        cu = d.person()
        rows.append([d.fdate(d.today(), "num"), d.ref("cheque"), d.N(cu, d.c(["LAST, First", "LAST F", "LAST, F."]).replace("LAST F", "LAST, F.")),
                     d.acctno() if d.P(0.6) else d.iban(grouped=False), d.money(20, 9000),
                     ("KEEP", d.c(["R01 NSF", "R02 stopped", "R08 signature", "R13 stale", "R21 post-dated", "R03 account closed"]))])
    table(d, [d.lbl("date"), "Chq", d.tr("Drawer|Aussteller|Tireur|Librador|Traente|Trekker"), d.lbl("account"), d.lbl("amount"), d.lbl("reason")], rows,
          d.c(["pad", "pipe", "tab", "semi"]))
    d.t("\n")
    bank_remark(d, d.person(), st)
    d.t(d.lbl("officer") + ": ")
    d.emit(d.N(st, d.c(["full", "F. Last"])))
    d.t(" (" + d.tr("staff no|Pers.-Nr.|matricule|nº empleado|matricola|pers.nr") + " ")
    d.emit(d.ref("emp"))
    d.t(")\n")


def st_safe_deposit(d):
    cu, co = d.person(), d.person()
    st = d.person()
    d.t(d.tr("SAFE DEPOSIT BOX REGISTER|SCHLIESSFACH-KARTEI|REGISTRE DES COFFRES|REGISTRO DE CAJAS DE SEGURIDAD|REGISTRO CASSETTE DI SICUREZZA|KLUISREGISTER") + "\n")
    lab, idv = d.iddoc(cu, which=d.c(["pp", "pp", None]) if d.cc not in ("de",) else "pass")
    blab, bio = d.bio(d.c(["palm", "fp"]))
    block(d, [(d.tr("Box no|Fach-Nr.|Coffre n°|Caja nº|Cassetta n.|Kluisnr."), d.ref("box")),
              (d.tr("Renter|Mieter|Titulaire|Titular|Intestatario|Huurder"), d.N(cu, d.c(["LAST, First", "full"]))),
              (d.tr("Co-renter|Mitmieter|Co-titulaire|Cotitular|Cointestatario|Medehuurder"), d.N(co, "full")),
              (d.lbl("address"), d.addr1()), (lab, idv), (d.lbl("phone"), d.phone()),
              (d.tr("Rent debited from|Miete von Konto|Loyer prélevé sur|Cargo en|Canone addebitato su|Huur van rekening"), d.iban()),
              (blab, bio)])
    d.t("\n")
    rows = []
    for _ in range(d.r.randint(3, 5)):
        who = d.c([cu, cu, co])
        rows.append([d.fdate(d.today(), "num"), d.tm(), d.tm(), d.N(who, d.c(["F. Last", "LAST", "full"])),
                     d.c(["palm OK", "PV ok", "fp match", "ID", "ID+PIN"]), d.N(st, d.c(["F. Last", "Last"]))])
    table(d, [d.lbl("date"), d.tr("In|Ein|Entrée|Entrada|Ingresso|In"), d.tr("Out|Aus|Sortie|Salida|Uscita|Uit"), d.tr("Visitor|Besucher|Visiteur|Visitante|Visitatore|Bezoeker"),
              d.tr("Verif.|Prüfung|Contrôle|Verif.|Verifica|Controle"), d.lbl("officer")], rows)
    d.t("\n" + d.lbl("remarks") + ": ")
    d.f(d.tr("Key {k} reissued, old key destroyed. Attorney {a} not admitted without POA.|Schlüssel {k} neu ausgegeben. Bevollmächtigte/r {a} ohne Vollmacht abgewiesen.|"
             "Clé {k} remplacée. Mandataire {a} refusé(e) sans procuration.|Llave {k} reemplazada. Apoderado/a {a} sin poder: no se permite acceso.|"
             "Chiave {k} sostituita. Delegato {a} non ammesso senza procura.|Sleutel {k} vervangen. Gemachtigde {a} zonder volmacht geweigerd."),
        k=d.c(["K-12", "S2", "B7"]), a=d.N(d.person(), "full"))
    d.t("\n")


def st_kyc_refresh(d):
    cu = d.person()
    dob, age = d.dob_for(old=d.P(0.15))
    st = d.person()
    d.t(d.tr("KYC PERIODIC REVIEW|KYC-AKTUALISIERUNG|REVUE KYC PÉRIODIQUE|ACTUALIZACIÓN KYC|AGGIORNAMENTO ADEGUATA VERIFICA|KYC HERBEOORDELING") + " - " + bank(d) + "\n")
    clab, cid = d.custid()
    lab, idv = d.iddoc(cu, dob)
    block(d, [(clab, cid), (d.lbl("name"), d.N(cu, d.c(["LAST, First", "full", "First LAST"]))), (d.lbl("dob"), d.fdate(dob)),
              (lab, [idv, " ", d.lbl("expiry"), " ", d.fdate(d.ymd(d.year, d.year + 9))]),
              (d.tr("Risk rating|Risikoklasse|Niveau de risque|Nivel de riesgo|Profilo di rischio|Risicoklasse"), d.c(["low", "medium", "niedrig", "moyen", "medio", "laag"])),
              (d.tr("Session IP|Sitzungs-IP|IP de session|IP sesión|IP sessione|Sessie-IP"), d.ip())])
    d.t("\n")
    a1, a2 = d.addr1(), d.addr1()
    rows = [[d.lbl("address"), a1, a2], [d.lbl("phone"), d.phone(), d.phone()], [d.lbl("email"), d.email(cu), d.email(cu)],
            [d.lbl("employer"), d.tr("self-employed|selbständig|retraité(e)|autónomo|pensionato|ZZP"), d.tr("Carrow Logistics|Stadtwerke|SNCF|Renfe|INPS|Gemeente")]]
    if d.P(0.6):
        rows.append([d.lbl("vehicle"), d.plate(), d.plate()])
    table(d, [d.tr("Field|Feld|Champ|Campo|Campo|Veld"), d.tr("Old|Alt|Ancien|Anterior|Precedente|Oud"), d.tr("New|Neu|Nouveau|Nuevo|Nuovo|Nieuw")], rows)
    blab, bio = d.bio("face")
    d.t("\n" + d.tr("Selfie check|Video-Ident|Contrôle selfie|Verificación selfie|Verifica selfie|Selfiecontrole") + " " + blab + ": ")
    d.emit(bio)
    d.t(d.tr(", liveness |, Liveness |, vivacité |, prueba de vida |, liveness |, liveness "))
    d.emit(("KEEP", "%d%%" % d.r.randint(91, 99)))
    d.t("\n")
    bank_remark(d, cu, st)
    d.t(d.tr("Reviewed by|Geprüft von|Revu par|Revisado por|Verificato da|Beoordeeld door") + " ")
    d.emit(d.N(st, d.c(["full", "F. Last", "LAST First"])))
    d.t("\n")


def st_payroll_file(d):
    d.t(d.tr("PAYROLL BATCH|GEHALTSLAUF|FICHIER DE PAIE|REMESA DE NÓMINAS|FLUSSO STIPENDI|SALARISBATCH") + " ")
    d.emit(d.ref("e2e"))
    d.t("  " + d.tr("pay date|Valuta|date de paiement|fecha valor|data valuta|betaaldatum") + " ")
    d.emit(d.fdate(d.today(), "iso"))
    d.t("\n" + d.tr("Employer|Arbeitgeber|Employeur|Empresa|Azienda|Werkgever") + ": " +
        d.tr("Carrow Logistics Ltd|Stadtwerke Talheim GmbH|SARL Les Genêts|Olivar S.L.|Colle Alto S.p.A.|Horst B.V.") + "\n\n")
    rows = []
    for _ in range(d.r.randint(4, 7)):
        e = d.person()
        lab, tid = d.iddoc(e, which={"uk": "ni", "us": "ssn", "de": d.c(["steuer", "svnr"]), "fr": "nir", "es": "nass", "it": "cf", "nl": "bsn"}[d.cc])
        rows.append([d.ref("emp"), d.N(e, d.c(["LAST, First", "Last, First", "LAST First"])), tid, d.iban(grouped=False), d.money(1200, 7000), d.money(900, 5000),
                     d.plate() if d.P(0.3) else None])
    table(d, [d.tr("Emp no|Pers.-Nr.|Matricule|Nº emp.|Matricola|Pers.nr"), d.lbl("name"), lab, "IBAN", d.tr("Gross|Brutto|Brut|Bruto|Lordo|Bruto"),
              d.tr("Net|Netto|Net|Neto|Netto|Netto"), d.tr("Car|Dienstwagen|Véhicule|Coche|Auto aziendale|Leaseauto")], rows, d.c(["pad", "tab", "semi", "pipe"]))
    a, b = d.person(), d.person()
    d.t("\n" + d.tr("Prepared|Erstellt|Préparé|Preparado|Preparato|Opgesteld") + ": ")
    d.emit(d.N(a, "full"))
    d.t("  " + d.tr("Approved|Freigabe|Validé|Aprobado|Approvato|Goedgekeurd") + ": ")
    d.emit(d.N(b, d.c(["full", "F. Last"])))
    d.t(" ")
    d.emit(d.email(b, corp=d.tr("carrow.co.uk|stadtwerke-talheim.de|genets.fr|olivar.es|colle-alto.it|horst.nl")))
    d.t("\n")


def st_card_replacement(d):
    cu = d.person()
    st = d.person()
    d.t(d.tr("CARD REPLACEMENT TICKET|KARTENERSATZ-AUFTRAG|DEMANDE DE REMPLACEMENT DE CARTE|SOLICITUD DE REPOSICIÓN DE TARJETA|RICHIESTA SOSTITUZIONE CARTA|AANVRAAG VERVANGENDE PAS") + "\n")
    block(d, [(d.tr("Ticket|Vorgang|Ticket|Incidencia|Pratica|Ticket"), d.ref("ticket")), (d.lbl("customer"), d.N(cu, d.c(["full", "LAST, First"]))),
              (d.tr("Old card|Alte Karte|Ancienne carte|Tarjeta anterior|Carta precedente|Oude pas"), d.card()),
              (d.tr("New card|Neue Karte|Nouvelle carte|Nueva tarjeta|Nuova carta|Nieuwe pas"), d.card()),
              (d.lbl("reason"), d.c(d.tr("lost/stolen/damaged|verloren/gestohlen/defekt|perdue/volée/défectueuse|extravío/robo/deterioro|smarrimento/furto/smagnetizzata|verloren/gestolen/defect").split("/"))),
              (d.tr("Deliver to|Zustellung an|Livraison|Envío a|Spedire a|Bezorgen op"), d.addr1()),
              (d.lbl("mobile"), d.phone(True)), (d.lbl("email"), d.email(cu))])
    lab, dv = d.device(d.c(["uuid", "imei"]))
    d.t("\n" + d.tr("Request channel: app|Kanal: App|Canal : appli|Canal: app|Canale: app|Kanaal: app") + ", " + lab + " ")
    d.emit(dv)
    d.t(", IP ")
    d.emit(d.ip())
    d.t("\n" + d.tr("Tracking|Sendungsverfolgung|Suivi|Seguimiento|Tracciamento|Track & trace") + ": ")
    d.emit(d.url(d.tr("track.northbridge.co.uk|karte.sparkasse-talheim.de|suivi.bvf.fr|envios.bancorioclaro.es|traccia.bancavalleverde.it|pas.rijnoeverbank.nl")))
    d.t("\n" + d.tr("Fee|Gebühr|Frais|Comisión|Commissione|Kosten") + " ")
    d.emit(d.money(5, 25))
    d.t("\n")
    bank_remark(d, cu, st)


def st_fraud_case(d):
    cu = d.person()
    st = d.person()
    d.t(d.tr("FRAUD CASE NOTES|BETRUGSFALL - NOTIZEN|DOSSIER FRAUDE - NOTES|EXPEDIENTE DE FRAUDE|PRATICA FRODE - NOTE|FRAUDEDOSSIER - NOTITIES") + "\n")
    clab, cid = d.custid()
    block(d, [(d.tr("Case|Fall|Dossier|Expediente|Pratica|Dossier"), d.ref("case")), (clab, cid), (d.lbl("customer"), d.N(cu, "full")),
              (d.lbl("account"), d.iban()), (d.tr("Card|Karte|Carte|Tarjeta|Carta|Pas"), d.card())])
    d.t("\n")
    rows = [[d.fdate(d.today(), "iso"), d.tm(), d.c(["CARD NOT PRESENT", "ONLINE*SHOP", "ATM 0412", "WIRE OUT", "P2P"]), d.money(30, 4000), d.ip()]
            for _ in range(d.r.randint(2, 4))]
    table(d, [d.lbl("date"), d.lbl("time"), d.tr("Merchant|Händler|Commerçant|Comercio|Esercente|Winkelier"), d.lbl("amount"), "IP"], rows)
    d.t("\n")
    lab, dv = d.device(d.c(["imei", "uuid", "mac"]))
    d.f(d.tr("New device {lab} {dv} enrolled {dt}. Funds sent to {ib} (mule?). Cust says she was called by 'bank' on {ph}.|"
             "Neues Gerät {lab} {dv} am {dt} registriert. Überweisung an {ib} (Finanzagent?). Kd. wurde von 'Bank' unter {ph} angerufen.|"
             "Nouvel appareil {lab} {dv} enrôlé le {dt}. Virement vers {ib} (mule ?). Appel de la fausse banque depuis le {ph}.|"
             "Nuevo dispositivo {lab} {dv} dado de alta el {dt}. Transferencia a {ib} (¿mula?). Llamada del falso banco desde {ph}.|"
             "Nuovo dispositivo {lab} {dv} registrato il {dt}. Bonifico verso {ib} (money mule?). Chiamata del finto operatore dal {ph}.|"
             "Nieuw toestel {lab} {dv} gekoppeld op {dt}. Overboeking naar {ib} (geldezel?). Gebeld door 'bank' vanaf {ph}."),
        lab=lab, dv=dv, dt=d.fdate(d.today()), ib=d.iban(d.c(["de", "nl", "fr", "es", "it", "uk"])), ph=d.phone())
    d.t("\n")
    if d.P(0.5):
        d.f(d.tr("Car purchase scam: {p}, VIN {v}.|Autokauf-Betrug: {p}, FIN {v}.|Arnaque véhicule : {p}, VIN {v}.|Estafa coche: {p}, bastidor {v}.|"
                 "Truffa auto: {p}, telaio {v}.|Autoverkoopfraude: {p}, VIN {v}."), p=d.plate(), v=d.vin())
        d.t("\n")
    blab, bio = d.bio("voice")
    d.t(blab + " ")
    d.emit(bio)
    d.t(d.tr(" - mismatch. Police ref | - keine Übereinstimmung. Anzeige | - non concordant. PV | - no coincide. Denuncia | - non corrisponde. Denuncia | - geen match. PV "))
    d.emit(d.ref("police"))
    d.t("\n")
    bank_remark(d, cu, st)


def st_trade_confirm(d):
    cu = d.person()
    rep = d.person()
    d.t(d.tr("TRADE CONFIRMATION|WERTPAPIERABRECHNUNG|AVIS D'OPÉRÉ|CONFIRMACIÓN DE OPERACIÓN|CONFERMA ESEGUITO|TRANSACTIEBEVESTIGING") + " - " + bank(d) + "\n")
    clab, cid = d.custid()
    td = d.today()
    block(d, [(d.tr("Confirmation no|Abrechnungs-Nr.|N° d'opéré|Nº operación|N. eseguito|Transactienr."), d.ref("trade")), (clab, cid),
              (d.tr("Account holder|Depotinhaber|Titulaire|Titular|Intestatario|Rekeninghouder"), d.N(cu, d.c(["full", "LAST, First", "First LAST"]))),
              (d.tr("Securities account|Depot-Nr.|Compte-titres|Cuenta de valores|Dossier titoli|Effectenrekening"), d.acctno()),
              (d.lbl("address"), d.addr1()), (d.tr("Trade date|Handelstag|Date d'opération|Fecha operación|Data operazione|Transactiedatum"), [d.fdate(td, "num"), " ", d.tm()]),
              (d.tr("Settlement|Valuta|Règlement|Liquidación|Regolamento|Valuta"), d.fdate(d.today(), "num"))])
    d.t("\n")
    rows = [[d.c(d.tr("BUY/SELL|Kauf/Verkauf|Achat/Vente|Compra/Venta|Acquisto/Vendita|Aankoop/Verkoop").split("/")), ("KEEP", d.c(["IE00B4L5Y983", "DE0005557508", "FR0000120271", "ES0113900J37", "IT0003128367", "NL0010273215"])),
             ("KEEP", "%d" % d.r.randint(5, 2000)), ("KEEP", d.dec(d.r.uniform(4, 400), 2)), d.money(500, 90000), ("KEEP", d.dec(d.r.uniform(0.05, 0.5), 2) + "%")]
            for _ in range(d.r.randint(1, 3))]
    table(d, [d.tr("Side|Art|Sens|Tipo|Segno|Type"), "ISIN", d.tr("Qty|Stück|Qté|Títulos|Q.tà|Aantal"), d.tr("Price|Kurs|Cours|Precio|Prezzo|Koers"),
              d.tr("Value|Kurswert|Montant|Efectivo|Controvalore|Waarde"), d.tr("Fee|Provision|Frais|Comisión|Commissioni|Kosten")], rows)
    lab, tid = d.iddoc(cu, which={"uk": "ni", "us": "ssn", "de": "steuer", "fr": "nir", "es": "dni", "it": "cf", "nl": "bsn"}[d.cc])
    d.t("\n" + d.tr("Tax id|Steuer-ID|N° fiscal|NIF|C.F.|Fiscaal nr.") + ": ")
    d.emit(tid)
    d.t("\n" + d.tr("Adviser|Berater|Conseiller|Asesor|Consulente|Adviseur") + ": ")
    d.emit(d.N(rep, d.c(["full", "F. Last"])))
    lab, v = d.lic("fin")
    d.t(", " + lab + " ")
    d.emit(v)
    d.t(", ")
    d.emit(d.phone_ext())
    d.t("\n")


def st_poa_registration(d):
    donor = d.person()
    dob, age = d.dob_for(old=d.P(0.5))
    att = [rel_person(d) for _ in range(d.c([1, 2]))]
    notary = d.person()
    d.t(d.tr("POWER OF ATTORNEY REGISTRATION|VOLLMACHTSREGISTRIERUNG|ENREGISTREMENT DE PROCURATION|REGISTRO DE PODER NOTARIAL|REGISTRAZIONE PROCURA|REGISTRATIE VOLMACHT") + "\n")
    lab, idv = d.iddoc(donor, dob)
    block(d, [(d.tr("Registration|Registrierung|Enregistrement|Registro|Registrazione|Registratie"), d.ref("reg")),
              (d.tr("Donor|Vollmachtgeber|Mandant|Poderdante|Delegante|Volmachtgever"), d.N(donor, d.c(["LAST, First", "full"]))),
              (d.lbl("dob"), [d.fdate(dob), " (", d.age(age, donor["sex"]), ")"]), (lab, idv),
              (d.lbl("address"), d.addr2())])
    d.t("\n")
    rows = [[d.N(a, d.c(["full", "LAST, First"])), rl, d.phone(), d.addr1()] for rl, a in att]
    table(d, [d.tr("Attorney|Bevollmächtigte/r|Mandataire|Apoderado|Procuratore|Gevolmachtigde"), d.tr("Relation|Beziehung|Lien|Relación|Rapporto|Relatie"), d.lbl("phone"), d.lbl("address")], rows)
    d.t("\n" + d.tr("Accounts covered|Betroffene Konten|Comptes concernés|Cuentas|Conti interessati|Rekeningen") + ": ")
    d.emit(d.iban())
    d.t(", ")
    d.emit(d.acctno())
    blab, bio = d.bio("fp")
    d.t("\n" + d.tr("Donor ID verified, |Identität geprüft, |Identité vérifiée, |Identidad verificada, |Identità verificata, |Identiteit geverifieerd, ") + blab + " ")
    d.emit(bio)
    d.t("\n" + d.tr("Notary|Notar|Notaire|Notario|Notaio|Notaris") + ": ")
    d.emit(d.N(notary, "full"))
    lab, v = d.lic("notary")
    d.t(" (" + lab + " ")
    d.emit(v)
    d.t(")  ")
    d.emit(d.fdate(d.today(), "long"))
    d.t("\n")


def st_vehicle_finance(d):
    cu = d.person()
    dob, age = d.dob_for(old=False)
    st = d.person()
    d.t(d.tr("CAR FINANCE DRAWDOWN|KFZ-FINANZIERUNG AUSZAHLUNG|FINANCEMENT AUTO - DÉBLOCAGE|FINANCIACIÓN DE VEHÍCULO|FINANZIAMENTO AUTO - EROGAZIONE|AUTOFINANCIERING UITBETALING") + "\n")
    lab, dl = (d.iddoc(cu, dob, which="dl") if d.cc in ("uk", "us") else
               (d.tr("x|Führerschein|Permis|Permiso|Patente|Rijbewijs"), ("ID_DOC", d.c([d.U(1) + d.D(8) + d.U(1), d.D(10, 1), d.U(2) + d.D(7) + d.U(1)]))))
    block(d, [(d.tr("Agreement|Vertrag|Contrat|Contrato|Contratto|Overeenkomst"), d.ref("loan")), (d.tr("Borrower|Darlehensnehmer|Emprunteur|Prestatario|Richiedente|Kredietnemer"), d.N(cu, "full")),
              (d.lbl("dob"), d.fdate(dob)), (lab, dl), (d.lbl("address"), d.addr1()), (d.lbl("mobile"), d.phone(True)),
              (d.lbl("vin"), d.vin()), (d.lbl("plate"), d.plate()),
              (d.tr("Tracker|Ortungsgerät|Traceur|Localizador|Localizzatore|Tracker") + " IMEI", d.device("imei")[1])])
    d.t("\n")
    rows = [[d.tr("Cash price|Kaufpreis|Prix|Precio|Prezzo|Koopsom"), d.money(9000, 60000)], [d.tr("Deposit|Anzahlung|Apport|Entrada|Anticipo|Aanbetaling"), d.money(500, 9000)],
            ["APR" if d.lang == "en" else d.tr("x|eff. Jahreszins|TAEG|TAE|TAEG|JKP"), d.pct()], [d.tr("Term|Laufzeit|Durée|Plazo|Durata|Looptijd"), ("KEEP", "%d %s" % (d.c([24, 36, 48, 60]), d.tr("months|Monate|mois|meses|mesi|maanden")))]]
    table(d, [d.tr("Item|Position|Poste|Concepto|Voce|Post"), d.lbl("amount")], rows, "pad")
    d.t("\n" + d.tr("Paid out to dealer account|Auszahlung an Händlerkonto|Versé au concessionnaire|Abono al concesionario|Erogato al concessionario|Uitbetaald aan dealer") + " ")
    d.emit(d.iban())
    d.t(" " + d.tr("on|am|le|el|il|op") + " ")
    d.emit(d.fdate(d.today()))
    d.t(". DD " + d.tr("mandate|Mandat|mandat|mandato|mandato|machtiging") + " ")
    d.emit(d.ref("mandate"))
    d.t("\n")
    bank_remark(d, cu, st)


STICKER_STYLES = ["nursing_notes", "icu_obs_chart", "transfer_letter", "gp_referral_fax", "micro_request", "med_reconciliation",
                  "preauth_form", "death_birth_notice", "rx_renewal"]
STYLES = [("nursing_notes", st_nursing_notes), ("icu_obs_chart", st_icu_obs), ("paramedic_prf", st_paramedic_prf),
          ("transfer_letter", st_transfer_letter), ("clinic_list", st_clinic_list), ("gp_referral_fax", st_gp_referral_fax),
          ("micro_request", st_micro_request), ("med_reconciliation", st_med_rec), ("preauth_form", st_preauth_form),
          ("death_birth_notice", st_death_birth_notice), ("occ_health", st_occ_health), ("rx_renewal", st_rx_renewal),
          ("cheque_return_log", st_cheque_return_log), ("safe_deposit", st_safe_deposit), ("kyc_refresh", st_kyc_refresh),
          ("payroll_file", st_payroll_file), ("card_replacement", st_card_replacement), ("fraud_case", st_fraud_case),
          ("trade_confirm", st_trade_confirm), ("poa_registration", st_poa_registration), ("vehicle_finance", st_vehicle_finance)]


# ----------------------------------------------------------------------------------------------
# guarantees, building, CLI
# ----------------------------------------------------------------------------------------------
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
    """Return a list of problems (empty when the record meets every guarantee)."""
    text, spans, probs = rec["text"], rec["spans"], []
    last_end = 0
    for s in spans:
        a, b, v, k = s["start"], s["end"], s["value"], s["kind"]
        if k not in PII_KINDS and k != "KEEP":
            probs.append("bad kind %s" % k)
        if text[a:b] != v:
            probs.append("offset mismatch %r" % v)
        if not v or v != v.strip():
            probs.append("blank edge %r" % v)
        if a < last_end:
            probs.append("overlap/unsorted at %d" % a)
        last_end = b
        if a > 0 and v[:1].isalnum() and text[a - 1].isalnum():
            probs.append("left boundary %r" % v)
        if b < len(text) and v[-1:].isalnum() and text[b].isalnum():
            probs.append("right boundary %r" % v)
    pii = [s for s in spans if s["kind"] != "KEEP"]
    if not pii:
        probs.append("no PII span")
    for v in sorted({s["value"] for s in pii}):
        for i in occurrences(text, v):
            if not any(s["start"] <= i and i + len(v) <= s["end"] for s in pii):
                probs.append("PII value outside span %r" % v)
    for v in sorted({s["value"] for s in spans if s["kind"] == "KEEP"}):
        for i in occurrences(text, v):
            if any(i < s["end"] and s["start"] < i + len(v) for s in pii):
                probs.append("KEEP value overlaps PII %r" % v)
    return probs


def build_one(i):
    si = i % len(STYLES)
    lang = LANGS[(i // len(STYLES) + si) % len(LANGS)]
    name, fn = STYLES[si]
    for sub in range(200):
        d = Doc(random.Random("pii_dev4:%d:%d:%d" % (SEED_BASE, i, sub)), lang)
        fn(d)
        if name in STICKER_STYLES and d.pt and d.P(0.85):
            sticker(d, *d.pt)
        rec = {"id": "dev4-%04d" % (i + 1), "style": name, "language": lang, "text": d.text(), "spans": d.spans}
        if not check(rec):
            return rec, sub
    raise RuntimeError("record %d (%s/%s) failed 200 sub-seeds: %s" % (i, name, lang, check(rec)[:3]))


def build():
    return [build_one(i)[0] for i in range(N_RECORDS)]


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
        recs = [json.loads(line) for line in committed.splitlines() if line.strip()]
        bad = [(r["id"], check(r)) for r in recs if check(r)]
        assert not bad, bad[:5]
        assert len(recs) == N_RECORDS, len(recs)
        assert len({r["id"] for r in recs}) == len(recs)
        fresh = dumps(build())
        assert fresh == committed, "regenerated file differs from %s" % OUT
        print("OK: %d records, all guarantees hold, regenerated file is byte-identical" % len(recs))
        return 0
    if "--stats" in argv:
        with open(OUT, encoding="utf-8") as f:
            recs = [json.loads(line) for line in f if line.strip()]
        kinds, styles, langs = stats(recs)
        print("records", len(recs))
        print("kinds:")
        for k in PII_KINDS + ["KEEP"]:
            print("  %-12s %d" % (k, kinds[k]))
        print("styles:")
        for k, v in sorted(styles.items()):
            print("  %-20s %d" % (k, v))
        print("languages:", ", ".join("%s %d" % (k, langs[k]) for k in LANGS))
        return 0
    recs = build()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(recs))
    print("wrote %d records to %s" % (len(recs), OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
