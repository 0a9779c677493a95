# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Fixtures: a running RouterOS emulator and a logged-in ``librouteros`` client."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import librouteros
import pytest

from isp_network.tests.routeros_emulator import RouterOSEmulator

USERNAME = "admin"
PASSWORD = "s3cret"


@pytest.fixture
def routeros() -> Iterator[RouterOSEmulator]:
    """A fresh emulator on a free 127.0.0.1 port; user ``admin`` / ``s3cret``."""
    with RouterOSEmulator(username=USERNAME, password=PASSWORD) as router:
        yield router
    leftover = [t.name for t in threading.enumerate() if t.name.startswith(f"routeros-{router.port}")]
    assert not leftover, f"emulator threads still running after stop(): {leftover}"


@pytest.fixture
def routeros_connect(routeros: RouterOSEmulator) -> Iterator[Callable[..., librouteros.Api]]:
    """Open more ``librouteros`` connections to :func:`routeros`; all closed at teardown."""
    opened: list[librouteros.Api] = []

    def connect(username: str = USERNAME, password: str = PASSWORD, **kwargs) -> librouteros.Api:
        api = librouteros.connect(
            routeros.host, username, password, port=routeros.port, timeout=kwargs.pop("timeout", 5), **kwargs
        )
        opened.append(api)
        return api

    yield connect
    for api in opened:
        try:
            api.close()
        except OSError:
            pass


@pytest.fixture
def routeros_api(routeros_connect: Callable[..., librouteros.Api]) -> librouteros.Api:
    """The real ``librouteros`` client, logged in to :func:`routeros`."""
    return routeros_connect()
