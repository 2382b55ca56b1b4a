"""What the server accepts from one client's reply: checked, typed values, or ReplyError.

A client is another organisation's process: its metrics may lack keys, hold strings, NaN, negative
or absurd counts. Each reply is read only through these functions; a reply that fails is logged and
that client is left out of the round (as if it had dropped), so no message can raise an unhandled
exception in the ServerApp.
"""

from __future__ import annotations

import math

from flwr.app import Message

from .aggregate import ReplyError


def _metrics(reply: Message) -> dict:
    try:
        return dict(reply.content["metrics"])
    except (KeyError, TypeError, AttributeError) as err:
        raise ReplyError(f"node {reply.metadata.src_node_id}: reply has no 'metrics' record ({err!r})") from None


def _number(metrics: dict, key: str, node: int, *, finite: bool = True, minimum: float | None = None,
            default: float | None = None) -> float:
    if key not in metrics:
        if default is not None:
            return default
        raise ReplyError(f"node {node}: metrics lack '{key}'")
    value = metrics[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ReplyError(f"node {node}: metric '{key}' is {type(value).__name__}, not a number")
    value = float(value)
    if math.isnan(value) or (finite and math.isinf(value)):
        raise ReplyError(f"node {node}: metric '{key}' is {value}")
    if minimum is not None and value < minimum:
        raise ReplyError(f"node {node}: metric '{key}' is {value}, below {minimum}")
    return value


def timings(metrics: dict) -> dict[str, float]:
    """`seconds-STAGE` entries a node chose to send (finite, ≥ 0); anything else is ignored."""
    out = {}
    for key, value in metrics.items():
        if str(key).startswith("seconds-") and isinstance(value, (int, float)) and not isinstance(value, bool) \
                and math.isfinite(value) and value >= 0:
            out[str(key)[len("seconds-"):]] = float(value)
    return out


def train_reply(reply: Message) -> dict:
    """{"node", "budget-exhausted", ...} from a train reply; raises ReplyError."""
    node = reply.metadata.src_node_id
    m = _metrics(reply)
    if m.get("data-quality-refused"):
        raise ReplyError(f"node {node} refused to train: more of its records were rejected than its policy "
                         "allows (its counts are in quality.json)")
    epsilon = _number(m, "epsilon", node, finite=False, minimum=0.0, default=math.inf)
    if _number(m, "budget-exhausted", node, minimum=0.0, default=0.0):
        return {"node": node, "budget-exhausted": True, "epsilon": epsilon, "metrics": m}
    examples = _number(m, "num-examples", node, minimum=0.0)
    if examples <= 0 or not examples.is_integer():
        raise ReplyError(f"node {node}: num-examples {examples} is not a positive count")
    return {"node": node, "budget-exhausted": False, "metrics": m,
            "client-index": int(_number(m, "client-index", node, default=-1.0)),
            "num-examples": int(examples), "train-loss": _number(m, "train-loss", node),
            "epsilon": epsilon, "delta": _number(m, "delta", node, minimum=0.0, default=0.0),
            "seconds": timings(m)}


def eval_reply(reply: Message) -> tuple[float, int]:
    """(eval loss, examples) from an evaluate reply; raises ReplyError."""
    node = reply.metadata.src_node_id
    m = _metrics(reply)
    examples = _number(m, "num-examples", node, minimum=0.0)
    if examples <= 0 or not examples.is_integer():
        raise ReplyError(f"node {node}: num-examples {examples} is not a positive count")
    return _number(m, "eval-loss", node), int(examples)
