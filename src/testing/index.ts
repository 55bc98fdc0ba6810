/**
 * Test support, imported only by *.test.ts files: processes a test owns, waits that do not bet
 * on the machine's speed, and hand-driven time.
 */
export { type MockTime, mockTime } from "./mock-time.ts";
export {
  descendantsOf,
  environmentOf,
  isAlive,
  killTree,
  type OwnedProcess,
  type OwnedProcessOptions,
  type ProcessExit,
  type ProcessResult,
  runProcess,
  startProcess,
} from "./processes.ts";
export { letTurnsPass, settle, WAIT_DEADLINE_MS, type WaitOptions, waitUntil } from "./wait.ts";
