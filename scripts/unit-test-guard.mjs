// Preloaded (node --import) into every unit test file by scripts/run-tests.mjs: a unit test
// starts no child process and opens no socket (fastify's inject() needs neither), so each of
// those is refused here with an error that says what to do. A refusal also fails the file at exit,
// even when the code under test caught the error. Files named *.integration.test.ts or
// *.browser.test.ts run without this guard.
import childProcess from "node:child_process";
import dgram from "node:dgram";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";

/** @type {string[]} */
const refused = [];

/** @param {string} what @returns {never} */
function refuse(what) {
  const error = new Error(
    `${what} in a unit test: a test file that starts processes or opens sockets must be named *.integration.test.ts`,
  );
  refused.push(`${what}\n${error.stack?.split("\n").slice(2, 8).join("\n") ?? ""}`);
  throw error;
}

for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
  /** @type {Record<string, unknown>} */ (childProcess)[name] = () => refuse(`child_process.${name}()`);
}
net.Server.prototype.listen = () => refuse("listening on a socket (server.listen())");
net.Socket.prototype.connect = () => refuse("a socket connection (fetch, net.connect …)");
dgram.Socket.prototype.bind = () => refuse("binding a UDP socket");
dgram.Socket.prototype.send = () => refuse("sending UDP");
// `import { spawn } from "node:child_process"` in the tests must see the replacements too.
syncBuiltinESMExports();

process.on("exit", () => {
  if (refused.length === 0) return;
  process.stderr.write(`\nunit-test-guard: this file is not a unit test:\n${refused.join("\n")}\n`);
  process.exitCode = 1;
});
