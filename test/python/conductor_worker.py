"""A polling worker written with Conductor's Python SDK (conductor-python), pointed at Baton.

Run by test/conductor-python-sdk.e2e-spec.ts with CONDUCTOR_SERVER_URL set to the orchestrator.
It serves one task type, `py_shout`: the output is the input `text` upper-cased, plus which SDK ran it.
"""
import os

from conductor.client.automator.task_handler import TaskHandler
from conductor.client.configuration.configuration import Configuration
from conductor.client.http.models import Task, TaskResult
from conductor.client.http.models.task_result_status import TaskResultStatus
from conductor.client.worker.worker import Worker

WORKER_ID = "python-sdk-worker"


def shout(task: Task) -> TaskResult:
    result = TaskResult(task_id=task.task_id, workflow_instance_id=task.workflow_instance_id, worker_id=WORKER_ID)
    result.add_output_data("shouted", str((task.input_data or {}).get("text", "")).upper())
    result.add_output_data("sdk", "conductor-python")
    result.status = TaskResultStatus.COMPLETED
    return result


def main() -> None:
    configuration = Configuration(server_api_url=os.environ["CONDUCTOR_SERVER_URL"] + "/api")
    workers = [Worker(task_definition_name="py_shout", execute_function=shout, poll_interval=100, worker_id=WORKER_ID)]
    with TaskHandler(workers=workers, configuration=configuration, scan_for_annotated_workers=False) as handler:
        handler.start_processes()
        handler.join_processes()


if __name__ == "__main__":
    main()
