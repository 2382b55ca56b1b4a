"""docs/python-api.md's example runs as written: a plain HF Trainer with privatune's DP-SGD and ledger."""

from __future__ import annotations

import re
from pathlib import Path

import torch

DOC = Path(__file__).parents[2] / "docs" / "python-api.md"


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_documented_trainer_example_trains_with_dp_and_charges_the_ledger(tmp_path, monkeypatch, tiny_model_dir):
    from privatune.kernels.lora import lora_layers
    from privatune.privacy.dp import epsilon_of

    blocks = _python_blocks(DOC.read_text())
    assert len(blocks) == 1
    monkeypatch.chdir(tmp_path)
    # the Triton kernels are checked in tests/kernels; through the CPU interpreter they take minutes here
    monkeypatch.setenv("PRIVATUNE_KERNELS", "0")
    namespace: dict = {}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)  # noqa: S102 — the documented example itself

    ledger, trainer, model = namespace["ledger"], namespace["trainer"], namespace["model"]
    assert len(ledger.entries) == 4 and trainer.state.global_step == 4
    assert trainer.noise_multiplier > 0
    epsilon = epsilon_of(ledger.history(), 1e-5)
    assert trainer.epsilon() == epsilon and 0 < epsilon <= 8.0 * 1.001
    ledger.close()  # the ledger is exclusive: release it before reading it back
    reloaded = type(ledger)(tmp_path / "state" / "privacy-ledger.jsonl")
    assert len(reloaded.entries) == 4
    assert any(layer.lora_B["default"].weight.abs().sum() > 0 for layer in lora_layers(model))
    assert (tmp_path / "out" / "adapter" / "adapter_model.safetensors").exists()


def test_a_trainer_run_past_the_budget_is_refused_before_any_step(tmp_path, tiny_model_dir):
    import pytest
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainingArguments

    from privatune.data import TokenDataset
    from privatune.hf_trainer import DPTrainer
    from privatune.privacy.dp import BudgetExhausted, DPConfig
    from privatune.privacy.ledger import PrivacyLedger

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32),
                           LoraConfig(r=4, target_modules=["q_proj"], task_type="CAUSAL_LM"))
    ledger = PrivacyLedger(tmp_path / "ledger.jsonl")
    for _ in range(50):  # an earlier run over the same records spent most of the budget
        ledger.record(1, noise_multiplier=0.6, sample_rate=0.5)
    args = TrainingArguments(output_dir=str(tmp_path / "out"), max_steps=4, max_grad_norm=0.0, report_to=[])
    train_set = TokenDataset(["a short note"] * 16, tokenizer, 16)
    with pytest.raises(BudgetExhausted):
        DPTrainer(model=model, args=args, train_dataset=train_set, batch_size=8, pad_id=tokenizer.pad_token_id,
                  dp=DPConfig(target_epsilon=1.0), ledger=ledger)
    ledger.close()
    assert len(PrivacyLedger(tmp_path / "ledger.jsonl").entries) == 50
