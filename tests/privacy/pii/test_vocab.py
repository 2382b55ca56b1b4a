"""vocab.alternation: one trie regex that matches as the plain longest-first alternation does."""

import regex as re

from privatune.privacy.pii import vocab


def plain(words: str) -> str:
    parts = sorted({w.strip() for w in words.split("|") if w.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s.\-/]*").replace(r"\.", r"\.?")
                            for w in parts) + ")"


def test_trie_matches_like_the_longest_first_alternation():
    words = vocab.LABELS["MEDICAL_RECORD_NUMBER"] + "|" + vocab.LABELS["BANK_ACCOUNT"]
    trie, naive = (re.compile(rf"\b{p}\b", re.IGNORECASE) for p in (vocab.alternation(words), plain(words)))
    texts = ["Pat.-Nr. 1234", "Patientennummer: 55", "patient no 7", "n° de dossier 8", "Fall-Nr 9",
             "Kontonummer 1", "Kto.-Nr 2", "a/c 3", "numéro de séjour 4", "historia clínica 5", "ZIS-nr 6"]
    for text in texts:
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in naive.finditer(text)], text
    assert len(vocab.alternation(words)) < len(plain(words))  # shared prefixes are written once


def test_alternation_is_the_same_in_every_process():
    assert vocab.alternation("b | a | ab") == vocab.alternation("ab | a | b")
