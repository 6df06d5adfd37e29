"""``py-spy record`` of some service processes while a workload runs (``bench.run --profile``): one
speedscope file per process (open it at speedscope's site or in its viewer) and one raw file of collapsed
stacks for ``python -m bench.hotspots``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path


def _record(pid: int, out: Path, fmt: str) -> subprocess.Popen:
    spy = os.path.join(os.path.dirname(sys.executable), "py-spy")
    return subprocess.Popen(
        [spy, "record", "-p", str(pid), "-r", "200", "-f", fmt, "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextmanager
def recording(stack, services: tuple[str, ...], directory: str | None, name: str):
    """Record each service's first process for the block into ``directory/name-service.{speedscope.json,txt}``;
    nothing when ``directory`` is None."""
    spies: list[subprocess.Popen] = []
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for service in services:
            pid = stack.processes[service][0].pid
            base = Path(directory) / f"{name}-{service}"
            spies.append(_record(pid, base.with_suffix(".speedscope.json"), "speedscope"))
            spies.append(_record(pid, base.with_suffix(".txt"), "raw"))
    try:
        yield
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        for spy in spies:
            try:
                spy.wait(30)
            except subprocess.TimeoutExpired:
                spy.kill()
