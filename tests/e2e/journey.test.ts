import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real server on a real port, started as a user starts it, driven over HTTP through a whole student
// journey from application to conferral; then restarted on the same files to show nothing was lost.

const dir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
const env = {
  ...process.env,
  PORT: '0',
  LEDGER_DEMO: '0',
  LEDGER_DB: join(dir, 'ledger.db'),
  LEDGER_KEYS_DB: join(dir, 'keys.db'),
  LEDGER_AUTH_DB: join(dir, 'auth.db'),
  LEDGER_LOG_LEVEL: 'warn',
};

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`ledger ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, url };
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('a student journey over HTTP, from application to conferral', () => {
  const tokens: Record<string, string> = {};
  let server: { child: ChildProcess; url: string };
  beforeAll(async () => {
    cli('init');
    tokens.registry = cli('token', 'create', '--role', 'registry', '--id', 'reg-jane');
    tokens.tutor = cli('token', 'create', '--role', 'tutor', '--id', 'tutor-sam');
    tokens.admin = cli('token', 'create', '--role', 'admin', '--id', 'admin-lee');
    // the external examiner can sign in, so may be assigned to the cohort and sit at its board
    cli('token', 'create', '--role', 'examiner', '--id', 'ext-1');
    server = await start();
  }, 60_000);
  afterAll(async () => {
    if (server?.child.exitCode === null) await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text.startsWith('{') ? JSON.parse(text) : text,
    };
  }
  async function ok(who: string, path: string, body: unknown) {
    const r = await call(who, 'POST', path, body);
    if (r.status !== 201) throw new Error(`POST ${path} -> ${r.status}: ${JSON.stringify(r.json)}`);
    return r.json;
  }

  it('registers, teaches, marks, ratifies and confers; the award is reproducible and the log verifies', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const cohortId = 'e2e-2024-spring';
    await ok('registry', '/cohorts', {
      cohortId,
      name: 'E2E cohort',
      programmeId: 'blended-3module',
      specVersion: 1,
      intake: 'spring',
      location: 'Online',
      mode: 'blended',
      startsOn: '2024-01-08',
      sessions: ['M1', 'M2', 'M3'].map((m, i) => ({
        sessionId: `webex-${m}`,
        kind: 'webex',
        moduleCode: m,
        date: `2024-0${1 + i * 3}-08`,
      })),
    });
    await ok('registry', `/cohorts/${cohortId}/staff`, { staffId: 'tutor-sam', role: 'tutor' });
    // a board sits with an external examiner of the cohort
    await ok('registry', `/cohorts/${cohortId}/staff`, { staffId: 'ext-1', role: 'examiner' });
    await ok('registry', `/cohorts/${cohortId}/exam-boards`, {
      examBoardId: 'board-e2e',
      heldOn: '2024-11-15',
      externalExaminers: ['ext-1'],
    });

    const applied = await ok('registry', '/students', {
      personal: {
        fullName: 'Morgan Lloyd',
        email: 'morgan@school.example',
        dateOfBirth: '1987-03-03',
        teacherReferenceNumber: '7654321',
      },
      programmeId: 'blended-3module',
      school: { name: 'Valley Academy', type: 'academy' },
      intake: 'spring',
      submittedOn: '2023-11-01',
    });
    const id = applied.studentId as string;
    const s = (cmd: string) => `/students/${id}/${cmd}`;
    await ok('registry', s('record-qts-evidence'), {
      status: 'QTS',
      trnChecked: true,
      awardedOn: '2010-07-01',
      inductionCompleted: true,
    });
    await ok('registry', s('confirm-senco-role'), {
      basis: 'governing-body-designation',
      confirmedByRole: 'Chair of governors',
      confirmedOn: '2023-11-01',
    });
    await ok('registry', s('record-senco-appointment'), {
      appointedOn: '2023-09-01',
      priorSencoMonths: 0,
      schoolType: 'academy',
    });
    await ok('registry', s('assess-eligibility'), { eligible: true, route: 'national-award' });
    await ok('registry', s('offer-place'), { cohortId, offeredOn: '2023-12-15' });
    await ok('registry', s('enrol'), { cohortId, enrolledOn: '2024-01-08' });

    for (const [i, m] of ['M1', 'M2', 'M3'].entries()) {
      const month = String(1 + i * 3).padStart(2, '0');
      await ok('tutor', s('record-webex-attendance'), {
        sessionId: `webex-${m}`,
        moduleCode: m,
        attendedOn: `2024-${month}-08`,
      });
      for (let v = 0; v < (m === 'M2' ? 1 : 2); v++)
        await ok('tutor', s('record-partner-school-visit'), {
          school: { name: 'Partner Primary' },
          phase: 'primary',
          visitedOn: `2024-${month}-2${v}`,
          moduleCode: m,
          hours: 5,
        });
      await ok('tutor', s('submit-assignment'), {
        moduleCode: m,
        attempt: 1,
        kind: 'final',
        submittedOn: `2024-${month}-28`,
        wordCount: 3000,
      });
      await ok('tutor', s('mark-assignment'), {
        moduleCode: m,
        attempt: 1,
        mark: 55 + i * 5,
        markedOn: `2024-${month}-28`,
      });
    }
    const framework = (await call('tutor', 'GET', '/frameworks')).json.frameworks.find(
      (f: { frameworkId: string }) => f.frameworkId === 'nasenco-national',
    );
    const codes: string[] = framework.parts.flatMap((p: { areas: { outcomes: { code: string }[] }[] }) =>
      p.areas.flatMap((a) => a.outcomes.map((o) => o.code)),
    );
    for (const code of codes) {
      const evidence = await ok('tutor', s('submit-outcome-evidence'), {
        outcomeCode: code,
        evidence: { kind: 'document', reference: `pdp/${code}.pdf` },
        submittedOn: '2024-09-01',
      });
      await ok('tutor', s('sign-off-outcome'), {
        outcomeCode: code,
        evidenceEventIds: [evidence.events[0].eventId],
        signedOffOn: '2024-09-02',
      });
    }
    await ok('tutor', s('complete-portfolio'), { portfolio: 'pdp', completedOn: '2024-10-01' });
    await ok('tutor', s('complete-portfolio'), { portfolio: 'learning-log', completedOn: '2024-10-01' });

    let decision = (await call('registry', 'GET', `${s('decision')}?on=2024-11-15`)).json.decision;
    expect(decision.outcome).toBe('not-yet-eligible');
    expect(decision.outstanding).toEqual([
      'M1: pass awaiting exam-board ratification',
      'M2: pass awaiting exam-board ratification',
      'M3: pass awaiting exam-board ratification',
    ]);
    await ok('registry', s('ratify-marks'), { examBoardId: 'board-e2e', boardDate: '2024-11-15' });
    decision = (await call('registry', 'GET', `${s('decision')}?on=2024-11-15`)).json.decision;
    expect(decision.outcome).toBe('awarded');

    // Optimistic concurrency: a command based on an old revision is a 409 naming the current one.
    const record = await call('registry', 'GET', `/students/${id}`);
    const etag = record.headers.get('etag')!;
    const stale = await call(
      'registry',
      'POST',
      s('grant-extension'),
      { timeLimit: 'outcomes', newDeadline: '2026-01-01', reason: 'Illness' },
      { 'if-match': '"3"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.json.error.details.currentRevision).toBe(etag.replace(/"/g, ''));

    const conferred = await ok('registry', s('confer-award'), {
      examBoardId: 'board-e2e',
      conferredOn: '2024-11-15',
    });
    expect(conferred.events[0].data).toMatchObject({
      award: 'qualification',
      title: 'National Award for SEN Coordination',
    });
    const reproduced = (await call('registry', 'GET', s('reproduce'))).json.reproductions[0];
    expect(reproduced.reproduced).toBe(true);
    // A tutor may not confer, and an invalid mark is a 400 naming the field.
    expect(
      (
        await call('tutor', 'POST', s('confer-award'), {
          examBoardId: 'board-e2e',
          conferredOn: '2024-11-15',
        })
      ).status,
    ).toBe(403);
    const bad = await call('tutor', 'POST', s('mark-assignment'), {
      moduleCode: 'M1',
      attempt: 1,
      mark: 130,
      markedOn: '2024-03-28',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues).toContainEqual({ field: 'mark', reason: 'must be between 0 and 100' });

    const trail = (await call('registry', 'GET', s('audit-trail'))).json.entries;
    expect(trail[0].summary).toMatch(/Application for blended-3module/);
    expect(trail.at(-1).ref.type).toBe('AwardConferred');
    expect(trail.at(-1).ref.actor).toEqual({ id: 'reg-jane', role: 'registry' });
    expect((await call('admin', 'GET', '/verify')).json.ok).toBe(true);

    // Restart on the same files: the projections rebuild and the award stands.
    await stop(server.child);
    server = await start();
    const after = (await call('registry', 'GET', `/students/${id}`)).json;
    expect(after.status).toBe('awarded');
    expect(after.personal.fullName).toBe('Morgan Lloyd');
    expect(cli('verify')).toMatch(/^ok: \d+ events/);
  }, 120_000);
});
