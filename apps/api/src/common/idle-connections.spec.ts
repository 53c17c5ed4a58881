import { closesWhenIdle } from './idle-connections';

const request = (state: Partial<NonNullable<Parameters<typeof closesWhenIdle>[0]['request']>>) => ({
  request: { bodyComplete: false, bodyBacklogged: false, headersSent: false, responseBacklogged: false, ...state },
});

describe('closesWhenIdle', () => {
  it('closes a connection idle between requests', () => {
    expect(closesWhenIdle({})).toBe(true);
  });

  it('closes one whose client stopped sending its body, not one whose body waits for the server', () => {
    expect(closesWhenIdle(request({}))).toBe(true);
    expect(closesWhenIdle(request({ bodyBacklogged: true }))).toBe(false);
  });

  it('keeps one while the server prepares its answer', () => {
    expect(closesWhenIdle(request({ bodyComplete: true }))).toBe(false);
  });

  it('closes one whose client stopped reading the answer, not one waiting for the server to write more', () => {
    expect(closesWhenIdle(request({ bodyComplete: true, headersSent: true, responseBacklogged: true }))).toBe(true);
    expect(closesWhenIdle(request({ bodyComplete: true, headersSent: true }))).toBe(false);
  });
});
