"""The benchmark's split of the machine's CPU names each process by what it is to the run."""

from __future__ import annotations

import pytest

from bench.watch import role_of


@pytest.mark.parametrize(
    ("name", "cmdline", "role"),
    [
        ("python", ["/venv/bin/python", "-m", "review", "serve"], "review"),
        ("python3.11", ["python", "-m", "certificates", "serve"], "certificates"),
        ("python", ["python", "-m", "bench.floor"], "floor"),
        ("python", ["python", "-m", "moto.server", "-H", "127.0.0.1", "-p", "5000"], "moto"),
        ("python", ["python", "-m", "bench.run", "--quick"], "bench"),
        ("postgres", ["postgres: certhub review 127.0.0.1(5432) idle"], "postgresql"),
        ("beam.smp", ["/usr/lib/erlang/erts/bin/beam.smp", "--", "-root"], "rabbitmq"),
        ("nginx", ["nginx: worker process"], "nginx"),
        ("wrk", ["wrk", "-t", "1", "-c", "50"], "wrk"),
        ("python", ["python", "-m"], "other"),
        ("python", ["python", "-m", "pytest"], "other"),
        ("bash", ["bash"], "other"),
    ],
)
def test_each_process_has_its_role(name, cmdline, role):
    assert role_of(name, cmdline) == role
