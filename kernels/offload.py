"""Gradient checkpointing that keeps each checkpointed layer's input in (pinned) CPU memory.

Hugging Face's decoder layers call `self._gradient_checkpointing_func(forward, hidden, ...)`;
`patch_model(..., offload_activations=True)` sets that to `offloaded_checkpoint`. Forward runs the
layer without a graph and copies its input to host memory (asynchronously, on the compute stream);
backward copies it back, re-runs the layer with the RNG state of the first run (dropout replays
identically), and back-propagates through it. The LoRA Functions' per-example gradients are written
in that inner backward exactly as in ordinary checkpointing. GPU memory then holds no per-layer
activations at all between forward and backward: 2 bytes × tokens × hidden per layer go to the host.
"""

from __future__ import annotations

import torch


def _to_host(t: torch.Tensor) -> torch.Tensor:
    if t.device.type != "cuda":
        return t.detach().clone()
    host = torch.empty(t.shape, dtype=t.dtype, device="cpu", pin_memory=True)
    return host.copy_(t.detach(), non_blocking=True)


def _rng_state(device: torch.device):
    cuda = torch.cuda.get_rng_state(device) if device.type == "cuda" else None
    return torch.get_rng_state(), cuda


class _OffloadedCheckpoint(torch.autograd.Function):
    @staticmethod
    def forward(ctx, run, hidden, _anchor):
        ctx.run, ctx.device, ctx.hidden_requires_grad = run, hidden.device, hidden.requires_grad
        ctx.hidden_host = _to_host(hidden)
        ctx.rng = _rng_state(hidden.device)
        with torch.no_grad():
            out = run(hidden)
        if not torch.is_tensor(out):
            raise TypeError("offloaded_checkpoint: the checkpointed layer must return one tensor, "
                            f"got {type(out).__name__}; turn activation offloading off for this model")
        return out

    @staticmethod
    def backward(ctx, grad_out):
        hidden = ctx.hidden_host.to(ctx.device, non_blocking=True).requires_grad_(ctx.hidden_requires_grad)
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
