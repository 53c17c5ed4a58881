import { createHash } from 'node:crypto';

import { UploadDigesters } from './upload-digesters';

const hex = (algorithm: string, data: string) => `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;

describe('UploadDigesters', () => {
  it('gives the digest when the running hash covers exactly the stored bytes', () => {
    const digesters = new UploadDigesters();
    digesters.start('u1', 'sha256');
    const running = digesters.resume('u1', 0)!;
    running.hash.update('hello ');
    running.offset = 6;
    const again = digesters.resume('u1', 6)!;
    again.hash.update('world');
    again.offset = 11;
    expect(digesters.finish('u1', 11, 'sha256')).toBe(hex('sha256', 'hello world'));
  });

  it('drops the hash when the stored size moved elsewhere (another process took a chunk)', () => {
    const digesters = new UploadDigesters();
    digesters.start('u2', 'sha256');
    const running = digesters.resume('u2', 0)!;
    running.hash.update('abc');
    running.offset = 3;
    expect(digesters.resume('u2', 10)).toBeUndefined();
    expect(digesters.finish('u2', 10, 'sha256')).toBeUndefined();
  });

  it('refuses to answer for another algorithm or size, so the caller re-reads', () => {
    const digesters = new UploadDigesters();
    digesters.start('u3', 'sha256');
    expect(digesters.finish('u3', 0, 'sha512')).toBeUndefined();
    digesters.start('u4', 'sha512');
    expect(digesters.finish('u4', 5, 'sha512')).toBeUndefined();
  });

  it('starts a fresh sha256 for an empty upload it has never seen', () => {
    const digesters = new UploadDigesters();
    expect(digesters.resume('fresh', 0)).toBeDefined();
    expect(digesters.finish('fresh', 0, 'sha256')).toBe(hex('sha256', ''));
  });
});
