/**
 * The architecture's import rules, checked on the sources: src/ never imports bench/ (the bots and
 * scenarios that ship with tgbench reach the product through registries the edge fills), and the
 * reports and compare read results, never the runner that produced them.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SRC = fileURLToPath(new URL("./", import.meta.url));
const ROOT = resolve(SRC, "..");

/** Every TypeScript and JavaScript source under `directory`. */
function sourcesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(ts|mts|mjs|js)$/.test(file))
    .map((file) => join(directory, file));
}

/** The repository-relative paths a source imports (static, dynamic, re-exports), packages left out. */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) =>
      relative(ROOT, resolve(dirname(file), specifier))
        .split(sep)
        .join("/"),
    );
}

/** `file → imported path` for each import of a file under `from` that lands under `forbidden`. */
function violations(from: string, forbidden: string): string[] {
  return sourcesUnder(join(ROOT, from)).flatMap((file) =>
    importsOf(file, readFileSync(file, "utf8"))
      .filter((path) => path === forbidden || path.startsWith(`${forbidden}/`))
      .map((path) => `${relative(ROOT, file)} → ${path}`),
  );
}

describe("import boundaries", () => {
  test("the checker sees every kind of import", () => {
    const file = join(SRC, "cli", "example.ts");
    const text = [
      `import { a } from "../../bench/scenarios/index.ts";`,
      `export { b } from "../../bench/bots/catalog.ts";`,
      `const c = await import("../../bench/index.ts");`,
      `import type { D } from "../results/index.ts";`,
      `import yargs from "yargs";`,
    ].join("\n");
    assert.deepEqual(importsOf(file, text), [
      "bench/scenarios/index.ts",
      "bench/bots/catalog.ts",
      "bench/index.ts",
      "src/results/index.ts",
    ]);
  });

  test("no file under src/ imports from bench/", () => {
    assert.ok(sourcesUnder(SRC).length > 100, "the sources were found");
    assert.deepEqual(violations("src", "bench"), []);
  });

  test("report/ and compare/ read src/results/, never src/runner/", () => {
    assert.deepEqual(
      [...violations("src/report", "src/runner"), ...violations("src/compare", "src/runner")],
      [],
    );
  });
});
