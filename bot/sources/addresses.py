"""Which addresses fetching may connect to: no SSRF through a feed, a page or a redirect.

A feed is untrusted: its links (and the redirects they lead to) could point at the bot's
own machine, the intranet or the cloud metadata service, and what came back would be
quoted in Slack. So the check is made on the address actually connected to — after DNS,
for every connection, hence every redirect — never on the URL's spelling (`2130706433`,
`[::ffff:169.254.169.254]` and `localhost` all resolve to what they are). Public unicast
addresses are allowed; a source with `allow_private = true` may also reach loopback,
private, shared (CGNAT) and unique-local ranges; link-local and metadata addresses, and
multicast, reserved and unspecified ones, are never allowed.
"""

from __future__ import annotations

import ipaddress
import socket
import typing
from collections.abc import Callable, Iterable

import httpcore

__all__ = ["BLOCKED", "GuardedBackend", "Resolver", "address_problem", "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

BLOCKED = "blocked address"  # how the reason of a refused connection begins
PRIVATE_HINT = " (a source with allow_private = true may fetch it)"

_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)
_NEVER = tuple(ipaddress.ip_network(n) for n in ("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def address_problem(ip: IPAddress | str, *, allow_private: bool = False) -> str | None:
    """Why fetching must not connect to `ip` (e.g. "a loopback address"), or None if it may."""
    ip = ipaddress.ip_address(ip)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            return address_problem(inner, allow_private=allow_private)
    if any(ip in net for net in _NEVER):
        return "a link-local or cloud-metadata address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        kind = "a loopback address"
    elif any(ip in net for net in _PRIVATE):
        kind = "a private address"
    elif ip.is_global:
        return None
    else:
        return "a reserved address"
    return None if allow_private else kind


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in the system resolver's order (each once)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to addresses `address_problem` allows.

    It resolves the host itself and connects to the checked address (so a second DNS
    answer cannot swap it); TLS still verifies the host name, which httpcore passes apart.
    """

    def __init__(self, *, allow_private: bool, resolver: Resolver | None = None) -> None:
        self.allow_private = allow_private
        self.resolver = resolver  # None: `system_resolver`, looked up when used

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = (self.resolver or system_resolver)(host, port)
        except (OSError, UnicodeError) as e:
            raise httpcore.ConnectError(
                f"cannot resolve {host}: {getattr(e, 'strerror', None) or e}"
            ) from None
        allowed: list[str] = []
        refused: str | None = None
        for address in addresses:
            problem = address_problem(address, allow_private=self.allow_private)
            if problem is None:
                allowed.append(address)
            elif refused is None:
                refused = (
                    f"{host} is {problem}" if host == address else f"{host} resolves to {address}, {problem}"
                )
                if problem in ("a loopback address", "a private address"):
                    refused += PRIVATE_HINT
        if not allowed:
            raise httpcore.ConnectError(f"{BLOCKED}: {refused or f'{host} has no address'}")
        error: httpcore.ConnectError | None = None
        for address in allowed:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as e:
                error = e
        assert error is not None
        raise error
