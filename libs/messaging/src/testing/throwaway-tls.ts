import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PEM files of a CA made for one test, a server certificate it signed for 127.0.0.1, and a client certificate. */
export interface ThrowawayTls {
  readonly dir: string;
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  dispose(): void;
}

/** True when the `openssl` command is there to make certificates with. */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes a CA and certificates with `openssl`, valid for a day, in a temporary directory: tests of
 * TLS connections need a chain the client can check, and a checked-in key would be a secret in the
 * repository.
 */
export function createThrowawayTls(): ThrowawayTls {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-tls-'));
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=baton-test-ca');
  const signed = (name: string, extensions: string): void => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', ...ecKey, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
  };
  signed('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed('client', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caFile: file('ca.pem'),
    serverCertFile: file('server.pem'),
    serverKeyFile: file('server-key.pem'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client-key.pem'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
