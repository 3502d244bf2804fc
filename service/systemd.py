"""The service manager's notification protocol (``Type=notify``), without a library.

systemd passes ``NOTIFY_SOCKET`` (a path, or ``@name`` for the abstract namespace) and expects
datagrams such as ``READY=1`` and ``STOPPING=1``. Outside systemd the variable is absent and
every call is a no-op, so the same code runs under any supervisor.
"""

from __future__ import annotations

import logging
import os
import socket

__all__ = ["notify"]

log = logging.getLogger(__name__)


def notify(*states: str) -> bool:
    """Send ``states`` (e.g. ``"READY=1"``) to the service manager; ``False`` if there is none."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address or not states:
        return False
    target = "\0" + address[1:] if address.startswith("@") else address
    message = "\n".join(states).encode()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(target)
            sock.sendall(message)
    except OSError as exc:  # the manager went away: nothing we can do but say so
        log.warning("cannot notify the service manager at %s: %s", address, exc.strerror)
        return False
    return True
