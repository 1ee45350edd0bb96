import { httpRequest } from '@app/samples';
import { travelBookingWorkflow, travelCompensationWorkflow, travelTaskDefs } from './travel-booking.workflow';

/**
 * Registers the saga's task definitions and both workflows with the orchestrator at
 * `BATON_API_URL` (default http://127.0.0.1:8080), sending `BATON_TOKEN` as a bearer token when
 * set. Overwrites earlier versions, so it can run again after a change.
 */
export async function registerTravelBooking(apiUrl: string, token?: string): Promise<void> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const steps: [string, unknown][] = [
    ['/api/metadata/taskdefs', travelTaskDefs],
    // The failureWorkflow first: a definition naming an unknown failureWorkflow may be refused.
    ['/api/metadata/workflow?overwrite=true', travelCompensationWorkflow],
    ['/api/metadata/workflow?overwrite=true', travelBookingWorkflow],
  ];
  for (const [path, body] of steps) {
    const response = await httpRequest('POST', `${apiUrl}${path}`, body, headers);
    if (response.status !== 200) throw new Error(`POST ${path} → ${response.status}: ${response.text}`);
  }
}

if (require.main === module) {
  const apiUrl = process.env.BATON_API_URL ?? 'http://127.0.0.1:8080';
  registerTravelBooking(apiUrl, process.env.BATON_TOKEN).then(
    () => console.log(`registered travel_booking and travel_booking_compensation at ${apiUrl}`),
    (error: unknown) => {
      console.error(`registration failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
