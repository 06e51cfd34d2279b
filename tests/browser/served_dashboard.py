"""Serving the real dashboard on a free local port, and recording what a page requests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).parents[2]
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"
LOCAL_HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 60


@dataclass(frozen=True, slots=True)
class ServedDashboard:
    """A dashboard process serving one warehouse."""

    base_url: str
    warehouse_path: Path


@dataclass
class RequestLog:
    """Every URL a page asked for, and those refused because they left the local server."""

    urls: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def off_host(self) -> list[str]:
        """The requested URLs whose host is not the local server (data: URLs excepted)."""
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != LOCAL_HOST
        ]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCAL_HOST, 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dashboard exited with code {process.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"dashboard did not answer on {url} within {START_TIMEOUT_SECONDS} s")


def serve_dashboard(*, warehouse_path: Path) -> Iterator[ServedDashboard]:
    """Run ``carelens serve`` on a free port for ``warehouse_path``; stop it afterwards."""
    port = _free_port()
    command = [sys.executable, "-m", "carelens", "serve", "--warehouse", str(warehouse_path)]
    command += ["--port", str(port), "--host", LOCAL_HOST]
    process = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
        command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base_url = f"http://{LOCAL_HOST}:{port}"
    try:
        _wait_until_serving(f"{base_url}/", process)
        yield ServedDashboard(base_url=base_url, warehouse_path=warehouse_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
