#!/usr/bin/env node
// `npx ledger <command>`: the ledger's command line (src/cli/main.ts), its TypeScript loaded by tsx in
// this same process, so there is no wrapper process between the shell and the command.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
