"""The servers of bench/bench_checkins.py: gunicorn in a given configuration, optionally nginx in front of it
(the production topology of docs/setup.md), and the CPU their processes and PostgreSQL's backends use."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    kind: str  # sync | gthread
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> Config:
        kind, _, size = text.strip().partition(":")
        workers, _, threads = size.partition("x")
        if kind not in {"sync", "gthread"} or not workers.isdigit() or (threads and not threads.isdigit()):
            sys.exit(f"bad --configs entry {text!r}: use sync:<workers> or gthread:<workers>x<threads>")
        return cls(kind, int(workers), int(threads or 1))

    def __str__(self) -> str:
        return f"{self.kind} {self.workers}" + (f"x{self.threads}" if self.kind == "gthread" else "")

    def args(self) -> list[str]:
        extra = ["--threads", str(self.threads)] if self.kind == "gthread" else []
        return ["--worker-class", self.kind, "--workers", str(self.workers), *extra]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(config: Config, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The demo's command (scripts/demo.sh), without the access log, with the bench settings."""
    command = [
        sys.executable, "-m", "gunicorn", "qijian.wsgi:application", "--bind", f"127.0.0.1:{port}", *config.args(),
        "--forwarded-allow-ips", "127.0.0.1", "--no-control-socket", "--logger-class",
        "qijian.core.logging.UTCGunicornLogger", "--backlog", "2048",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 — our own fixed command
    if not _answers(port, process, 60):
        stop(process)
        sys.exit("gunicorn did not answer within 60 s")
    return process


def _answers(port: int, process: subprocess.Popen[bytes], seconds: float) -> bool:
    """Wait until ``/bench/bare/`` answers 200 on ``port``; False when ``process`` ends or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2) as reply:
                if reply.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
        if process.poll() is not None:
            return False
    return False


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _ticks(pid: int, *, reaped: bool = False) -> int:
    """CPU ticks (user + system) of ``pid``, or with ``reaped`` those of its ended children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the process ended
        return 0
    first = 13 if reaped else 11
    return int(fields[first]) + int(fields[first + 1])


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def server_processes(master: int, database: str) -> list[int]:
    """The children of ``master`` (gunicorn's or nginx's workers) and the PostgreSQL backends serving ``database``."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        is_backend = database and title.startswith("postgres: ") and f" {database} " in title
        if _parent(int(entry.name)) == master or is_backend:
            found.append(int(entry.name))
    return found


def cpu_ticks(master: int, database: str, front: int = 0) -> dict[int, tuple[str, int]]:
    """CPU ticks used so far by each gunicorn worker ("app") and each backend of the database ("pg"), plus
    under negative keys those of ended workers and backends, which their parents (the gunicorn master, the
    postmaster) have reaped: a backend ends when Django reconnects after CONN_MAX_AGE. The postmaster's
    reaped children also include autovacuum workers — PostgreSQL work the load causes, counted as such.
    With ``front`` (nginx's master), nginx's master and workers are counted too ("front")."""
    found: dict[int, tuple[str, int]] = {-1: ("app", _ticks(master, reaped=True))}
    for pid in [front, *server_processes(front, "")] if front else []:
        found[pid] = ("front", _ticks(pid))
    for pid in server_processes(master, database):
        try:
            is_app = Path(f"/proc/{pid}/cmdline").read_bytes().find(b"gunicorn") >= 0
        except OSError:  # the process ended
            continue
        found[pid] = ("app" if is_app else "pg", _ticks(pid))
        if not is_app:
            postmaster = _parent(pid)
            found[-postmaster] = ("pg", _ticks(postmaster, reaped=True))
    return found


def cpu_used(before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]]) -> dict[str, int]:
    """Ticks used between two readings: by the processes alive at the second, and by those reaped meanwhile
    (a process that ended is counted through its parent's reaped-children ticks)."""
    used = {"app": 0, "pg": 0, "front": 0}
    for pid, (kind, ticks) in after.items():
        used[kind] += ticks - before.get(pid, (kind, 0))[1]
    for pid, (kind, ticks) in before.items():
        if pid > 0 and pid not in after:  # ended: its whole life is in the parent's reaped ticks
            used[kind] -= ticks
    return used


# --- nginx in front ---------------------------------------------------------------------------------------

_NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 1000000;
  upstream qijian {{ server 127.0.0.1:{upstream}; }}
  server {{
    listen 127.0.0.1:{port} backlog=2048;
    location / {{
      proxy_pass http://qijian;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


@dataclass
class Nginx:
    """nginx on ``port`` proxying to gunicorn on ``upstream``, as docs/setup.md deploys it (without TLS: the
    load runs on loopback). It reads whole requests before it hands them on, so gunicorn's sync workers
    never wait on a client: the production reason for it, and the fair reading of an offered rate."""

    process: subprocess.Popen[bytes]
    port: int
    workdir: tempfile.TemporaryDirectory[str]

    @classmethod
    def start(cls, port: int, upstream: int) -> Nginx:
        workdir = tempfile.TemporaryDirectory(prefix="qijian-bench-nginx-")
        conf = Path(workdir.name) / "nginx.conf"
        conf.write_text(_NGINX_CONF.format(dir=workdir.name, port=port, upstream=upstream))
        command = ["nginx", "-e", f"{workdir.name}/error.log", "-c", str(conf)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 — our own fixed command
        front = cls(process, port, workdir)
        if not _answers(port, process, 30):
            front.stop()
            sys.exit(f"nginx did not answer: {(Path(workdir.name) / 'error.log').read_text(errors='replace')}")
        return front

    def stop(self) -> None:
        stop(self.process)
        self.workdir.cleanup()
