"""Thread conversations in Redis, so a follow-up works on any replica and after a restart.

Each key holds one `Conversation` as JSON with a TTL renewed on every answer. While Redis is
down, this process's own LRU answers (what it remembered itself), so follow-ups keep working
on the replica that answered before.
"""

from __future__ import annotations

from bot.conversation import MemoryConversations
from bot.models import Conversation
from bot.state.redis import SharedState

#: Threads older than this without a new answer are forgotten.
CONVERSATION_TTL = 30 * 24 * 3600


class RedisConversations:
    """`ConversationStore` over Redis under `citebot:conv:<key>`, with a local copy for outages."""

    def __init__(self, state: SharedState, ttl: int = CONVERSATION_TTL, local_max: int = 10_000) -> None:
        self.state = state
        self.ttl = ttl
        self.local = MemoryConversations(local_max)

    def get(self, key: str) -> Conversation | None:
        raw = self.state.run("conversation get", lambda r: r.get(self.state.key("conv", key)), lambda: None)
        if raw is None:
            return None if self.state.up else self.local.get(key)
        return Conversation.model_validate_json(raw)

    def put(self, key: str, conversation: Conversation) -> None:
        self.local.put(key, conversation)
        data = conversation.model_dump_json()
        self.state.run(
            "conversation put",
            lambda r: r.set(self.state.key("conv", key), data, ex=self.ttl),
            lambda: None,
        )
