import { importJWK, type JSONWebKeySet, SignJWT } from 'jose';
import type { IssuerStore } from './issuer-store.ts';
import { type IssuerProfile, VC_JWT_TYPE } from './schema.ts';

// The provider as an issuer: its Open Badges profile, its published keys (a JWK set, retired keys
// included so old credentials verify) and signing with the current key. Credentials are secured with
// VC-JOSE-COSE: the credential itself is the JWS payload, `typ` is vc+jwt, `kid` names the key, and the
// registered claims repeat the credential's own issuer, id and validity (never contradicting them).

export interface IssuerOptions {
  /** The organisation named as issuer. */
  name: string;
  /** The public base URL under which /credentials/... is served: ids and links are built on it. */
  publicUrl: string | (() => string);
}

export class Issuer {
  constructor(
    readonly store: IssuerStore,
    private readonly options: IssuerOptions,
  ) {}

  get base(): string {
    const url =
      typeof this.options.publicUrl === 'function' ? this.options.publicUrl() : this.options.publicUrl;
    return url.replace(/\/+$/, '');
  }

  get id(): string {
    return `${this.base}/credentials/issuer`;
  }

  profile(): IssuerProfile {
    return {
      id: this.id,
      type: ['Profile'],
      name: this.options.name,
      url: this.base,
      description: `Issues Open Badges 3.0 credentials for awards conferred on the ledger's decisions; public keys at ${this.jwksUrl()}.`,
    };
  }

  jwksUrl(): string {
    return `${this.id}/jwks.json`;
  }

  jwks(): JSONWebKeySet {
    return { keys: this.store.keys().map((k) => k.publicJwk) };
  }

  /** Signs a credential (or status list credential) with the current key. */
  async sign(
    credential: { id: string; validFrom: string },
    now: Date,
  ): Promise<{ jwt: string; kid: string }> {
    const { kid, privateJwk } = await this.store.currentKey(now);
    const key = await importJWK(privateJwk, 'EdDSA');
    const at = Math.floor(Date.parse(credential.validFrom) / 1000);
    const jwt = await new SignJWT(credential as unknown as Record<string, unknown>)
      .setProtectedHeader({ alg: 'EdDSA', typ: VC_JWT_TYPE, cty: 'vc', kid })
      .setIssuer(this.id)
      .setJti(credential.id)
      .setIssuedAt(at)
      .setNotBefore(at)
      .sign(key);
    return { jwt, kid };
  }
}
