import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A PEM key and certificate pair. */
export interface TlsPair {
  key: string;
  cert: string;
  /** Where the certificate was read from, when it came from a file (printed so clients can pin it). */
  certPath?: string;
}

/** Path of the shipped TEST-ONLY certificate for localhost / 127.0.0.1 (self-signed, so it is also its own CA). */
export const TEST_CERT_PATH = fileURLToPath(new URL('../tls/localhost-cert.pem', import.meta.url));
const TEST_KEY_PATH = fileURLToPath(new URL('../tls/localhost-key.pem', import.meta.url));

/** Loads the shipped test-only pair. Its private key is public: never use it outside local tests and demos. */
export function testTlsPair(): TlsPair {
  return {
    key: readFileSync(TEST_KEY_PATH, 'utf8'),
    cert: readFileSync(TEST_CERT_PATH, 'utf8'),
    certPath: TEST_CERT_PATH,
  };
}

const IAM_CERT_PATH = fileURLToPath(new URL('../tls/iam-cert.pem', import.meta.url));
const IAM_KEY_PATH = fileURLToPath(new URL('../tls/iam-key.pem', import.meta.url));

/** The shipped test-only pair of the IAM origin: a different certificate, so trusting the NAD's does not trust it. */
export function testIamTlsPair(): TlsPair {
  return {
    key: readFileSync(IAM_KEY_PATH, 'utf8'),
    cert: readFileSync(IAM_CERT_PATH, 'utf8'),
    certPath: IAM_CERT_PATH,
  };
}
