"""What `kg build` did with each input file, for the terminal and for
``build-report.json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kg.noticeid import shown_path


class FileState(StrEnum):
    """What became of an input file. Its value is what build-report.json and
    the summary say (a `StrEnum` member is that string)."""

    OK = "ok"
    OK_WITH_WARNINGS = "ok-with-warnings"
    FAILED = "failed"
    SKIPPED = "skipped"  # not a notice's file: wrong type, or a duplicate
    # built by an earlier run from the same bytes, kg and gazetteers, and not
    # extracted again
    UNCHANGED = "unchanged"


# The order of the totals in the summary and the report.
_TOTALS = (FileState.OK, FileState.OK_WITH_WARNINGS, FileState.UNCHANGED,
           FileState.FAILED, FileState.SKIPPED)


WARNING_LINES = 20  # files with warnings listed in the summary


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str  # as given or found under a folder given
    state: FileState
    reason: str = ""  # why failed or skipped
    warnings: tuple[str, ...] = ()
    notice_id: str | None = None
    sha256: str | None = None
    triples: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": shown_path(self.path),
            "state": self.state,
            "reason": self.reason or None,
            "warnings": list(self.warnings),
            "notice_id": self.notice_id,
            "sha256": self.sha256,
            "triples": self.triples,
        }


@dataclass(frozen=True, slots=True)
class AbsentNotice:
    """A notice of an earlier build whose input is not among this build's."""

    path: str
    notice_id: str
    pruned: bool  # removed (--prune) or kept in the graph


@dataclass(frozen=True, slots=True)
class BuildReport:
    entries: tuple[FileEntry, ...]
    absent: tuple[AbsentNotice, ...] = ()
    graph_triples: int = 0  # quads in the store: all named graphs together
    written: bool = True  # False: nothing changed, no output file was touched
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, state: FileState) -> int:
        return sum(1 for e in self.entries if e.state == state)

    def exit_code(self, strict: bool) -> int:
        """0 when every file is fine; 1 when one failed, or under `strict`
        when one has warnings (skipped files are not failures)."""
        for entry in self.entries:
            if entry.state == FileState.FAILED or (strict and entry.warnings):
                return 1
        return 0

    def summary(self) -> str:
        lines = [
            f"{shown_path(e.path)}: {e.reason}"
            for e in self.entries
            if e.state in (FileState.FAILED, FileState.SKIPPED)
        ]
        # Every failure and skip gets its line; warnings are many on a big
        # corpus, so the first few show and the report holds the rest.
        warned = [e for e in self.entries if e.state != FileState.FAILED and e.warnings]
        lines += [
            f"{shown_path(e.path)}: {len(e.warnings)} warning(s): "
            + "; ".join(e.warnings)
            for e in warned[:WARNING_LINES]
        ]
        if len(warned) > WARNING_LINES:
            lines.append(
                f"... and {len(warned) - WARNING_LINES} more files with warnings "
                "(all of them are in build-report.json)"
            )
        lines += [
            f"{shown_path(a.path)}: no longer an input; notice {a.notice_id} "
            + ("removed" if a.pruned else "kept (use --prune to remove it)")
            for a in self.absent
        ]
        totals = ", ".join(
            f"{self.count(state)} {state}"
            for state in _TOTALS
            if self.count(state)
        )
        outcome = (
            f"{self.graph_triples} quads in the graph"
            if self.written
            else "nothing changed, outputs left as they were"
        )
        lines.append(
            f"{len(self.entries)} files: {totals or 'none'}; {outcome} "
            f"({self.seconds.get('total', 0.0):.1f} s)"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [e.to_dict() for e in self.entries],
            "absent": [
                {
                    "path": shown_path(a.path),
                    "notice_id": a.notice_id,
                    "action": "pruned" if a.pruned else "kept",
                }
                for a in self.absent
            ],
            "totals": {
                "files": len(self.entries),
                **{
                    state: self.count(state)
                    for state in _TOTALS
                },
                "quads": self.graph_triples,
            },
            "seconds": {name: round(value, 3) for name, value in self.seconds.items()},
        }
