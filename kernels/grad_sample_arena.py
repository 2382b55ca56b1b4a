"""One buffer for the per-example gradients of every LoRA tensor of a model.

DP-SGD clips each example's gradient over *all* trainable tensors together, so the optimizer wants
them as one matrix G [examples, Σ numel]. Stored tensor by tensor (Opacus' layout), clipping and
noising cost several kernel launches and ~0.1 ms of Python per tensor (448 LoRA tensors at 8B).
An arena keeps them in one row-major fp32 buffer instead: tensor i owns columns
[offset_i, offset_i + numel_i), and each backward pass appends its examples as rows. `p.grad_sample`
is still set, to a view of the arena (a list of views after several backward passes without a step,
exactly as Opacus expects), so nothing that reads `.grad_sample` changes; a DP optimizer that knows
the arena (privatune.privacy.fast_dp) reads G with no copy at all.

The arena is attached to the parameters (`attach_arena`) by weak reference: it lives as long as
its owner (the DP optimizer) does, so a parameter outlives a discarded optimizer unchanged. The
LoRA backward calls `store_grad_sample`, which falls back to Opacus' plain layout for a parameter
without a live arena.
Imports nothing beyond torch (privatune.kernels must import without flwr or presidio).
"""

from __future__ import annotations

import weakref

import torch

_ATTR = "_privatune_arena"


class GradSampleArena:
    """Rows = examples (grown on demand), columns = the concatenated, flattened parameters."""

    def __init__(self, params: list[torch.nn.Parameter], dtype: torch.dtype | None = None):
        if not params:
            raise ValueError("GradSampleArena needs at least one parameter")
        devices = {p.device for p in params}
        if len(devices) != 1:
            raise ValueError(f"GradSampleArena: parameters span several devices {sorted(map(str, devices))}")
        self.params = list(params)
        self.device = params[0].device
        self.dtype = dtype or params[0].dtype
        self.shapes = [tuple(p.shape) for p in params]
        self.numels = [p.numel() for p in params]
        self.offsets, total = [], 0
        for p in params:
            self.offsets.append(total)
            total += p.numel()
        self.total = total
        self.storage = torch.empty((0, total), dtype=self.dtype, device=self.device)
        self.chunks: list[list[tuple[int, int]]] = [[] for _ in params]  # (first row, rows) per backward
        self.current: list[object] = [None] * len(params)  # what we last set as p.grad_sample
        self._views: dict[tuple[int, int, int], torch.Tensor] = {}  # (index, start, rows) → view of storage

    # ---- writing (the LoRA backward) ----------------------------------------------------------------

    def store(self, index: int, param: torch.Tensor, grad_sample: torch.Tensor) -> torch.Tensor | None:
        """Copy one backward pass's [batch, *shape] grads into the arena; None if it cannot take them."""
        existing = getattr(param, "grad_sample", None)
        if existing is None:
            self.chunks[index] = chunks = []
            start = 0
        elif existing is not self.current[index]:
            return None  # someone else set .grad_sample (e.g. mark_empty_batch): keep Opacus' layout
        else:
            chunks = self.chunks[index]
            start = sum(rows for _, rows in chunks)
        batch = grad_sample.shape[0]
        if start + batch > self.storage.shape[0]:
            self._ensure_rows(start + batch)
        view = self._view(index, start, batch)
        view.copy_(grad_sample)  # one kernel: the cast to the arena's dtype included
        if hasattr(view, "_processed"):  # the view object is reused across steps: these are new grads
            del view._processed  # (Opacus flags a .grad_sample it has clipped; an older chunk keeps its flag)
        chunks.append((start, batch))
        if len(chunks) == 1:  # the common case (one backward per step): no list to build
            param.grad_sample = self.current[index] = view
        else:
            self._publish(index, param)
        return view

    def _view(self, index: int, start: int, rows: int) -> torch.Tensor:
        """Parameter `index`'s rows [start, start + rows) as [rows, *shape] (made once per storage)."""
        key = (index, start, rows)
        view = self._views.get(key)
        if view is None:
            offset = self.offsets[index]
            view = self.storage[start:start + rows, offset:offset + self.numels[index]].view(rows, *self.shapes[index])
            self._views[key] = view
        return view

    def _publish(self, index: int, param: torch.Tensor) -> None:
        views = [self._view(index, start, rows) for start, rows in self.chunks[index]]
        param.grad_sample = self.current[index] = views[0] if len(views) == 1 else views

    def _ensure_rows(self, rows: int) -> None:
        """Grow the buffer; rows already written move along and every `.grad_sample` is re-pointed."""
        if rows <= self.storage.shape[0]:
            return
        old = self.storage
        self.storage = torch.empty((rows, self.total), dtype=self.dtype, device=self.device)
        self._views.clear()
        used = max((sum(r for _, r in c) for c in self.chunks), default=0)
        if used:
            self.storage[:used].copy_(old[:used])
        for index, param in enumerate(self.params):
            if self.chunks[index] and getattr(param, "grad_sample", None) is self.current[index]:
                self._publish(index, param)

    # ---- reading (the DP optimizer) -----------------------------------------------------------------

    def rows(self) -> torch.Tensor | None:
        """G [examples, total] with no copy, if every parameter's `.grad_sample` is ours and they agree."""
        first = self.chunks[0]
        for index, param in enumerate(self.params):
            if getattr(param, "grad_sample", None) is not self.current[index] or self.current[index] is None:
                return None
            if self.chunks[index] != first:
                return None
        return self.storage[:sum(rows for _, rows in first)]

    def view_of(self, flat: torch.Tensor, index: int) -> torch.Tensor:
        """Parameter `index`'s slice of a flat [total] vector, shaped like the parameter."""
        offset = self.offsets[index]
        return flat[offset:offset + self.numels[index]].view(self.shapes[index])


