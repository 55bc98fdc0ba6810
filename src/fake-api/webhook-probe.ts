import { connect } from "node:net";

/** The outcome of setWebhook's probe: the address it connected to, or why it could not. */
export type ProbeResult = { ok: true; ipAddress: string } | { ok: false; reason: string };

/**
 * setWebhook's check: one TCP connection to the URL's host and port. Resolves with the IP address
 * it connected to (what getWebhookInfo reports as `ip_address`, also for a host name), or the
 * reason as telegram-bot-api words it.
 */
export function probeWebhook(url: URL, timeoutMs: number): Promise<ProbeResult> {
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => finish({ ok: false, reason: "Connection timed out" }), timeoutMs);
    function finish(result: ProbeResult) {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once("connect", () => finish({ ok: true, ipAddress: socket.remoteAddress ?? host }));
    socket.once("error", (error) => finish({ ok: false, reason: describeNetworkError(error) }));
  });
}

export function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case "ECONNREFUSED":
      return "Connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "Failed to resolve host: Name or service not known";
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
    case "ETIMEDOUT":
      return "Read timeout expired";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return "Webhook connection closed";
    default:
      return `Webhook connection closed${code === undefined ? "" : ` (${code})`}`;
  }
}
