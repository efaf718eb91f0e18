import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchoolType } from '../../events/common.ts';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { CSV_COLUMNS, QTS_STATUSES } from '../../src/cli/import-cohort.ts';
import { ConfigSchema } from '../../src/config.ts';
import { applyAndEnrol, createCohort } from '../../src/demo/journeys.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { buildServer } from '../../src/server.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { plans, testLedger } from '../support/ledger.ts';

// The README says what the ledger has: its tables of commands, routes and settings are checked against
// the real command line (its --help), the real server (its routes and OpenAPI document) and the
// configuration schema, both ways: what the README lists exists, and what exists is in the README.

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The body rows of the first table after a heading line (or any line starting with `after`). */
function tableAfter(after: string): string[][] {
  const start = readme.indexOf(after);
  expect(start, `README has "${after}"`).toBeGreaterThan(-1);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const code = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('the README and the command line', () => {
  const help = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], {
    cwd: root,
    encoding: 'utf8',
  });
  // From the real CLI's help: each command (a line indented two spaces) and the options listed under it.
  const cli = new Map<string, Set<string>>();
  let current = '';
  const [, commandBlock = ''] = help.stdout.split('\n\n'); // usage line, commands, notes
  for (const line of commandBlock.split('\n')) {
    const command = /^ {2}([a-z][a-z-]*)\b/.exec(line);
    if (command) {
      current = command[1]!;
      cli.set(current, new Set());
    }
    const option = /^ {6}--([a-z-]+)/.exec(line);
    if (option && current) cli.get(current)!.add(option[1]!);
  }
  const documented = new Map<string, Set<string>>();
  for (const [usage] of tableAfter('## The command line'))
    for (const form of code(usage!)) {
      const name = form.split(' ')[0]!;
      const options = documented.get(name) ?? new Set<string>();
      for (const m of form.matchAll(/--([a-z-]+)/g)) options.add(m[1]!);
      documented.set(name, options);
    }
  const json = /`--json` gives machine-readable output for ([^.]+)\./.exec(readme)?.[1] ?? '';

  it('lists every command the CLI has, and only those', () => {
    expect(help.status, help.stderr).toBe(0);
    expect(cli.size).toBeGreaterThan(5);
    expect([...documented.keys()].sort()).toEqual([...cli.keys()].sort());
  });

  it('gives each command the options it takes, and only those', () => {
    const withJson = new Set(code(json.replace(/\n/g, ' ')));
    expect(withJson.size).toBeGreaterThan(3);
    for (const [name, options] of cli) {
      const listed = new Set(documented.get(name));
      if (withJson.has(name)) listed.add('json'); // "--json gives machine-readable output for ..."
      expect([...listed].sort(), `options of ${name}`).toEqual([...options].sort());
    }
  });

  it('names the import CSV columns and the values qts_status and school_type allow', () => {
    const paragraph = readme.slice(readme.indexOf('The CSV for\n`import-cohort`'));
    expect(paragraph.length).toBeLessThan(readme.length);
    const columns = /has a header row with the columns `([^`]+)`/.exec(paragraph.replace(/\n/g, ' '))?.[1];
    expect(columns?.split(', ')).toEqual([...CSV_COLUMNS]);
    const flat = paragraph.replace(/\n/g, ' ');
    const allowed = (column: string) =>
      code(new RegExp(`\`${column}\` (?:is )?one of ([^;.]+)`).exec(flat)?.[1] ?? '');
    expect(allowed('qts_status')).toEqual([...QTS_STATUSES]);
    expect(allowed('school_type')).toEqual([...SchoolType.options]);
  });
});

describe('the README and the HTTP API', () => {
  let app: FastifyInstance;
  let ledger: Ledger;
  let token = '';
  beforeAll(async () => {
    ledger = new Ledger({
      store: new MemoryEventStore(),
      keys: new MemoryKeyStore(),
      reference: loadReferenceData(),
    });
    await ledger.start();
    const tokens = new MemoryTokenStore();
    token = tokens.create({ id: 'admin-1', role: 'admin', label: 'readme test' });
    app = await buildServer({ ledger, tokens, logLevel: 'silent' });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await ledger.stop();
  });

  /** `METHOD /path` for every route in the README's two route tables; `:param`s as `:p`. */
  function tableRoutes(): string[] {
    const out: string[] = [];
    for (const [cell] of tableAfter('**Commands**')) {
      let base = '';
      for (const form of code(cell!)) {
        const full = /^POST (\/\S+)/.exec(form);
        if (full) {
          out.push(`POST ${full[1]}`);
          base = full[1]!.slice(0, full[1]!.lastIndexOf('/'));
        } else out.push(`POST ${base}/${form}`);
      }
    }
    for (const [cell] of tableAfter('**Reads**'))
      for (const form of code(cell!)) out.push(`GET ${form.split('?')[0]}`);
    return out.map((r) => r.replace(/:[A-Za-z]+/g, ':p'));
  }

  async function noRoute(method: 'GET' | 'POST', url: string): Promise<boolean> {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(method === 'POST' ? { payload: {} } : {}),
    });
    return response.statusCode === 404 && response.json().error.code === 'no_route';
  }

  it('every route in its tables is a route of the server (never "no route")', async () => {
    const routes = tableRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const route of routes) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      if (await noRoute(method, url.replace(/:p/g, 'x'))) missing.push(route);
    }
    expect(missing).toEqual([]);
    expect(await noRoute('GET', '/students/x/nonsense')).toBe(true); // the check can fail
  });

  it('every route of the API (its OpenAPI document) is in the README', () => {
    const documented = new Set([
      ...tableRoutes(),
      ...[...readme.matchAll(/`(GET|POST) (\/[^`?\s]*)/g)].map(
        (m) => `${m[1]} ${m[2]!.replace(/:[A-Za-z]+/g, ':p')}`,
      ),
    ]);
    const paths = (
      app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }
    ).swagger().paths;
    const api = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{[A-Za-z]+\}/g, ':p')}`),
    );
    expect(api.length).toBeGreaterThan(40);
    expect(api.filter((r) => !documented.has(r))).toEqual([]);
  });
});

describe('the README and the configuration', () => {
  it('documents every environment variable the ledger reads, and no other', () => {
    const variables = tableAfter('## Configuration').map(([name]) => code(name!)[0]);
    expect(variables.sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
  });
});

describe('the README and verify', () => {
  it('prints one combined head digest, computed as the README says', async () => {
    const formula = /`<stream>\\t<revision>\\t<hash>\\n`, streams in order/;
    expect(readme).toMatch(formula);
    const { ledger } = await testLedger('2024-12-01'); // after the blended cohort's board
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    await applyAndEnrol(ledger, plan, {
      fullName: 'Ada Obi',
      email: 'ada.obi@school.example',
      dateOfBirth: '1980-01-01',
      qts: 'QTS',
      appointedOn: '2023-09-01',
    });
    const heads = new Map<string, { revision: bigint; hash: string }>();
    for (const e of await ledger.store.readAll())
      heads.set(e.streamId, { revision: e.revision, hash: e.hash });
    const digest = createHash('sha256');
    for (const stream of [...heads.keys()].sort())
      digest.update(`${stream}\t${heads.get(stream)!.revision}\t${heads.get(stream)!.hash}\n`);
    const report = await ledger.store.verify();
    expect(heads.size).toBe(2);
    expect(report.headDigest).toBe(digest.digest('hex'));
    await ledger.stop();
  });
});
