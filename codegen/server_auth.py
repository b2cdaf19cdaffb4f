"""The `WWW-Authenticate` challenges of an operation's 401 answers."""

from __future__ import annotations

from .ir import Api, Operation

# HTTP schemes have a standard challenge (RFC 9110, 7617, 6750); API keys have
# none, and an invented one would only mislead clients: they get no challenge.
_CHALLENGES = {
    "bearer": 'Bearer realm="{realm}"',
    "basic": 'Basic realm="{realm}", charset="UTF-8"',
}


def challenge(api: Api, op: Operation) -> str:
    """`Bearer realm="Images API", Basic realm=...` for the HTTP schemes `op` accepts; "" for none."""
    kinds = {s.name: s.kind for s in api.security_schemes}
    realm = api.title.replace("\\", "\\\\").replace('"', '\\"')
    found = dict.fromkeys(
        kinds[name] for names in op.security for name in names if name in kinds
    )
    return ", ".join(
        _CHALLENGES[kind].format(realm=realm) for kind in found if kind in _CHALLENGES
    )


__all__ = ["challenge"]
