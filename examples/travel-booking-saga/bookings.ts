import { createHash } from 'node:crypto';
import { createWorker, type BatonWorker, type TaskContext } from '@app/worker-sdk';

/** Input of every cancel_* task: the trip and the booking to undo (absent when it never happened). */
export interface CancelInput {
  tripId: string;
  bookingId?: string | null;
}

/**
 * A booking id derived from the trip, so a command delivered twice books nothing twice (the
 * worker contract is at-least-once).
 */
export function bookingIdFor(kind: string, tripId: string): string {
  return `${kind}-${createHash('sha256').update(`${kind}:${tripId}`).digest('hex').slice(0, 12)}`;
}

/**
 * The book_<kind> and cancel_<kind> workers of one booking service. `book` returns the booking's
 * details (or throws a TerminalError when the booking cannot be made); cancelling is idempotent
 * and a no-op without a booking id.
 *
 * @example
 * bookingWorkers('hotel', async (task) => ({ hotel: task.input.hotel.name, nights: task.input.hotel.nights }));
 */
export function bookingWorkers<I extends { tripId: string }>(kind: string, book: (task: TaskContext<I>) => Promise<Record<string, unknown>>): BatonWorker[] {
  return [
    createWorker<I>({
      taskType: `book_${kind}`,
      handler: async (task) => {
        const details = await book(task);
        const bookingId = bookingIdFor(kind, task.input.tripId);
        task.log(`booked ${kind} ${bookingId} for trip ${task.input.tripId}`);
        return { bookingId, ...details };
      },
    }),
    createWorker<CancelInput>({
      taskType: `cancel_${kind}`,
      handler: async (task) => {
        const bookingId = task.input.bookingId ?? null;
        task.log(bookingId ? `canceled ${kind} ${bookingId} of trip ${task.input.tripId}` : `no ${kind} booked for trip ${task.input.tripId}: nothing to cancel`);
        return { canceled: bookingId !== null, bookingId };
      },
    }),
  ];
}
