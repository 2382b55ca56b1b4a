"""A tiny CPU test bench for audits: byte-level tokenizer, random-init Llama, LoRA, a plain loop.

Soundness tests train on the included canaries and audit the result: without DP, ε̂ must be large;
with DP, ε̂ must stay at or below the accountant's ε. Everything here is built offline in seconds.
"""

from __future__ import annotations

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>")
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def byte_tokenizer() -> PreTrainedTokenizerFast:
    """One token per byte (256) plus <pad>, <bos>, <eos>; every text starts with <bos>."""
    vocab = {tok: i for i, tok in enumerate(SPECIAL_TOKENS)}
    for char in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[char] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.TemplateProcessing(single="<bos> $A", special_tokens=[("<bos>", vocab["<bos>"])])
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", bos_token="<bos>", eos_token="<eos>")


def tiny_llama(vocab_size: int, seed: int = 0, hidden: int = 64, layers: int = 2) -> LlamaForCausalLM:
    """A random-init Llama small enough to train in seconds on one CPU core."""
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=256,
        pad_token_id=0,
    )
    return LlamaForCausalLM(config)


def with_lora(model, rank: int = 8, alpha: int = 16):
    """PEFT LoRA on all seven projections (dropout 0, B = 0 at start: the adapter begins as a no-op)."""
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=0.0, target_modules=LORA_TARGETS, task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def _batch(tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    encoded = [tokenizer(t, add_special_tokens=True)["input_ids"] for t in texts]
    width = max(len(ids) for ids in encoded)
    input_ids = torch.full((len(encoded), width), tokenizer.pad_token_id, dtype=torch.long)
    mask = torch.zeros(len(encoded), width, dtype=torch.long)
    for row, ids in enumerate(encoded):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        mask[row, : len(ids)] = 1
    return input_ids, mask


def per_example_loss(model, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean token NLL of each example, padding excluded (DESIGN.md contract 1)."""
    logits = model(input_ids=input_ids, attention_mask=mask).logits[:, :-1]
    nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), input_ids[:, 1:], reduction="none")
    target_mask = mask[:, 1:].to(nll.dtype)
    return (nll * target_mask).sum(1) / target_mask.sum(1)


def train_on_texts(
    model,
    tokenizer,
    texts: list[str],
    epochs: int,
    lr: float = 1e-2,
    batch_size: int = 32,
    seed: int = 0,
    optimizer: torch.optim.Optimizer | None = None,
) -> list[float]:
    """Plain (non-DP) training of the trainable parameters; returns the mean loss of each epoch.

    Pass `optimizer` to train with another one (e.g. a DP optimizer over the same parameters).
    """
    if not texts:
        raise ValueError("no texts to train on")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = optimizer or torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    generator = torch.Generator().manual_seed(seed)
    input_ids, mask = _batch(tokenizer, texts)
    model.train()
    history = []
    for _ in range(epochs):
        order = torch.randperm(len(texts), generator=generator)
        losses = []
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            loss = per_example_loss(model, input_ids[rows], mask[rows]).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    model.eval()
    return history


def canary_experiment(
    canaries,
    train=None,
    seed: int = 0,
    k_plus: int | None = None,
    k_minus: int | None = None,
    delta: float = 1e-5,
    confidence: float = 0.95,
):
    """Train a fresh tiny LoRA model on the included canaries, then audit it.

    `train(model, tokenizer, texts)` does the training and returns the accountant's ε (None when
    no DP is claimed); the default is a leaky plain loop (60 passes, no DP).
    Returns (audit result, model, tokenizer). A DP soundness test is then:

        result, _, _ = canary_experiment(generate_canaries(256, 0, 1), train=my_dp_train)
        assert result["epsilon_lower_bound_max"] > result["accountant_epsilon"]  # the test can fail
        assert result["epsilon_lower_bound"] <= result["accountant_epsilon"]
    """
    from privatune.privacy.audit.run import audit_model

    tokenizer = byte_tokenizer()
    model = with_lora(tiny_llama(len(tokenizer), seed=seed))
    texts = [t for client in range(canaries.num_clients) for t in canaries.for_client(client)]
    if train is None:
        train_on_texts(model, tokenizer, texts, epochs=60, lr=5e-3, batch_size=16, seed=seed)
        accountant_epsilon = None
    else:
        accountant_epsilon = train(model, tokenizer, texts)
    result = audit_model(model, tokenizer, canaries, accountant_epsilon=accountant_epsilon, delta=delta,
                         k_plus=k_plus, k_minus=k_minus, confidence=confidence)
    return result, model, tokenizer


def secret_canary_experiment(canaries, ledger_path, noise: bool, epsilon: float = 1.0, steps: int = 250,
                             lr: float = 1e-2, num_candidates: int = 63, num_samples: int = 2, seed: int = 0):
    """Train a fresh tiny LoRA model on the inserted secret canaries with privatune's DP-SGD trainer
    (q = 1, Opacus clipping), then run the data-extraction audit on it.

    noise=False is the leaky run (clipping only, no privacy, `steps` full passes); noise=True
    calibrates the noise to `epsilon` (RDP accountant, δ = 1e-5). Returns (result, model, tokenizer).
    """
    from privatune.client.trainer import train_local_dp
    from privatune.data import TokenDataset
    from privatune.kernels.lora import route_lora_layers
    from privatune.privacy.audit.secret_audit import audit_secrets
    from privatune.privacy.dp import DPConfig, DPPlan, calibrate_noise, epsilon_of
    from privatune.privacy.ledger import PrivacyLedger

    tokenizer = byte_tokenizer()
    model = with_lora(tiny_llama(len(tokenizer), seed=seed))
    route_lora_layers(model)
    texts = [t for client in range(canaries.num_clients) for t in canaries.for_client(client)]
    data = TokenDataset(texts, tokenizer, max_len=96)
    dp = DPConfig(target_epsilon=epsilon, delta=1e-5, accountant="rdp", max_grad_norm=1.0)
    sigma = calibrate_noise(dp, 1.0, steps) if noise else 0.0
    ledger = PrivacyLedger(ledger_path)
    train_local_dp(model, data, DPPlan(dp, sigma, 1.0, steps), ledger, lr=lr, server_round=1)
    model.eval()
    accountant_epsilon = epsilon_of(ledger.history(), 1e-5, "rdp") if noise else None
    result = audit_secrets(model, tokenizer, canaries, accountant_epsilon=accountant_epsilon,
                           num_candidates=num_candidates, num_samples=num_samples)
    return result, model, tokenizer
