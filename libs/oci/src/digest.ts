import { createHash, type Hash } from 'node:crypto';

import { OciError, OciErrorCode } from './errors';

/** Digest algorithms this registry can verify, with the exact form of their encoded part. */
const ALGORITHMS = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
} as const;

export type DigestAlgorithm = keyof typeof ALGORITHMS;

/** OCI digest grammar: algorithm ":" encoded. */
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export interface Digest {
  readonly algorithm: DigestAlgorithm;
  readonly encoded: string;
  /** The canonical `algorithm:encoded` string. */
  readonly value: string;
}

export function isSupportedAlgorithm(algorithm: string): algorithm is DigestAlgorithm {
  return Object.prototype.hasOwnProperty.call(ALGORITHMS, algorithm);
}

/** Parses a digest, refusing malformed ones and algorithms we cannot verify (DIGEST_INVALID). */
export function parseDigest(input: string): Digest {
  if (input.length > 200 || !DIGEST_GRAMMAR.test(input)) {
    throw new OciError(OciErrorCode.DigestInvalid, 'invalid digest', { digest: input.slice(0, 200) });
  }
  const colon = input.indexOf(':');
  const algorithm = input.slice(0, colon);
  const encoded = input.slice(colon + 1);
  if (!isSupportedAlgorithm(algorithm)) {
    throw new OciError(OciErrorCode.DigestInvalid, `unsupported digest algorithm ${algorithm}`, { digest: input });
  }
  if (!ALGORITHMS[algorithm].test(encoded)) {
    throw new OciError(OciErrorCode.DigestInvalid, `invalid ${algorithm} digest`, { digest: input });
  }
  return { algorithm, encoded, value: input };
}

/** True when the string is a well-formed digest of a supported algorithm. */
export function isDigest(input: string): boolean {
  try {
    parseDigest(input);
    return true;
  } catch {
    return false;
  }
}

export function createDigester(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
