import { expectError, expectProblems, type ExpectedProblem } from './support/http-expect';
import { resetBatonStreams, startOrchestrator, tempDir, type OrchestratorProcess } from './support/stack';

/*
 * The metadata half of the HTTP API, end to end: the real orchestrator (its own process, real
 * NATS, SQLite file in a temp dir) registering, rejecting and serving workflow and task definitions.
 * A process rather than in-process: Jest cannot load @fastify/static's ESM-only dependency,
 * which Swagger UI needs. Run `npm run build` first.
 */

type Json = Record<string, unknown>;

const simple = (ref: string, name = 'do_work', extra: Json = {}): Json => ({ name, taskReferenceName: ref, type: 'SIMPLE', ...extra });
const fork = (ref: string, branches: unknown[][]): Json => ({ name: ref, taskReferenceName: ref, type: 'FORK_JOIN', forkTasks: branches });
const join = (ref: string, joinOn: unknown[]): Json => ({ name: ref, taskReferenceName: ref, type: 'JOIN', joinOn });
const wait = (ref: string, inputParameters: Json = {}): Json => ({ name: ref, taskReferenceName: ref, type: 'WAIT', inputParameters });
const switchTask = (ref: string, extra: Json): Json => ({ name: ref, taskReferenceName: ref, type: 'SWITCH', ...extra });
const definition = (tasks: unknown[], extra: Json = {}): Json => ({ name: 'invalid_flow', version: 1, schemaVersion: 2, tasks, ...extra });

