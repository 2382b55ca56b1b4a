"""Person names and places beyond what NER sees: cue words, repeats, possessives, false hits.

A small spaCy model finds capitalised names in prose but misses "my name is john smith", "D. Nguyen",
a second mention in lower case, "smith's", and names at the start of a form line. Cheap steps
close that gap:
1. strong cues ("name:", "my name is", "Dear", titles) mark the next one to three words as a name
   in any case; weak cues ("daughter", "Beneficiary", "Thank you,") only a capitalised name;
   place cues ("lives in", "was in") a capitalised place;
2. every word of a name found anywhere in a record is removed everywhere in that record;
3. hits that cannot be names or places (containing digits, a drug name, a form word such as
   "Tel" or "acct", a credential such as "MD") are dropped: NER calls "K21.0" a place.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.de.stop_words import STOP_WORDS as DE_STOP
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as ES_STOP
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP
from spacy.lang.it.stop_words import STOP_WORDS as IT_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP

from privatune.privacy.pii import fields, gazetteer
from privatune.privacy.pii.recognizers import make_result

# Compiled once: a call with a pattern string looks the pattern up in a cache each time.
NAME_PART = re.compile(r"[^\s/&]+")
COMMA_OR_SPACE = re.compile(r"[ ,]+")
NON_SPACE = re.compile(r"\S+")

# Function words of the six languages: they end a name (name particles such as "van", "de" and
# "von" are handled by the name-list recognizer, which joins them).
ALL_STOP = frozenset(STOP_WORDS | DE_STOP | ES_STOP | FR_STOP | IT_STOP | NL_STOP) - (
    (gazetteer.GIVEN | gazetteer.SURNAMES) - gazetteer.AMBIGUOUS)

# Words NER calls people or places in clinical and banking text. Extend per institution: allow_list.
NOT_NAMES = frozenset("""
metformin lisinopril atorvastatin simvastatin amlodipine losartan omeprazole pantoprazole
levothyroxine gabapentin sertraline fluoxetine citalopram escitalopram warfarin apixaban rivaroxaban
clopidogrel aspirin ibuprofen acetaminophen paracetamol naproxen tramadol oxycodone morphine insulin
glargine lispro prednisone prednisolone amoxicillin azithromycin doxycycline ciprofloxacin
cephalexin furosemide hydrochlorothiazide spironolactone carvedilol metoprolol atenolol propranolol
albuterol salbutamol montelukast fluticasone budesonide tiotropium heparin enoxaparin ondansetron
methotrexate adalimumab humira lipitor zoloft xanax alprazolam lorazepam diazepam quetiapine
olanzapine risperidone lithium donepezil memantine tamsulosin finasteride sildenafil allopurinol
colchicine vancomycin ceftriaxone piperacillin tazobactam zosyn keflex januvia sitagliptin
empagliflozin jardiance dapagliflozin ozempic semaglutide trulicity eliquis xarelto coumadin
hba1c tsh ldl hdl egfr bmp cbc wbc bid tid qid prn qhs po iv im sc icd cpt mg mcg ml dl mmol mmhg
md do rn np pa phd dds dmd mbbs frcp cpa esq
hi hello hey dear thanks thank sorry please yes ok okay regards sincerely
acct account contact tel phone fax mobile email e-mail portal home address driver driver's license licence
passport patient patientin customer client agent beneficiary diagnose diagnosis therapie
traitement assessment results billed labs meds attending subject reference amount iban swift
mastercard visa amex discover routing sort ssn dob mrn npi
uur uhr heures heure ore horas hora h min agent agente agent conseiller conseillère mitarbeiter
medewerker operatore operador caller
clexane lantus nolotil novalgin voltaren doliprane dafalgan efferalgan tachipirina enantyum
ibuprofeno paracetamolo ibuprofene metamizol metamizole pantoprazol omeprazol ramipril bisoprolol
torasemid ass marcumar xarelto eliquis lixiana pradaxa augmentin tavanic ciproxin rocephin
degenza ordinaria relazione reparto azienda ospedaliera ospedale ospedaliero clinica clinique
klinik klinikum krankenhaus hôpital hopital hospital ziekenhuis centre centro zentrum policlinico
station ost west nord süd sud oost noord zuid afdeling verpleegafdeling unidad servicio servizio
service urgences urgencias pronto soccorso notaufnahme spoedeisende eerste hulp seh
triage triaje kategorie catégorie categoría categoria gelb rot grün blau orange naranja amarillo
rojo verde azul giallo rosso bianco verde arancione jaune rouge vert bleu geel rood groen blauw
diagnose diagnosi diagnóstico diagnostic befund anamnese entlassung aufnahme therapie traitement
tratamiento terapia behandeling diagnose verslag rapport informe referto lettre brief carta lettera
vitals ecg ekg call labs
icu itu ccu hdu nicu picu micu sicu cicu imc ips uci utin tipo uti seh zna
maladie morbus ziekte enfermedad malattia krankheit disease syndrome syndrom pmhx pmh hx
hb krea crea crp pct inr na spo2 rr hr bp mmse nihss news news2 barthel braden asa eva nrs vas dscr
dti ltv apr taeg tae ebitda ops uhcd obi risiko rischio riesgo risque risico planta salle
intensivstation intensiv lactate lactato troponin troponine troponina ferritin kalium natrium
wells apgar glasgow norton waterlow morse killip gleason karnofsky ranson alvarado curb qsofa sofa
mrs gcs esi mts ctas cimu rass peep fio2 ldh alt ast ggt bnp ntprobnp egfr hba1c
eur usd gbp chf jpy sek nok dkk pln goä goae ccam ops cpt icd ndc snomed loinc atc drg ebm gop ngap
urine urin orina serum sérum siero plasma edta citrate citrat citrato heparin li-hep sst naf blood
blut sang sangre sangue bloed liquor csf swab abstrich frottis hisopo tampone uitstrijk
""".split())

CALENDAR_WORDS = frozenset("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday today""".split())
TITLE = (r"(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|hr|fr|mme|mlle|me|pr|señor|señora|sr|sra|"
         r"srta|don|doña|dña|dra|sig|sig\.ra|sig\.na|dott|dott\.ssa|prof\.ssa|avv|ing|dhr|mevr|mw|"
         r"de\s+heer|mevrouw|meneer|monsieur|madame|signora|signor|signore)")
