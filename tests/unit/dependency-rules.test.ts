import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

// The dependency rules (.dependency-cruiser.cjs, run by `npm run deps` in `npm test`) against a small tree
// laid out like the ledger: each forbidden edge must be reported under its rule, and each allowed edge
// must pass. Without this, a rule with a mistyped path would pass everything, silently.

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[] };

/** [importing file, imported file or node module, the rule it breaks or null when it is allowed] */
const EDGES: [string, string, string | null][] = [
  ['events/a1.ts', 'src/app/ledger.ts', 'events-depend-on-nothing-of-ours'],
  ['events/a2.ts', 'projections/p.ts', 'events-depend-on-nothing-of-ours'],
  ['events/a3.ts', 'events/envelope.ts', null],
  ['src/domain/d1.ts', 'src/store/port.ts', 'domain-depends-on-events-only'],
  ['src/domain/d2.ts', 'projections/p.ts', 'domain-depends-on-events-only'],
  ['src/domain/d3.ts', 'events/envelope.ts', null],
  ['src/domain/d4.ts', 'src/errors.ts', null],
  ['src/domain/d5.ts', 'node:fs', 'the-pure-core-does-no-io'],
  ['src/domain/d6.ts', 'node:crypto', null],
  ['projections/p1.ts', 'src/app/ledger.ts', 'projections-depend-on-domain-and-events'],
  ['projections/p2.ts', 'src/store/port.ts', 'projections-depend-on-domain-and-events'],
  ['projections/p3.ts', 'src/domain/d.ts', null],
  ['src/store/s1.ts', 'events/index.ts', 'store-depends-on-the-envelope'],
  ['src/store/s2.ts', 'src/domain/d.ts', 'store-depends-on-the-envelope'],
  ['src/store/s3.ts', 'events/envelope.ts', null],
  ['src/errors.ts', 'src/store/port.ts', 'errors-depend-on-nothing-of-ours'],
  ['src/app/x1.ts', 'src/http/api.ts', 'app-does-not-know-its-doors'],
  ['src/app/x2.ts', 'projections/p.ts', null],
  ['src/http/h1.ts', 'src/store/port.ts', 'doors-go-through-the-app'],
  ['src/http/h2.ts', 'projections/p.ts', 'doors-go-through-the-app'],
  ['src/http/h3.ts', 'src/web/routes.ts', 'http-is-not-cli-or-web'],
  ['src/http/h4.ts', 'src/app/ledger.ts', null],
  ['src/cli/c1.ts', 'src/http/api.ts', 'cli-is-not-http-or-web'],
  ['src/cli/c2.ts', 'src/app/ledger.ts', null],
  ['src/web/w1.ts', 'src/http/auth.ts', 'web-is-not-http-or-cli'],
  ['src/web/w2.ts', 'src/app/access.ts', null],
  ['src/app/x3.ts', 'bench/generate.ts', 'product-does-not-import-bench-or-tests'],
  ['src/app/x4.ts', 'tests/support/x.ts', 'product-does-not-import-bench-or-tests'],
  ['bench/b1.ts', 'src/app/ledger.ts', null],
  ['src/app/cycle-a.ts', 'src/app/cycle-b.ts', 'no-cycles'],
  ['src/app/cycle-b.ts', 'src/app/cycle-a.ts', 'no-cycles'],
];

const root = mkdtempSync(join(tmpdir(), 'ledger-deps-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function layOut(): void {
  const imports = new Map<string, string[]>();
  for (const [from, to] of EDGES) {
    imports.set(from, [...(imports.get(from) ?? []), to]);
    if (!to.startsWith('node:') && !imports.has(to)) imports.set(to, []);
  }
  for (const [file, targets] of imports) {
    const lines = targets.map((to, i) => {
      const specifier = to.startsWith('node:')
        ? to
        : `./${relative(dirname(file), to)}`.replace(/^\.\/\.\.\//, '../');
      return `import type * as m${i} from '${specifier}';\nexport type T${i} = typeof m${i};`;
    });
    mkdirSync(join(root, dirname(file)), { recursive: true });
    writeFileSync(join(root, file), `${lines.join('\n')}\nexport const here = 1;\n`);
  }
}

describe('the dependency rules', () => {
  it('report every forbidden edge under its rule, and nothing else', async () => {
    layOut();
    const { output } = await cruise(['events', 'src', 'projections', 'bench', 'tests'], {
      baseDir: root,
      ruleSet: { forbidden: config.forbidden },
      validate: true,
      tsPreCompilationDeps: true,
    });
    const result = output as ICruiseResult;
    const found = new Set(result.summary.violations.map((v) => `${v.from} -> ${v.to} : ${v.rule.name}`));
    const cycles = new Set(
      result.summary.violations.filter((v) => v.rule.name === 'no-cycles').map((v) => v.from),
    );
    // a cycle is reported once, from one of its members
    const inCycle = EDGES.filter(([, , rule]) => rule === 'no-cycles').map(([from]) => from);
    expect([...cycles].filter((from) => inCycle.includes(from))).toHaveLength(1);
    for (const [from, to, rule] of EDGES) {
      const target = to.startsWith('node:') ? to.slice('node:'.length) : to;
      if (rule === 'no-cycles') continue;
      if (rule) expect(found, `${from} -> ${to}`).toContain(`${from} -> ${target} : ${rule}`);
      else expect([...found].filter((f) => f.startsWith(`${from} -> ${target} :`))).toEqual([]);
    }
    // nothing reported beyond the table
    const expected = EDGES.filter(([, , rule]) => rule && rule !== 'no-cycles').map(
      ([from, to, rule]) => `${from} -> ${to.replace(/^node:/, '')} : ${rule}`,
    );
    expect([...found].filter((f) => !f.endsWith(': no-cycles')).sort()).toEqual(expected.sort());
  });
});
