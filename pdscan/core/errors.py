"""One tree of errors, each carrying its exit code and, for items and sources, a reason code.

The command line maps a `PdscanError` to its exit code in one place; a usage error is the
user's input (an option, a config, a policy, a baseline), a fatal error stops the command,
and an item or source error is recorded as skipped with its reason while the scan goes on.
No message quotes a found value or a credential.
"""

from __future__ import annotations

EXIT_CLEAN = 0  # nothing new at or above the gate
EXIT_FINDINGS = 1  # the gate (--fail-on) was met
EXIT_ERROR = 2  # a usage or fatal error
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process ended by Ctrl-C

# Reason codes for items that were skipped or only partly scanned. Stable: reports,
# the store and users' scripts key on them.
REASONS: dict[str, str] = {
    "unreadable": "the item could not be opened or read (permission or I/O error)",
    "binary": "binary content, not a supported format",
    "unsupported_format": "a known format pdscan does not read (archive, image, document)",
    "unsupported_encoding": "text in an encoding other than UTF-8",
    "invalid_utf8": "bytes that are not valid UTF-8 were replaced before scanning",
    "truncated": "the compressed stream ended early; what came before it was scanned",
    "corrupt": "the file's structure is damaged and could not be (fully) decoded",
    "malformed_rows": "rows or records that could not be parsed were skipped",
    "too_large": "larger than the limit for this format",
    "byte_limit": "only the first --max-bytes-per-object bytes of the object were read",
    "read_error": "an unexpected error while reading",
    "permission_denied": "the credentials may not read this item (table privilege, object policy)",
    "timeout": "a query or read passed its time limit",
    "unsupported_type": "a column type pdscan does not scan (binary, geometry ...)",
    "not_sampled": "left out by sampling (--sample-objects)",
    "decryption_refused": "the store refused to decrypt the item (KMS key not usable)",
    "source_error": "the whole source failed (connection lost); findings made before it are kept",
    "own_store": "pdscan's own findings store (masked samples and fingerprints only): nothing to find",
    "not_regular_file": "not a regular file (a FIFO, socket, device or folder): never opened",
    "symlink_loop": "a symbolic link that leads back to itself",
    "vanished": "listed, then gone (deleted or moved) before it was read",
    "bomb": "decompressed past a limit (size or compression ratio): what came before it was scanned",
    "too_deep": "nested deeper than the limit (JSON depth, archives in archives); that part was skipped",
    "too_many_members": "an archive with more members than the limit; only the first were read",
    "too_many_columns": "more fields than the limit (CSV header, table, record); only the first were read",
    "line_too_long": "a line longer than the limit; it was skipped",
    "encrypted": "encrypted or password-protected (a workbook, document or archive): not read",
    "too_many_sheets": "a workbook with more sheets than limits.sheets; only the first were read",
    "too_many_rows": "a sheet with more rows than limits.sheet_rows; only the first were read",
    "too_many_messages": "an mbox with more messages than limits.messages; only the first were read",
    "ocr_off": "an image or a scanned PDF page: its text is read only with OCR on (--ocr, config ocr: true)",
    "ocr_unavailable": "OCR is on but Tesseract is not installed (apt-get install tesseract-ocr)",
    "interrupted": "the scan was interrupted (Ctrl-C) while reading the item; findings made before are kept",
}


class PdscanError(Exception):
    """The root of pdscan's errors: `exit_code` for the command line, `reason` for a report."""

    exit_code = EXIT_ERROR
    usage = False  # True: the user's input is wrong (shown with the command's usage hint)
    reason: str | None = None


class UsageError(PdscanError):
    """An option, file or value the user gave cannot be used; exit code 2."""

    usage = True


class FatalError(PdscanError):
    """The command cannot go on (store, key, output, workers); exit code 2."""


class PluginError(UsageError):
    """A plugin's contribution cannot be used (an unknown or duplicate entity, an incomplete spec);
    the message names the plugin's part and the reason."""


class ConfigError(UsageError):
    """A config file problem, with the file (and line where known) in the message."""


class PolicyError(UsageError):
    """A policy file that cannot be used; the message names the file and line."""


class BaselineError(UsageError):
    """A baseline file that cannot be read or does not fit this scan."""


class CustomRuleError(UsageError, ValueError):
    """A custom rule is unusable; the message names the rule."""


class IdentifierError(UsageError, ValueError):
    """An identifier that cannot be used; the message names where it came from, not its value."""


class CaseError(UsageError):
    """A case that does not exist or cannot take this change."""


class ReportError(UsageError):
    """The store cannot answer the report (no finished scan, an unknown scan id)."""


class UrlError(UsageError, ValueError):
    """The source is not a usable database URL; the message holds no password."""


class StoreError(FatalError):
    """The store cannot be opened or written; the message holds no password."""


class Exposed(FatalError):
    """An existing store or key file that group or others may read or write; the message says the fix."""


class OutputError(FatalError):
    """Writing a finding failed: the scan cannot go on, and it is not the item's fault."""


class EngineUnavailable(FatalError):
    """The asked-for engine cannot run here (Ray not installed); one line for the user."""


class WorkerFailed(FatalError):
    """A worker process or task died (killed, out of memory): the scan cannot finish."""


class ItemError(PdscanError):
    """An item cannot be (further) read: recorded with `reason`; the message never quotes its data."""

    def __init__(self, reason: str, detail: str):
        if reason not in REASONS:
            raise ValueError(f"unknown reason code {reason!r}")
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class SourceError(PdscanError):
    """A whole source failed (cannot be reached or listed); the message holds no secret."""

    reason = "source_error"


def stopped_by(exc: Exception) -> tuple[str, str, str]:
    """(source | item, reason, detail) of what stopped reading an item: the one mapping the scan
    engine and DSAR share. A reader bug must not end the run, nor quote the data."""
    if isinstance(exc, SourceError):
        return ("source", "source_error", str(exc))
    if isinstance(exc, ItemError):
        return ("item", exc.reason, exc.detail)
    return ("item", "read_error", f"{type(exc).__name__} while reading")
