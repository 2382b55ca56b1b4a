"""Round-by-round summary of a federation_gpu.py run (its raw JSON in, a table out)."""

from __future__ import annotations

import json
import sys

STAGES = ("train", "secagg", "evaluate")


def _windows(report: dict) -> list[tuple[int, float, float]]:
    """(round, start, end): a round runs from the previous commit to its own; round 0 from the run start."""
    out, start = [], report["run-start"]
    for commit in report["round-commits"]:
        out.append((commit["round"], start, commit["t"]))
        start = commit["t"]
    out.append((-1, start, report["run-end"]))  # after the last commit: final audit, shutdown
    return out


def _server_stages(events: list[dict], start: float, end: float) -> dict:
    inside = sorted((e for e in events if start <= e["start"] < end), key=lambda e: e["start"])
    stages = {s: 0.0 for s in STAGES}
    pushes = [i for i, e in enumerate(inside) if e["op"] in ("push", "send")]
    secagg_first, secagg_last = None, None
    for k, i in enumerate(pushes):
        e = inside[i]
        if e["op"] == "send":
            kind = "evaluate" if "evaluate" in e["types"] else "train"
            stages[kind] += e["end"] - e["start"]
            continue
        nxt = pushes[k + 1] if k + 1 < len(pushes) else len(inside)
        last = max([inside[j]["end"] for j in range(i, nxt) if inside[j]["op"] == "pull"], default=e["end"])
        name = e["types"][0].split(".")[-1] if e["types"] else "query"
        stages[name] = stages.get(name, 0.0) + last - e["start"]
        secagg_first = e["start"] if secagg_first is None else secagg_first
        secagg_last = last
    if secagg_first is not None:
        stages["secagg"] = secagg_last - secagg_first  # the four stages and the server's work between them
    return stages


def _union(intervals: list[tuple[float, float]]) -> float:
    """Seconds during which at least one client trained (the GPU's local-training time)."""
    total, end = 0.0, None
    for a, b in sorted(intervals):
        if end is None or a > end:
            total, end = total + b - a, b
        elif b > end:
            total, end = total + b - end, b
    return total


def summarize(report: dict, standalone_tokens_s: float | None) -> dict:
    messages, samples = report["messages"], report["samples"]
    server_pid = report["server-pid"]
    rows = []
    for rnd, start, end in _windows(report):
        wall = end - start
        stages = _server_stages(report["grid"], start, end)
        in_round = [m for m in messages if start <= m["start"] < end]
        clients = {}
        for m in in_round:
            c = clients.setdefault(m["node"], {"pid": m["pid"], "sent-bytes": 0, "max-allocated-mib": 0.0,
                                               "model-loads": 0, "model-load-s": 0.0})
            c["sent-bytes"] += m["sent-bytes"]
            c["max-allocated-mib"] = max(c["max-allocated-mib"], m.get("max-allocated-mib", 0.0))
            c["model-loads"] += m["counts"].get("model-load-calls", 0)
            c["model-load-s"] += m["stages-s"].get("model-load", 0.0)
            if m["type"] == "train":
                c["train-s"] = m["stages-s"].get("train", 0.0)
                begin = m.get("stage-starts", {}).get("train", m["start"] + m["wall-s"] - c["train-s"])
                c["train-interval"] = (begin, begin + c["train-s"])
                c["train-message-s"] = m["wall-s"]
                c["tokens"] = m["counts"].get("train-tokens", 0)
                c["tokens-s"] = c["tokens"] / c["train-s"] if c["train-s"] else None
            if m["type"] == "evaluate":
                c["allocated-after-round-mib"] = m.get("allocated-mib")
        window = [s for s in samples if start <= s["t"] < end]
        for c in clients.values():
            c["nvidia-smi-max-mib"] = max((s["gpu-mib"].get(c["pid"], 0.0) for s in window), default=None)
            c["nvidia-smi-end-mib"] = window[-1]["gpu-mib"].get(c["pid"]) if window else None
        tokens = sum(c.get("tokens", 0) for c in clients.values())
        training = _union([c["train-interval"] for c in clients.values() if "train-interval" in c])
        row = {"round": rnd, "wall-s": wall, "server-stages-s": stages,
               "other-s": wall - stages["train"] - stages["secagg"] - stages["evaluate"], "clients": clients,
               "tokens": tokens, "gpu-tokens-s": tokens / stages["train"] if stages["train"] else None,
               "training-s": training, "training-tokens-s": tokens / training if training else None,
               "server-rss-max-mib": max((s["rss-mib"].get(server_pid, 0.0) for s in window), default=None),
               "server-gpu-smi-max-mib": max((s["gpu-mib"].get(server_pid, 0.0) for s in window), default=None),
               "server-allocated-max-mib": max((s.get("server-allocated-mib", 0.0) for s in window), default=None)}
        per_client = [c["tokens-s"] for c in clients.values() if c.get("tokens-s")]
        row["client-tokens-s-mean"] = sum(per_client) / len(per_client) if per_client else None
        if standalone_tokens_s and row["gpu-tokens-s"]:
            row["training-tokens-s-vs-standalone"] = row["training-tokens-s"] / standalone_tokens_s
            row["gpu-tokens-s-vs-standalone"] = row["gpu-tokens-s"] / standalone_tokens_s
            row["client-tokens-s-vs-standalone"] = (row["client-tokens-s-mean"] or 0) / standalone_tokens_s
        rows.append(row)
    loads = {}
    for m in messages:
        loads[m["pid"]] = max(loads.get(m["pid"], 0), m["process-totals"]["model-loads"])
    return {"rows": rows, "model-loads-per-client-process": loads, "setup-s": report["setup-s"],
            "run-s": report["run-end"] - report["run-start"], "client-gpus": report["client-gpus"],
            "shape": report["shape"], "batch": report["batch"], "seq": report["seq"], "steps": report["steps"],
            "standalone-tokens-s": standalone_tokens_s, "versions": report["versions"]}


