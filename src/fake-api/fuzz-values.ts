/**
 * Test support for the fuzz suites: fast-check arbitraries of Bot API method names and parameters,
 * right and wrong: known names in any case, Object.prototype's names, random text; values of the
 * right and wrong types, td::to_integer's edges, JSON, values nested past the limits, huge values.
 */
import fc from "fast-check";
import { METHOD_NAMES } from "./methods/index.ts";

const PARAMETER_NAMES = [
  "chat_id",
  "text",
  "offset",
  "limit",
  "timeout",
  "allowed_updates",
  "reply_markup",
  "reply_parameters",
  "reply_to_message_id",
  "allow_sending_without_reply",
  "parse_mode",
  "caption",
  "photo",
  "document",
  "from_chat_id",
  "message_id",
  "inline_message_id",
  "callback_query_id",
  "commands",
  "scope",
  "language_code",
  "action",
  "url",
  "secret_token",
  "max_connections",
  "drop_pending_updates",
  "method",
  "content",
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "toString",
] as const;

const PROTOTYPE_NAMES = [
  "constructor",
  "__proto__",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "isPrototypeOf",
];

/** Mixed-case spellings of a name (method names are case-insensitive). */
const randomCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(""));

export const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

export const method = fc.oneof(
  { arbitrary: fc.constantFrom(...METHOD_NAMES).chain(randomCase), weight: 8 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES), weight: 1 },
  { arbitrary: anyText, weight: 2 },
  {
    arbitrary: fc.constantFrom("", "a/b", "%zz", "%", "get%4de", "test", "..%2F..", "sendMessage%00"),
    weight: 1,
  },
);

/** Integers as text, with the edges of td::to_integer<int32>. */
const integerText = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.constantFrom(
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967297",
    "99999999999999999999",
    "+5",
    " 5",
    "5.5",
    "1e3",
    "-",
    "",
  ),
);

/** A JSON text nested `depth` levels (arrays or objects). */
const nestedJson = fc
  .tuple(fc.integer({ min: 1, max: 160 }), fc.boolean())
  .map(([depth, objects]) =>
    objects ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` : `${"[".repeat(depth)}${"]".repeat(depth)}`,
  );

const hugeText = fc
  .tuple(fc.constantFrom(20_000, 20_000, 300_000, 1_100_000), fc.constantFrom("x", "é", "%", "\\"))
  .map(([length, unit]) => unit.repeat(length));

/** A parameter value: right and wrong types, edges, JSON, deep and huge values. */
const value = fc.oneof(
  { arbitrary: integerText, weight: 120 },
  { arbitrary: anyText, weight: 120 },
  {
    arbitrary: fc.constantFrom(
      "true",
      "false",
      "yes",
      "1",
      "0",
      "null",
      "[]",
      "{}",
      '["message"]',
      '"message"',
    ),
    weight: 60,
  },
  { arbitrary: fc.json({ maxDepth: 3 }), weight: 60 },
  {
    arbitrary: fc.constantFrom(
      '{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}',
      '{"inline_keyboard":"x"}',
      '{"message_id":1,"allow_sending_without_reply":true}',
      '[{"command":"start","description":"go"}]',
      '{"type":"chat","chat_id":"1"}',
    ),
    weight: 40,
  },
  { arbitrary: nestedJson, weight: 20 },
  { arbitrary: fc.constant(`${"[".repeat(100_000)}${"]".repeat(100_000)}`), weight: 1 },
  { arbitrary: hugeText, weight: 1 },
);

/** A parameter as generated: name and value as text. */
export type Parameter = [string, string];

export const parameters = fc.array(
  fc.tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom(...PARAMETER_NAMES), weight: 8 },
      { arbitrary: anyText, weight: 1 },
    ),
    value,
  ),
  { maxLength: 7 },
);
