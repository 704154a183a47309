"""Between the gates and Presidio: which candidates need context words, which need spaCy, and where.

The gates say what a value could hold. Two facts decide how much of Presidio that takes:

- **Context.** A candidate that scores below the reporting threshold on its own (bare nine digits,
  an 8-17 digit run, a date) is only reported when a context word of its entity is nearby. Without
  any such word in the value or the column name, it cannot be reported: the gate's hit is dropped
  here, for a whole batch in one RE2 pass (`lacks_context`). A value that holds no context word of
  any entity it is wanted for needs no spaCy tokens at all (`context_words`).
- **Names.** spaCy's NER runs only where a value holds a name-shaped word, and then on a short
  window around it (`name_windows`): log vocabulary (levels, CamelCase and dotted identifiers,
  all-caps words, class and thread names glued to punctuation) is not name-shaped.
"""

from __future__ import annotations

import bisect
import calendar
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import regex

# ---- context -------------------------------------------------------------------------------


@cache
def context_pattern(words: tuple[str, ...]) -> str:
    """An RE2 pattern that matches wherever one of `words` stands as a word of its own.

    A superset of Presidio's whole-word match on spaCy tokens: a token equal to a word is the
    word with no letter or digit beside it in the text."""
    alternation = "|".join(regex.escape(w.lower()) for w in sorted(set(words), key=len, reverse=True))
    return rf"(?i)(?:^|[^a-z0-9])(?:{alternation})(?:$|[^a-z0-9])"


def field_mentions(words: tuple[str, ...], field_words: tuple[str, ...]) -> bool:
    """The column name's words hold one of `words` (Presidio adds them to every value's context)."""
    joined = " ".join(field_words).lower()
    return any(w.lower() in joined for w in words)


def lacks_context(values: pa.Array, where: np.ndarray, pattern: str) -> np.ndarray:
    """Among the values `where` marks, those without a match of `pattern` (a context pattern)."""
    picked = np.flatnonzero(where)
    out = np.zeros(len(values), dtype=bool)
    if len(picked):
        sub = values.take(pa.array(picked))
        found = pc.match_substring_regex(sub, pattern).fill_null(False).to_numpy(zero_copy_only=False)
        out[picked[~found]] = True
    return out


@cache
def _compiled(pattern: str):
    return regex.compile(pattern)


def has_context(text: str, pattern: str) -> bool:
    return _compiled(pattern).search(text) is not None


# ---- names ---------------------------------------------------------------------------------

# Words that are log or UI vocabulary in title case: never the start of a name.
VOCABULARY = frozenset(
    w.casefold()
    for w in (
        *calendar.month_name[1:],
        *calendar.month_abbr[1:],
        *calendar.day_name,
        *calendar.day_abbr,
        "Sept",
        *"Info Information Warn Warning Error Debug Trace Fatal Critical Notice Verbose Severe Fine Finer".split(),
        *"Get Post Put Delete Patch Head Options Connect True False None Null Nil Undefined Nan Ok".split(),
        "Gecko",  # "(KHTML, like Gecko)" in every browser's user agent
    )
)

# A title-case word standing alone: not inside a CamelCase, dotted, path or key=value token (what may
# stand before it is checked apart: a look-behind tried at every position costs more than the match).
_GLUED_BEFORE = regex.compile(r"[\p{L}\p{N}_.$/@\\=&%+~\-]")
_NAME_WORD = regex.compile(
    r"(?:Mc|Mac|O['’]|D['’])?\p{Lu}\p{Ll}+(?:['’\-]\p{Lu}?\p{Ll}+)*"
    r"(?![\p{L}\p{N}_$/@\\=#&%+*<>~|(\[{\-]|[.:]\p{L}|[.:]\p{N}|['’](?!s\b)\p{L})"
)
_CAPITAL = regex.compile(r"\p{Lu}")
_INITIAL = regex.compile(r"\p{Lu}\.?")
_BEFORE_WORD = regex.compile(r"(?:^|[^\p{L}\p{N}_.$/\\\-])(?:\p{Ll}[\p{Ll}'’]*|\p{L}+,)[ \t]+$")
_HONORIFIC = regex.compile(r"(?i)(?:\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|lady|lord)\.?|\bnamed?|\bname is)[ \t]+$")
# A log line: a time, a date or an epoch near its start, or a level word.
_LOG_HEADER = regex.compile(
    r"^.{0,60}?(?:\d{1,2}:\d\d:\d\d|\b(?:19|20)\d\d[-/.]?[01]\d[-/.]?[0-3]\d|\b1\d{9}(?:\d{3})?\b)"
    r"|\b(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|NOTICE|CRITICAL|SEVERE|ALERT|EMERG)\b"
)


def is_log_line(text: str) -> bool:
    """Written by a program, not a person: a time stamp or a level word. Its capitalized words are
    mostly vocabulary (levels, classes, threads, components), so it gets the strict name rules."""
    return _LOG_HEADER.search(text) is not None


