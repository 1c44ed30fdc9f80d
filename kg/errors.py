"""Typed exceptions. Library code raises these; only `kg.cli` turns them into
messages and exit codes (STYLE.md §5)."""

from __future__ import annotations


class KgError(Exception):
    """Base of every error `kg` raises on purpose."""


class InputError(KgError):
    """An input file cannot be used: says which file, what is wrong, what to do."""

    def __init__(self, path: str | None, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        where = path if path is not None else "<text>"
        message = f"{where}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    @property
    def without_path(self) -> str:
        """The message without its path, for a report that gives the path."""
        return self.reason + (f" ({self.hint})" if self.hint else "")


class NotANoticeError(InputError):
    """The text decodes fine but is not an inspection rectification notice."""


class StoreError(KgError):
    """The embedded store or a remote SPARQL endpoint failed."""


class GoldError(KgError):
    """A gold file for `kg eval` is missing or malformed."""


class OutputError(KgError):
    """An output path cannot be written as kg needs it: a file where a folder
    goes or a folder where a file goes; says which path and what to do."""


class OutputBusyError(OutputError):
    """Another kg process holds the output folder: a build writing it, or a
    `kg view` / `kg push` reading it while a build was asked to write it."""


class StoreDamagedError(StoreError):
    """The store's files are damaged or missing (no build is running): says
    what is wrong and how to rebuild it."""


class LimitError(InputError):
    """An input exceeds a cost bound of kg (characters, HTML nesting, titles,
    quads per notice); the message names the limit."""


class QueryError(KgError):
    """An unknown named query, or a parameter value it cannot take: a usage
    error (`kg.cli` exits 2)."""
