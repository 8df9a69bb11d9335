/**
 * Redis connections for the cluster (ioredis, as BullMQ needs them): `redis://[:password@]host:port[/db]`
 * or `rediss://…` for TLS. Every connection made here is closed by its owner (worker or submitter),
 * so nothing keeps the process alive after the work is done.
 * @module
 */
import IORedis, { type Redis } from 'ioredis';
import { FileError, ValueError, message } from '../core/errors.js';

/** The URL with any password replaced by `***` (for messages and logs). */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_m, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? auth.slice(0, auth.indexOf(':') + 1) + '***' : '***'}@`);
}

/**
 * Opens a connection to the Redis at `url` (`redis://` or `rediss://` for TLS; a password as
 * `redis://:secret@host:port`, a user as `redis://user:secret@host:port`), waits until it answers
 * PING, and returns it. Commands wait while the connection is re-established (BullMQ's requirement).
 * TLS checks the server's certificate against Node's CAs; for a private CA start the process with
 * `NODE_EXTRA_CA_CERTS=ca.pem`.
 * @throws ValueError for a URL of another scheme; an Error naming the (redacted) URL when Redis
 *   does not answer within `timeoutMs` (default 10 s) or refuses the password.
 */
export async function connectRedis(url: string, timeoutMs = 10000): Promise<Redis> {
  const fn = 'connectRedis';
  if (typeof url !== 'string' || !/^rediss?:\/\/[^\s]+$/.test(url)) throw new ValueError(message(fn, 'the Redis URL must be redis://[:password@]host:port or rediss://… (TLS)', typeof url === 'string' ? redactUrl(url) : url));
  const conn = new IORedis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  let lastError: Error | undefined;
  conn.on('error', (err: Error) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      conn.connect().then(() => conn.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    conn.disconnect();
    throw new FileError(`${fn}: Redis at ${redactUrl(url)} must be reachable and accept the credentials; got ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return conn;
}
