// End-to-end tests drive real clients and servers: hooks and tests get five minutes.
jest.setTimeout(300_000);
