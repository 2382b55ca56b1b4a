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

`patch_model(..., offload_activations="auto")` (the run-config default) installs `AutoOffload`
instead: at the first layer of a step it estimates what the rest of the step needs
(`step_bytes`) against the GPU memory still free under the allocator's cap, and offloads (both
the checkpoints and the embedding table) only when the step would not fit (`should_offload`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

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


# ---- "auto": offload only when the step would not fit ----------------------------------------------

@dataclass(frozen=True)
class StepShape:
    """What the memory estimate needs of a decoder: sizes per token, and the layer count."""

    hidden: int
    intermediate: int
    layers: int
    kv_hidden: int  # k (= v) width: kv_heads × head_dim
    vocab: int
    dtype_bytes: int = 2


def step_bytes(shape: StepShape, tokens: int) -> dict[str, int]:
    """Bytes a checkpointed training step allocates beyond the weights, by part (estimates).

    checkpoints: each layer's input, kept from forward to backward (what offloading moves);
    layer: the largest layer's recompute + backward on the fused path: the MLP's [g | u] (2I) saved,
    h (I) recomputed, d[g | u] (2I) and dh (I), q/k/v/out and their gradients (≈ 10 hidden-widths,
    counted generously); loss: one chunk of fused-CE logits (fp32 and bf16) and the [tokens, hidden]
    gradient of the last hidden states.
    """
    b = shape.dtype_bytes
    checkpoints = shape.layers * tokens * shape.hidden * b
    layer = tokens * (6 * shape.intermediate + 8 * shape.hidden + 4 * shape.kv_hidden) * b
    loss = min(tokens, 1024) * shape.vocab * 6 + tokens * shape.hidden * 4
    return {"checkpoints": checkpoints, "layer": layer, "loss": loss}


def should_offload(shape: StepShape, tokens: int, free_bytes: int, margin: float = 0.9) -> bool:
    """True when the rest of the step (`step_bytes`) would not fit in `margin` × the free memory."""
    return sum(step_bytes(shape, tokens).values()) > margin * free_bytes


def free_gpu_bytes(device: torch.device) -> int | None:
    """Memory a step can still allocate: the device's free memory plus the caching allocator's
    reserved-but-unused blocks, and no more than the per-process cap (set_per_process_memory_fraction).
    None off CUDA (host memory is not what offloading saves)."""
    if device.type != "cuda":
        return None
    free, total = torch.cuda.mem_get_info(device)
    allocated, reserved = torch.cuda.memory_allocated(device), torch.cuda.memory_reserved(device)
    fraction = getattr(torch.cuda, "get_per_process_memory_fraction", lambda d: 1.0)(device)
    return int(min(free + reserved - allocated, fraction * total - allocated))


class AutoOffload:
    """The layers' `_gradient_checkpointing_func` under offload_activations="auto".

    One decision per step shape (batch × tokens), taken at the first layer that sees it: offloaded
    checkpoints (and, once, the embedding table: its lookup has run, and a frozen table is not
    needed in backward) when `should_offload`, else torch's checkpoint. `free_bytes(device)` is
    None where nothing is to be saved (CPU tensors): no offload.
    """

    def __init__(self, causal_lm: torch.nn.Module, shape: StepShape, free_bytes=free_gpu_bytes):
        self.causal_lm, self.shape, self.free_bytes = causal_lm, shape, free_bytes
        self.decisions: dict[int, bool] = {}

    def offloads(self, hidden: torch.Tensor) -> bool:
        tokens = hidden.numel() // hidden.shape[-1]
        decision = self.decisions.get(tokens)
        if decision is None:
            free = self.free_bytes(hidden.device)
            decision = free is not None and should_offload(self.shape, tokens, free)
            self.decisions[tokens] = decision
            if decision:
                offload_input_embeddings(self.causal_lm)
        return decision

    def __call__(self, function, *args, **kwargs):
        hidden = next((a for a in args if isinstance(a, torch.Tensor)), None)
        if hidden is not None and self.offloads(hidden):
            return offloaded_checkpoint(function, *args, **kwargs)
        kwargs.setdefault("use_reentrant", False)
        return torch.utils.checkpoint.checkpoint(function, *args, **kwargs)


def step_shape(causal_lm: torch.nn.Module) -> StepShape:
    config = causal_lm.config
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    kv = getattr(config, "num_key_value_heads", None) or heads
    return StepShape(config.hidden_size, getattr(config, "intermediate_size", 4 * config.hidden_size),
                     config.num_hidden_layers, kv * head_dim, config.vocab_size)
