import { headers as createHeaders } from 'nats';
import { deadLetterHeaders } from './dead-letter';

function original() {
  const headers = createHeaders();
  headers.set('Nats-Msg-Id', 'order-1:COMPLETED');
  headers.set('Nats-Expected-Stream', 'BATON_RESULTS');
  headers.set('traceparent', '00-abc-def-01');
  return { subject: 'baton.result.charge_payment', headers };
}

describe('deadLetterHeaders', () => {
  it('given a JetStream message, then the copy keeps its application headers and says why, from where and after how many deliveries', () => {
    const headers = deadLetterHeaders(original(), { code: 'VALIDATION_FAILED', reason: 'taskId:\nmust be a string' }, { stream: 'BATON_RESULTS', sequence: 42, deliveries: 3, consumer: 'baton-orchestrator-results' });

    expect(headers.get('traceparent')).toBe('00-abc-def-01');
    expect(headers.has('Nats-Msg-Id')).toBe(false);
    expect(headers.has('Nats-Expected-Stream')).toBe(false);
    expect(headers.get('Baton-Dlq-Origin-Msg-Id')).toBe('order-1:COMPLETED');
    expect(headers.get('Baton-Dlq-Code')).toBe('VALIDATION_FAILED');
    expect(headers.get('Baton-Dlq-Reason')).toBe('taskId: must be a string');
    expect(headers.get('Baton-Dlq-Origin-Subject')).toBe('baton.result.charge_payment');
    expect(headers.get('Baton-Dlq-Origin-Stream')).toBe('BATON_RESULTS');
    expect(headers.get('Baton-Dlq-Origin-Sequence')).toBe('42');
    expect(headers.get('Baton-Dlq-Deliveries')).toBe('3');
    expect(headers.get('Baton-Dlq-Consumer')).toBe('baton-orchestrator-results');
  });

  it('given a core NATS message, then there is no origin stream or sequence', () => {
    const headers = deadLetterHeaders(original(), { code: 'INTERRUPTED', reason: 'stopped' }, { deliveries: 1, consumer: 'baton-handler-payments' });

    expect(headers.has('Baton-Dlq-Origin-Stream')).toBe(false);
    expect(headers.has('Baton-Dlq-Origin-Sequence')).toBe(false);
    expect(headers.get('Baton-Dlq-Deliveries')).toBe('1');
    expect(headers.get('Baton-Dlq-Consumer')).toBe('baton-handler-payments');
    expect(headers.get('Baton-Dlq-Origin-Msg-Id')).toBe('order-1:COMPLETED');
  });
});
