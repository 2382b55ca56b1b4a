"""Opacus' DP-SGD step (flat clipping) on one flat vector instead of tensor by tensor.

`FlatDPOptimizer` is an Opacus `DPOptimizer`: same constructor, same semantics (per-example
clipping to max_grad_norm over all parameters together, Gaussian noise σ·C added once per logical
batch through Opacus' own `_generate_noise` — generator and secure_mode included —, division by
expected_batch_size × accumulated iterations, `signal_skip_step` accumulation, the
"zero_grad between steps" checks, the step hook). Only the data layout differs:

- per-example grads are one matrix G [examples, Σ numel]: the grad-sample arena that the LoRA
  backward writes into (privatune.kernels.grad_sample_arena), read with no copy; any other
  `.grad_sample` (Opacus hooks, an empty Poisson batch) is concatenated into G once;
- clipping is one row norm and one GEMV (clip factors · G) into a flat fp32 sum;
- the noise is one draw over the flat vector; `p.grad` are views of one flat buffer.

White-box audit (privacy/audit/whitebox.py): `attach_canaries` adds secret Dirac gradient canaries
to the clipped sum just before the noise (clipped by the same rule) and scores them on the noised
sum, then takes them out again, so the model trains as without them.

So a step costs ~10 kernel launches instead of ~6 per tensor (448 tensors at 8B). Stock Opacus
draws the noise tensor by tensor; one draw over the concatenation has the same distribution (i.i.d.
N(0, σ²C²) per coordinate), but a seeded generator yields different numbers than stock's.
`p.summed_grad` is not kept per tensor (the flat sum is); nothing outside DPOptimizer reads it.
"""

from __future__ import annotations

from typing import Callable, Optional

import torch
from opacus.optimizers.optimizer import DPOptimizer, _check_processed_flag, _generate_noise, _mark_as_processed

from privatune.kernels.grad_sample_arena import attach_arena


def clip_factors(norms: torch.Tensor, max_grad_norm: float) -> torch.Tensor:
    """Opacus' flat clipping rule: scale each per-example gradient to norm ≤ C."""
    return (max_grad_norm / (norms + 1e-6)).clamp(max=1.0)


def flat_layout_supported(params: list[torch.Tensor]) -> bool:
    """One dtype and one device for every parameter (what a flat buffer needs)."""
    return bool(params) and len({p.dtype for p in params}) == 1 and len({p.device for p in params}) == 1


class FlatDPOptimizer(DPOptimizer):
    def __init__(self, optimizer: torch.optim.Optimizer, **kwargs):
        super().__init__(optimizer, **kwargs)
        params = self.params
        if not flat_layout_supported(params):
            raise ValueError("FlatDPOptimizer needs parameters of one dtype on one device; use Opacus' DPOptimizer")
        self.arena = attach_arena(params)
        self._summed: torch.Tensor | None = None  # Σ clipped per-example grads, flat fp32
        self._summed_used = False  # Opacus' "processed" flag for the summed grad
        self._grad_flat = torch.zeros(self.arena.total, dtype=params[0].dtype, device=params[0].device)
        self._grad_views = [self.arena.view_of(self._grad_flat, i) for i in range(len(params))]
        self.canaries = None  # a whitebox.GradientCanaries, when the white-box audit is on

    def attach_canaries(self, m: int):
        """Plant m white-box audit canaries over this optimizer's flat parameter vector."""
        from privatune.privacy.audit.whitebox import GradientCanaries

        self.canaries = GradientCanaries(m, self.arena.total, self.max_grad_norm, device=self._grad_flat.device)
        return self.canaries

    # ---- G: the per-example grads as one matrix ----------------------------------------------------

    def _per_example_matrix(self, params) -> torch.Tensor:
        mine = len(params) == len(self.arena.params) and all(a is b for a, b in zip(params, self.arena.params))
        rows = self.arena.rows() if mine else None
        if rows is not None:
            return rows
        samples = [self._get_flat_grad_sample(p) for p in params]  # Opacus' errors if one is missing
        n = len(samples[0])
        return torch.cat([g.reshape(n, p.numel()).to(self.arena.dtype) for g, p in zip(samples, params)], dim=1)

    def clip_and_accumulate(self):
        params = self.params
        for p in params:
            _check_processed_flag(p.grad_sample)
        grads = self._per_example_matrix(params)
        norms = grads.norm(2, dim=1)
        clip = clip_factors(norms, self.max_grad_norm).to(grads.dtype)
        if self._summed is None:
            self._summed = torch.mv(grads.t(), clip)  # [0, n] G gives zeros: an empty batch adds nothing
        else:
            self._summed.addmv_(grads.t(), clip)
        self._summed_used = False
        for p in params:
            _mark_as_processed(p.grad_sample)

    def add_noise(self):
        if self._summed is None or self._summed_used:
            raise ValueError("Gradients haven't been cleared since the last optimizer step. "
                             "In order to obtain privacy guarantees you must call optimizer.zero_grad()on each step")
        noise = _generate_noise(std=self.noise_multiplier * self.max_grad_norm, reference=self._summed,
                                generator=self.generator, secure_mode=self.secure_mode)
        torch.add(self._summed, noise, out=self._grad_flat)
        for p, view in zip(self.params, self._grad_views):
            if p.grad is not view:
                p.grad = view
        self._summed_used = True

    def scale_grad(self):
        if self.loss_reduction == "mean":
            self._grad_flat /= self.expected_batch_size * self.accumulated_iterations

    def zero_grad(self, set_to_none: bool = False):
        for p in self.params:
            p.grad_sample = None
        if not self._is_last_step_skipped:
            self._summed, self._summed_used = None, False
        self.original_optimizer.zero_grad(set_to_none)

    def pre_step(self, closure: Optional[Callable[[], float]] = None) -> Optional[float]:
        # Opacus' pre_step, without evaluating the `grad_samples` list (a concatenation per tensor).
        if not self.params:
            return True
        self.clip_and_accumulate()
        if self._check_skip_next_step():
            self._is_last_step_skipped = True
            return False
        if self.canaries is not None:
            self.canaries.inject(self._summed, lambda n: clip_factors(n, self.max_grad_norm))
        self.add_noise()
        if self.canaries is not None:
            self.canaries.observe_and_remove(self._grad_flat)
        self.scale_grad()
        if self.step_hook:
            self.step_hook(self)
        self._is_last_step_skipped = False
        return True
