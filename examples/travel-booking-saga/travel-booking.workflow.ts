import { forkJoin, simple, taskOutput, workflow, workflowInput, type TaskDef, type WorkflowDef } from '@app/domain';

/** Name of the travel-booking saga. */
export const TRAVEL_WORKFLOW = 'travel_booking';
/** Its failureWorkflow: cancels whatever the failed trip booked. */
export const TRAVEL_COMPENSATION_WORKFLOW = 'travel_booking_compensation';

const tripId = workflowInput('tripId');
const traveller = workflowInput('traveller');

/**
 * Books a trip one service at a time — flight, hotel, car — as a saga: when a booking fails for
 * good, the execution FAILS and Baton starts {@link TRAVEL_COMPENSATION_WORKFLOW} with the failed
 * execution's input and task outputs, which undoes every booking.
 */
export const travelBookingWorkflow: WorkflowDef = workflow(TRAVEL_WORKFLOW, 1)
  .description('Example: travel-booking saga (flight, hotel, car) with compensation on failure')
  .failureWorkflow(TRAVEL_COMPENSATION_WORKFLOW)
  .inputs('tripId', 'traveller', 'flight', 'hotel', 'car')
  .tasks(
    simple('book_flight', 'book_flight', { tripId, traveller, flight: workflowInput('flight') }),
    simple('book_hotel', 'book_hotel', { tripId, traveller, hotel: workflowInput('hotel') }),
    simple('book_car', 'book_car', { tripId, traveller, car: workflowInput('car') }),
  )
  .outputs({
    tripId,
    flightBookingId: taskOutput('book_flight', 'bookingId'),
    hotelBookingId: taskOutput('book_hotel', 'bookingId'),
    carBookingId: taskOutput('book_car', 'bookingId'),
  })
  .build();

const failedTripId = '${workflow.input.input.tripId}';
const bookingOf = (ref: string): string => `\${workflow.input.taskOutputs.${ref}.bookingId}`;

/**
 * Compensation of a failed trip: cancels the three bookings in parallel. A booking that never
 * happened (the car, when the car booking is what failed) has no id; its cancel task is then a
 * no-op, so the compensation needs no branching on how far the saga got.
 */
export const travelCompensationWorkflow: WorkflowDef = workflow(TRAVEL_COMPENSATION_WORKFLOW, 1)
  .description('Example: compensation of a failed travel booking — cancel flight, hotel and car')
  .tasks(
    forkJoin(
      'cancel_all',
      [
        [simple('cancel_flight', 'cancel_flight', { tripId: failedTripId, bookingId: bookingOf('book_flight') })],
        [simple('cancel_hotel', 'cancel_hotel', { tripId: failedTripId, bookingId: bookingOf('book_hotel') })],
        [simple('cancel_car', 'cancel_car', { tripId: failedTripId, bookingId: bookingOf('book_car') })],
      ],
      { joinRef: 'cancel_all_join' },
    ),
  )
  .outputs({
    tripId: failedTripId,
    failedExecution: '${workflow.input.workflowId}',
    reason: '${workflow.input.reason}',
    flightCanceled: taskOutput('cancel_flight', 'canceled'),
    hotelCanceled: taskOutput('cancel_hotel', 'canceled'),
    carCanceled: taskOutput('cancel_car', 'canceled'),
  })
  .build();

const travelTask = (name: string, retryCount: number): TaskDef => ({
  name,
  ownerEmail: 'examples@baton.dev',
  retryCount,
  retryLogic: 'FIXED',
  retryDelaySeconds: 1,
  responseTimeoutSeconds: 30,
  timeoutSeconds: 120,
  timeoutPolicy: 'TIME_OUT_WF',
});

/** Task definitions of the three booking services; cancellations retry longer, since they must eventually happen. */
export const travelTaskDefs: TaskDef[] = [
  travelTask('book_flight', 2),
  travelTask('book_hotel', 2),
  travelTask('book_car', 2),
  travelTask('cancel_flight', 5),
  travelTask('cancel_hotel', 5),
  travelTask('cancel_car', 5),
];