# People's roles in six languages: a name follows them ("triage nurse: jansen", "gez. Weber").
ROLE = (r"nurse|triage\s+nurse|charge\s+nurse|staff\s+nurse|sn|vpk|rn|physician|doctor|surgeon|resident|consultant|registrar|"
        r"gp|clinician|author|provider|caller|agent|advisor|adviser|officer|handler|teller|banker|"
        r"relationship\s+manager|account\s+manager|case\s+manager|pharmacist|therapist|midwife|"
        r"paramedic|interpreter|social\s+worker|witness|operator|reporter|radiologist|pathologist|"
        r"anaesthetist|anesthetist|emergency\s+contact|nok|spouse|guardian|holder|applicant|borrower|"
        r"co-?borrower|valuer|appraiser|notary|employer|landlord|tenant|sender|recipient|debtor|creditor|"
        r"ordering\s+provider|referring\s+physician|primary\s+care|pcp|"
        r"pflegekraft|pfleger|pflegerin|schwester|pfleger|arzt|ärztin|oberarzt|oberärztin|stationsarzt|"
        r"assistenzarzt|assistenzärztin|hausarzt|hausärztin|sachbearbeiter|sachbearbeiterin|berater|"
        r"beraterin|kundenberater|kundenberaterin|ansprechpartner|ansprechpartnerin|bediener|"
        r"bedienerin|kontoinhaber|kontoinhaberin|inhaber|inhaberin|versicherte|versicherter|"
        r"angehörige|angehöriger|ehefrau|ehemann|tochter|sohn|mutter|vater|betreuer|betreuerin|"
        r"infirmier|infirmière|infirmiere|ide|médecin|medecin|interne|chirurgien|conseiller|conseillère|"
        r"gestionnaire|titulaire|bénéficiaire|beneficiaire|épouse|époux|fille|fils|mère|père|"
        r"enfermero|enfermera|médico|médica|medico|cirujano|cirujana|gestor|gestora|asesor|asesora|"
        r"titular|beneficiario|beneficiaria|esposa|esposo|hija|hijo|madre|padre|"
        r"infermiere|infermiera|chirurgo|consulente|gestore|titolare|moglie|marito|figlia|figlio|"
        r"verpleegkundige|verpleger|arts|chirurg|huisarts|behandelaar|adviseur|rekeninghouder|"
        r"begunstigde|echtgenote|echtgenoot|dochter|zoon|moeder|vader|contactpersoon|kredietnemer|"
        r"kreditnehmer|emprunteur|prestatario|mutuatario|aanvrager|antragsteller|demandeur|solicitante|"
        r"richiedente|assistito|assistita|assicurato|assicurata|zuweiser|prescrittore|prescripteur|"
        r"verordner|voorschrijver|prescriptor|enf\.?|dott\.?|pat\.?")
NAME_LABEL = (r"name|names|given\s+names?|vornamen?|voornamen?|prénoms?|nombres?|nomi|apellidos,\s+nombre|"
              r"besatzung|bemanning|crew|équipage|equipaggio|tripulación|dotación|team|"
              r"full\s+name|first\s+name|last\s+name|surname|given\s+name|patient\s+name|"
              r"customer\s+name|account\s+name|beneficiary\s+name|"
              r"vorname|nachname|familienname|zuname|nom|prénom|prenom|nom\s+de\s+famille|nombre|"
              r"apellidos?|nome|cognome|naam|voornaam|achternaam|roepnaam|patient|patientin|patiente|"
              r"paciente|paziente|patiënt|kunde|kundin|client|cliente|klant|customer|beneficiary|"
              r"payee|payer|remitter|ordering\s+party|debtor|creditor|cardholder|account\s+holder")
