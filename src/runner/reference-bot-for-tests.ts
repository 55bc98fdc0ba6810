import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { registerBuiltInSubjects } from "../subjects/registry.ts";

/** Path of bench/bots/reference.mjs, the reference echo bot (a file path, not an import of bench/). */
export const REFERENCE_BOT = fileURLToPath(new URL("../../bench/bots/reference.mjs", import.meta.url));

/**
 * Registers the reference bot as the one built-in bot of the runner's integration tests
 * (bin/tgbench.mjs registers bench/'s catalog; these tests run without it).
 */
export function registerReferenceBot(): void {
  registerBuiltInSubjects(
    [
      {
        name: "reference",
        description: "the reference echo bot",
        framework: "undici",
        scripts: { polling: basename(REFERENCE_BOT), webhook: basename(REFERENCE_BOT) },
        defaultPollTimeoutSeconds: 30,
        pollTimeoutConfigurable: true,
        webhookReply: true,
        runtime: "node",
      },
    ],
    dirname(REFERENCE_BOT),
  );
}
