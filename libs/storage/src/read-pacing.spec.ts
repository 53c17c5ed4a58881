import { ProcessEventLoop, ReadPacing, type EventLoopState } from './read-pacing';

const MiB = 1024 * 1024;

describe('ReadPacing', () => {
  /** A pacing on a clock the test moves, with an event loop the test sets. */
  function pacing() {
    const clock = { now: 1000 };
    const loop: EventLoopState & { busy: boolean; sawSlowReadLately: boolean; slowReads: number } = {
      busy: false,
      sawSlowReadLately: false,
      slowReads: 0,
      slowRead: () => void (loop.slowReads += 1),
    };
    return { clock, loop, pacing: new ReadPacing(loop, () => clock.now) };
  }

  /** The client takes `mib` 1 MiB writes, `msEach` apart. */
  function deliver(subject: { clock: { now: number }; pacing: ReadPacing }, mib: number, msEach: number) {
    for (let i = 0; i < mib; i++) {
      subject.clock.now += msEach;
      subject.pacing.delivered(MiB);
    }
  }

  it('reads in the threadpool until the client has taken two MiB after its first write', () => {
    const subject = pacing();
    expect(subject.pacing.readOnLoop).toBe(false);
    deliver(subject, 1, 5);
    expect(subject.pacing.readOnLoop).toBe(false);
    deliver(subject, 1, 5);
    expect(subject.pacing.readOnLoop).toBe(false);
    deliver(subject, 1, 5);
    expect(subject.pacing.readOnLoop).toBe(true);
  });

  it('reads on the loop for a client taking a MiB in a millisecond or more, not for a faster one', () => {
    const slow = pacing();
    deliver(slow, 4, 1);
    expect(slow.pacing.readOnLoop).toBe(true);
    const fast = pacing();
    deliver(fast, 4, 0.5);
    expect(fast.pacing.readOnLoop).toBe(false);
  });

  it('judges the client by its pace since the first write, so a burst after a slow start counts as it is', () => {
    const subject = pacing();
    deliver(subject, 3, 3);
    expect(subject.pacing.readOnLoop).toBe(true);
    // 2 MiB in 6 ms, then 30 MiB in 3 ms: 32 MiB in 9 ms is faster than 1 ms per MiB.
    deliver(subject, 30, 0.1);
    expect(subject.pacing.readOnLoop).toBe(false);
  });

  it('keeps a body in the threadpool after a read on the loop slower than 5 ms, and tells the process', () => {
    const subject = pacing();
    deliver(subject, 4, 5);
    subject.pacing.readOnLoopTook(0.3);
    subject.pacing.readOnLoopTook(5);
    expect(subject.pacing.readOnLoop).toBe(true);
    expect(subject.loop.slowReads).toBe(0);
    subject.pacing.readOnLoopTook(5.5);
    expect(subject.pacing.readOnLoop).toBe(false);
    expect(subject.loop.slowReads).toBe(1);
    deliver(subject, 10, 50);
    expect(subject.pacing.readOnLoop).toBe(false);
  });

  it('leaves reads to the threadpool while the process saw a slow read lately, or its event loop is busy', () => {
    const subject = pacing();
    deliver(subject, 4, 5);
    subject.loop.sawSlowReadLately = true;
    expect(subject.pacing.readOnLoop).toBe(false);
    subject.loop.sawSlowReadLately = false;
    subject.loop.busy = true;
    expect(subject.pacing.readOnLoop).toBe(false);
    subject.loop.busy = false;
    expect(subject.pacing.readOnLoop).toBe(true);
  });
});

describe('ProcessEventLoop', () => {
  /** A loop on a meter the test moves: `run(ms)` is time the loop worked, `wait(ms)` time it waited in the poll. */
  function meteredLoop() {
    const meter = { at: 0, active: 0, idle: 0 };
    const loop = new ProcessEventLoop({
      now: () => meter.at,
      utilization: () => ({ active: meter.active, idle: meter.idle, utilization: meter.active / Math.max(1, meter.active + meter.idle) }),
    });
    const run = (ms: number) => void ((meter.at += ms), (meter.active += ms));
    const wait = (ms: number) => void ((meter.at += ms), (meter.idle += ms));
    return { loop, run, wait };
  }

  it('is busy when the loop worked for more than half of the last sample period', () => {
    const { loop, run, wait } = meteredLoop();
    expect(loop.busy).toBe(false);
    wait(150);
    expect(loop.busy).toBe(false);
    run(120);
    wait(30);
    expect(loop.busy).toBe(true);
    run(40);
    wait(110);
    expect(loop.busy).toBe(false);
    run(75);
    wait(75);
    expect(loop.busy).toBe(false);
  });

  it('samples at most every 100 ms: within that, the last sample\'s answer stands', () => {
    const { loop, run, wait } = meteredLoop();
    expect(loop.busy).toBe(false);
    run(150);
    expect(loop.busy).toBe(true);
    wait(99);
    expect(loop.busy).toBe(true);
    wait(1);
    // This sample covers the 100 ms waited only.
    expect(loop.busy).toBe(false);
    run(50);
    expect(loop.busy).toBe(false);
  });

  it('remembers a slow read for a second', () => {
    const { loop, wait } = meteredLoop();
    expect(loop.sawSlowReadLately).toBe(false);
    wait(5000);
    loop.slowRead();
    wait(999);
    expect(loop.sawSlowReadLately).toBe(true);
    wait(1);
    expect(loop.sawSlowReadLately).toBe(false);
  });

  it("reads this process's own loop by default: busy while it is held, not busy once it has idled", async () => {
    const loop = new ProcessEventLoop();
    expect(loop.busy).toBe(false);
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // the loop is held: its utilisation nears 1
    }
    expect(loop.busy).toBe(true);
    // Polled, since a garbage collection or other work of this test process can fill a period.
    let idleSeen = false;
    for (let i = 0; i < 20 && !idleSeen; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      idleSeen = !loop.busy;
    }
    expect(idleSeen).toBe(true);
  });
});
