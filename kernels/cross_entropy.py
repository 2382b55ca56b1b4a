"""Chunked fused linear + cross-entropy returning per-example losses.

Given hidden states h [N, H], the lm_head weight W [V, H], labels [N] (ignore_index skipped) and the
example each row belongs to, returns loss[b] = mean over example b's non-ignored rows of CE(h·Wᵀ).
An example with no counted rows gets loss 0 (and no gradient) rather than NaN.

The [N, V] logits are never materialised: rows go through in chunks. For each chunk the logits are
computed in the weight's dtype, a Triton kernel replaces them in place by the gradient
(softmax − onehot)·row_scale after reading the per-row CE (fp32 online softmax), and the chunk's
grad wrt h (and W, when trainable) is accumulated right there, as Liger and Unsloth do. Only those
grads are kept for the backward, which scales them by the upstream gradient of each example.

Labels must already be aligned with rows (label t is the target for hidden t): shift beforehand,
e.g. with `shift_labels`.
"""

from __future__ import annotations

import torch

from privatune.kernels._utils import launchable, tl, triton, triton_jit, use_triton

_MAX_BLOCK = 32768


@triton_jit
def _ce_grad_in_place_kernel(
    LOGITS, LABELS, LOSS, stride_row, n_cols, ignore_index,
    BLOCK: tl.constexpr,
):
    row = tl.program_id(0).to(tl.int64)
    logits_row = LOGITS + row * stride_row
    cols = tl.arange(0, BLOCK)
    label = tl.load(LABELS + row)
    if label == ignore_index:
        for start in range(0, n_cols, BLOCK):
            tl.store(logits_row + start + cols, 0.0, mask=start + cols < n_cols)
        tl.store(LOSS + row, 0.0)
        return
    # Pass 1: online max and sum of exponentials, in fp32.
    running_max = float("-inf")
    running_sum = 0.0
    for start in range(0, n_cols, BLOCK):
        x = tl.load(logits_row + start + cols, mask=start + cols < n_cols, other=float("-inf")).to(tl.float32)
        new_max = tl.maximum(running_max, tl.max(x, axis=0))
        running_sum = running_sum * tl.exp(running_max - new_max) + tl.sum(tl.exp(x - new_max), axis=0)
        running_max = new_max
    lse = running_max + tl.log(running_sum)
    label_logit = tl.load(logits_row + label).to(tl.float32)
    tl.store(LOSS + row, lse - label_logit)
    # Pass 2: overwrite the logits with dCE/dlogits = softmax − onehot(label).
    for start in range(0, n_cols, BLOCK):
        idx = start + cols
        mask = idx < n_cols
        x = tl.load(logits_row + idx, mask=mask, other=0.0).to(tl.float32)
        grad = tl.exp(x - lse)
        grad = tl.where(idx == label, grad - 1.0, grad)
        tl.store(logits_row + idx, grad.to(LOGITS.dtype.element_ty), mask=mask)


def _ce_grad_in_place_triton(logits, labels, ignore_index):
    n_rows, n_cols = logits.shape
    loss = torch.empty(n_rows, dtype=torch.float32, device=logits.device)
    block = min(_MAX_BLOCK, triton.next_power_of_2(n_cols))
    num_warps = 32 if block >= 32768 else (16 if block >= 8192 else 8)
    launchable(_ce_grad_in_place_kernel)[(n_rows,)](
        logits, labels, loss, logits.stride(0), n_cols, ignore_index,
        BLOCK=block, num_warps=num_warps,
    )
    return loss


def _at_least_fp32(dtype):
    return torch.promote_types(dtype, torch.float32)


def _ce_grad_in_place_torch(logits, labels, ignore_index):
    """Torch twin of the kernel: per-row CE, logits overwritten by its gradient (0 if ignored)."""
    valid = labels != ignore_index
    safe_labels = torch.where(valid, labels, 0)
    logits32 = logits.to(_at_least_fp32(logits.dtype))
    lse = torch.logsumexp(logits32, dim=-1)
    loss = (lse - logits32.gather(1, safe_labels[:, None]).squeeze(1)) * valid
    grad = torch.exp(logits32 - lse[:, None])
    grad[torch.arange(len(labels), device=logits.device), safe_labels] -= 1.0
    logits.copy_(grad * valid[:, None])
    return loss


