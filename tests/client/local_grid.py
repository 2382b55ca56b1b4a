"""A Flower Grid that delivers every message to a real ClientApp in this process (no Ray, no network).

Each node has its own Context (node_config = what its SuperNode was started with, state kept across
rounds), so a federation of nodes with different privacy policies runs in seconds on one core.
A node can be taken offline and back (joins and leaves). Replies are the ClientApp's own Messages;
an exception becomes an error reply, as Flower's SuperNode would send it.
"""

from __future__ import annotations

import uuid

from flwr.app import Context, Error, Message, RecordDict
from flwr.supercore.task_identity import TaskIdentity


class LocalGrid:
    def __init__(self, app, node_configs: dict[int, dict], run_config: dict | None = None):
        # what Flower's ServerApp runtime sets for the process before the server creates Messages
        TaskIdentity.task_id, TaskIdentity.run_id, TaskIdentity.node_id = 1, 1, 0
        self.app = app
        self.contexts = {node: Context(run_id=1, node_id=node, node_config=dict(cfg), state=RecordDict(),
                                       run_config=dict(run_config or {})) for node, cfg in node_configs.items()}
        self.online = set(node_configs)
        self.sent: list[tuple[int, Message, Message]] = []  # (node, request, reply): everything that crossed
        self._outbox: dict[str, Message] = {}

    def get_node_ids(self):
        return sorted(self.online)

    def _deliver(self, message: Message) -> Message:
        message.metadata.__dict__["_message_id"] = uuid.uuid4().hex  # as flwr.superlink InMemoryGrid does
        node = message.metadata.dst_node_id
        try:
            reply = self.app(message, self.contexts[node])
        except Exception as err:  # noqa: BLE001 — the SuperNode reports any failure as an error reply
            reply = Message(Error(code=0, reason=f"{type(err).__name__}: {err}"), reply_to=message)
        self.sent.append((node, message, reply))
        return reply

    def send_and_receive(self, messages, *, timeout=None):
        return [self._deliver(m) for m in messages]

    def push_messages(self, messages):
        ids = []
        for m in messages:
            reply = self._deliver(m)
            self._outbox[m.metadata.message_id] = reply
            ids.append(m.metadata.message_id)
        return ids

    def pull_messages(self, message_ids):
        return [self._outbox.pop(i) for i in list(message_ids) if i in self._outbox]
