import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

import { PooledBody } from './pooled-body';
import type { EventLoopState } from './read-pacing';

/** A byte range of an open file; closes the file when it ends or is destroyed. */
export class FileBody extends PooledBody {
  constructor(
    private readonly handle: FileHandle,
    start: number,
    end: number,
    eventLoop?: EventLoopState,
  ) {
    super(start, end, eventLoop);
  }

  protected async readAt(buffer: Buffer, position: number, length: number): Promise<number> {
    // FileHandle.close waits for reads in flight, so a destroy midway never reads a reused descriptor.
    return (await this.handle.read(buffer, 0, length, position)).bytesRead;
  }

  protected override readAtNow(buffer: Buffer, position: number, length: number): number {
    // Called only while the body is open: release() comes after the body is destroyed.
    return readSync(this.handle.fd, buffer, 0, length, position);
  }

  protected release(): Promise<void> {
    return this.handle.close();
  }
}
