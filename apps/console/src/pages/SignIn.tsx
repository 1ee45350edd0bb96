import { useState, type FormEvent } from 'react';
import { storeToken } from '../api/auth';

/** Asked for when the API answers 401: a bearer token, kept for this browser tab only. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    storeToken(token.trim());
    onSignedIn();
  };
  return (
    <main className="sign-in card" aria-labelledby="sign-in-title">
      <form onSubmit={submit} className="stack" style={{ gap: 12 }}>
        <div className="brand" style={{ color: 'var(--text)', padding: 0 }}><span className="brand-mark" /> Baton</div>
        <h1 id="sign-in-title">Sign in</h1>
        <p className="muted" style={{ margin: 0 }}>This orchestrator asks for a bearer token. It is sent as <code>Authorization: Bearer …</code> and kept for this tab only.</p>
        <label className="field">
          Token
          <input type="password" value={token} onChange={(event) => setToken(event.target.value)} autoFocus autoComplete="off" data-testid="token" />
        </label>
        <button type="submit" className="primary">Sign in</button>
      </form>
    </main>
  );
}
