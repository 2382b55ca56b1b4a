"""The local training loop: plain PyTorch, readable top to bottom.

Loss convention (DESIGN.md contract 1): an example's loss is the mean over its own target tokens;
the batch loss is the mean over examples. Padding never counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from privatune.data import TokenDataset, collate


@dataclass
class TrainResult:
    loss: float  # mean batch loss over the local steps
    steps: int
    examples: int  # examples processed (with repetition)


def per_example_loss(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """[batch] mean next-token cross-entropy of each example over its non-padding targets."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    targets = batch["labels"][:, 1:]
    token_loss = F.cross_entropy(logits[:, :-1].flatten(0, 1).float(), targets.flatten(),
                                 ignore_index=-100, reduction="none").view(targets.shape)
    counts = (targets != -100).sum(dim=1).clamp(min=1)
    return token_loss.sum(dim=1) / counts


def _to(batch: dict[str, torch.Tensor], device: torch.device) -> dict[str, torch.Tensor]:
    return {k: v.to(device) for k, v in batch.items()}


def train_local(model, dataset: TokenDataset, *, steps: int, batch_size: int, lr: float,
                seed: int) -> TrainResult:
    """`steps` optimizer steps of AdamW on the trainable (LoRA) parameters, batches drawn at random."""
    device = next(p for p in model.parameters() if p.requires_grad).device
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    generator = torch.Generator().manual_seed(seed)
    sampler = torch.utils.data.RandomSampler(dataset, replacement=False, generator=generator,
                                             num_samples=steps * batch_size)
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, sampler=sampler,
                                         collate_fn=lambda xs: collate(xs, dataset.pad_id))
    model.train()
    losses, examples = [], 0
    for batch in loader:
        batch = _to(batch, device)
        loss = per_example_loss(model, batch).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        examples += batch["input_ids"].shape[0]
    return TrainResult(loss=sum(losses) / max(len(losses), 1), steps=len(losses), examples=examples)


@torch.no_grad()
def evaluate(model, dataset: TokenDataset, *, batch_size: int) -> float:
    """Mean per-example loss over the whole dataset."""
    device = next(model.parameters()).device
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(dataset), batch_size):
        batch = collate([dataset[i] for i in range(start, min(start + batch_size, len(dataset)))], dataset.pad_id)
        losses = per_example_loss(model, _to(batch, device))
        total += losses.sum().item()
        count += losses.numel()
    return total / max(count, 1)
