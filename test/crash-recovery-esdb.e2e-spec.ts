import { describeCrashRecovery } from './support/crash-recovery.scenario';

// The orchestrator on the esdb adapter; the EventStoreDB test server runs on across the crash.
describeCrashRecovery('esdb');
