import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { buildServer } from '../../src/server.ts';
import { MemoryIdempotencyKeys, SqliteIdempotencyKeys } from '../../src/store/idempotency.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { auth, demoServer } from '../support/http.ts';
import { sampleBodies } from '../support/samples.ts';

// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on every command: a retry with the key
// gives the first answer (status, body, ETag) and writes nothing; the key with another request is
// refused (422); a key whose request is still running gets 409; keys are the caller's own, outlive a
// restart, and what is kept of an answer holds no personal data.

const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-idempotency-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const visit = (name: string) => ({
  school: { name },
  phase: 'primary',
  visitedOn: '2024-02-01',
  moduleCode: 'M1',
  hours: 2,
});

describe('a command sent again with its Idempotency-Key', () => {
  it('gives the first answer (status, body, ETag) and writes nothing', async () => {
    const { app, ledger, tokens, studentId } = await demoServer();
    const send = () =>
      app.inject({
        method: 'POST',
        url: `/students/${studentId}/record-partner-school-visit`,
        headers: { ...auth(tokens.tutor), 'idempotency-key': '"c1f0a0d2-6b1e-4f7e-9c55-1a2b3c4d5e6f"' },
        payload: visit('Oak Primary'),
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    const head = await ledger.store.headPosition();
    const visits = ledger.queries.record(studentId).visits.length;
    for (let i = 0; i < 3; i++) {
      const again = await send();
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['idempotent-replayed']).toBe('true');
    }
    expect(await ledger.store.headPosition()).toBe(head);
    expect(ledger.queries.record(studentId).visits).toHaveLength(visits);
    // Without the key, the same body is a new command (a second visit, on purpose).
    const unkeyed = await app.inject({
      method: 'POST',
      url: `/students/${studentId}/record-partner-school-visit`,
      headers: auth(tokens.tutor),
      payload: visit('Oak Primary'),
    });
    expect(unkeyed.statusCode).toBe(201);
    expect(unkeyed.headers['idempotent-replayed']).toBeUndefined();
    expect(ledger.queries.record(studentId).visits).toHaveLength(visits + 1);
  });

  it('an application sent twice with its key creates one student', async () => {
    const { app, ledger, tokens } = await demoServer();
    const before = [...ledger.queries.records()].length;
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/students',
        headers: { ...auth(tokens.registry), 'idempotency-key': 'application-2024-0001' },
        payload: sampleBodies.submitApplication,
      });
    const [first, second] = [await send(), await send()];
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().studentId).toBe(first.json().studentId);
    expect([...ledger.queries.records()]).toHaveLength(before + 1);
  });

  it('the same key with another body, URL or method is refused 422 and writes nothing', async () => {
    const { app, ledger, tokens, studentId, otherStudentId } = await demoServer();
    const send = (name: string, url = `/students/${studentId}/record-partner-school-visit`) =>
      app.inject({
        method: 'POST',
        url,
        headers: { ...auth(tokens.tutor), 'idempotency-key': 'visit-1' },
        payload: visit(name),
      });
    expect((await send('Oak Primary')).statusCode).toBe(201);
    const head = await ledger.store.headPosition();
    for (const refusedAnswer of [
      await send('Elm Primary'),
      await send('Oak Primary', `/students/${otherStudentId}/record-partner-school-visit`),
    ]) {
      expect(refusedAnswer.statusCode).toBe(422);
      expect(refusedAnswer.json().error).toMatchObject({ kind: 'refused', code: 'idempotency_key_reused' });
    }
    expect(await ledger.store.headPosition()).toBe(head);
  });

  it('a key is the caller’s own: another caller with the same key is another request', async () => {
    const { app, ledger, tokens, tokenStore, studentId } = await demoServer();
    const cohortId = ledger.queries.record(studentId).enrolment!.cohortId;
    await app.inject({
      method: 'POST',
      url: `/cohorts/${cohortId}/staff`,
      headers: auth(tokens.registry),
      payload: { staffId: 'tutor-99', role: 'tutor' },
    });
    const send = (token: string | null, name: string) =>
      app.inject({
        method: 'POST',
        url: `/students/${studentId}/record-partner-school-visit`,
        headers: { ...auth(token), 'idempotency-key': 'shared-key' },
        payload: visit(name),
      });
    expect((await send(tokens.tutor, 'Oak Primary')).statusCode).toBe(201);
    const other = await send(tokens.otherTutor, 'Elm Primary');
    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    // A second token of the same person (same role and id) is the same caller.
    const again = await send(
      tokenStore.create({ id: 'tutor-1', role: 'tutor', label: 'laptop' }),
      'Oak Primary',
    );
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('a key whose request is still running gets 409 with Retry-After; afterwards, the answer', async () => {
    const store = new MemoryEventStore();
    const { app, tokens, studentId } = await demoServer({ store });
    // The first request's append is held until the second has been answered.
    let letGo = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let reached = () => {};
    const appending = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const append = store.append.bind(store);
    store.append = async (...args) => {
      reached();
      await held;
      return append(...args);
    };
    const send = () =>
      app.inject({
        method: 'POST',
        url: `/students/${studentId}/record-partner-school-visit`,
        headers: { ...auth(tokens.tutor), 'idempotency-key': 'in-flight' },
        payload: visit('Oak Primary'),
      });
    const first = send().then((answer) => answer);
    await appending;
    const busy = await send();
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('idempotency_key_in_flight');
    expect(busy.headers['retry-after']).toBe('1');
    letGo();
    expect((await first).statusCode).toBe(201);
    const later = await send();
    expect(later.statusCode).toBe(201);
    expect(later.json()).toEqual((await first).json());
  });

  it('a refused command keeps nothing: the key is free for the corrected request', async () => {
    const { app, tokens, studentId } = await demoServer();
    const send = (moduleCode: string) =>
      app.inject({
        method: 'POST',
        url: `/students/${studentId}/record-partner-school-visit`,
        headers: { ...auth(tokens.tutor), 'idempotency-key': 'corrected' },
        payload: { ...visit('Oak Primary'), moduleCode },
      });
    const wrong = await send('M9');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).not.toBe('idempotency_key_reused');
    const right = await send('M1');
    expect(right.statusCode).toBe(201);
  });

  it('a malformed key is refused (400) naming the header', async () => {
    const { app, tokens, studentId } = await demoServer();
    for (const key of ['', 'a'.repeat(256), 'two\\words', 'caf\u00e9']) {
      const answer = await app.inject({
        method: 'POST',
        url: `/students/${studentId}/record-partner-school-visit`,
        headers: { ...auth(tokens.tutor), 'idempotency-key': key },
        payload: visit('Oak Primary'),
      });
      expect(answer.statusCode, key).toBe(400);
      expect(answer.json().error.issues[0].field).toBe('headers.idempotency-key');
    }
  });
});

