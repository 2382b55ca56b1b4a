"""The SwiGLU LoRA MLP tiled along the sequence, for long contexts (ALST's TiledMLP, with DP).

At 128k tokens of an 8B Llama, the fused MLP's saved [g | u] is [tokens, 2·14336] bf16 = 7 GiB, and
its backward holds d[g | u] and h beside it: more than a 24 GiB card has left. The MLP is
position-wise, so (as Arctic Long Sequence Training's TiledMLP, Bekman et al. 2025) it can run tile
by tile along the sequence: `TiledLoRAMLPFunction` saves only its input x, computes y tile by tile
(each tile = the same stacked gate/up, packed SwiGLU and down projection as `mlp.py`), and in
backward recomputes each tile's [g | u] and h, back-propagates it, and writes its rows of dx. Only
one tile's intermediates exist at a time: [tile, 2·I] instead of [tokens, 2·I].

DP: a tile holds rows of every example ([batch, tile, ·] along the sequence), so each tile's
per-example LoRA gradients are [batch, *shape] partial sums; they are added up over the tiles in
fp32 and stored once (`grad_sample_arena.per_example_grads`), exactly as the untiled backward
stores them. The price is one more MLP forward per step (the recompute inside backward).
"""

from __future__ import annotations

import os

import torch

from privatune.kernels.grad_sample_arena import per_example_grads
from privatune.kernels.lora_fused import base_weight, lora_weights
from privatune.kernels.lora_stacked import stacked_backward, stacked_forward
from privatune.kernels.swiglu import swiglu_packed, swiglu_packed_backward


def tile_tokens() -> int:
    """Sequence positions per tile (PRIVATUNE_MLP_TILE; default 8192: [8192, 2·14336] bf16 = 448 MiB)."""
    return int(os.environ.get("PRIVATUNE_MLP_TILE", "8192"))


def use_tiles(x: torch.Tensor, tile: int) -> bool:
    """Tile only where it saves memory that matters: sequences over twice the tile."""
    return x.dim() == 3 and x.shape[1] > 2 * tile


def _tile_forward(x2, gate_up, down, bases, scales):
    """(y, gu, xa_gu, h, xa_down) for one tile's rows."""
    A_d, B_d = down
    gu, xa = stacked_forward(x2, gate_up, bases[:2], scales[:2])
    h = swiglu_packed(gu)
    sA_d, B16_d = lora_weights(A_d, B_d, scales[2], h.dtype)
    xa_d = torch.mm(h, sA_d.t())
    bias = getattr(bases[2], "bias", None)
    y = torch.addmm(bias.to(h.dtype), xa_d, B16_d.t()) if bias is not None else torch.mm(xa_d, B16_d.t())
    y.addmm_(h, base_weight(bases[2], h.dtype).t())
    return y, gu, xa, h, xa_d


def _rows(t: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    return t[:, start:stop].reshape(-1, t.shape[-1])  # a view at batch 1, a copy otherwise


class TiledLoRAMLPFunction(torch.autograd.Function):
    """x [batch, tokens, hidden] → y, the fused LoRA SwiGLU MLP computed `tile` positions at a time."""

    @staticmethod
    def forward(ctx, x, A_gate, B_gate, A_up, B_up, A_down, B_down, bases, scales, per_example, tile):
        gate_up, down = ((A_gate, B_gate), (A_up, B_up)), (A_down, B_down)
        batch, tokens, _ = x.shape
        y = None
        for start in range(0, tokens, tile):
            stop = min(start + tile, tokens)
            y_t = _tile_forward(_rows(x, start, stop), gate_up, down, bases, scales)[0]
            if y is None:
                y = torch.empty(batch, tokens, y_t.shape[1], dtype=y_t.dtype, device=y_t.device)
            y[:, start:stop] = y_t.view(batch, stop - start, -1)
            del y_t
        ctx.save_for_backward(x)
        ctx.lora_params = (gate_up, down)  # the Parameters themselves receive .grad_sample
        ctx.bases, ctx.scales, ctx.per_example, ctx.tile = bases, scales, per_example, tile
        return y

    @staticmethod
    def backward(ctx, dy):
        (x,), (gate_up, down) = ctx.saved_tensors, ctx.lora_params
        bases, scales, tile = ctx.bases, ctx.scales, ctx.tile
        batch, tokens, _ = x.shape
        per_batch = batch if ctx.per_example else 0
        A_d, B_d = down
        flat = [A_gate, B_gate, A_up, B_up] = [p for pair in gate_up for p in pair]
        want_dx = ctx.needs_input_grad[0]
        dx = torch.empty_like(x) if want_dx else None
        sums: list[torch.Tensor | None] = [None] * 6  # gate A, B, up A, B, down A, B: over the tiles, fp32
        for start in range(0, tokens, tile):
            stop = min(start + tile, tokens)
            x2 = _rows(x, start, stop)
            dy2 = _rows(dy, start, stop).to(x2.dtype)
            with torch.no_grad():
                _, gu, xa, h, xa_d = _tile_forward(x2, gate_up, down, bases, scales)
                sA_d, B16_d = lora_weights(A_d, B_d, scales[2], x2.dtype)
                dxa_d = torch.mm(dy2, B16_d)  # [rows, r]
                dh = torch.mm(dxa_d, sA_d).addmm_(dy2, base_weight(bases[2], x2.dtype))
                dxa_s = dxa_d.mul_(scales[2])
                if per_batch:
                    r, inter, d_out = dxa_s.shape[1], h.shape[1], dy2.shape[1]
                    grad_down = [torch.bmm(dxa_s.view(batch, -1, r).transpose(1, 2), h.view(batch, -1, inter)),
                                 torch.bmm(dy2.view(batch, -1, d_out).transpose(1, 2), xa_d.view(batch, -1, r))]
                else:
                    grad_down = [torch.mm(dxa_s.t(), h), torch.mm(dy2.t(), xa_d)]
                del h, xa_d
                dgu = swiglu_packed_backward(dh, gu)
                del dh, gu
                dx_t, grads = stacked_backward(dgu, x2, xa, gate_up, bases[:2], scales[:2], per_batch,
                                               want_dx=want_dx, store=False)
                for i, g in enumerate(list(grads) + grad_down):
                    sums[i] = g.float() if sums[i] is None else sums[i].add_(g)
                if dx_t is not None:
                    dx[:, start:stop] = dx_t.view(batch, stop - start, -1)
        params = flat + [A_d, B_d]
        if per_batch:
            grads = list(per_example_grads(params, sums))
        else:
            grads = [g.to(p.dtype) for p, g in zip(params, sums)]
        return (dx, *grads, None, None, None, None)


def tiled_lora_mlp(x, parts, per_example: bool, tile: int):
    """y for [(A, B, base_layer, scale)] of gate/up/down (see `mlp.fused_lora_parts`)."""
    (A_g, B_g, base_g, s_g), (A_u, B_u, base_u, s_u), (A_d, B_d, base_d, s_d) = parts
    return TiledLoRAMLPFunction.apply(x, A_g, B_g, A_u, B_u, A_d, B_d, (base_g, base_u, base_d),
                                      (s_g, s_u, s_d), per_example, tile)
