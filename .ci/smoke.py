#!/usr/bin/env python3
"""Production smoke: boot docker-compose.yml's processes for real on loopback, use them over HTTP.

Docker images cannot be pulled here, so this runs the same configuration with the real
processes (issue 21 §1). Everything it starts comes from docker-compose.yml and the
Dockerfile, read at run time: each application service's command (or the image's CMD), its
`environment`, its `env_file` (an operator's `.env`: .env.example with the variables the
README says to set), the image's ENV and its collectstatic step, the health checks. What
only exists inside Docker is translated, and nothing else:

  - the service host names `db` and `redis` -> the PostgreSQL and Redis of DATABASE_URL /
    REDIS_URL in the caller's environment (CI: .ci/services.sh), with a throwaway database
    (created, dropped at the end) and Redis db SMOKE_REDIS_DB (default 15, flushed);
  - the image's paths (/app/media volume, /tmp, the collected static files) -> a scratch
    folder of this run (mktemp -d; the only place it writes);
  - gunicorn's bind -> 127.0.0.1:<free port>, 2 workers (GUNICORN_BIND, GUNICORN_WORKERS);
  - EMAIL_URL -> a filemail:// folder of the run, ALERT_SCAN_INTERVAL_SECONDS=5 so that beat
    schedules a scan within seconds.

Then, over HTTP only (as a browser behind the TLS-terminating proxy: X-Forwarded-Proto:
https, Secure cookies kept, CSRF and one-time tokens read from the HTML): /healthz, plain
HTTP redirected to HTTPS, security headers, hashed static files with far-future caching,
login as the reception officer, a dossier received through the intake form, the receipt
PDF, the applicant's e-mail delivered by the notifications worker, the dossier tracked as a
citizen from the link in that e-mail (code in the query, PIN in the fragment, looked up by
POST), and a beat-scheduled deadline scan run by the scans worker. Then it stops every
process group it started (SIGTERM, then SIGKILL) and checks that none is left.

Bounded in time (SMOKE_TIMEOUT, default 300 s; a timeout on every wait and request); on a
failure it prints the step, the reason and the log of the process concerned, and exits 1.

    make smoke                      # starts PostgreSQL + Redis on loopback if not given
    DATABASE_URL=postgres://motcua:motcua@127.0.0.1:54329/motcua \\
    REDIS_URL=redis://127.0.0.1:63799/0 .venv/bin/python .ci/smoke.py [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.policy
import http.cookiejar
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"

# The reception officer of the demo data (thutuc/demo.py; password thutuc.demo.DEMO_PASSWORD).
OFFICER = "tiepnhan"
PROCEDURE_QUERY = "khai sinh"
SCAN_EVERY_SECONDS = 5
GUNICORN_WORKERS = 2
# Seeding only the lowest layer (province, staff, catalogue, calendar) takes ~4 s instead of ~25 s.
SEED_COMMAND = ["python", "manage.py", "seed_demo", "--apps", "thutuc"]
# The image's WORKDIR: paths under it that are not volumes are the checkout.
IMAGE_WORKDIR = "/app"


class SmokeFailure(Exception):
    def __init__(self, message: str, service: str | None = None):
        super().__init__(message)
        self.service = service


def log(message: str) -> None:
    print(f"[smoke {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- docker-compose.yml and the Dockerfile ------------------------------------------------------


def load_compose(path: Path = COMPOSE_FILE) -> dict:
    try:
        import yaml  # dev dependency (pyproject.toml [dev]); merge keys (<<: *app) are resolved
    except ImportError:
        raise SmokeFailure("PyYAML is missing: `make venv` installs the dev dependencies") from None

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dockerfile_instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def dockerfile_cmd(path: Path = DOCKERFILE) -> list[str]:
    cmds = [json.loads(rest) for word, rest in dockerfile_instructions(path) if word == "CMD"]
    if not cmds:
        raise SmokeFailure(f"{path.name} has no CMD (exec form) for the web service")
    return cmds[-1]


def dockerfile_env(path: Path = DOCKERFILE) -> dict[str, str]:
    values = {}
    for word, rest in dockerfile_instructions(path):
        if word == "ENV":
            values.update(item.split("=", 1) for item in shlex.split(rest))
    return values


def dockerfile_collectstatic(path: Path = DOCKERFILE) -> tuple[dict[str, str], list[str]]:
    """The image's build step `VAR=value ... python manage.py collectstatic ...`."""
    for word, rest in dockerfile_instructions(path):
        if word == "RUN" and "collectstatic" in rest:
            step = next(part for part in rest.split("&&") if "collectstatic" in part)
            words = shlex.split(step)
            env = dict(w.split("=", 1) for w in words if re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", w))
            return env, [w for w in words if not re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", w)]
    raise SmokeFailure(f"{path.name} has no collectstatic step")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR, and $$ -> $."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("plain")
        op, default = match.group("op"), match.group("default") or ""
        current = variables.get(name)
        if op == ":-" and not current:
            return default
        if op == "-" and current is None:
            return default
        return current or ""

    pattern = r"\$\$|\$\{(?P<braced>\w+)(?:(?P<op>:?-)(?P<default>[^}]*))?\}|\$(?P<plain>\w+)"
    return re.sub(pattern, replace, value)


def read_env_file(text: str) -> dict[str, str]:
    """An env_file as Compose reads it: KEY=VALUE lines (a value may be quoted), # comments."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass
class Service:
    name: str
    argv: list[str]
    environment: dict[str, str]  # compose `environment`, not yet translated
    env_files: list[str]
    one_off: bool  # runs to completion (restart: "no"), like `migrate`
    healthcheck: list[str] | None = None
    after: list[str] = field(default_factory=list)


def application_services(compose: dict, image_cmd: list[str]) -> list[Service]:
    """The services built from this checkout (`build:`), in the order their depends_on
    allows; those with an `image:` (db, redis) are the infrastructure the caller provides."""
    services = []
    for name, spec in compose["services"].items():
        if "build" not in spec:
            continue
        command = spec.get("command", image_cmd)
        if isinstance(command, str):
            command = shlex.split(command)
        env = spec.get("environment") or {}
        if isinstance(env, list):
            env = dict(item.split("=", 1) for item in env)
        env_files = spec.get("env_file") or []
        if isinstance(env_files, str):
            env_files = [env_files]
        test = (spec.get("healthcheck") or {}).get("test")
        if isinstance(test, list) and test and test[0] == "CMD-SHELL":
            test = ["sh", "-c", " ".join(test[1:])]
        elif isinstance(test, list) and test and test[0] == "CMD":
            test = test[1:]
        elif isinstance(test, str):
            test = ["sh", "-c", test]
        depends = spec.get("depends_on") or {}
        services.append(
            Service(
                name=name,
                argv=[str(a) for a in command],
                environment={k: str(v) for k, v in env.items()},
                env_files=list(env_files),
                one_off=str(spec.get("restart", "")) == "no",
                healthcheck=test or None,
                after=[d for d in depends if d in compose["services"] and "build" in compose["services"][d]],
            )
        )
    return services


def infrastructure(compose: dict) -> dict[str, str]:
    """{service host name: kind} for the services run from an image: postgres, redis."""
    kinds = {}
    for name, spec in compose["services"].items():
        image = str(spec.get("image", ""))
        for kind in ("postgres", "redis"):
            if image.split(":")[0].split("/")[-1] == kind:
                kinds[name] = kind
    return kinds


def volume_mounts(compose: dict) -> dict[str, str]:
    """{path in the container: volume name} of the application services."""
    mounts = {}
    for spec in compose["services"].values():
        if "build" in spec:
            for volume in spec.get("volumes") or []:
                source, _, target = str(volume).partition(":")
                mounts[target.split(":")[0]] = source
    return mounts


# --- translating the container's addresses and paths to this machine --------------------------


class Localiser:
    """Turns a value meant for the compose network into the same value on this machine."""

    def __init__(self, *, compose: dict, scratch: Path, servers: dict[str, str], port: int):
        self.hosts = infrastructure(compose)  # "db" -> "postgres"
        self.service_names = set(compose["services"])
        self.servers = servers  # "postgres" -> URL of the database to use, "redis" -> URL
        volumes = scratch / "volumes"
        self.paths = {target: volumes / volume for target, volume in volume_mounts(compose).items()}
        self.paths["/tmp"] = scratch / "tmp"
        self.port = port
        self.compose_ports = {
            str(p).split(":")[-1] for spec in compose["services"].values() for p in spec.get("ports", [])
        }

    def url(self, value: str) -> str:
        parts = urllib.parse.urlsplit(value)
        kind = self.hosts.get(parts.hostname or "")
        if kind is None:
            return value
        local = urllib.parse.urlsplit(self.servers[kind])
        # the server's credentials, host and port; the database (or Redis db) of this run
        return urllib.parse.urlunsplit((parts.scheme, local.netloc, local.path, parts.query, parts.fragment))

    def path(self, value: str) -> str:
        for target in sorted(self.paths, key=len, reverse=True):
            if value == target or value.startswith(target + "/"):
                return str(self.paths[target]) + value[len(target) :]
        if value == IMAGE_WORKDIR or value.startswith(IMAGE_WORKDIR + "/"):
            return str(ROOT) + value[len(IMAGE_WORKDIR) :]
        return value

    def value(self, value: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*://", value):
            parts = urllib.parse.urlsplit(value)
            if parts.hostname in self.service_names and parts.hostname not in self.hosts:
                raise SmokeFailure(f"{value!r} points at a compose service the smoke cannot stand in for")
            if parts.scheme.startswith("sqlite"):  # sqlite:////tmp/build.sqlite3
                return f"{parts.scheme}:///{self.path(parts.path.removeprefix('/'))}"
            return self.url(value)
        if value.startswith("/"):
            return self.path(value)
        return value

    def shell(self, command: str) -> str:
        """A health check's command line: the container's own port becomes the smoke's."""
        for port in self.compose_ports:
            command = re.sub(rf"\b(127\.0\.0\.1|localhost):{port}\b", rf"\g<1>:{self.port}", command)
        return command


# --- processes ------------------------------------------------------------------------------------


@dataclass
class Running:
    name: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pgid(self) -> int:
        return self.process.pid  # started with start_new_session: leader of its own group


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def tail(path: Path, lines: int = 120) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


class Supervisor:
    def __init__(self, logs: Path):
        self.logs = logs
        self.running: list[Running] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> Running:
        log_path = self.logs / f"{name}.log"
        handle = open(log_path, "ab")  # noqa: SIM115 - kept by the child
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        handle.close()
        running = Running(name, process, log_path)
        self.running.append(running)
        log(f"started {name} (pid {process.pid}): {shlex.join(argv)}")
        return running

    def run(self, name: str, argv: list[str], env: dict[str, str], timeout: float) -> None:
        """A one-off command in its own process group; it must succeed within `timeout`."""
        running = self.start(name, argv, env)
        code = self.finish(running, timeout)
        if code != 0:
            raise SmokeFailure(f"{name} exited with status {code}", name)

    def finish(self, running: Running, timeout: float) -> int:
        """Wait for a one-off process; on timeout it fails (and is stopped with the rest)."""
        try:
            code = running.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SmokeFailure(
                f"{running.name} did not finish within {timeout:.0f} s", running.name
            ) from None
        self.running.remove(running)
        if group_members(running.pgid):  # a child it left behind
            self.stop([running])
        return code

    def check_alive(self) -> None:
        for running in self.running:
            code = running.process.poll()
            if code is not None:
                raise SmokeFailure(
                    f"{running.name} (pid {running.pgid}) exited with status {code}", running.name
                )

    def log_of(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def stop(self, which: list[Running] | None = None, grace: float = 20) -> list[str]:
        """SIGTERM each group we started, SIGKILL what is left after `grace`; returns the
        names that needed SIGKILL or left a process behind."""
        targets = list(reversed(which if which is not None else self.running))
        problems = []
        for running in targets:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(running.pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for running in targets:
            with contextlib.suppress(subprocess.TimeoutExpired):
                running.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            while group_members(running.pgid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if group_members(running.pgid):
                problems.append(running.name)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(running.pgid, signal.SIGKILL)
                running.process.wait(timeout=10)
            if running in self.running:
                self.running.remove(running)
        return problems


# --- HTTP as a browser behind the TLS-terminating proxy ----------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Response:
    status: int
    headers: object  # email.message.Message: case-insensitive, get_all()
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""


class Browser:
    """Talks plain HTTP to gunicorn on loopback as the reverse proxy does, for a client that
    came over HTTPS: X-Forwarded-Proto: https (settings trust it behind a proxy), the public
    https origin in Origin/Referer (Django's CSRF check), and the Secure cookies sent back —
    the browser's hop was HTTPS, only the proxy's hop is plain."""

    def __init__(self, port: int, *, forwarded_https: bool = True, timeout: float = 30):
        self.internal = f"http://127.0.0.1:{port}"
        self.public = f"https://127.0.0.1:{port}"
        self.forwarded_https = forwarded_https
        self.timeout = timeout
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.cookies = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )
        self.page = self.public + "/"
        self.assets: set[str] = set()  # stylesheets and scripts referenced by the pages seen

    def request(self, method, path, *, data=None, headers=None, follow=True) -> Response:
        for _ in range(6):
            if path.startswith(self.public):
                path = path[len(self.public) :]
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
            request = urllib.request.Request(self.internal + path, data=body, method=method)
            if self.forwarded_https:
                request.add_header("X-Forwarded-Proto", "https")
            request.add_header("User-Agent", "motcua-smoke/1")
            request.add_header("Accept-Language", "vi")
            if method == "POST":
                request.add_header("Origin", self.public)
                request.add_header("Referer", self.page)
                request.add_header("Content-Type", "application/x-www-form-urlencoded")
            for name, value in (headers or {}).items():
                request.add_header(name, value)
            try:
                with self.opener.open(request, timeout=self.timeout) as reply:
                    response = Response(reply.status, reply.headers, reply.read(), path)
            except urllib.error.HTTPError as error:
                response = Response(error.code, error.headers, error.read(), path)
            except OSError as error:  # refused, reset, timed out
                raise SmokeFailure(f"{method} {path}: {error}", "web") from error
            location = response.header("Location")
            if follow and response.status in (301, 302, 303, 307, 308) and location:
                path = urllib.parse.urljoin(path, location) if not location.startswith("http") else location
                if path.startswith("http") and not path.startswith(self.public):
                    raise SmokeFailure(f"redirected off the site to {location}", "web")
                method, data = ("GET", None) if response.status in (301, 302, 303) else (method, data)
                continue
            if response.header("Content-Type").startswith("text/html"):
                self.page = self.public + path
                page = parse_html(response.text)
                self.assets.update(n.attrs["href"] for n in page.find_all("link", rel="stylesheet"))
                self.assets.update(n.attrs["src"] for n in page.find_all("script") if n.attrs.get("src"))
            return response
        raise SmokeFailure(f"too many redirects from {path}", "web")

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def submit(self, form: Form, *, fill=None, button=None, follow=True) -> Response:
        """Send `form` as a browser would, from the page it was on (action, Referer)."""
        data = form.values(button=button)
        for name, value in (fill or {}).items():
            data = [(n, v) for n, v in data if n != name] + ([(name, value)] if value is not None else [])
        action = urllib.parse.urljoin(form.page, form.attrs.get("action", ""))
        self.page = self.public + form.page
        return self.request(form.attrs.get("method", "get").upper(), action, data=data, follow=follow)


# --- reading HTML like a browser -------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    parent: Node | None = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str, **attrs) -> list[Node]:
        def matches(node):
            for key, value in attrs.items():
                actual = node.attrs.get(key.rstrip("_").replace("_", "-"))
                if key == "class_":
                    if actual is None or value not in actual.split():
                        return False
                elif actual != value and not (value is True and actual is not None):
                    return False
            return True

        return [n for n in self.iter() if n.tag == tag and matches(n)]

    def find(self, tag: str, **attrs) -> Node | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v or "") for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


@dataclass
class Form:
    node: Node
    page: str  # path (and query) of the page the form is on

    @property
    def attrs(self) -> dict:
        return self.node.attrs

    def values(self, button: str | None = None) -> list[tuple[str, str]]:
        """What a browser sends: named controls, checked boxes and radios, the clicked button."""
        data = []
        for node in self.node.iter():
            name = node.attrs.get("name")
            if not name or "disabled" in node.attrs:
                continue
            if node.tag == "input":
                kind = node.attrs.get("type", "text").lower()
                if kind in ("submit", "button", "image", "reset", "file"):
                    continue
                if kind in ("checkbox", "radio"):
                    if "checked" in node.attrs:
                        data.append((name, node.attrs.get("value", "on")))
                    continue
                data.append((name, node.attrs.get("value", "")))
            elif node.tag == "textarea":
                data.append((name, node.text().removeprefix("\n")))
            elif node.tag == "select":
                options = node.find_all("option")
                chosen = [o for o in options if "selected" in o.attrs] or options[:1]
                for option in chosen:
                    data.append((name, option.attrs.get("value", option.text())))
            elif (
                node.tag == "button"
                and button is not None
                and f"{name}={node.attrs.get('value', '')}" == button
            ):
                data.append((name, node.attrs.get("value", "")))
        return data

    def field_names(self) -> list[str]:
        return [
            n.attrs["name"]
            for n in self.node.iter()
            if n.tag in ("input", "textarea", "select") and n.attrs.get("name")
        ]


def forms_of(response: Response) -> list[Form]:
    return [Form(node, response.url) for node in parse_html(response.text).find_all("form")]


# --- the smoke itself -----------------------------------------------------------------------------


def expect(condition, message: str, service: str | None = "web") -> None:
    if not condition:
        raise SmokeFailure(message, service)


def wait_for(what: str, probe, *, timeout: float, service: str | None, supervisor: Supervisor, every=0.3):
    """Poll `probe()` until it returns something truthy; fail after `timeout` seconds, or at
    once when a process we started has died."""
    deadline = time.monotonic() + timeout
    while True:
        supervisor.check_alive()
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}", service)
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_url(name: str, schemes: tuple[str, ...]) -> urllib.parse.SplitResult:
    value = os.environ.get(name, "")
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname:
        raise SmokeFailure(
            f"{name} must point at the {schemes[0]} server to use (got {value!r}); "
            "`make smoke` starts PostgreSQL and Redis on loopback when it is not set"
        )
    return parts


class Database:
    """A throwaway database on the caller's PostgreSQL server."""

    def __init__(self, server: urllib.parse.SplitResult, name: str):
        self.server, self.name = server, name

    def _connect(self, dbname: str):
        import psycopg2

        return psycopg2.connect(
            host=self.server.hostname,
            port=self.server.port or 5432,
            user=self.server.username,
            password=urllib.parse.unquote(self.server.password or ""),
            dbname=dbname,
            connect_timeout=10,
        )

    def _admin(self, sql: str) -> None:
        conn = self._connect(self.server.path.lstrip("/") or "postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute("SET statement_timeout = '30s'")
                cursor.execute(sql)
        finally:
            conn.close()

    def create(self) -> None:
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql: str) -> list[tuple]:
        conn = self._connect(self.name)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            conn.close()

    @property
    def url(self) -> str:
        netloc = self.server.netloc
        return urllib.parse.urlunsplit((self.server.scheme, netloc, "/" + self.name, "", ""))


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10)
    try:
        client.flushdb()
    finally:
        client.close()


def operator_env_file(*, port: int, scratch: Path, extra: dict[str, str]) -> str:
    """The operator's `.env`: .env.example copied, with what the README says to set filled in
    (SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL, PUBLIC_BASE_URL) and the smoke's few settings.
    Every variable set here must be documented in .env.example."""
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    documented = read_env_file(example)
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # filemail:////abs/path (django-environ drops the path's first slash)
        "EMAIL_URL": f"filemail:///{scratch / 'mail'}",
        "PUBLIC_BASE_URL": f"https://127.0.0.1:{port}",
        **extra,
    }
    undocumented = sorted(set(values) - set(documented))
    if undocumented:
        raise SmokeFailure(f".env.example does not document {', '.join(undocumented)}")
    lines = []
    for line in example.splitlines():
        key = line.split("=", 1)[0].strip()
        if not line.lstrip().startswith("#") and "=" in line and key in values:
            line = f"{key}={values[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def base_environment(scratch: Path) -> dict[str, str]:
    """What a container starts with: a PATH with the image's python, celery and gunicorn
    (the venv's), a home and a temporary folder of its own, UTF-8, the host name."""
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch / "home"),
        "XDG_CACHE_HOME": str(scratch / "home" / ".cache"),
        "TMPDIR": str(scratch / "tmp"),
        "LANG": "C.UTF-8",
        "HOSTNAME": socket.gethostname(),
    }


