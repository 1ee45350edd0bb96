import { runWorkers } from '@app/samples';
import { TerminalError, type TaskContext } from '@app/worker-sdk';
import { bookingWorkers } from './bookings';

interface HotelInput {
  tripId: string;
  hotel: { city: string; nights: number };
}

/** book_hotel: books a room for a positive number of nights. */
export async function bookHotel(task: TaskContext<HotelInput>): Promise<Record<string, unknown>> {
  const { city, nights } = task.input.hotel ?? {};
  if (!city) throw new TerminalError('hotel needs a city');
  if (!Number.isInteger(nights) || nights < 1) throw new TerminalError(`hotel nights must be a positive integer, got ${String(nights)}`);
  return { city, nights, room: '304' };
}

if (require.main === module) {
  void runWorkers('hotel-service', bookingWorkers('hotel', bookHotel));
}
