"""A real federation on one GPU machine, measured round by round and stage by stage (issue 15).

    python benchmarks/federation_gpu.py --shape 8b --rounds 3 --steps 20     # H200
    python benchmarks/federation_gpu.py --shape tiny --rounds 2 --steps 2    # CPU: checks the script

Flower's Simulation Engine (Ray, no network): the ServerApp in this process, `--clients` ClientApps
in Ray actors that share the GPU (`client-gpus`, default 0.5 each), the privatune apps unchanged.
The model is a random-init Llama at the standalone benchmark's shapes (benchmarks/qlora_speed.py
SHAPES: 1B batch 4 × 1024, 8B batch 2 × 2048), written once as a bf16 checkpoint and loaded by every
party through the ordinary `from_pretrained` + NF4 path. Records are synthetic, each at least
max-seq-len tokens long, declared de-identified (scrubbing is a CPU step measured elsewhere). DP-SGD,
SecAgg+ and the Triton kernels are on, LoRA r = 16 on all seven projections, as in the benchmark.

Measured: the client side through privatune.timing's mod (one JSON line per message in each
client process: wall, stage seconds, model loads, tokens, GPU memory, bytes of the reply), the server
side by wrapping Flower's Grid (each stage from sending to the last reply), `nvidia-smi` per PID and
RSS every 0.5 s. Prints a table; writes federation_gpu_<shape>.json under --out ($OUT when set).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

# name: (hidden, intermediate, layers, heads, kv heads, vocab, batch, seq): qlora_speed.py SHAPES
SHAPES = {
    "1b": (2048, 8192, 16, 32, 8, 128256, 4, 1024),
    "8b": (4096, 14336, 32, 32, 8, 128256, 2, 2048),
    "tiny": None,  # the embedded tiny model on the CPU, batch 4 × 64
}
# privatune DP tokens/s of the standalone benchmark, same shape and batch (RESULTS.md, run 9, H200)
STANDALONE_DP_TOKENS_S = {"1b": 25331, "8b": 11565}
MiB = 2**20


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--shape", choices=sorted(SHAPES), default="8b")
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=20, help="local DP-SGD steps per round")
    p.add_argument("--records", type=int, default=40, help="records per client (10 %% held out for eval)")
    p.add_argument("--canaries", type=int, default=8, help="audit canaries (spread over the clients)")
    p.add_argument("--client-gpus", type=float, default=-1.0, help="Ray num_gpus per client; -1 = auto")
    p.add_argument("--work", default="/tmp/privatune-fedgpu", help="model, data, run directory")
    p.add_argument("--out", default=os.environ.get("OUT") or "benchmarks/results")
    p.add_argument("--build-model", action="store_true", help=argparse.SUPPRESS)  # child process
    return p.parse_args(argv)


# ---- inputs: a random-init checkpoint and long synthetic records ------------------------------------

def model_dir(opts) -> Path:
    from privatune.embedded import default_model_dir

    if opts.shape == "tiny":
        return default_model_dir()
    path = Path(opts.work) / f"model-{opts.shape}"
    if not (path / "config.json").exists():  # in a child, so this process (the server) starts clean
        subprocess.run([sys.executable, __file__, "--build-model", "--shape", opts.shape, "--work", opts.work],
                       check=True)
    return path


def build_model(opts) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig

    from privatune.embedded import default_model_dir

    tiny = default_model_dir()  # its tokenizer: ids stay below the big vocabulary
    tokenizer = AutoTokenizer.from_pretrained(tiny, local_files_only=True)
    hidden, inter, layers, heads, kv, vocab, _, _ = SHAPES[opts.shape]
    config = LlamaConfig(vocab_size=vocab, hidden_size=hidden, intermediate_size=inter, num_hidden_layers=layers,
                         num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=8192,
                         tie_word_embeddings=False, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    started = time.perf_counter()
    torch.manual_seed(0)
    with torch.device("cuda" if torch.cuda.is_available() else "cpu"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    final = Path(opts.work) / f"model-{opts.shape}"
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, max_shard_size="4GB")
    tokenizer.save_pretrained(tmp)
    tmp.rename(final)
    print(f"wrote {final} ({sum(p.numel() for p in model.parameters()) / 1e9:.2f} B parameters) "
          f"in {time.perf_counter() - started:.1f} s", flush=True)


def data_dir(opts, seq: int, tokenizer_dir: Path) -> Path:
    """client-<i>.jsonl: each record synthetic notes of one institution joined to ≥ seq tokens."""
    from transformers import AutoTokenizer

    from privatune.synthetic import client_records

    path = Path(opts.work) / f"data-{opts.clients}x{opts.records}-{seq}"
    if (path / f"client-{opts.clients - 1}.jsonl").exists():
        return path
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir, local_files_only=True)
    path.mkdir(parents=True, exist_ok=True)
    for client in range(opts.clients):
        notes = iter(client_records(client, 200 * opts.records, seed=0))
        with open(path / f"client-{client}.jsonl", "w", encoding="utf-8") as f:
            for i in range(opts.records):
                parts: list[str] = []
                while len(tokenizer("\n\n".join(parts))["input_ids"]) < seq + 8:
                    parts.extend(next(notes)["text"] for _ in range(8))
                f.write(json.dumps({"id": f"c{client}-{i}", "text": "\n\n".join(parts)}) + "\n")
    return path


# ---- measuring: the server's Grid, nvidia-smi and RSS --------------------------------------------------

class TimedGrid:
    """Flower's Grid with every send/push/pull written down (times, message types, payload bytes)."""

    def __init__(self, grid, events: list):
        self._grid, self.events = grid, events

    def __getattr__(self, name):
        return getattr(self._grid, name)

    def _log(self, op, messages, started):
        from privatune.timing import payload_bytes

        self.events.append({"op": op, "start": started, "end": time.time(), "n": len(messages),
                            "types": sorted({m.metadata.message_type for m in messages}),
                            "bytes": sum(payload_bytes(m.content) for m in messages if m.has_content())})

    def send_and_receive(self, messages, *args, **kwargs):
        messages, started = list(messages), time.time()
        replies = list(self._grid.send_and_receive(messages, *args, **kwargs))
        self._log("send", messages, started)
        self.events[-1]["reply-bytes"] = sum(_bytes(r) for r in replies)
        return replies

    def push_messages(self, messages, *args, **kwargs):
        messages, started = list(messages), time.time()
        ids = list(self._grid.push_messages(messages, *args, **kwargs))
        self._log("push", messages, started)
        return ids

    def pull_messages(self, *args, **kwargs):
        started = time.time()
        replies = list(self._grid.pull_messages(*args, **kwargs))
        if replies:
            self._log("pull", replies, started)
        return replies


