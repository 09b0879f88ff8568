"""uvicorn's HTTP/1.1 protocol (h11) with the connection limits uvicorn lacks.

uvicorn times out a connection only between requests (`timeout_keep_alive`): one that opens
and never sends a complete request is kept forever (uvicorn issue #157), so a few hundred
idle sockets exhaust the process's file descriptors and the health check goes dark. Here
each connection must deliver a complete request (headers and body) within
`request_timeout` of opening or of its previous response; past a connection limit (kept
below the file-descriptor limit) the oldest connection that is not being answered is
closed to make room; a connection serves at most `max_requests` requests.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import time
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["ACCEPT_BURST", "Limits", "connection_limit", "guarded_protocol"]

log = logging.getLogger(__name__)

_FD_RESERVE = 32  # descriptors kept for later needs: index reloads, logs, Slack's API
ACCEPT_BURST = 8  # sockets asyncio accepts per loop turn (its `backlog`)
# A socket is admitted two loop turns after it is accepted, and the one it evicts is closed a
# turn later: this many accept bursts are open beyond the limit at worst.
_BURSTS_IN_FLIGHT = 4


@dataclass(frozen=True)
class Limits:
    """What one client may hold of the server."""

    request_timeout: float = 10.0  # to send a complete request, from connect or the last response
    keep_alive: int = 5  # idle seconds between requests on one connection
    max_connections: int = 1000  # open at once (lowered to fit the file-descriptor limit)
    max_requests: int = 1000  # on one connection, then it is closed
    max_body: int = 1 << 20  # Slack's payloads are far smaller
    answer_timeout: float = 15.0  # for Bolt to produce the ack (Slack waits 3 s)
    max_header_bytes: int = 16 * 1024


def connection_limit(wanted: int) -> int:
    """`wanted`, lowered so that open connections can never exhaust the file descriptors.

    What is free now (the limit less the descriptors already open: index files, sockets), less
    the sockets accepted but not yet admitted, and a reserve.
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    try:
        in_use = len(os.listdir("/proc/self/fd"))
    except OSError:
        in_use = 64
    return max(8, min(wanted, soft - in_use - _BURSTS_IN_FLIGHT * ACCEPT_BURST - _FD_RESERVE))


class _Registry:
    """Open connections in the order they came (shared by all of one server's connections)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open: dict[_Guarded, None] = {}
        self._warned = 0.0

    def admit(self, conn: _Guarded) -> None:
        self.open[conn] = None
        if len(self.open) <= self.limit:
            return
        victim = next((c for c in self.open if c is not conn and c.waiting), conn)
        now = time.monotonic()
        if now - self._warned > 10:  # one line per 10 s, however hard the flood
            self._warned = now
            log.warning("connection limit (%d) reached: closing idle connections", self.limit)
        victim.transport.close()
        self.open.pop(victim, None)

    def discard(self, conn: _Guarded) -> None:
        self.open.pop(conn, None)


class _Guarded(H11Protocol):
    registry: _Registry
    limits: Limits

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._served = 0
        self._deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()
        self.registry.admit(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.registry.discard(self)
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    @property
    def waiting(self) -> bool:
        """Not being answered: no request yet, a partial one, or between requests."""
        return self.cycle is None or self.cycle.response_complete or self.cycle.more_body

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(self.limits.request_timeout, self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if not self.waiting:  # the request is complete and being answered: answer_timeout applies
            return
        self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._served += 1
        if self._served >= self.limits.max_requests:
            self.transport.close()
        elif not self.transport.is_closing():
            self._arm()


def guarded_protocol(limits: Limits) -> type[H11Protocol]:
    """A protocol class for one server: its own connection registry and limits."""
    namespace: dict[str, Any] = {
        "registry": _Registry(connection_limit(limits.max_connections)),
        "limits": limits,
    }
    return type("GuardedH11Protocol", (_Guarded,), namespace)
