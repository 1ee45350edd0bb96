import { describeCrashRecovery } from './support/crash-recovery.scenario';

describeCrashRecovery('sqlite');