SIGNED = (r"signed(?:\s+off)?(?:\s+by)?|reviewed\s+by|verified\s+by|authori[sz]ed\s+by|approved\s+by|"
          r"entered\s+by|dictated\s+by|transcribed\s+by|prepared\s+by|completed\s+by|requested\s+by|"
          r"reported\s+by|performed\s+by|cosigned(?:\s+by)?|handled\s+by|processed\s+by|"
          r"unterschrieben\s+von|unterzeichnet\s+von|gez\.|gezeichnet|erstellt\s+von|geprüft\s+von|"
          r"signé\s+par|validé\s+par|rédigé\s+par|redige\s+par|vu\s+par|"
          r"firmado\s+por|revisado\s+por|atendido\s+por|elaborado\s+por|"
          r"firmato\s+da|redatto\s+da|refertato\s+da|visto\s+da|compilato\s+da|"
          r"getekend\s+door|ondertekend\s+door|opgesteld\s+door|gezien\s+door|"
          r"my\s+name\s+is|ich\s+heiße|je\s+m'appelle|me\s+llamo|mi\s+chiamo|ik\s+heet|mijn\s+naam\s+is|"
          r"known\s+as|aka|goes\s+by|called|genannt|dit|dite|llamado|llamada|detto|detta|genaamd|"
          r"speaking\s+(?:to|with)|through\s+to|passed\s+to(?:\s+(?:tl|team\s+leader|supervisor))?|"
          r"spreekt\s+met|sprechen\s+mit|parla\s+con|habla\s+con|transmis\s+(?:à|au)(?:\s+re)?|"
          r"vertritt|remplace|sustituye\s+a|sostituisce|vervangt|covering\s+for|"
          r"(?:opened|closed|abierto|abierta|cerrado|cerrada|aperto|aperta|chiuso|chiusa|ouvert|ouverte|"
          r"clôturé|clôturée|geopend|gesloten|eröffnet|geschlossen)\s+(?:by|por|da|par|door|von)|"
          r"(?:naar|au|to|an|al|a)\s+(?:tl|re)|"
          r"(?:bed|bett|lit|cama|letto|kamer|zimmer|box)\s*\d{1,3}[a-z]?\s*[:\-]")
STRONG_CUE = (rf"re\s*:|(?:{NAME_LABEL})\s*[:=|]|(?:{ROLE})\s*[:=|]|{SIGNED}|dear|hi|hello|hallo|bonjour|"
              r"hola|ciao|buongiorno|beste|geachte|liebe|lieber|sehr\s+geehrte[r]?|estimado|estimada|"
              r"gentile|caro|cara|cher|chère|attn\s*[:.]?|contact\s*[:=]|next\s+of\s+kin\s*[:=]?|"
              r"guarantor\s*[:=]|referred\s+by|seen\s+by|attending\s*[:=]|"
              rf"{TITLE}\.?")
WEAK_CUE = (rf"patient|patientin|patiente|paciente|paziente|patiënt|customer|client|cliente|klant|kunde|"
            r"kundin|member|beneficiary|payee|remitter|applicant|insured|results\s+for|regards\s*,|"
            r"sincerely\s*,|thanks\s*,|thank\s+you\s*,|best\s*,|cordialement\s*,|"
            r"mit\s+freundlichen\s+grüßen\s*,?|saludos\s*,|cordiali\s+saluti\s*,?|met\s+vriendelijke\s+groet\s*,?|"
            r"daughter|son|wife|husband|mother|father|sister|brother|spouse|partner|"
            r"this\s+is|i\s+am|i'm|ich\s+bin|je\s+suis|soy|sono|ik\s+ben|hier\s+ist|hier|c'est|ici|"
            r"aquí|qui|hier\s+is|met|grazie\s*,|danke\s*,|merci\s*,|gracias\s*,|bedankt\s*,|"
            r"groeten\s*,|saluti\s*,|saludos\s*,|cheers\s*,|kind\s+regards\s*,|best\s+regards\s*,|"
            r"viele\s+grüße\s*,|liebe\s+grüße\s*,|bien\s+à\s+vous\s*,|un\s+saludo\s*,|"
            r"virement(?:\s+permanent)?(?:\s+(?:à|de|a))?|overboeking\s+(?:naar|van)|"
            r"überweisung\s+(?:an|von)|transfer\s+(?:to|from)|payment\s+(?:to|from)|"
            r"bonifico\s+(?:a|da)|transferencia\s+(?:a|de)|pago\s+a|lastschrift|"
            r"\w+(?:ed|en|é|ée|ado|ada|ido|ida|ato|ata|ito|ita)\s+(?:by|von|par|por|da|door|aan|an|à|a)|aan|"
            rf"grandson|granddaughter|caregiver|carer|{ROLE}")