describe('HTTP API: definitions (orchestrator process, real NATS, SQLite file)', () => {
  let orchestrator: OrchestratorProcess;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('http-definitions'), name: 'http-definitions' });
  });

  afterAll(async () => {
    await orchestrator?.handle.stop();
  });

  const post = (path: string, body: unknown) => orchestrator.api.request('POST', path, body);
  const get = (path: string) => orchestrator.api.request('GET', path);

  describe('POST /api/metadata/workflow rejects an invalid definition with a 400 naming every problem', () => {
    const cases: { rule: string; body: unknown; problems: ExpectedProblem[] }[] = [
      { rule: 'no name', body: { version: 1, tasks: [simple('a')] }, problems: [['name', /name must be a string|name should not be empty/]] },
      { rule: 'a name with characters other than letters, digits, "_" and "-"', body: definition([simple('a')], { name: 'order flow!' }), problems: [['name', /letters, digits/]] },
      { rule: 'version 0', body: definition([simple('a')], { version: 0 }), problems: [['version', /not be less than 1|≥ 1/]] },
      { rule: 'a non-integer version', body: definition([simple('a')], { version: 1.5 }), problems: [['version', /integer/]] },
      { rule: 'schemaVersion 1', body: definition([simple('a')], { schemaVersion: 1 }), problems: [['schemaVersion', /2/]] },
      { rule: 'an empty task list', body: definition([]), problems: [['tasks', /empty/]] },
      { rule: 'tasks that is not an array', body: definition({ a: simple('a') } as unknown as unknown[]), problems: [['tasks', /array/]] },
      { rule: 'a task that is not an object', body: definition([simple('a'), 42]), problems: [['tasks[1]', /object/]] },
      { rule: 'a task that is not an object inside a fork branch', body: definition([fork('f', [[simple('a')], [null]]), join('j', ['a'])]), problems: [['tasks[0].forkTasks[1][0]', /object/]] },
      {
        rule: 'a task that is not an object in a SWITCH case inside a fork branch',
        body: definition([
          fork('f', [[switchTask('route', { evaluatorType: 'value-param', expression: 'kind', inputParameters: { kind: 'x' }, decisionCases: { x: [simple('a'), 'oops'] } })], [simple('b')]]),
          join('j', ['b']),
        ]),
        problems: [['tasks[0].forkTasks[0][0].decisionCases.x[1]', /object/]],
      },
      { rule: 'a task without taskReferenceName', body: definition([{ name: 'do_work', type: 'SIMPLE' }]), problems: [['tasks[0].taskReferenceName', /required/]] },
      { rule: 'two tasks with the same reference name', body: definition([simple('a'), simple('a')]), problems: [['tasks[1].taskReferenceName', /duplicate reference name "a".*tasks\[0\]/]] },
      {
        rule: 'a reference name reused inside a fork branch',
        body: definition([simple('a'), fork('f', [[simple('a')], [simple('b')]]), join('j', ['b'])]),
        problems: [['tasks[1].forkTasks[0][0].taskReferenceName', /duplicate reference name "a".*tasks\[0\]/]],
      },
      {
        rule: 'a reference name reused across two SWITCH cases',
        body: definition([switchTask('route', { evaluatorType: 'value-param', expression: 'kind', inputParameters: { kind: 'x' }, decisionCases: { x: [simple('c')], y: [simple('c')] } })]),
        problems: [['tasks[0].decisionCases.y[0].taskReferenceName', /duplicate reference name "c".*tasks\[0\]\.decisionCases\.x\[0\]/]],
      },
      { rule: 'an unknown task type', body: definition([{ name: 'x', taskReferenceName: 'x', type: 'TELEPORT' }]), problems: [['tasks[0].type', /unknown task type "TELEPORT"/]] },
      {
        rule: 'a LAMBDA without its scriptExpression',
        body: definition([{ name: 'calc', taskReferenceName: 'calc', type: 'LAMBDA', inputParameters: { x: 1 } }]),
        problems: [['tasks[0].inputParameters.scriptExpression', /needs a scriptExpression/]],
      },
      { rule: 'a SIMPLE task name with a dot', body: definition([simple('a', 'charge.card')]), problems: [['tasks[0].name', /letters, digits/]] },
      { rule: 'a SIMPLE task name with a space', body: definition([simple('a', 'charge card')]), problems: [['tasks[0].name', /letters, digits/]] },
      {
        rule: 'a SWITCH without expression',
        body: definition([switchTask('route', { evaluatorType: 'value-param', inputParameters: { kind: 'x' }, decisionCases: { x: [simple('a')] } })]),
        problems: [['tasks[0].expression', /required/]],
      },
      {
        rule: 'a SWITCH with an unknown evaluatorType',
        body: definition([switchTask('route', { evaluatorType: 'python', expression: 'kind', inputParameters: { kind: 'x' }, decisionCases: { x: [simple('a')] } })]),
        problems: [['tasks[0].evaluatorType', /value-param, javascript/]],
      },
      {
        rule: 'a value-param SWITCH naming an input parameter it does not define',
        body: definition([switchTask('route', { evaluatorType: 'value-param', expression: 'kind', inputParameters: { other: 'x' }, decisionCases: { x: [simple('a')] } })]),
        problems: [['tasks[0].expression', /input parameter "kind".*does not define/]],
      },
      {
        rule: 'a javascript SWITCH whose expression does not parse',
        body: definition([switchTask('route', { evaluatorType: 'javascript', expression: '$.amount > ', inputParameters: { amount: 1 }, decisionCases: { big: [simple('a')] } })]),
        problems: [['tasks[0].expression', /does not parse/]],
      },
      {
        rule: 'a SWITCH with no cases and no defaultCase',
        body: definition([switchTask('route', { evaluatorType: 'value-param', expression: 'kind', inputParameters: { kind: 'x' }, decisionCases: {} })]),
        problems: [['tasks[0].decisionCases', /at least one case or a defaultCase/]],
      },
      {
        rule: 'a FORK_JOIN with no branches',
        body: definition([fork('f', []), join('j', ['a'])]),
        problems: [['tasks[0].forkTasks', /non-empty array/], ['tasks[1].joinOn[0]', /"a" is not a task of the preceding FORK_JOIN/]],
      },
      { rule: 'a FORK_JOIN not followed by a JOIN', body: definition([fork('f', [[simple('a')], [simple('b')]]), simple('c')]), problems: [['tasks[0]', /FORK_JOIN f must be followed directly by a JOIN/]] },
      {
        rule: 'a JOIN that does not follow a FORK_JOIN',
        body: definition([simple('a'), join('j', ['a'])]),
        problems: [['tasks[1]', /JOIN j must directly follow a FORK_JOIN/], ['tasks[1].joinOn[0]', /not a task of the preceding FORK_JOIN/]],
      },
      { rule: 'a JOIN on nothing (empty joinOn)', body: definition([fork('f', [[simple('a')], [simple('b')]]), join('j', [])]), problems: [['tasks[1].joinOn', /at least one task.*joinOn is empty/]] },
      {
        rule: 'a JOIN on a task outside its fork',
        body: definition([simple('x'), fork('f', [[simple('a')], [simple('b')]]), join('j', ['a', 'x'])]),
        problems: [['tasks[2].joinOn[1]', /"x" is not a task of the preceding FORK_JOIN's branches/]],
      },
      { rule: 'a WAIT with an unparseable duration', body: definition([wait('w', { duration: 'soon-ish' })]), problems: [['tasks[0].inputParameters.duration', /"soon-ish" is not a duration/]] },
      { rule: 'a WAIT with an unparseable until', body: definition([wait('w', { until: 'next tuesday' })]), problems: [['tasks[0].inputParameters.until', /"next tuesday" is not a time/]] },
      { rule: 'a WAIT with both duration and until', body: definition([wait('w', { duration: '5m', until: '2030-01-01 09:00 UTC' })]), problems: [['tasks[0].inputParameters', /duration or until, not both/]] },
      {
        rule: 'a TERMINATE with an unknown terminationStatus',
        body: definition([{ name: 'stop', taskReferenceName: 'stop', type: 'TERMINATE', inputParameters: { terminationStatus: 'DONE' } }]),
        problems: [['tasks[0].inputParameters.terminationStatus', /COMPLETED, FAILED/]],
      },
      {
        rule: 'a ${…} reference to a task the workflow does not define',
        body: definition([simple('a', 'do_work', { inputParameters: { amount: '${nowhere.output.amount}' } })]),
        problems: [['tasks[0].inputParameters', /\$\{nowhere\.output\.amount\}.*task "nowhere"/]],
      },
      {
        rule: 'an unterminated ${ in a parameter',
        body: definition([simple('a', 'do_work', { inputParameters: { amount: '${workflow.input.amount' } })]),
        problems: [['tasks[0].inputParameters', /amount: unterminated/]],
      },
      { rule: 'an unterminated ${ in outputParameters', body: definition([simple('a')], { outputParameters: { total: 'sum ${a.output.total' } }), problems: [['outputParameters', /total: unterminated/]] },
      { rule: 'a negative timeoutSeconds', body: definition([simple('a')], { timeoutSeconds: -5 }), problems: [['timeoutSeconds', /not be less than 0|≥ 0/]] },
      { rule: 'a non-integer timeoutSeconds', body: definition([simple('a')], { timeoutSeconds: 'soon' }), problems: [['timeoutSeconds', /integer/]] },
      { rule: 'a timeoutPolicy workflows do not have', body: definition([simple('a')], { timeoutPolicy: 'RETRY' }), problems: [['timeoutPolicy', /TIME_OUT_WF, ALERT_ONLY/]] },
    ];

    it.each(cases)('given a definition with $rule, when it is registered, then 400 INVALID_DEFINITION names the field and the rule', async ({ body, problems }) => {
      const response = await post('/api/metadata/workflow', body);

      expectProblems(response, 'INVALID_DEFINITION', problems);
    });

    it('given a body that is not a JSON object, when it is registered, then 400 says what the body must be', async () => {
      const response = await post('/api/metadata/workflow', [definition([simple('a')])]);

      expectProblems(response, 'INVALID_DEFINITION', [['', /JSON object/]]);
    });

    it('given a definition with several problems, when it is registered, then one 400 lists every one of them', async () => {
      const body = definition(
        [
          simple('a', 'bad name'),
          simple('a'),
          { name: 'x', taskReferenceName: 'x', type: 'TELEPORT' },
          wait('w', { duration: 'eventually' }),
          fork('f', [[simple('b')]]),
          simple('c', 'do_work', { inputParameters: { v: '${ghost.output.v}' } }),
        ],
        { name: 'two words', version: 0, timeoutPolicy: 'NEVER' },
      );

      const response = await post('/api/metadata/workflow', body);

      expectProblems(response, 'INVALID_DEFINITION', [
        ['name', /letters, digits/],
        ['version', /not be less than 1|≥ 1/],
        ['timeoutPolicy', /TIME_OUT_WF/],
        ['tasks[0].name', /letters, digits/],
        ['tasks[1].taskReferenceName', /duplicate reference name "a"/],
        ['tasks[2].type', /unknown task type "TELEPORT"/],
        ['tasks[3].inputParameters.duration', /"eventually" is not a duration/],
        ['tasks[4]', /must be followed directly by a JOIN/],
        ['tasks[5].inputParameters', /task "ghost"/],
      ]);
    });

    it('given an invalid definition, when it is rejected, then nothing was registered under its name', async () => {
      await post('/api/metadata/workflow', definition([simple('a'), simple('a')], { name: 'never_registered' }));

      expectError(await get('/api/metadata/workflow/never_registered'), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
    });
  });

  describe('registering, updating and reading workflow definitions', () => {
    const greet = (version: number, taskName = 'say_hello'): Json => ({
      name: 'greet',
      version,
      schemaVersion: 2,
      inputParameters: ['name'],
      tasks: [simple('hello', taskName, { inputParameters: { name: '${workflow.input.name}' } })],
      outputParameters: { text: '${hello.output.text}' },
    });

    it('given a valid definition, when it is registered, then 200 and GET returns it', async () => {
      const response = await post('/api/metadata/workflow', greet(1));

      expect(response.status).toBe(200);
      const stored = await get('/api/metadata/workflow/greet?version=1');
      expect(stored.status).toBe(200);
      expect(stored.json()).toEqual(greet(1));
    });

    it('given a registered definition, when the identical definition is posted again, then 409 DEFINITION_EXISTS (as Conductor)', async () => {
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1)]);

      const response = await post('/api/metadata/workflow', greet(1));

      expectError(response, 409, 'DEFINITION_EXISTS');
      expect((await get('/api/metadata/workflow/greet?version=1')).json()).toEqual(greet(1));
    });

    it('given a registered definition, when a different one with the same name and version is posted, then 409 DEFINITION_EXISTS naming the ways to replace it, even when the body is invalid, and the stored one is unchanged', async () => {
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1)]);

      const response = await post('/api/metadata/workflow', greet(1, 'say_hi'));
      const invalid = await post('/api/metadata/workflow', { name: 'greet', version: 1, tasks: [] });

      const body = expectError(response, 409, 'DEFINITION_EXISTS');
      expect(body.message).toMatch(/greet version 1.*PUT.*overwrite=true/);
      expectError(invalid, 409, 'DEFINITION_EXISTS');
      expect((await get('/api/metadata/workflow/greet?version=1')).json()).toEqual(greet(1));
    });

    it('given a registered definition, when posted with overwrite=true, then it is replaced; an invalid one is still 400', async () => {
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1)]);

      const replaced = await post('/api/metadata/workflow?overwrite=true', greet(1, 'say_hi'));
      const invalid = await post('/api/metadata/workflow?overwrite=true', { name: 'greet', version: 1, tasks: [] });
      const badFlag = await post('/api/metadata/workflow?overwrite=yes', greet(1));

      expect(replaced.status).toBe(200);
      expect((await get('/api/metadata/workflow/greet?version=1')).json()).toEqual(greet(1, 'say_hi'));
      expectError(invalid, 400, 'INVALID_DEFINITION');
      expectProblems(badFlag, 'VALIDATION_FAILED', [['overwrite', /true or false/]]);
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1)]);
    });

    it('given a registered version, when it is deleted, then GET answers 404, the deletion is an event in its stream, and a second delete is 404', async () => {
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(31), greet(32)]);

      const deleted = await orchestrator.api.request('DELETE', '/api/metadata/workflow/greet/31');
      const again = await orchestrator.api.request('DELETE', '/api/metadata/workflow/greet/31');

      expect(deleted.status).toBe(200);
      expectError(await get('/api/metadata/workflow/greet?version=31'), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
      expect((await get('/api/metadata/workflow/greet?version=32')).status).toBe(200);
      expectError(again, 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
      expectProblems(await orchestrator.api.request('DELETE', '/api/metadata/workflow/greet/latest'), 'VALIDATION_FAILED', [['version', /integer/]]);
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(31)]);
      expect((await get('/api/metadata/workflow/greet?version=31')).status).toBe(200);
      // Leave no high version behind: other tests read the latest.
      for (const version of [31, 32]) await orchestrator.api.expectOk('DELETE', `/api/metadata/workflow/greet/${version}`);
    });

    it('given a registered definition, when PUT with new content, then 200 and GET returns the new one', async () => {
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1)]);

      const response = await orchestrator.api.request('PUT', '/api/metadata/workflow', [greet(1, 'say_hi')]);

      expect(response.status).toBe(200);
      expect((await get('/api/metadata/workflow/greet?version=1')).json()).toEqual(greet(1, 'say_hi'));
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1)]);
    });

    it('given a PUT with an array holding one invalid definition, when sent, then 400 names it by index and nothing is stored', async () => {
      const response = await orchestrator.api.request('PUT', '/api/metadata/workflow', [greet(7), definition([simple('a')], { name: 'greet', version: 8, timeoutSeconds: -1 })]);

      expectProblems(response, 'INVALID_DEFINITION', [['[1].timeoutSeconds', /not be less than 0|≥ 0/]]);
      expectError(await get('/api/metadata/workflow/greet?version=7'), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
    });

    it('given versions 1 and 2, when GET without a version, then the latest (2); with ?version=1, then version 1', async () => {
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1), greet(2, 'say_hi')]);

      const latest = await get('/api/metadata/workflow/greet');
      const first = await get('/api/metadata/workflow/greet?version=1');

      expect(latest.status).toBe(200);
      expect(latest.json()).toEqual(greet(2, 'say_hi'));
      expect(first.status).toBe(200);
      expect(first.json()).toEqual(greet(1));
    });

    it('given an unknown workflow name or version, when GET, then 404 WORKFLOW_DEFINITION_NOT_FOUND naming it', async () => {
      await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [greet(1)]);

      const unknownName = expectError(await get('/api/metadata/workflow/no_such_flow'), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
      const unknownVersion = expectError(await get('/api/metadata/workflow/greet?version=99'), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');

      expect(unknownName.message).toContain('no_such_flow');
      expect(unknownVersion.message).toMatch(/greet with version 99/);
    });

    it('given ?version=abc, when GET a definition, then 400 names version', async () => {
      expectProblems(await get('/api/metadata/workflow/greet?version=abc'), 'VALIDATION_FAILED', [['version', /integer/]]);
    });

    it('given a valid definition, when POST /validate, then 200 {valid:true} and nothing is registered', async () => {
      const response = await post('/api/metadata/workflow/validate', { ...greet(1), name: 'only_validated' });

      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ valid: true });
      expectError(await get('/api/metadata/workflow/only_validated'), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
    });

    it('given an invalid definition, when POST /validate, then 400 lists its problems', async () => {
      const response = await post('/api/metadata/workflow/validate', definition([fork('f', [[simple('a')]]), join('j', [])]));

      expectProblems(response, 'INVALID_DEFINITION', [['tasks[1].joinOn', /joinOn is empty/]]);
    });
  });

  describe('task definitions', () => {
    const chargeDef = { name: 'charge_card', retryCount: 2, retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 1, timeoutSeconds: 60, responseTimeoutSeconds: 30, timeoutPolicy: 'RETRY' };

    it.each([
      { what: 'a JSON object instead of an array', body: chargeDef },
      { what: 'an empty array', body: [] },
    ])('given $what, when POST /api/metadata/taskdefs, then 400 says the body must be a non-empty array', async ({ body }) => {
      expectProblems(await post('/api/metadata/taskdefs', body), 'VALIDATION_FAILED', [['', /non-empty JSON array/]]);
    });

    it.each([
      { rule: 'a negative retryCount', field: { retryCount: -1 }, problem: ['[1].retryCount', /not be less than 0|≥ 0/] },
      { rule: 'an unknown retryLogic', field: { retryLogic: 'RANDOM' }, problem: ['[1].retryLogic', /FIXED, LINEAR_BACKOFF, EXPONENTIAL_BACKOFF/] },
      { rule: 'responseTimeoutSeconds above timeoutSeconds', field: { timeoutSeconds: 10, responseTimeoutSeconds: 20 }, problem: ['[1].responseTimeoutSeconds', /must not exceed timeoutSeconds \(10\)/] },
      { rule: 'rateLimitPerFrequency without a frequency', field: { rateLimitPerFrequency: 5 }, problem: ['[1].rateLimitFrequencyInSeconds', /≥ 1 when rateLimitPerFrequency is set/] },
      { rule: 'a name with a dot', field: { name: 'charge.card' }, problem: ['[1].name', /letters, digits/] },
    ] as { rule: string; field: Json; problem: ExpectedProblem }[])(
      'given a task definition with $rule (second of two), when registered, then 400 names [1].field and nothing is stored',
      async ({ field, problem }) => {
        const response = await post('/api/metadata/taskdefs', [{ name: 'first_ok' }, { name: 'second_bad', ...field }]);

        expectProblems(response, 'INVALID_DEFINITION', [problem]);
        expectError(await get('/api/metadata/taskdefs/first_ok'), 404, 'TASK_DEFINITION_NOT_FOUND');
      },
    );

    it('given valid task definitions, when registered, then 200 and GET returns each', async () => {
      const response = await post('/api/metadata/taskdefs', [chargeDef, { name: 'ship_parcel' }]);

      expect(response.status).toBe(200);
      const charge = await get('/api/metadata/taskdefs/charge_card');
      expect(charge.status).toBe(200);
      expect(charge.json()).toEqual(chargeDef);
      expect((await get('/api/metadata/taskdefs/ship_parcel')).json()).toEqual({ name: 'ship_parcel' });
    });

    it('given a task definition, when it is deleted, then GET answers 404 and a second delete is 404; registering it again brings it back', async () => {
      await orchestrator.api.expectOk('POST', '/api/metadata/taskdefs', [{ name: 'short_lived' }]);

      const deleted = await orchestrator.api.request('DELETE', '/api/metadata/taskdefs/short_lived');
      const again = await orchestrator.api.request('DELETE', '/api/metadata/taskdefs/short_lived');

      expect(deleted.status).toBe(200);
      expectError(await get('/api/metadata/taskdefs/short_lived'), 404, 'TASK_DEFINITION_NOT_FOUND');
      expectError(again, 404, 'TASK_DEFINITION_NOT_FOUND');
      await orchestrator.api.expectOk('POST', '/api/metadata/taskdefs', [{ name: 'short_lived', retryCount: 1 }]);
      expect((await get('/api/metadata/taskdefs/short_lived')).json()).toEqual({ name: 'short_lived', retryCount: 1 });
    });

    it('given an unknown task definition name, when GET, then 404 TASK_DEFINITION_NOT_FOUND naming it', async () => {
      const body = expectError(await get('/api/metadata/taskdefs/no_such_task'), 404, 'TASK_DEFINITION_NOT_FOUND');

      expect(body.message).toContain('no_such_task');
    });
  });
});
