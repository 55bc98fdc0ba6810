import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FakeApi } from "../index.ts";
import type { Message } from "../telegram-types.ts";
import { call, ok, TOKEN } from "../test-helpers.ts";

const USER = { id: 1001 };
const GROUP = { id: -2002, type: "group" as const, title: "Friends" };

describe("methods answer with Telegram's objects and Telegram's errors", () => {
  const api = new FakeApi();
  let userMessageId = 0;
  let botMessage: Message;
  before(async () => {
    userMessageId = api.control.injectText(TOKEN, { text: "hello", from: USER })!.message!.message_id;
    api.control.injectText(TOKEN, { text: "hi all", from: USER, chat: GROUP });
    botMessage = await ok<Message>(api, "sendMessage", {
      chat_id: USER.id,
      text: "pick one",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
  });
  after(() => api.close());

  const errors: Array<[string, string, Record<string, unknown>, string]> = [
    ["sendMessage", "without chat_id", { text: "x" }, "Bad Request: chat_id is empty"],
    ["sendMessage", "without text", { chat_id: 1001 }, "Bad Request: message text is empty"],
    ["sendMessage", "with blank text", { chat_id: 1001, text: "  " }, "Bad Request: message text is empty"],
    ["sendMessage", "to an unknown chat", { chat_id: 42, text: "x" }, "Bad Request: chat not found"],
    [
      "sendMessage",
      "to an unknown @username",
      { chat_id: "@nobody", text: "x" },
      "Bad Request: chat not found",
    ],
    [
      "sendMessage",
      "with 4097 characters",
      { chat_id: 1001, text: "x".repeat(4097) },
      "Bad Request: message is too long",
    ],
    [
      "sendMessage",
      "with broken reply_markup",
      { chat_id: 1001, text: "x", reply_markup: "{" },
      "Bad Request: can't parse reply keyboard markup JSON object",
    ],
    [
      "sendMessage",
      "with a bad parse_mode",
      { chat_id: 1001, text: "x", parse_mode: "LaTeX" },
      "Bad Request: unsupported parse_mode",
    ],
    [
      "sendMessage",
      "replying to a missing message",
      { chat_id: 1001, text: "x", reply_to_message_id: 999 },
      "Bad Request: message to be replied not found",
    ],
    [
      "forwardMessage",
      "of a missing message",
      { chat_id: 1001, from_chat_id: 1001, message_id: 999 },
      "Bad Request: message to forward not found",
    ],
    [
      "copyMessage",
      "of a missing message",
      { chat_id: 1001, from_chat_id: 1001, message_id: 999 },
      "Bad Request: message to copy not found",
    ],
    [
      "forwardMessage",
      "without message_id",
      { chat_id: 1001, from_chat_id: 1001 },
      "Bad Request: message identifier is not specified",
    ],
    ["sendPhoto", "without a photo", { chat_id: 1001 }, "Bad Request: there is no photo in the request"],
    [
      "sendDocument",
      "without a document",
      { chat_id: 1001 },
      "Bad Request: there is no document in the request",
    ],
    [
      "sendChatAction",
      "with an unknown action",
      { chat_id: 1001, action: "dancing" },
      "Bad Request: wrong parameter action in request",
    ],
    [
      "editMessageText",
      "of a missing message",
      { chat_id: 1001, message_id: 999, text: "x" },
      "Bad Request: message to edit not found",
    ],
    [
      "editMessageText",
      "of the user's message",
      { chat_id: 1001, message_id: 1, text: "x" },
      "Bad Request: message can't be edited",
    ],
    [
      "deleteMessage",
      "of a missing message",
      { chat_id: 1001, message_id: 999 },
      "Bad Request: message to delete not found",
    ],
    [
      "deleteMessage",
      "without message_id",
      { chat_id: 1001 },
      "Bad Request: message identifier is not specified",
    ],
    [
      "answerCallbackQuery",
      "with an unknown id",
      { callback_query_id: "nope" },
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    ],
    ["getChat", "of an unknown chat", { chat_id: 5 }, "Bad Request: chat not found"],
    [
      "setMyCommands",
      "with broken JSON",
      { commands: "[{" },
      "Bad Request: can't parse commands JSON object",
    ],
  ];
  for (const [method, why, params, description] of errors) {
    test(`${method} ${why} answers 400 "${description}"`, async () => {
      const answer = await call(api, method, params);
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.body, { ok: false, error_code: 400, description });
    });
  }

  test("sendMessage returns a complete Message: id, from (the bot), date in seconds, chat, text", async () => {
    const beforeSec = Math.floor(Date.now() / 1000);
    const message = await ok<Message>(api, "sendMessage", { chat_id: 1001, text: "complete" });
    const afterSec = Math.floor(Date.now() / 1000);
    assert.ok(message.message_id > 0);
    assert.equal(message.from?.id, 123456);
    assert.equal(message.from?.is_bot, true);
    assert.ok(beforeSec <= message.date && message.date <= afterSec, `date ${message.date} is unix seconds`);
    assert.deepEqual(message.chat, {
      id: 1001,
      type: "private",
      first_name: "User 1001",
      username: "user1001",
    });
    assert.equal(message.text, "complete");
  });

  test("message ids count up per chat across user and bot messages", async () => {
    const a = await ok<Message>(api, "sendMessage", { chat_id: 1001, text: "a" });
    const b = await ok<Message>(api, "sendMessage", { chat_id: 1001, text: "b" });
    assert.equal(b.message_id, a.message_id + 1);
    const inGroup = await ok<Message>(api, "sendMessage", { chat_id: GROUP.id, text: "g" });
    assert.equal(inGroup.message_id, 2, "the group's own sequence: one user message, then this");
    assert.equal(inGroup.chat.type, "group");
    assert.equal(inGroup.chat.title, "Friends");
  });

  test("a reply carries reply_to_message, via reply_parameters or reply_to_message_id", async () => {
    const viaParameters = await ok<Message>(api, "sendMessage", {
      chat_id: 1001,
      text: "re",
      reply_parameters: { message_id: userMessageId },
    });
    assert.equal(viaParameters.reply_to_message?.text, "hello");
    const viaId = await ok<Message>(api, "sendMessage", {
      chat_id: 1001,
      text: "re",
      reply_to_message_id: userMessageId,
    });
    assert.equal(viaId.reply_to_message?.message_id, userMessageId);
    const without = await ok<Message>(api, "sendMessage", {
      chat_id: 1001,
      text: "re",
      reply_parameters: { message_id: 999, allow_sending_without_reply: true },
    });
    assert.equal(without.reply_to_message, undefined);
  });

  test("a command sent by the bot carries its bot_command entity", async () => {
    const message = await ok<Message>(api, "sendMessage", { chat_id: 1001, text: "/help@tgbench_bot now" });
    assert.deepEqual(message.entities, [{ type: "bot_command", offset: 0, length: 17 }]);
  });

  test("forwardMessage copies content and adds forward_origin; copyMessage returns a MessageId", async () => {
    const forwarded = await ok<Message>(api, "forwardMessage", {
      chat_id: GROUP.id,
      from_chat_id: 1001,
      message_id: userMessageId,
    });
    assert.equal(forwarded.text, "hello");
    assert.equal(forwarded.forward_origin?.type, "user");
    assert.equal(forwarded.forward_origin?.sender_user?.id, 1001);
    const copied = await ok<{ message_id: number }>(api, "copyMessage", {
      chat_id: GROUP.id,
      from_chat_id: 1001,
      message_id: userMessageId,
    });
    assert.deepEqual(Object.keys(copied), ["message_id"]);
    assert.equal(api.control.message(TOKEN, GROUP.id, copied.message_id)?.text, "hello");
  });

  test("sendPhoto and sendDocument by file_id return PhotoSize[] and Document", async () => {
    const photo = await ok<Message>(api, "sendPhoto", { chat_id: 1001, photo: "AgACfileid", caption: "c" });
    assert.equal(photo.photo?.length, 3);
    for (const size of photo.photo!)
      for (const f of ["file_id", "file_unique_id", "width", "height"]) assert.ok(f in size);
    const doc = await ok<Message>(api, "sendDocument", { chat_id: 1001, document: "BQACfileid" });
    assert.ok(doc.document?.file_id);
  });

  test("sendChatAction answers true", async () => {
    assert.equal(await ok(api, "sendChatAction", { chat_id: 1001, action: "typing" }), true);
  });

  test("editMessageText edits the bot's message; the same content again is 'message is not modified'", async () => {
    const edited = await ok<Message>(api, "editMessageText", {
      chat_id: 1001,
      message_id: botMessage.message_id,
      text: "picked",
    });
    assert.equal(edited.text, "picked");
    assert.ok(edited.edit_date !== undefined);
    assert.equal(edited.reply_markup, undefined, "no reply_markup given removes the keyboard");
    const again = await call(api, "editMessageText", {
      chat_id: 1001,
      message_id: botMessage.message_id,
      text: "picked",
    });
    assert.match(again.body.description!, /^Bad Request: message is not modified: /);
  });

  test("editMessageReplyMarkup replaces the keyboard", async () => {
    const markup = { inline_keyboard: [[{ text: "B", callback_data: "b" }]] };
    const edited = await ok<Message>(api, "editMessageReplyMarkup", {
      chat_id: 1001,
      message_id: botMessage.message_id,
      reply_markup: markup,
    });
    assert.deepEqual(edited.reply_markup, markup);
  });

  test("deleteMessage removes a message once", async () => {
    const message = await ok<Message>(api, "sendMessage", { chat_id: 1001, text: "bye" });
    assert.equal(await ok(api, "deleteMessage", { chat_id: 1001, message_id: message.message_id }), true);
    const again = await call(api, "deleteMessage", { chat_id: 1001, message_id: message.message_id });
    assert.equal(again.body.description, "Bad Request: message to delete not found");
  });

  test("a button press is a complete CallbackQuery, answerable once", async () => {
    const update = api.control.injectCallback(TOKEN, {
      from: USER,
      messageId: botMessage.message_id,
      data: "a",
    })!;
    const query = update.callback_query!;
    assert.equal(query.from.id, 1001);
    assert.equal(query.data, "a");
    assert.equal(query.message?.message_id, botMessage.message_id);
    assert.equal(typeof query.chat_instance, "string");
    assert.equal(await ok(api, "answerCallbackQuery", { callback_query_id: query.id }), true);
    const again = await call(api, "answerCallbackQuery", { callback_query_id: query.id });
    assert.equal(again.status, 400);
  });

  test("setMyCommands and getMyCommands keep commands per scope and language", async () => {
    const commands = [{ command: "start", description: "Start" }];
    assert.equal(await ok(api, "setMyCommands", { commands }), true);
    assert.deepEqual(await ok(api, "getMyCommands"), commands);
    assert.deepEqual(await ok(api, "getMyCommands", { language_code: "ru" }), []);
    const scope = { type: "all_group_chats" };
    await ok(api, "setMyCommands", { commands: [{ command: "g", description: "G" }], scope });
    assert.deepEqual(await ok(api, "getMyCommands", { scope }), [{ command: "g", description: "G" }]);
    assert.deepEqual(await ok(api, "getMyCommands"), commands);
  });

  test("getChat answers a ChatFullInfo with the fields aiogram requires", async () => {
    const chat = await ok<Record<string, unknown>>(api, "getChat", { chat_id: GROUP.id });
    assert.equal(chat.id, GROUP.id);
    assert.equal(chat.type, "group");
    for (const field of ["accent_color_id", "max_reaction_count", "accepted_gift_types"])
      assert.ok(field in chat, field);
  });

  test("logOut and close answer true", async () => {
    assert.equal(await ok(api, "logOut"), true);
    assert.equal(await ok(api, "close"), true);
  });
});
