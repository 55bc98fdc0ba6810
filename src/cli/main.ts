import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { compareCommand } from "./compare.ts";
import { reportCommand } from "./report.ts";
import { runCommand } from "./run.ts";
import { serveCommand } from "./serve.ts";
import { UsageError } from "./usage-error.ts";

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
    .demandCommand(1, "Name a command; see tgbench --help.")
    .strict()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      if (error !== undefined && !(error instanceof UsageError)) throw error;
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
