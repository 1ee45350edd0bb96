import { MessagingErrorCodes } from './messaging.errors';
import { classifyPublishFailure } from './jetstream-publisher';
import { toHeaderValue } from './dead-letter';

describe('classifyPublishFailure', () => {
  it.each([
    ['TIMEOUT', MessagingErrorCodes.PublishTimeout],
    ['503', MessagingErrorCodes.PublishNoResponders],
    ['DISCONNECT', MessagingErrorCodes.PublishDisconnected],
  ])('retries %s, whose outcome is unknown, and calls it retryable', (code, expected) => {
    expect(classifyPublishFailure({ code })).toEqual({ code: expected, retry: true, retryable: true });
  });

  it('does not retry on a closed connection, but tells the caller a new attempt may work', () => {
    expect(classifyPublishFailure({ code: 'CONNECTION_CLOSED' })).toEqual({ code: MessagingErrorCodes.ConnectionClosed, retry: false, retryable: true });
  });

  it('treats a stream refusing the message as final, except "temporarily unavailable"', () => {
    expect(classifyPublishFailure({ code: '400', api_error: { err_code: 10071 } })).toMatchObject({ code: MessagingErrorCodes.PublishRejected, retryable: false });
    expect(classifyPublishFailure({ code: '503', api_error: { err_code: 10008 } })).toMatchObject({ retry: true, retryable: true });
  });

  it('treats an oversize message as final', () => {
    expect(classifyPublishFailure({ code: 'MAX_PAYLOAD_EXCEEDED' })).toMatchObject({ code: MessagingErrorCodes.PublishTooLarge, retryable: false });
  });
});

describe('toHeaderValue', () => {
  it('keeps header values on one line and bounded', () => {
    expect(toHeaderValue('line one\r\nline two\n')).toBe('line one line two');
    expect(toHeaderValue('x'.repeat(5_000))).toHaveLength(2_048);
  });
});
