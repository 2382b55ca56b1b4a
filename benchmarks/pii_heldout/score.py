#!/usr/bin/env python3
"""Score a black-box scrubber `scrub(text) -> text` on the held-out PII set.  Standard library only.

    from score import load, score
    recs = load("benchmarks/pii_heldout/test.jsonl")
    res = score(recs, [scrub(r["text"]) for r in recs])

    python3 score.py test.jsonl scrubbed.jsonl     # scrubbed.jsonl: {"id", "text"} per line (any order)
    python3 score.py test.jsonl --scrub pkg.mod:fn # import fn and call it on every record's text
    python3 score.py --selftest

Definitions (per record, original text T, scrubbed text S, case-sensitive, exact string match):
  occ(X, v)  = number of non-overlapping-start occurrences of v in X at token boundaries
               (an occurrence may not be glued to a letter/digit on a side where v itself starts/ends
               with a letter/digit; "94" is not found inside "1994").
  PII span:  the n spans of one record that share value v (and are not KEEP) are counted as
             leaked = min(n, occ(S, v)), found = n - leaked.  Because the generator guarantees that
             every occurrence of a PII value in T lies inside some PII span, a value still present
             anywhere in S is a leak.  recall(kind) = found / n over all spans of that kind.
  KEEP span: the m KEEP spans sharing value v count kept = min(m, occ(S, v)).
             keep-rate = kept / m over all KEEP spans.  (The generator guarantees no occurrence of a
             KEEP value overlaps PII, so a kept value is not bought by a leak.)
  strict recall additionally requires that no *fragment* of the value survives: fragments are the
             runs of letters/digits of length >= 4 inside v that do not occur in T outside PII
             spans; a span is strictly found only if it is found and none of its fragments occurs
             in S at a token boundary (catches "removed the first name, kept the surname" and
             half-masked IBANs).
  structured = RECORD_ID PHONE EMAIL ACCOUNT ID_DOC URL IP VEHICLE DEVICE LICENSE BIOMETRIC OTHER_ID
             (micro-average); person = PERSON; also reported: ADDRESS, DATE, AGE_OVER_89, all PII.
Scrubbers should leave non-PII text byte-identical (same spacing and case); reformatting text
lowers keep-rate by construction.
"""
import json
import re
import sys
from collections import defaultdict

STRUCTURED = ["RECORD_ID", "PHONE", "EMAIL", "ACCOUNT", "ID_DOC", "URL", "IP", "VEHICLE", "DEVICE",
              "LICENSE", "BIOMETRIC", "OTHER_ID"]
FRAG = re.compile(r"[^\W_]{4,}")


def occurrences(text, value):
    res, i = [], 0
    while True:
        i = text.find(value, i)
        if i < 0:
            return res
        j = i + len(value)
        ok_l = i == 0 or not (value[0].isalnum() and text[i - 1].isalnum())
        ok_r = j == len(text) or not (value[-1].isalnum() and text[j].isalnum())
        if ok_l and ok_r:
            res.append(i)
        i += 1


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _ratio(a, b):
    return round(a / b, 4) if b else None


def score(records, scrubbed_texts):
    """records: list of held-out records; scrubbed_texts: list of str, same order.
    Returns a dict: recall_by_kind, strict_recall_by_kind, recall_by_style, recall_by_language,
    keep_rate, keep_by_style, summary (structured / person / address / date / age / all), leaks (examples)."""
    assert len(records) == len(scrubbed_texts), "one scrubbed text per record"
    kind_n, kind_f, kind_sf = defaultdict(int), defaultdict(int), defaultdict(int)
    st_n, st_f, lang_n, lang_f = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int)
    stk_n, stk_k = defaultdict(int), defaultdict(int)
    keep_n = keep_k = 0
    leaks = []
    for rec, out in zip(records, scrubbed_texts):
        if not isinstance(out, str):
            raise TypeError("scrubbed text for %s is not a string" % rec["id"])
        text = rec["text"]
        pii = [s for s in rec["spans"] if s["kind"] != "KEEP"]
        keep = [s for s in rec["spans"] if s["kind"] == "KEEP"]
        mask = bytearray(len(text))
        for s in pii:
            for i in range(s["start"], s["end"]):
                mask[i] = 1
        outside = "".join(ch if not mask[i] else "\0" for i, ch in enumerate(text))
        groups = defaultdict(list)
        for s in pii:
            groups[s["value"]].append(s)
        for v, ss in groups.items():
            leaked = min(len(ss), len(occurrences(out, v)))
            frags = [f for f in FRAG.findall(v) if not occurrences(outside, f)]
            frag_leak = any(occurrences(out, f) for f in frags)
            for i, s in enumerate(ss):
                found = i >= leaked
                k = s["kind"]
                kind_n[k] += 1
                st_n[rec["style"]] += 1
                lang_n[rec["language"]] += 1
                if found:
                    kind_f[k] += 1
                    st_f[rec["style"]] += 1
                    lang_f[rec["language"]] += 1
                    if not frag_leak:
                        kind_sf[k] += 1
                elif len(leaks) < 200:
                    leaks.append({"id": rec["id"], "kind": k, "value": v})
        kg = defaultdict(int)
        for s in keep:
            kg[s["value"]] += 1
        for v, m in kg.items():
            kept = min(m, len(occurrences(out, v)))
            keep_n += m
            keep_k += kept
            stk_n[rec["style"]] += m
            stk_k[rec["style"]] += kept

    def agg(kinds):
        n = sum(kind_n[k] for k in kinds)
        return {"n": n, "recall": _ratio(sum(kind_f[k] for k in kinds), n), "strict": _ratio(sum(kind_sf[k] for k in kinds), n)}

    allk = sorted(kind_n)
    return {
        "records": len(records),
        "summary": {"structured": agg(STRUCTURED), "person": agg(["PERSON"]), "address": agg(["ADDRESS"]),
                    "date": agg(["DATE"]), "age_over_89": agg(["AGE_OVER_89"]), "all_pii": agg(allk),
                    "keep": {"n": keep_n, "keep_rate": _ratio(keep_k, keep_n)}},
        "recall_by_kind": {k: {"n": kind_n[k], "recall": _ratio(kind_f[k], kind_n[k])} for k in allk},
        "strict_recall_by_kind": {k: _ratio(kind_sf[k], kind_n[k]) for k in allk},
        "recall_by_style": {s: {"n": st_n[s], "recall": _ratio(st_f[s], st_n[s])} for s in sorted(st_n)},
        "recall_by_language": {s: {"n": lang_n[s], "recall": _ratio(lang_f[s], lang_n[s])} for s in sorted(lang_n)},
        "keep_rate": _ratio(keep_k, keep_n),
        "keep_by_style": {s: _ratio(stk_k[s], stk_n[s]) for s in sorted(stk_n)},
        "leaks": leaks,
    }