PLACE_CUE = (r"lives\s+in|living\s+in|resides\s+in|resident\s+of|moved\s+to|moved\s+from|born\s+in|"
             r"was\s+in|were\s+in|travell?ing\s+to|travell?ed\s+to|visiting|home\s+in|based\s+in")
WORD = r"[^\W\d_][\w'’-]*"
CAP_WORD = r"(?-i:\p{Lu})[\w'’-]*"
STRONG_NAME = re.compile(rf"(?<=\b(?:{STRONG_CUE})(?:\s*[:=,])?\s+)(?P<name>{WORD}(?:[ \t]+{WORD}){{0,2}})",
                         re.IGNORECASE)
WEAK_NAME = re.compile(rf"(?<=\b(?:{WEAK_CUE})\s+)(?P<name>{CAP_WORD}(?:[ \t]+{CAP_WORD}){{0,2}})",
                       re.IGNORECASE)
INITIAL_NAME = re.compile(r"(?<![\w./])(?P<name>(?-i:\p{Lu})\.(?:\s?(?-i:\p{Lu})\.)?\s+(?-i:\p{Lu}[\p{L}'’-]+)"
                          r"(?:['’]s)?)\b")
# "Smith, John," at the start of a line: the usual name column of exported lists and forms.
LIST_NAME = re.compile(r"^(?P<name>(?-i:\p{Lu}[\p{L}'’-]+),[ \t](?-i:\p{Lu}[\p{L}'’-]+))(?=,|[ \t]*$)",
                       re.MULTILINE)
# "MCALLISTER, E.", "LE GOFF, J.", "CIFUENTES SANTAMARÍA, I.": a capitalised surname, a comma, an initial.
CAPS_INITIAL = re.compile(r"(?<![\w'’-])(?P<name>(?-i:(?:\p{Lu}{2}[ ])?\p{Lu}[\p{Lu}'’-]{2,}(?:[ ]\p{Lu}[\p{Lu}'’-]+){0,2},[ \t]?\p{Lu}\.))"
                          r"(?![\w])")
PLACE = re.compile(rf"(?<=\b(?:{PLACE_CUE})\s+)(?P<name>{CAP_WORD}(?:[ \t]+{CAP_WORD}){{0,2}})",
                   re.IGNORECASE)
FIELD_NAME = re.compile(
    rf"(?<![\w])(?:{NAME_LABEL})(?:\s*\((?:n|s|es|i|en)\))?[ \t]*(?:[:=|\t]|\.{{2,}})[ \t.:]*"
    rf"(?P<name>{WORD}(?:(?:[ \t]+|[ \t]*[/&][ \t]*){WORD}){{0,3}})", re.IGNORECASE)
SPELLED = re.compile(r"(?<![\w-])(?P<name>(?:\p{Lu}-){3,}\p{Lu})(?![\w-])")
SPEAKER = re.compile(r"<(?P<name>\p{Lu}[\p{L}'’-]+(?:[ _]\p{Lu}[\p{L}'’-]+)?)>"
                     r"|(?<=\d{1,2}[:.]\d{2}\s+-\s+)(?P<name2>\p{Lu}[\p{L}'’-]+)(?=\s+-\s)")
# A name right before an age and sex ("RAMSBOTTOM G 90F", "Le Goff B. 96/F", "TIEDEMANN G  99 Jahre"):
# bed lists, census lines and specimen labels put the patient there.
NAME_TOKEN_SHAPE = r"(?:(?-i:\p{Lu}[\p{Lu}'’-]+|\p{Lu}[\p{Ll}'’-]+|\p{Lu}\.?)|(?:de|van|von|der|den|di|da|del|le|la|lo))"
NAME_BEFORE_AGE = re.compile(
    rf"(?<![\w.])(?P<name>{NAME_TOKEN_SHAPE}(?:,?[ ]{NAME_TOKEN_SHAPE}){{0,3}})[ \t]{{1,4}}"
    rf"(?=(?:\d{{1,3}}[ ]?/?[ ]?(?-i:[MFWHVmfwhv])\b|\d{{1,3}}[ ](?:jahre|ans|años|anni|jaar|years|yrs|y)\b|age[ ]\d))",
    re.IGNORECASE)
# Initials after a verb of handling ("by GH", "par CB", "door WS", "von FG"): a member of staff.
HANDLED_INITIALS = re.compile(
    r"(?<=\b(?:by|par|door|von|da|por|durch|from|de|geprüft|kontrolliert|checked|visto|vu|gecontroleerd)"
    r":?[ ])(?P<name>(?-i:\p{Lu}{2,3}))(?=[ \t]*(?:$|[,;.)]))",
    re.IGNORECASE | re.MULTILINE)
# Dictation marks: the author's and the typist's initials ("Dictated by: RH/sp", "Diktat: FS/mj").
DICTATION = re.compile(r"(?<=\b(?:dictated\s+by|typed\s+by|diktat|diktiert|dicté\s+par|dictado\s+por|"
                       r"dettato\s+da|gedicteerd\s+door|ref)\s*:?\s*)(?P<a>\p{L}{2,3})/(?P<b>\p{L}{2,3})\b",
                       re.IGNORECASE)
