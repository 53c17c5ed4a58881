import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

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

  describe('catchUp', () => {
    const bytesOf = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));

    it('rebuilds the hash of an upload it holds none for from the stored bytes, and goes on from there', async () => {
      const digesters = new UploadDigesters();
      const read = jest.fn(async () => bytesOf('hello', ' '));
      const running = (await digesters.catchUp('restarted', 6, read))!;
      expect(read).toHaveBeenCalledTimes(1);
      expect(running.offset).toBe(6);
      running.hash.update('world');
      running.offset = 11;
      expect(digesters.resume('restarted', 11)).toBe(running);
      expect(digesters.finish('restarted', 11, 'sha256')).toBe(hex('sha256', 'hello world'));
    });

    it('catches up once per upload: a second time (chunks spread over processes) it leaves the re-read to the commit', async () => {
      const digesters = new UploadDigesters();
      await digesters.catchUp('spread', 3, async () => bytesOf('abc'));
      // another process took the next chunk
      expect(digesters.resume('spread', 9)).toBeUndefined();
      const read = jest.fn(async () => bytesOf('abcdefghi'));
      expect(await digesters.catchUp('spread', 9, read)).toBeUndefined();
      expect(read).not.toHaveBeenCalled();
    });

    it('never catches up with an upload it hashed from the first byte', async () => {
      const digesters = new UploadDigesters();
      digesters.start('began-here', 'sha256');
      expect(digesters.resume('began-here', 4)).toBeUndefined();
      const read = jest.fn(async () => bytesOf('abcd'));
      expect(await digesters.catchUp('began-here', 4, read)).toBeUndefined();
      expect(read).not.toHaveBeenCalled();
    });

    it('gives up when the store cannot read the upload, or read another size than stored', async () => {
      const digesters = new UploadDigesters();
      expect(await digesters.catchUp('s3-parts', 5, async () => undefined)).toBeUndefined();
      expect(await digesters.catchUp('short', 5, async () => bytesOf('abc'))).toBeUndefined();
      expect(digesters.finish('short', 5, 'sha256')).toBeUndefined();
    });
  });
});
