import json

import pytest
import torch

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


# ---- instruction records: chat template, response-only labels --------------------------------

CHAT_TEMPLATE = ("{% for m in messages %}<s>{{ m['role'] }}: {{ m['content'] }}</s>{% endfor %}"
                 "{% if add_generation_prompt %}<s>assistant: {% endif %}")


@pytest.fixture
def tiny_tokenizer(tiny_model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model_dir)


def instruction(text="Which department wrote this?", answer="cardiology ward", template=CONFIG.prompt_template):
    from privatune.data import InstructionText

    return InstructionText(template, text, answer)


def test_instruction_record_keeps_its_parts_and_survives_pickling(tmp_path):
    import pickle

    from privatune.data import InstructionText

    path = write_jsonl(tmp_path / "d.jsonl", [{"instruction": "Sum?", "response": "4"}])
    record = load_texts(path, CONFIG)[0]
    assert isinstance(record, InstructionText) and (record.instruction, record.response) == ("Sum?", "4")
    assert record[: record.prompt_chars] == "### Instruction:\nSum?\n\n### Response:\n"
    copy = pickle.loads(pickle.dumps(record))
    assert isinstance(copy, InstructionText) and copy == record and copy.prompt_chars == record.prompt_chars


def test_prompt_template_without_response_is_refused(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"instruction": "Sum?", "response": "4"}])
    config = RunConfig(prompt_template="Q: {instruction}")
    with pytest.raises(DataError, match="prompt-template"):
        load_texts(path, config)


def test_prompt_template_records_train_on_the_response_tokens_only(tiny_tokenizer):
    assert not tiny_tokenizer.chat_template  # the embedded tokenizer has none: prompt-template rendering
    ids, labels = TokenDataset([instruction()], tiny_tokenizer, max_len=64)[0]
    assert tiny_tokenizer.decode(ids).startswith("### Instruction:")
    targets = labels[labels != -100]
    assert tiny_tokenizer.decode(targets).strip() == "cardiology ward</s>"
    assert (labels[: len(labels) - len(targets)] == -100).all()  # the prompt is one masked prefix
    full = TokenDataset([instruction()], tiny_tokenizer, max_len=64, response_only=False)[0]
    assert torch.equal(full, ids)  # response_only=False: a plain id tensor, every token a target


def test_chat_template_renders_instruction_records_when_the_tokenizer_has_one(tiny_tokenizer):
    tiny_tokenizer.chat_template = CHAT_TEMPLATE
    ids, labels = TokenDataset([instruction()], tiny_tokenizer, max_len=64)[0]
    text = tiny_tokenizer.decode(ids)
    assert text.startswith("<s>user: Which department") and "### Instruction" not in text
    assert tiny_tokenizer.decode(labels[labels != -100]).strip() == "cardiology ward</s>"
    assert (ids == tiny_tokenizer.eos_token_id).sum() == 2  # the template ends each turn: no extra EOS
    plain = TokenDataset([instruction()], tiny_tokenizer, max_len=64, chat_template=False)[0][0]
    assert tiny_tokenizer.decode(plain).startswith("### Instruction:")


def test_a_response_cut_off_by_truncation_has_no_targets_and_is_counted(tiny_tokenizer):
    data = TokenDataset([instruction(text="long " * 80), instruction("Hi?", "ok")], tiny_tokenizer, max_len=48)
    (ids, labels), (_, kept) = data[0], data[1]
    assert len(ids) <= 48 and (labels == -100).all() and data.no_target == 1
    assert (kept != -100).any()


def test_collate_mixes_texts_and_masked_instruction_records(tiny_tokenizer):
    data = TokenDataset(["a plain note", instruction()], tiny_tokenizer, max_len=64)
    batch = collate([data[0], data[1]], data.pad_id)
    n0 = len(data[0])
    assert torch.equal(batch["labels"][0, :n0], data[0]) and (batch["labels"][0, n0:] == -100).all()
    assert torch.equal(batch["labels"][1], data[1][1])


def test_per_example_loss_is_the_mean_over_response_tokens(tiny_model_dir, tiny_tokenizer):
    import torch.nn.functional as F

    from privatune.client.trainer import per_example_loss
    from privatune.model import load_model

    model, _ = load_model(RunConfig(model=str(tiny_model_dir)))
    data = TokenDataset([instruction(), instruction("Short?", "yes")], tiny_tokenizer, max_len=64)
    batch = collate([data[0], data[1]], data.pad_id)
    model.eval()
    with torch.no_grad():
        losses = per_example_loss(model, batch)
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    for i, (ids, labels) in enumerate([data[0], data[1]]):
        start = int((labels != -100).nonzero()[0])  # first response token; predicted from position start-1
        expected = F.cross_entropy(logits[i, start - 1: len(ids) - 1].float(), ids[start:])
        torch.testing.assert_close(losses[i], expected)
