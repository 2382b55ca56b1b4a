"""What privatune patches in a Hugging Face causal LM, per architecture: ONE table, `ARCHITECTURES`.

    patch_model(model) -> PatchReport

- RMSNorm modules: forward → `rms_norm` (Triton forward/backward, weight grad when trainable);
- RoPE: the modeling module's `apply_rotary_pos_emb` → `apply_rope` (process-wide, like every
  model of that family; it falls back to the original for any layout it does not cover);
- SwiGLU MLP modules: forward → `mlp.swiglu_mlp_forward` (one Function with a hand-written
  backward when gate/up/down are routed LoRA layers);
- attention modules: forward → `attention.attention_forward` (q/k/v LoRA as one Function, Triton
  RoPE, torch SDPA, o_proj; in training on the fused LoRA path, else the original forward);
- the loss: `per_example_loss_fn(model)` gives the trainer a per-example loss that runs the decoder
  and then the chunked fused linear + cross-entropy, so full-vocabulary logits never exist.

Every patched piece re-checks `use_triton` (kernels/_utils.py: the one Triton-or-torch decision) at
call time, so `PRIVATUNE_KERNELS=0` switches all of it off even after patching. Forwards are
replaced through `kernels/forwards.py` (`replace_forward` / `restore`), which keeps each original. A model family not in the table, or no CUDA (and no TRITON_INTERPRET),
leaves the model on the torch path with exactly one log line. LoRA layers themselves are routed by
`privatune.kernels.peft_routing.route_lora_layers` (done when the model is loaded), not here.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field

import torch
import torch.nn as nn

from privatune.kernels._utils import KERNELS_OFF, torch_path_reason, triton_status, use_triton
from privatune.kernels.forwards import original, replace_forward, restore

log = logging.getLogger("privatune.kernels")

LOSS_ATTR = "_privatune_per_example_loss"


@dataclass(frozen=True)
class Arch:
    """Names of what is patched in one model family (None: left on the torch path)."""

    rmsnorm: str  # RMSNorm class (weight, variance_epsilon; Llama casting convention)
    rope_module: str | None  # module whose `apply_rotary_pos_emb` is replaced
    mlp: str | None  # MLP class with gate_proj / up_proj / down_proj and a SiLU act_fn
    attention: str | None  # self-attention class with q_proj / k_proj / v_proj / o_proj, HF RoPE + sdpa/eager
    decoder: str = "model"  # attribute of the causal LM holding the decoder stack
    head: str = "lm_head"


ARCHITECTURES: dict[str, Arch] = {  # keyed by config.model_type
    "llama": Arch("LlamaRMSNorm", "transformers.models.llama.modeling_llama", "LlamaMLP", "LlamaAttention"),
    "mistral": Arch("MistralRMSNorm", "transformers.models.mistral.modeling_mistral", "MistralMLP",
                    "MistralAttention"),
    "qwen2": Arch("Qwen2RMSNorm", "transformers.models.qwen2.modeling_qwen2", "Qwen2MLP", "Qwen2Attention"),
    # Phi-3 fuses gate_up_proj and qkv_proj into one matrix each: its MLP and attention stay on the
    # torch path; partial rotary (rotary dim < head dim) falls back inside the RoPE wrapper.
    "phi3": Arch("Phi3RMSNorm", "transformers.models.phi3.modeling_phi3", None, None),
}


@dataclass
class PatchReport:
    model_type: str | None
    patched: dict[str, int] = field(default_factory=dict)  # what → how many modules/functions
    fallback: str | None = None  # why nothing was patched

    @property
    def active(self) -> bool:
        return self.fallback is None

    def line(self) -> str:
        if self.fallback:
            return f"privatune kernels off ({self.fallback}): torch path"
        parts = ", ".join(f"{k} {v}" for k, v in self.patched.items())
        return f"privatune kernels on for {self.model_type} ({triton_status()}): {parts}"


# ---- the patchers, one per row of Arch ------------------------------------------------------------

def _rmsnorm_forward(self, hidden_states):
    from privatune.kernels.rmsnorm import rms_norm

    return rms_norm(hidden_states, self.weight, self.variance_epsilon)


def _patch_instances(root: nn.Module, class_name: str, forward) -> int:
    count = 0
    for module in root.modules():
        if type(module).__name__ == class_name:
            replace_forward(module, forward)
            count += 1
    return count


ROPE = "apply_rotary_pos_emb"


def _rope_wrapper(module):
    def apply_rotary_pos_emb(q, k, cos, sin, *args, **kwargs):
        from privatune.kernels.rope import apply_rope

        # Older signatures pass position_ids / unsqueeze_dim: those layouts go to the original.
        plain = not args and set(kwargs) <= {"unsqueeze_dim"} and kwargs.get("unsqueeze_dim", 1) == 1
        if plain and q.dim() == 4 and cos.shape[-1] == q.shape[-1] and use_triton(q, k, cos, sin):
            return apply_rope(q, k, cos, sin)
        return original(module, ROPE)(q, k, cos, sin, *args, **kwargs)

    return apply_rotary_pos_emb


def _patch_rope(module_path: str) -> int:
    module = importlib.import_module(module_path)
    replace_forward(module, _rope_wrapper(module), ROPE)
    return 1


def restore_global_patches() -> None:
    """Put every modeling module's original `apply_rotary_pos_emb` back (benchmarks: stock runs after ours)."""
    for arch in ARCHITECTURES.values():
        if arch.rope_module:
            restore(importlib.import_module(arch.rope_module), ROPE)


