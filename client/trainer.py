"""The local training loop: plain PyTorch, readable top to bottom.

Loss convention (DESIGN.md contract 1): an example's loss is the mean over its own target tokens;
the batch loss is the mean over examples. Padding never counts.
"""

from __future__ import annotations

import secrets

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import torch
import torch.nn.functional as F

from privatune.data import TokenDataset, collate
from privatune.kernels.patch import per_example_loss_fn
from privatune.timing import count, timed

if TYPE_CHECKING:
    from privatune.privacy.dp import DPPlan
    from privatune.privacy.dp_parallel import DataParallel
    from privatune.privacy.ledger import PrivacyLedger


OnStep = Callable[[int, int, int], None]  # (step done, steps planned, tokens in the batch): progress only


@dataclass
class TrainResult:
    loss: float  # mean batch loss over the local steps
    steps: int
    examples: int  # examples processed (with repetition)
    clipped_loss_sum: float = 0.0  # DP: mean over steps of Σ_batch clip(loss, 0, loss_bound); sensitivity loss_bound
    canaries: object = None  # DP: the white-box audit's GradientCanaries, scored during the steps


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


@timed("train")  # whole local training: setup, steps (and under DP the per-step ledger writes)
def train_local(model, dataset: TokenDataset, *, steps: int, batch_size: int, lr: float,
                seed: int, on_step: OnStep | None = None) -> TrainResult:
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
        count("train-tokens", batch["input_ids"].numel())  # padded tokens: what the GPU computes on
        loss = per_example_loss(model, batch).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        examples += batch["input_ids"].shape[0]
        if on_step:
            on_step(len(losses), steps, int(batch["attention_mask"].sum()))
    return TrainResult(loss=sum(losses) / max(len(losses), 1), steps=len(losses), examples=examples)


@timed("train")
def train_local_dp(model, dataset: TokenDataset, plan: "DPPlan", ledger: "PrivacyLedger | None", *, lr: float,
                   server_round: int, dataset_size: int | None = None, parallel: "DataParallel | None" = None,
                   optimizer_fn=None, on_step: OnStep | None = None) -> TrainResult:
    """`plan.steps` DP-SGD steps: Poisson batches, per-example clipping and noise (Opacus), ledger per step.

    A logical batch larger than physical-batch-size is processed in slices; clipped gradients are
    accumulated and noise is added once per logical batch, so the accounting is unchanged.
    `dataset_size` is the DP-released count the expected batch size is derived from (the update's
    scale must not reveal the exact size); with whitebox-canaries > 0 the flat optimizer carries
    the white-box audit's gradient canaries (result.canaries). With `parallel` (several processes of
    one client, privacy/dp_parallel.py) each rank trains on its share of one Poisson batch and the
    ranks take one noised step together; rank 0 keeps the ledger (the other ranks pass `ledger=None`;
    no white-box canaries there). `optimizer_fn(params, lr)` builds the optimizer DP-SGD wraps (AdamW
    by default).
    """
    from privatune.privacy.dp import make_optimizer, poisson_loader, prepare_model

    dp, steps, sample_rate, noise_multiplier = plan.config, plan.steps, plan.sample_rate, plan.noise_multiplier
    if ledger is None and (parallel is None or parallel.writes_ledger):
        raise ValueError("train_local_dp: the process that accounts for the steps needs the ledger")
    prepare_model(model)
    device = next(p for p in model.parameters() if p.requires_grad).device
    params = [p for p in model.parameters() if p.requires_grad]
    expected_batch = max(1, round(sample_rate * (dataset_size or len(dataset))))
    # Sampling and noise must be unpredictable to everyone else (a public seed would let the server
    # subtract the noise), so both generators get fresh secret seeds, never config.seed. The ranks of
    # one client share the sampling seed (one Poisson batch); only rank 0's noise is ever added.
    sampling_seed = parallel.shared_secret_seed(device) if parallel else secrets.randbits(63)
    generator = torch.Generator().manual_seed(sampling_seed)
    noise_generator = torch.Generator(device=device).manual_seed(secrets.randbits(63))
    optimizer = make_optimizer((optimizer_fn or adamw)(params, lr), dp, noise_multiplier,
                               expected_batch, generator=noise_generator, parallel=parallel)
    canaries = None
    if dp.whitebox_canaries and parallel is None and hasattr(optimizer, "attach_canaries"):
        canaries = optimizer.attach_canaries(min(dp.whitebox_canaries, optimizer.arena.total))
    collate_fn = lambda xs: collate(xs, dataset.pad_id)  # noqa: E731
    if parallel:
        from privatune.privacy.dp_parallel import sharded_poisson_loader

        loader = sharded_poisson_loader(dataset, sample_rate, collate_fn, generator, parallel)
    else:
        loader = poisson_loader(dataset, sample_rate, collate_fn, generator)
    batches = iter(loader)
    model.train()
    losses, examples, clipped = [], 0, 0.0
    for _ in range(steps):
        batch = next(batches, None)
        if batch is None:
            batches = iter(loader)
            batch = next(batches)
        total, size, bounded = dp_step(model, optimizer, batch, dp.physical_batch_size, params, dp.loss_bound)
        if parallel is None or parallel.writes_ledger:  # one mechanism per logical batch, whatever the ranks
            ledger.record(server_round, noise_multiplier, sample_rate, steps=1)
        losses.append(total / max(size, 1))
        examples += size
        clipped += bounded
        if on_step:
            on_step(len(losses), steps, int(batch["attention_mask"].sum()) if size else 0)
    return TrainResult(loss=sum(losses) / max(len(losses), 1), steps=len(losses), examples=examples,
                       clipped_loss_sum=clipped / max(len(losses), 1), canaries=canaries)


def dp_step(model, optimizer, batch, physical_batch_size: int, params: list,
            loss_bound: float = float("inf")) -> tuple[float, int, float]:
    """One DP-SGD step on one logical (Poisson) batch: (Σ per-example losses, batch size,
    Σ per-example losses clipped to [0, loss_bound]).

    Slices of at most `physical_batch_size` examples are clipped and accumulated with the step
    skipped; the last slice's step adds the noise, so noise is added once per logical batch.
    """
    from privatune.privacy.dp import mark_empty_batch

    device = params[0].device
    size = batch["input_ids"].shape[0] if isinstance(batch, dict) else 0
    if size == 0:
        mark_empty_batch(params)
    count("train-tokens", batch["input_ids"].numel() if size else 0)  # padded: what the GPU computes on
    slice_size = physical_batch_size or max(size, 1)
    starts = list(range(0, size, slice_size))
    total, bounded = 0.0, 0.0
    for i, start in enumerate(starts):
        part = _to({k: v[start:start + slice_size] for k, v in batch.items()}, device)
        per_example = per_example_loss(model, part)
        loss = per_example.sum()  # Opacus divides by the expected batch size
        loss.backward()
        total += loss.item()
        bounded += float(per_example.detach().float().clamp(0.0, loss_bound).sum())
        if i < len(starts) - 1:
            optimizer.signal_skip_step(do_skip=True)  # clip and accumulate, no noise yet
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return total, size, bounded


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
