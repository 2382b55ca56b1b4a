"""Client data: read JSONL / CSV / Parquet records through `datasets`, check them, render, tokenize.

A record is either `{text}` or `{instruction, response}` (optionally `input`), field names from the
run config; instruction pairs are rendered with `prompt-template`. Bad input stops with a DataError
that names the file, the line or row and the field, and says what to do. Error messages never quote
record contents (they may hold PII): only positions, field names and types.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import torch

from privatune.config import RunConfig

FORMATS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


class DataError(ValueError):
    """A data file or one of its records cannot be used; the message says where and what to do."""


@dataclass
class ClientData:
    train: list[str]
    eval: list[str]
    source: Path


def load_texts(path: str | Path, config: RunConfig) -> list[str]:
    """All records of `path` rendered to training texts, in file order."""
    path = Path(path)
    fmt = _check_file(path)
    if fmt != "parquet":
        rows_at = _check_text_file(path, fmt)
    dataset = _load_with_datasets(path, fmt)
    if fmt == "parquet":
        rows_at = [f"row {i + 1}" for i in range(len(dataset))]
    return [_render(row, path, where, config) for row, where in zip(dataset, rows_at)]


def load_client_data(path: str | Path, config: RunConfig) -> ClientData:
    """Records of one client, split into a train and a held-out eval part (fixed by config.seed)."""
    texts = load_texts(path, config)
    if len(texts) < 2:
        raise DataError(f"{path}: {len(texts)} record(s); a client needs at least 2 (train + eval)")
    order = list(range(len(texts)))
    random.Random(config.seed).shuffle(order)
    n_eval = max(1, round(len(texts) * config.eval_fraction))
    return ClientData(train=[texts[i] for i in order[n_eval:]], eval=[texts[i] for i in order[:n_eval]],
                      source=Path(path))


def _check_file(path: Path) -> str:
    if not path.exists():
        raise DataError(f"data file {path} does not exist: check the path (run-config 'data-dir' or the "
                        "SuperNode's node-config 'data-path')")
    if not path.is_file():
        raise DataError(f"data path {path} is not a file")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(f"{path}: unknown format '{path.suffix}'; use .jsonl, .csv or .parquet")
    try:
        with path.open("rb") as f:
            head = f.read(1)
    except OSError as err:
        raise DataError(f"{path} cannot be read ({err.strerror}): check its permissions") from None
    if not head:
        raise DataError(f"{path} is empty: it needs at least 2 records")
    return fmt


def _check_text_file(path: Path, fmt: str) -> list[str]:
    """UTF-8 and (for JSONL) JSON-object check line by line; returns where each record sits."""
    where = []
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise DataError(f"{path}, line {number}: not valid UTF-8 (byte {err.start}); "
                                "re-encode the file as UTF-8") from None
            if not line.strip():
                continue
            if fmt == "json":
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    raise DataError(f"{path}, line {number}: not valid JSON ({err.msg}, column {err.colno}); "
                                    "each line must be one JSON object") from None
                if not isinstance(obj, dict):
                    raise DataError(f"{path}, line {number}: a JSON {type(obj).__name__}, not an object; "
                                    "each line must be one JSON object")
            where.append(f"line {number}")
    if fmt == "csv":
        where = [f"row {i}" for i in range(1, len(where))]  # first non-empty line is the header
    if not where:
        raise DataError(f"{path} holds no records")
    return where


def _load_with_datasets(path: Path, fmt: str):
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        return datasets.load_dataset(fmt, data_files=str(path), split="train", keep_in_memory=True)
    except Exception as err:  # datasets raises many types; name the file and the cause
        raise DataError(f"{path} could not be read as {fmt} ({type(err).__name__}); "
                        "check that every record has the same fields and types") from None


def _render(row: dict, path: Path, where: str, config: RunConfig) -> str:
    # datasets gives every row every column of the file, None where a record lacks it
    if row.get(config.text_field) is not None:
        return _field(row, config.text_field, path, where)
    if row.get(config.instruction_field) is not None or row.get(config.response_field) is not None:
        values = {"instruction": _field(row, config.instruction_field, path, where, "instruction-field"),
                  "response": _field(row, config.response_field, path, where, "response-field"),
                  "input": row.get("input") or ""}
        return config.prompt_template.format(**values)
    if config.text_field in row:
        raise DataError(f"{path}, {where}: field '{config.text_field}' is empty or missing; "
                        "remove the record or fill it")
    raise DataError(f"{path}, {where}: no field '{config.text_field}' and no '{config.instruction_field}'/"
                    f"'{config.response_field}' pair (fields: {sorted(row)}); rename the field or set "
                    "run-config 'text-field'")


def _field(row: dict, name: str, path: Path, where: str, setting: str = "text-field") -> str:
    value = row.get(name)
    if value is None:
        raise DataError(f"{path}, {where}: field '{name}' is missing; every record needs it (fields: {sorted(row)}). "
                        f"If the column has another name, set run-config '{setting}' to it")
    if not isinstance(value, str):
        raise DataError(f"{path}, {where}: field '{name}' is {type(value).__name__}, expected a string")
    if not value.strip():
        raise DataError(f"{path}, {where}: field '{name}' is empty; remove the record or fill it")
    return value


# ---- tokens and batches ----------------------------------------------------------------------

class TokenDataset(torch.utils.data.Dataset):
    """Token ids of each text, truncated to max_len (EOS appended so examples end cleanly)."""

    def __init__(self, texts: list[str], tokenizer, max_len: int):
        ids = tokenizer(texts, add_special_tokens=False, truncation=True, max_length=max_len - 1)["input_ids"]
        eos = tokenizer.eos_token_id
        self.examples = [torch.tensor(x + [eos], dtype=torch.long) for x in ids]
        self.pad_id = tokenizer.pad_token_id

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int) -> torch.Tensor:
        return self.examples[i]


def collate(examples: list[torch.Tensor], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded batch; labels are -100 on padding so it never counts in the loss."""
    length = max((len(x) for x in examples), default=1)
    input_ids = torch.full((len(examples), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), length), dtype=torch.long)
    for i, x in enumerate(examples):
        input_ids[i, : len(x)] = x
        mask[i, : len(x)] = 1
    labels = input_ids.masked_fill(mask == 0, -100)
    return {"input_ids": input_ids, "attention_mask": mask, "labels": labels}
