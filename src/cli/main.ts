import { createRequire } from "node:module";
import type yargsEsm from "yargs";
import { hideBin } from "yargs/helpers";
import { compareCommand } from "./compare.ts";
import { reportCommand } from "./report.ts";
import { runCommand } from "./run.ts";
import { saturateCommand } from "./saturate.ts";
import { serveCommand } from "./serve.ts";
import { UsageError } from "./usage-error.ts";

/**
 * yargs' CommonJS build: its help is laid out by cliui's CommonJS build, which wraps at word
 * boundaries (wrap-ansi); the ES module build of cliui breaks lines at a fixed character count,
 * in the middle of words.
 */
const yargs = createRequire(import.meta.url)("yargs") as typeof yargsEsm;

/**
 * The tgbench CLI. Exit codes: 0 success; 1 a run failed; 2 a usage error (bad option or
 * argument), printed as one line without a stack trace.
 */
export async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName("tgbench")
    .command(runCommand)
    .command(serveCommand)
    .command(compareCommand)
    .command(reportCommand)
    .command(saturateCommand)
    .demandCommand(1, "Name a command; see tgbench --help.")
    .strict()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      // A flag's coerce function throws a UsageError, which yargs hands over wrapped in a YError.
      if (error !== undefined && !(error instanceof UsageError) && error.name !== "YError") throw error;
      throw new UsageError(message ?? error?.message ?? "invalid usage");
    })
    .parseAsync();
}

try {
  await main(hideBin(process.argv));
} catch (error: unknown) {
  if (error instanceof UsageError) {
    console.error(`tgbench: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`tgbench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
// Every command has finished and closed what it opened (serve returns only after Ctrl-C). Exit
// now rather than when the event loop drains: on Node 20 a run has been seen to write its reports
// and then spin at 100% CPU forever in Node's own exit clean-up (Environment::CleanupHandles, gdb
// stack in FreeEnvironment) over sockets whose connections were already gone. Writes to stdout
// and stderr are synchronous for files and pipes, so nothing printed is lost.
process.exit(process.exitCode ?? 0);
