import type { Config } from '../config.ts';
import { Issuer } from './issuer.ts';
import { IssuerStore } from './issuer-store.ts';

/**
 * The issuer the configuration names: its keys and issued credentials in LEDGER_ISSUER_DB (in memory with
 * LEDGER_STORE=memory), under LEDGER_PUBLIC_URL, or else the address the server listens on.
 */
export function openIssuer(config: Config, listeningUrl: () => string): Issuer {
  const store = new IssuerStore(config.LEDGER_STORE === 'memory' ? ':memory:' : config.LEDGER_ISSUER_DB);
  return new Issuer(store, {
    name: config.LEDGER_ISSUER_NAME,
    publicUrl: config.LEDGER_PUBLIC_URL ? config.LEDGER_PUBLIC_URL : listeningUrl,
  });
}
