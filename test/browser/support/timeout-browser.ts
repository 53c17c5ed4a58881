// Browser tests start a real Wharf and a real Chromium: hooks and tests get two minutes.
jest.setTimeout(120_000);
