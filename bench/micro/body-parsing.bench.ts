/**
 * Request bodies of every encoding a bot may send (src/fake-api/body-parsers.ts): the same
 * sendMessage as JSON, urlencoded, multipart and gzip-compressed JSON, through the fake API's
 * fastify app with inject() (the parsers are registered on the app, not callable alone). A bare
 * fastify route parsing the same JSON is the yardstick: the difference is the fake API's own cost.
 * No socket is opened.
 */
import { gzipSync } from "node:zlib";
import Fastify from "fastify";
import { FakeApi } from "../../src/fake-api/index.ts";
import type { MicroSuite } from "./suite.ts";

const TOKEN = "123456:micro";
const CHAT_ID = 100_000_001;
const TEXT = "#42 hello there, how are you";
const BOUNDARY = "----tgbenchmicro";

function multipart(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join("")}--${BOUNDARY}--\r\n`;
}

interface Encoded {
  readonly name: string;
  readonly headers: Record<string, string>;
  readonly payload: string | Buffer;
}

export const bodyParsingSuite: MicroSuite = {
  name: "body-parsing",
  description: "sendMessage bodies by encoding, through fastify inject(): src/fake-api/body-parsers.ts",
  async build() {
    const api = new FakeApi({ callLogCapacity: 256, messagesKeptPerChat: 16 });
    api.control.injectText(TOKEN, { text: "hello", from: { id: CHAT_ID } }); // the chat exists
    const params = { chat_id: String(CHAT_ID), text: TEXT };
    const json = JSON.stringify(params);
    const encodings: Encoded[] = [
      { name: "JSON", headers: { "content-type": "application/json" }, payload: json },
      {
        name: "urlencoded",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams(params).toString(),
      },
      {
        name: "multipart",
        headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
        payload: multipart(params),
      },
      {
        name: "gzip JSON",
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        payload: gzipSync(json),
      },
    ];

    const bare = Fastify({ logger: false });
    bare.post("/*", async (req) => {
      const body = req.body as { chat_id?: string; text?: string };
      return { ok: true, result: { message_id: 1, chat: { id: Number(body.chat_id) }, text: body.text } };
    });
    await bare.ready();

    const send =
      (app: typeof bare | FakeApi["app"], { headers, payload }: Encoded) =>
      async () => {
        const response = await app.inject({
          method: "POST",
          url: `/bot${TOKEN}/sendMessage`,
          headers,
          payload,
        });
        if (response.statusCode !== 200) {
          throw new Error(`sendMessage answered ${response.statusCode}: ${response.body}`);
        }
      };
    return {
      tasks: [
        ...encodings.map((encoding) => ({
          name: `sendMessage, ${encoding.name}`,
          async: true,
          run: send(api.app, encoding),
        })),
        { name: "bare fastify route, JSON (yardstick)", async: true, run: send(bare, encodings[0]!) },
      ],
      teardown: async () => {
        await Promise.all([api.close(), bare.close()]);
      },
    };
  },
};
