import { randomUUID } from 'node:crypto';
import { notFound } from '../http/errors.js';

/** Celery state names the real server reports (§6). */
export type TaskState = 'PENDING' | 'STARTED' | 'SUCCESS' | 'FAILURE';

/** What a task's work produces when it runs. */
export type TaskOutcome = { ok: true; result: Record<string, unknown>; zip?: Buffer } | { ok: false; reason: string };

interface Task {
  id: string;
  state: TaskState;
  result: Record<string, unknown> | null;
  zip: Buffer | null;
  work: (taskId: string) => TaskOutcome;
}

/** The wire view of a task. */
export interface TaskWire {
  id: string;
  state: TaskState;
  result: Record<string, unknown> | null;
}

/**
 * Async tasks whose state advances one step per poll (PENDING -> STARTED -> SUCCESS | FAILURE), never with time,
 * so tests are deterministic. The work runs at the poll that finishes the task.
 */
export class TaskStore {
  private readonly tasks = new Map<string, Task>();

  /** Only the newest tasks are kept (each may hold a ZIP), so a long-running emulator does not grow forever. */
  static readonly MAX_TASKS = 1000;

  /** Queues work and returns the task in state PENDING. */
  create(work: (taskId: string) => TaskOutcome): TaskWire {
    const task: Task = { id: randomUUID(), state: 'PENDING', result: null, zip: null, work };
    this.tasks.set(task.id, task);
    if (this.tasks.size > TaskStore.MAX_TASKS) {
      const oldest = this.tasks.keys().next().value;
      if (oldest !== undefined) this.tasks.delete(oldest);
    }
    return toWire(task);
  }

  /** Advances a task by one step and returns it; 404 for unknown ids. */
  poll(id: string): TaskWire {
    const task = this.tasks.get(id);
    if (!task) throw notFound();
    if (task.state === 'PENDING') task.state = 'STARTED';
    else if (task.state === 'STARTED') finish(task);
    return toWire(task);
  }

  /** The ZIP of a finished task, or undefined when unknown, unfinished or without a download. */
  download(id: string): Buffer | undefined {
    const task = this.tasks.get(id);
    return task?.state === 'SUCCESS' ? (task.zip ?? undefined) : undefined;
  }
}

function finish(task: Task): void {
  let outcome: TaskOutcome;
  try {
    outcome = task.work(task.id);
  } catch (err) {
    outcome = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  if (outcome.ok) {
    task.state = 'SUCCESS';
    task.result = outcome.result;
    task.zip = outcome.zip ?? null;
  } else {
    task.state = 'FAILURE';
    // GUESS: Celery reports the exception in `result`; we use {"error": "<reason>"}.
    task.result = { error: outcome.reason };
  }
}

function toWire(t: Task): TaskWire {
  return { id: t.id, state: t.state, result: t.result };
}
