"""A Baton worker in Python, speaking the JetStream contract (docs/wire-contract.md §4-§8) with nats-py.

Task type `greet` (BATON_TASK_TYPE): answers {"greeting": "Hello, <name>!"}. An input without a
usable `name` is a terminal failure (FAILED_WITH_TERMINAL_ERROR: the orchestrator does not retry
it); any other exception is a FAILED result, which the orchestrator retries per the task
definition. While a task runs the worker heartbeats: `+WPI` on the command (so JetStream does not
redeliver it) and an IN_PROGRESS result the orchestrator records (so the task does not time out).

    BATON_NATS_URL=nats://127.0.0.1:4222 python worker.py
"""

import asyncio
import json
import os
import signal
import socket
import time

import nats
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

TASKS_STREAM = "BATON_TASKS"
MAX_DELIVERIES = 10  # the contract's bound: Baton's consumers set max_deliver -1 and count themselves


class TerminalError(Exception):
    """Retrying cannot help: reported as FAILED_WITH_TERMINAL_ERROR."""


async def greet(task, heartbeat):
    """The task handler: `task` is the command's body (§5.1); returns the task's output."""
    name = task["input"].get("name")
    if not isinstance(name, str) or not name.strip():
        raise TerminalError("input.name must be a non-empty string")
    await heartbeat(f"greeting {name}")
    # Stands for slow work; the periodic heartbeats keep the task alive meanwhile.
    await asyncio.sleep(task["input"].get("workMs", 0) / 1000)
    return {"greeting": f"Hello, {name}!", "worker": "python"}


class Worker:
    """Runs one task type: pulls commands, runs the handler, publishes the result, then acks."""

    def __init__(self, nc, task_type, handler, worker_id, concurrency=4):
        self.js = nc.jetstream()
        self.task_type = task_type
        self.handler = handler
        self.worker_id = worker_id
        self.slots = asyncio.Semaphore(concurrency)
        self.concurrency = concurrency
        self.running = set()
        self.stopping = asyncio.Event()

    async def run(self):
        # Bind the durable every worker of this type shares, or create it with the contract's settings (§8.2).
        subscription = await self.js.pull_subscribe(
            f"baton.task.{self.task_type}",
            durable=f"baton-worker-{self.task_type}",
            stream=TASKS_STREAM,
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=60, max_deliver=-1,
                                  max_ack_pending=64, deliver_policy=DeliverPolicy.ALL),
        )
        print(f"python worker {self.worker_id} ready: consuming baton.task.{self.task_type}", flush=True)
        while not self.stopping.is_set():
            free = self.concurrency - len(self.running)
            if free == 0:
                await asyncio.wait(self.running, return_when=asyncio.FIRST_COMPLETED)
                continue
            try:
                messages = await subscription.fetch(free, timeout=1)
            except (NatsTimeoutError, asyncio.TimeoutError):  # nothing to do within the second (nats-py raises either)
                continue
            for msg in messages:
                job = asyncio.create_task(self.handle(msg))
                self.running.add(job)
                job.add_done_callback(self.running.discard)
        if self.running:
            await asyncio.wait(self.running)  # running tasks finish and report before the worker exits

    async def handle(self, msg):
        try:
            task = json.loads(msg.data)
            if not isinstance(task, dict) or not all(key in task for key in ("taskId", "executionId", "attempt", "input")):
                raise ValueError("not a task command")
        except ValueError:
            await msg.term()  # undecodable: never retry it (a fuller worker dead-letters it first, §7)
            return
        if msg.metadata.num_delivered > MAX_DELIVERIES:
            await msg.term()
            return

        beats = 0
        logs = []

        async def heartbeat(line=None):
            nonlocal beats
            if line:
                logs.append({"log": line, "createdTime": int(time.time() * 1000)})
            beats += 1
            await msg.in_progress()
            await self.publish(task, {"status": "IN_PROGRESS", "logs": list(logs)}, f"IN_PROGRESS:{beats}")

        async def beat_periodically():
            interval = min(task.get("responseTimeoutSeconds", 90) / 3, 30)
            while True:
                await asyncio.sleep(interval)
                await heartbeat()

        ticker = asyncio.create_task(beat_periodically())
        try:
            body = {"status": "COMPLETED", "output": await self.handler(task, heartbeat)}
        except TerminalError as error:
            body = {"status": "FAILED_WITH_TERMINAL_ERROR", "reason": str(error)}
        except Exception as error:  # the orchestrator retries FAILED per the task definition
            body = {"status": "FAILED", "reason": f"{type(error).__name__}: {error}"}
        finally:
            ticker.cancel()
        try:
            await self.publish(task, {**body, "logs": logs}, body["status"])
        except Exception:
            await msg.nak(delay=5)  # not stored: the command comes back and the task runs again
            return
        await msg.ack()  # only once the result is stored in JetStream

    async def publish(self, task, body, msg_id_suffix):
        result = {"taskId": task["taskId"], "executionId": task["executionId"], "attempt": task["attempt"],
                  "workerId": self.worker_id, **body}
        # Waits for JetStream's ack; the Nats-Msg-Id makes a repeated publish a duplicate (§4).
        await self.js.publish(f"baton.result.{self.task_type}", json.dumps(result).encode(),
                              headers={"Nats-Msg-Id": f"{task['taskId']}:{task['attempt']}:{msg_id_suffix}"})


async def main():
    nc = await nats.connect(os.environ.get("BATON_NATS_URL") or "nats://127.0.0.1:4222", name="baton-python-worker")
    worker = Worker(nc, os.environ.get("BATON_TASK_TYPE", "greet"), greet,
                    os.environ.get("BATON_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}")
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, worker.stopping.set)
    await worker.run()
    await nc.drain()


if __name__ == "__main__":
    asyncio.run(main())