def service_environment(service: Service, *, base, image_env, env_file_values, localiser) -> dict[str, str]:
    env = {**base, **image_env}
    for env_file in service.env_files:
        if env_file not in env_file_values:
            raise SmokeFailure(f"{service.name}: env_file {env_file} is not one the smoke provides")
        env.update(env_file_values[env_file])
    for name, value in service.environment.items():
        env[name] = localiser.value(interpolate(value, dict(os.environ)))
    return env


def localise_argv(argv: list[str], localiser: Localiser) -> list[str]:
    return [localiser.value(interpolate(a, dict(os.environ))) for a in argv]


def mail_messages(folder: Path) -> list[email.message.EmailMessage]:
    """Messages written by Django's file-based backend (one file per connection, messages
    separated by a line of 79 dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return found


SECURITY_HEADERS = {
    "Strict-Transport-Security": r"max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": r"nosniff",
    "X-Frame-Options": r"DENY",
    "Referrer-Policy": r"same-origin",
    "Cross-Origin-Opener-Policy": r"same-origin",
}
# Directives of the Content-Security-Policy (in any order) that must be there.
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def check_security_headers(response: Response, where: str) -> None:
    for name, pattern in SECURITY_HEADERS.items():
        value = response.header(name)
        expect(re.search(pattern, value), f"{where}: header {name} is {value!r}, expected /{pattern}/")
    csp = response.header("Content-Security-Policy")
    directives = dict(d.strip().partition(" ")[::2] for d in csp.split(";") if d.strip())
    for directive, value in CSP_DIRECTIVES.items():
        expect(
            directives.get(directive) == value, f"{where}: CSP {directive} is {directives.get(directive)!r}"
        )
    expect("unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: CSP allows unsafe code: {csp}")


def cookie_attributes(response: Response, name: str) -> str:
    for value in response.headers.get_all("Set-Cookie") or []:
        if value.startswith(name + "="):
            return value
    return ""


class Smoke:
    def __init__(self, args):
        self.args = args
        self.started = time.monotonic()
        self.timings: list[tuple[str, float]] = []
        self.scratch = Path(tempfile.mkdtemp(prefix="motcua-smoke-"))
        for sub in ("logs", "mail", "tmp", "home"):
            (self.scratch / sub).mkdir()
        self.supervisor = Supervisor(self.scratch / "logs")
        self.database: Database | None = None
        self.redis_url: str | None = None

    def step(self, name: str):
        smoke = self

        class _Step:
            def __enter__(self):
                self.t0 = time.monotonic()
                log(f"--- {name}")

            def __exit__(self, kind, exc, traceback):
                smoke.timings.append((name, time.monotonic() - self.t0))
                if isinstance(exc, SmokeFailure) and not getattr(exc, "step", None):
                    exc.step = name
                return False

        return _Step()

    # -- setting up ------------------------------------------------------------------------------
    def prepare(self) -> None:
        pg = require_url("DATABASE_URL", ("postgres", "postgresql", "pgsql", "psql"))
        rd = require_url("REDIS_URL", ("redis",))
        self.compose = load_compose()
        self.image_cmd = dockerfile_cmd()
        self.services = application_services(self.compose, self.image_cmd)
        expect(self.services, "docker-compose.yml has no service built from this checkout", None)
        self.port = free_port()
        self.database = Database(
            pg, os.environ.get("SMOKE_DATABASE") or f"motcua_smoke_{secrets.token_hex(4)}"
        )
        redis_db = int(os.environ.get("SMOKE_REDIS_DB", "15"))
        self.redis_url = urllib.parse.urlunsplit((rd.scheme, rd.netloc, f"/{redis_db}", "", ""))
        self.localiser = Localiser(
            compose=self.compose,
            scratch=self.scratch,
            servers={"postgres": self.database.url, "redis": self.redis_url},
            port=self.port,
        )
        env_text = operator_env_file(
            port=self.port,
            scratch=self.scratch,
            extra={
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_WORKERS": str(GUNICORN_WORKERS),
                "ALERT_SCAN_INTERVAL_SECONDS": str(SCAN_EVERY_SECONDS),
                # the image's /app/staticfiles, collected at build time
                "STATIC_ROOT": str(self.scratch / "staticfiles"),
            },
        )
        (self.scratch / ".env").write_text(env_text, encoding="utf-8")
        self.env_files = {".env": read_env_file(env_text)}
        self.base = base_environment(self.scratch)
        self.image_env = dockerfile_env()
        if (ROOT / ".env").exists():
            log("note: the checkout has a .env file; settings.py reads it for any variable not set here")
        log(
            f"scratch folder {self.scratch}; database {self.database.name}; redis {self.redis_url}; "
            f"port {self.port}"
        )
        log(
            "services from docker-compose.yml: "
            + ", ".join(f"{s.name}{' (one-off)' if s.one_off else ''}" for s in self.services)
        )

    def env_for(self, service: Service) -> dict[str, str]:
        return service_environment(
            service,
            base=self.base,
            image_env=self.image_env,
            env_file_values=self.env_files,
            localiser=self.localiser,
        )

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def boot(self) -> None:
        with self.step("database, redis"):
            self.database.create()
            flush_redis(self.redis_url)
        one_offs = [s for s in self.services if s.one_off]
        long_running = [s for s in self.services if not s.one_off]
        web = next((s for s in long_running if s.argv == self.image_cmd), None)
        expect(web is not None, "no compose service runs the image's CMD (gunicorn)", None)
        self.web_name = web.name

        with self.step("collectstatic (the image's build step) and " + ", ".join(s.name for s in one_offs)):
            build_env, build_argv = dockerfile_collectstatic()
            collect_env = {
                **self.base,
                **self.image_env,
                **{k: self.localiser.value(v) for k, v in build_env.items()},
                "STATIC_ROOT": str(self.scratch / "staticfiles"),
            }
            collect = self.supervisor.start("collectstatic", build_argv, collect_env)
            for service in one_offs:
                self.supervisor.run(
                    service.name,
                    localise_argv(service.argv, self.localiser),
                    self.env_for(service),
                    timeout=180,
                )
            code = self.supervisor.finish(collect, timeout=120)
            expect(code == 0, f"collectstatic exited with status {code}", "collectstatic")
            manifest = self.scratch / "staticfiles" / "staticfiles.json"
            expect(manifest.exists(), "collectstatic wrote no manifest (staticfiles.json)", "collectstatic")

        with self.step("seed: " + shlex.join(SEED_COMMAND)):
            self.supervisor.run("seed", SEED_COMMAND, self.env_for(web), timeout=120)

        with self.step("start " + ", ".join(s.name for s in long_running)):
            for service in long_running:
                self.supervisor.start(
                    service.name, localise_argv(service.argv, self.localiser), self.env_for(service)
                )
            plain = Browser(self.port, forwarded_https=False, timeout=5)

            def web_healthy():
                try:
                    return plain.get("/healthz", follow=False).status == 200
                except SmokeFailure:  # not listening yet
                    return False

            wait_for(
                "gunicorn to answer /healthz",
                web_healthy,
                timeout=90,
                service=web.name,
                supervisor=self.supervisor,
            )
            for service in long_running:
                if service is web:
                    continue
                is_beat = " beat" in f" {' '.join(service.argv)} "
                pattern = r"beat: Starting" if is_beat else r"@\S+ ready\."
                wait_for(
                    f"{service.name} to be ready",
                    lambda s=service, p=pattern: re.search(p, self.supervisor.log_of(s.name)),
                    timeout=90,
                    service=service.name,
                    supervisor=self.supervisor,
                )
            workers = wait_for(
                f"{GUNICORN_WORKERS} gunicorn workers",
                lambda: w if len(w := self._gunicorn_workers()) >= GUNICORN_WORKERS else None,
                timeout=60,
                service=web.name,
                supervisor=self.supervisor,
            )
            log(f"gunicorn: {len(workers)} workers {workers}")

        with self.step("health checks of docker-compose.yml"):
            checks = []
            for service in long_running:
                if service.healthcheck:
                    argv = [
                        self.localiser.shell(interpolate(a, dict(os.environ))) for a in service.healthcheck
                    ]
                    if argv[0] == "curl" and not shutil.which("curl", path=self.base["PATH"]):
                        log(f"{service.name}: curl not installed, /healthz is checked below over HTTP")
                        continue
                    name = f"healthcheck-{service.name}"
                    checks.append((service, argv, self.supervisor.start(name, argv, self.env_for(service))))
            for service, argv, running in checks:
                code = self.supervisor.finish(running, timeout=45)
                expect(code == 0, f"{service.name}: health check failed: {shlex.join(argv)}", running.name)
                log(f"{service.name}: healthy ({shlex.join(argv)})")

    def _gunicorn_workers(self) -> list[int]:
        master = next(r for r in self.supervisor.running if r.name == self.web_name)
        return [pid for pid in group_members(master.pgid) if pid != master.pgid]

    # -- over HTTP --------------------------------------------------------------------------------
    def http(self) -> None:
        browser = Browser(self.port)
        with self.step("healthz, HTTPS redirect, security headers"):
            health = Browser(self.port, forwarded_https=False).get("/healthz", follow=False)
            expect(health.status == 200, f"/healthz answered {health.status}: {health.text[:300]}")
            expect(
                json.loads(health.body) == {"ok": True, "database": True, "redis": True},
                f"/healthz says {health.text}",
            )
            plain = Browser(self.port, forwarded_https=False).get("/", follow=False)
            expect(
                plain.status == 301 and plain.header("Location") == f"https://127.0.0.1:{self.port}/",
                f"plain HTTP / answered {plain.status} {plain.header('Location')!r}, expected a 301 to https",
            )
            home = browser.get("/")
            expect(home.status == 200, f"/ answered {home.status}")
            check_security_headers(home, "/")

        with self.step(f"log in as {OFFICER}"):
            from_demo = _demo_password()
            login_page = browser.get("/dang-nhap/")
            expect(login_page.status == 200, f"/dang-nhap/ answered {login_page.status}")
            form = _form_with(login_page, "username")
            response = browser.submit(form, fill={"username": OFFICER, "password": from_demo}, follow=False)
            expect(response.status == 302, f"login answered {response.status}: {_errors(response.text)}")
            session = cookie_attributes(response, "sessionid")
            for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
                expect(flag.lower() in session.lower(), f"the session cookie lacks {flag}: {session!r}")
            staff_home = browser.get(response.header("Location"))
            expect(staff_home.status == 200, f"{response.header('Location')} answered {staff_home.status}")
            expect(
                "no-store" in staff_home.header("Cache-Control"),
                f"a signed-in page is cacheable: Cache-Control {staff_home.header('Cache-Control')!r}",
            )
            check_security_headers(staff_home, "/mot-cua/")

        with self.step("receive a dossier through the intake form"):
            search = browser.get("/mot-cua/tiep-nhan/?" + urllib.parse.urlencode({"q": PROCEDURE_QUERY}))
            expect(search.status == 200, f"intake search answered {search.status}")
            page = parse_html(search.text)
            if not page.find("form", class_="intake-form"):
                links = [a for a in page.find_all("a") if "thu_tuc=" in a.attrs.get("href", "")]
                expect(links, f"the intake search for {PROCEDURE_QUERY!r} found no procedure")
                search = browser.get(links[0].attrs["href"])
                page = parse_html(search.text)
            if not page.find("form", class_="intake-form"):  # a procedure with several cases
                links = [a for a in page.find_all("a") if "truong_hop=" in a.attrs.get("href", "")]
                expect(links, "the procedure page offers neither the intake form nor a case")
                search = browser.get(links[0].attrs["href"])
                page = parse_html(search.text)
            node = page.find("form", class_="intake-form")
            expect(node is not None, "no intake form on " + search.url)
            form = Form(node, search.url)
            self.applicant_email = f"cong-dan-{secrets.token_hex(3)}@example.test"
            fill = {"applicant_name": "Phạm Thị Thu Hà", "applicant_email": self.applicant_email}
            papers = sorted({n for n in form.field_names() if re.fullmatch(r"doc_\d+", n)})
            expect(papers, "the intake form lists no paper to tick")
            data_fill = {**fill, **{p: "on" for p in papers}}
            names = dict(form.values())
            expect(
                "csrfmiddlewaretoken" in names and names.get("token"),
                "the intake form carries no CSRF or one-time token",
            )
            done = browser.submit(form, fill=data_fill, button="action=accept", follow=False)
            expect(
                done.status == 302 and "/tiep-nhan/xong/" in done.header("Location"),
                f"intake answered {done.status} {done.header('Location')!r}: {_errors(done.text)}",
            )
            done_page = browser.get(done.header("Location"))
            page = parse_html(done_page.text)
            code_node, pin_node = (
                page.find("strong", class_="dossier-code"),
                page.find("strong", class_="pin"),
            )
            expect(code_node and pin_node, "the intake result page shows no code or PIN")
            self.code, self.pin = code_node.text().strip(), pin_node.text().strip()
            log(f"received dossier {self.code}")
            # a second click on the same form (same one-time token) records nothing new
            again = browser.submit(form, fill=data_fill, button="action=accept", follow=False)
            expect(
                again.status == 302 and again.header("Location") == done.header("Location"),
                f"the same intake form sent twice answered {again.status} {again.header('Location')!r}: "
                f"{_errors(again.text)}",
            )

        with self.step("download the receipt PDF"):
            links = [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").endswith(".pdf")]
            expect(links, "the intake result page links no receipt PDF")
            pdf = browser.get(links[0])
            expect(pdf.status == 200, f"{links[0]} answered {pdf.status}")
            expect(
                pdf.header("Content-Type") == "application/pdf",
                f"receipt Content-Type {pdf.header('Content-Type')!r}",
            )
            expect(
                pdf.body.startswith(b"%PDF-") and b"%%EOF" in pdf.body[-1024:] and len(pdf.body) > 5000,
                f"the receipt is not a whole PDF ({len(pdf.body)} bytes)",
            )
            expect(self.code in pdf.header("Content-Disposition"), "the receipt's file name lacks the code")
            expect("no-store" in pdf.header("Cache-Control"), "the receipt PDF is cacheable")
            log(f"receipt: {len(pdf.body)} bytes")
        self.static_files(browser)

    def static_files(self, browser: Browser) -> None:
        with self.step("static files: hashed names, far-future caching, compressed"):
            assets = sorted(browser.assets)
            expect(assets, "the pages link no stylesheet or script")
            for asset in assets:
                expect(
                    re.search(r"^/static/.+\.[0-9a-f]{12}\.(css|js)$", asset),
                    f"static file {asset} is not served under a hashed name (manifest storage)",
                )
                static = browser.get(asset, headers={"Accept-Encoding": "gzip"})
                expect(static.status == 200 and static.body, f"{asset} answered {static.status}")
                cache = static.header("Cache-Control")
                expect(
                    "max-age=315360000" in cache and "immutable" in cache,
                    f"{asset}: Cache-Control {cache!r}, expected far-future and immutable",
                )
                expect(
                    static.header("Content-Encoding") == "gzip" or len(static.body) < 1024,
                    f"{asset}: no gzip variant (Content-Encoding {static.header('Content-Encoding')!r})",
                )
            log(f"{len(assets)} hashed files ({', '.join(a.rsplit('/', 1)[-1] for a in assets)}): {cache}")

    def notification(self) -> None:
        with self.step("the applicant's e-mail, delivered by the notifications worker"):
            folder = self.scratch / "mail"

            def delivered():
                return [m for m in mail_messages(folder) if self.code in str(m["Subject"])]

            messages = wait_for(
                "the acceptance e-mail in the filemail folder",
                delivered,
                timeout=60,
                service="worker-notifications",
                supervisor=self.supervisor,
                every=0.5,
            )
            message = messages[0]
            expect(
                self.applicant_email in str(message["To"]),
                f"the e-mail went to {message['To']}",
                "worker-notifications",
            )
            body = message.get_body(("plain",)).get_content()
            links = re.findall(r"https?://\S+/tra-cuu/\S+", body)
            expect(links, f"the e-mail has no tracking link:\n{body}", "worker-notifications")
            self.tracking_link = links[0]
            notifications = [s for s in self.services if "notifications" in " ".join(s.argv)]
            name = notifications[0].name if notifications else "worker"
            expect(
                re.search(
                    r"Task motcua\.tasks\.send_notification\[[^\]]+\] succeeded", self.supervisor.log_of(name)
                ),
                f"{name}'s log shows no send_notification task",
                name,
            )
            log(f"e-mail to {message['To']}: {str(message['Subject']).strip()!r}, sent by {name}")

    def tracking(self) -> None:
        with self.step("track the dossier as a citizen from the e-mail's link"):
            link = urllib.parse.urlsplit(self.tracking_link)
            expect(
                f"{link.scheme}://{link.netloc}" == f"https://127.0.0.1:{self.port}",
                f"the link {self.tracking_link} is not on PUBLIC_BASE_URL",
            )
            query, fragment = urllib.parse.parse_qs(link.query), urllib.parse.parse_qs(link.fragment)
            expect(
                query.get("ma") == [self.code] and "pin" not in query,
                f"the link's query must carry the code and no PIN: {self.tracking_link}",
            )
            expect(
                fragment.get("pin") == [self.pin],
                f"the link's fragment must carry the receipt's PIN: {self.tracking_link}",
            )
            citizen = Browser(self.port)  # no staff session
            # what the browser requests: the fragment never leaves it
            page = citizen.get(f"{link.path}?{link.query}")
            expect(page.status == 200, f"{link.path} answered {page.status}")
            form = next((f for f in forms_of(page) if "data-tracking-form" in f.attrs), None)
            expect(form is not None, "the tracking page has no tracking form")
            expect(
                dict(form.values()).get("ma") == self.code, "the tracking form is not prefilled with the code"
            )
            # a wrong PIN shows nothing of the dossier
            wrong = "".join(sorted(set("23456789ABCDEFGH") - set(self.pin)))[:6]
            refused = citizen.submit(form, fill={"pin": wrong})
            expect(
                refused.status == 200 and not parse_html(refused.text).find("h2", id="dossier-heading"),
                f"the tracking lookup with a wrong PIN answered {refused.status} with the dossier",
            )
            # static/js/tracking-pin.js puts the fragment's PIN in the form and posts it
            result = citizen.submit(form, fill={"pin": fragment["pin"][0]})
            expect(result.status == 200, f"the tracking lookup answered {result.status}")
            html = parse_html(result.text)
            heading, status = (
                html.find("h2", id="dossier-heading"),
                html.find("strong", class_="tracking-status"),
            )
            expect(
                heading and self.code in heading.text() and status,
                f"the lookup did not show the dossier: {_errors(result.text)}",
            )
            check_security_headers(result, "/tra-cuu/")
            log(f"tracked {self.code}: {status.text().strip()}")

    def scheduled_scan(self) -> None:
        with self.step("a deadline scan scheduled by beat, run by the scans worker"):
            scans = next(
                (
                    s
                    for s in self.services
                    if "scans" in " ".join(s.argv) and " worker" in " " + " ".join(s.argv)
                ),
                None,
            )
            beat = next((s for s in self.services if " beat" in " " + " ".join(s.argv)), None)
            expect(scans and beat, "docker-compose.yml has no scans worker or no beat", None)
            wait_for(
                "beat to send scan-deadline-alerts",
                lambda: "Sending due task scan-deadline-alerts" in self.supervisor.log_of(beat.name),
                timeout=60,
                service=beat.name,
                supervisor=self.supervisor,
            )
            # scans run every SCAN_EVERY_SECONDS: one after the intake reads the new dossier
            # (changed since the previous scan); nothing else enqueues a scan in this run
            scan_line = r"deadline scan \((full|incremental)\): ([1-9]\d*) dossiers?, (\d+) alerts"
            found = wait_for(
                "a scan by the scans worker that reads the dossier received",
                lambda: re.search(scan_line, self.supervisor.log_of(scans.name)),
                timeout=30,
                service=scans.name,
                supervisor=self.supervisor,
            )
            expect(
                re.search(
                    r"Task motcua\.tasks\.scan_deadline_alerts\[[^\]]+\] succeeded",
                    self.supervisor.log_of(scans.name),
                ),
                "scan_deadline_alerts did not succeed in the scans worker",
                scans.name,
            )
            log(f"{scans.name}: {found.group(0)}")
            rows = self.database.query("SELECT name, scanned_until, full_scan_at FROM motcua_alertscanstate")
            expect(
                rows and all(r[1] and r[2] for r in rows),
                f"the scan left no watermark (motcua_alertscanstate: {rows})",
                scans.name,
            )
            log(f"scan watermark: {rows[0][0]} scanned until {rows[0][1]:%H:%M:%S}")

    def logs_without_errors(self) -> None:
        """A request or task that failed along the way (a 500 behind a retry, a task error)."""
        for path in sorted((self.scratch / "logs").glob("*.log")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if re.search(r"Traceback \(most recent call last\)|\bERROR\b|\bCRITICAL\b", line):
                    raise SmokeFailure(f"{path.stem} logged an error: {line.strip()}", path.stem)

    # -- the whole run ----------------------------------------------------------------------------
    def run(self) -> int:
        failure = None
        try:
            self.prepare()
            self.boot()
            self.http()
            self.notification()
            self.tracking()
            self.scheduled_scan()
            self.supervisor.check_alive()
            self.logs_without_errors()
            with self.step("stop everything started (SIGTERM to each process group)"):
                left = self.supervisor.stop()
                expect(
                    not left,
                    f"did not stop within 20 s of SIGTERM (killed): {', '.join(left)}",
                    left[0] if left else None,
                )
        except SmokeFailure as exc:
            failure = exc
        except Exception as exc:  # a bug or an unexpected answer: still loud, still cleaned up
            import traceback

            traceback.print_exc()
            failure = SmokeFailure(f"{type(exc).__name__}: {exc}")
        finally:
            signal.alarm(0)
            # no interruption while the processes, the database and the folder are cleaned up
            blocked = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
            signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
            try:
                left = self.supervisor.stop(grace=10)
                if left:
                    log("killed with SIGKILL: " + ", ".join(left))
                if failure is not None:
                    self.report_failure(failure)
                self.cleanup(keep=self.args.keep)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        if failure is not None:
            return 1
        for name, seconds in self.timings:
            log(f"{seconds:6.1f} s  {name}")
        log(f"PASSED in {time.monotonic() - self.started:.1f} s")
        return 0

    def report_failure(self, failure: SmokeFailure) -> None:
        logs = self.scratch / "logs"
        names = [failure.service] if failure.service else []
        names += [p.stem for p in sorted(logs.glob("*.log")) if p.stem not in names]
        print("\n" + "=" * 78, flush=True)
        print(f"SMOKE FAILED: {failure}", flush=True)
        if getattr(failure, "step", None):
            print(f"at the step: {failure.step}", flush=True)
        for index, name in enumerate(names):
            path = logs / f"{name}.log"
            if path.exists():
                which = "the process concerned, " if index == 0 and failure.service else ""
                print(
                    f"\n----- log of {name} ({which}last lines) -----\n{tail(path, 150 if which else 40)}",
                    flush=True,
                )
        where = f" (at the step: {failure.step})" if getattr(failure, "step", None) else ""
        print("=" * 78 + f"\nSMOKE FAILED: {failure}{where}", flush=True)

    def cleanup(self, keep: bool) -> None:
        if self.database is not None:
            try:
                self.database.drop()
            except Exception as exc:
                log(f"could not drop the database {self.database.name}: {exc}")
        if self.redis_url is not None:
            try:
                flush_redis(self.redis_url)
            except Exception as exc:
                log(f"could not flush {self.redis_url}: {exc}")
        if keep:
            log(f"kept {self.scratch}")
        else:
            shutil.rmtree(self.scratch, ignore_errors=True)


def _demo_password() -> str:
    """thutuc.demo.DEMO_PASSWORD, read from the source (this process does not load Django)."""
    match = re.search(
        r'^DEMO_PASSWORD\s*=\s*"([^"]+)"', (ROOT / "thutuc" / "demo.py").read_text(encoding="utf-8"), re.M
    )
    if not match:
        raise SmokeFailure("thutuc/demo.py defines no DEMO_PASSWORD", None)
    return match.group(1)


def _form_with(response: Response, field_name: str) -> Form:
    for form in forms_of(response):
        if field_name in form.field_names():
            return form
    raise SmokeFailure(f"no form with a {field_name!r} field")


def _errors(html: str) -> str:
    page = parse_html(html)
    found = [
        n.text().strip()
        for n in page.iter()
        if "error" in n.attrs.get("class", "") or "errorlist" in n.attrs.get("class", "")
    ]
    return "; ".join(t for t in found if t)[:500] or html[:300]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (logs, mail, media)")
    args = parser.parse_args()
    budget = int(os.environ.get("SMOKE_TIMEOUT", "300"))

    def interrupted(signum, frame):
        if signum == signal.SIGALRM:
            raise SmokeFailure(f"the whole smoke took more than {budget} s (SMOKE_TIMEOUT)")
        raise SmokeFailure(f"stopped by {signal.Signals(signum).name}")

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, interrupted)
    signal.alarm(budget)
    return Smoke(args).run()


if __name__ == "__main__":
    sys.exit(main())
