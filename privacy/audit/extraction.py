"""Black-box extraction of secret canaries: can the model be made to *say* the secret?

Two prompts per canary: its own prefix (the record up to the secret: "discoverable" extraction,
the strongest black-box prompt), and a short prompt that only names the person ("Patient: <name>,
MRN-"), what a curious user would type. From each, greedy decoding and `num_samples` samples at
temperature 1 (no top-k/top-p). A secret counts as reproduced exactly, or within edit distance 1
(one digit wrong, missing or extra), when some run of the format's characters in the generated text
is that close to it. Held-out secrets go through the same attacks: their rate is the chance level.
"""

from __future__ import annotations

import re

import torch

from privatune.privacy.audit.secrets import SecretCanary, SecretCanarySet

ATTACKS = ("greedy-prefix", "sampled-prefix", "greedy-name", "sampled-name")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def closest_run(text: str, secret: str, alphabet: str) -> int:
    """Smallest edit distance between the secret and a maximal run of `alphabet` characters in text."""
    runs = re.findall(f"[{re.escape(alphabet)}]+", text)
    return min((edit_distance(run, secret) for run in runs), default=len(secret))


@torch.no_grad()
def _generate(model, tokenizer, prompt: str, max_new_tokens: int, num_samples: int) -> tuple[str, list[str]]:
    device = next(model.parameters()).device
    enc = tokenizer(prompt, return_tensors="pt", add_special_tokens=True)
    ids, mask = enc["input_ids"].to(device), enc["attention_mask"].to(device)
    common = {"max_new_tokens": max_new_tokens, "pad_token_id": tokenizer.pad_token_id
              if tokenizer.pad_token_id is not None else tokenizer.eos_token_id}
    greedy = model.generate(input_ids=ids, attention_mask=mask, do_sample=False, **common)
    texts = [tokenizer.decode(greedy[0, ids.shape[1]:], skip_special_tokens=True)]
    if num_samples:
        sampled = model.generate(input_ids=ids, attention_mask=mask, do_sample=True, temperature=1.0, top_k=0,
                                 top_p=1.0, num_return_sequences=num_samples, **common)
        texts += [tokenizer.decode(row[ids.shape[1]:], skip_special_tokens=True) for row in sampled]
    return texts[0], texts[1:]


def _budget(tokenizer, canary: SecretCanary) -> int:
    """Enough new tokens for the secret, its suffix and a little slack."""
    return len(tokenizer(canary.secret + canary.suffix, add_special_tokens=False)["input_ids"]) + 3


def canary_extraction(model, tokenizer, canary: SecretCanary, alphabet: str, num_samples: int) -> dict:
    """Closest edit distance per attack (sampled: the best sample, and how many were exact)."""
    budget = _budget(tokenizer, canary)
    out = {"id": canary.id, "client": canary.client, "inserted": canary.inserted, "distance": {}, "exact_samples": {}}
    for where, prompt in (("prefix", canary.prefix), ("name", canary.naming_prompt)):
        greedy, sampled = _generate(model, tokenizer, prompt, budget, num_samples)
        out["distance"][f"greedy-{where}"] = closest_run(greedy, canary.secret, alphabet)
        if sampled:
            distances = [closest_run(s, canary.secret, alphabet) for s in sampled]
            out["distance"][f"sampled-{where}"] = min(distances)
            out["exact_samples"][f"sampled-{where}"] = sum(d == 0 for d in distances)
    return out


def extract_secrets(model, tokenizer, canaries: SecretCanarySet, num_samples: int = 8, seed: int = 0) -> list[dict]:
    """Run every attack on every canary (inserted and held-out); no secret or record text in the result."""
    if num_samples < 0:
        raise ValueError(f"num_samples must be ≥ 0, got {num_samples}")
    was_training = model.training
    model.eval()
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            return [canary_extraction(model, tokenizer, c, canaries.format_of(c).alphabet, num_samples)
                    for c in canaries.canaries]
    finally:
        model.train(was_training)


def extraction_summary(per_canary: list[dict]) -> dict:
    """Per attack, inserted and held-out: secrets reproduced exactly and within edit distance 1."""
    summary = {}
    for group, inserted in (("inserted", True), ("heldout", False)):
        rows = [c for c in per_canary if c["inserted"] == inserted]
        attacks = {}
        for attack in ATTACKS:
            distances = [c["distance"][attack] for c in rows if attack in c["distance"]]
            if distances:
                attacks[attack] = {"exact": sum(d == 0 for d in distances), "within_1": sum(d <= 1 for d in distances),
                                   "of": len(distances)}
        best = [min(c["distance"].values()) for c in rows]
        summary[group] = {"count": len(rows), "attacks": attacks, "any_exact": sum(d == 0 for d in best),
                          "any_within_1": sum(d <= 1 for d in best)}
    return summary
