import { createHmac, hkdfSync } from 'node:crypto';
import type { Context } from 'hono';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimited, RateLimiter } from '../app-deps';
import type { Config } from '../config/config-schema';
import { clientIp, nodeRemoteAddress, type ProxyTrust, type RemoteAddressResolver } from './client-ip';
import { MemoryCounters } from './memory-counters';

export interface RateLimiterOptions {
  readonly rateLimits: Config['rateLimits'];
  /** Which X-Forwarded-For hop is the client (config trustedProxies / trustedProxyAddresses). */
  readonly proxies: ProxyTrust;
  /**
   * Keys the hash of id numbers. Instances sharing Redis must share it (config.linkSecret does): Redis
   * keys are readable by anyone with access to Redis, and an unkeyed sha256 of a 5–15 digit number is
   * reversed by trying them all.
   */
  readonly idHashSecret: string;
  /** Shared limits across instances (REDIS_URL); absent → per-process memory. */
  readonly redis?: Redis;
  /** Namespace of the Redis keys; tests give each run its own. */
  readonly keyPrefix?: string;
  readonly remoteAddress?: RemoteAddressResolver;
}

const IP_WINDOW_SECONDS = 60;
const ID_WINDOW_SECONDS = 600;
const AUTH_WINDOW_SECONDS = 600;

/**
 * Lookup limits (docs/spec/http-api.md 429): per client address, so one client cannot sweep id numbers, and per
 * merchant + id number across all addresses, so a botnet cannot either.
 *
 * With Redis the counters are shared by every instance (atomic Lua in rate-limiter-flexible). If Redis is
 * down or not yet connected, each call falls to an in-memory insurance limiter with the same limits
 * (`rejectIfRedisNotReady`, so nothing waits on ioredis' offline queue): lookups keep working and stay
 * limited, but per instance, so during an outage a client gets up to N× the limit across N instances.
 * Failing closed would instead turn a Redis outage into a portal outage.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const prefix = options.keyPrefix ?? 'saldo:rl';
  const perIp = limiter(options, `${prefix}:ip`, options.rateLimits.lookupsPerIpPerMinute, IP_WINDOW_SECONDS);
  const paymentReads = limiter(
    options,
    `${prefix}:payment`,
    options.rateLimits.paymentReadsPerIpPerMinute,
    IP_WINDOW_SECONDS,
  );
  const authPoints = options.rateLimits.merchantAuthFailuresPerIpPer10Minutes;
  const authFailures = limiter(options, `${prefix}:auth`, authPoints, AUTH_WINDOW_SECONDS);
  const perId = limiter(
    options,
    `${prefix}:id`,
    options.rateLimits.lookupsPerIdPer10Minutes,
    ID_WINDOW_SECONDS,
  );
  // On Redis an id number is keyed by its HMAC: Redis keys are readable by whoever reaches Redis. In memory
  // the counters sit beside the ERP answers this process keeps (which name the payer and the id) and go
  // with the process, so the HMAC (3–6 µs per lookup, more under load) would protect nothing.
  const hashKey = options.redis
    ? Buffer.from(hkdfSync('sha256', options.idHashSecret, 'saldo-rate-limit', 'id-number v1', 32))
    : null;
  const idKey = (merchantId: string, idNumber: string) =>
    hashKey
      ? `${merchantId}:${createHmac('sha256', hashKey).update(`${merchantId}\0${idNumber}`).digest('base64url')}`
      : `${merchantId}\0${idNumber}`;
  const remoteAddress = options.remoteAddress ?? nodeRemoteAddress;
  const ipKey = (c: Context) => addressKey(clientIp(c, options.proxies, remoteAddress));

  return {
    async consumeLookup(c, merchantId, idNumber) {
      const byIp = await perIp.consume(ipKey(c));
      if (byIp) return byIp;
      return perId.consume(idKey(merchantId, idNumber));
    },
    consumePaymentRead: (c) => paymentReads.consume(ipKey(c)),
    // Only failures count, so a merchant's own traffic is never limited by its volume; once an address has
    // used up its failures it is refused before its token is even compared, correct token or not.
    async merchantAuthBlocked(c) {
      const state = await authFailures.hits(ipKey(c));
      if (!state || state.hits < authPoints) return null;
      return { retryAfterSeconds: retryAfter(state.msBeforeNext) };
    },
    async merchantAuthFailed(c) {
      await authFailures.consume(ipKey(c));
    },
  };
}

/** One limit: points per window, on Redis (shared by the instances) or in this process's memory. */
interface Limit {
  /** Counts one hit: null while within the limit, else when to come back. */
  consume(key: string): Promise<RateLimited | null>;
  /** The hits counted in the key's live window, without counting one. */
  hits(key: string): Promise<{ hits: number; msBeforeNext: number } | null>;
}

function limiter(options: RateLimiterOptions, keyPrefix: string, points: number, duration: number): Limit {
  if (!options.redis) {
    const counters = new MemoryCounters(points, duration * 1000);
    return {
      consume(key) {
        const over = counters.hit(key);
        return Promise.resolve(over ? { retryAfterSeconds: retryAfter(over.msBeforeNext) } : null);
      },
      hits: (key) => Promise.resolve(counters.peek(key)),
    };
  }
  const rl = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix,
    points,
    duration,
    rejectIfRedisNotReady: true,
    // Only while Redis is down: its timer per key (what MemoryCounters avoids) is of no weight then.
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}:insurance`, points, duration }),
  });
  return {
    async consume(key) {
      try {
        await rl.consume(key);
        return null;
      } catch (rejection) {
        // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, with an Error when the store
        // failed (only possible if the insurance limiter failed too): that one is a real fault, not a 429.
        if (rejection instanceof RateLimiterRes)
          return { retryAfterSeconds: retryAfter(rejection.msBeforeNext) };
        throw rejection;
      }
    },
    async hits(key) {
      const state = await rl.get(key);
      return state ? { hits: state.consumedPoints, msBeforeNext: state.msBeforeNext } : null;
    },
  };
}

const retryAfter = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));

/**
 * One IPv6 host usually owns a whole /64 and can pick any address in it, so IPv6 clients are counted per
 * /64; IPv4 (and the 'unknown' placeholder) per address.
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const hextets = expandIpv6(ip);
  return hextets ? `${hextets.slice(0, 4).join(':')}::/64` : ip;
}

function expandIpv6(ip: string): string[] | null {
  let text = ip;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return all.map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The Redis client for shared limits (server.ts passes REDIS_URL). Errors are reported through `onError`
 * instead of ioredis' default console output; lookups meanwhile use the insurance limiter.
 * The caller closes it (`quit()`) on shutdown.
 */
export function createRateLimitRedis(url: string, onError: (err: Error) => void): Redis {
  const redis = new Redis(url, {
    // A limiter call must not queue behind a dead connection; rejectIfRedisNotReady sends it to memory.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  redis.on('error', onError);
  return redis;
}
