import { runWorkers } from '@app/samples';
import { TerminalError, type TaskContext } from '@app/worker-sdk';
import { bookingWorkers } from './bookings';

interface CarInput {
  tripId: string;
  car: { city: string; category: string };
}

/** The categories this (imaginary) rental fleet has; anything else fails the booking for good. */
export const CAR_CATEGORIES = ['compact', 'estate', 'van'] as const;

/** book_car: rents a car of an available category — asking for another one is what triggers the saga's compensation. */
export async function bookCar(task: TaskContext<CarInput>): Promise<Record<string, unknown>> {
  const { city, category } = task.input.car ?? {};
  if (!city) throw new TerminalError('car needs a city');
  if (!(CAR_CATEGORIES as readonly string[]).includes(category)) {
    throw new TerminalError(`no ${String(category)} car available in ${city} (fleet: ${CAR_CATEGORIES.join(', ')})`);
  }
  return { city, category };
}

if (require.main === module) {
  void runWorkers('car-service', bookingWorkers('car', bookCar));
}
