import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * A client that takes a MiB in at least this long (about 1 GB/s or slower) is slower than
 * reads from the page cache, which take 0.1–0.3 ms per MiB here.
 */
const CLIENT_PACED_MS_PER_MIB = 1;

/** Bytes the client must have taken before its pace is judged: two 1 MiB writes after the first. */
const PACE_MEASURED_AFTER_BYTES = 2 * 1024 * 1024;

/**
 * A read on the loop that took longer came from a disk (a hard disk, or a network volume at
 * its throughput limit), not the page cache, or the host is overloaded. An SSD answers sooner:
 * the loop then waits about as long as for a request's own work, and the busy-loop check below
 * bounds how often.
 */
const SLOW_READ_MS = 5;

/** After a slow read on the loop, no body of the process reads on it for this long. */
const SLOW_READ_COOL_DOWN_MS = 1000;

/** Above this event-loop utilisation the loop is the scarce resource: reads go to the threadpool. */
const BUSY_LOOP_UTILISATION = 0.5;

/** How often the event-loop utilisation is sampled, at most. */
const LOOP_SAMPLE_MS = 100;

/** What the bodies of one process share about its event loop. */
export interface EventLoopState {
  /** Whether the loop was busy for most of the last sample period. */
  readonly busy: boolean;
  /** Whether a read on the loop was slow in the last SLOW_READ_COOL_DOWN_MS. */
  readonly sawSlowReadLately: boolean;
  slowRead(): void;
}

/** Where ProcessEventLoop reads the time and the loop's utilisation (performance's, but in unit tests). */
export interface LoopMeter {
  now(): number;
  utilization(): EventLoopUtilization;
}

const performanceMeter: LoopMeter = { now: () => performance.now(), utilization: () => performance.eventLoopUtilization() };

/** This process's event loop, sampled when asked. */
export class ProcessEventLoop implements EventLoopState {
  private lastSample: EventLoopUtilization | undefined;
  private lastSampleAt = 0;
  private wasBusy = false;
  private slowReadAt = -Infinity;

  constructor(private readonly meter: LoopMeter = performanceMeter) {}

  get busy(): boolean {
    const now = this.meter.now();
    if (this.lastSample === undefined || now - this.lastSampleAt >= LOOP_SAMPLE_MS) {
      const sample = this.meter.utilization();
      if (this.lastSample !== undefined) this.wasBusy = performance.eventLoopUtilization(sample, this.lastSample).utilization > BUSY_LOOP_UTILISATION;
      this.lastSample = sample;
      this.lastSampleAt = now;
    }
    return this.wasBusy;
  }

  get sawSlowReadLately(): boolean {
    return this.meter.now() - this.slowReadAt < SLOW_READ_COOL_DOWN_MS;
  }

  slowRead(): void {
    this.slowReadAt = this.meter.now();
  }
}

export const processEventLoop = new ProcessEventLoop();

/**
 * Decides where the next read of one body that is being sent to a client runs: in libuv's
 * threadpool, or synchronously on the event loop.
 *
 * A threadpool read runs beside the loop's socket writes, which a fast client needs: B4's
 * client got 2,380 MB/s with every read on the loop, 3,150 with the threadpool. But it costs
 * more CPU than the same read on the loop: one thread fills the buffer and another, often on
 * another core, copies it into the socket (0.119–0.145 against 0.101–0.108 CPU seconds per
 * 256 MiB skopeo pull). Both measured in docs/benchmarks.md, B11. When the client takes the
 * bytes more slowly than they are read, the loop waits for the socket whatever it does, so it
 * may as well do the reads itself and leave the CPU to others, such as a client on the same host.
 *
 * So a read runs on the loop only while all of these hold:
 * - the client has been measured to take the bytes at CLIENT_PACED_MS_PER_MIB or slower;
 * - no read of this body on the loop took longer than SLOW_READ_MS, and no read of any body
 *   did in the last SLOW_READ_COOL_DOWN_MS: bytes that are not in the page cache block the loop
 *   on the disk, at most once per body and once a second per process;
 * - the event loop has not been busy lately: with many clients at once the loop is what limits
 *   the process, and the threadpool takes work off it.
 */
export class ReadPacing {
  private pacedFrom: number | undefined;
  private deliveredSince = 0;
  private sawSlowRead = false;

  constructor(
    private readonly loop: EventLoopState = processEventLoop,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The socket has taken `bytes` more of the body (a write's callback). */
  delivered(bytes: number): void {
    // The clock starts at the first delivery: before it, the socket's buffer was filling.
    if (this.pacedFrom === undefined) this.pacedFrom = this.now();
    else this.deliveredSince += bytes;
  }

  /** A read on the loop took `ms`. */
  readOnLoopTook(ms: number): void {
    if (ms <= SLOW_READ_MS) return;
    this.sawSlowRead = true;
    this.loop.slowRead();
  }

  /** Whether the next read should run on the event loop. */
  get readOnLoop(): boolean {
    if (this.sawSlowRead || this.pacedFrom === undefined || this.deliveredSince < PACE_MEASURED_AFTER_BYTES) return false;
    const msPerMiB = ((this.now() - this.pacedFrom) * 1024 * 1024) / this.deliveredSince;
    return msPerMiB >= CLIENT_PACED_MS_PER_MIB && !this.loop.sawSlowReadLately && !this.loop.busy;
  }
}
