// Preloaded (node --require) into processes that tests start: when the test runner dies
// without cleaning up, its children notice they were orphaned and exit instead of lingering.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();
