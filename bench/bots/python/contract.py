"""The environment contract every echo bot follows (docs/bot-contract.md), for the Python bots.

It is the Python twin of ``bench/bots/env.mjs``: the same variables, defaults and validation
rules, read once at start-up into a :class:`BotEnv`. A missing or bad value ends the process with
exit code 2 and one stderr line that names the variable and says what it must be.

Standard library only, so that it can run (and fail with a clear line) before the frameworks are
imported.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Exit code for a configuration error, so a harness can tell it from a crash (1).
EXIT_CONFIG_ERROR = 2
#: Exit code when the bot fails (401, 409, a failed shutdown ...).
EXIT_FAILURE = 1
#: How long a bot may take to stop after SIGTERM/SIGINT before it gives up and exits 1 (s).
SHUTDOWN_GRACE_SECONDS = 8.0

#: Defaults of the optional variables, in one place (the same as env.mjs's BOT_ENV_DEFAULTS).
DEFAULT_WEBHOOK_HOST = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 0
DEFAULT_WEBHOOK_PATH = "/webhook"

#: Telegram clamps getUpdates' ``timeout`` to 50 s; a larger POLL_TIMEOUT would only mislead.
MAX_POLL_TIMEOUT_SECONDS = 50
#: Telegram's upper bound for setWebhook's ``max_connections``.
MAX_WEBHOOK_CONNECTIONS = 100

_TOKEN_FORMAT = re.compile(r"[0-9]+:\S+")
_SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")
_DIGITS = re.compile(r"[0-9]+")
_API_ROOT_HINT = "a bare origin like http://127.0.0.1:8081 (no path, no trailing slash)"


class ContractError(Exception):
    """A variable of the contract is missing or malformed."""


@dataclass(frozen=True)
class BotEnv:
    """The environment contract with every default filled in. Units are in the names."""

    #: The script's file name without extension; prefixes every line the bot prints.
    name: str
    token: str
    #: A bare origin such as http://127.0.0.1:8081.
    api_root: str
    #: "polling" or "webhook".
    mode: str
    webhook_host: str
    #: 0 lets the OS choose.
    webhook_port: int
    webhook_path: str
    #: None means "build it from the bound port".
    webhook_url: str | None
    #: None means no secret header is checked.
    webhook_secret: str | None
    #: None leaves Telegram's 40.
    webhook_max_connections: int | None
    webhook_reply: bool
    #: None keeps the framework's default.
    poll_timeout_seconds: int | None
    poll_interval_ms: float
    handler_delay_ms: float

    def webhook_url_for(self, bound_port: int) -> str:
        """``WEBHOOK_URL``, else ``http://HOST:PORT/PATH`` with the port actually bound."""
        if self.webhook_url is not None:
            return self.webhook_url
        host = f"[{self.webhook_host}]" if ":" in self.webhook_host else self.webhook_host
        return f"http://{host}:{bound_port}{self.webhook_path}"


def read_bot_env(supported_modes: Sequence[str], environ: Mapping[str, str] | None = None) -> BotEnv:
    """Reads the contract; exits with :data:`EXIT_CONFIG_ERROR` and one stderr line on a bad value."""
    name = os.path.splitext(os.path.basename(sys.argv[0] or "bot"))[0]
    try:
        return parse_bot_env(name, supported_modes, os.environ if environ is None else environ)
    except ContractError as error:
        sys.stderr.write(f"{name}: {error}\n")
        sys.stderr.flush()
        sys.exit(EXIT_CONFIG_ERROR)


def parse_bot_env(name: str, supported_modes: Sequence[str], env: Mapping[str, str]) -> BotEnv:
    """The validation behind :func:`read_bot_env`, without exiting; raises :class:`ContractError`."""
    mode = _optional(env, "BOT_MODE")
    modes = " or ".join(f'"{m}"' for m in supported_modes)
    if mode is None:
        raise ContractError(f"BOT_MODE is not set; set it to {modes}")
    if mode not in supported_modes:
        raise ContractError(f'BOT_MODE "{mode}" is not supported by this bot; set it to {modes}')
    token = _optional(env, "BOT_TOKEN")
    if token is None or not _TOKEN_FORMAT.fullmatch(token):
        raise ContractError("BOT_TOKEN must be set to a token like 123456:ABC-secret")
    return BotEnv(
        name=name,
        token=token,
        api_root=_read_api_root(env),
        mode=mode,
        webhook_host=_optional(env, "WEBHOOK_HOST") or DEFAULT_WEBHOOK_HOST,
        webhook_port=_read_integer(env, "WEBHOOK_PORT", 0, 65_535, DEFAULT_WEBHOOK_PORT),
        webhook_path=_read_webhook_path(env),
        webhook_url=_read_webhook_url(env),
        webhook_secret=_read_secret(env),
        webhook_max_connections=_read_integer(env, "WEBHOOK_MAX_CONNECTIONS", 1, MAX_WEBHOOK_CONNECTIONS),
        webhook_reply=_read_flag(env, "WEBHOOK_REPLY"),
        poll_timeout_seconds=_read_integer(env, "POLL_TIMEOUT", 0, MAX_POLL_TIMEOUT_SECONDS),
        poll_interval_ms=_read_milliseconds(env, "POLL_INTERVAL_MS"),
        handler_delay_ms=_read_milliseconds(env, "HANDLER_DELAY_MS"),
    )


