"""Base model in 4-bit NF4 (bitsandbytes, double quantisation) with PEFT LoRA attached.

Works for any local Hugging Face causal-LM directory (Llama, Mistral, Qwen2, Phi-3 families) and
for the embedded default model, through the same `from_pretrained` path. Only LoRA tensors are ever
read out of or written into the model here, keyed by PEFT state-dict names (DESIGN.md contract 2).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import torch

from privatune.config import RunConfig
from privatune.embedded import default_model_dir
from privatune.kernels.lora import route_lora_layers
from privatune.kernels.patch import patch_model

log = logging.getLogger("privatune.model")

_LOADED: dict[tuple, tuple] = {}  # per process: loading and quantising is the slow part of a round


class ModelError(ValueError):
    """The base model directory is missing or is not a causal language model."""


def resolve_model_dir(config: RunConfig) -> Path:
    """The checkpoint directory to load: `model` itself, the cached conversion of a .gguf file, or the default."""
    if not config.model:
        return default_model_dir()
    from privatune.gguf_import import cached_checkpoint, is_gguf

    return cached_checkpoint(config.model) if is_gguf(config.model) else Path(config.model).expanduser()


def check_model_dir(path: Path) -> dict:
    """Fail early, with what to do, when `path` is not a loadable causal-LM checkpoint."""
    if not path.is_dir():
        raise ModelError(f"model directory {path} does not exist: set run-config 'model' to a local "
                         "Hugging Face checkpoint directory, or leave it empty for the embedded default")
    config_file = path / "config.json"
    if not config_file.is_file():
        raise ModelError(f"{config_file} is missing: {path} is not a Hugging Face model directory")
    try:
        hf_config = json.loads(config_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(f"{config_file} is not valid JSON ({err}); re-export the checkpoint") from None
    architectures = hf_config.get("architectures") or []
    if not any(a.endswith("ForCausalLM") for a in architectures):
        raise ModelError(f"{config_file}: field 'architectures' is {architectures}, not a causal LM "
                         "(expected e.g. LlamaForCausalLM); privatune fine-tunes causal language models")
    if not any(path.glob("*.safetensors")) and not any(path.glob("*.bin")):
        raise ModelError(f"{path} has no weight files (*.safetensors or *.bin): copy the full checkpoint")
    if not (path / "tokenizer.json").is_file() and not (path / "tokenizer_config.json").is_file():
        raise ModelError(f"{path} has no tokenizer (tokenizer.json / tokenizer_config.json): copy it beside the weights")
    return hf_config


def device() -> torch.device:
    return torch.device("cuda:0" if torch.cuda.is_available() else "cpu")


def load_model(config: RunConfig):
    """(peft_model, tokenizer): the 4-bit base with freshly initialised LoRA (seeded by config.seed).

    Cached per process; callers load the weights they need with `set_lora_state`.
    """
    path = resolve_model_dir(config)
    key = (str(path.resolve()), config.lora_r, config.lora_alpha, config.lora_dropout,
           tuple(config.target_modules), config.seed, config.gradient_checkpointing, config.offload_activations)
    if key not in _LOADED:
        _LOADED.clear()  # one model per process
        _LOADED[key] = _load(path, config)
    return _LOADED[key]


def _load(path: Path, config: RunConfig):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    check_model_dir(path)
    dev = device()
    compute_dtype = torch.bfloat16 if dev.type == "cuda" else torch.float32
    quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                               bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=compute_dtype)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "right"
    base = AutoModelForCausalLM.from_pretrained(
        path, quantization_config=quant, device_map={"": str(dev)}, dtype=compute_dtype,
        local_files_only=True,
    )
    missing = [m for m in config.target_modules if not any(n.endswith("." + m) for n, _ in base.named_modules())]
    if missing:
        raise ModelError(f"run-config 'lora-target-modules' names {missing}, which {path} does not have; "
                         "pick module names of this architecture (e.g. q_proj,v_proj)")
    if config.gradient_checkpointing:  # non-reentrant: recomputes forward, our LoRA backward still runs once
        base.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    lora = LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=config.lora_dropout,
                      target_modules=config.target_modules, task_type="CAUSAL_LM")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)  # every party derives the same initial adapter
        model = get_peft_model(base, lora)
    model.config.use_cache = False
    route_lora_layers(model)  # every LoRA layer through privatune.kernels.lora (per-example grads for DP)
    if dev.type == "cuda":
        # Triton kernels per architecture (one log line when it falls back); offloading needs checkpointing
        patch_model(model, offload_activations=config.offload_activations and config.gradient_checkpointing)
    else:
        log.info("kernels: torch reference path (no CUDA)")
    model.privatune_initial_lora = get_lora_state(model)  # the cached model's LoRA weights change later
    log.info("loaded %s in 4-bit NF4 with LoRA r=%d on %s", path.name, config.lora_r, dev)
    return model, tokenizer


# ---- LoRA tensors in and out (PEFT state-dict names, float32 numpy) ---------------------------

def get_lora_state(model) -> dict[str, np.ndarray]:
    from peft import get_peft_model_state_dict

    return {k: v.detach().float().cpu().numpy().copy() for k, v in get_peft_model_state_dict(model).items()}


def lora_delta(model, global_state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What a client sends (DESIGN.md contract 2): its LoRA weights now − the global weights it started from."""
    local = get_lora_state(model)
    return {k: local[k] - global_state[k] for k in global_state}


def set_lora_state(model, state: dict[str, np.ndarray]) -> None:
    """Load LoRA tensors; the key set must be exactly the model's, so nothing is silently skipped."""
    from peft import set_peft_model_state_dict

    expected = set(get_lora_state_keys(model))
    if set(state) != expected:
        extra, missing = sorted(set(state) - expected)[:3], sorted(expected - set(state))[:3]
        raise ValueError(f"LoRA state does not match the model: unexpected {extra}, missing {missing}")
    tensors = {k: torch.from_numpy(np.asarray(v, dtype=np.float32)) for k, v in state.items()}
    set_peft_model_state_dict(model, tensors)


def initial_lora_state(model) -> dict[str, np.ndarray]:
    """The seeded initial adapter every party derives (not the cached model's current weights)."""
    return {k: v.copy() for k, v in model.privatune_initial_lora.items()}


def get_lora_state_keys(model) -> list[str]:
    from peft import get_peft_model_state_dict

    return list(get_peft_model_state_dict(model).keys())


def save_adapter(model, state: dict[str, np.ndarray], out_dir: Path) -> None:
    """Write `state` as a PEFT adapter directory (adapter_config.json + adapter_model.safetensors)."""
    set_lora_state(model, state)
    model.save_pretrained(str(out_dir))