def shift_labels(labels: torch.Tensor, ignore_index: int = -100) -> torch.Tensor:
    """[batch, seq] labels shifted left by one (position t predicts t+1), ignore_index at the end."""
    pad = torch.full_like(labels[..., :1], ignore_index)
    return torch.cat([labels[..., 1:], pad], dim=-1)


def _row_scale(labels, example_index, num_examples, ignore_index, dtype):
    """1 / (counted rows of the row's example) for counted rows, 0 for ignored ones."""
    valid = labels != ignore_index
    counts = torch.zeros(num_examples, dtype=dtype, device=labels.device)
    counts.index_add_(0, example_index, valid.to(dtype))
    return valid * (1.0 / counts.clamp(min=1.0))[example_index]


_CHUNK_ROWS = 1024  # H200, 8B shapes (V = 128256): 1.35x torch at 1024 rows vs 0.90x at Liger's 128
_CHUNK_LOGITS = 1 << 27  # at most 128 Mi logits per chunk (256 MB in bf16) for larger vocabularies


def _chunk_rows(n_rows, hidden_size, vocab_size, chunk_size):
    """Rows per chunk: `chunk_size` if given, else 1024 rows, fewer for a vocabulary over 128 Ki.

    Fewer rows per chunk means more, thinner GEMMs (Liger's hidden-sized chunk is 128 rows at 8B:
    slower than full logits); 1024 rows keep the logits transient at 256 MB for Llama 3's vocabulary.
    """
    if chunk_size:
        return chunk_size
    by_memory = 1 << max(6, (_CHUNK_LOGITS // max(vocab_size, 1)).bit_length() - 1)  # a power of two, >= 64
    return min(_CHUNK_ROWS, by_memory)


def _fused_chunk_loop(hidden, weight, labels, row_scale, ignore_index, want_dh, want_dw, chunk_size):
    """Per-example losses, and the gradients wrt hidden / weight for upstream grad 1 per example."""
    n_rows, hidden_size = hidden.shape
    ce_in_place = _ce_grad_in_place_triton if use_triton(hidden, weight) else _ce_grad_in_place_torch
    row_loss = torch.empty(n_rows, dtype=row_scale.dtype, device=hidden.device)
    grad_hidden = torch.empty_like(hidden) if want_dh else None
    grad_weight = torch.zeros_like(weight) if want_dw else None
    step = _chunk_rows(n_rows, hidden_size, weight.shape[0], chunk_size)
    for start in range(0, n_rows, step):
        rows = slice(start, min(start + step, n_rows))
        h = hidden[rows].to(weight.dtype)
        logits = h @ weight.t()
        row_loss[rows] = ce_in_place(logits, labels[rows], ignore_index)
        # The 1/count row scale is applied after the matmuls, in fp32: folded into fp16 logit
        # grads, softmax · 1/count would underflow for large vocabularies.
        scale = row_scale[rows, None]
        if want_dh:
            grad_hidden[rows] = (logits @ weight).to(scale.dtype) * scale
        if want_dw:
            grad_weight.addmm_(logits.t(), (h.to(scale.dtype) * scale).to(weight.dtype))
    return row_loss, grad_hidden, grad_weight


class FusedLinearCrossEntropyFunction(torch.autograd.Function):
    """Per-example CE losses; grads are computed in the forward chunk loop and scaled in backward."""

    @staticmethod
    def forward(ctx, hidden, weight, labels, example_index, num_examples, ignore_index, chunk_size, grad_enabled):
        # Losses in fp32 (fp64 for fp64 inputs, so gradcheck can run on the torch path).
        row_scale = _row_scale(labels, example_index, num_examples, ignore_index, _at_least_fp32(weight.dtype))
        # needs_input_grad stays True under torch.no_grad(), so the caller says whether grads count.
        want_dh = grad_enabled and ctx.needs_input_grad[0]
        want_dw = grad_enabled and ctx.needs_input_grad[1]
        row_loss, grad_hidden, grad_weight = _fused_chunk_loop(
            hidden, weight, labels, row_scale, ignore_index, want_dh, want_dw, chunk_size
        )
        losses = torch.zeros(num_examples, dtype=row_scale.dtype, device=hidden.device)
        losses.index_add_(0, example_index, row_loss * row_scale)
        ctx.save_for_backward(hidden, weight, labels, example_index, row_scale, grad_hidden, grad_weight)
        ctx.ignore_index, ctx.chunk_size = ignore_index, chunk_size
        return losses

    @staticmethod
    def backward(ctx, grad_losses):
        hidden, weight, labels, example_index, row_scale, grad_hidden, grad_weight = ctx.saved_tensors
        grad_losses = grad_losses.to(row_scale.dtype)
        dh = dw = None
        if grad_hidden is not None:  # scale in fp32: 1/batch is not exact in bf16
            dh = (grad_hidden * grad_losses[example_index][:, None]).to(grad_hidden.dtype)
        if grad_weight is not None:
            if bool((grad_losses == grad_losses[0]).all()):  # e.g. loss = losses.mean()
                dw = grad_weight * grad_losses[0].item()  # a Python scalar multiplies in fp32
            else:  # example weights differ: redo the loop with them folded into the row scale
                scaled = row_scale * grad_losses[example_index]
                _, _, dw = _fused_chunk_loop(
                    hidden, weight, labels, scaled, ctx.ignore_index, False, True, ctx.chunk_size
                )
        return dh, dw, None, None, None, None, None, None


def cross_entropy_reference(hidden, weight, labels, example_index, num_examples, ignore_index=-100):
    """Plain autograd: full fp32 logits, then the per-example mean of the per-token CE."""
    logits = hidden.to(weight.dtype) @ weight.t()
    logits = logits.to(_at_least_fp32(logits.dtype))
    token_loss = torch.nn.functional.cross_entropy(logits, labels, ignore_index=ignore_index, reduction="none")
    valid = (labels != ignore_index).to(logits.dtype)
    zeros = torch.zeros(num_examples, dtype=logits.dtype, device=hidden.device)
    counts = zeros.index_add(0, example_index, valid)
    sums = zeros.index_add(0, example_index, token_loss)
    return sums / counts.clamp(min=1.0)


def _flatten(hidden, labels, example_index, num_examples):
    if hidden.dim() == 3:
        batch, seq, _ = hidden.shape
        if labels.shape != (batch, seq):
            raise ValueError(f"fused_linear_cross_entropy: labels {tuple(labels.shape)} must be [{batch}, {seq}]")
        example_index = torch.arange(batch, device=hidden.device).repeat_interleave(seq)
        return hidden.reshape(batch * seq, -1), labels.reshape(-1), example_index, batch
    if hidden.dim() != 2 or labels.shape != hidden.shape[:1]:
        raise ValueError(
            "fused_linear_cross_entropy: pass hidden [N, H] with labels [N], or hidden [batch, seq, H] "
            f"with labels [batch, seq]; got {tuple(hidden.shape)} and {tuple(labels.shape)}"
        )
    if example_index is None or example_index.shape != labels.shape:
        raise ValueError("fused_linear_cross_entropy: hidden [N, H] needs example_index [N] (the example of each row)")
    example_index = example_index.long()
    if num_examples is None:
        num_examples = int(example_index.max()) + 1 if example_index.numel() else 0
    return hidden, labels, example_index, num_examples


def _check_labels(labels, vocab_size, ignore_index):
    bad = (labels != ignore_index) & ((labels < 0) | (labels >= vocab_size))
    if bool(bad.any()):
        row = int(bad.nonzero()[0, 0])
        raise ValueError(
            f"fused_linear_cross_entropy: label {int(labels[row])} at row {row} is outside the vocabulary "
            f"[0, {vocab_size}) and is not ignore_index={ignore_index}; check the tokenizer and the model match"
        )


def fused_linear_cross_entropy(
    hidden: torch.Tensor,
    weight: torch.Tensor,
    labels: torch.Tensor,
    example_index: torch.Tensor | None = None,
    num_examples: int | None = None,
    ignore_index: int = -100,
    chunk_size: int | None = None,
) -> torch.Tensor:
    """Per-example mean CE of h·Wᵀ against labels, as an fp32 tensor [num_examples].

    hidden [N, H] + labels [N] + example_index [N], or hidden [batch, seq, H] + labels [batch, seq]
    (rows of one sequence are one example). Never materialises the full logits.
    """
    hidden, labels, example_index, num_examples = _flatten(hidden, labels, example_index, num_examples)
    if hidden.shape[1] != weight.shape[1]:
        raise ValueError(f"fused_linear_cross_entropy: hidden size {hidden.shape[1]} != weight's {weight.shape[1]}")
    _check_labels(labels, weight.shape[0], ignore_index)
    labels = labels.long().contiguous()
    return FusedLinearCrossEntropyFunction.apply(
        hidden, weight, labels, example_index, num_examples, ignore_index, chunk_size, torch.is_grad_enabled()
    )
