"""Client data: read JSONL / CSV / Parquet records through `datasets`, check them, render, tokenize.

A record is either `{text}` or `{instruction, response}` (optionally `input`), field names from the
run config. Instruction pairs are rendered with `prompt-template` here (an `InstructionText` that
keeps its parts); `TokenDataset` re-renders them with the model's own chat template when the
tokenizer has one, and labels only the response tokens (the prompt is masked with -100). Bad input stops with a DataError
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


class InstructionText(str):
    """An instruction/response record rendered with `prompt-template`, remembering its parts.

    It is the rendered string (so it trains and prints like any text), plus the fields a tokenizer
    needs to re-render it with a chat template and to find where the response starts.
    """

    instruction: str
    response: str
    input: str
    prompt_chars: int  # the rendered prompt (the template before {response}) is text[:prompt_chars]

    def __new__(cls, template: str, instruction: str, response: str, input: str = ""):
        marker = "\x00privatune-response\x00"
        with_marker = template.format(instruction=instruction, response=marker, input=input)
        if with_marker.count(marker) != 1:
            raise DataError("run-config 'prompt-template' must contain '{response}' exactly once")
        self = super().__new__(cls, template.format(instruction=instruction, response=response, input=input))
        self.instruction, self.response, self.input = instruction, response, input
        self.prompt_chars = with_marker.index(marker)
        return self

    def __reduce__(self):  # pickles (Ray, lru_cache copies) as the parts, not as a plain str
        return _rebuild_instruction, (str(self), self.instruction, self.response, self.input, self.prompt_chars)


def _rebuild_instruction(text, instruction, response, input, prompt_chars):
    self = str.__new__(InstructionText, text)
    self.instruction, self.response, self.input, self.prompt_chars = instruction, response, input, prompt_chars
    return self


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
        try:
            return InstructionText(config.prompt_template, **values)
        except (KeyError, IndexError, ValueError) as err:
            raise DataError(f"run-config 'prompt-template' cannot be filled ({err}): use only {{instruction}}, "
                            "{input} and {response}, with {response} once") from None
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
    """Token ids of each text, truncated to max_len (EOS appended so examples end cleanly).

    Plain texts train on every token: an item is its id tensor. An `InstructionText` is rendered
    with the tokenizer's chat template when it has one (`chat_template=False` keeps the prompt
    template) and, with `response_only` (the default), trains only on its response tokens: an item
    is `(ids, labels)` with the prompt labelled -100. `no_target` counts examples whose response was
    truncated away entirely (they add nothing to the loss).
    """

    def __init__(self, texts: list[str], tokenizer, max_len: int, *, chat_template: bool = True,
                 response_only: bool = True):
        eos = tokenizer.eos_token_id
        self.pad_id = tokenizer.pad_token_id
        self.no_target = 0
        use_chat = chat_template and bool(getattr(tokenizer, "chat_template", None))
        self.examples: list = []
        for text in texts:
            if not isinstance(text, InstructionText):
                ids = tokenizer(text, add_special_tokens=False, truncation=True, max_length=max_len - 1)["input_ids"]
                self.examples.append(torch.tensor(ids + [eos], dtype=torch.long))
                continue
            rendered, prompt_chars = render_chat(text, tokenizer) if use_chat else (str(text), text.prompt_chars)
            ids, labels = _masked_ids(rendered, prompt_chars, tokenizer, max_len)
            if response_only:
                self.no_target += all(x == -100 for x in labels)
                self.examples.append((torch.tensor(ids, dtype=torch.long), torch.tensor(labels, dtype=torch.long)))
            else:
                self.examples.append(torch.tensor(ids, dtype=torch.long))

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int):
        return self.examples[i]


def render_chat(record: InstructionText, tokenizer) -> tuple[str, int]:
    """(text, prompt length in characters) of `record` in the tokenizer's chat template."""
    user = f"{record.instruction}\n\n{record.input}" if record.input else record.instruction
    prompt = tokenizer.apply_chat_template([{"role": "user", "content": user}], tokenize=False,
                                           add_generation_prompt=True)
    full = tokenizer.apply_chat_template([{"role": "user", "content": user},
                                          {"role": "assistant", "content": record.response}], tokenize=False)
    if not full.startswith(prompt):  # a template that rewrites earlier turns: fall back to the prompt template
        return str(record), record.prompt_chars
    return full.rstrip(), len(prompt)


def _masked_ids(text: str, prompt_chars: int, tokenizer, max_len: int) -> tuple[list[int], list[int]]:
    """Token ids of `text` (EOS-terminated, ≤ max_len) and labels with every prompt token at -100."""
    eos = tokenizer.eos_token_id
    encoded = tokenizer(text, add_special_tokens=False, truncation=True, max_length=max_len - 1,
                        return_offsets_mapping=tokenizer.is_fast)
    ids = list(encoded["input_ids"])
    if tokenizer.is_fast:  # the prompt is the leading tokens that end within its characters
        n_prompt = next((i for i, (_, end) in enumerate(encoded["offset_mapping"]) if end > prompt_chars), len(ids))
    else:
        n_prompt = len(tokenizer(text[:prompt_chars], add_special_tokens=False)["input_ids"])
    if n_prompt >= len(ids):  # truncation cut the whole response off: nothing to learn from this one
        return ids + [eos], [-100] * (len(ids) + 1)
    if ids[-1] != eos:  # chat templates already end the turn with EOS
        ids.append(eos)
    labels = [-100] * n_prompt + ids[n_prompt:]
    return ids, labels


def collate(examples: list, pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded batch; labels are -100 on padding (and on prompts) so they never count in the loss.

    An example is an id tensor (every token a target) or an `(ids, labels)` pair (TokenDataset).
    """
    length = max((len(x[0] if isinstance(x, tuple) else x) for x in examples), default=1)
    input_ids = torch.full((len(examples), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), length), dtype=torch.long)
    labels = torch.full((len(examples), length), -100, dtype=torch.long)
    for i, x in enumerate(examples):
        ids, target = x if isinstance(x, tuple) else (x, x)
        input_ids[i, : len(ids)] = ids
        mask[i, : len(ids)] = 1
        labels[i, : len(ids)] = target
    return {"input_ids": input_ids, "attention_mask": mask, "labels": labels}
