"""Person names beyond what NER sees: lowercase names after cues, repeats, possessives.

A small spaCy model finds capitalised names in prose but misses "my name is john smith", a second
mention in lower case, and "smith's". Three cheap steps close that gap:
1. cue words ("Mr", "Dr", "name:", "my name is", "Dear") mark the next one to three words as a name;
2. every word of a name found anywhere in a record is removed everywhere in that record;
3. words that are never names here (drug names, clinical words) are dropped from PERSON hits,
   which NER produces for drugs such as "Lisinopril".
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from privatune.privacy.pii.recognizers import make_result

# Words NER often calls people in clinical and banking text. Extend per institution: allow_list.
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
hba1c tsh ldl hdl egfr bmp cbc bid tid qid prn qhs po iv im sc icd cpt mg mcg ml
""".split())

TITLE = r"(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle|señor|señora|sr|sra)"
CUE = (r"(?:(?<=\b(?:my\s+name\s+is|name\s*[:=]|patient\s*[:=]|customer\s*[:=]|client\s*[:=]|"
       r"account\s+holder\s*[:=]?|cardholder\s*[:=]?|signed\s*[:,]?|regards\s*,|sincerely\s*,|"
       r"dear|hi|hello|attn\s*[:.]?|contact\s*[:=]|next\s+of\s+kin\s*[:=]?|"
       r"guarantor\s*[:=]|referred\s+by|seen\s+by|attending\s*[:=]?)\s+)"
       rf"|(?<=\b{TITLE}\.?\s+))")
WORD = r"[^\W\d_][\w'’-]*"
AFTER_TITLE = re.compile(rf"\b{TITLE}\.?\s+$", re.IGNORECASE)
CUE_NAME = re.compile(rf"{CUE}(?P<name>{WORD}(?:[ \t]+{WORD}){{0,2}})", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s?$")
LIKELY_NOT_NAME = re.compile(r"(?:ing|ed|ly)$")


def _name_words(span: str) -> list[str]:
    """The words of a found name worth searching for elsewhere (not titles, not stop words)."""
    words = []
    for word in re.findall(r"[^\W\d_][\w'’-]*", span):
        word = POSSESSIVE.sub("", word)
        lowered = word.lower()
        if len(word) >= 3 and lowered not in STOP_WORDS and lowered not in NOT_NAMES \
                and not re.fullmatch(TITLE, lowered):
            words.append(word)
    return words


class NameCueRecognizer(EntityRecognizer):
    """Names announced by a title or a cue phrase, in any case."""

    def __init__(self):
        super().__init__(supported_entities=["PERSON"], name="privatune_name_cues")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for match in CUE_NAME.finditer(text):
            end = self._name_end(text, match)
            if end is not None:
                results.append(make_result(self, "PERSON", match.start("name"), end, 0.7))
        return results


    @staticmethod
    def _name_end(text: str, match) -> int | None:
        """Where the announced name ends: at the first word that cannot continue it."""
        start, end, first_capitalised = match.start("name"), None, None
        after_title = AFTER_TITLE.search(text[max(0, start - 12):start]) is not None
        for i, word_match in enumerate(re.finditer(r"\S+", match.group("name"))):
            word = word_match.group()
            bare = POSSESSIVE.sub("", word).lower()
            if bare in STOP_WORDS or bare in NOT_NAMES:
                break
            if i == 0:
                first_capitalised = word[0].isupper()
            elif first_capitalised and not word[0].isupper():
                break  # "Dr. Patel reviewed": capitalised names continue capitalised
            elif not first_capitalised and (after_title or LIKELY_NOT_NAME.search(bare)):
                break  # "dr patel reviewed", "john smith calling": a lowercase verb ends it
            end = start + word_match.end()
            if bare != word.lower():
                break  # "smith's": the name ends here
        return end


def drop_non_names(text: str, results: list, allow: frozenset[str]) -> list:
    """Drop PERSON hits made only of known non-name words (drugs, lab tests, the allow list)."""
    kept = []
    for result in results:
        if result.entity_type == "PERSON":
            words = [POSSESSIVE.sub("", w).lower() for w in text[result.start:result.end].split()]
            if words and all(w in NOT_NAMES or w in allow for w in words):
                continue
        kept.append(result)
    return kept


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
