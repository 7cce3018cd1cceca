"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it accepts and misbehaves on request."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]

    def header(self, name: str) -> str:
        """A header as a reader sees it (unfolded; Python folds an encoded subject onto its second line)."""
        return str(self.message[name] or "").strip()

    def attachments(self) -> dict[str, bytes]:
        return {
            part.get_filename() or "": part.get_content()
            for part in self.message.iter_attachments()
            if part.get_content_disposition() == "attachment"
        }

    def body(self, kind: str) -> str:
        part = self.message.get_body(preferencelist=(kind,))
        assert part is not None, f"no {kind} part"
        return str(part.get_content())


@dataclass
class Mailbox:
    """What the server accepted, and how it should behave next.

    ``refuse``: recipient -> SMTP reply at RCPT (``"550 5.1.1 No such user"``).
    ``data_replies``: replies to the next DATA commands, in order (then ``250``).
    ``stall``: the first DATA waits for this event before answering; ``stalled`` is set
    when it starts waiting. ``deliver_stalled``: whether that message counts as
    delivered once released (a server that had written it to disk before the client vanished).
    """

    port: int
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    data_replies: list[str] = field(default_factory=list)
    stall: threading.Event | None = None
    stalled: threading.Event = field(default_factory=threading.Event)
    deliver_stalled: bool = False
    data_commands: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.data_commands += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        if self.stall is not None and not self.stalled.is_set():
            if self.deliver_stalled:  # stored before answering: a client that dies now never hears it was
                self.received.append(received)
            self.stalled.set()
            # aiosmtpd cancels this handler when the client's connection drops
            await asyncio.get_running_loop().run_in_executor(None, self.stall.wait, 120)
            return "451 4.4.2 try again later"
        self.received.append(received)
        return "250 2.0.0 OK: queued"


@contextmanager
def mail_server(port: int | None = None, **behaviour: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox(port=port or free_port(), **behaviour)
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        if mailbox.stall is not None:
            mailbox.stall.set()
        controller.stop()
