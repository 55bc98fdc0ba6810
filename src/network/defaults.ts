/**
 * Every default and bound of the network emulation, in one place (units in the names). Options are
 * resolved against these once, in options.ts.
 */
export const NETWORK_DEFAULTS = {
  /** The network a run uses when none is named: the bare machine, no relay at all. */
  preset: "loopback",
  /**
   * Whether a new connection pays a TLS handshake after TCP's. Both of a bot's paths to Telegram
   * are HTTPS: the Bot API is served at https://api.telegram.org, and telegram-bot-api refuses a
   * plain-HTTP webhook ("An HTTPS URL must be provided for webhook", WebhookActor::WebhookActor).
   */
  https: true,
  /** Jitter of a network given by `rttMs` alone (presets bring their own). */
  jitterMs: 0,
  /** Share of TCP segments lost in each direction, percent. */
  lossPercent: 0,
  /** Per connection and direction; `null` = not limited. */
  bandwidthMbitPerSecond: null as number | null,
  /** Seed of the jitter and loss draws when the caller gives none. */
  seed: "tgbench",
} as const;

/** Bounds that keep a profile meaningful; values outside are a usage error. */
export const NETWORK_LIMITS = {
  maxRttMs: 10_000,
  maxJitterMs: 5_000,
  /** Loss is per segment and each lost one waits for a timeout; above this a run measures little else. */
  maxLossPercent: 50,
  minBandwidthMbitPerSecond: 0.01,
  maxBandwidthMbitPerSecond: 100_000,
} as const;

/**
 * TCP's timing constants as Linux has them (include/net/tcp.h): TCP_RTO_MIN = HZ/5,
 * TCP_RTO_MAX = 120·HZ, TCP_TIMEOUT_INIT = 1·HZ ("RFC6298 2.1 initial RTO value").
 */
export const TCP = {
  /** The smallest retransmission timeout (Linux TCP_RTO_MIN); RFC 6298 (2.4) says 1 s, Linux uses 200 ms. */
  minRtoMs: 200,
  /** The largest, after exponential backoff (Linux TCP_RTO_MAX; RFC 6298 (2.5) allows ≥ 60 s). */
  maxRtoMs: 120_000,
  /** The timeout of a lost SYN or SYN-ACK, before any RTT is measured (RFC 6298 (2.1), Linux TCP_TIMEOUT_INIT). */
  initialRtoMs: 1_000,
  /** Segment payload: a 1500-byte Ethernet MTU less 20 (IPv4) + 20 (TCP) + 12 (timestamp option). */
  mssBytes: 1_448,
  /** Round trips before the first request: the three-way handshake's SYN / SYN-ACK (RFC 9293 §3.5). */
  handshakeRoundTrips: 1,
  /** A full TLS 1.3 handshake: ClientHello → ServerHello…Finished, one round trip (RFC 8446 §2). */
  tls13HandshakeRoundTrips: 1,
} as const;

/** How the relay's single timer is kept honest (see delivery-queue.ts). */
export const RELAY_DEFAULTS = {
  /** Host the relay listens on; loopback only. */
  host: "127.0.0.1",
  /**
   * Node's setTimeout has millisecond granularity and fires up to ~1 ms early or late; to deliver
   * a chunk no earlier and hardly later than its due time, the queue polls with setImmediate for
   * the last millisecond. That busy-wait is limited to this share of wall time (per second);
   * past it, the queue falls back to a 1 ms timer (lateness ≤ ~1 ms, counted in the stats).
   */
  spinBudgetShare: 0.05,
  /** Pause reading a direction when this many bytes wait in the relay for it (TCP's window, roughly). */
  highWaterBytes: 4 * 1024 * 1024,
  /** Resume reading once the backlog falls to this. */
  lowWaterBytes: 1024 * 1024,
} as const;
