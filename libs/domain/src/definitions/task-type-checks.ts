import type { WorkflowTask } from './workflow-def';

/** Reports one problem of a workflow task at a JSON path below the task. */
type Add = (path: string, message: string) => void;

/**
 * Why Baton refuses a Conductor task type outright, naming what to use instead; undefined for
 * the types it runs or has not decided on.
 */
export const REFUSED_TASK_TYPES: Readonly<Record<string, string>> = {
  KAFKA_PUBLISH:
    'task type KAFKA_PUBLISH is not supported: Baton has no Kafka client. Publish with an EVENT task to a JetStream subject instead ({"type": "EVENT", "sink": "jsm:<subject>"}), and bridge that stream to Kafka if Kafka must receive it',
};

/** Checks of the task types added for Conductor parity (EXCLUSIVE_JOIN, DYNAMIC, START_WORKFLOW), at `at` (the task's JSON path). */
export function checkParityTask(type: string, task: WorkflowTask, at: string, add: Add): void {
  switch (type) {
    case 'EXCLUSIVE_JOIN':
      if (!Array.isArray(task.joinOn) || task.joinOn.length === 0 || task.joinOn.some((ref) => typeof ref !== 'string')) {
        add(`${at}.joinOn`, 'an EXCLUSIVE_JOIN needs joinOn: the reference names of the tasks that end each case');
      }
      if (task.defaultExclusiveJoinTask !== undefined && (!Array.isArray(task.defaultExclusiveJoinTask) || task.defaultExclusiveJoinTask.some((ref) => typeof ref !== 'string'))) {
        add(`${at}.defaultExclusiveJoinTask`, 'must be a list of reference names');
      }
      return;
    case 'DYNAMIC':
      if (typeof task.dynamicTaskNameParam !== 'string' || task.dynamicTaskNameParam.trim() === '') {
        add(`${at}.dynamicTaskNameParam`, 'a DYNAMIC task needs dynamicTaskNameParam: the input parameter that holds the name of the task to run');
      } else if (!(task.dynamicTaskNameParam in (task.inputParameters ?? {}))) {
        add(`${at}.dynamicTaskNameParam`, `names input parameter "${task.dynamicTaskNameParam}", which inputParameters does not define`);
      }
      return;
    case 'START_WORKFLOW': {
      const request = (task.inputParameters ?? {})['startWorkflow'];
      if (typeof request !== 'string' && (typeof request !== 'object' || request === null || Array.isArray(request))) {
        add(`${at}.inputParameters.startWorkflow`, 'a START_WORKFLOW needs inputParameters.startWorkflow: { name, version?, input?, correlationId? }');
      }
      return;
    }
  }
}
