"""`privatune export RUN_DIR`: the trained adapter out as a merged checkpoint, GGUF and an Ollama Modelfile.

The release gate: the run's signed audit log must verify (chain, signatures, head, and every
artifact it pins by SHA-256), and the adapter exported must be one the log pinned; otherwise export
refuses. Every file written is then appended to that log, so a released model is traceable to its run.

Merging: the adapter was trained on the NF4-quantised base, so by default it is merged into the
dequantised NF4 weights (exactly the model that was trained and audited); `merge_into="original"`
merges into the 16-bit checkpoint instead. LoRA is merged by PEFT's `merge_and_unload`.
GGUF is written with the `gguf` package in llama.cpp's layout (tensor names from gguf's own map,
q/k rows permuted as llama.cpp's converter does), so llama.cpp, Ollama and transformers read it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

log = logging.getLogger("privatune.export")

GGUF_TYPES = ("F16", "Q8_0", "F32")
DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}


class ExportError(RuntimeError):
    """The adapter cannot be released (log does not verify, unknown adapter, unsupported model)."""


@dataclass
class Source:
    run_dir: Path
    adapter_dir: Path
    base_model: Path
    config: dict  # the run config (dashed keys)


# ---- which adapter, and may it leave -----------------------------------------------------------

def find_source(path: str | Path) -> Source:
    """A run directory (its last committed adapter) or an adapter directory inside a run."""
    from privatune.config import RunConfig
    from privatune.model import resolve_model_dir

    path = Path(path).expanduser()
    if (path / "adapter_config.json").is_file():
        adapter = path
        run_dir = next((p for p in path.parents if (p / "config.json").is_file() and (p / "audit.log").exists()), None)
        if run_dir is None:
            raise ExportError(f"{path} is not inside a privatune run directory (no config.json and audit.log "
                              "above it): only adapters with a signed audit log can be exported")
    elif (path / "config.json").is_file() and (path / "state.json").is_file():
        run_dir = path
        last = json.loads((path / "state.json").read_text())["round"]
        adapter = path / "adapters" / f"round-{last}"
    else:
        raise ExportError(f"{path} is neither a run directory (config.json + state.json) nor an adapter "
                          "directory (adapter_config.json): pass the run-dir of a finished run")
    config = json.loads((run_dir / "config.json").read_text())["config"]
    known = {k: v for k, v in config.items() if k in RunConfig().to_flower()}
    base = resolve_model_dir(RunConfig.from_flower(known))
    return Source(run_dir=run_dir, adapter_dir=adapter, base_model=base, config=config)


def release_gate(source: Source) -> dict:
    """Raise ExportError unless the audit log verifies and pins this adapter; returns its log entry."""
    from privatune.privacy.report.runcheck import verify_run

    result = verify_run(source.run_dir)
    if not result.ok:
        raise ExportError(f"{source.run_dir / 'audit.log'} does not verify, so this adapter is not released: "
                          + "; ".join(result.errors[:3]) + f" (see `privatune report verify {source.run_dir}`)")
    rel = source.adapter_dir.resolve().relative_to(source.run_dir.resolve()).as_posix()
    pinned = [e for e in result.entries if e["fields"].get("path") == rel and "sha256" in e["fields"]]
    if not pinned:
        raise ExportError(f"{rel} is not named in {source.run_dir / 'audit.log'}: only adapters the run "
                          "committed and signed can be exported")
    return pinned[-1]


# ---- merged 16-bit checkpoint -----------------------------------------------------------------

def _dequantised_base(path: Path):
    """The base exactly as trained: each Linear4bit of the NF4 load (as privatune.model loads it),
    dequantised into the same layer of a plain float32 load."""
    import bitsandbytes as bnb
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                               bnb_4bit_compute_dtype=torch.float32)
    dev = "cuda:0" if torch.cuda.is_available() else "cpu"
    nf4 = AutoModelForCausalLM.from_pretrained(path, quantization_config=quant, device_map={"": dev},
                                               dtype=torch.float32, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, local_files_only=True)
    plain = dict(model.named_modules())
    with torch.no_grad():
        for name, module in nf4.named_modules():
            if isinstance(module, bnb.nn.Linear4bit):
                weight = bnb.functional.dequantize_4bit(module.weight.data, module.weight.quant_state)
                plain[name].weight.copy_(weight.float().cpu())
    del nf4
    return model


def merged_model(source: Source, merge_into: str = "auto"):
    """The base with the adapter merged in (float32, CPU), and the tokenizer."""
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    if merge_into == "auto":
        merge_into = "original" if source.config.get("quantization") == "none" else "nf4"
    if merge_into == "nf4":
        base = _dequantised_base(source.base_model)
    elif merge_into == "original":
        base = AutoModelForCausalLM.from_pretrained(source.base_model, dtype=torch.float32, local_files_only=True)
    else:
        raise ExportError(f"merge-into must be nf4, original or auto, got '{merge_into}'")
    model = PeftModel.from_pretrained(base, str(source.adapter_dir)).merge_and_unload()
    tokenizer = AutoTokenizer.from_pretrained(source.base_model, local_files_only=True)
    return model.eval(), tokenizer


def round_to(model, dtype: torch.dtype) -> None:
    """Weights rounded to the 16-bit type they are saved in, so every export holds the same numbers."""
    with torch.no_grad():
        for p in model.parameters():
            p.data = p.data.to(dtype).float()


def save_merged(model, tokenizer, out: Path, dtype: torch.dtype) -> Path:
    model.to(dtype).save_pretrained(out / "merged", safe_serialization=True)
    model.float()
    tokenizer.save_pretrained(out / "merged")
    return out / "merged"


# ---- GGUF ---------------------------------------------------------------------------------------

# model_type → (gguf architecture, permute q/k rows like llama.cpp's converter)
GGUF_ARCHITECTURES = {"llama": ("LLAMA", True), "mistral": ("LLAMA", True), "qwen2": ("QWEN2", False)}


def _permute_qk(weights: np.ndarray, n_head: int, n_head_kv: int | None) -> np.ndarray:
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return (weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def _tensor_type(data: np.ndarray, qtype):
    import gguf

    if data.ndim == 1 or qtype == gguf.GGMLQuantizationType.F32:
        return gguf.GGMLQuantizationType.F32  # norms and biases stay f32, as llama.cpp keeps them
    if qtype == gguf.GGMLQuantizationType.Q8_0 and data.shape[-1] % 32 != 0:
        return gguf.GGMLQuantizationType.F16  # Q8_0 needs rows in blocks of 32
    return qtype


def _add_vocab(writer, model_dir: Path, vocab_size: int) -> None:
    import gguf

    try:
        vocab = gguf.vocab.BpeVocab(model_dir)
    except FileNotFoundError:
        vocab = gguf.vocab.LlamaHfVocab(model_dir)
    tokens, scores, types = [], [], []
    for text, score, toktype in vocab.all_tokens():
        tokens.append(text), scores.append(score), types.append(toktype)
    for i in range(len(tokens), vocab_size):  # the embedding may be padded past the tokenizer
        tokens.append(f"[PAD{i}]"), scores.append(-1000.0), types.append(gguf.TokenType.UNUSED)
    writer.add_tokenizer_model(vocab.tokenizer_model)
    if vocab.tokenizer_model == "gpt2":
        writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    gguf.SpecialVocab(model_dir, load_merges=vocab.tokenizer_model == "gpt2", n_vocab=len(tokens)).add_to_gguf(
        writer, quiet=True)


def write_gguf(model, model_dir: Path, path: Path, qtype_name: str, name: str) -> Path:
    """One GGUF file of the merged model; `qtype_name` in GGUF_TYPES."""
    import gguf

    cfg = model.config
    if cfg.model_type not in GGUF_ARCHITECTURES:
        raise ExportError(f"GGUF export knows {sorted(GGUF_ARCHITECTURES)}, not '{cfg.model_type}'; "
                          "use the merged safetensors checkpoint (llama.cpp's convert_hf_to_gguf.py reads it)")
    arch_name, permute = GGUF_ARCHITECTURES[cfg.model_type]
    arch = getattr(gguf.MODEL_ARCH, arch_name)
    qtype = getattr(gguf.GGMLQuantizationType, qtype_name)
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    writer = gguf.GGUFWriter(str(path), gguf.MODEL_ARCH_NAMES[arch])
    writer.add_name(name)
    writer.add_context_length(cfg.max_position_embeddings)
    writer.add_embedding_length(cfg.hidden_size)
    writer.add_block_count(cfg.num_hidden_layers)
    writer.add_feed_forward_length(cfg.intermediate_size)
    writer.add_head_count(cfg.num_attention_heads)
    writer.add_head_count_kv(cfg.num_key_value_heads)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(float(getattr(cfg, "rope_theta", None)
                                    or (getattr(cfg, "rope_parameters", None) or {}).get("rope_theta", 10000.0)))
    writer.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    writer.add_vocab_size(cfg.vocab_size)
    writer.add_file_type({"F32": gguf.LlamaFileType.ALL_F32, "F16": gguf.LlamaFileType.MOSTLY_F16,
                          "Q8_0": gguf.LlamaFileType.MOSTLY_Q8_0}[qtype_name])
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    _add_vocab(writer, model_dir, cfg.vocab_size)
    names = gguf.get_tensor_name_map(arch, cfg.num_hidden_layers)
    for hf_name, tensor in model.state_dict().items():
        if "rotary_emb" in hf_name:
            continue
        gguf_name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if gguf_name is None:
            raise ExportError(f"no GGUF name for tensor '{hf_name}' of {cfg.model_type}")
        data = tensor.detach().float().cpu().numpy()
        if permute and hf_name.endswith("q_proj.weight"):
            data = _permute_qk(data, cfg.num_attention_heads, cfg.num_attention_heads)
        elif permute and hf_name.endswith("k_proj.weight"):
            data = _permute_qk(data, cfg.num_attention_heads, cfg.num_key_value_heads)
        ttype = _tensor_type(data, qtype)
        if ttype == gguf.GGMLQuantizationType.F32:
            writer.add_tensor(gguf_name, data.astype(np.float32))
        elif ttype == gguf.GGMLQuantizationType.F16:
            writer.add_tensor(gguf_name, data.astype(np.float16))
        else:
            writer.add_tensor(gguf_name, gguf.quants.quantize(data, ttype), raw_dtype=ttype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def modelfile(gguf_name: str, config: dict, eos: str | None) -> str:
    """An Ollama Modelfile for the GGUF beside it: the run's prompt template, stop at EOS."""
    template = str(config.get("prompt-template") or "{instruction}\n{response}")
    prompt = template.split("{response}")[0].replace("{instruction}", "{{ .Prompt }}").replace("{input}", "")
    lines = [f"FROM ./{gguf_name}", f'TEMPLATE """{prompt}"""']
    if eos:
        lines.append(f'PARAMETER stop "{eos}"')
    return "\n".join(lines) + "\n"


