import { runWorkers } from '@app/samples';
import { TerminalError, type TaskContext } from '@app/worker-sdk';
import { bookingWorkers } from './bookings';

interface FlightInput {
  tripId: string;
  flight: { from: string; to: string; date: string };
}

/** book_flight: books a seat; a flight from a city to itself is bad input, not worth a retry. */
export async function bookFlight(task: TaskContext<FlightInput>): Promise<Record<string, unknown>> {
  const { from, to, date } = task.input.flight ?? {};
  if (!from || !to || !date) throw new TerminalError('flight needs from, to and date');
  if (from === to) throw new TerminalError(`no flight from ${from} to itself`);
  return { from, to, date, seat: '12A' };
}

if (require.main === module) {
  void runWorkers('flight-service', bookingWorkers('flight', bookFlight));
}
