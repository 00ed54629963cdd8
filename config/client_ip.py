"""The client's address for login throttling (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

Behind nginx every request comes from 127.0.0.1, so axes would lock a user name for everybody
(anyone could lock the Director out). The proxy's header names the real client, but a header is only
as trustworthy as whoever wrote it: it is read only when the request's peer (``REMOTE_ADDR``) is one of
``TRUSTED_PROXY_IPS``; then the right-most address that is not itself a trusted proxy is the client
(nginx's ``$proxy_add_x_forwarded_for`` appends the peer it saw to whatever the client sent, so the
left-hand entries are the client's own claims and are never believed). Direct requests ignore it.

django-ipware (axes' default helper) is not used: it judges the header by the addresses written in it,
not by the peer that sent it, so a client reaching gunicorn directly could still choose its address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(name: str, values: Iterable[str]) -> list[Network]:
    """`TRUSTED_PROXY_IPS` as networks (a bare address is a /32 or /128); a bad entry stops start-up."""
    networks: list[Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip("[]"), strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {value!r} is not an IP address or network.") from None
    return networks


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: list[Network]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    peer_text = request.META.get("REMOTE_ADDR", "")
    peer = _address(peer_text)
    networks: list[Network] = settings.TRUSTED_PROXY_NETWORKS
    if peer is None or not _trusted(peer, networks):
        return peer_text or None
    header = request.META.get(settings.TRUSTED_PROXY_HEADER, "")
    for entry in reversed(header.split(",")):
        address = _address(entry)
        if address is None:
            break  # a malformed hop: what is left of it cannot be trusted either
        if not _trusted(address, networks):
            return str(address)
    # Only trusted proxies in the header (or none): the request came from the proxy's own host.
    return str(peer)