# An initials key: "Key: DG = D. Gallagher; FF = F. Featherstone" — the initials stand for the name.
KEY_INITIALS = re.compile(r"(?<![\w])(\p{Lu}{2,3})[ \t]*[=:][ \t]*$")
NOT_INITIALS = frozenset("""IV IM SC PO SL NG CT MR MRI ECG EKG EEG GP ED ER ICU NHS OP OR PET USG US
RX TX DX HX SMS TEL FAX API PDF EUR USD GBP CHF SEPA BIC MT AM PM UTC CET CEST GMT NN PEG SNG VO EV""".split())
USER_ID = re.compile(r"(?<![\w.@])(?P<name>[a-z]{2,}\.[a-z]{2,}(?:[._-][a-z]+)?)(?![\w@.]|\.\w)")
# A login after an operator or user label ("OPER gwhitfield", "user=mgrunewald"): a person's id.
LOGIN = re.compile(r"(?<=\b(?:oper|operator|opérateur|operador|operatore|bediener|user|usr|login|benutzer|"
                   r"utente|usuario|gebruiker)[ \t]*[:=]?[ \t]+)(?P<name>(?-i:[a-z][a-z0-9]{4,29}))\b(?![.@])",
                   re.IGNORECASE)
# A surname before a staff grade in parentheses ("Rückruf 7331 Zimmermann (reg)", "Visser (FY1)").
BEFORE_GRADE = re.compile(r"(?<![\w'’-])(?P<name>(?-i:\p{Lu}[\p{Ll}'’]{2,}(?:-\p{Lu}?[\p{Ll}'’]+)*))(?=[ \t]*\((?:reg|fy1|fy2|sho|spr|st[1-8]|ct[1-3]|"
                          r"pj|aa|oa|fa|int\.?|res|resident|registrar|cons|iade|ide|mir|fea|spec\.?|"
                          r"specializzando|aios|anios|arts|médecin|interne|assistent|assistenzarzt|"
                          r"filiale|agence|agencia|agenzia|kantoor|branch|office|sucursal|oficina|bureau)\))",
                          re.IGNORECASE)
TITLE_WORD = re.compile(rf"{TITLE}\.?", re.IGNORECASE)
INITIAL = re.compile(r"\p{Lu}\.")
INITIAL_END = re.compile(r"(?:^|\s)\p{L}\.$")
POSSESSIVE = re.compile(r"['’]s?$")
CELL_GAP = re.compile(r"  |\t")
LIKELY_NOT_NAME = re.compile(r"(?:ing|ed|ly)$")


# Specialties and care units ("Kardiologie", "Neumología", "Hartbewaking"): ward words, not names.
SPECIALTY = re.compile(r"(?:olog(?:ie|ia|ía|y|e)|iatr(?:ie|ia|ía|y|ics)|chirurgie|chirurgia|cirugía|"
                       r"surgery|medizin|médecine|medicina|geneeskunde|bewaking|pflege|ambulanz|"
                       r"intensiv|station|abteilung|afdeling)$")


def _is_non_name(word: str) -> bool:
    if INITIAL.fullmatch(word):
        return False  # "A." is an initial, not the article
    bare = POSSESSIVE.sub("", word).rstrip(".,;:").lower()
    return bare in ALL_STOP or bare in NOT_NAMES or TITLE_WORD.fullmatch(bare) is not None \
        or SPECIALTY.search(bare) is not None


ROLE_WORDS = frozenset(w for w in re.findall(r"[^\W\d_]+", ROLE.replace("\\s+", " ")) if len(w) > 2)


def _name_end(text: str, match) -> int | None:
    """Where a cued name ends: before the first word that cannot continue it."""
    start, end, first_capitalised = match.start("name"), None, False
    name, previous_end = match.group("name"), None
    for i, word_match in enumerate(NAME_PART.finditer(name)):
        word = word_match.group()
        if previous_end is not None and CELL_GAP.search(name[previous_end:word_match.start()]):
            break  # two spaces or a tab: the next column of a form or table
        previous_end = word_match.end()
        if _is_non_name(word) or word.lower().strip(".,:;") in ROLE_WORDS:
            break
        if i == 0:
            first_capitalised = word[0].isupper()
        elif first_capitalised and not word[0].isupper():
            break  # "Dr. Patel reviewed": a capitalised name continues capitalised
        elif not first_capitalised and LIKELY_NOT_NAME.search(word.lower()):
            break  # "john smith calling": a lowercase verb ends it
        end = start + word_match.end()
        if POSSESSIVE.sub("", word) != word:
            break  # "smith's": the name ends here
    return end


