/**
 * Toxiproxy (github.com/Shopify/toxiproxy) as the reference network emulator: installed with
 * `go install` into a cache directory on first use, run on 127.0.0.1 only, driven through its
 * HTTP API. Nothing of it is kept in the repository.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** The version whose latency toxic this comparison was written against (toxics/latency.go). */
export const TOXIPROXY_MODULE = "github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0";
const CACHE_DIR = join(process.cwd(), "node_modules", ".cache", "tgbench", "toxiproxy-v2.5.0");
const BINARY = join(CACHE_DIR, "server");

export type Install = { binary: string } | { skip: string } | { error: string };

/** The toxiproxy-server binary, installing it if needed; `skip` when Go is missing. */
export function installToxiproxy(): Install {
  if (existsSync(BINARY)) return { binary: BINARY };
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.error !== undefined || go.status !== 0)
    return { skip: "Go is not installed; skipping the Toxiproxy comparison" };
  mkdirSync(CACHE_DIR, { recursive: true });
  const install = spawnSync("go", ["install", TOXIPROXY_MODULE], {
    encoding: "utf8",
    env: { ...process.env, GOBIN: CACHE_DIR },
  });
  if (install.status !== 0 || !existsSync(BINARY)) {
    const reason = (install.stderr || install.error?.message || "").trim().split("\n").pop();
    return { error: `go install ${TOXIPROXY_MODULE} failed: ${reason}` };
  }
  return { binary: BINARY };
}

/** One direction's latency toxic, in Toxiproxy's terms (whole milliseconds). */
export interface LatencyToxic {
  stream: "upstream" | "downstream";
  latencyMs: number;
  jitterMs: number;
}

/** A running toxiproxy-server and its API. */
export class Toxiproxy {
  readonly #child: ChildProcess;
  readonly #api: string;
  #proxies = 0;

  private constructor(child: ChildProcess, api: string) {
    this.#child = child;
    this.#api = api;
  }

  /** Starts the server on 127.0.0.1 (a port the OS just had free) and waits until its API answers. */
  static async start(binary: string, seed: number): Promise<Toxiproxy> {
    const port = await freePort();
    const child = spawn(binary, ["-host", "127.0.0.1", "-port", String(port), "-seed", String(seed)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const kill = () => child.kill("SIGKILL");
    process.once("exit", kill);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const proxy = new Toxiproxy(child, `http://127.0.0.1:${port}`);
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) break;
      try {
        const response = await fetch(`${proxy.#api}/version`);
        if (response.ok) return proxy;
      } catch {
        // not up yet
      }
      await sleep(50);
    }
    kill();
    throw new Error(`toxiproxy-server did not start: ${stderr.trim().split("\n").pop() ?? "no output"}`);
  }

  /** A proxy on 127.0.0.1 (port chosen by Toxiproxy) in front of `upstream`, with the given toxics. */
  async proxy(upstream: string, toxics: readonly LatencyToxic[]): Promise<string> {
    const name = `tgbench-${++this.#proxies}`;
    const created = (await this.#post("/proxies", {
      name,
      listen: "127.0.0.1:0",
      upstream,
      enabled: true,
    })) as {
      listen: string;
    };
    for (const toxic of toxics) {
      await this.#post(`/proxies/${name}/toxics`, {
        name: `latency-${toxic.stream}`,
        type: "latency",
        stream: toxic.stream,
        toxicity: 1,
        attributes: { latency: toxic.latencyMs, jitter: toxic.jitterMs },
      });
    }
    return created.listen;
  }

  /** Removes every proxy (closing their connections). */
  async reset(): Promise<void> {
    const proxies = (await (await fetch(`${this.#api}/proxies`)).json()) as Record<string, unknown>;
    for (const name of Object.keys(proxies))
      await fetch(`${this.#api}/proxies/${name}`, { method: "DELETE" });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    this.#child.kill("SIGTERM");
    await Promise.race([exited, sleep(2_000).then(() => this.#child.kill("SIGKILL"))]);
  }

  async #post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.#api}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`toxiproxy ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}
