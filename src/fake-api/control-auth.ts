import { timingSafeEqual } from "node:crypto";
import { hostname, networkInterfaces } from "node:os";
import type { FastifyRequest } from "fastify";
import { ApiError } from "./errors.ts";

/** The header a control request carries the token in. */
export const CONTROL_TOKEN_HEADER = "x-tgbench-control-token";

/** Host names that always mean this machine. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** Addresses that mean "every interface": then each interface's address is this server's too. */
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]", ""]);

/**
 * Who may use the control API over HTTP. Any web page the user opens can send requests to
 * loopback, so a request must:
 * - carry the per-process secret in `X-Tgbench-Control-Token` (a browser cannot add that header
 *   to a cross-site form, and a cross-site fetch with it needs a CORS preflight we never grant);
 * - name this server in `Host` (a DNS-rebinding page's Host is its own name);
 * - not come from another site by the browser's own account (`Sec-Fetch-Site`, `Origin`).
 * Returns the error to answer with, or undefined when the request may go on.
 */
export function checkControlRequest(
  req: FastifyRequest,
  token: string,
  boundHost: string,
): ApiError | undefined {
  const host = req.headers.host;
  if (host === undefined || !isOwnHost(host, boundHost)) {
    return new ApiError(403, "Forbidden: the Host header does not name this tgbench server");
  }
  const fetchSite = req.headers["sec-fetch-site"];
  if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none") {
    return new ApiError(403, "Forbidden: cross-site requests to the control API are refused");
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, boundHost)) {
    return new ApiError(403, "Forbidden: cross-site requests to the control API are refused");
  }
  const given = req.headers[CONTROL_TOKEN_HEADER];
  if (typeof given !== "string" || !sameSecret(given, token)) {
    return new ApiError(
      401,
      `Unauthorized: send the control token that tgbench serve printed in the X-Tgbench-Control-Token header`,
    );
  }
  return undefined;
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The name of a Host header (or an origin's host) is one of this server's. The name is what a
 * rebinding page cannot fake (its Host is its own domain); the port is not checked.
 */
function isOwnHost(hostHeader: string, boundHost: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return match !== null && ownHostNames(boundHost).has(match[1]!);
}

function isOwnOrigin(origin: string, boundHost: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed page, a file) included
  }
  if (url.protocol !== "http:") return false;
  return isOwnHost(url.host, boundHost);
}

/** The names this server answers to: loopback, its bound address, and every interface's when bound to all. */
function ownHostNames(boundHost: string): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  const bound = boundHost.toLowerCase();
  names.add(bound.includes(":") && !bound.startsWith("[") ? `[${bound}]` : bound);
  if (WILDCARD_HOSTS.has(bound)) {
    names.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address, family } of addresses ?? []) {
        names.add(family === "IPv6" ? `[${address.toLowerCase()}]` : address);
      }
    }
  }
  return names;
}
