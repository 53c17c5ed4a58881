/**
 * Reads until `expected` answers or `withinMs` have passed, every 10 ms; returns the last
 * answer, for the test to compare (so a failure shows what was seen instead).
 */
export async function eventually<T>(read: () => Promise<T>, expected: T, withinMs = 2_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  let answer = await read();
  while (answer !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer = await read();
  }
  return answer;
}
