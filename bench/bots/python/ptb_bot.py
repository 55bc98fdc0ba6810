"""Echo bot on python-telegram-bot 22, both modes in one file (BOT_MODE=polling|webhook),
configured only by the environment contract (docs/bot-contract.md).

- polling: ``Application.run_polling(poll_interval=POLL_INTERVAL_MS / 1000, timeout=POLL_TIMEOUT)``
  (PTB's default timeout is 10 s). PTB sleeps ``poll_interval`` *after* each getUpdates returns,
  where the contract asks for that much time between the *starts* of two calls: the same for an
  answer that comes at once, longer by the hold when the server holds a short poll.
- webhook: ``Application.run_webhook`` (tornado; the ``[webhooks]`` extra). PTB calls setWebhook
  before its server listens, and builds the URL from the port it is given, so a WEBHOOK_PORT of 0
  would be registered as port 0. The bot therefore binds and listens on a socket itself and hands
  it over with ``run_webhook(unix=<socket>)``, PTB's parameter for a server socket created by the
  caller: the port is known before setWebhook, and the kernel accepts Telegram's first connection
  before tornado adopts the socket. PTB answers 200 once the update is queued; it has no webhook
  reply, so WEBHOOK_REPLY=1 prints a warning and the echo is still a request of its own.

PTB handles updates one at a time (its default, ``concurrent_updates=False``). Text messages are
echoed to their chat (``reply_text`` without a quote); button presses are answered. SIGTERM/SIGINT
stop the bot and it exits 0.
"""

from __future__ import annotations

import asyncio
import re
import sys

from contract import (
    EXIT_FAILURE,
    BotEnv,
    bind_webhook_socket,
    log_error,
    log_info,
    read_bot_env,
    setup_logging,
    simulate_work,
    stop_on_signals,
)

# The contract is checked before the framework is imported: a bad value fails fast, in one line.
ENV = read_bot_env(["polling", "webhook"])

from telegram import Update  # noqa: E402
from telegram.ext import (  # noqa: E402
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

#: PTB's own getUpdates timeout (``Application.run_polling(timeout=10)``).
DEFAULT_POLL_TIMEOUT_SECONDS = 10


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None and message.text is not None  # the handler's filters guarantee both
    await simulate_work(ENV)
    await message.reply_text(message.text, do_quote=False)


async def answer_button(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await simulate_work(ENV)
    await update.callback_query.answer()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A failed update is logged and the bot goes on with the next one."""
    update_id = update.update_id if isinstance(update, Update) else None
    log_error(ENV, f"update {update_id} failed: {type(context.error).__name__}: {context.error}")


def build_application(env: BotEnv) -> Application:
    application = (
        ApplicationBuilder()
        .token(env.token)
        .base_url(f"{env.api_root}/bot")
        .base_file_url(f"{env.api_root}/file/bot")
        .build()
    )
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(answer_button))
    application.add_error_handler(on_error)
    return application


def raise_system_exit() -> None:
    """How PTB's own stop signals end ``run_polling``/``run_webhook``: it then shuts down cleanly."""
    raise SystemExit


def run_polling(env: BotEnv, application: Application) -> None:
    timeout = DEFAULT_POLL_TIMEOUT_SECONDS if env.poll_timeout_seconds is None else env.poll_timeout_seconds
    every = f", every {env.poll_interval_ms:g} ms" if env.poll_interval_ms > 0 else ""
    log_info(env, f"polling (timeout {timeout} s{every})")
    application.run_polling(poll_interval=env.poll_interval_ms / 1000, timeout=timeout, stop_signals=None)


def run_webhook(env: BotEnv, application: Application) -> None:
    if env.webhook_reply:
        log_error(env, "warning: WEBHOOK_REPLY=1 has no effect, python-telegram-bot has no webhook reply")
    sock = bind_webhook_socket(env)
    url = env.webhook_url_for(sock.getsockname()[1])
    log_info(env, f"webhook {url}")
    max_connections = {} if env.webhook_max_connections is None else {"max_connections": env.webhook_max_connections}
    application.run_webhook(
        # PTB routes by regular expression; escape the path so that it matches only itself.
        url_path=re.escape(env.webhook_path),
        webhook_url=url,
        secret_token=env.webhook_secret,
        unix=sock,
        stop_signals=None,
        **max_connections,
    )


def main() -> None:
    setup_logging(ENV)
    application = build_application(ENV)
    # run_polling/run_webhook use the current event loop; our signal handlers go on it first.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stop_on_signals(ENV, loop, raise_system_exit)
    try:
        (run_polling if ENV.mode == "polling" else run_webhook)(ENV, application)
    except Exception as error:  # noqa: BLE001 - any failure to start or poll ends the bot with 1
        log_error(ENV, f"{ENV.mode} failed: {type(error).__name__}: {error}")
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()
