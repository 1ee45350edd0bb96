import path from 'node:path';
import { TRAVEL_COMPENSATION_WORKFLOW, TRAVEL_WORKFLOW } from '../examples/travel-booking-saga/travel-booking.workflow';
import { bookingIdFor } from '../examples/travel-booking-saga/bookings';
import { startNode, type ChildHandle } from './support/child-process';
import type { ConductorWorkflow } from './support/baton-api';
import { eventsOf, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const SERVICES = ['flight-service', 'hotel-service', 'car-service'] as const;

function trip(tripId: string, carCategory: string): Record<string, unknown> {
  return {
    tripId,
    traveller: { name: 'Ada Lovelace', email: 'ada@example.com' },
    flight: { from: 'LHR', to: 'LIS', date: '2027-05-01' },
    hotel: { city: 'Lisbon', nights: 3 },
    car: { city: 'Lisbon', category: carCategory },
  };
}

/** Starts a trip as the README does: the trip id is the correlation id, which the compensation inherits. */
function startTrip(orchestrator: OrchestratorProcess, tripId: string, carCategory: string): Promise<string> {
  return orchestrator.api.expectOk('POST', '/api/workflow', { name: TRAVEL_WORKFLOW, version: 1, correlationId: tripId, input: trip(tripId, carCategory) });
}

describe('example travel-booking-saga: three booking services, compensated on failure', () => {
  let orchestrator: OrchestratorProcess;
  let services: ChildHandle[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    const dir = tempDir('examples-travel');
    const logDir = path.join(dir, 'logs');
    orchestrator = await startOrchestrator({ dataDir: dir });
    const env = { BATON_NATS_URL: NATS_URL, BATON_API_URL: orchestrator.api.baseUrl };
    // The README's commands: register the definitions, then run the three services.
    const register = startNode('register', 'examples/travel-booking-saga/register.js', { logDir, env });
    expect(await register.exited).toBe(0);
    services = SERVICES.map((service) => startNode(service, `examples/travel-booking-saga/${service}.js`, { logDir, env }));
    await Promise.all(services.map((service) => service.waitForLine(/ready/, 30_000)));
  });

  afterAll(async () => {
    await stopAll([...services, orchestrator?.handle]);
  });

  it('given every service can book, when a trip is booked, then it COMPLETES with three booking ids and nothing is compensated', async () => {
    const id = await startTrip(orchestrator, 'trip-ok', 'compact');

    const done = await waitForStatus(orchestrator.api, id, 'COMPLETED');
    expect(done.output).toEqual({
      tripId: 'trip-ok',
      flightBookingId: bookingIdFor('flight', 'trip-ok'),
      hotelBookingId: bookingIdFor('hotel', 'trip-ok'),
      carBookingId: bookingIdFor('car', 'trip-ok'),
    });
    const compensations = (await orchestrator.api.request('GET', `/api/workflow/${TRAVEL_COMPENSATION_WORKFLOW}/correlated/trip-ok?includeClosed=true`)).json() as unknown[];
    expect(compensations).toEqual([]);
  });

  it('given no convertible is available, when the car booking fails for good, then the trip FAILS and the compensation cancels the flight and the hotel and finds no car to cancel', async () => {
    const id = await startTrip(orchestrator, 'trip-fail', 'convertible');

    const failed = await waitForStatus(orchestrator.api, id, 'FAILED');
    const byRef = new Map(failed.tasks.map((task) => [task.referenceTaskName, task]));
    expect(byRef.get('book_flight')?.status).toBe('COMPLETED');
    expect(byRef.get('book_hotel')?.status).toBe('COMPLETED');
    expect(byRef.get('book_car')?.status).toBe('FAILED_WITH_TERMINAL_ERROR');

    const compensation = await waitFor('the compensation to complete', async () => {
      const found = (await orchestrator.api.request('GET', `/api/workflow/${TRAVEL_COMPENSATION_WORKFLOW}/correlated/trip-fail?includeClosed=true&includeTasks=true`)).json() as ConductorWorkflow[];
      return found.length === 1 && found[0]!.status === 'COMPLETED' ? found[0] : undefined;
    });
    expect(compensation.output).toMatchObject({ tripId: 'trip-fail', failedExecution: id, flightCanceled: true, hotelCanceled: true, carCanceled: false });
    expect(compensation.output.reason).toMatch(/no convertible car available in Lisbon/);

    // The compensation's own history records each cancellation the services reported.
    const history = await orchestrator.api.history(compensation.workflowId);
    const cancellations = eventsOf(history, 'TaskCompleted').map((event) => event.data);
    expect(cancellations).toEqual(expect.arrayContaining([
      expect.objectContaining({ output: { canceled: true, bookingId: bookingIdFor('flight', 'trip-fail') } }),
      expect.objectContaining({ output: { canceled: true, bookingId: bookingIdFor('hotel', 'trip-fail') } }),
      expect.objectContaining({ output: { canceled: false, bookingId: null } }),
    ]));
  });
});
