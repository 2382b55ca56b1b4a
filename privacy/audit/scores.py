"""Membership scores for canaries under a causal LM: higher score = more likely a training member.

- loss         −(mean token NLL) under the audited model (Yeom et al. 2018).
- loss-vs-base the same minus the base model's: calibrates away how predictable a text is anyway
               (Carlini et al. 2022, reference-model calibration; for LoRA the frozen base is free).
- zlib-ratio   −(mean token NLL) / zlib-compressed length (Carlini et al. 2021).
- min-k-prob   mean log-probability of the k % least likely tokens (Shi et al. 2023).
"""

from __future__ import annotations

import contextlib
import zlib

import numpy as np
import torch

SCORE_NAMES = ("loss", "loss-vs-base", "zlib-ratio", "min-k-prob")


def _encode(tokenizer, texts: list[str]) -> list[list[int]]:
    encoded = []
    for i, text in enumerate(texts):
        ids = tokenizer(text, add_special_tokens=True)["input_ids"]
        if len(ids) < 2:
            raise ValueError(f"canary {i} tokenizes to {len(ids)} token(s); a score needs at least 2")
        encoded.append(list(ids))
    return encoded


@torch.no_grad()
def token_logprobs(model, encoded: list[list[int]], batch_size: int = 16) -> list[np.ndarray]:
    """Log-probability of every token after the first, per text (padding excluded)."""
    device = next(model.parameters()).device
    out: list[np.ndarray] = []
    for start in range(0, len(encoded), batch_size):
        batch = encoded[start : start + batch_size]
        width = max(len(ids) for ids in batch)
        input_ids = torch.zeros(len(batch), width, dtype=torch.long)
        attention = torch.zeros(len(batch), width, dtype=torch.long)
        for row, ids in enumerate(batch):  # right padding; padded positions are masked out below
            input_ids[row, : len(ids)] = torch.tensor(ids)
            attention[row, : len(ids)] = 1
        logits = model(input_ids=input_ids.to(device), attention_mask=attention.to(device)).logits
        logp = torch.log_softmax(logits[:, :-1].float(), dim=-1)
        picked = logp.gather(-1, input_ids[:, 1:].to(device).unsqueeze(-1)).squeeze(-1).cpu()
        for row, ids in enumerate(batch):
            out.append(picked[row, : len(ids) - 1].numpy().astype(np.float64))
    return out


@contextlib.contextmanager
def _eval_mode(model):
    was_training = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was_training)


def _base_logprobs(model, base_model, encoded, batch_size):
    if base_model is not None:
        with _eval_mode(base_model):
            return token_logprobs(base_model, encoded, batch_size)
    if not hasattr(model, "disable_adapter"):
        raise TypeError(
            "base_model=None means 'the model without its adapter', which needs a PEFT model "
            f"(with disable_adapter()); got {type(model).__name__}: pass base_model explicitly"
        )
    with model.disable_adapter():
        return token_logprobs(model, encoded, batch_size)


def min_k_prob(logprobs: np.ndarray, k: float) -> float:
    count = max(1, int(np.ceil(k * len(logprobs))))
    return float(np.mean(np.sort(logprobs)[:count]))


def score_canaries(
    model, base_model, tokenizer, texts: list[str], batch_size: int = 16, min_k: float = 0.2
) -> dict[str, np.ndarray]:
    """The four scores of every text; base_model=None uses `model` with its adapter disabled."""
    if not texts:
        raise ValueError("no canary texts to score")
    if not 0 < min_k <= 1:
        raise ValueError(f"min_k is a fraction in (0, 1], got {min_k}")
    encoded = _encode(tokenizer, texts)
    with _eval_mode(model):
        model_lp = token_logprobs(model, encoded, batch_size)
        base_lp = _base_logprobs(model, base_model, encoded, batch_size)
    mean_lp = np.array([lp.mean() for lp in model_lp])
    base_mean_lp = np.array([lp.mean() for lp in base_lp])
    zlib_len = np.array([len(zlib.compress(t.encode("utf-8"))) for t in texts], dtype=np.float64)
    return {
        "loss": mean_lp,
        "loss-vs-base": mean_lp - base_mean_lp,
        "zlib-ratio": mean_lp / zlib_len,
        "min-k-prob": np.array([min_k_prob(lp, min_k) for lp in model_lp]),
    }
