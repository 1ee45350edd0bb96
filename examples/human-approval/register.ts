import { httpRequest } from '@app/samples';
import { approvalWorkflow, decisionHandler } from './approval.workflow';

/**
 * Registers the approval workflow and its event handler with the orchestrator at `apiUrl`
 * (replacing earlier versions, so it can run again after a change).
 */
export async function registerApproval(apiUrl: string, token?: string): Promise<void> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const send = async (method: string, path: string, body: unknown, accepted: readonly number[] = [200]) => {
    const response = await httpRequest(method, `${apiUrl}${path}`, body, headers);
    if (!accepted.includes(response.status)) throw new Error(`${method} ${path} → ${response.status}: ${response.text}`);
    return response.status;
  };
  await send('POST', '/api/metadata/workflow?overwrite=true', approvalWorkflow);
  // POST answers 409 when the handler exists already; PUT then replaces it.
  if ((await send('POST', '/api/event', decisionHandler, [200, 409])) === 409) await send('PUT', '/api/event', decisionHandler);
}

if (require.main === module) {
  const apiUrl = process.env.BATON_API_URL ?? 'http://127.0.0.1:8080';
  registerApproval(apiUrl, process.env.BATON_TOKEN).then(
    () => console.log(`registered expense_approval and the event handler expense_approval_decisions at ${apiUrl}`),
    (error: unknown) => {
      console.error(`registration failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
