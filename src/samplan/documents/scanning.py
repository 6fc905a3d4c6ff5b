"""The virus-scanner seam. Off by default (``NoScanner``); a municipality that runs ClamAV
sets ``SAMPLAN_CLAMD=host:port`` and every upload is streamed to clamd before it is stored.

``ClamdScanner`` speaks clamd's INSTREAM command (clamd(8), "INSTREAM"): send
``zINSTREAM\\0``, then the file as chunks, each prefixed by its length as a 4-byte
big-endian unsigned integer, then a zero-length chunk; clamd answers one NUL-terminated
line: ``stream: OK``, ``stream: <signature> FOUND`` or ``… ERROR`` (e.g. the file exceeds
clamd's StreamMaxLength). A scanner that cannot answer refuses the upload (fail closed):
a file that was meant to be scanned is never stored unscanned.
"""

import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from django.conf import settings


@dataclass(frozen=True)
class ScanResult:
    status: str  # one of Document.ScanStatus' values: "clean" or "not_scanned"; "infected"/"error" refuse
    signature: str = ""  # what clamd found (never shown to the user; logged by id only)

    @property
    def refused(self) -> bool:
        return self.status in (INFECTED, ERROR)


CLEAN, NOT_SCANNED, INFECTED, ERROR = "clean", "not_scanned", "infected", "error"


class Scanner(Protocol):
    def scan(self, stream: BinaryIO) -> ScanResult: ...


class NoScanner:
    """No scanner configured: the document is stored and marked as not scanned."""

    def scan(self, stream: BinaryIO) -> ScanResult:
        return ScanResult(NOT_SCANNED)


class ClamdScanner:
    CHUNK = 64 * 1024

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    def scan(self, stream: BinaryIO) -> ScanResult:
        stream.seek(0)
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(self.CHUNK):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0") and (data := sock.recv(4096)):
                    reply += data
        except OSError:
            return ScanResult(ERROR)
        finally:
            stream.seek(0)
        answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        verdict = answer.partition(": ")[2] if ": " in answer else answer
        if verdict == "OK":
            return ScanResult(CLEAN)
        if verdict.endswith(" FOUND"):
            return ScanResult(INFECTED, verdict.removesuffix(" FOUND"))
        return ScanResult(ERROR)


def parse_address(value: str) -> tuple[str, int]:
    """``host:port`` (IPv6 hosts in brackets: ``[::1]:3310``)."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"SAMPLAN_CLAMD must be host:port, got {value!r}")
    return host.strip("[]"), int(port)


def configured_scanner() -> Scanner:
    address = getattr(settings, "SAMPLAN_CLAMD", "")
    if not address:
        return NoScanner()
    host, port = parse_address(address)
    return ClamdScanner(host, port, timeout=getattr(settings, "SAMPLAN_CLAMD_TIMEOUT", 30.0))
