// Integration tests boot the real API on PostgreSQL: hooks and tests get a minute.
jest.setTimeout(60_000);
