"""The embedded defaults: a small Llama model, its tokenizer and the synthetic federation data.

Nothing can be downloaded, so privatune creates its default model once into a cache directory
(`$PRIVATUNE_CACHE`, else ~/.cache/privatune) and from then on loads it through exactly the same
`from_pretrained` + 4-bit path as any local checkpoint. Creation is atomic (build in a temporary
directory, then rename), so concurrent Flower clients never see half a model.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from privatune import synthetic

TINY_MODEL_NAME = "tiny-llama-v1"
TINY_VOCAB = 2048
TINY_SEED = 1234


def cache_dir() -> Path:
    root = os.environ.get("PRIVATUNE_CACHE") or Path.home() / ".cache" / "privatune"
    return Path(root)


def default_model_dir() -> Path:
    """Path of the embedded model, created on first use."""
    path = cache_dir() / "models" / TINY_MODEL_NAME
    if not (path / "config.json").exists():
        _atomic_build(path, _build_tiny_model)
    return path


def default_data_dir(num_clients: int, records_per_client: int, seed: int) -> Path:
    """Directory of client-{i}.jsonl for the embedded synthetic federation, created on first use."""
    path = cache_dir() / "data" / f"synthetic-v1-n{num_clients}-r{records_per_client}-s{seed}"
    if not (path / f"client-{num_clients - 1}.jsonl").exists():
        _atomic_build(path, lambda tmp: synthetic.write_federation(tmp, num_clients, records_per_client, seed))
    return path


def resolve_data_dir(config) -> Path:
    """The simulation's data directory: run-config data-dir, or the embedded synthetic federation."""
    if config.data_dir:
        return Path(config.data_dir).expanduser()
    return default_data_dir(config.num_clients, config.records_per_client, config.seed)


CLIENT_FORMATS = (".jsonl", ".csv", ".parquet")


def client_file(data_dir: Path, index: int) -> Path:
    """Client <index>'s records in data_dir: client-<index>.jsonl, .csv or .parquet (exactly one)."""
    from privatune.data import DataError

    data_dir = Path(data_dir)
    found = [data_dir / f"client-{index}{ext}" for ext in CLIENT_FORMATS if (data_dir / f"client-{index}{ext}").is_file()]
    if len(found) == 1:
        return found[0]
    if found:
        raise DataError(f"{data_dir} holds {', '.join(p.name for p in found)}: keep one file per client")
    if not data_dir.is_dir():
        raise DataError(f"data directory {data_dir} does not exist: set run-config 'data-dir' to a directory of "
                        "client-<i>.jsonl/.csv/.parquet files, or leave it empty for the embedded records")
    raise DataError(f"{data_dir} has no client-{index}.jsonl, .csv or .parquet: run-config 'data-dir' needs one "
                    f"file per client (client-0 … client-<num-clients − 1>), or lower 'num-clients'")


def _atomic_build(final: Path, build) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        build(tmp)
        try:
            tmp.rename(final)
        except OSError:
            if not final.exists():  # a real failure, not a concurrent builder that won the race
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _build_tokenizer(out: Path):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=TINY_VOCAB, min_frequency=2, special_tokens=["<pad>", "<s>", "</s>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(synthetic.corpus(seed=TINY_SEED), trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>")
    fast.padding_side = "right"
    fast.save_pretrained(out)
    return fast


def _build_tiny_model(out: Path) -> None:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    tokenizer = _build_tokenizer(out)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=192, intermediate_size=512, num_hidden_layers=4,
        num_attention_heads=6, num_key_value_heads=2, max_position_embeddings=1024,
        tie_word_embeddings=False, bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
    )
    with torch.random.fork_rng():
        torch.manual_seed(TINY_SEED)
        model = LlamaForCausalLM(config)
    model.save_pretrained(out)
