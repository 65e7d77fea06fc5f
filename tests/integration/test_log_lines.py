"""Several worker processes logging at once into one stream: every line is one complete JSON record."""

from __future__ import annotations

import json
import subprocess
import sys

WORKER = r"""
import sys
from api import logging as service_logging
import structlog

service_logging.configure("json")
log = structlog.get_logger("restructure.http")
for i in range(400):
    log.info("request", worker=int(sys.argv[1]), n=i, padding="x" * 900)
"""


def test_four_workers_writing_at_once_never_glue_or_split_records(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "log.jsonl"
    with out.open("ab") as stream:
        workers = [
            subprocess.Popen([sys.executable, "-c", WORKER, str(w)], stderr=stream) for w in range(4)
        ]
        for worker in workers:
            assert worker.wait(120) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1600
    records = [json.loads(line) for line in lines]  # each line parses alone: nothing glued, nothing split
    assert sorted((r["worker"], r["n"]) for r in records) == [(w, i) for w in range(4) for i in range(400)]
