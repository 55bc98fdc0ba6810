import type { BotMode } from "./registry.ts";

/** A bot given on the command line (`--bot-command "mybot:polling=python3 my_bot.py"`). */
export interface CustomBotSpec {
  /** Its name in reports and on the terminal. */
  label: string;
  /** The shell command line that starts it (run by `sh -c`, in the current directory). */
  command: string;
  /** The BOT_MODEs it declares; both when it declares none. */
  modes: readonly BotMode[];
  /** Whether the modes were declared (`label:modes=`) rather than assumed. */
  modesDeclared: boolean;
}

/** A `--bot-command` that cannot be used; the message says why and how to write it. */
export class CustomBotError extends Error {
  override readonly name = "CustomBotError";
}

/** The label given to a command without one (then `custom-2`, `custom-3` …). */
export const UNLABELLED_BOT = "custom";

const BOT_MODES: readonly BotMode[] = ["polling", "webhook"];

/**
 * `label[:modes]=command`. A label is lower case (letters, digits, `.`, `_`, `-`), so that a
 * command that starts with an environment assignment (`DEBUG=1 node bot.js`, upper case by
 * convention) is not mistaken for one; such a command can still be labelled
 * (`mybot=DEBUG=1 node bot.js`).
 */
const LABELLED = /^([a-z0-9][a-z0-9._-]*)(?::([a-z,]*))?=([\s\S]*)$/;

/**
 * Parses one `--bot-command`: `"python3 my_bot.py"`, `"mybot=python3 my_bot.py"` or
 * `"mybot:polling=python3 my_bot.py"` (modes: `polling`, `webhook`, comma-separated). `index` is
 * its position among the unlabelled ones, for their default labels.
 */
export function parseBotCommand(text: string, unlabelledIndex = 0): CustomBotSpec {
  const match = LABELLED.exec(text.trim());
  const label =
    match?.[1] ?? (unlabelledIndex === 0 ? UNLABELLED_BOT : `${UNLABELLED_BOT}-${unlabelledIndex + 1}`);
  const command = (match === null ? text : (match[3] ?? "")).trim();
  if (command === "") {
    throw new CustomBotError(
      `--bot-command "${text}" has no command; write it as "label=command", e.g. "mybot=python3 my_bot.py"`,
    );
  }
  const declared = match?.[2];
  if (declared === undefined) return { label, command, modes: BOT_MODES, modesDeclared: false };
  const modes = declared.split(",").filter((m) => m !== "");
  const unknown = modes.filter((m) => !BOT_MODES.includes(m as BotMode));
  if (modes.length === 0 || unknown.length > 0) {
    throw new CustomBotError(
      `--bot-command "${text}": ${modes.length === 0 ? "no mode" : `unknown mode "${unknown[0]}"`} after "${label}:"; ` +
        `declare the BOT_MODEs it supports, e.g. "${label}:polling=…" or "${label}:polling,webhook=…"`,
    );
  }
  return { label, command, modes: [...new Set(modes)] as BotMode[], modesDeclared: true };
}

/** Parses every `--bot-command`; labels must differ from each other and from `taken` (the built-in bots). */
export function parseBotCommands(texts: readonly string[], taken: readonly string[]): CustomBotSpec[] {
  let unlabelled = 0;
  const seen = new Set<string>();
  return texts.map((text) => {
    const spec = parseBotCommand(text, LABELLED.test(text.trim()) ? 0 : unlabelled++);
    if (taken.includes(spec.label)) {
      throw new CustomBotError(
        `"${spec.label}" is the name of a built-in bot; give the --bot-command another label ("my-${spec.label}=command")`,
      );
    }
    if (seen.has(spec.label)) {
      throw new CustomBotError(
        `two bots are called "${spec.label}"; give each --bot-command its own label ("mybot=command")`,
      );
    }
    seen.add(spec.label);
    return spec;
  });
}