describe('Idempotency-Keys kept in their own SQLite file', () => {
  async function open(dir: string, first: boolean) {
    const ledger = new Ledger({
      store: new SqliteEventStore({ path: join(dir, 'ledger.db') }),
      keys: new MemoryKeyStore(),
      reference: loadReferenceData(),
    });
    await ledger.start();
    if (first) await loadDemo(ledger);
    const tokens = new MemoryTokenStore();
    const idempotency = new SqliteIdempotencyKeys(join(dir, 'idempotency.db'), {
      lifetimeMs: 24 * 3_600_000,
      inFlightMs: 600_000,
    });
    const app = await buildServer({ ledger, tokens, idempotency, logLevel: 'silent' });
    const registry = tokens.create({ id: 'registry-officer-1', role: 'registry', label: 'test' });
    const close = async () => {
      await app.close();
      await ledger.stop();
      idempotency.close();
    };
    return { app, ledger, registry, close };
  }

  it('outlive a restart, and keep ids and positions only, never personal data', async () => {
    const dir = tmp();
    const one = await open(dir, true);
    const send = (app: typeof one.app, token: string) =>
      app.inject({
        method: 'POST',
        url: '/students',
        headers: { ...auth(token), 'idempotency-key': 'application-after-restart' },
        payload: sampleBodies.submitApplication,
      });
    const first = await send(one.app, one.registry);
    expect(first.statusCode).toBe(201);
    await one.close();

    const two = await open(dir, false);
    const head = await two.ledger.store.headPosition();
    const again = await send(two.app, two.registry);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await two.ledger.store.headPosition()).toBe(head);
    await two.close();

    const db = new Database(join(dir, 'idempotency.db'), { readonly: true });
    const rows = db.prepare('SELECT scope, key, answer FROM idempotency_keys').all() as {
      answer: string;
    }[];
    db.close();
    expect(rows).toHaveLength(1);
    const kept = rows[0]!.answer;
    const { personal, school } = sampleBodies.submitApplication as {
      personal: Record<string, string>;
      school: { name: string };
    };
    for (const clear of [personal.fullName, personal.email, personal.teacherReferenceNumber, school.name])
      expect(kept).not.toContain(clear);
    const sealed = first.json().events[0].data.personal.ct as string;
    expect(kept).not.toContain(sealed);
    expect(JSON.parse(kept)).toMatchObject({ status: 201, body: { kind: 'command', count: 1 } });
  });

  it('are forgotten after their lifetime; a key left in flight by a dead process is free after ten minutes', () => {
    const times = { lifetimeMs: 1000, inFlightMs: 100 };
    for (const keys of [
      new SqliteIdempotencyKeys(join(tmp(), 'keys.db'), times),
      new MemoryIdempotencyKeys(times),
    ]) {
      expect(keys.begin('tutor:t1', 'k', 'f1', 0)).toEqual({ state: 'new' });
      expect(keys.begin('tutor:t1', 'k', 'f1', 50)).toEqual({ state: 'in_flight', since: 0 });
      expect(keys.begin('tutor:t1', 'k', 'f1', 100)).toEqual({ state: 'new' }); // abandoned, claimed again
      keys.complete('tutor:t1', 'k', '{"answer":1}');
      expect(keys.begin('tutor:t1', 'k', 'f1', 1099)).toEqual({ state: 'done', answer: '{"answer":1}' });
      expect(keys.begin('tutor:t1', 'k', 'f2', 1099)).toEqual({ state: 'mismatch' });
      expect(keys.begin('tutor:t1', 'k', 'f2', 1100)).toEqual({ state: 'new' }); // expired: a new key
      keys.close();
    }
  });

  it('their file and lifetime are configured strictly', () => {
    expect(loadConfig({}).LEDGER_IDEMPOTENCY_HOURS).toBe(24);
    expect(loadConfig({ LEDGER_IDEMPOTENCY_HOURS: '72' }).LEDGER_IDEMPOTENCY_HOURS).toBe(72);
    for (const bad of ['0', '721', '24h', '1e2', ' 24'])
      expect(() => loadConfig({ LEDGER_IDEMPOTENCY_HOURS: bad }), bad).toThrow(/LEDGER_IDEMPOTENCY_HOURS/);
    expect(() =>
      loadConfig({ LEDGER_IDEMPOTENCY_DB: './data/ledger.db', LEDGER_DB: './data/ledger.db' }),
    ).toThrow(/LEDGER_IDEMPOTENCY_DB: names the same file as LEDGER_DB/);
  });
});
