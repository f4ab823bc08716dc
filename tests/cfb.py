"""A minimal writer of OLE2 compound files (MS-CFB, version 3), for tests only: enough to make an
Outlook .msg (MS-OXMSG) with a subject, a body, a sent time and attachments, which no Python
library writes.

Streams under 4,096 bytes live in the mini stream (64-byte sectors), as the format requires.
"""

from __future__ import annotations

import datetime as dt
import struct

SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data  # kind: 1 storage, 2 stream, 5 root
        self.children: list[_Entry] = []
        self.left = self.right = self.child = NO_STREAM
        self.start, self.id, self.size = END, 0, len(data)


def _key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()  # the order MS-CFB gives siblings


def compound_file(tree: dict) -> bytes:
    """The bytes of a compound file holding ``tree``: name -> bytes (a stream) or dict (a storage)."""
    root = _Entry("Root Entry", 5)

    def add(parent: _Entry, items: dict) -> None:
        for name, value in items.items():
            entry = _Entry(name, 1) if isinstance(value, dict) else _Entry(name, 2, value)
            parent.children.append(entry)
            if isinstance(value, dict):
                add(entry, value)

    add(root, tree)
    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.id = len(entries)
        entries.append(entry)
        for child in entry.children:
            number(child)

    number(root)

    def siblings(items: list[_Entry]) -> int:  # a balanced search tree of the siblings; returns its top
        if not items:
            return NO_STREAM
        items = sorted(items, key=_key)
        middle = len(items) // 2
        top = items[middle]
        top.left, top.right = siblings(items[:middle]), siblings(items[middle + 1:])
        return top.id

    for entry in entries:
        entry.child = siblings(entry.children)
    sectors: list[bytes] = []
    fat: list[int] = []

    def chain(data: bytes) -> int:
        count = max(1, -(-len(data) // SECTOR))
        first = len(sectors)
        for k in range(count):
            sectors.append(data[k * SECTOR:(k + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(first + k + 1 if k < count - 1 else END)
        return first

    mini = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        if entry.kind == 2 and len(entry.data) >= MINI_CUTOFF:
            entry.start = chain(entry.data)
        elif entry.kind == 2 and entry.data:
            entry.start = len(mini) // MINI_SECTOR
            count = -(-len(entry.data) // MINI_SECTOR)
            mini += entry.data.ljust(count * MINI_SECTOR, b"\0")
            mini_fat += [entry.start + k + 1 if k < count - 1 else END for k in range(count)]
    first_mini_fat, mini_fat_count = END, 0
    if mini:
        root.start, root.size = chain(bytes(mini)), len(mini)
        mini_fat += [FREE] * (-len(mini_fat) % (SECTOR // 4))
        first_mini_fat, mini_fat_count = chain(struct.pack(f"<{len(mini_fat)}I", *mini_fat)), len(mini_fat) // (SECTOR // 4)
    directory = b"".join(_directory_entry(e) for e in entries)
    directory += b"".join(_directory_entry(None) for _ in range(-len(entries) % 4))
    first_directory = chain(directory)
    fat_count = 1
    while len(sectors) + fat_count > fat_count * (SECTOR // 4):
        fat_count += 1
    fat_start = len(sectors)
    fat += [FAT_SECTOR] * fat_count
    fat += [FREE] * (fat_count * (SECTOR // 4) - len(fat))
    difat = [fat_start + k for k in range(fat_count)] + [FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, fat_count, first_directory, 0, MINI_CUTOFF, first_mini_fat, mini_fat_count, END, 0) + struct.pack(
        "<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + b"".join(sectors) + fat_bytes


def _directory_entry(entry: _Entry | None) -> bytes:
    if entry is None:
        return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM, b"\0" * 16, 0, 0, 0,
                           0, 0)
    name = entry.name.encode("utf-16-le") + b"\0\0"
    start = entry.start if entry.kind in (2, 5) else 0
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), entry.kind, 1, entry.left, entry.right, entry.child,
                       b"\0" * 16, 0, 0, 0, start, entry.size)


def _unicode(text: str) -> bytes:
    return text.encode("utf-16-le")


def _filetime(moment: dt.datetime) -> int:
    return int((moment - dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc)).total_seconds() * 10_000_000)


def outlook_message(subject: str, body: str, sent: dt.datetime, attachments: dict[str, bytes],
                    headers: str | None = None) -> bytes:
    """An Outlook .msg (MS-OXMSG): subject, plain-text body, sent time, attachments by value, and the
    internet headers it arrived with (PR_TRANSPORT_MESSAGE_HEADERS), if given."""
    def properties(header: bytes, fixed: list[tuple[int, int]], strings: dict[int, bytes]) -> bytes:
        entries = b"".join(struct.pack("<IIQ", tag, 6, value) for tag, value in fixed)
        entries += b"".join(struct.pack("<IIII", tag, 6, len(data) + (2 if tag & 0xFFFF == 0x1F else 0), 0)
                            for tag, data in strings.items())
        return header + entries

    strings = {0x001A001F: _unicode("IPM.Note"), 0x0037001F: _unicode(subject), 0x1000001F: _unicode(body)}
    if headers is not None:
        strings[0x007D001F] = _unicode(headers)
    tree: dict = {f"__substg1.0_{tag:08X}": data for tag, data in strings.items()}
    tree["__properties_version1.0"] = properties(
        struct.pack("<8sIIII8s", b"\0" * 8, 0, len(attachments), 0, len(attachments), b"\0" * 8),
        [(0x00390040, _filetime(sent)), (0x0E060040, _filetime(sent))], strings)
    tree["__nameid_version1.0"] = {"__substg1.0_00020102": b"", "__substg1.0_00030102": b"",
                                   "__substg1.0_00040102": b""}
    for number, (name, data) in enumerate(attachments.items()):
        attachment_strings = {0x3707001F: _unicode(name), 0x3001001F: _unicode(name)}
        storage: dict = {f"__substg1.0_{tag:08X}": value for tag, value in attachment_strings.items()}
        storage["__substg1.0_37010102"] = data
        storage["__properties_version1.0"] = properties(
            b"\0" * 8, [(0x37050003, 1), (0x0E210003, number)],
            {**attachment_strings, 0x37010102: data})
        tree[f"__attach_version1.0_#{number:08X}"] = storage
    return compound_file(tree)
