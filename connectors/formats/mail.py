"""E-mail: single messages (EML), mailboxes (MBOX, streamed message by message) and Outlook MSG.

Address headers (From, To, Cc, Bcc, Reply-To, Sender) are one batch each, field = the header's name,
one value per address ("Name <addr>"); the subject and text bodies are lines (HTML as its visible
text); attachments are read through the same format registry (an attached CSV or workbook is read as
such), inside attachments up to `limits.attachment_depth`. Every value's location names its
`message` (the Message-ID, else its number in the mbox) and `part` (IMAP numbering: 1, 1.2, ...).
The text batches of a message, and of the messages of an mbox one after another, are joined into
batches of many values (pdscan.connectors.formats.joined): one detector call for many messages.
"""

from __future__ import annotations

import email
import html.parser
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from email import policy
from email.message import Message

import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch
from pdscan.connectors.formats import archive, sheets
from pdscan.connectors.formats.base import CERTAIN, Format, best
from pdscan.connectors.formats.joined import joined
from pdscan.connectors.limits import Limits
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Sender")
HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,75}:[ \t]")
KNOWN = (b"from:", b"to:", b"subject:", b"date:", b"message-id:", b"received:", b"mime-version:", b"return-path:")
MBOX_FROM = re.compile(rb"^From \S+ ")
EMAIL_CONFIDENCE = 0.9  # content that reads as RFC 5322 headers, whatever the name says
MESSAGE_BYTES = 256 << 20  # one message of an mbox is held in memory: at most this


def _header_block(head: bytes) -> list[bytes]:
    end = head.find(b"\n\n")
    crlf = head.find(b"\r\n\r\n")
    if crlf != -1 and (end == -1 or crlf < end):
        end = crlf
    block = head if end == -1 else head[:end]
    return [line for line in block.split(b"\n") if line and not line[:1].isspace()]


def looks_like_message(head: bytes) -> bool:
    lines = _header_block(head)[:60]
    if not lines or not HEADER_LINE.match(lines[0]):
        return False
    headers = sum(1 for line in lines if HEADER_LINE.match(line))
    known = {line.split(b":", 1)[0].lower() + b":" for line in lines if HEADER_LINE.match(line)}
    return headers >= 0.8 * len(lines) and len(known & set(KNOWN)) >= 2


def looks_like_mbox(head: bytes) -> bool:
    first, _, rest = head.partition(b"\n")
    return bool(MBOX_FROM.match(first)) and looks_like_message(rest)


class _Visible(html.parser.HTMLParser):
    """The text a browser shows: script and style left out, block elements end lines."""

    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _lines(text: str, place: tuple) -> Batch | None:
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if not any(line.strip() for line in lines):
        return None
    return Batch(values=pa.array(lines, pa.string()), lines=np.arange(1, len(lines) + 1), place=place)


def message_batches(
    msg: Message, label, result: ItemResult, limits: Limits, depth: int = 0, where: tuple = (), prefix: str = ""
) -> Iterator[Batch]:
    """Batches of one parsed message; `label` names it in locations (its Message-ID wins). A message
    attached to another keeps the outer `where` and numbers its parts under its own (`prefix`: 3, 3.1)."""
    if not where:
        where = (("message", str(msg.get("Message-ID", "") or "").strip() or label),)
    heads = (*where, ("part", prefix)) if prefix else where
    for name in ADDRESS_HEADERS:
        values = _addresses(msg, name)
        if values:
            yield Batch(values=pa.array(values, pa.string()), field=name, place=heads)
    subject = _header(msg, "Subject")
    if subject:
        yield Batch(values=pa.array([subject], pa.string()), field="Subject", place=heads)
    yield from _part_batches(msg, f"{prefix}.1" if prefix else "1", where, result, limits, depth, prefix=prefix)


def _header(msg: Message, name: str) -> str:
    try:
        return str(msg.get(name, "") or "")
    except (ValueError, TypeError, IndexError):  # a header the parser cannot decode
        return ""


def _addresses(msg: Message, name: str) -> list[str]:
    out = []
    for header in msg.get_all(name, []) or []:
        try:
            out += [str(a) for a in header.addresses]
        except (AttributeError, ValueError, TypeError, IndexError):
            out.append(str(header))
    return out


def _part_batches(part: Message, number: str, where, result, limits, depth, prefix=None) -> Iterator[Batch]:
    """`prefix` is given for a message's own top part: a multipart's children are then prefix.1, prefix.2."""
    if part.is_multipart():
        if part.get_content_type() == "message/rfc822":  # an attached message: its parts under this number
            for inner in part.get_payload()[:1]:
                yield from _attached_message(inner, number, where, result, limits, depth)
            return
        base = number if prefix is None else prefix
        for i, child in enumerate(part.get_payload(), 1):
            yield from _part_batches(child, f"{base}.{i}" if base else str(i), where, result, limits, depth)
        return
    place = (*where, ("part", number))
    kind = part.get_content_type()
    attached = part.get_filename() is not None or part.get_content_disposition() == "attachment"
    if kind in ("text/plain", "text/html") and not attached:
        try:
            text = part.get_content()
        except (LookupError, ValueError, AssertionError):
            text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
        batch = _lines(visible_text(text) if kind == "text/html" else text, place)
        if batch is not None:
            yield batch
        return
    data = part.get_payload(decode=True)
    if data:
        yield from attachment_batches(data, part.get_filename() or "", place, result, limits, depth + 1)


