"""`privatune export`: merged checkpoint and GGUF read back by transformers, behind the release gate."""

from __future__ import annotations

import json
import shutil

import pytest
import torch

PROMPT = "### Instruction:\nSummarise the referral of the patient.\n\n### Response:\n"


@pytest.fixture(scope="module")
def exported(site_run):
    from privatune.cli import main

    assert main(["export", str(site_run), "--gguf", "F16,Q8_0", "--dtype", "float16"]) == 0
    return site_run / "export"


def _trained_logits(site_run, ids, adapter: bool):
    """Logits of the model as trained: privatune's own NF4 + LoRA load, adapter weights from the run."""
    from privatune.config import RunConfig
    from privatune.model import initial_lora_state, load_model, set_lora_state
    from privatune.server.rundir import RunDir

    saved = json.loads((site_run / "config.json").read_text())["config"]
    config = RunConfig.from_flower({k: v for k, v in saved.items() if k in RunConfig().to_flower()})
    model, _ = load_model(config)
    rundir = RunDir(site_run)
    set_lora_state(model, rundir.load_adapter_state(rundir.last_round()) if adapter else initial_lora_state(model))
    model.eval()
    with torch.no_grad():
        return model(input_ids=ids).logits.float()


def test_merged_checkpoint_and_gguf_give_the_trained_models_logits(site_run, exported):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(exported / "merged")
    ids = tokenizer([PROMPT], return_tensors="pt").input_ids
    trained = _trained_logits(site_run, ids, adapter=True)
    untrained = _trained_logits(site_run, ids, adapter=False)
    adapter_effect = (trained - untrained).abs().max().item()

    merged = AutoModelForCausalLM.from_pretrained(exported / "merged", dtype=torch.float32).eval()
    with torch.no_grad():
        merged_logits = merged(input_ids=ids).logits
    merge_error = (merged_logits - trained).abs().max().item()
    assert merge_error < 0.02 and merge_error < adapter_effect / 5  # only float16 rounding of the weights

    for qtype, tolerance in (("F16", 1e-4), ("Q8_0", 0.1)):
        gguf_model = AutoModelForCausalLM.from_pretrained(exported, gguf_file=f"model-{qtype}.gguf",
                                                          dtype=torch.float32).eval()
        with torch.no_grad():
            error = (gguf_model(input_ids=ids).logits - merged_logits).abs().max().item()
        assert error < tolerance, (qtype, error)
        gguf_tokenizer = AutoTokenizer.from_pretrained(exported, gguf_file=f"model-{qtype}.gguf")
        assert gguf_tokenizer([PROMPT]).input_ids == tokenizer([PROMPT]).input_ids

    modelfile = (exported / "Modelfile").read_text()
    assert modelfile.startswith("FROM ./model-Q8_0.gguf") and "{{ .Prompt }}" in modelfile and "</s>" in modelfile


def test_export_is_appended_to_the_signed_log_and_pinned(site_run, exported):
    from privatune.privacy.report.runcheck import verify_run

    check = verify_run(site_run)
    assert check.ok, check.errors
    logged = {e["fields"]["kind"]: e["fields"] for e in check.entries if e["event"] == "exported"}
    assert set(logged) == {"merged", "gguf-F16", "gguf-Q8_0", "modelfile"}
    assert logged["gguf-Q8_0"]["path"] == "export/model-Q8_0.gguf"
    assert logged["merged"]["adapter"] == "adapters/round-2"


def test_export_refuses_an_adapter_the_log_does_not_vouch_for(site_run, exported, tmp_path):
    from privatune.export import ExportError, export

    # the adapter changed after it was signed
    copy = tmp_path / "tampered"
    shutil.copytree(site_run, copy, ignore=shutil.ignore_patterns("export", "tensorboard"))
    weights = copy / "adapters" / "round-2" / "adapter_model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-3] ^= 0x01
    weights.write_bytes(bytes(data))
    with pytest.raises(ExportError, match="does not verify"):
        export(copy, gguf_types=())
    assert not (copy / "export").exists()

    # a log line removed
    copy2 = tmp_path / "cut"
    shutil.copytree(site_run, copy2, ignore=shutil.ignore_patterns("export", "tensorboard"))
    lines = (copy2 / "audit.log").read_text().splitlines(keepends=True)
    (copy2 / "audit.log").write_text("".join(lines[:2] + lines[3:]))
    with pytest.raises(ExportError, match="does not verify"):
        export(copy2, gguf_types=())

    # an adapter directory the run never committed
    stray = copy2.parent / "stray-adapter"
    shutil.copytree(site_run / "adapters" / "round-2", stray)
    with pytest.raises(ExportError, match="not inside a privatune run"):
        export(stray, gguf_types=())
