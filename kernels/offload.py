"""Gradient checkpointing that keeps each checkpointed layer's input in (pinned) CPU memory.

Hugging Face's decoder layers call `self._gradient_checkpointing_func(forward, hidden, ...)`;
`patch_model(..., offload_activations=True)` sets that to `offloaded_checkpoint`. Forward runs the
layer without a graph and copies its input to host memory; backward copies it back, re-runs the
layer with the RNG state of the first run (dropout replays identically), and back-propagates
through it. The LoRA Functions' per-example gradients are written in that inner backward exactly
as in ordinary checkpointing. GPU memory then holds no per-layer activations at all between
forward and backward: 2 bytes × tokens × hidden per layer go to the host.

On CUDA both copies run on a side stream so they overlap the layers' compute: the copy out waits
only for the layer input to be written, and each layer's backward starts the copy back of the
layer before it (the next one backward reaches), so that input is on the GPU when it is needed.
Every hand-over between the streams is an event; tensors used across them are `record_stream`ed so
the caching allocator cannot hand their memory out early.
"""

from __future__ import annotations

import weakref

import torch


_STREAMS: dict[torch.device, torch.cuda.Stream] = {}


def _side_stream(device: torch.device) -> torch.cuda.Stream:
    if device not in _STREAMS:
        _STREAMS[device] = torch.cuda.Stream(device)
    return _STREAMS[device]


class _Slot:
    """One layer's offloaded input: the host copy, and the GPU copy once prefetched."""

    def __init__(self, hidden: torch.Tensor, previous: "_Slot | None"):
        self.device, self.previous = hidden.device, previous  # previous: the layer before, in forward order
        self.gpu = self.ready = None
        if hidden.device.type != "cuda":
            self.host = hidden.detach().clone()
            return
        compute, side = torch.cuda.current_stream(hidden.device), _side_stream(hidden.device)
        self.host = torch.empty(hidden.shape, dtype=hidden.dtype, device="cpu", pin_memory=True)
        side.wait_stream(compute)  # hidden is written
        with torch.cuda.stream(side):
            self.host.copy_(hidden.detach(), non_blocking=True)
        hidden.record_stream(side)  # not reused before the copy is done

    def prefetch(self) -> None:
        """Start the copy back to the GPU on the side stream (once)."""
        if self.gpu is not None or self.device.type != "cuda":
            return
        compute, side = torch.cuda.current_stream(self.device), _side_stream(self.device)
        with torch.cuda.stream(side):
            self.gpu = self.host.to(self.device, non_blocking=True)
            self.ready = torch.cuda.Event()
            self.ready.record(side)
        self.gpu.record_stream(compute)  # allocated on the side stream, used on the compute one

    def fetch(self) -> torch.Tensor:
        """The input back on its device; starts the previous layer's copy back behind it."""
        if self.device.type != "cuda":
            return self.host
        self.prefetch()
        torch.cuda.current_stream(self.device).wait_event(self.ready)
        previous, self.previous = self.previous, None
        if previous is not None:
            previous.prefetch()
        return self.gpu


def _rng_state(device: torch.device):
    cuda = torch.cuda.get_rng_state(device) if device.type == "cuda" else None
    return torch.get_rng_state(), cuda


class _OffloadedCheckpoint(torch.autograd.Function):
    last_slot = None  # the previous layer's slot in this forward pass (dropped with its graph)

    @staticmethod
    def forward(ctx, run, hidden, _anchor):
        ctx.run, ctx.device, ctx.hidden_requires_grad = run, hidden.device, hidden.requires_grad
        previous = _OffloadedCheckpoint.last_slot() if _OffloadedCheckpoint.last_slot else None
        ctx.slot = _Slot(hidden, previous)
        _OffloadedCheckpoint.last_slot = weakref.ref(ctx.slot)
        ctx.rng = _rng_state(hidden.device)
        with torch.no_grad():
            out = run(hidden)
        if not torch.is_tensor(out):
            raise TypeError("offloaded_checkpoint: the checkpointed layer must return one tensor, "
                            f"got {type(out).__name__}; turn activation offloading off for this model")
        return out

    @staticmethod
    def backward(ctx, grad_out):
        hidden = ctx.slot.fetch().detach().requires_grad_(ctx.hidden_requires_grad)
        ctx.slot = None
        cpu_rng, cuda_rng = ctx.rng
        devices = [ctx.device] if cuda_rng is not None else []
        with torch.random.fork_rng(devices=devices), torch.enable_grad():
            torch.set_rng_state(cpu_rng)
            if cuda_rng is not None:
                torch.cuda.set_rng_state(cuda_rng, ctx.device)
            out = ctx.run(hidden)
        torch.autograd.backward(out, grad_out)
        return None, hidden.grad if ctx.hidden_requires_grad else None, None


def offloaded_checkpoint(function, hidden: torch.Tensor, *args, **kwargs):
    """Drop-in for `torch.utils.checkpoint.checkpoint(function, hidden, *args)` that offloads `hidden`."""
    def run(h):
        return function(h, *args, **kwargs)

    # The output must require grad even when `hidden` does not (frozen embeddings before layer 0):
    # the LoRA parameters inside the layer still need their backward.
    anchor = torch.empty(0, requires_grad=True)
    return _OffloadedCheckpoint.apply(run, hidden, anchor)


def offload_input_embeddings(causal_lm: torch.nn.Module) -> int:
    """Keep a frozen, untied input-embedding table in CPU memory; returns 1 if it was moved.

    The lookup then runs on the CPU and only the [batch, tokens, hidden] rows travel to the GPU
    (32 MB for an 8B batch of 2 × 2048, against a 1 GB table for a 128k vocabulary). A table that
    trains, or that the LM head shares (tied weights), stays where it is.
    """
    emb = causal_lm.get_input_embeddings()
    head = causal_lm.get_output_embeddings()
    if (type(emb) is not torch.nn.Embedding or emb.weight.requires_grad or emb.weight.device.type != "cuda"
            or (head is not None and head.weight is emb.weight)):
        return 0
    device = emb.weight.device
    emb.to("cpu")
    gather = emb.forward

    def forward(input_ids: torch.Tensor) -> torch.Tensor:
        return gather(input_ids.to("cpu")).to(device, non_blocking=True)

    emb.forward = forward
    return 1
