"""The local training loop: plain PyTorch, readable top to bottom.

Loss convention (DESIGN.md contract 1): an example's loss is the mean over its own target tokens;
the batch loss is the mean over examples. Padding never counts.
"""

from __future__ import annotations

import secrets

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from privatune.data import TokenDataset, collate
from privatune.kernels.patch import per_example_loss_fn

if TYPE_CHECKING:
    from privatune.privacy.dp import DPPlan
    from privatune.privacy.ledger import PrivacyLedger


@dataclass
class TrainResult:
    loss: float  # mean batch loss over the local steps
    steps: int
    examples: int  # examples processed (with repetition)


def per_example_loss(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """[batch] mean next-token cross-entropy of each example over its non-padding targets.

    A model patched by privatune.kernels.patch brings its own fused version (chunked linear +
    cross-entropy, no full-vocabulary logits); this code is the reference and the fallback.
    """
    fused = per_example_loss_fn(model)
    if fused is not None:
        return fused(batch)
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    targets = batch["labels"][:, 1:]
    token_loss = F.cross_entropy(logits[:, :-1].flatten(0, 1).float(), targets.flatten(),
                                 ignore_index=-100, reduction="none").view(targets.shape)
    counts = (targets != -100).sum(dim=1).clamp(min=1)
    return token_loss.sum(dim=1) / counts


def adamw(params: list[torch.Tensor], lr: float) -> torch.optim.AdamW:
    """AdamW over the LoRA tensors; on CUDA the fused kernel (one launch, no per-tensor Python)."""
    return torch.optim.AdamW(params, lr=lr, weight_decay=0.0, fused=params[0].is_cuda or None)


def _to(batch: dict[str, torch.Tensor], device: torch.device) -> dict[str, torch.Tensor]:
    return {k: v.to(device) for k, v in batch.items()}


def train_local(model, dataset: TokenDataset, *, steps: int, batch_size: int, lr: float,
                seed: int) -> TrainResult:
    """`steps` optimizer steps of AdamW on the trainable (LoRA) parameters, batches drawn at random."""
    device = next(p for p in model.parameters() if p.requires_grad).device
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = adamw(params, lr)
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


def train_local_dp(model, dataset: TokenDataset, plan: "DPPlan", ledger: "PrivacyLedger", *, lr: float,
                   server_round: int) -> TrainResult:
    """`plan.steps` DP-SGD steps: Poisson batches, per-example clipping and noise (Opacus), ledger per step.

    A logical batch larger than physical-batch-size is processed in slices; clipped gradients are
    accumulated and noise is added once per logical batch, so the accounting is unchanged.
    """
    from privatune.privacy.dp import make_optimizer, poisson_loader, prepare_model

    dp, steps, sample_rate, noise_multiplier = plan.config, plan.steps, plan.sample_rate, plan.noise_multiplier
    prepare_model(model)
    device = next(p for p in model.parameters() if p.requires_grad).device
    params = [p for p in model.parameters() if p.requires_grad]
    expected_batch = max(1, round(sample_rate * len(dataset)))
    # Sampling and noise must be unpredictable to everyone else (a public seed would let the server
    # subtract the noise), so both generators get fresh secret seeds, never config.seed.
    generator = torch.Generator().manual_seed(secrets.randbits(63))
    noise_generator = torch.Generator(device=device).manual_seed(secrets.randbits(63))
    optimizer = make_optimizer(adamw(params, lr), dp, noise_multiplier,
                               expected_batch, generator=noise_generator)
    loader = poisson_loader(dataset, sample_rate, lambda xs: collate(xs, dataset.pad_id), generator)
    batches = iter(loader)
    model.train()
    losses, examples = [], 0
    for _ in range(steps):
        batch = next(batches, None)
        if batch is None:
            batches = iter(loader)
            batch = next(batches)
        total, size = dp_step(model, optimizer, batch, dp.physical_batch_size, params)
        ledger.record(server_round, noise_multiplier, sample_rate, steps=1)
        losses.append(total / max(size, 1))
        examples += size
    return TrainResult(loss=sum(losses) / max(len(losses), 1), steps=len(losses), examples=examples)


def dp_step(model, optimizer, batch, physical_batch_size: int, params: list) -> tuple[float, int]:
    """One DP-SGD step on one logical (Poisson) batch: (sum of per-example losses, batch size).

    Slices of at most `physical_batch_size` examples are clipped and accumulated with the step
    skipped; the last slice's step adds the noise, so noise is added once per logical batch.
    """
    from privatune.privacy.dp import mark_empty_batch

    device = params[0].device
    size = batch["input_ids"].shape[0] if isinstance(batch, dict) else 0
    if size == 0:
        mark_empty_batch(params)
    slice_size = physical_batch_size or max(size, 1)
    starts = list(range(0, size, slice_size))
    total = 0.0
    for i, start in enumerate(starts):
        part = _to({k: v[start:start + slice_size] for k, v in batch.items()}, device)
        loss = per_example_loss(model, part).sum()  # Opacus divides by the expected batch size
        loss.backward()
        total += loss.item()
        if i < len(starts) - 1:
            optimizer.signal_skip_step(do_skip=True)  # clip and accumulate, no noise yet
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return total, size


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
