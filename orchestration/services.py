"""Serving the three front doors on 127.0.0.1: platform API, Dagster UI, dashboards.

Each service runs in its own process group with its output in ``$VIGIE_HOME/logs``. The
supervisor waits until every URL answers, prints them, and on Ctrl-C (or SIGTERM) stops
them all, politely first, then by force.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vigie.orchestration.executables import beside_interpreter
from vigie.platform.settings import DASHBOARD_APP, Settings

DAGSTER_YAML = Path(__file__).with_name("dagster.yaml")


@dataclass
class Service:
    name: str
    url: str
    argv: list[str]
    env: dict[str, str]
    stop_signal: int = signal.SIGTERM
    proc: subprocess.Popen | None = field(default=None, repr=False)
    log_path: Path | None = None


def prepare_dagster_home(settings: Settings) -> Path:
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DAGSTER_YAML, settings.dagster_home / "dagster.yaml")
    return settings.dagster_home


def dashboards_command(host: str, port: int, secrets: Path | None = None) -> list[str]:
    """``streamlit run`` of the dashboards as their users get them: headless, no usage
    statistics sent, and a reader's toolbar (print and theme stay; Streamlit's deploy,
    rerun and clear-cache buttons are for developers of the app, not its readers); their
    sign-in provider in ``secrets`` (the ``[auth]`` section)."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(DASHBOARD_APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]
    if secrets is not None:
        command += ["--secrets.files", str(secrets)]
    return command


#: a production sign-in: the path of a secrets.toml whose ``[auth]`` names the provider
#: (ProConnect, see docs/sign-in.md); without it, ``vigie serve`` runs the local provider
PRODUCTION_SECRETS_ENV = "VIGIE_DASHBOARD_SECRETS"
#: the local provider's client (any id and secret are accepted by it)
DEV_CLIENT_ID = "vigie-dashboards"


def dev_sign_in_secrets(
    settings: Settings, host: str, dashboards_port: int, provider_url: str
) -> Path:
    """The dashboards' secrets for the local provider: written in the home, with a cookie
    secret made once and kept (sessions survive a restart), readable by its owner only."""
    import secrets as random

    folder = settings.home / "dashboards"
    folder.mkdir(parents=True, exist_ok=True)
    cookie = folder / "cookie_secret"
    if not cookie.exists():
        cookie.write_text(random.token_urlsafe(48), encoding="utf-8")
        cookie.chmod(0o600)
    path = folder / "secrets.toml"
    path.write_text(
        "# written by `vigie serve` for the local OIDC provider (demo and tests)\n"
        "[auth]\n"
        f'redirect_uri = "http://{host}:{dashboards_port}/oauth2callback"\n'
        f'cookie_secret = "{cookie.read_text(encoding="utf-8").strip()}"\n'
        f'client_id = "{DEV_CLIENT_ID}"\n'
        'client_secret = "vigie-local-provider"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n'
        'expose_tokens = ["access"]\n'
        'client_kwargs = { scope = "openid email profile", prompt = "login" }\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def demo_services(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    api_port: int = 8000,
    dagster_port: int = 3000,
    dashboards_port: int = 8501,
    provider_port: int = 9400,
) -> list[Service]:
    env = {**os.environ, "VIGIE_HOME": str(settings.home), **settings.dbt_env()}
    env.pop("DBT_TARGET_PATH", None)  # dagster-dbt chooses its own per-run target folder
    dagster_env = {**env, "DAGSTER_HOME": str(prepare_dagster_home(settings))}
    production = os.environ.get(PRODUCTION_SECRETS_ENV)
    provider_url = f"http://{host}:{provider_port}"
    if production:
        secrets, sign_in = Path(production), []
    else:
        secrets = dev_sign_in_secrets(settings, host, dashboards_port, provider_url)
        sign_in = [
            Service(
                "sign-in (OIDC)",
                f"{provider_url}/.well-known/openid-configuration",
                [
                    sys.executable,
                    "-m",
                    "vigie.dashboards.dev_provider",
                    "--host",
                    host,
                    "--port",
                    str(provider_port),
                    "--db",
                    str(settings.platform_db_path),
                ],
                env,
            )
        ]
    return sign_in + [
        Service(
            "platform API",
            f"http://{host}:{api_port}/docs",
            [beside_interpreter("vigie"), "api", "--host", host, "--port", str(api_port)],
            env,
        ),
        Service(
            "Dagster UI",
            f"http://{host}:{dagster_port}/",
            [
                beside_interpreter("dagster"),
                "dev",
                "-m",
                "vigie.orchestration.definitions",
                "-h",
                host,
                "-p",
                str(dagster_port),
            ],
            dagster_env,
            stop_signal=signal.SIGINT,
        ),
        Service(
            "dashboards",
            f"http://{host}:{dashboards_port}/",
            dashboards_command(host, dashboards_port, secrets),
            env,
        ),
    ]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback only)
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start(services: list[Service], logs_dir: Path) -> None:
    logs_dir.mkdir(parents=True, exist_ok=True)
    for svc in services:
        svc.log_path = logs_dir / (svc.name.replace(" ", "_").lower() + ".log")
        log = svc.log_path.open("w", encoding="utf-8")
        svc.proc = subprocess.Popen(
            svc.argv, env=svc.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()


def wait_ready(services: list[Service], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(services)
    while waiting:
        for svc in list(waiting):
            assert svc.proc is not None
            if svc.proc.poll() is not None:
                tail = svc.log_path.read_text(encoding="utf-8")[-2000:] if svc.log_path else ""
                raise RuntimeError(f"{svc.name} exited with {svc.proc.returncode}:\n{tail}")
            if _answers(svc.url):
                waiting.remove(svc)
        if waiting and time.monotonic() > deadline:
            names = ", ".join(s.name for s in waiting)
            raise TimeoutError(f"not answering after {timeout:.0f} s: {names}")
        if waiting:
            time.sleep(0.5)


def stop(services: list[Service], grace: float = 20.0) -> None:
    for svc in services:
        if svc.proc is not None and svc.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(svc.proc.pid, svc.stop_signal)
    deadline = time.monotonic() + grace
    for svc in services:
        if svc.proc is None:
            continue
        with contextlib.suppress(subprocess.TimeoutExpired):
            svc.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        # whatever is left in the group (workers, code servers) goes too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(svc.proc.pid, signal.SIGKILL)
        svc.proc.wait()


def serve(
    services: list[Service],
    logs_dir: Path,
    *,
    echo: Callable[[str], None] = print,
    ready_timeout: float = 180.0,
    notes: list[str] | None = None,
) -> int:
    """Start, wait until every URL answers, print them, run until Ctrl-C; return 0."""
    stopping = False

    def _on_signal(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        start(services, logs_dir)
        echo("starting " + ", ".join(s.name for s in services) + " …")
        wait_ready(services, ready_timeout)
        echo("")
        for svc in services:
            echo(f"  {svc.name:<14} {svc.url}")
        for line in notes or []:
            echo(line)
        echo(f"\nlogs in {logs_dir}; press Ctrl-C to stop")
        while not stopping:
            for svc in services:
                if svc.proc is not None and svc.proc.poll() is not None:
                    echo(f"{svc.name} stopped unexpectedly (see {svc.log_path})")
                    stopping = True
            time.sleep(0.3)
        echo("stopping …")
        return 0
    finally:
        stop(services)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
