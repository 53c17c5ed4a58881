import { randomUUID } from 'node:crypto';

import type { UploadsRepository } from '@wharf/db';
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
 */
export class UploadClaim {
  readonly writer = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private lost: Error | undefined;

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly renewEveryMs = RENEW_EVERY_MS,
  ) {}

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
