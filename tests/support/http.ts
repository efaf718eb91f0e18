import type { FastifyInstance } from 'fastify';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { buildServer, type ServerOptions } from '../../src/server.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import type { EventStore } from '../../src/store/port.ts';

export type Who =
  | 'anonymous'
  | 'registry'
  | 'admin'
  | 'tutor'
  | 'otherTutor'
  | 'examiner'
  | 'otherExaminer'
  | 'student'
  | 'otherStudent';

/** The API in-process over the demo data, with a token for every kind of caller. */
export async function demoServer(
  options: Pick<ServerOptions, 'onRoute' | 'idempotency'> & { store?: EventStore } = {},
): Promise<{
  app: FastifyInstance;
  ledger: Ledger;
  tokens: Record<Who, string | null>;
  studentId: string;
  otherStudentId: string;
  tokenStore: MemoryTokenStore;
}> {
  const ledger = new Ledger({
    store: options.store ?? new MemoryEventStore(),
    keys: new MemoryKeyStore(),
    reference: loadReferenceData(),
  });
  await ledger.start();
  await loadDemo(ledger);
  const ids = ledger.queries.studentIds('blended-2024-spring-online');
  const studentId = ids[0]!;
  const otherStudentId = ids[1]!;
  const store = new MemoryTokenStore();
  const t = (id: string, role: 'registry' | 'admin' | 'tutor' | 'examiner' | 'student') =>
    store.create({ id, role, label: 'test' });
  const tokens: Record<Who, string | null> = {
    anonymous: null,
    registry: t('registry-officer-1', 'registry'),
    admin: t('admin-1', 'admin'),
    tutor: t('tutor-1', 'tutor'),
    otherTutor: t('tutor-99', 'tutor'),
    examiner: t('examiner-1', 'examiner'),
    otherExaminer: t('examiner-99', 'examiner'),
    student: t(studentId, 'student'),
    otherStudent: t(otherStudentId, 'student'),
  };
  const app = await buildServer({
    ledger,
    tokens: store,
    logLevel: 'silent',
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
    ...(options.idempotency ? { idempotency: options.idempotency } : {}),
  });
  await app.ready();
  return { app, ledger, tokens, studentId, otherStudentId, tokenStore: store };
}

export function auth(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
