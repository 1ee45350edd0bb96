import { ApiError } from '../api/client';

/** What went wrong, in words: an API error with its code and every problem it named. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  const message = api?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <div className="message tone-danger" role="alert">
      <strong>{title ?? (api ? `${api.status ? `${api.status} ` : ''}${api.code}` : 'Something went wrong')}</strong>
      {message}
      {api && api.validationErrors.length > 0 && (
        <ul>
          {api.validationErrors.map((problem, index) => (
            <li key={index}>
              {problem.path ? <code>{problem.path}</code> : null} {problem.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A loading line that does not jump around. */
export function Loading({ what }: { what: string }) {
  return <div className="empty" aria-busy="true">Loading {what}…</div>;
}
