"""`quantization = none`: 16-bit (fp32 on CPU) LoRA on the checkpoint's own weights, same LoRA Function.

The fused kernels on a dense (unquantised) base are checked against the torch path in
tests/kernels/test_patch.py (its tiny Llama has plain nn.Linear projections).
"""

from __future__ import annotations

import pytest
import torch


def test_unquantised_base_keeps_the_checkpoint_weights_and_trains_with_dp(small_config, tmp_path):
    import bitsandbytes as bnb
    from transformers import AutoModelForCausalLM

    from privatune.client.trainer import train_local_dp
    from privatune.data import TokenDataset
    from privatune.kernels.lora import lora_layers
    from privatune.model import get_lora_state, load_model, resolve_model_dir
    from privatune.privacy.dp import DPConfig, DPPlan
    from privatune.privacy.ledger import PrivacyLedger

    config = small_config.replace(quantization="none")
    model, tokenizer = load_model(config)
    assert not any(isinstance(m, bnb.nn.Linear4bit) for m in model.modules())
    plain = AutoModelForCausalLM.from_pretrained(resolve_model_dir(config), dtype=torch.float32)
    q_model = dict(model.named_modules())["base_model.model.model.layers.0.self_attn.q_proj"].base_layer
    assert torch.equal(q_model.weight, plain.model.layers[0].self_attn.q_proj.weight)
    assert len(lora_layers(model)) == 4 * 7

    before = get_lora_state(model)
    texts = [f"patient {i} is stable and goes home" for i in range(16)]
    ledger = PrivacyLedger(tmp_path / "ledger.jsonl")
    plan = DPPlan(DPConfig(), noise_multiplier=1.0, sample_rate=0.25, steps=2)
    result = train_local_dp(model, TokenDataset(texts, tokenizer, 32), plan, ledger, lr=0.01, server_round=1)
    after = get_lora_state(model)
    assert result.steps == 2 and len(ledger.entries) == 2
    assert any(not torch.equal(torch.from_numpy(before[k]), torch.from_numpy(after[k])) for k in before)


def test_quantization_setting_is_checked():
    from privatune.config import ConfigError, RunConfig

    with pytest.raises(ConfigError, match="'quantization' must be one of nf4, none"):
        RunConfig.from_flower({"quantization": "int8"})