def _f(x, fmt="{:.2f}"):
    return "—" if x is None else fmt.format(x)


def print_table(summary: dict) -> None:
    print(f"\n{summary['shape']}: batch {summary['batch']} × {summary['seq']}, {summary['steps']} DP steps/round, "
          f"client-gpus {summary['client-gpus']}, setup {summary['setup-s']:.0f} s, run {summary['run-s']:.0f} s; "
          f"model loads per client process {summary['model-loads-per-client-process']}")
    print("round | wall s | train s | secagg s | eval s | other s | client train msg s | client train s | tok/s/client | "
          "training tok/s (all clients) | × standalone | server-train tok/s | client max GiB | after GiB | smi GiB | sent MiB/client | loads | server RSS GiB | server GPU GiB")
    for r in summary["rows"]:
        cs = list(r["clients"].values())
        st = r["server-stages-s"]
        mean = lambda key: (sum(c.get(key) or 0 for c in cs) / len(cs)) if cs else None  # noqa: E731
        print(" | ".join([
            "end" if r["round"] < 0 else str(r["round"]), _f(r["wall-s"]), _f(st["train"]), _f(st["secagg"]),
            _f(st["evaluate"]), _f(r["other-s"]), _f(mean("train-message-s")), _f(mean("train-s")), _f(r["client-tokens-s-mean"], "{:.0f}"),
            _f(r.get("training-tokens-s"), "{:.0f}"), _f(r.get("training-tokens-s-vs-standalone")),
            _f(r["gpu-tokens-s"], "{:.0f}"),
            _f(max((c["max-allocated-mib"] for c in cs), default=None) and
               max(c["max-allocated-mib"] for c in cs) / 1024),
            _f((mean("allocated-after-round-mib") or 0) / 1024 if cs else None),
            _f(max((c["nvidia-smi-max-mib"] or 0 for c in cs), default=0) / 1024 if cs else None),
            _f((mean("sent-bytes") or 0) / 2**20 if cs else None), str(sum(c["model-loads"] for c in cs)),
            _f((r["server-rss-max-mib"] or 0) / 1024), _f((r["server-gpu-smi-max-mib"] or 0) / 1024)]))


if __name__ == "__main__":  # re-print a saved run: python benchmarks/federation_report.py FILE.json
    from federation_gpu import STANDALONE_DP_TOKENS_S

    data = json.load(open(sys.argv[1]))
    print_table(summarize(data, STANDALONE_DP_TOKENS_S.get(data["shape"])))