class NameCueRecognizer(EntityRecognizer):
    """Names announced by a title or a cue phrase, initials, and places after "lives in"."""

    def __init__(self):
        super().__init__(supported_entities=["PERSON", "LOCATION"], name="privatune_name_cues")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for match in SPELLED.finditer(text):
            results.append(make_result(self, "PERSON", match.start(), match.end(), 0.6))
        for match in SPEAKER.finditer(text):
            group = "name" if match.group("name") else "name2"
            if not _is_non_name(match.group(group)) and match.group(group).lower() not in ROLE_WORDS:
                results.append(make_result(self, "PERSON", match.start(group), match.end(group), 0.6))
        for match in NAME_BEFORE_AGE.finditer(text):
            words = [w for w in COMMA_OR_SPACE.split(match.group("name")) if w]
            while words and (_is_non_name(words[0]) and not INITIAL.fullmatch(words[0])):
                words.pop(0)
            if any(len(w.strip(".")) >= 3 and not _is_non_name(w) for w in words):
                start = match.start("name") + match.group("name").find(words[0])
                results.append(make_result(self, "PERSON", start, match.end("name"), 0.6))
        for match in DICTATION.finditer(text):
            for group in ("a", "b"):
                results.append(make_result(self, "PERSON", match.start(group), match.end(group), 0.6))
        for match in HANDLED_INITIALS.finditer(text):
            if match.group("name") not in NOT_INITIALS:
                results.append(make_result(self, "PERSON", match.start("name"), match.end("name"), 0.6))
        for pattern in (LOGIN, BEFORE_GRADE, CAPS_INITIAL):
            for match in pattern.finditer(text):
                if not _is_non_name(match.group("name").split(",")[0].split()[-1]):
                    results.append(make_result(self, "PERSON", match.start("name"), match.end("name"), 0.6))
        for match in USER_ID.finditer(text):  # first.last user ids of logs
            first = match.group("name").split(".")[0]
            if first in gazetteer.GIVEN or first in gazetteer.SURNAMES:
                results.append(make_result(self, "PERSON", match.start(), match.end(), 0.6))
        for pattern, entity, score in ((STRONG_NAME, "PERSON", 0.7), (FIELD_NAME, "PERSON", 0.7),
                                       (WEAK_NAME, "PERSON", 0.6),
                                       (INITIAL_NAME, "PERSON", 0.6), (LIST_NAME, "PERSON", 0.5),
                                       (PLACE, "LOCATION", 0.6)):
            if entity not in entities:
                continue
            # overlapped: "Dear Dr Fairbairn" fails as a name after "Dear", then succeeds after "Dr"
            for match in pattern.finditer(text, overlapped=True):
                end = _name_end(text, match)
                if end is not None:
                    results.append(make_result(self, entity, match.start("name"), end, score))
        return results


CELL = re.compile(r"[^\s|;]+(?:[ ][^\s|;]+)*")  # words joined by single spaces: one cell


def drop_non_names(text: str, results: list, allow: frozenset[str]) -> list:
    """Trim PERSON / LOCATION hits to their name words; drop those that cannot be one.

    Trimmed, not dropped: NER often runs a name into the next line ("Klaus Fitzgerald\nRouting"),
    and Presidio has already discarded the cue-word hit that the longer span contained.
    """
    kept = []
    for result in results:
        if result.entity_type not in ("PERSON", "LOCATION") or (
                (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) == "privatune_fields"
                and text[result.start:result.end].lower() not in allow):
            kept.append(result)  # a value in a name column or under a name key is a name
            continue
        for line in CELL.finditer(text[result.start:result.end]):  # lines, table cells
            trimmed = _trim(text, result.start + line.start(), result.start + line.end(),
                            result.entity_type, allow)
            if trimmed:
                kept.append(RecognizerResult(result.entity_type, *trimmed, result.score,
                                             result.analysis_explanation, result.recognition_metadata))
    return kept


FIELD_NAMES = frozenset(fields.PHRASES)  # "Indirizzo", "Telefon": a column or field name


def _vetoed(word: str, bare: list[str], allow: frozenset[str]) -> bool:
    """A word that makes a hit no name: a drug, a form or colour word ... unless it is a listed
    surname next to an initial, a particle or a listed given name ("F. Lo Bianco", "Maria Bianco")."""
    if word in allow:
        return True
    if word not in NOT_NAMES or len(word) <= 1:
        return False
    if word in gazetteer.SURNAMES:
        others = [w for w in bare if w != word]
        if others and all(len(w) <= 1 or w in PARTICLES or (w in gazetteer.GIVEN and w not in gazetteer.AMBIGUOUS)
                          for w in others):
            return False
    return True


