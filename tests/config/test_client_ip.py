"""Login throttling keys on the real client: the proxy's header counts only from a trusted proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from config.client_ip import client_ip, parse_networks

ATTACKER, DIRECTOR_HOME = "203.0.113.5", "198.51.100.7"


def login(client: Client, password: str, *, peer: str, forwarded: str | None = None) -> int:
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/dang-nhap/", {"username": "director", "password": password}, **extra).status_code


def lock_out(client: Client, settings: Any, **where: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-password", **where)
    assert login(client, "demo-pass-123", **where) == 429


@pytest.fixture
def behind_nginx(settings: Any) -> Any:
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_NETWORKS = parse_networks("TRUSTED_PROXY_IPS", ["127.0.0.1", "::1"])
    return settings


@pytest.fixture
def direct(settings: Any) -> Any:
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_NETWORKS = []
    return settings


@pytest.mark.django_db
def test_behind_the_proxy_one_address_cannot_lock_the_director_out_for_everyone(
    behind_nginx: Any, people: Any
) -> None:
    attacker = Client()
    lock_out(attacker, behind_nginx, peer="127.0.0.1", forwarded=ATTACKER)
    # A forged left-hand entry changes nothing: nginx appended the address it really saw.
    assert login(attacker, "demo-pass-123", peer="127.0.0.1", forwarded=f"{DIRECTOR_HOME}, {ATTACKER}") == 429
    assert login(Client(), "demo-pass-123", peer="127.0.0.1", forwarded=DIRECTOR_HOME) == 302


@pytest.mark.django_db
def test_directly_the_header_is_ignored(direct: Any, people: Any) -> None:
    attacker = Client()
    lock_out(attacker, direct, peer=ATTACKER, forwarded="192.0.2.1")
    # Claiming another address in the header does not escape the lock when no proxy is trusted…
    assert login(attacker, "demo-pass-123", peer=ATTACKER, forwarded=DIRECTOR_HOME) == 429
    # …and the lock is per address: the Director, from elsewhere, still signs in.
    assert login(Client(), "demo-pass-123", peer=DIRECTOR_HOME) == 302


@pytest.mark.django_db
def test_an_untrusted_peer_sending_the_header_is_not_believed(behind_nginx: Any, people: Any) -> None:
    attacker = Client()
    lock_out(attacker, behind_nginx, peer=ATTACKER, forwarded="192.0.2.1")
    assert login(attacker, "demo-pass-123", peer=ATTACKER, forwarded="192.0.2.99") == 429


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("127.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "10.1.1.1, 203.0.113.5", "203.0.113.5"),  # the client's own claim is ignored
        ("127.0.0.1", "203.0.113.5, 127.0.0.1", "203.0.113.5"),  # a second trusted hop is skipped
        ("127.0.0.1", "[2001:db8::1]:4711", "2001:db8::1"),
        ("127.0.0.1", "", "127.0.0.1"),  # from the proxy's own host
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("::ffff:127.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # not a trusted peer: header ignored
    ],
)
def test_client_ip_reads_the_right_most_untrusted_hop(
    settings: Any, peer: str, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_NETWORKS = parse_networks("TRUSTED_PROXY_IPS", ["127.0.0.1", "::1"])
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