# ---- the command ---------------------------------------------------------------------------------

def export(path: str | Path, out_dir: str | Path | None = None, gguf_types: tuple[str, ...] = ("F16", "Q8_0"),
           dtype: str = "bfloat16", merge_into: str = "auto", signing_key: str | Path | None = None) -> dict:
    """Gate, merge, write; returns {kind: path}. Every output is logged in the run's audit log."""
    from privatune.config import RunConfig
    from privatune.privacy.report.auditlog import AuditLog
    from privatune.privacy.report.hashing import sha256_tree
    from privatune.server.auditing import signing_key_path

    source = find_source(path)
    pinned = release_gate(source)
    if dtype not in DTYPES:
        raise ExportError(f"--dtype must be one of {sorted(DTYPES)}, got '{dtype}'")
    unknown = [t for t in gguf_types if t not in GGUF_TYPES]
    if unknown:
        raise ExportError(f"--gguf takes {', '.join(GGUF_TYPES)}; unknown {unknown}")
    out = Path(out_dir) if out_dir else source.run_dir / "export"
    out.mkdir(parents=True, exist_ok=True)
    model, tokenizer = merged_model(source, merge_into)
    round_to(model, DTYPES[dtype])
    outputs = {"merged": save_merged(model, tokenizer, out, DTYPES[dtype])}
    name = f"{source.base_model.name}-{source.run_dir.name}"
    for qtype in gguf_types:
        outputs[f"gguf-{qtype}"] = write_gguf(model, source.base_model, out / f"model-{qtype}.gguf", qtype, name)
    if gguf_types:
        best = "Q8_0" if "Q8_0" in gguf_types else gguf_types[0]
        outputs["modelfile"] = out / "Modelfile"
        outputs["modelfile"].write_text(modelfile(f"model-{best}.gguf", source.config, tokenizer.eos_token))
    known = {k: v for k, v in source.config.items() if k in RunConfig().to_flower()}
    key = signing_key or signing_key_path(RunConfig.from_flower(known))
    audit = AuditLog(source.run_dir / "audit.log", key)
    root = source.run_dir.resolve()
    for kind, target in outputs.items():
        fields = {"kind": kind, "adapter": pinned["fields"]["path"], "adapter_sha256": pinned["fields"]["sha256"],
                  "sha256": sha256_tree(target)}
        resolved = target.resolve()
        if root in resolved.parents:  # inside the run: pinned, so `report verify` checks it later
            fields["path"] = resolved.relative_to(root).as_posix()
        else:
            fields["target"] = str(resolved)[-200:]
        audit.append("exported", **fields)
        log.info("exported %s: %s", kind, target)
    return outputs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("export", help="merged 16-bit checkpoint, GGUF and an Ollama Modelfile of a run")
    p.add_argument("path", help="a run directory (its last round) or an adapter directory inside one")
    p.add_argument("--out", default=None, help="output directory (default RUN_DIR/export)")
    p.add_argument("--gguf", default="F16,Q8_0", help="comma-separated GGUF types (F16, Q8_0, F32); '' for none")
    p.add_argument("--dtype", default="bfloat16", choices=sorted(DTYPES), help="dtype of the merged checkpoint")
    p.add_argument("--merge-into", default="auto", choices=("auto", "nf4", "original"),
                   help="merge into the dequantised NF4 base (as trained; default for NF4 runs) or the original")
    p.add_argument("--signing-key", default=None, help="the run's audit signing key (default: the run's)")
    p.set_defaults(func=_cmd_export)


def _cmd_export(args) -> int:
    types = tuple(t.strip().upper() for t in args.gguf.split(",") if t.strip())
    outputs = export(args.path, args.out, types, args.dtype, args.merge_into, args.signing_key)
    for kind, target in outputs.items():
        print(f"{kind:10s} {target}")
    if "modelfile" in outputs:
        print(f"ollama:    cd {outputs['modelfile'].parent} && ollama create my-model -f Modelfile")
    return 0
