"""A private RabbitMQ node for fault-injection tests: own name, ports, data directory.

The machine's shared broker (127.0.0.1:5672, node ``rabbit@localhost``) is never
touched. The private node reads its own (nearly empty) config, env and plugins
files, so it neither listens on 5672 nor starts the management plugin on 15672.
``kill()`` is a real ``kill -9`` of the node's process group; ``start()`` again
restarts it on the same port and data directory (durable queues and their
messages come back).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

from tests.support.servers import free_port, missing, port_open

RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")


def rabbit_binary(name: str) -> str | None:
    local = RABBIT_BIN / name
    if local.exists():
        return str(local)
    return shutil.which(name)


class PrivateRabbit:
    def __init__(self, base_dir: str | Path, name: str | None = None):
        self.base = Path(base_dir).absolute()
        self.node = f"{name or 'certhub-rel-' + uuid.uuid4().hex[:6]}@localhost"
        self.port = free_port()
        self.dist_port = free_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0

    # --- environment -------------------------------------------------------
    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        self.base.mkdir(parents=True, exist_ok=True)
        plugins, env_conf, conf = (
            self.base / "enabled_plugins",
            self.base / "rabbitmq-env.conf",
            self.base / "rabbitmq.conf",
        )
        if not conf.exists():
            plugins.write_text("[].\n")
            env_conf.write_text("")
            conf.write_text(
                f"listeners.tcp.default = {self.port}\nloopback_users = none\n"
                "log.console = false\nlog.file.level = warning\n"
            )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
        env.update(
            HOME=str(self.base),  # the Erlang cookie shared by the node and rabbitmqctl
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_MNESIA_BASE=str(self.base / "mnesia"),
            RABBITMQ_LOG_BASE=str(self.base / "log"),
            RABBITMQ_PID_FILE=str(self.base / "node.pid"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(plugins),
            RABBITMQ_CONF_ENV_FILE=str(env_conf),
            RABBITMQ_CONFIG_FILE=str(conf),
            ERL_EPMD_ADDRESS="127.0.0.1",
        )
        return env

    # --- lifecycle -----------------------------------------------------------
    def start(self, timeout: float = 90.0) -> PrivateRabbit:
        server = rabbit_binary("rabbitmq-server")
        if server is None:
            missing("rabbitmq-server", "Install the rabbitmq-server package (a private node is started per test).")
        env = self._env()
        log = open(self.base / f"start-{self.starts}.log", "wb")
        self.process = subprocess.Popen(
            [server],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=self.base,
        )
        log.close()
        self.starts += 1
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"private RabbitMQ {self.node} exited: {self._log_tail()}")
            if port_open("127.0.0.1", self.port, timeout=0.5):
                return
            time.sleep(0.2)
        raise TimeoutError(f"private RabbitMQ {self.node} not up in {timeout}s: {self._log_tail()}")

    def _log_tail(self) -> str:
        logs = sorted(self.base.glob("start-*.log"))
        return logs[-1].read_text(errors="replace")[-1500:] if logs else ""

    def kill(self) -> None:
        """``kill -9`` the node (the beam process and its helpers); no clean shutdown."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None
        deadline = time.monotonic() + 15
        while port_open("127.0.0.1", self.port, timeout=0.2) and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.process = None

    def destroy(self) -> None:
        self.kill()
        shutil.rmtree(self.base, ignore_errors=True)

    # --- operations ----------------------------------------------------------
    def ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        ctl = rabbit_binary("rabbitmqctl")
        if ctl is None:
            missing("rabbitmqctl", "Install the rabbitmq-server package.")
        return subprocess.run(
            [ctl, "-n", self.node, *args], env=self._env(), capture_output=True, text=True, timeout=timeout
        )

    def close_all_connections(self, reason: str = "reliability test") -> int:
        """Close every client connection; returns how many the node listed beforehand."""
        listed = self.ctl("list_connections", "-q", "pid")
        count = len([line for line in listed.stdout.splitlines() if line.strip()])
        result = self.ctl("close_all_connections", reason)
        if result.returncode != 0:
            raise RuntimeError(f"rabbitmqctl close_all_connections failed: {result.stderr[:300]}")
        return count

    def queue_depths(self) -> dict[str, int]:
        result = self.ctl("list_queues", "-q", "name", "messages")
        depths = {}
        for line in result.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                depths[parts[0]] = int(parts[1])
        return depths