def _attached_message(inner, number, where, result, limits, depth) -> Iterator[Batch]:
    if depth + 1 > limits.attachment_depth:
        result.partial("too_deep", f"attachments nested past {limits.attachment_depth} levels were not read")
        return
    yield from message_batches(inner, number, result, limits, depth + 1, where=where, prefix=number)


def attachment_batches(data: bytes, filename: str, place, result, limits, depth) -> Iterator[Batch]:
    """An attachment's bytes through the format registry; its batches placed inside the message."""
    if depth > limits.attachment_depth:
        result.partial("too_deep", f"attachments nested past {limits.attachment_depth} levels were not read")
        return
    head = archive.with_directory(data[:65536], io.BytesIO(data) if len(data) > 65536 else None)  # a zip's names
    fmt, score = best(head, filename)
    if fmt is None or (score < CERTAIN and b"\x00" in head):
        result.partial("unsupported_format", f"part {dict(place)['part']}: an attachment pdscan does not read")
        return
    table = ":".join(str(v) for _, v in place)
    try:
        for batch in fmt.read(io.BytesIO(data), result, limits):
            inner = f"{table}/{batch.table}" if batch.table else table
            yield replace(batch, place=(*place, *batch.place), table=inner if batch.tabular else batch.table)
    except ItemError as exc:  # a corrupt or encrypted attachment: the rest of the message goes on
        result.partial(exc.reason, f"part {dict(place)['part']}: {exc.detail}")


def _parse(data: bytes) -> Message:
    return email.message_from_bytes(data, policy=policy.default)


def read_eml(stream, result: ItemResult, limits: Limits, depth: int = 0) -> Iterator[Batch]:
    return joined(_eml_batches(stream, result, limits, depth))


def _eml_batches(stream, result: ItemResult, limits: Limits, depth: int) -> Iterator[Batch]:
    data = stream.read(MESSAGE_BYTES + 1)
    if len(data) > MESSAGE_BYTES:
        raise ItemError("too_large", f"a message over {MESSAGE_BYTES >> 20} MB")
    result.records += 1
    yield from message_batches(_parse(data), 1, result, limits, depth)


def read_mbox(stream, result: ItemResult, limits: Limits, depth: int = 0) -> Iterator[Batch]:
    """Messages one at a time: a `From ` line after a blank line (or at the start) begins one."""
    return joined(_mbox_batches(stream, result, limits, depth))


def _mbox_batches(stream, result: ItemResult, limits: Limits, depth: int) -> Iterator[Batch]:
    count, held, size, blank = 0, [], 0, True
    for line in stream:
        if blank and line.startswith(b"From ") and MBOX_FROM.match(line):
            if held:
                count += 1
                yield from _mbox_message(held, count, result, limits, depth)
                if count >= limits.messages:
                    result.partial("too_many_messages", f"only the first {limits.messages} messages were read")
                    return
            held, size = [], 0
        else:
            size += len(line)
            if size <= MESSAGE_BYTES:
                held.append(line[1:] if line.startswith(b">From ") else line)
        blank = line in (b"\n", b"\r\n")
    if held:
        count += 1
        yield from _mbox_message(held, count, result, limits, depth)


def _mbox_message(lines, count, result, limits, depth) -> Iterator[Batch]:
    result.records += 1
    yield from message_batches(_parse(b"".join(lines)), count, result, limits, depth)


def read_msg(source, result: ItemResult, limits: Limits) -> Iterator[Batch]:
    """An Outlook MSG through extract-msg: its headers, body and attachments."""
    return joined(_msg_batches(source, result, limits))


def _msg_batches(source, result: ItemResult, limits: Limits) -> Iterator[Batch]:
    import extract_msg

    try:
        msg = extract_msg.openMsg(source)
    except Exception:  # extract-msg raises many kinds for a damaged file; never its message (data)
        raise ItemError("corrupt", "not a readable Outlook message") from None
    with msg:
        result.records += 1
        where = (("message", str(getattr(msg, "messageId", "") or "").strip() or 1),)
        for name, value in (("From", msg.sender), ("To", msg.to), ("Cc", msg.cc), ("Subject", msg.subject)):
            if value:
                yield Batch(values=pa.array([str(value)], pa.string()), field=name, place=where)
        body = _lines(str(msg.body or ""), (*where, ("part", "1")))
        if body is not None:
            yield body
        for i, att in enumerate(getattr(msg, "attachments", []) or [], 2):
            data = getattr(att, "data", None)
            if isinstance(data, bytes) and data:
                name = str(getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "")
                yield from attachment_batches(data, name, (*where, ("part", str(i))), result, limits, 1)


class Eml(Format):
    name = "eml"

    def sniff(self, head: bytes, name: str) -> float:
        return EMAIL_CONFIDENCE if looks_like_message(head) else 0.0

    def read(self, source, result, limits):
        return read_eml(source, result, limits)


class Mbox(Format):
    name = "mbox"

    def sniff(self, head: bytes, name: str) -> float:
        return EMAIL_CONFIDENCE + 0.05 if looks_like_mbox(head) else 0.0

    def read(self, source, result, limits):
        return read_mbox(source, result, limits)


sheets.Ole.messages = staticmethod(read_msg)
