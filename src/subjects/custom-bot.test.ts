import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CustomBotError, parseBotCommand, parseBotCommands } from "./custom-bot.ts";

describe("parseBotCommand", () => {
  const cases: Array<[text: string, label: string, command: string, modes: string[], declared: boolean]> = [
    ["python3 my_bot.py", "custom", "python3 my_bot.py", ["polling", "webhook"], false],
    ["mybot=python3 my_bot.py", "mybot", "python3 my_bot.py", ["polling", "webhook"], false],
    ["mybot:polling=python3 my_bot.py", "mybot", "python3 my_bot.py", ["polling"], true],
    ["my-bot.2:webhook,polling=node bot.js", "my-bot.2", "node bot.js", ["webhook", "polling"], true],
    // An environment assignment (upper case) is part of the command, not a label.
    ["DEBUG=1 node bot.js", "custom", "DEBUG=1 node bot.js", ["polling", "webhook"], false],
    ["mybot=DEBUG=1 node bot.js", "mybot", "DEBUG=1 node bot.js", ["polling", "webhook"], false],
    [
      "cd bots && python3 x.py --opt=1",
      "custom",
      "cd bots && python3 x.py --opt=1",
      ["polling", "webhook"],
      false,
    ],
  ];
  for (const [text, label, command, modes, declared] of cases) {
    test(`"${text}" is ${label}: ${command} (${modes.join(",")})`, () => {
      assert.deepEqual(parseBotCommand(text), { label, command, modes, modesDeclared: declared });
    });
  }

  test("a command-less or mode-less entry is refused with how to write it", () => {
    assert.throws(() => parseBotCommand("mybot="), /has no command; write it as "label=command"/);
    assert.throws(() => parseBotCommand("mybot:=node bot.js"), /no mode after "mybot:"/);
    assert.throws(() => parseBotCommand("mybot:polling,long=node bot.js"), /unknown mode "long"/);
  });
});

describe("parseBotCommands", () => {
  test("unlabelled commands are custom, custom-2 …; labels must be unique and not a built-in's", () => {
    const specs = parseBotCommands(["node a.js", "b=node b.js", "node c.js"], ["reference"]);
    assert.deepEqual(
      specs.map((s) => s.label),
      ["custom", "b", "custom-2"],
    );
    assert.throws(() => parseBotCommands(["a=x", "a=y"], []), CustomBotError);
    assert.throws(() => parseBotCommands(["reference=node x.js"], ["reference"]), /name of a built-in bot/);
  });
});
