/**
 * Consumer accounts of the sample tenant: `<uuid>@contosob2c.onmicrosoft.com`, a home place, a usual device
 * and a sign-in identity provider. Background traffic and planted scenarios draw from separate pools, so that
 * no background record ever touches an account a scenario uses.
 */
import type { Rng } from './prng.js';
import {
  CONSUMER_CLIENTS, FIRST_NAMES, HOME_PLACES, LAST_NAMES, TENANT_DOMAIN, ipIn,
  type Client, type Place,
} from './world.js';

export interface Consumer {
  upn: string;
  id: string;
  displayName: string;
  home: Place;
  homeIp: string;
  client: Client;
  /** "local" (email + password) or a social identity provider */
  idp: 'local' | 'facebook.com' | 'google.com';
  customerNumber: string;
}

export function makeConsumer(rng: Rng): Consumer {
  const home = rng.weighted(HOME_PLACES);
  const id = rng.uuid();
  return {
    upn: `${rng.uuid()}@${TENANT_DOMAIN}`,
    id,
    displayName: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
    home,
    homeIp: ipIn(home, rng),
    client: rng.weighted(CONSUMER_CLIENTS),
    idp: rng.weighted([['local', 70], ['facebook.com', 15], ['google.com', 15]] as const),
    customerNumber: `C${rng.digits(9)}`,
  };
}

/** A pool of consumers; `take()` hands out accounts no other caller receives. */
export class ConsumerPool {
  private readonly reserved: Consumer[] = [];
  readonly all: Consumer[];

  constructor(size: number, private readonly rng: Rng) {
    this.all = Array.from({ length: size }, () => makeConsumer(rng));
  }

  pick(): Consumer {
    return this.rng.pick(this.all);
  }

  /** A fresh account outside the shared pool (for scenarios). */
  take(): Consumer {
    const c = makeConsumer(this.rng);
    this.reserved.push(c);
    return c;
  }
}
