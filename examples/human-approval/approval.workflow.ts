import { forkJoin, publishEvent, taskOutput, wait, workflow, workflowInput, type WorkflowDef } from '@app/domain';

/** Name of the approval workflow. */
export const APPROVAL_WORKFLOW = 'expense_approval';
/** The WAIT a person completes, over HTTP or with an event on NATS. */
export const APPROVAL_REF = 'manager_approval';
/** Core NATS subject decisions are published on; the event handler below completes the WAIT from them. */
export const DECISION_SUBJECT = 'approvals.decided';
/** Core NATS subject the escalation is published on when nobody decided in time. */
export const ESCALATION_SUBJECT = 'approvals.escalated';
/** Name of the event handler. */
export const DECISION_HANDLER = 'expense_approval_decisions';

const expenseId = workflowInput('expenseId');

/**
 * An expense waits for a person's decision. In parallel an escalation timer runs: when it fires
 * before anyone decided, an `approvals.escalated` event goes out (to a director, say) — and the
 * same WAIT still accepts the decision, from whoever makes it. The JOIN waits only for the
 * decision, so a decision ends the execution and cancels a timer that has not fired.
 */
export const approvalWorkflow: WorkflowDef = workflow(APPROVAL_WORKFLOW, 1)
  .description('Example: human approval, completed over HTTP or by a NATS event, with an escalation timer')
  .inputs('expenseId', 'amount', 'requester', 'escalateAfter')
  .tasks(
    forkJoin(
      'approval_window',
      [
        [wait(APPROVAL_REF)],
        [
          wait('escalation_timer', { duration: workflowInput('escalateAfter') }),
          publishEvent('escalate', `nats:${ESCALATION_SUBJECT}`, { workflowId: '${workflow.workflowId}', expenseId, amount: workflowInput('amount'), requester: workflowInput('requester') }),
        ],
      ],
      { joinRef: 'approval_window_join', joinOn: [APPROVAL_REF] },
    ),
  )
  .outputs({ expenseId, decision: taskOutput(APPROVAL_REF, 'decision'), approver: taskOutput(APPROVAL_REF, 'approver') })
  .build();

/**
 * Conductor EventHandler: a decision event `{ workflowId, decision, approver }` on core NATS
 * completes the execution's {@link APPROVAL_REF} WAIT with the decision and the approver.
 */
export const decisionHandler = {
  name: DECISION_HANDLER,
  event: `nats:${DECISION_SUBJECT}`,
  active: true,
  condition: "$.decision == 'approved' || $.decision == 'rejected'",
  actions: [
    {
      action: 'complete_task',
      complete_task: { workflowId: '${workflowId}', taskRefName: APPROVAL_REF, output: { decision: '${decision}', approver: '${approver}' } },
    },
  ],
} as const;
