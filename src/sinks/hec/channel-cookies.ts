/**
 * Sticky sessions for HEC behind a load balancer. Indexer acknowledgments live on the indexer that took the request,
 * so every request of a channel (its data and its ack polls) must reach that same indexer; load balancers in front
 * of HEC pin a client with a cookie set on their first answer (Splunk: "channels need sticky sessions"). The jar
 * keeps the cookies each channel was given and sends them back with that channel's requests only, so each channel
 * is pinned on its own and the channels of one URL still spread over the indexers. A rotated channel starts with no
 * cookie and is pinned afresh. Cookies are parsed by undici; Domain and Path are not checked (one origin per jar,
 * every HEC path sits under /services/collector). Cookie values are never logged.
 */
import { parseCookie } from 'undici';

interface StoredCookie {
  value: string;
  /** epoch ms after which the cookie is dropped; Infinity for a session cookie */
  expiresAt: number;
}

export class ChannelCookies {
  private readonly jars = new Map<string, Map<string, StoredCookie>>();

  /** The Cookie header value for the channel's next request, or undefined when it has none. */
  header(channel: string, now = Date.now()): string | undefined {
    const jar = this.jars.get(channel);
    if (!jar) return undefined;
    const parts: string[] = [];
    for (const [name, c] of jar) {
      if (c.expiresAt <= now) jar.delete(name);
      else parts.push(`${name}=${c.value}`);
    }
    return parts.length > 0 ? parts.join('; ') : undefined;
  }

  /** Keeps the cookies of an answer's Set-Cookie header(s) for the channel (Max-Age=0 or a past Expires drops one). */
  remember(channel: string, setCookie: string | string[] | undefined, now = Date.now()): void {
    if (setCookie === undefined) return;
    for (const text of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const cookie = parseCookie(text);
      if (!cookie || cookie.name === '') continue;
      let expiresAt = Infinity;
      if (cookie.maxAge !== undefined) expiresAt = now + cookie.maxAge * 1000;
      else if (cookie.expires !== undefined) expiresAt = cookie.expires instanceof Date ? cookie.expires.getTime() : cookie.expires;
      let jar = this.jars.get(channel);
      if (expiresAt <= now) {
        jar?.delete(cookie.name);
        continue;
      }
      if (!jar) this.jars.set(channel, (jar = new Map()));
      jar.set(cookie.name, { value: cookie.value, expiresAt });
    }
  }

  /** Drops the channel's cookies (the channel was rotated). */
  forget(channel: string): void {
    this.jars.delete(channel);
  }
}
