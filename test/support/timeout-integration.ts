// Per-project timeouts: jest ignores `testTimeout` inside `projects` entries.
jest.setTimeout(60_000);
