"""Gradient checkpointing that keeps each checkpointed layer's input in (pinned) CPU memory.

Hugging Face's decoder layers call `self._gradient_checkpointing_func(forward, hidden, ...)`;
`patch_model(..., offload_activations=True)` sets that to `offloaded_checkpoint`: torch's
non-reentrant checkpoint, with saved-tensor hooks that move the inputs it keeps for the recompute
to host memory and back. The LoRA Functions' per-example gradients are written in the backward
exactly as in ordinary checkpointing. GPU memory then holds no per-layer activations at all
between forward and backward: 2 bytes × tokens × hidden per layer go to the host.

On CUDA both copies run on a side stream so they overlap the layers' compute: the copy out waits
only for the layer input to be written, and each layer's recompute starts the copy back of the
layer before it (the next one backward reaches), so that input is on the GPU when it is needed.
Every hand-over between the streams is an event; tensors used across them are `record_stream`ed so
the caching allocator cannot hand their memory out early.

`offload_input_embeddings` keeps a frozen, untied input-embedding table in CPU memory as well.
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


_MIN_BYTES = 1 << 20  # smaller checkpoint inputs (RoPE tables, masks shared by every layer) stay put
_LAST = [None]  # weak reference to the previous layer's slot in this forward pass


def _pack(t: torch.Tensor):
    if t.device.type == "cuda" and t.numel() * t.element_size() < _MIN_BYTES:
        return t
    previous = _LAST[0]() if _LAST[0] is not None else None
    slot = _Slot(t, previous)
    _LAST[0] = weakref.ref(slot)
    return slot, t.requires_grad


def _unpack(packed):
    if not isinstance(packed, tuple):
        return packed
    slot, requires_grad = packed
    return slot.fetch().detach().requires_grad_(requires_grad)


def offloaded_checkpoint(function, *args, **kwargs):
    """`torch.utils.checkpoint.checkpoint(function, *args, use_reentrant=False)` with the inputs it
    keeps for the recompute (the layer's hidden states) held in CPU memory.

    torch's non-reentrant checkpoint saves its inputs as saved tensors, so saved-tensor hooks
    around the call see exactly those (the hooks inside the layer are checkpoint's own). Everything
    else is torch's: the recompute replays the RNG state and stops as soon as the last tensor the
    backward needs is back (so a layer's last projection, `mlp.LoRADownFunction`, is not re-run).
    """
    kwargs.setdefault("use_reentrant", False)
    with torch.autograd.graph.saved_tensors_hooks(_pack, _unpack):
        return torch.utils.checkpoint.checkpoint(function, *args, **kwargs)


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
