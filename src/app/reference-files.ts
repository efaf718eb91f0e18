import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReferenceData, type ReferenceDocument } from '../domain/reference-data.ts';

// The reference data on disk: the built-in programme specifications and outcome frameworks (JSON files
// beside their schemas in src/domain/), and any in the directories LEDGER_SPECS_DIR and
// LEDGER_FRAMEWORKS_DIR name. Read here, at the edge; the domain is handed the documents.

const domain = fileURLToPath(new URL('../domain/', import.meta.url));
export const BUILT_IN_SPECS = join(domain, 'programmes', 'specs');
export const BUILT_IN_FRAMEWORKS = join(domain, 'outcomes', 'frameworks');

/** The built-in specifications and frameworks, plus any in the extra directories. */
export function loadReferenceData(extraDirs: { specs?: string; frameworks?: string } = {}): ReferenceData {
  return ReferenceData.of({
    frameworks: [BUILT_IN_FRAMEWORKS, extraDirs.frameworks].flatMap(readJsonDir),
    specifications: [BUILT_IN_SPECS, extraDirs.specs].flatMap(readJsonDir),
  });
}

function readJsonDir(dir: string | undefined): ReferenceDocument[] {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ origin: f, value: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}