def attach_arena(params: list[torch.nn.Parameter], dtype: torch.dtype | None = None) -> GradSampleArena:
    """A new arena for `params` (replacing any earlier one); the caller keeps it alive."""
    arena = GradSampleArena(params, dtype)
    ref = weakref.ref(arena)
    for index, p in enumerate(params):
        setattr(p, _ATTR, (ref, index))
    return arena


def arena_of(param: torch.Tensor) -> tuple[GradSampleArena, int] | None:
    slot = getattr(param, _ATTR, None)
    arena = slot[0]() if slot is not None else None
    return (arena, slot[1]) if arena is not None else None


def detach_arena(params) -> None:
    for p in params:
        if hasattr(p, _ATTR):
            delattr(p, _ATTR)


def has_arena(param: torch.Tensor) -> bool:
    return arena_of(param) is not None


def store_grad_sample(param: torch.Tensor, grad_sample: torch.Tensor) -> tuple[torch.Tensor, bool]:
    """Record one backward pass's per-example grads of `param`; returns (what was stored, in an arena?).

    Into the parameter's arena when it has one; otherwise Opacus' layout: a tensor in the
    parameter's dtype, a list of them when several backward passes precede an optimizer step.
    """
    slot = arena_of(param)
    if slot is not None:
        arena, index = slot
        view = arena.store(index, param, grad_sample)
        if view is not None:
            return view, True
    grad_sample = grad_sample.detach().to(param.dtype)
    existing = getattr(param, "grad_sample", None)
    if existing is None:
        param.grad_sample = grad_sample
    elif isinstance(existing, list):
        existing.append(grad_sample)
    else:
        param.grad_sample = [existing, grad_sample]
    return grad_sample, False


# ---- what the LoRA backwards call --------------------------------------------------------------------
# One tensor per backward (a list after several, Opacus' layout), or views of the arena above.

def per_example_grads(params, grads) -> tuple:
    """Store each [batch, *shape] grad as its parameter's `.grad_sample`; returns what `.grad` gets.

    That is the batch sum, except for a parameter with an arena: a DP optimizer that owns one
    overwrites `.grad` with the noisy clipped mean anyway, so the sum (a reduction and an
    AccumulateGrad per tensor per step) is skipped and `.grad` stays as it was.
    """
    sums = []
    for param, grad in zip(params, grads):
        stored, in_arena = store_grad_sample(param, grad)  # grad: made inside a backward, no graph
        sums.append(None if in_arena else stored.sum(0).to(param.dtype))
    return tuple(sums)
