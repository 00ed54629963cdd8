"""Our own `manage.py check --deploy` checks: unsafe but not fatal configuration (config/settings.py refuses the rest).

Start-up already refuses a missing, placeholder or short key and DEBUG with public hosts; what is
left here is what may be a deliberate choice in some installation but is wrong in ours.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from workflow.audit import checkpoints

_KEYS = ("SECRET_KEY", "AUDIT_CHAIN_KEY", "BALLOT_SEAL_KEY")


@register(Tags.security, deploy=True)
def check_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    values = {name: getattr(settings, name) for name in _KEYS}
    for position, first in enumerate(_KEYS):
        for second in _KEYS[position + 1 :]:
            if values[first] == values[second]:
                messages.append(
                    Error(
                        f"{first} and {second} are the same key.",
                        hint="Give each its own random value: rotating SECRET_KEY must never touch the "
                        "audit chain or the sealed ballots, and one leaked key must not give away the others.",
                        id="thidua.E001",
                    )
                )
    if getattr(settings, "THIDUA_ALLOW_DEV_SECRET", False):
        messages.append(
            Error(
                "THIDUA_ALLOW_DEV_SECRET is on: the development keys are accepted with DEBUG off.",
                hint="Only for experiments on your own machine; unset it on a server.",
                id="thidua.E002",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def check_checkpoints(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.AUDIT_CHECKPOINT_PUBLIC_KEYS:
        return [
            Warning(
                "AUDIT_CHECKPOINT_PUBLIC_KEYS is not set: verify_audit cannot check signed checkpoints, so a "
                "log shortened at its end (events removed, head rewound) goes unnoticed.",
                hint="Make a key pair with `manage.py audit_checkpoint_keygen` and schedule audit_checkpoint "
                "(docs/operations.md, 'Audit checkpoints').",
                id="thidua.W001",
            )
        ]
    try:
        checkpoints.load_public_keys(
            settings.AUDIT_CHECKPOINT_PUBLIC_KEYS, source="AUDIT_CHECKPOINT_PUBLIC_KEYS"
        )
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="thidua.E003")]
    return []


@register(Tags.security, deploy=True)
def check_proxy_and_throttling(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not settings.AXES_ENABLED:
        messages.append(
            Warning("AXES_ENABLED is off: passwords can be guessed without limit.", id="thidua.W002")
        )
    if not settings.TRUSTED_PROXY_NETWORKS:
        messages.append(
            Warning(
                "TRUSTED_PROXY_IPS is not set: behind a reverse proxy every client has the proxy's address, "
                "so a few wrong passwords lock a user name out for everybody.",
                hint="Set it to the proxy's address (127.0.0.1,::1 for nginx on the same host), or ignore "
                "this if clients reach gunicorn directly.",
                id="thidua.W003",
            )
        )
    for network in settings.TRUSTED_PROXY_NETWORKS:
        if network.prefixlen < (16 if network.version == 4 else 48):
            messages.append(
                Error(
                    f"TRUSTED_PROXY_IPS trusts {network}: any client in it can choose the address it is "
                    "throttled under.",
                    hint="Trust only the proxies' own addresses.",
                    id="thidua.E004",
                )
            )
    for origin in settings.CSRF_TRUSTED_ORIGINS:
        if not origin.startswith("https://"):
            messages.append(
                Warning(f"CSRF_TRUSTED_ORIGINS holds {origin!r}, not an https:// origin.", id="thidua.W004")
            )
    return messages
