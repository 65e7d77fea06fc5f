"""An application's append-only event trail, and the one way its status changes (SPEC §6).

The commands (``restructure/applications.py``), the deadline sweeper and delivery all write through here, so the
sweeper does not import the workflow's commands. Each call runs inside the caller's transaction: the status change
and its event commit together or not at all; a move into a final state closes the application.
"""

from __future__ import annotations

from restructure import workflow as wf
from restructure.orm import ApplicationEvent
from restructure.trails import Trail

TRAIL = Trail(ApplicationEvent, "application_id", closing=wf.FINAL)
record_event = TRAIL.record
transition = TRAIL.transition
events = TRAIL.events