def _patch_mlp(root: nn.Module, class_name: str, hidden_act: str) -> int:
    from privatune.kernels.mlp import swiglu_mlp_forward

    if hidden_act not in ("silu", "swish"):
        return 0
    return _patch_instances(root, class_name, swiglu_mlp_forward)


def _fused_per_example_loss(causal_lm, arch: Arch, batch: dict) -> torch.Tensor:
    """[batch] mean CE over each example's targets, as client.trainer.per_example_loss, fused."""
    from privatune.kernels.cross_entropy import fused_linear_cross_entropy, shift_labels

    decoder = getattr(causal_lm, arch.decoder)
    out = decoder(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], use_cache=False)
    hidden = out[0] if isinstance(out, tuple) else out.last_hidden_state
    # Shifting the labels (not the hidden states) keeps h contiguous; the last position is ignored.
    labels = shift_labels(batch["labels"])
    return fused_linear_cross_entropy(hidden, getattr(causal_lm, arch.head).weight, labels)


def _patch_loss(model: nn.Module, causal_lm: nn.Module, arch: Arch) -> int:
    head = getattr(causal_lm, arch.head, None)
    if type(head) is not nn.Linear or head.bias is not None:  # LoRA on lm_head, or a biased head
        return 0
    loss = lambda batch: _fused_per_example_loss(causal_lm, arch, batch)  # noqa: E731
    for target in {id(model): model, id(causal_lm): causal_lm}.values():
        object.__setattr__(target, LOSS_ATTR, loss)
    return 1


def per_example_loss_fn(model):
    """The patched model's fused per-example loss (a callable on a batch dict), or None."""
    fn = getattr(model, LOSS_ATTR, None)
    return fn if fn is not None and use_triton() else None


# ---- entry point -----------------------------------------------------------------------------------

def causal_lm_of(model: nn.Module) -> nn.Module:
    """The transformers causal LM inside a PEFT model (or the model itself)."""
    get_base = getattr(model, "get_base_model", None)
    return get_base() if callable(get_base) else model


def _fallback_reason(causal_lm: nn.Module) -> str | None:
    if torch_path_reason() == KERNELS_OFF:
        return KERNELS_OFF
    model_type = getattr(getattr(causal_lm, "config", None), "model_type", None)
    if model_type not in ARCHITECTURES:
        return f"model type {model_type!r} not in the patch table {sorted(ARCHITECTURES)}"
    probe = next(causal_lm.parameters(), None)
    if probe is None:
        return "the model has no parameters"
    return torch_path_reason(probe)


def patch_model(model: nn.Module, *, offload_activations: bool | str = False) -> PatchReport:
    """Patch `model` (a PEFT or plain HF causal LM) in place per ARCHITECTURES; logs one line.

    offload_activations: with gradient checkpointing on, keep each layer's checkpointed input in
    pinned CPU memory instead of GPU memory, and a frozen untied input-embedding table too (see
    privatune.kernels.offload); "auto": only for steps that would not fit the GPU's free memory.
    """
    causal_lm = causal_lm_of(model)
    model_type = getattr(getattr(causal_lm, "config", None), "model_type", None)
    report = PatchReport(model_type, fallback=_fallback_reason(causal_lm))
    if report.active:
        arch = ARCHITECTURES[model_type]
        report.patched["rmsnorm"] = _patch_instances(causal_lm, arch.rmsnorm, _rmsnorm_forward)
        if arch.rope_module:
            report.patched["rope"] = _patch_rope(arch.rope_module)
        if arch.mlp:
            report.patched["swiglu_mlp"] = _patch_mlp(causal_lm, arch.mlp, causal_lm.config.hidden_act)
        if arch.attention:
            from privatune.kernels.attention import attention_forward

            report.patched["attention"] = _patch_instances(causal_lm, arch.attention, attention_forward)
        report.patched["fused_ce_loss"] = _patch_loss(model, causal_lm, arch)
    if offload_activations == "auto":
        report.patched["auto_offload_checkpoints"] = _offload_checkpoints(causal_lm, auto=True)
    elif offload_activations:
        from privatune.kernels.offload import offload_input_embeddings

        report.patched["offloaded_checkpoints"] = _offload_checkpoints(causal_lm)
        report.patched["offloaded_embeddings"] = offload_input_embeddings(causal_lm)
    log.info(report.line())
    return report


def _offload_checkpoints(causal_lm: nn.Module, auto: bool = False) -> int:
    from transformers.modeling_layers import GradientCheckpointingLayer

    from privatune.kernels.offload import AutoOffload, offloaded_checkpoint, step_shape

    layers = [m for m in causal_lm.modules()
              if isinstance(m, GradientCheckpointingLayer) and getattr(m, "gradient_checkpointing", False)]
    checkpoint_fn = AutoOffload(causal_lm, step_shape(causal_lm)) if auto and layers else offloaded_checkpoint
    for layer in layers:
        layer._gradient_checkpointing_func = checkpoint_fn
    if not layers:
        log.warning("offload_activations: gradient checkpointing is off, nothing to offload")
    return len(layers)
