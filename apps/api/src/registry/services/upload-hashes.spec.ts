import { createHash, randomBytes } from 'node:crypto';

import { processHash, SavableSha256 } from './upload-hashes';

const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return `sha256:${hash.digest('hex')}`;
};

describe('upload hashes', () => {
  const data = randomBytes(1_000_003);
  // Cuts that fall inside and on SHA-256's 64-byte blocks.
  const cuts = [0, 1, 63, 64, 65, 500_000, data.length];

  it('SavableSha256 gives node:crypto\'s digest, and goes on from a state saved at any cut in another instance', async () => {
    for (const cut of cuts) {
      const here = (await SavableSha256.create()).start();
      here.update(data.subarray(0, cut));
      expect(here.digestSoFar()).toBe(sha256(data.subarray(0, cut)));
      const state = here.save()!;
      // The digest so far leaves the hash going on.
      here.update(data.subarray(cut));
      expect(here.digestSoFar()).toBe(sha256(data));

      const there = (await SavableSha256.create()).resume(state)!;
      there.update(data.subarray(cut));
      expect(there.digestSoFar()).toBe(sha256(data));
    }
  });

  it('SavableSha256 refuses a state of another build or length', async () => {
    const savable = await SavableSha256.create();
    const state = savable.start().save()!;
    expect(state.byteLength).toBeLessThan(200);
    const foreign = Uint8Array.from(state);
    foreign[1] ^= 1;
    expect(savable.resume(foreign)).toBeUndefined();
    expect(savable.resume(state.subarray(0, state.length - 1))).toBeUndefined();
    expect(savable.resume(state)).toBeDefined();
  });

  it('a saved state is a copy: hashing on does not change it', async () => {
    const hash = (await SavableSha256.create()).start();
    hash.update(Buffer.from('abc'));
    const state = Uint8Array.from(hash.save()!);
    const kept = hash.save()!;
    hash.update(Buffer.from('def'));
    expect(Buffer.from(kept).equals(Buffer.from(state))).toBe(true);
  });

  it('processHash gives the digest so far and no state', () => {
    const hash = processHash('sha512');
    hash.update(data.subarray(0, 10));
    expect(hash.digestSoFar()).toBe(`sha512:${createHash('sha512').update(data.subarray(0, 10)).digest('hex')}`);
    hash.update(data.subarray(10));
    expect(hash.digestSoFar()).toBe(`sha512:${createHash('sha512').update(data).digest('hex')}`);
    expect(hash.save()).toBeUndefined();
  });
});
