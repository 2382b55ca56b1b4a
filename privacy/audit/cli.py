"""`privatune audit --base MODEL --adapter DIR --canaries FILE [--secret-canaries FILE]`: audit one adapter
for membership leakage (canaries) and for data extraction (secret canaries: exposure, prompted extraction)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_DP_BROKEN = 3  # the audit proved more leakage than the accountant's ε allows


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("audit", help="membership-inference and data-extraction audit of a LoRA adapter")
    p.add_argument("--base", required=True, type=Path, help="local base model directory (Hugging Face format)")
    p.add_argument("--adapter", required=True, type=Path, help="PEFT adapter directory (e.g. RUN_DIR/adapters/round-N)")
    p.add_argument("--canaries", type=Path, help="server-side canary file (with inclusion bits)")
    p.add_argument("--secret-canaries", type=Path,
                   help="server-side secret-canary file (RUN_DIR/audit/secrets.json): exposure and extraction audit")
    p.add_argument("--candidates", type=int, default=255, help="sampled candidate secrets per canary (default 255)")
    p.add_argument("--extraction-samples", type=int, default=8, help="sampled generations per prompt (default 8)")
    p.add_argument("--seed", type=int, help="seed of candidates and sampling (default: random, recorded)")
    p.add_argument("--tokenizer", type=Path, help="tokenizer directory (default: --base)")
    p.add_argument("--accountant-epsilon", type=float, help="the accountant's ε to compare against (omit: no DP claimed)")
    p.add_argument("--delta", type=float, default=1e-5, help="δ of the DP guarantee (default 1e-5)")
    p.add_argument("--k-plus", type=int, help="number of 'member' guesses (default m/4)")
    p.add_argument("--k-minus", type=int, help="number of 'non-member' guesses (default m/4)")
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--load-in-4bit", action="store_true", help="load the base in NF4 as training did (bitsandbytes)")
    p.add_argument("--out", type=Path, help="write the result JSON here")
    p.add_argument("--run-dir", type=Path, help="also write RUN_DIR/audit/round-N.json (needs --round)")
    p.add_argument("--round", type=int, help="round number of the adapter, for --run-dir")
    p.add_argument("--signing-key", type=Path, help="the run's Ed25519 key: log the audit in RUN_DIR/audit.log")
    p.set_defaults(func=run_audit_command)


def _check_inputs(args: argparse.Namespace) -> str | None:
    if args.canaries is None and args.secret_canaries is None:
        return "give --canaries FILE (membership audit), --secret-canaries FILE (extraction audit) or both"
    for flag, path in (("--base", args.base), ("--adapter", args.adapter), ("--canaries", args.canaries),
                       ("--secret-canaries", args.secret_canaries)):
        if path is not None and not path.exists():
            return f"{flag} {path}: not found"
    if not (args.adapter / "adapter_config.json").exists():
        return f"--adapter {args.adapter}: no adapter_config.json; point at a PEFT adapter folder (adapters/round-N)"
    if args.run_dir is not None and args.round is None:
        return "--run-dir needs --round N (the round of the adapter)"
    if args.signing_key is not None and args.run_dir is None:
        return "--signing-key needs --run-dir (the log is RUN_DIR/audit.log)"
    if args.candidates < 1 or args.extraction_samples < 0:
        return "--candidates must be ≥ 1 and --extraction-samples ≥ 0"
    return None


def _load(args: argparse.Namespace):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

    kwargs = {"local_files_only": True}
    if args.load_in_4bit:
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.float32)
    else:
        kwargs["dtype"] = torch.float32
    base = AutoModelForCausalLM.from_pretrained(args.base, **kwargs)
    if torch.cuda.is_available() and not args.load_in_4bit:
        base = base.to("cuda")
    tokenizer = AutoTokenizer.from_pretrained(args.tokenizer or args.base, local_files_only=True)
    return PeftModel.from_pretrained(base, args.adapter), tokenizer


def run_audit_command(args: argparse.Namespace) -> int:
    from privatune.privacy.audit.canaries import CanarySet
    from privatune.privacy.audit.secrets import SecretCanarySet

    problem = _check_inputs(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        canaries = CanarySet.load(args.canaries) if args.canaries else None
        secret_set = SecretCanarySet.load(args.secret_canaries) if args.secret_canaries else None
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    model, tokenizer = _load(args)
    log = None
    if args.run_dir and args.signing_key:
        from privatune.privacy.report.auditlog import AuditLog

        log = AuditLog(args.run_dir / "audit.log", args.signing_key)
    result = _membership(args, model, tokenizer, canaries, log) if canaries else None
    secret = _extraction(args, model, tokenizer, secret_set, log) if secret_set else None
    if args.out:
        out = secret if result is None else (result | {"secret_audit": secret} if secret else result)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    broken = (result is not None and result["verdict"]["status"] == "fail") or (
        secret is not None and secret["status"] == "exceeds-bound")
    return EXIT_DP_BROKEN if broken else 0


def _membership(args, model, tokenizer, canaries, log) -> dict:
    from privatune.privacy.audit.run import audit_model, write_audit_result

    result = audit_model(model, tokenizer, canaries, base_model=None, accountant_epsilon=args.accountant_epsilon,
                         delta=args.delta, k_plus=args.k_plus, k_minus=args.k_minus,
                         confidence=args.confidence, batch_size=args.batch_size)
    if args.run_dir:
        print(f"written: {write_audit_result(args.run_dir, args.round, result, log)}")
    for name, s in result["scores"].items():
        print(f"{name:>13}: AUC {s['auc']:.3f}  TPR@1%FPR {s['tpr_at_fpr']['0.01']:.3f}  "
              f"correct {s['correct']}/{s['guesses']}  ε̂ {s['epsilon_lower_bound']:.3f}")
    print(result["verdict"]["text"])
    return result


def _extraction(args, model, tokenizer, secret_set, log) -> dict:
    from privatune.privacy.audit.secret_audit import audit_secrets, write_secret_audit

    result = audit_secrets(model, tokenizer, secret_set, accountant_epsilon=args.accountant_epsilon, delta=args.delta,
                           num_candidates=args.candidates, num_samples=args.extraction_samples, seed=args.seed,
                           confidence=args.confidence, batch_size=max(args.batch_size, 64))
    if args.run_dir:
        print(f"written: {write_secret_audit(args.run_dir, args.round, result, log)}")
    print(f"extraction: {result['headline']}")
    return result
