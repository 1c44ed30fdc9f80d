"""Notice metadata: title, publisher, dates, inspected unit, inspecting body,
inspection group, inspection period, feedback date, announced counts."""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import (
    Count,
    Date,
    InspectingBody,
    InspectionGroup,
    Organization,
    Outline,
    Source,
    Span,
)


@dataclass(frozen=True, slots=True)
class NoticeHeader:
    title: Span | None = None
    publisher: Span | None = None
    published: Date | None = None
    inspected_org: Organization | None = None
    inspecting_body: InspectingBody | None = None
    inspection_group: InspectionGroup | None = None
    inspection_start: Date | None = None
    inspection_end: Date | None = None
    feedback_date: Date | None = None
    counts: tuple[Count, ...] = ()
    warnings: tuple[str, ...] = ()


def find_metadata(source: Source, outline: Outline) -> NoticeHeader:
    raise NotImplementedError
