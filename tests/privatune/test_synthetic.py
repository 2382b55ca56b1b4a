import collections
import json
import re

from privatune.synthetic import client_records, write_federation

PII_PATTERNS = {
    "ssn": r"\b\d{3}-\d{2}-\d{4}\b", "email": r"\b[\w.]+@[\w.]+\.\w+\b", "phone": r"\(\d{3}\) \d{3}-\d{4}",
    "mrn": r"MRN-\d{7}", "iban": r"\bDE\d{2}(?: \d{4}){4} \d{2}\b", "card": r"\b\d{4} \d{4} \d{4} \d{4}\b",
    "dob": r"\b\d{2}/\d{2}/\d{4}\b",
}


def test_same_seed_same_bytes_other_seed_other_records(tmp_path):
    a = write_federation(tmp_path / "a", 3, 20, seed=1)
    b = write_federation(tmp_path / "b", 3, 20, seed=1)
    c = write_federation(tmp_path / "c", 3, 20, seed=2)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert a[0].read_bytes() != c[0].read_bytes()
    assert all(json.loads(line)["text"] for line in a[1].read_text().splitlines())


def test_records_carry_every_kind_of_pii():
    texts = " ".join(r["text"] for client in range(4) for r in client_records(client, 200))
    for kind, pattern in PII_PATTERNS.items():
        assert re.search(pattern, texts), f"no {kind} in the synthetic records"


def test_clients_are_non_iid():
    styles = [collections.Counter(r["style"] for r in client_records(c, 300)) for c in range(4)]
    hospital, bank = set(styles[0]), set(styles[1])
    assert hospital.isdisjoint(bank)  # hospitals and banks write different documents
    share = [s.most_common(1)[0][1] / 300 for s in styles]
    assert max(share) > 0.4  # each institution has its own skewed mix, not a uniform one
    assert styles[0] != styles[2]  # two hospitals differ too
