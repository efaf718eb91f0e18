import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { buildServer } from '../../src/server.ts';
import { changeOneByte, demoWithIssuer, studentNamed, withdrawAward } from '../support/credentials.ts';

// A third party verifies a credential offline with the command line, given the issuer's published keys
// and status list as files or URLs; the registry rotates the issuer's key with it.

const dir = mkdtempSync(join(tmpdir(), 'ledger-credentials-cli-'));
const issuerDb = join(dir, 'issuer.db');
const env = { ...process.env, LEDGER_ISSUER_DB: issuerDb };
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env, encoding: 'utf8' });
/** Without blocking the event loop, so this process's own server can answer the command's requests. */
const cliAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify-credential and issuer-key', () => {
  it('says valid, tampered and revoked with reasons and exit codes; old keys keep verifying after a rotation', async () => {
    const { ledger, issuer, credentials } = await demoWithIssuer(issuerDb);
    const dev = studentNamed(ledger, 'Dev Patel');
    const { issued } = await credentials.issue(dev);
    const api = file('credential.json', JSON.stringify(issued)); // as GET /students/:id/credentials gives it
    const keys = file('jwks.json', JSON.stringify(issuer.jwks()));
    const status = file('status.jwt', await credentials.statusList(1));

    const valid = cli('verify-credential', '--credential', api, '--keys', keys, '--status', status);
    expect(valid.status, valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/^VALID: National Award for SEN Coordination, urn:uuid:/);
    expect(valid.stdout).toContain('is clear');

    const tampered = cli(
      'verify-credential',
      '--credential',
      file('t.jwt', changeOneByte(issued.jwt!)),
      '--keys',
      keys,
    );
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toMatch(/^TAMPERED/);

    // Rotation: the old key is retired but stays in the published set.
    const rotated = cli('issuer-key', 'rotate');
    expect(rotated.status, rotated.stderr).toBe(0);
    const listed = cli('issuer-key', 'list');
    expect(listed.stdout).toContain(`${issued.kid}\tcreated`);
    expect(listed.stdout).toMatch(/retired .*\n.*current/);
    const published = cli('issuer-key', 'jwks');
    const jwks = JSON.parse(published.stdout) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(issued.kid);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);

    // Withdrawn: the issuer serves its keys and status list over HTTP, and the CLI reads them by URL.
    await withdrawAward(ledger, dev);
    const app = await buildServer({ ledger, tokens: new MemoryTokenStore(), logLevel: 'silent', issuer });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    try {
      const base = `http://127.0.0.1:${port}/credentials`;
      const revoked = await cliAsync(
        'verify-credential',
        '--credential',
        api,
        '--keys',
        `${base}/issuer/jwks.json`,
        '--status',
        `${base}/status/1`,
        '--json',
      );
      expect(revoked.status, revoked.stderr).toBe(1);
      const answer = JSON.parse(revoked.stdout);
      expect(answer).toMatchObject({ verdict: 'revoked', status: 'revoked', kid: issued.kid });
    } finally {
      await app.close();
      issuer.store.close();
    }
    const usage = cli('verify-credential', '--keys', keys);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('needs --credential and --keys');
  });
});
