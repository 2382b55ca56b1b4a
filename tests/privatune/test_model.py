import json

import numpy as np
import pytest
import torch

from privatune.config import RunConfig
from privatune.model import ModelError, check_model_dir, get_lora_state, load_model, set_lora_state


def test_model_dir_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        check_model_dir(tmp_path / "missing")
    with pytest.raises(ModelError, match="config.json is missing"):
        check_model_dir(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"architectures": ["BertForMaskedLM"]}))
    with pytest.raises(ModelError, match="not a causal LM"):
        check_model_dir(tmp_path)


def test_embedded_model_loads_in_nf4_double_quant_with_lora_on_all_projections(tiny_model_dir):
    import bitsandbytes as bnb

    model, tokenizer = load_model(RunConfig(model=str(tiny_model_dir), seed=3))
    linears = {n: m for n, m in model.named_modules() if isinstance(m, bnb.nn.Linear4bit)}
    assert len(linears) == 4 * 7  # 4 layers × 7 projections, all quantised
    weight = next(iter(linears.values())).weight
    assert weight.quant_type == "nf4"
    assert weight.compress_statistics  # double quantisation
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in n for n in trainable)
    assert len(trainable) == 2 * 4 * 7
    assert tokenizer("Patient note").input_ids


def test_lora_state_round_trip_and_strict_keys(tiny_model_dir):
    model, _ = load_model(RunConfig(model=str(tiny_model_dir)))
    state = get_lora_state(model)
    assert all(".lora_A." in k or ".lora_B." in k for k in state)
    changed = {k: v + np.float32(0.5) for k, v in state.items()}
    set_lora_state(model, changed)
    assert all(np.array_equal(get_lora_state(model)[k], changed[k]) for k in state)
    with pytest.raises(ValueError, match="unexpected"):
        set_lora_state(model, {**state, "base_model.model.lm_head.weight": np.zeros(3, np.float32)})
    set_lora_state(model, state)


def test_unknown_target_module_is_refused(tiny_model_dir):
    with pytest.raises(ModelError, match="c_attn"):
        load_model(RunConfig(model=str(tiny_model_dir), lora_target_modules="q_proj,c_attn"))
