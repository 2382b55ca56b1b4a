"""What must survive scrubbing although a recognizer matched it: codes of coding systems, scores,
scales and triage categories, ward names, amounts, ratios and measurements.

Recognizers are written recall-first (any long digit run may be an identifier), so the judgement
"this is clinical or financial content" is made once, here, from what sits right before or after
a hit: "NDC 0002-3227-30" and "SNOMED CT 44054006" are codes, "GCS 14" a score, "LTV 80%" a ratio,
"Station Kardiologie" a ward. A name hit is dropped only when it is an eponym of a scale ("Wells
score", "Glasgow Coma Scale") or part of a ward's name.
"""

from __future__ import annotations

import regex as re

# Compiled once: a call with a pattern string looks the pattern up in a cache each time.
LETTER_RUN = re.compile(r"[^\W\d_]+")
NON_DIGIT = re.compile(r"\D")
CURRENCY_BEFORE = re.compile(r"[$€£]\s?$")

FLAGS = re.IGNORECASE
CODE_SYSTEM = re.compile(
    r"(?:\b(?:ndc|snomed(?:[\s-]*ct)?|sctid|loinc|icd(?:-?(?:9|10|11))?(?:-cm|-pcs)?|cim-?10|cie-?10|"
    r"icd-?o|cpt|hcpcs|atc|rxnorm|rxcui|ops|drg|g-drg|ghm|ccam|ebm|goä|umls|cui|mesh|omim|hgnc|pzn|"
    r"aic|ean|gtin|isbn|isin|cusip|sedol|wkn|lei|ngap|gmdn|code\s+(?:ndc|snomed|loinc|atc|ops|cpt))"
    r"(?:\s*(?:code|concept|id|no\.?|nr\.?|#))?[\s:=#(\[-]*)$", FLAGS)
SCORE = re.compile(
    r"(?:\b(?:gcs|nihss|apgar|eva|nrs|vas|barthel|mrs|q?sofa|curb-?65|crb-?65|wells|braden|norton|"
    r"waterlow|mmse|moca|asa|nyha|cha2ds2-?vasc|has-?bled|news2?|mews|pews|rass|cam-icu|peep|fio2|"
    r"esi|mts|ctas|ats|cimu|triage|apache(?:\s*ii)?|saps(?:\s*ii)?|meld|child-?pugh|gleason|ecog|"
    r"karnofsky|kps|edss|phq-?9|gad-?7|audit-?c|timi|grace|killip|alvarado|ranson|tnm|bmi|"
    r"score|scale|index|grade|class|stage|category|categoría|categoria|catégorie|kategorie|stufe|"
    r"grad|level|niveau|nivel|livello|codice|código|code|urgentie|urgence|prioridad|priorità|"
    r"priorité|priority|priorität|p|u)(?:\s*(?:score|level|category|cat\.?|code))?[\s:=#(]*)$", FLAGS)
UNIT_AFTER = re.compile(
    r"^\s?(?:%|‰|x\b|×|mg|mcg|µg|ug|g\b|kg|ml|l\b|dl|mmol|µmol|umol|nmol|pmol|meq|iu|ie|ui|u/l|units?|"
    r"einheiten|unités|unidades|unità|eenheden|mmhg|cmh2o|bpm|/min|°c|cm|mm|m2|h\b|hrs?|min\b|sec|"
    r"mio|million|k\b|eur|usd|gbp|chf|€|\$|£|x10)", FLAGS)
AMOUNT = re.compile(r"[$€£]?\s?\d{1,3}(?:[,. ']\d{3})*(?:[.,]\d+)?\s?(?:%|x)?|\d+[.,]\d+(?:%|x)?|\d+%")
EPONYM_AFTER = re.compile(
    r"^['’]?s?[ \t]*(?:-[ \t]*)?(?:score|scale|index|criteria|classification|coma|triage|rule|"
    r"skala|échelle|escala|scala|schaal|kriterien|critères|criterios|criteri)\b", FLAGS)
WARD_BEFORE = re.compile(
    r"(?:\b(?:ward|station|stationen|salle|service|reparto|afdeling|unidad|servicio|servizio|"
    r"abteilung|planta|pavillon|pabellón|padiglione|paviljoen|unit|unité|unità|wing|bloc|bloque|blocco|"
    r"zimmer|chambre|habitación|stanza|kamer|room|hospital|hôpital|hopital|ospedale|ziekenhuis|"
    r"krankenhaus|klinik|klinikum|clinique|clínica|clinica|centre hospitalier)"
    r"(?:[ \t]+(?:de|del|di|du|der|des|la|le|universitario|universitaire|general))*"
    r"(?:[ \t]+(?:st\.?|ste\.?|saint|sainte|sankt|san|santa|sant'|santo|são|sint))?[ \t]*)$", FLAGS)