def print_report(res, out=sys.stdout):
    w = out.write
    w("records %d\n" % res["records"])
    for k, v in res["summary"].items():
        w("  %-12s n=%-6d %s\n" % (k, v["n"], " ".join("%s=%s" % (a, b) for a, b in v.items() if a != "n")))
    w("recall by kind (value / strict):\n")
    for k, v in res["recall_by_kind"].items():
        w("  %-12s n=%-5d %s / %s\n" % (k, v["n"], v["recall"], res["strict_recall_by_kind"][k]))
    w("recall by style (keep-rate):\n")
    for k, v in res["recall_by_style"].items():
        w("  %-20s n=%-5d %s  (%s)\n" % (k, v["n"], v["recall"], res["keep_by_style"].get(k)))
    w("recall by language: %s\n" % ", ".join("%s %s" % (k, v["recall"]) for k, v in res["recall_by_language"].items()))
    w("keep-rate %s\n" % res["keep_rate"])


def oracle(rec):
    """Replace exactly the labelled PII spans with [KIND] (used only by the self-test)."""
    text, out, pos = rec["text"], [], 0
    for s in sorted((s for s in rec["spans"] if s["kind"] != "KEEP"), key=lambda s: s["start"]):
        if s["start"] < pos:  # spans never overlap in this set, but be safe
            continue
        out.append(text[pos:s["start"]])
        out.append("[%s]" % s["kind"])
        pos = s["end"]
    out.append(text[pos:])
    return "".join(out)


def selftest(paths):
    for p in paths:
        recs = load(p)
        ident = score(recs, [r["text"] for r in recs])
        assert ident["summary"]["all_pii"]["recall"] == 0.0, ident["summary"]
        assert ident["keep_rate"] == 1.0, ident["keep_rate"]
        gone = score(recs, ["" for r in recs])
        assert gone["summary"]["all_pii"]["recall"] == 1.0 and gone["summary"]["all_pii"]["strict"] == 1.0
        assert gone["keep_rate"] == 0.0
        orc = score(recs, [oracle(r) for r in recs])
        assert orc["summary"]["all_pii"]["recall"] == 1.0, orc["leaks"][:5]
        assert orc["summary"]["all_pii"]["strict"] == 1.0, orc["strict_recall_by_kind"]
        assert orc["keep_rate"] == 1.0, orc["keep_rate"]
        # a scrubber that removes only the first token of each PII value: passes "value", fails "strict"
        half = []
        for r in recs:
            t = r["text"]
            for s in sorted((s for s in r["spans"] if s["kind"] == "PERSON" and " " in s["value"]), key=lambda s: -s["start"]):
                first = s["value"].split(" ")[0]
                t = t[:s["start"]] + "X" + s["value"][len(first):] + t[s["end"]:]
            half.append(t)
        h = score(recs, half)
        assert h["strict_recall_by_kind"]["PERSON"] < h["recall_by_kind"]["PERSON"]["recall"]
        print("%s: identity recall %.3f keep %.3f | delete-all recall %.3f keep %.3f | oracle recall %.3f strict %.3f keep %.3f  OK"
              % (p, ident["summary"]["all_pii"]["recall"], ident["keep_rate"], gone["summary"]["all_pii"]["recall"], gone["keep_rate"],
                 orc["summary"]["all_pii"]["recall"], orc["summary"]["all_pii"]["strict"], orc["keep_rate"]))


def main(argv):
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    if not argv or argv[0] == "--selftest":
        selftest([os.path.join(here, "dev.jsonl"), os.path.join(here, "test.jsonl")])
        return 0
    recs = load(argv[0])
    if len(argv) >= 3 and argv[1] == "--scrub":
        import importlib
        mod, fn = argv[2].split(":")
        f = getattr(importlib.import_module(mod), fn)
        outs = [f(r["text"]) for r in recs]
    else:
        by_id = {d["id"]: d["text"] for d in load(argv[1])}
        missing = [r["id"] for r in recs if r["id"] not in by_id]
        if missing:
            raise SystemExit("scrubbed file lacks %d ids, e.g. %s" % (len(missing), missing[:3]))
        outs = [by_id[r["id"]] for r in recs]
    res = score(recs, outs)
    if "--json" in argv:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
    else:
        print_report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
