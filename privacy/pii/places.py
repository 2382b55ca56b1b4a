"""Street addresses and postcodes in the postal conventions of the UK/US, Germany, France, Spain,
Italy and the Netherlands, the address fields of SEPA (ISO 20022) records, and bare ZIP codes.

Street forms differ in where the number goes: "12 Baker Street" and "12, rue de la Paix" put it
first; "Hauptstraße 5", "Keizersgracht 123-II", "Calle Mayor 5, 3º B" and "Via Roma 12" after the
name. Each form is one pattern; a postcode and town may follow. An address label ("Anschrift:",
"domicilio:", "woonadres") takes the rest of its line.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer

from privatune.privacy.pii import vocab
from privatune.privacy.pii.checks import YEAR_ONLY
from privatune.privacy.pii.recognizers import make_result

CAP = r"(?-i:[\p{Lu}])(?:[\p{L}'’-]|\.(?=\p{L}))*"  # a full stop ends a word: "München. Diagnose" is no town
NAME = rf"(?:{CAP}|(?:de|del|de la|de los|de las|di|della|dei|degli|delle|du|des|de l'|d'|la|le|les|l'|am|an der|im|van|van der|den|der|het|'t|st\.?|san|santa|sant')\s*)"
HOUSE = r"\d{1,5}(?:\s?[a-z]\b|[-/]\d{1,4}[a-z]?|\s?(?:bis|ter|quater)\b|-?(?:i{1,3}|iv|hs|huis|bg|rd)\b)?"
UNIT = (r"(?:,?\s*(?:apt|apartment|suite|ste|unit|flat|fl|floor|piso|planta|puerta|pta|esc|escalera|"
        r"interno|int|scala|piano|étage|etage|bât|bat|bâtiment|app|appartement|etg|whg|wohnung)\.?\s*"
        r"#?[\w-]{1,5}|,?\s*\d{1,2}\s?[ºª°]\s?[a-z]?\b)*")
POSTCODE = (r"(?:\d{5}(?:-\d{4})?|\d{4}\s?(?-i:[A-Z]{2})|(?-i:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})|"
            r"(?:[A-Z]-|D-|F-|I-|E-|NL-)\d{4,5})")
TOWN = rf"{CAP}(?:[\s-]+(?:{CAP}|sur|sous|en|am|an|der|de|del|di|la|le))*(?:\s+cedex(?:\s+\d{{1,2}})?)?"
TAIL = rf"(?:,?\s+(?:{POSTCODE})\s+{TOWN}|,\s*{TOWN}(?:,?\s+(?-i:[A-Z]{{2}}))?\.?\s+\d{{5}}(?:-\d{{4}})?|,\s*{TOWN}\s+{POSTCODE})?"
EN_TYPES = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace|"
            r"ter|way|parkway|pkwy|circle|cir|highway|hwy|square|sq|close|crescent|cres|gardens|gdns|"
            r"row|mews|walk|hill|grove|park|green|parade|embankment")
DE_SUFFIX = r"straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|berg|hof|kamp"
NL_SUFFIX = (r"straat|str\.|gracht|laan|weg|plein|singel|kade|dijk|pad|steeg|hof|dreef|markt|wal|"
             r"plantsoen|park|baan|haven|burgwal")
FR_TYPES = (r"rue|avenue|av\.?|boulevard|bd|bvd|place|pl\.?|chemin|ch\.?|allée|allee|quai|impasse|"
            r"cours|route|rte|square|passage|faubourg|fg|sentier|résidence|lotissement|cité|villa")
ES_TYPES = (r"calle|c/|cl\.?|avenida|avda\.?|av\.?|plaza|pza\.?|pl\.?|paseo|pº|camino|carretera|ctra\.?|"
            r"ronda|travesía|travesia|glorieta|rambla|vía|via|urbanización|urb\.?|carrer|passeig")
IT_TYPES = (r"via|v\.|viale|v\.le|piazza|p\.za|p\.zza|piazzale|corso|c\.so|largo|vicolo|strada|"
            r"contrada|lungomare|lungotevere|borgo|salita|località|loc\.")
FLAGS = re.IGNORECASE | re.MULTILINE

PATTERNS = [
    ("number first (EN/US)", 0.75, re.compile(
        rf"\b\d{{1,6}}[a-z]?[ \t]+(?:{NAME}\b[ \t]+){{1,4}}(?:{EN_TYPES})\b\.?{UNIT}{TAIL}", FLAGS)),
    ("number first (FR)", 0.75, re.compile(
        rf"\b\d{{1,4}}(?:\s?(?:bis|ter|[a-d]))?,?\s+(?:{FR_TYPES})\s+(?:{NAME}\s*){{1,5}}{UNIT}{TAIL}", FLAGS)),
    ("name first (DE/NL compounds)", 0.75, re.compile(
        rf"\b{CAP}(?:{DE_SUFFIX}|{NL_SUFFIX})\s+{HOUSE}{UNIT}{TAIL}", FLAGS)),
    ("name first (DE/NL words)", 0.7, re.compile(
        rf"\b(?:{CAP}(?:er|sche|se)?\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm)|"
        rf"(?:Am|An der|An den|Im|Auf der|Unter den|Zum|Zur)\s+{CAP}|"
        rf"(?:Oude|Nieuwe|Lange|Korte|Hoge|Lage)\s+{CAP})\s+{HOUSE}{UNIT}{TAIL}", re.MULTILINE)),
    ("type first (ES/IT)", 0.75, re.compile(
        rf"(?<![\w.])(?:{ES_TYPES}|{IT_TYPES})[ ]*(?:{NAME}[ ]*){{1,5}},?[ ]*(?:(?<=[ ,])(?:n\.?[ ]?º?[ ]?|nº[ ]?|no\.?[ ]?|num\.?[ ]?|"
        rf"n°[ ]?))?{HOUSE}{UNIT}{TAIL}", FLAGS)),
    ("postcode + town", 0.6, re.compile(
        rf"(?<![\w.,/-])(?:\d{{5}}|\d{{4}} ?(?-i:[A-Z]{{2}})|(?:D|F|I|E|NL|B|A|CH|L)-\d{{4,5}})[ \t]+"
        rf"(?-i:\p{{Lu}}[\p{{Ll}}'’-]{{2,}})(?:[ \t-]+(?:(?-i:\p{{Lu}}[\p{{Ll}}'’-]+)|sur|am|an der|de|di))*"
        rf"(?:\s+cedex(?:\s+\d{{1,2}})?)?", re.MULTILINE)),
    ("uk postcode", 0.6, re.compile(r"\b(?-i:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b")),
    ("us state + zip", 0.6, re.compile(r"(?<=,\s*)(?-i:[A-Z]{2})\s+\d{5}(?:-\d{4})?\b")),
    ("po box", 0.8, re.compile(r"\b(?:p\.?\s?o\.?\s+box|postfach|boîte postale|(?-i:BP)(?= \d{3,5}\b)|apartado(?: de correos)?|"
                               r"casella postale|postbus)\s+\d{1,6}\b(?![/.,]\d)", FLAGS)),
    # The value of a label or field (group "v"): read forward from the label, not by a look-behind
    # tried at every position.
    ("labelled address", 0.6, re.compile(
        rf"\b{vocab.ADDRESS_LABELS}\s*[:|]\s*(?P<v>[^\n;|=\s][^\n;|=]{{3,89}}?)(?=\s*(?:$|\n|;|\||\.\s|\s{{3}}))", FLAGS)),
    ("sepa address field", 0.8, re.compile(
        r"<(?:StrtNm|BldgNb|BldgNm|PstCd|TwnNm|TwnLctnNm|DstrctNm|AdrLine|Flr|PstBx|Room)>(?P<v>[^<\n]{1,70})"
        r"|\b(?:StrtNm|BldgNb|BldgNm|PstCd|TwnNm|AdrLine|street|strasse|town|city|postcode|ort|plz)"
        r"\s*[:=]\s*\"?(?P<v2>[^\s\",;|}][^\",;|}\n]{0,60})", FLAGS)),
]
CLOCK = re.compile(r"\b\d{1,2}[:h]\d{2}\b")  # "Ort: 17:30 / 17:40" is two times, not a place
LABELLED_ZIP = re.compile(
    rf"\b{vocab.alternation(vocab.LABELS['ZIP_CODE'])}\s*[:=#.]?\s*(?P<v>\d{{5}}(?:-\d{{4}})?|\d{{4}}\s?[A-Z]{{2}}|\d{{4}})\b",
    FLAGS)


# A postcode asked for or announced ("PLZ bestätigen?", "code postal", "CAP") makes a bare postcode
# shape in the next few lines a postcode: chat answers and forms give it without a label of its own.
ZIP_CONTEXT = re.compile(
    rf"\b(?:{vocab.alternation(vocab.LABELS['ZIP_CODE'])}|postleitzahl|postnummer|código|codigo postal)\b", FLAGS)
BARE_ZIP = re.compile(r"(?<![\w.,/:+-])(?:\d{5}|[1-9]\d{3} ?(?-i:[A-Z]{2})|[1-9]\d{3})(?![\w/:-]|[.,]\d)")
ZIP_REACH = 200


class AddressRecognizer(EntityRecognizer):
    """Street addresses, postcode + town, PO boxes, SEPA address fields; bare labelled ZIPs."""

    def __init__(self):
        super().__init__(supported_entities=["ADDRESS", "ZIP_CODE"], name="privatune_addresses")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for _, score, pattern in PATTERNS:
            for match in pattern.finditer(text):
                group = next((g for g in ("v", "v2") if match.groupdict().get(g) is not None), 0)
                value = match.group(group)
                if value.strip() and not (CLOCK.search(value) and not any(ch.isalpha() for ch in value)):
                    results.append(make_result(self, "ADDRESS", match.start(group), match.end(group), score))
        for match in LABELLED_ZIP.finditer(text, overlapped=True):
            results.append(make_result(self, "ZIP_CODE", match.start("v"), match.end("v"), 0.8))
        reach = -1
        for cue in ZIP_CONTEXT.finditer(text):
            if cue.start() < reach:
                continue
            reach = cue.end() + ZIP_REACH
            for match in BARE_ZIP.finditer(text, cue.end(), reach):
                value = match.group()
                if YEAR_ONLY.fullmatch(value):
                    continue  # a year
                results.append(make_result(self, "ZIP_CODE", match.start(), match.end(), 0.6))
        return results
