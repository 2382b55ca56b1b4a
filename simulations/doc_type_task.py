"""A task with a measurable answer, built from the synthetic hospital and bank records.

Each record becomes an instruction/response pair: the instruction shows a shortened note (its
first words, which name the document kind, are cut off) and asks which of eight kinds of document it
is; the response is one word. Accuracy is exact match of the model's choice among the eight answer
words (the answer word whose first token the model ranks highest right after the prompt), so the
base model's zero-shot score is measured the same way as every fine-tuned one.

Splits: IID (records shuffled, dealt out evenly) or non-IID (per label, client shares drawn from a
Dirichlet(alpha) distribution, as Flower Datasets' DirichletPartitioner does).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import torch

from privatune import synthetic

# answer word of each synthetic document style (first tokens are distinct in SmolLM2's tokenizer)
LABELS = {"discharge_summary": "discharge", "lab_report": "lab", "referral_letter": "referral",
          "triage_note": "triage", "dispute": "card", "kyc_review": "kyc", "wire_request": "wire",
          "loan_note": "loan"}
QUESTION = "/".join(LABELS.values()) + "? "
NOTE_CHARS = 40


def task_records(num_institutions: int, per_institution: int, seed: int) -> list[dict]:
    """Instruction/response records of `num_institutions` hospitals and banks (alternating)."""
    out = []
    for client in range(num_institutions):
        for record in synthetic.client_records(client, per_institution, seed):
            words = record["text"].split()[3:]  # the first words would give the kind away
            note = " ".join(words)[:NOTE_CHARS]
            out.append({"instruction": QUESTION + note, "response": LABELS[record["style"]],
                        "institution": record["institution"]})
    return out


def split(records: list[dict], num_clients: int, iid: bool, alpha: float, seed: int,
          min_per_client: int = 8) -> list[list[dict]]:
    """Records per client: IID, or non-IID by a Dirichlet(alpha) over each label's client shares."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(records))
    if iid:
        return [[records[i] for i in order[c::num_clients]] for c in range(num_clients)]
    by_label: dict[str, list[int]] = {}
    for i in order:
        by_label.setdefault(records[i]["response"], []).append(int(i))
    for _ in range(1000):  # redraw until every client has enough records (as DirichletPartitioner does)
        parts: list[list[int]] = [[] for _ in range(num_clients)]
        for label in sorted(by_label):
            idx = by_label[label]
            cuts = (np.cumsum(rng.dirichlet([alpha] * num_clients)) * len(idx)).astype(int)[:-1]
            for c, chunk in enumerate(np.split(np.array(idx), cuts)):
                parts[c] += chunk.tolist()
        if min(len(p) for p in parts) >= min_per_client:
            return [[records[i] for i in sorted(p)] for p in parts]
    raise ValueError(f"no Dirichlet({alpha}) split gives every one of {num_clients} clients {min_per_client} records")


def write_clients(parts: list[list[dict]], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    for c, part in enumerate(parts):
        with (out_dir / f"client-{c}.jsonl").open("w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps({"instruction": r["instruction"], "response": r["response"]}) + "\n")
    return out_dir


def label_counts(parts: list[list[dict]]) -> list[dict[str, int]]:
    return [{label: sum(r["response"] == label for r in part) for label in LABELS.values()} for part in parts]


@torch.no_grad()
def accuracy(model, tokenizer, examples: list, batch_size: int = 8) -> float:
    """Exact-match accuracy over held-out InstructionText examples (choice among the answer words)."""
    hits = correct(model, tokenizer, examples, batch_size)
    return sum(hits) / max(len(hits), 1)


@torch.no_grad()
def correct(model, tokenizer, examples: list, batch_size: int = 8) -> list[bool]:
    """Per example: does the model pick the right answer word (exact match among the eight)?"""
    from privatune.data import render_chat

    answers = list(LABELS.values())
    first = torch.tensor([tokenizer(a, add_special_tokens=False).input_ids[0] for a in answers])
    if len(set(first.tolist())) != len(answers):
        raise ValueError("the answer words' first tokens collide in this tokenizer: pick other words")
    device = next(model.parameters()).device
    model.eval()
    hits: list[bool] = []
    for start in range(0, len(examples), batch_size):
        chunk = examples[start:start + batch_size]
        prompts = [text[:n] for text, n in (render_chat(x, tokenizer) if tokenizer.chat_template
                                            else (str(x), x.prompt_chars) for x in chunk)]
        enc = tokenizer(prompts, add_special_tokens=False, return_tensors="pt", padding=True).to(device)
        logits = model(input_ids=enc.input_ids, attention_mask=enc.attention_mask).logits
        last = enc.attention_mask.sum(dim=1) - 1  # right padding: the last prompt token of each row
        scores = logits[torch.arange(len(chunk)), last][:, first.to(device)]
        picks = scores.argmax(dim=1).tolist()
        hits += [answers[p] == x.response for p, x in zip(picks, chunk)]
    return hits


@torch.no_grad()
def perplexity(model, tokenizer, num_chunks: int = 8, chunk_tokens: int = 64) -> float:
    """Perplexity on English text written by others: Python's own pydoc topics (ships with Python)."""
    from pydoc_data.topics import topics

    text = "\n\n".join(topics[k] for k in sorted(topics))
    ids = tokenizer(text, add_special_tokens=False).input_ids
    stride = max(chunk_tokens, (len(ids) - chunk_tokens) // num_chunks)  # spread the chunks over the corpus
    chunks = torch.tensor([ids[i * stride: i * stride + chunk_tokens] for i in range(num_chunks)])
    device = next(model.parameters()).device
    model.eval()
    total, count = 0.0, 0
    for start in range(0, num_chunks, 8):
        batch = chunks[start:start + 8].to(device)
        logits = model(input_ids=batch).logits[:, :-1].float()
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten(), reduction="sum")
        total, count = total + loss.item(), count + batch[:, 1:].numel()
    return float(np.exp(total / count))


def shuffled(items: list, seed: int) -> list:
    items = list(items)
    random.Random(seed).shuffle(items)
    return items