def _trim(text: str, start: int, end: int, entity: str, allow: frozenset[str]) -> tuple[int, int] | None:
    words = [(start + m.start(), start + m.end(), m.group()) for m in NON_SPACE.finditer(text[start:end])]
    all_bare = [POSSESSIVE.sub("", w).strip(".,;:()").lower() for _, _, w in words]
    protected = {w for w in all_bare if w in NOT_NAMES and not _vetoed(w, all_bare, allow)}
    edge = lambda w: (_is_non_name(w) and POSSESSIVE.sub("", w).strip(".,;:()").lower()  # noqa: E731
                      not in protected) or any(ch.isdigit() for ch in w)
    while words and edge(words[0][2]) and not (len(words) > 1 and words[0][2][:1].isupper()
                                               and words[0][2].lower() in PARTICLES):
        words.pop(0)  # "Lo Bianco", "De Vries": a capitalised particle starts a surname
    while words and edge(words[-1][2]):
        words.pop()
    bare = [POSSESSIVE.sub("", w).strip(".,;:()").lower() for _, _, w in words]
    if not words or any(ch.isdigit() for _, _, w in words for ch in w) \
            or any(_vetoed(w, bare, allow) for w in bare) or all(len(w) <= 1 for w in bare) \
            or (entity == "LOCATION" and all(w in CALENDAR_WORDS for w in bare)) \
            or tuple(bare) in FIELD_NAMES or _abbreviation(text[words[0][0]:words[-1][1]]):
        return None
    start, end = words[0][0], words[-1][1]
    span = text[start:end].rstrip(",;:()")
    if span.endswith(".") and not INITIAL_END.search(span):
        span = span[:-1]  # a sentence's full stop, not the dot of an initial ("A.")
    return start, start + len(span)


def _abbreviation(span: str) -> bool:
    """A unit or route NER took for a name: "g/dL", "s.c", "mmol/L"."""
    return any(UNIT.fullmatch(w) for w in span.split()) or (
        sum(ch.isalpha() for ch in span) <= 3 and "." in span.strip(".") and not any(ch.isupper() for ch in span))


UNIT = re.compile(r"\p{L}{1,5}/\p{L}{1,5}")


def _name_words(span: str) -> list[str]:
    """The words of a found name worth searching for elsewhere (not titles, not stop words)."""
    return [POSSESSIVE.sub("", w) for w in re.findall(WORD, span)
            if len(POSSESSIVE.sub("", w)) >= 3 and not _is_non_name(w)]


WORD_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
WORD_PART = re.compile(r"[^\W\d_]+")


PAREN_INITIALS = re.compile(r"[ \t]*\((\p{Lu}{2,3})\)")


def propagate_names(text: str, results: list) -> list:
    """Add every other mention (any case, possessive too) of the words of each found name."""
    words = {w.lower() for r in results if r.entity_type == "PERSON"
             for w in _name_words(text[r.start:r.end])}
    if not words:
        return results
    initials = set()
    for r in results:
        if r.entity_type == "PERSON":
            after = PAREN_INITIALS.match(text, r.end)
            if after:
                letters = "".join(w[0] for w in WORD_TOKEN.findall(text[r.start:r.end])
                                  if w[0].isupper())
                if after.group(1) in (letters, letters[:1] + letters[-1:]):
                    initials.add(after.group(1))  # "Koen de Vries (KV)": the person's initials
            key = KEY_INITIALS.search(text, max(0, r.start - 8), r.start)
            if key and key.group(1) not in NOT_INITIALS:
                initials.add(key.group(1))  # "DG = D. Gallagher": DG in the sign column is this person
    # One pass over the words of the text (no regex compiled per record): whole words, and the
    # parts of hyphenated or apostrophed ones ("Dubois-Marchal", "O'Donnell's").
    extra = []
    for match in WORD_TOKEN.finditer(text):
        token = match.group()
        bare = POSSESSIVE.sub("", token)
        if bare in initials or bare.lower() in words:
            extra.append(RecognizerResult("PERSON", match.start(), match.end(), 0.6))
        elif "-" in token or "'" in token or "’" in token:
            for part in WORD_PART.finditer(token):
                if part.group().lower() in words:
                    extra.append(RecognizerResult("PERSON", match.start() + part.start(),
                                                  match.start() + part.end(), 0.6))
    return results + extra


PARTICLES = frozenset("van von der den de del della di da du des dos das le la lo li ten ter zu mc mac o' d'".split())
NAME_TOKEN = re.compile(r"[\p{L}][\p{L}'’-]*")


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "upper"
    if word[0].isupper():
        return "title"
    return "lower"


def _unknown_given(text: str, previous, start: int) -> bool:
    p_start, p_end, word = previous
    return (text[p_end:start] == " " and _shape(word) == "title" and len(word) >= 2
            and not _is_non_name(word) and word.lower().strip(".") not in ROLE_WORDS
            and not TITLE_WORD.fullmatch(word.lower()))


def _given_after_comma(text: str, words: list, j: int):
    """"BROUWER, Mie" / "Hartmann, Jürgen": a capitalised given name after a surname and a comma."""
    if j + 1 >= len(words) or text[words[j][1]:words[j + 1][0]] not in (", ", ","):
        return None
    nxt = words[j + 1][2]
    if _shape(nxt) == "lower" or _is_non_name(nxt) or len(nxt) < 2:
        return None
    if nxt.lower() in gazetteer.GIVEN or _shape(words[j][2]) == "upper":
        return j + 1, words[j + 1][1]
    return None