def setup_logging(env: BotEnv) -> None:
    """Framework logs (failed updates, retries) go to stderr with the bot's name; INFO and below are dropped."""
    logging.basicConfig(level=logging.WARNING, format=f"{env.name}: %(name)s: %(levelname)s: %(message)s")


def log_info(env: BotEnv, line: str) -> None:
    """One informational line on stdout (not a readiness signal: harnesses must not rely on it)."""
    print(f"{env.name}: {line}", flush=True)


def log_error(env: BotEnv, line: str) -> None:
    """One error line on stderr."""
    sys.stderr.write(f"{env.name}: {line}\n")
    sys.stderr.flush()


async def simulate_work(env: BotEnv) -> None:
    """``HANDLER_DELAY_MS``: a timer, not CPU, standing for a database call."""
    if env.handler_delay_ms > 0:
        await asyncio.sleep(env.handler_delay_ms / 1000)


def bind_webhook_socket(env: BotEnv) -> socket.socket:
    """
    A TCP socket bound to WEBHOOK_HOST:WEBHOOK_PORT and listening, for servers that can adopt one.

    Binding here rather than in the web server gives the bot the real port before it calls
    setWebhook (WEBHOOK_PORT=0 means "any free port") without the race of picking a port, closing
    it and binding it again; and the kernel accepts connections as soon as ``listen()`` returns.
    """
    infos = socket.getaddrinfo(env.webhook_host, env.webhook_port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, type_, proto, _, address = infos[0]
    sock = socket.socket(family, type_, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def stop_on_signals(env: BotEnv, loop: asyncio.AbstractEventLoop, stop: Callable[[], None]) -> None:
    """
    On the first SIGTERM or SIGINT, calls ``stop`` (inside the event loop) and arms a watchdog that
    exits 1 if the process is still alive :data:`SHUTDOWN_GRACE_SECONDS` later. The handlers are
    removed at once, so a second signal kills the process (the default action).
    """

    def on_signal(received: signal.Signals) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
            signal.signal(sig, signal.SIG_DFL)

        def give_up() -> None:
            log_error(env, f"did not stop within {SHUTDOWN_GRACE_SECONDS:g} s of {received.name}")
            os._exit(EXIT_FAILURE)

        watchdog = threading.Timer(SHUTDOWN_GRACE_SECONDS, give_up)
        watchdog.daemon = True
        watchdog.start()
        stop()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal, sig)


def _optional(env: Mapping[str, str], key: str) -> str | None:
    """The value, or None when unset or empty."""
    value = env.get(key)
    return None if value is None or value == "" else value


def _read_api_root(env: Mapping[str, str]) -> str:
    value = _optional(env, "TELEGRAM_API_ROOT")
    if value is None:
        raise ContractError(f"TELEGRAM_API_ROOT is not set; set it to {_API_ROOT_HINT}")
    try:
        url = urlsplit(value)
        url.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ContractError(f'TELEGRAM_API_ROOT "{value}" is not a URL; set it to {_API_ROOT_HINT}') from None
    bare = url.path == "" and url.query == "" and url.fragment == "" and "?" not in value and "#" not in value
    if url.scheme not in ("http", "https") or not url.hostname or not bare:
        raise ContractError(f'TELEGRAM_API_ROOT "{value}" must be {_API_ROOT_HINT}')
    return value


def _read_webhook_path(env: Mapping[str, str]) -> str:
    value = _optional(env, "WEBHOOK_PATH") or DEFAULT_WEBHOOK_PATH
    if not value.startswith("/") or re.search(r"[?#\s]", value):
        raise ContractError(f'WEBHOOK_PATH "{value}" must be a path starting with "/", like /webhook')
    return value


def _read_webhook_url(env: Mapping[str, str]) -> str | None:
    value = _optional(env, "WEBHOOK_URL")
    if value is None:
        return None
    try:
        url = urlsplit(value)
    except ValueError:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.netloc:
        raise ContractError(f'WEBHOOK_URL "{value}" must be an http:// or https:// URL')
    return value


def _read_secret(env: Mapping[str, str]) -> str | None:
    value = _optional(env, "WEBHOOK_SECRET")
    if value is not None and not _SECRET_FORMAT.fullmatch(value):
        raise ContractError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return value


def _read_flag(env: Mapping[str, str], key: str) -> bool:
    value = _optional(env, key)
    if value is None:
        return False
    if value not in ("0", "1"):
        raise ContractError(f'{key} must be 0 or 1, got "{value}"')
    return value == "1"


def _read_integer(env: Mapping[str, str], key: str, low: int, high: int, default: int | None = None) -> int | None:
    value = _optional(env, key)
    if value is None:
        return default
    if not _DIGITS.fullmatch(value) or not low <= int(value) <= high:
        raise ContractError(f'{key} must be an integer from {low} to {high}, got "{value}"')
    return int(value)


def _read_milliseconds(env: Mapping[str, str], key: str) -> float:
    value = _optional(env, key)
    if value is None:
        return 0.0
    try:
        ms = float(value)
    except ValueError:
        ms = math.nan
    if not math.isfinite(ms) or ms < 0:
        raise ContractError(f'{key} must be a number of milliseconds >= 0, got "{value}"')
    return ms
