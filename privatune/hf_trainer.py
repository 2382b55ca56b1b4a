"""DP-SGD inside a Hugging Face `Trainer` (or TRL's `SFTTrainer`, a subclass of it), with the ledger.

`DPTrainer` changes four things and leaves the rest of the Trainer alone:
- batches are Poisson-sampled (Opacus' DPDataLoader), which the accountant assumes;
- the loss is the sum of per-example losses (privatune's per-example convention, DESIGN.md contract 1);
  privatune's LoRA Function writes each example's gradient to `.grad_sample`;
- the optimizer is privatune's DP optimizer (clip per example, noise once per batch) around AdamW;
- every optimizer step is committed to the privacy ledger before the next, and a training run that
  would exceed the budget is refused before it starts.
Use `max_grad_norm=0` in TrainingArguments (clipping is per example, here) and
`gradient_accumulation_steps=1` (the logical batch is the Poisson batch).
"""

from __future__ import annotations

import secrets

import torch
from transformers import Trainer, TrainerCallback

from privatune.client.trainer import adamw, per_example_loss
from privatune.data import collate
from privatune.privacy.dp import (DPConfig, DPPlan, calibrate_noise, check_budget, epsilon_of, make_optimizer,
                                  mark_empty_batch, poisson_loader, prepare_model)
from privatune.privacy.ledger import PrivacyLedger


class _LedgerCallback(TrainerCallback):
    def __init__(self, trainer: "DPTrainer"):
        self.trainer = trainer

    def on_step_end(self, args, state, control, **kwargs):
        t = self.trainer
        t.ledger.record(t.ledger_round, t.noise_multiplier, t.sample_rate, steps=1)


class DPTrainer(Trainer):
    """`Trainer` with DP-SGD: `DPTrainer(model, args, train_dataset=TokenDataset, dp=..., ledger=...)`."""

    def __init__(self, *args, dp: DPConfig, ledger: PrivacyLedger, batch_size: int, pad_id: int,
                 ledger_round: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        if self.args.max_grad_norm or self.args.gradient_accumulation_steps != 1:
            raise ValueError("DPTrainer clips per example: set max_grad_norm=0 and gradient_accumulation_steps=1")
        self.dp, self.ledger, self.pad_id, self.ledger_round = dp, ledger, pad_id, ledger_round
        self.sample_rate = min(1.0, batch_size / len(self.train_dataset))
        self.expected_batch = max(1, round(self.sample_rate * len(self.train_dataset)))
        steps = self.args.max_steps
        if steps <= 0:
            raise ValueError("DPTrainer needs max_steps > 0 in TrainingArguments (the noise is calibrated for it)")
        self.noise_multiplier = calibrate_noise(dp, self.sample_rate, steps)
        check_budget(ledger, DPPlan(dp, self.noise_multiplier, self.sample_rate, steps))  # refuse before any step
        prepare_model(self.model)
        self.add_callback(_LedgerCallback(self))

    def epsilon(self) -> float:
        return epsilon_of(self.ledger.history(), self.dp.delta, self.dp.accountant)

    def get_train_dataloader(self):
        # secret seed: whoever knows the sampling could tell which examples a step used
        generator = torch.Generator().manual_seed(secrets.randbits(63))
        return poisson_loader(self.train_dataset, self.sample_rate, lambda xs: collate(xs, self.pad_id), generator)

    def create_optimizer(self, model=None):
        if self.optimizer is None:
            params = [p for p in self.model.parameters() if p.requires_grad]
            device = params[0].device
            noise = torch.Generator(device=device).manual_seed(secrets.randbits(63))
            self.optimizer = make_optimizer(adamw(params, self.args.learning_rate), self.dp, self.noise_multiplier,
                                            self.expected_batch, generator=noise)
        return self.optimizer

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        params = [p for p in model.parameters() if p.requires_grad]
        if inputs["input_ids"].shape[0] == 0:  # an empty Poisson batch still gets its noise
            mark_empty_batch(params)
            loss = sum(p.sum() * 0.0 for p in params)
        else:
            loss = per_example_loss(model, inputs).sum()  # Opacus divides by the expected batch size
        return (loss, None) if return_outputs else loss
