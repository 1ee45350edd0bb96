import { Component, useEffect, useState, type ErrorInfo, type ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { currentToken, onTokenChange, storeToken } from './api/auth';
import { onUnauthorized } from './api/client';
import { ErrorMessage } from './components/ErrorMessage';
import { LiveProvider, useLiveState } from './live';
import { DefinitionEditorPage } from './pages/DefinitionEditorPage';
import { DefinitionPage, DefinitionsPage } from './pages/DefinitionsPage';
import { ExecutionPage } from './pages/ExecutionPage';
import { ExecutionsPage } from './pages/ExecutionsPage';
import { OperationsPage } from './pages/OperationsPage';
import { SignIn } from './pages/SignIn';

/** A page that throws while rendering shows what broke instead of going blank. */
class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error?: unknown }> {
  override state: { error?: unknown } = {};
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    return this.state.error ? <ErrorMessage error={this.state.error} title="This page failed to render" /> : this.props.children;
  }
}

function LiveIndicator() {
  const state = useLiveState();
  const label = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline, retrying';
  return (
    <span className="live" data-testid="live-state" data-state={state} title="Updates pushed from the event log">
      <span className={`live-dot ${state}`} /> {label}
    </span>
  );
}

function Shell() {
  const location = useLocation();
  const [token, setToken] = useState(currentToken());
  useEffect(() => onTokenChange(setToken), []);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to the content</a>
      <nav className="sidebar" aria-label="Console">
        <div className="sidebar-inner">
        <div className="brand"><span className="brand-mark" aria-hidden="true" /> Baton</div>
        <NavLink className="nav-link" to="/executions">Executions</NavLink>
        <NavLink className="nav-link" to="/definitions">Definitions</NavLink>
        <NavLink className="nav-link" to="/operations">Operations</NavLink>
        <div className="sidebar-foot">
          <LiveIndicator />
          <a href="/api/docs" style={{ color: '#aab4c8' }}>API reference</a>
          {token && <button type="button" className="small" onClick={() => storeToken(undefined)}>Sign out</button>}
        </div>
        </div>
      </nav>
      <main className="main" id="main" tabIndex={-1}>
        <PageBoundary resetKey={location.pathname}>
          <Routes>
            <Route path="/" element={<Navigate to="/executions" replace />} />
            <Route path="/executions" element={<ExecutionsPage />} />
            <Route path="/executions/:id" element={<ExecutionPage />} />
            <Route path="/definitions" element={<DefinitionsPage />} />
            <Route path="/definitions/new" element={<DefinitionEditorPage />} />
            <Route path="/definitions/:name/:version" element={<DefinitionPage />} />
            <Route path="/operations" element={<OperationsPage />} />
            <Route path="*" element={<div className="card empty">No such page. <NavLink to="/executions">Go to the executions</NavLink>.</div>} />
          </Routes>
        </PageBoundary>
      </main>
    </div>
  );
}

/** The console: sign-in when the API asks for it, else the pages, kept live. */
export function App() {
  const client = useQueryClient();
  const [needsSignIn, setNeedsSignIn] = useState(false);
  useEffect(() => onUnauthorized(() => setNeedsSignIn(true)), []);
  // Signing out (only offered when signed in, i.e. the API asks for tokens) shows the sign-in at
  // once; it also unmounts the live feed, whose open stream was authorised with the old token.
  useEffect(() => onTokenChange((token) => !token && setNeedsSignIn(true)), []);
  if (needsSignIn) {
    return (
      <SignIn
        onSignedIn={() => {
          setNeedsSignIn(false);
          void client.invalidateQueries();
        }}
      />
    );
  }
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}