def _initial_after(text: str, words: list, j: int):
    """"Abernethy D.", "O'Donnell K.": a listed surname followed by an initial."""
    if j + 1 < len(words):
        n_start, n_end, nxt = words[j + 1]
        if len(nxt) == 1 and nxt.isupper() and text[words[j][1]:n_start] == " " \
                and text[n_end:n_end + 1] == "." and not text[n_end + 1:n_end + 2].isalpha():
            return j + 1, n_end + 1
    return None


def _initials_before(text: str, words: list, i: int, start: int) -> int:
    """Where a name starting at word i really starts: over capitalised particles ("Lo Bianco",
    "De Vries") and an initial ("F. Lo Bianco", "V Greco", "H. Kessler") right before it."""
    k = i - 1
    while k >= 0 and words[k][2].lower() in PARTICLES and words[k][2][0].isupper() \
            and text[words[k][1]:words[k + 1][0]] == " ":
        start, k = words[k][0], k - 1
    if k >= 0 and len(words[k][2]) == 1 and words[k][2].isupper() \
            and text[words[k][1]:start] in (" ", ". ", ".") \
            and (words[k][0] == 0 or not text[words[k][0] - 1].isalnum()):
        start = words[k][0]
    return start


class NameListRecognizer(EntityRecognizer):
    """People from the name lists (gazetteer.py), guarded against ordinary words:

    - a listed given name followed by a capitalised word or a listed surname ("Jürgen Hartmann",
      "MARIA GARCIA", lowercase "maria garcia" when both are listed), with particles ("van der");
    - "Surname, Given" / "SURNAME Given" with both parts plausible;
    - a listed given or surname alone when it is not also an ordinary word (gazetteer.AMBIGUOUS).
    """

    def __init__(self):
        super().__init__(supported_entities=["PERSON"], name="privatune_name_lists")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        words = [(m.start(), m.end(), m.group()) for m in NAME_TOKEN.finditer(text)]
        results, i = [], 0
        while i < len(words):
            start, end, word = words[i]
            bare = POSSESSIVE.sub("", word).lower()
            shape = _shape(word)
            if bare in gazetteer.SURNAMES and bare not in gazetteer.AMBIGUOUS and shape != "lower" \
                    and i > 0 and _unknown_given(text, words[i - 1], start):
                start = words[i - 1][0]  # "Amara Mensah": an unlisted given name before a listed surname
            if bare not in gazetteer.GIVEN and bare not in gazetteer.SURNAMES:
                comma = _given_after_comma(text, words, i) if shape == "upper" and len(bare) >= 3 \
                    and not _is_non_name(word) else None
                if comma:
                    results.append(make_result(self, "PERSON", start, comma[1], 0.55))
                i += 1
                continue
            j, last_end = i, end
            while j + 1 < len(words):  # extend over the following name words on the same line
                n_start, n_end, nxt = words[j + 1]
                gap = text[last_end:n_start]
                n_bare = POSSESSIVE.sub("", nxt).lower()
                if "\n" in gap or len(gap) > 3 or gap.strip(" ,") != "":
                    break
                listed = n_bare in gazetteer.SURNAMES or n_bare in gazetteer.GIVEN
                if n_bare in PARTICLES:  # "van der Berg": particles join only a capitalised word
                    k = j + 1
                    while k < len(words) and words[k][2].lower() in PARTICLES:
                        k += 1
                    if k < len(words) and _shape(words[k][2]) != "lower" and "\n" not in text[n_start:words[k][0]]:
                        j, last_end = k, words[k][1]
                        continue
                    break
                if "," in gap and not (listed and bare in gazetteer.SURNAMES):
                    break
                if _is_non_name(nxt) and not listed:
                    break
                if shape == "lower" and not (_shape(nxt) == "lower" and (listed or (
                        bare in gazetteer.GIVEN and bare not in gazetteer.AMBIGUOUS and len(n_bare) >= 3))):
                    break
                if shape != "lower" and _shape(nxt) == "lower":
                    break
                if not listed and (bare not in gazetteer.GIVEN or bare in gazetteer.AMBIGUOUS):
                    break
                j += 1
                last_end = n_end
            comma = _given_after_comma(text, words, j) if (bare in gazetteer.SURNAMES or shape == "upper") else None
            if comma:
                j, last_end = comma
            initial = _initial_after(text, words, j) if bare in gazetteer.SURNAMES else None
            if initial:
                j, last_end = initial
            if j > i:
                results.append(make_result(self, "PERSON", _initials_before(text, words, i, start),
                                           last_end, 0.6))
            elif shape != "lower" and bare in gazetteer.SURNAMES and _initials_before(text, words, i, start) < start:
                results.append(make_result(self, "PERSON", _initials_before(text, words, i, start), end, 0.6))
            elif shape != "lower" and bare not in gazetteer.AMBIGUOUS and not _is_non_name(word) \
                    and len(bare) >= (4 if shape == "upper" else 3):  # "BEN", "SHA": codes
                results.append(make_result(self, "PERSON", start, end, 0.45))
            i = j + 1
        return results
