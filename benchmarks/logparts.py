"""Lines built from parts, so that every planted value and look-alike keeps its place.

A line is a list of parts: plain text, or a `Tag` (a value with its label). `render` joins them
and says where each tagged value landed. JSON escaping works part by part (a character escapes the
same wherever it stands), so a value inside a JSON string, or a JSON log line inside a container
log's "log" string, is still found at its recorded offsets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple


class Tag(NamedTuple):
    """A value and its label: an entity (upper case, personal) or a look-alike kind (lower case)."""

    label: str
    value: str


class Num(Tag):
    """A tagged value written as a JSON number (epoch times in JSON logs)."""


class Text(tuple):
    """Parts that form one JSON string value (a plain list stays a JSON array)."""


def render(parts: list) -> tuple[str, list[tuple[int, int, str, str]]]:
    """(line, [(start, end, label, value)]): offsets in characters of the rendered line."""
    out: list[str] = []
    spans = []
    at = 0
    for part in parts:
        text = part.value if isinstance(part, Tag) else part
        if isinstance(part, Tag):
            spans.append((at, at + len(text), part.label, text))
        out.append(text)
        at += len(text)
    return "".join(out), spans


def _esc(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def escaped(parts) -> list:
    """The parts as the inside of a JSON string: `"` becomes `\\"`, a newline `\\n`, a tab `\\t`."""
    return [Tag(p.label, _esc(p.value)) if isinstance(p, Tag) else _esc(p) for p in parts]


def json_parts(value) -> list:
    """A JSON text (no spaces, as most encoders write logs) of dicts, lists, scalars, Tags and Texts."""
    if isinstance(value, dict):
        out: list = ["{"]
        for i, (key, item) in enumerate(value.items()):
            out += [("," if i else "") + json.dumps(key) + ":", *json_parts(item)]
        return out + ["}"]
    if isinstance(value, list):
        out = ["["]
        for i, item in enumerate(value):
            out += ([","] if i else []) + json_parts(item)
        return out + ["]"]
    if isinstance(value, Num):
        return [value]
    if isinstance(value, Tag):
        return ['"', *escaped([value]), '"']
    if isinstance(value, Text):
        return ['"', *escaped(value), '"']
    return [json.dumps(value, ensure_ascii=False)]


class Labels:
    """Collects the spans of the lines written, and writes them beside the corpus."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.planted: list[dict] = []
        self.nearmiss: list[str] = []

    def add(self, name: str, number: int, spans) -> None:
        for start, end, label, value in spans:
            if label.isupper():
                self.planted.append(
                    {"file": name, "line": number, "start": start, "end": end, "entity": label, "value": value}
                )
            else:
                self.nearmiss.append(f"{name}\t{number}\t{start}\t{end}\t{label}\n")

    def write(self) -> None:
        with open(labels_path(self.folder), "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(p) + "\n" for p in self.planted)
        with open(nearmiss_path(self.folder), "w", encoding="utf-8") as fh:
            fh.writelines(self.nearmiss)


def labels_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".labels.jsonl")


def nearmiss_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".nearmiss.tsv")


def read_labels(folder: Path) -> list[dict]:
    with open(labels_path(folder), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def read_nearmiss(folder: Path) -> list[tuple[str, int, int, int, str]]:
    out = []
    with open(nearmiss_path(folder), encoding="utf-8") as fh:
        for line in fh:
            name, number, start, end, kind = line.rstrip("\n").split("\t")
            out.append((name, int(number), int(start), int(end), kind))
    return out
