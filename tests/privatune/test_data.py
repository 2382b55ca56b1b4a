import json

import pytest

from privatune.config import RunConfig
from privatune.data import DataError, TokenDataset, collate, load_client_data, load_texts

CONFIG = RunConfig()


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_jsonl_text_and_instruction_records(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": "alpha"}, {"instruction": "Sum?", "response": "4"}])
    texts = load_texts(path, CONFIG)
    assert texts[0] == "alpha"
    assert texts[1] == "### Instruction:\nSum?\n\n### Response:\n4"


def test_csv_and_parquet_through_datasets(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"text": ["one", "two", "three"], "other": [1, 2, 3]})
    frame.to_csv(tmp_path / "d.csv", index=False)
    frame.to_parquet(tmp_path / "d.parquet")
    assert load_texts(tmp_path / "d.csv", CONFIG) == ["one", "two", "three"]
    assert load_texts(tmp_path / "d.parquet", CONFIG) == ["one", "two", "three"]


@pytest.mark.parametrize("content, expected", [
    (b"", "is empty"),
    (b'{"text": "ok"}\n\xff\xfe bad\n', "line 2: not valid UTF-8"),
    (b'{"text": "ok"}\n{"text": \n', "line 2: not valid JSON"),
    (b'{"text": "ok"}\n["a"]\n', "line 2: a JSON list"),
    (b'{"text": "ok"}\n\n{"body": "x"}\n', "line 3: field 'text' is empty or missing"),
    (b'{"body": "x"}\n', "line 1: no field 'text'"),
    (b'{"text": "ok"}\n{"text": "  "}\n', "line 2: field 'text' is empty"),
])
def test_bad_jsonl_names_file_line_and_field(tmp_path, content, expected):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(DataError, match=expected) as info:
        load_texts(path, CONFIG)
    assert str(path) in str(info.value)


def test_error_messages_never_quote_record_text(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": "ok"}, {"text": 12345678, "note": "SSN 123-45-6789"}])
    with pytest.raises(DataError, match="field 'text' is int") as info:
        load_texts(path, CONFIG)
    assert "123-45-6789" not in str(info.value) and "12345678" not in str(info.value)


def test_missing_unreadable_and_unknown_files(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_texts(tmp_path / "nope.jsonl", CONFIG)
    (tmp_path / "d.txt").write_text("x")
    with pytest.raises(DataError, match="unknown format"):
        load_texts(tmp_path / "d.txt", CONFIG)
    (tmp_path / "dir.jsonl").mkdir()
    with pytest.raises(DataError, match="not a file"):
        load_texts(tmp_path / "dir.jsonl", CONFIG)


def test_csv_rows_are_numbered_and_non_utf8_found(tmp_path):
    (tmp_path / "d.csv").write_text("text\nfine\n\"\"\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2: field 'text'"):
        load_texts(tmp_path / "d.csv", CONFIG)
    (tmp_path / "e.csv").write_bytes(b"text\nfine\nbad \xe9\n")
    with pytest.raises(DataError, match="line 3: not valid UTF-8"):
        load_texts(tmp_path / "e.csv", CONFIG)


def test_eval_split_is_disjoint_deterministic_and_complete(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": f"record {i}"} for i in range(50)])
    a, b = load_client_data(path, CONFIG), load_client_data(path, CONFIG)
    assert a.train == b.train and a.eval == b.eval
    assert len(a.eval) == 5 and not set(a.train) & set(a.eval)
    assert sorted(a.train + a.eval) == sorted(f"record {i}" for i in range(50))


def test_padding_is_masked_out_of_labels(tiny_model_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    data = TokenDataset(["short", "a somewhat longer record"], tok, max_len=32)
    batch = collate([data[0], data[1]], data.pad_id)
    n0 = len(data[0])
    assert batch["attention_mask"][0].sum() == n0
    assert (batch["labels"][0, n0:] == -100).all() and (batch["labels"][1] != -100).all()
    assert data[0][-1] == tok.eos_token_id
