"""Flower ClientApp: load the global adapter, train locally, reply with the LoRA delta only.

The reply follows DESIGN.md contract 2: an ArrayRecord "arrays" with the LoRA delta keyed by PEFT
state-dict names (float32) and a MetricRecord "metrics" with num-examples, epsilon, delta and
train-loss. Under secure aggregation `secagg_mod` (secagg_handlers.py) wraps the train handler and
keeps the arrays on the client until they leave masked. Base weights and records never leave the client.
The node's privacy policy is applied first (client/policy_gate.py): a run config that would loosen
it is refused before anything runs. Under DP, num-examples (also the SecAgg weight) and the losses
are DP-released (noised, in the ledger first); docs/privacy-model.md lists every value that leaves.

This module stays light on purpose: a deployed SuperNode starts a fresh ClientApp process for every
message, and four of a SecAgg+ round's six messages need only numpy and cryptography. torch, the
model and the data are imported by client/rounds.py, on the first train or evaluate message
(importing this module takes ~0.6 s, against ~4.6 s for rounds.py).
"""

from __future__ import annotations

from flwr.app import Context, Message
from flwr.clientapp import ClientApp

from .secagg_handlers import register as register_secagg
from .secagg_handlers import secagg_mod


def build_client_app(mods: list | None = None, **overrides) -> ClientApp:
    """A ClientApp; `overrides` (python names) win over the Flower run config (used by `privatune demo`)."""
    app = ClientApp(mods=[*(mods or []), secagg_mod])  # user mods outermost: they see what leaves

    @app.train()
    def train(msg: Message, context: Context) -> Message:
        from .rounds import train_message

        return train_message(msg, context, overrides)

    @app.evaluate()
    def evaluate(msg: Message, context: Context) -> Message:
        from .rounds import evaluate_message

        return evaluate_message(msg, context, overrides)

    register_secagg(app)  # app-level mods already wrap these handlers
    return app


app = build_client_app()
