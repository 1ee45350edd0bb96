import { InMemoryEventStore } from '@app/event-store';
import { withDefaults, type EventHandlerDef } from './event-handler-def';
import { EVENT_HANDLER_CATALOG_STREAM, EVENT_HANDLER_REGISTERED, EVENT_HANDLER_REMOVED, EventHandlerRegistry, handlerStream } from './event-handler-registry.service';
import { EventHandlerExistsError, EventHandlerNotFoundError } from './event-handler.errors';

const cause = { actor: 'test', causationId: 'req-1' };
const handler = (name: string, extra: Partial<EventHandlerDef> = {}): EventHandlerDef =>
  withDefaults({ name, event: 'jsm:orders.placed', active: true, actions: [{ action: 'start_workflow', start_workflow: { name: 'fulfil' } }], ...extra });

/** Resolves when `check` holds, polling every 5 ms for at most 2 s. */
async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('EventHandlerRegistry', () => {
  let store: InMemoryEventStore;
  let here: EventHandlerRegistry;
  let there: EventHandlerRegistry;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    here = new EventHandlerRegistry(store);
    there = new EventHandlerRegistry(store);
    await here.start(10);
    await there.start(10);
  });

  afterEach(() => {
    here.onApplicationShutdown();
    there.onApplicationShutdown();
  });

  it('given a handler added on one replica, when the other polls, then both see it, and it is stored as an event in handler-<name> and announced in the catalog', async () => {
    const changes: number[] = [];
    there.onChange(() => changes.push(1));

    await here.add(handler('h1'), cause);

    expect(here.get('h1')).toEqual(handler('h1'));
    await eventually(() => there.get('h1') !== undefined);
    expect(changes.length).toBeGreaterThan(0);
    const [stored] = await store.readStream(handlerStream('h1'));
    expect(stored).toMatchObject({ type: EVENT_HANDLER_REGISTERED, data: { handler: handler('h1') }, metadata: expect.objectContaining({ actor: 'test', causationId: 'req-1' }) });
    expect((await store.readStream(EVENT_HANDLER_CATALOG_STREAM)).map((entry) => entry.data)).toEqual([{ name: 'h1' }]);
  });

  it('given an existing handler, when added again on either replica, then EventHandlerExistsError', async () => {
    await here.add(handler('h1'), cause);
    await expect(here.add(handler('h1'), cause)).rejects.toBeInstanceOf(EventHandlerExistsError);
    // The other replica has not polled yet: the store decides, not its memory.
    await expect(there.add(handler('h1'), cause)).rejects.toBeInstanceOf(EventHandlerExistsError);
  });

  it('given a handler, when updated and then removed on one replica, then the other follows, and a removed name is free again', async () => {
    await here.add(handler('h1'), cause);
    await here.update(handler('h1', { active: false }), cause);
    await eventually(() => there.get('h1')?.active === false);

    await there.remove('h1', cause);
    await eventually(() => here.get('h1') === undefined);
    expect(here.listRemoved()).toEqual([handler('h1', { active: false })]);
    const last = (await store.readStream(handlerStream('h1'))).at(-1);
    expect(last).toMatchObject({ type: EVENT_HANDLER_REMOVED, data: { name: 'h1', handler: handler('h1', { active: false }) } });

    await here.add(handler('h1'), cause);
    expect(here.listRemoved()).toEqual([]);
  });

  it('given no such handler, when updated or removed, then EventHandlerNotFoundError', async () => {
    await expect(here.update(handler('nope'), cause)).rejects.toBeInstanceOf(EventHandlerNotFoundError);
    await expect(here.remove('nope', cause)).rejects.toBeInstanceOf(EventHandlerNotFoundError);
  });

  it('given handlers on several events, when queried by event, then only that event’s come back, active ones unless told otherwise', async () => {
    await here.add(handler('b', { event: 'nats:x' }), cause);
    await here.add(handler('a'), cause);
    await here.add(handler('c', { active: false }), cause);

    expect(here.list().map((h) => h.name)).toEqual(['a', 'b', 'c']);
    expect(here.forEvent('jsm:orders.placed', true).map((h) => h.name)).toEqual(['a']);
    expect(here.forEvent('jsm:orders.placed', false).map((h) => h.name)).toEqual(['a', 'c']);
  });

  it('given a registry started after handlers were stored, when it starts, then it loads them', async () => {
    await here.add(handler('h1'), cause);
    await here.remove('h1', cause);
    await here.add(handler('h2'), cause);
    const late = new EventHandlerRegistry(store);
    await late.start(1_000);
    expect(late.list().map((h) => h.name)).toEqual(['h2']);
    expect(late.listRemoved().map((h) => h.name)).toEqual(['h1']);
    late.onApplicationShutdown();
  });
});