WARD_AFTER = re.compile(r"^[ \t]*(?:ward|unit|wing|pavilion|suite|station|stroke\s+unit|icu)\b(?![=:_])", FLAGS)
NAME_TYPES = {"PERSON", "LOCATION"}
EPONYMS = frozenset("""wells braden barthel apgar glasgow norton waterlow morse killip gleason karnofsky
ranson alvarado child pugh manchester richmond ramsay berlin parkinson crohn alzheimer foley heimlich
hodgkin cushing addison graves basedow hashimoto raynaud barrett huntington wilson asperger kaposi
guillain barré lyme menière meniere paget whipple sjögren tourette marfan duchenne wernicke korsakoff
babinski murphy kernig bell down creutzfeldt jakob legionnaires swan ganz seldinger valsalva""".split())
SCALE_CONTEXT = re.compile(r"triage|triaje|score|scale|skala|échelle|escala|scala|schaal|index|class|"
                           r"criteria|coma|stage|grade|disease|syndrome|syndrom|sindrome|síndrome|"
                           r"maladie|morbus|ziekte|enfermedad|malattia|krankheit|catheter|katheter|"
                           r"cathéter|catéter|catetere|sonde|sonda|manoeuvre|manöver|maniobra|manovra|"
                           r"lymphoma|lymphom|lymphome|linfoma|triad|sign|zeichen|signe|signo|segno|"
                           r"amarillo|rojo|verde|naranja|azul|yellow|orange|red|green|blue|gelb|rot|grün", FLAGS)
# A lab or ratio value is short: "Krea 0,7 mg/dl", "Braden 11". A long digit run after a name is
# an identifier or a phone ("figlia Federica 3395831937"), and a second label ends a table cell.
MEASURED = re.compile(r"^[ \t]?:?[ \t]?(?!\d{1,2}([/.-])\d{1,2}\1\d{2,4})\d{1,4}(?:[.,]\d+)?(?!\d)(?:[ \t]*(?:%|x\b|/\d{1,3}\b|[a-zµ°]+/|mg|g\b|mmol|"
                      r"ng|µg|ug|iu|ie|ui|u\b|ml|mcg|units?|unités|einheiten|u/l|mmhg|bpm|°c)|[ \t]*[;.](?!\d)|$)", re.IGNORECASE | re.MULTILINE)
PERCENT_AFTER = re.compile(r"^\d*(?:[.,]\d+)?\s?(?:%|x\b)")
# Codes by their shape: ATC ("J01CA04"), and ISINs with a valid check digit in a text about ISINs.
ATC = re.compile(r"[A-V]\d{2}[A-Z]{2}\d{2}")
ICD10 = re.compile(r"[A-Z]\d{2}[0-9A-Z]?\.[0-9A-Z]{1,4}")
ISIN = re.compile(r"[A-Z]{2}[A-Z0-9]{9}\d")


def is_isin(value: str) -> bool:
    """ISO 6166: letters to numbers (A = 10), then the Luhn check over the digits."""
    if not ISIN.fullmatch(value):
        return False
    digits = [int(d) for ch in value for d in str(int(ch, 36))]
    total = sum(d if i % 2 == 0 else (2 * d if d < 5 else 2 * d - 9) for i, d in enumerate(reversed(digits)))
    return total % 10 == 0


def _eponym(value: str) -> bool:
    """"Parkinson", "Morbus Crohn", "maladie de Parkinson": eponyms, with disease words around them."""
    words = [w for w in LETTER_RUN.findall(value.lower())
             if not SCALE_CONTEXT.fullmatch(w) and w not in ("de", "di", "del", "van", "von", "of", "the")]
    return bool(words) and all(w in EPONYMS for w in words)


def should_keep(text: str, result) -> bool:
    """True when a hit is clinical or financial content rather than PII (see the module)."""
    before = text[max(0, result.start - 40):result.start].split("\n")[-1]
    after = text[result.end:result.end + 24]
    value = text[result.start:result.end]
    if result.entity_type in NAME_TYPES:
        if (result.recognition_metadata or {}).get("recognizer_name") == "privatune_fields":
            return False  # a value in a name column or under a name key (fields.py)
        if MEASURED.match(after):
            return True  # "Krea 0,7 mg/dl", "DTI 19%", "Braden 11": a lab, ratio or score name
        if _eponym(value) and SCALE_CONTEXT.search(before[-20:] + " " + value + " " + after[:20]):
            return True
        return bool(EPONYM_AFTER.match(after) or WARD_AFTER.match(after) or WARD_BEFORE.search(before))
    if PERCENT_AFTER.match(after):
        return True  # "APR 17.32%", "DSCR 0,87x": a rate or ratio
    if ATC.fullmatch(value) or (is_isin(value) and "isin" in text.lower()):
        return True  # an ISIN's check digit alone passes one random code in ten: the text must say ISIN
    if CODE_SYSTEM.search(before):
        return True
    if result.entity_type in ("ADDRESS", "EMAIL_ADDRESS", "URL", "IP_ADDRESS", "IBAN_CODE"):
        return False
    if SCORE.search(before) and len(NON_DIGIT.sub("", value)) <= 3:
        return True  # "GCS 14", "ESI 2": a score is short; a long number after "code" is an id
    if result.entity_type == "AGE_OVER_89":
        return False  # "102H" (homme) is an age, not 102 hours; age patterns carry their own cue
    if ICD10.fullmatch(value):
        return True  # "S72.01", "I63.9": a diagnosis code (a record number has more digits)
    if value.isdigit() and len(value) <= 6 and UNIT_AFTER.match(after):
        return True  # "heparin 25000 IU": a dose
    if AMOUNT.fullmatch(value.strip()) and (UNIT_AFTER.match(after) or "%" in value or
                                            CURRENCY_BEFORE.search(before)):
        return True
    return False


def drop_kept(text: str, results: list) -> list:
    return [r for r in results if not should_keep(text, r)]
