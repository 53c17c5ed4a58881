import { KeyedSerializer } from './keyed-serializer';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedSerializer', () => {
  it('runs the tasks of one key one at a time, in order, and those of other keys alongside', async () => {
    const serializer = new KeyedSerializer();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await later(ms);
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([serializer.run('a', task('a1', 30)), serializer.run('a', task('a2', 1)), serializer.run('b', task('b1', 5))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(events).toEqual(['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
    expect(serializer.size).toBe(0);
  });

  it('goes on with the next task of a key after one failed, and passes the failure to its caller', async () => {
    const serializer = new KeyedSerializer();
    const failing = serializer.run('a', async () => {
      await later(5);
      throw new Error('wrong password');
    });
    const next = serializer.run('a', async () => 'next');
    await expect(failing).rejects.toThrow('wrong password');
    await expect(next).resolves.toBe('next');
    expect(serializer.size).toBe(0);
  });
});
