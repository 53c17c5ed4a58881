import type { UploadsRepository } from '@wharf/db';

import { CLAIM_SECONDS, UploadClaim } from './upload-claim';

/** A repository whose renewals answer as the test says, recording what it was asked. */
function repository(renew: () => Promise<boolean>) {
  const calls: string[] = [];
  const uploads = {
    renew: async (id: string, _writer: string, seconds: number) => {
      calls.push(`renew ${id} ${seconds}`);
      return renew();
    },
    release: async (id: string) => {
      calls.push(`release ${id}`);
    },
  } as unknown as UploadsRepository;
  return { uploads, calls };
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('UploadClaim', () => {
  it('renews its claim while kept, and stops when told', async () => {
    const { uploads, calls } = repository(async () => true);
    const claim = new UploadClaim(uploads, () => 7, 10);
    claim.keep('s1');
    await tick(55);
    claim.stop();
    const renewals = calls.length;
    expect(renewals).toBeGreaterThanOrEqual(3);
    expect(calls.every((call) => call === `renew s1 ${CLAIM_SECONDS}`)).toBe(true);
    expect(() => claim.check()).not.toThrow();
    await tick(30);
    expect(calls).toHaveLength(renewals);
  });

  it('throws at the next check once another request holds the session, and stops renewing', async () => {
    const { uploads, calls } = repository(async () => false);
    const claim = new UploadClaim(uploads, () => 7, 10);
    claim.keep('s1');
    await tick(35);
    expect(() => claim.check()).toThrow('another request took over this upload');
    expect(calls).toHaveLength(1);
  });

  it('throws the database error at the next check when a renewal fails', async () => {
    const { uploads } = repository(async () => Promise.reject(new Error('connection refused')));
    const claim = new UploadClaim(uploads, () => 7, 10);
    claim.keep('s1');
    await tick(35);
    expect(() => claim.check()).toThrow('connection refused');
  });

  it('names the database session of its process, and throws at the next check once that session is another', () => {
    const { uploads } = repository(async () => true);
    let pid: number | undefined = 7;
    const claim = new UploadClaim(uploads, () => pid, 10);
    expect(claim.record).toEqual({ id: claim.writer, leaseSeconds: CLAIM_SECONDS, pid: 7 });
    expect(() => claim.check()).not.toThrow();
    pid = 8;
    expect(() => claim.check()).toThrow('the database connection of this upload was lost');
    pid = 7;
    expect(() => claim.check()).toThrow('the database connection of this upload was lost');
  });

  it('names no session when its process has none, and then checks only its renewals', () => {
    const { uploads } = repository(async () => true);
    let pid: number | undefined = undefined;
    const claim = new UploadClaim(uploads, () => pid, 10);
    expect(claim.record.pid).toBeUndefined();
    pid = 9;
    expect(() => claim.check()).not.toThrow();
  });

  it('releases the session it holds', async () => {
    const { uploads, calls } = repository(async () => true);
    const claim = new UploadClaim(uploads, () => 7, 10);
    claim.keep('s2');
    await claim.release('s2');
    await tick(30);
    expect(calls).toEqual(['release s2']);
  });
});
