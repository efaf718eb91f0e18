import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { buildServer } from '../../src/server.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { sampleBodies } from '../support/samples.ts';

describe('structured logs', () => {
  it('carry ids and statuses but never personal data or tokens', async () => {
    const ledger = new Ledger({
      store: new MemoryEventStore(),
      keys: new MemoryKeyStore(),
      reference: loadReferenceData(),
    });
    await ledger.start();
    const tokens = new MemoryTokenStore();
    const token = tokens.create({ id: 'registry-1', role: 'registry', label: 'test' });
    const stream = new PassThrough();
    let logs = '';
    stream.on('data', (chunk) => {
      logs += chunk.toString();
    });
    const app = await buildServer({ ledger, tokens, logLevel: 'info', logStream: stream });
    const created = await app.inject({
      method: 'POST',
      url: '/students',
      headers: { authorization: `Bearer ${token}` },
      payload: sampleBodies.submitApplication,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().studentId;
    await app.inject({
      method: 'GET',
      url: `/students/${id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    await app.inject({
      method: 'POST',
      url: '/students',
      headers: { authorization: `Bearer ${token}` },
      payload: { ...sampleBodies.submitApplication, personal: { fullName: 'Ada Lovelace', email: 'bad' } },
    });
    await app.close();
    const lines = logs
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(logs).toContain(id);
    for (const secret of ['Ada Lovelace', 'ada@school.example', '1984-12-10', '1234567', token])
      expect(logs).not.toContain(secret);
  });

  it('refuse a token sent in the URL, and log that URL with the token redacted', async () => {
    const ledger = new Ledger({
      store: new MemoryEventStore(),
      keys: new MemoryKeyStore(),
      reference: loadReferenceData(),
    });
    await ledger.start();
    const tokens = new MemoryTokenStore();
    const token = tokens.create({ id: 'registry-1', role: 'registry', label: 'test' });
    const stream = new PassThrough();
    let logs = '';
    stream.on('data', (chunk) => {
      logs += chunk.toString();
    });
    const app = await buildServer({ ledger, tokens, logLevel: 'info', logStream: stream });
    for (const url of [`/students?token=${token}`, `/students?access_token=${token}`, `/docs?x=${token}`]) {
      const reply = await app.inject({ method: 'GET', url });
      expect(reply.statusCode, url).toBe(401);
      expect(reply.json().error.code).toBe('token_in_url');
    }
    // Refused even with a good Authorization header beside it: the URL has leaked the token already.
    const both = await app.inject({
      method: 'GET',
      url: `/students?token=${token}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(both.statusCode).toBe(401);
    await app.close();
    expect(logs).not.toContain(token);
    expect(logs).toContain('/students?token=[redacted]');
    expect(logs).toContain('/docs?x=[redacted]');
  });
});

describe('the request log', () => {
  const requestLines = async (env: Record<string, string>) => {
    const ledger = new Ledger({
      store: new MemoryEventStore(),
      keys: new MemoryKeyStore(),
      reference: loadReferenceData(),
    });
    await ledger.start();
    const stream = new PassThrough();
    let logs = '';
    stream.on('data', (chunk) => {
      logs += chunk.toString();
    });
    const app = await buildServer({
      ledger,
      tokens: new MemoryTokenStore(),
      logLevel: loadConfig(env).LEDGER_LOG_LEVEL,
      logStream: stream,
    });
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/health' });
    await app.close();
    await ledger.stop();
    return logs.split('\n').filter(Boolean).length;
  };

  it('is quiet by default, so the token printed at start-up stays on screen; LEDGER_LOG_LEVEL turns it up', async () => {
    expect(await requestLines({})).toBe(0);
    expect(await requestLines({ LEDGER_LOG_LEVEL: 'info' })).toBe(6); // received and completed, per request
  });
});