# Lower-case names after words that say so ("my name is rubija", "call me ana"): the recognizer's own cue.
_INTRODUCED = regex.compile(r"(?i)\bmy name is|\bname:|\bnamed|\bcall(?:s|ed)? me")
# Where a window stops: a chunk with digits or code characters (a time, an id, a path, a class name).
_STOP = regex.compile(r"[\p{N}_/\\=<>{}|@#$%^*~]|\p{L}[.:]\p{L}")
WINDOW_WORDS = 5  # chunks of context on each side of a name-shaped run
_CHUNK = regex.compile(r"\S+")  # compiled once: regex.finditer(pattern, text) looks it up on every call (9 µs)


def name_words(text: str) -> list[tuple[int, int]]:
    """Spans of the title-case words that could be (part of) a name."""
    return [
        (m.start(), m.end())
        for m in _NAME_WORD.finditer(text)
        if not (m.start() and _GLUED_BEFORE.match(text, m.start() - 1)) and m.group().casefold() not in VOCABULARY
    ]


# The comment of a product token in a user agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)".
_AGENT_COMMENT = regex.compile(r"\b[A-Za-z][\w.\-]*/\d[\w.]*\s*\([^()]*\)")


def name_runs(text: str) -> list[tuple[int, int]]:
    """Spans of name-shaped runs: two or more name words in a row (initials allowed between them),
    or one name word in the middle of a sentence (after a lower-case word) or after an honorific.

    A lone title-case word at the start of a sentence, a message or a bracket is not name-shaped:
    logs and UIs start their phrases with one ("Starting", "Server", "Edit")."""
    words = name_words(text)
    if words and "/" in text:  # platform words of a user agent ("like Mac OS X") are not names
        comments = [m.span() for m in _AGENT_COMMENT.finditer(text)]
        words = [w for w in words if not any(a <= w[0] and w[1] <= b for a, b in comments)]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        start, end = words[i]
        j = i
        while j + 1 < len(words) and _joined(text, words[j][1], words[j + 1][0]):
            j += 1
            end = words[j][1]
        speaker = j == i and not text[:start].strip() and text[end : end + 1] in (":", ",")  # "Ana: on my way"
        if (
            j > i
            or speaker
            or _BEFORE_WORD.search(text, 0, start)
            or _HONORIFIC.search(text, max(0, start - 16), start)
        ):
            runs.append((start, end))
        i = j + 1
    return runs


def _joined(text: str, end: int, start: int) -> bool:
    """Only blanks, or an initial ("T."), between two name words."""
    gap = text[end:start]
    if gap.strip() == "":
        return 0 < len(gap) <= 2
    parts = gap.split()
    return gap[:1].isspace() and gap[-1:].isspace() and len(parts) <= 2 and all(_INITIAL.fullmatch(p) for p in parts)


def name_windows(text: str, words: int = WINDOW_WORDS) -> list[tuple[int, int]]:
    """Character windows for NER: each name-shaped run with up to `words` chunks on each side,
    stopping at a chunk with digits or code characters; overlapping windows merged. Empty: no
    name-shaped run, spaCy need not run."""
    runs = name_runs(text)
    if not runs:
        return []
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    starts = [c[0] for c in chunks]
    out: list[tuple[int, int]] = []
    for start, end in runs:
        first = _chunk_at(starts, start)
        last = _chunk_at(starts, end - 1)
        lo = first
        while lo > 0 and first - lo < words and not _STOP.search(text, *chunks[lo - 1]):
            lo -= 1
        hi = last
        while hi + 1 < len(chunks) and hi - last < words and not _STOP.search(text, *chunks[hi + 1]):
            hi += 1
        window = (chunks[lo][0], chunks[hi][1])
        if out and window[0] <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], window[1]))
        else:
            out.append(window)
    return out


def context_windows(text: str, pattern: str, words: int = 6) -> list[tuple[int, int]]:
    """Windows from every context word to `words` chunks after it (Presidio looks five tokens back
    from an entity for its context), stopping at a chunk with digits or code characters; only
    windows with a capital letter after the context word (where a name can be) are kept."""
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    starts = [c[0] for c in chunks]
    out = []
    for m in _compiled(pattern).finditer(text):
        at = _chunk_at(starts, m.start() + (0 if text[m.start()].isalnum() else 1))
        hi = at
        while hi + 1 < len(chunks) and hi - at < words and not _STOP.search(text, *chunks[hi + 1]):
            hi += 1
        if hi > at and _CAPITAL.search(text, chunks[at + 1][0], chunks[hi][1]):
            out.append((chunks[at][0], chunks[hi][1]))
    return out


def merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _chunk_at(starts: list[int], position: int) -> int:
    return max(0, bisect.bisect_right(starts, position) - 1)


def introduced(text: str) -> bool:
    return _INTRODUCED.search(text) is not None
