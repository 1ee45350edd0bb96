import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import type { FieldProblem, WorkflowDef } from '../api/types';
import { Diagram } from '../components/Diagram';
import { ErrorMessage } from '../components/ErrorMessage';
import { buildDiagram } from '../model/diagram-model';
import { jsonSyntaxError, locatePath } from '../model/json-location';

const TEMPLATE = `{
  "name": "my_workflow",
  "version": 1,
  "description": "",
  "tasks": [
    { "name": "my_task", "taskReferenceName": "my_task", "type": "SIMPLE", "inputParameters": { "id": "\${workflow.input.id}" } }
  ],
  "outputParameters": { "result": "\${my_task.output}" }
}`;

type Outcome = { kind: 'valid' } | { kind: 'registered'; name: string; version: number } | { kind: 'invalid'; problems: readonly FieldProblem[]; error: ApiError } | { kind: 'error'; error: unknown };

/** Write or paste a workflow definition, validate it against Baton's validator, register it. */
export function DefinitionEditorPage() {
  const [params] = useSearchParams();
  const from = params.get('from');
  const navigate = useNavigate();
  const client = useQueryClient();
  const source = useQuery({
    queryKey: ['definition', from, params.get('version')],
    queryFn: () => api.get<WorkflowDef>(`/api/metadata/workflow/${encodeURIComponent(from!)}?version=${encodeURIComponent(params.get('version') ?? '')}`),
    enabled: !!from,
  });
  const [text, setText] = useState(TEMPLATE);
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (source.data) setText(JSON.stringify({ ...source.data, version: (source.data.version ?? 1) + 1 }, null, 2));
  }, [source.data]);

  const syntax = jsonSyntaxError(text);
  const parsed = useMemo(() => {
    try {
      return JSON.parse(text) as WorkflowDef;
    } catch {
      return undefined;
    }
  }, [text]);
  const diagram = useMemo(() => (parsed && Array.isArray(parsed.tasks) ? buildDiagram(parsed) : undefined), [parsed]);

  const reveal = (offset: number, length: number) => {
    const area = editor.current;
    if (!area) return;
    area.focus();
    area.setSelectionRange(offset, offset + length);
    const line = text.slice(0, offset).split('\n').length;
    area.scrollTop = Math.max(0, (line - 5) * 19);
  };
  const act = async (register: boolean) => {
    if (!parsed) return;
    setBusy(true);
    try {
      await api.post('/api/metadata/workflow/validate', parsed);
      if (register) {
        await api.post('/api/metadata/workflow', parsed);
        await client.invalidateQueries({ queryKey: ['definitions'] });
        setOutcome({ kind: 'registered', name: parsed.name, version: parsed.version ?? 1 });
      } else setOutcome({ kind: 'valid' });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.validationErrors.length > 0) setOutcome({ kind: 'invalid', problems: error.validationErrors, error });
      else setOutcome({ kind: 'error', error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>{from ? `New version of ${from}` : 'New workflow'}</h1>
        <span className="spacer" />
        <Link to="/definitions">Back to the definitions</Link>
      </div>
      <div className="editor">
        <div className="card">
          <label className="field" htmlFor="definition-json">Workflow definition (Conductor JSON)</label>
          <textarea
            id="definition-json"
            ref={editor}
            value={text}
            spellCheck={false}
            onChange={(event) => {
              setText(event.target.value);
              setOutcome(undefined);
            }}
            data-testid="definition-json"
            aria-invalid={outcome?.kind === 'invalid' || !!syntax}
          />
        </div>
        <div className="stack">
          <div className="card">
            <div className="row">
              <button type="button" onClick={() => void act(false)} disabled={busy || !parsed} data-testid="validate">Validate</button>
              <button type="button" className="primary" onClick={() => void act(true)} disabled={busy || !parsed} data-testid="register">Validate and register</button>
            </div>
            <div style={{ marginTop: 12 }} aria-live="polite" data-testid="editor-outcome">
              {syntax && (
                <div className="message tone-danger" role="alert">
                  <strong>Not JSON (line {syntax.line})</strong>
                  {syntax.message} <button type="button" className="link" onClick={() => reveal(syntax.offset, 1)}>show</button>
                </div>
              )}
              {outcome?.kind === 'valid' && <div className="message tone-success"><strong>Valid</strong>Baton's validator found no problem. Nothing was stored.</div>}
              {outcome?.kind === 'registered' && (
                <div className="message tone-success">
                  <strong>Registered</strong>
                  <Link to={`/definitions/${encodeURIComponent(outcome.name)}/${outcome.version}`}>{outcome.name} v{outcome.version}</Link> can now be started.
                  <div style={{ marginTop: 6 }}><button type="button" onClick={() => navigate(`/definitions/${encodeURIComponent(outcome.name)}/${outcome.version}`)}>Open it</button></div>
                </div>
              )}
              {outcome?.kind === 'invalid' && (
                <div className="stack" style={{ gap: 8 }}>
                  <div className="message tone-danger" role="alert"><strong>Refused: {outcome.problems.length} problem{outcome.problems.length === 1 ? '' : 's'}</strong>{outcome.error.message.split(':')[0]}. Click a problem to see where it is.</div>
                  <ul className="problems" data-testid="problems">
                    {outcome.problems.map((problem, index) => {
                      const place = locatePath(text, problem.path);
                      return (
                        <li key={index}>
                          <button type="button" onClick={() => place && reveal(place.offset, place.length)} disabled={!place}>
                            <code>{problem.path || '(the definition)'}</code>{place ? ` · line ${place.line}` : ''}
                            <br />
                            {problem.message}
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              )}
              {outcome?.kind === 'error' && <ErrorMessage error={outcome.error} />}
            </div>
          </div>
          <div className="card">
            <h2>Preview</h2>
            {diagram ? <Diagram diagram={diagram} height={380} /> : <div className="empty">The diagram appears once the text is a definition.</div>}
          </div>
        </div>
      </div>
    </>
  );
}
