import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openIssuer } from '../../src/credentials/open.ts';

describe('the issuer configuration', () => {
  it('names the variable when the public URL is not an http(s) URL', () => {
    expect(() => loadConfig({ LEDGER_PUBLIC_URL: 'ledger.example' })).toThrow(
      /LEDGER_PUBLIC_URL: must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ LEDGER_PUBLIC_URL: 'ftp://ledger.example' })).toThrow(/LEDGER_PUBLIC_URL/);
  });

  it('builds credential ids on LEDGER_PUBLIC_URL, or else on the address the server listens on', () => {
    const listening = () => 'http://127.0.0.1:4321';
    const configured = openIssuer(
      loadConfig({ LEDGER_STORE: 'memory', LEDGER_PUBLIC_URL: 'https://ledger.example/' }),
      listening,
    );
    expect(configured.id).toBe('https://ledger.example/credentials/issuer');
    const fallback = openIssuer(
      loadConfig({ LEDGER_STORE: 'memory', LEDGER_ISSUER_NAME: 'Bath Spa University' }),
      listening,
    );
    expect(fallback.id).toBe('http://127.0.0.1:4321/credentials/issuer');
    expect(fallback.profile().name).toBe('Bath Spa University');
    configured.store.close();
    fallback.store.close();
  });
});
