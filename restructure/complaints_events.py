"""The complaint's append-only trail: every transition writes one event in the same transaction."""

from __future__ import annotations

from restructure.complaints_orm import ComplaintEvent
from restructure.trails import Trail

TRAIL = Trail(ComplaintEvent, "complaint_id")
record_event = TRAIL.record
transition = TRAIL.transition
events = TRAIL.events
