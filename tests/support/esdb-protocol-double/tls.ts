import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// PROTOCOL TEST DOUBLE -- NOT EventStoreDB.
//
// Certificates for a secure double, made by the openssl command line (not by hand) once per test
// process: a CA, and a node certificate signed by it for 127.0.0.1 and localhost, as es-gencert-cli
// makes them for a real cluster. The client checks the node's name against the certificate and trusts
// the CA through `tlsCAFile` in the connection string, exactly as with a real secure node.

export interface TestCertificates {
  caFile: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

let made: TestCertificates | null = null;

export function testCertificates(): TestCertificates {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'esdb-double-tls-'));
  const path = (name: string) => join(dir, name);
  // Words split on spaces, so no argument may hold one: the paths are from mkdtemp, the subjects have none.
  const openssl = (command: string) => execFileSync('openssl', command.split(' '), { stdio: 'pipe' });
  openssl(
    `req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=protocol-double-test-ca ` +
      `-keyout ${path('ca.key')} -out ${path('ca.crt')}`,
  );
  openssl(
    `req -newkey rsa:2048 -nodes -subj /CN=eventstoredb-node ` +
      `-keyout ${path('node.key')} -out ${path('node.csr')}`,
  );
  writeFileSync(path('node.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    `x509 -req -in ${path('node.csr')} -CA ${path('ca.crt')} -CAkey ${path('ca.key')} -CAcreateserial ` +
      `-days 2 -extfile ${path('node.ext')} -out ${path('node.crt')}`,
  );
  made = {
    caFile: path('ca.crt'),
    ca: readFileSync(path('ca.crt')),
    cert: readFileSync(path('node.crt')),
    key: readFileSync(path('node.key')),
  };
  return made;
}
