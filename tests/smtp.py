"""A real SMTP server for the tests: aiosmtpd on a free local port, and what it received.

Test modules import the fixtures they need (``smtp_port``, ``inbox``) and build their own
``app_overrides`` from ``mail_config(port)``.
"""
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mail_config(port: int, **extra) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_TIMEOUT": 5,
            "MAIL_DEFAULT_SENDER": "MAB <mab@example.org>", **extra}


class Inbox:
    """Every message as it arrived: its envelope recipients and its bytes."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    @property
    def raw(self) -> list[bytes]:
        return [content for _, content in self.received]

    @property
    def recipients(self) -> list[list[str]]:
        return [rcpt for rcpt, _ in self.received]

    @property
    def messages(self):
        """The messages, read with the standard ``email`` package."""
        return [message_from_bytes(content, policy=policy.default) for content in self.raw]

    def to(self, address):
        [found] = [m for m in self.messages if m["To"] == address]
        return found


@contextmanager
def smtp_server(port: int):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def inbox(smtp_port):
    with smtp_server(smtp_port) as received:
        yield received
