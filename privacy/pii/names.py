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
from spacy.lang.en.stop_words import STOP_WORDS

from privatune.privacy.pii.recognizers import make_result

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
""".split())

CALENDAR_WORDS = frozenset("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday today""".split())
TITLE = r"(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle|señor|señora|sr|sra)"
STRONG_CUE = (r"my\s+name\s+is|re\s*:|name\s*[:=]|patient\s*[:=]|account\s+holder\s*[:=]|cardholder\s*[:=]|"
              r"signed\s*[:,]?|dear|hi|hello|attn\s*[:.]?|contact\s*[:=]|next\s+of\s+kin\s*[:=]?|"
              r"guarantor\s*[:=]|referred\s+by|seen\s+by|attending\s*[:=]|beneficiary\s*[:=]|"
              rf"payee\s*[:=]|{TITLE}\.?")
WEAK_CUE = (r"patient|patientin|customer|client|member|beneficiary|payee|remitter|applicant|insured|"
            r"results\s+for|regards\s*,|sincerely\s*,|thanks\s*,|thank\s+you\s*,|best\s*,|"
            r"daughter|son|wife|husband|mother|father|sister|brother|spouse|partner|"
            r"grandson|granddaughter|caregiver|carer|nurse")
PLACE_CUE = (r"lives\s+in|living\s+in|resides\s+in|resident\s+of|moved\s+to|moved\s+from|born\s+in|"
             r"was\s+in|were\s+in|travell?ing\s+to|travell?ed\s+to|visiting|home\s+in|based\s+in")
WORD = r"[^\W\d_][\w'’-]*"
CAP_WORD = r"(?-i:\p{Lu})[\w'’-]*"
STRONG_NAME = re.compile(rf"(?<=\b(?:{STRONG_CUE})\s+)(?P<name>{WORD}(?:[ \t]+{WORD}){{0,2}})",
                         re.IGNORECASE)
WEAK_NAME = re.compile(rf"(?<=\b(?:{WEAK_CUE})\s+)(?P<name>{CAP_WORD}(?:[ \t]+{CAP_WORD}){{0,2}})",
                       re.IGNORECASE)
INITIAL_NAME = re.compile(r"(?<![\w./])(?P<name>(?-i:\p{Lu})\.(?:\s?(?-i:\p{Lu})\.)?\s+(?-i:\p{Lu}[\p{L}'’-]+)"
                          r"(?:['’]s)?)\b")
# "Smith, John," at the start of a line: the usual name column of exported lists and forms.
LIST_NAME = re.compile(r"^(?P<name>(?-i:\p{Lu}[\p{L}'’-]+),[ \t](?-i:\p{Lu}[\p{L}'’-]+))(?=,|[ \t]*$)",
                       re.MULTILINE)
PLACE = re.compile(rf"(?<=\b(?:{PLACE_CUE})\s+)(?P<name>{CAP_WORD}(?:[ \t]+{CAP_WORD}){{0,2}})",
                   re.IGNORECASE)
TITLE_WORD = re.compile(rf"{TITLE}\.?", re.IGNORECASE)
INITIAL = re.compile(r"\p{Lu}\.")
INITIAL_END = re.compile(r"(?:^|\s)\p{L}\.$")
POSSESSIVE = re.compile(r"['’]s?$")
LIKELY_NOT_NAME = re.compile(r"(?:ing|ed|ly)$")


def _is_non_name(word: str) -> bool:
    if INITIAL.fullmatch(word):
        return False  # "A." is an initial, not the article
    bare = POSSESSIVE.sub("", word).rstrip(".,;:").lower()
    return bare in STOP_WORDS or bare in NOT_NAMES or TITLE_WORD.fullmatch(bare) is not None


def _name_end(text: str, match) -> int | None:
    """Where a cued name ends: before the first word that cannot continue it."""
    start, end, first_capitalised = match.start("name"), None, False
    for i, word_match in enumerate(re.finditer(r"\S+", match.group("name"))):
        word = word_match.group()
        if _is_non_name(word):
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
        for pattern, entity, score in ((STRONG_NAME, "PERSON", 0.7), (WEAK_NAME, "PERSON", 0.6),
                                       (INITIAL_NAME, "PERSON", 0.6), (LIST_NAME, "PERSON", 0.5),
                                       (PLACE, "LOCATION", 0.6)):
            if entity not in entities:
                continue
            for match in pattern.finditer(text):
                end = _name_end(text, match)
                if end is not None:
                    results.append(make_result(self, entity, match.start("name"), end, score))
        return results


def drop_non_names(text: str, results: list, allow: frozenset[str]) -> list:
    """Trim PERSON / LOCATION hits to their name words; drop those that cannot be one.

    Trimmed, not dropped: NER often runs a name into the next line ("Klaus Fitzgerald\nRouting"),
    and Presidio has already discarded the cue-word hit that the longer span contained.
    """
    kept = []
    for result in results:
        if result.entity_type not in ("PERSON", "LOCATION"):
            kept.append(result)
            continue
        for line in re.finditer(r"[^\n]+", text[result.start:result.end]):
            trimmed = _trim(text, result.start + line.start(), result.start + line.end(),
                            result.entity_type, allow)
            if trimmed:
                kept.append(RecognizerResult(result.entity_type, *trimmed, result.score,
                                             result.analysis_explanation, result.recognition_metadata))
    return kept


def _trim(text: str, start: int, end: int, entity: str, allow: frozenset[str]) -> tuple[int, int] | None:
    words = [(start + m.start(), start + m.end(), m.group()) for m in re.finditer(r"\S+", text[start:end])]
    edge = lambda w: _is_non_name(w) or any(ch.isdigit() for ch in w)  # noqa: E731
    while words and edge(words[0][2]):
        words.pop(0)
    while words and edge(words[-1][2]):
        words.pop()
    bare = [POSSESSIVE.sub("", w).strip(".,;:()").lower() for _, _, w in words]
    if not words or any(ch.isdigit() for _, _, w in words for ch in w) \
            or any(w in NOT_NAMES or w in allow for w in bare) or all(len(w) <= 1 for w in bare) \
            or (entity == "LOCATION" and all(w in CALENDAR_WORDS for w in bare)):
        return None
    start, end = words[0][0], words[-1][1]
    span = text[start:end].rstrip(",;:()")
    if span.endswith(".") and not INITIAL_END.search(span):
        span = span[:-1]  # a sentence's full stop, not the dot of an initial ("A.")
    return start, start + len(span)


def _name_words(span: str) -> list[str]:
    """The words of a found name worth searching for elsewhere (not titles, not stop words)."""
    return [POSSESSIVE.sub("", w) for w in re.findall(WORD, span)
            if len(POSSESSIVE.sub("", w)) >= 3 and not _is_non_name(w)]


def propagate_names(text: str, results: list) -> list:
    """Add every other mention (any case, possessive too) of the words of each found name."""
    words = {w.lower() for r in results if r.entity_type == "PERSON"
             for w in _name_words(text[r.start:r.end])}
    if not words:
        return results
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                         + r")(?:['’]s)?\b", re.IGNORECASE)
    extra = [RecognizerResult("PERSON", m.start(), m.end(), 0.6) for m in pattern.finditer(text)]
    return results + extra
