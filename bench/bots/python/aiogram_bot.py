"""Echo bot on aiogram 3, both modes in one file (BOT_MODE=polling|webhook), configured only by
the environment contract (docs/bot-contract.md).

- polling: ``dp.start_polling`` with ``polling_timeout`` = POLL_TIMEOUT (aiogram's default is
  10 s). aiogram has no poll interval, so POLL_INTERVAL_MS is a session request middleware
  (aiogram's own extension point for API calls) that holds each getUpdates until that long after
  the previous one started. Updates are handled as concurrent tasks (aiogram's default).
- webhook: ``SimpleRequestHandler`` on an aiohttp server. By default it answers Telegram ``{}`` at
  once and handles the update in the background (``handle_in_background=True``); with
  WEBHOOK_REPLY=1 it waits for the handler, which *returns* ``message.answer(...)``, and aiogram
  sends that call as a multipart/form-data webhook reply.

Text messages are echoed to their chat (``message.answer``, no quote); button presses are
answered. SIGTERM/SIGINT stop the bot and it exits 0.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from contract import (
    EXIT_FAILURE,
    SHUTDOWN_GRACE_SECONDS,
    BotEnv,
    log_error,
    log_info,
    read_bot_env,
    setup_logging,
    simulate_work,
    stop_on_signals,
)

# The contract is checked before the framework is imported: a bad value fails fast, in one line.
ENV = read_bot_env(["polling", "webhook"])

from aiogram import Bot, Dispatcher, F, Router  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.session.middlewares.base import BaseRequestMiddleware  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from aiogram.methods import GetUpdates  # noqa: E402
from aiogram.types import CallbackQuery, Message  # noqa: E402
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application  # noqa: E402
from aiohttp import web  # noqa: E402

#: aiogram's own getUpdates timeout (``Dispatcher.start_polling(polling_timeout=10)``).
DEFAULT_POLL_TIMEOUT_SECONDS = 10
#: How long aiohttp lets webhook requests in flight finish on shutdown (its default is 60 s).
WEBHOOK_SHUTDOWN_TIMEOUT_SECONDS = SHUTDOWN_GRACE_SECONDS / 2

router = Router()


@router.message(F.text)
async def echo(message: Message) -> Any:
    await simulate_work(ENV)
    reply = message.answer(message.text)
    # A returned method travels in the webhook response when the handler runs in the foreground.
    return reply if ENV.webhook_reply else await reply


@router.callback_query()
async def answer_button(query: CallbackQuery) -> Any:
    await simulate_work(ENV)
    answer = query.answer()
    return answer if ENV.webhook_reply else await answer


class PollPacer(BaseRequestMiddleware):
    """POLL_INTERVAL_MS: each getUpdates waits until this long after the previous one started."""

    def __init__(self, interval_ms: float) -> None:
        self._interval_s = interval_ms / 1000
        self._last_start_s: float | None = None

    async def __call__(self, make_request: Any, bot: Bot, method: Any) -> Any:
        if isinstance(method, GetUpdates):
            loop = asyncio.get_running_loop()
            if self._last_start_s is not None:
                wait_s = self._last_start_s + self._interval_s - loop.time()
                if wait_s > 0:
                    await asyncio.sleep(wait_s)
            self._last_start_s = loop.time()
        return await make_request(bot, method)


def make_bot(env: BotEnv) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(env.api_root))
    return Bot(env.token, session=session)


def make_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def run_polling(env: BotEnv) -> None:
    bot = make_bot(env)
    if env.poll_interval_ms > 0:
        bot.session.middleware(PollPacer(env.poll_interval_ms))
    dispatcher = make_dispatcher()
    timeout = DEFAULT_POLL_TIMEOUT_SECONDS if env.poll_timeout_seconds is None else env.poll_timeout_seconds
    stopping = asyncio.Event()
    stop_on_signals(env, asyncio.get_running_loop(), stopping.set)
    polling = asyncio.create_task(dispatcher.start_polling(bot, polling_timeout=timeout, handle_signals=False))
    every = f", every {env.poll_interval_ms:g} ms" if env.poll_interval_ms > 0 else ""
    log_info(env, f"polling (timeout {timeout} s{every})")
    stop_requested = asyncio.create_task(stopping.wait())
    await asyncio.wait({polling, stop_requested}, return_when=asyncio.FIRST_COMPLETED)
    if not polling.done():
        try:
            await dispatcher.stop_polling()
        except RuntimeError:  # stopped before start_polling got going
            polling.cancel()
    stop_requested.cancel()
    try:
        await polling  # raises what stopped polling: an invalid token, for one
    except asyncio.CancelledError:
        pass


async def run_webhook(env: BotEnv) -> None:
    bot = make_bot(env)
    dispatcher = make_dispatcher()
    app = web.Application()
    handler = SimpleRequestHandler(
        dispatcher=dispatcher,
        bot=bot,
        handle_in_background=not env.webhook_reply,
        secret_token=env.webhook_secret,
    )
    handler.register(app, path=env.webhook_path)
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=WEBHOOK_SHUTDOWN_TIMEOUT_SECONDS)
    stopping = asyncio.Event()
    stop_on_signals(env, asyncio.get_running_loop(), stopping.set)
    await runner.setup()
    try:
        # Listen first: Telegram (and the fake API) only accept a webhook URL they can connect to.
        await web.TCPSite(runner, env.webhook_host, env.webhook_port).start()
        url = env.webhook_url_for(runner.addresses[0][1])
        await bot.set_webhook(
            url,
            secret_token=env.webhook_secret,
            max_connections=env.webhook_max_connections,
        )
        mode = "replies in the response" if env.webhook_reply else "handles in the background"
        log_info(env, f"webhook {url} ({mode})")
        await stopping.wait()
    finally:
        await runner.cleanup()


def main() -> None:
    setup_logging(ENV)
    run = run_polling if ENV.mode == "polling" else run_webhook
    try:
        asyncio.run(run(ENV))
    except Exception as error:  # noqa: BLE001 - any failure to start or poll ends the bot with 1
        log_error(ENV, f"{ENV.mode} failed: {type(error).__name__}: {error}")
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()