def _bytes(message) -> int:
    from privatune.timing import payload_bytes

    return payload_bytes(message.content) if message.has_content() else 0


class Sampler(threading.Thread):
    """Every `every` s: nvidia-smi memory per PID, RSS of those PIDs and of this process."""

    def __init__(self, every: float = 0.5):
        super().__init__(daemon=True)
        self.every, self.samples, self.stop = every, [], threading.Event()
        self.smi = shutil.which("nvidia-smi")

    def run(self):
        import psutil

        while not self.stop.is_set():
            gpu = {}
            if self.smi:
                out = subprocess.run([self.smi, "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
                                     capture_output=True, text=True).stdout
                for line in out.strip().splitlines():
                    pid, used = (x.strip() for x in line.split(","))
                    gpu[int(pid)] = float(used)
            rss = {}
            for pid in {os.getpid(), *gpu}:
                try:
                    rss[pid] = psutil.Process(pid).memory_info().rss / MiB
                except psutil.Error:
                    pass
            self.samples.append({"t": time.time(), "gpu-mib": gpu, "rss-mib": rss, **_server_cuda()})
            self.stop.wait(self.every)


def _server_cuda() -> dict:
    import torch

    if torch.cuda.is_available() and torch.cuda.is_initialized():
        return {"server-allocated-mib": torch.cuda.memory_allocated() / MiB,
                "server-max-allocated-mib": torch.cuda.max_memory_allocated() / MiB}
    return {}


# ---- the run ---------------------------------------------------------------------------------------

def run(opts) -> dict:
    from flwr.serverapp import ServerApp
    from flwr.simulation import run_simulation

    from privatune.client.app import build_client_app
    from privatune.config import RunConfig
    from privatune.demo import client_gpus
    from privatune.server.app import run_federation
    from privatune.timing import timing_mod

    work = Path(opts.work)
    os.environ.setdefault("PRIVATUNE_CACHE", str(work / "cache"))
    started = time.time()
    mdir = model_dir(opts)
    batch, seq = (4, 64) if opts.shape == "tiny" else SHAPES[opts.shape][6:]
    ddir = data_dir(opts, seq, mdir)
    run_dir = work / f"run-{opts.shape}-{time.strftime('%H%M%S')}"
    config = RunConfig.from_flower({
        "model": str(mdir), "data-dir": str(ddir), "run-dir": str(run_dir), "num-rounds": opts.rounds,
        "num-clients": opts.clients, "min-clients": opts.clients, "records-per-client": opts.records,
        "local-steps": opts.steps, "batch-size": batch, "max-seq-len": seq, "learning-rate": 1e-4,
        "lora-r": 16, "lora-alpha": 32, "pii-scrub": False, "data-deidentified": True, "dp": True,
        "secure-aggregation": True, "audit-canaries": opts.canaries, "client-gpus": opts.client_gpus})
    setup_s = time.time() - started
    timings = run_dir / "timings"
    events, rounds = [], []

    def on_round(server_round, metrics, state):
        rounds.append({"round": server_round, "t": time.time(), "server-seconds": metrics.get("seconds"),
                       "eval-loss": metrics.get("eval-loss"), "secure-aggregation": metrics.get("secure-aggregation")})

    overrides = {k.replace("-", "_"): v for k, v in config.to_flower().items() if k not in config.extra}
    server = ServerApp()

    @server.main()
    def main(grid, context):
        run_federation(TimedGrid(grid, events), RunConfig.from_flower(context.run_config, **overrides), on_round)

    sampler = Sampler()
    sampler.start()
    run_started = time.time()
    gpus = client_gpus(config)
    run_simulation(server_app=server, client_app=build_client_app(mods=[timing_mod(timings)], **overrides),
                   num_supernodes=opts.clients,
                   backend_config={"client_resources": {"num_cpus": 1, "num_gpus": gpus},
                                   "init_args": {"log_to_driver": True}})
    run_ended = time.time()
    sampler.stop.set()
    sampler.join()
    messages = [json.loads(line) for f in sorted(timings.glob("timings-*.jsonl")) for line in f.read_text().splitlines()]
    return {"shape": opts.shape, "clients": opts.clients, "rounds": opts.rounds, "steps": opts.steps,
            "batch": batch, "seq": seq, "client-gpus": gpus, "setup-s": setup_s, "run-start": run_started,
            "run-end": run_ended, "server-pid": os.getpid(), "round-commits": rounds, "grid": events,
            "messages": messages, "samples": sampler.samples, "versions": versions(), "run-dir": str(run_dir)}


def versions() -> dict:
    import importlib.metadata as md

    out = {}
    for name in ("torch", "triton", "transformers", "peft", "bitsandbytes", "opacus", "flwr", "ray"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    try:
        import torch

        out["device"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    except Exception:  # noqa: BLE001 (a report field, never fatal)
        out["device"] = "unknown"
    return out


if __name__ == "__main__":
    OPTS = parse_args()
    if OPTS.build_model:
        build_model(OPTS)
        sys.exit(0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from federation_report import summarize, print_table  # noqa: E402

    report = run(OPTS)
    report["summary"] = summarize(report, STANDALONE_DP_TOKENS_S.get(OPTS.shape))
    out = Path(OPTS.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"federation_gpu_{OPTS.shape}.json").write_text(json.dumps(report, indent=1))
    print_table(report["summary"])
