import { randomUUID } from 'node:crypto';

import type { UploadsRepository, Writer } from '@wharf/db';
import { OciError, OciErrorCode } from '@wharf/oci';

/** How long a claim on an upload holds without renewal: how long a crashed writer blocks its session. */
export const CLAIM_SECONDS = 60;

/** How often a request renews its claim while it works, well within CLAIM_SECONDS. */
const RENEW_EVERY_MS = 20_000;

/**
 * One request's claim on an upload session: while it holds it, no other request (in this
 * process or another) writes to the session or commits it. The claim is renewed every
 * RENEW_EVERY_MS while the request works; when a renewal fails, `check` throws, so that the
 * request stops writing before the claim can lapse and another request takes the session.
 *
 * The claim also names the process's database session (`sessionPid`): once that is gone, the
 * process is taken for dead and the upload is free at once (a client resuming through another
 * process need not wait for the lapse). So `check` also throws once this process's session is
 * not the one named, as after a reconnection: the claim may be someone else's by then.
 */
export class UploadClaim {
  readonly writer = randomUUID();
  private readonly pid: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lost: Error | undefined;

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly sessionPid: () => number | undefined,
    private readonly renewEveryMs = RENEW_EVERY_MS,
  ) {
    this.pid = sessionPid();
  }

  /** What the database records of this claim. */
  get record(): Writer {
    return { id: this.writer, leaseSeconds: CLAIM_SECONDS, pid: this.pid };
  }

  /** Renews the claim on `sessionId` until `stop`. */
  keep(sessionId: string): void {
    this.timer = setInterval(() => {
      this.uploads.renew(sessionId, this.writer, CLAIM_SECONDS).then(
        (held) => {
          if (!held) this.lose(new OciError(OciErrorCode.RangeInvalid, 'another request took over this upload'));
        },
        (error: Error) => this.lose(error),
      );
    }, this.renewEveryMs);
    this.timer.unref();
  }

  /** Throws once the claim may have lapsed: the caller must not write any more. */
  check(): void {
    if (this.lost) throw this.lost;
    if (this.pid !== undefined && this.sessionPid() !== this.pid) {
      this.lose(new OciError(OciErrorCode.Unavailable, 'the database connection of this upload was lost, retry'));
      throw this.lost;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Stops renewing and gives the session up (nothing happens when it is gone or taken). */
  async release(sessionId: string): Promise<void> {
    this.stop();
    await this.uploads.release(sessionId, this.writer).catch(() => undefined);
  }

  private lose(error: Error): void {
    this.lost ??= error;
    this.stop();
  }
}
