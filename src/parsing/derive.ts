/**
 * Fields AWS hides inside strings, pulled out as columns of their own.
 */
import type { Entry } from './classify';

const THING_TOPIC = /^\$aws\/things\/([^/]+)\/(shadow|jobs)(?:\/|$)(.*)$/;
const JOB_TOPIC_VERBS = new Set(['get', 'start-next', 'notify', 'notify-next', '+', '#', '']);
const WILDCARDS = new Set(['+', '#']);
const JOB_COUNT = /\b([A-Z][A-Z_]*) job execution count: (\d+)/g;

export interface TopicParts {
  thingName?: string;
  shadowName?: string;
  jobId?: string;
}

/**
 * Thing, shadow and job from reserved topics:
 * `$aws/things/<thing>/shadow[/name/<shadow>]/…` and `$aws/things/<thing>/jobs[/<jobId>]/…`.
 * MQTT wildcards (`+`, `#`) are not names.
 */
export function parseThingTopic(topic: string): TopicParts {
  const m = THING_TOPIC.exec(topic);
  if (!m || WILDCARDS.has(m[1])) {
    return {};
  }
  const parts: TopicParts = { thingName: m[1] };
  const rest = m[3].split('/');
  if (m[2] === 'shadow') {
    if (rest[0] === 'name' && rest.length > 1 && rest[1] !== '' && !WILDCARDS.has(rest[1])) {
      parts.shadowName = rest[1];
    }
  } else if (!JOB_TOPIC_VERBS.has(rest[0])) {
    parts.jobId = rest[0];
  }
  return parts;
}

/** `QUEUED job execution count: 0 IN_PROGRESS job execution count: 2 …` → { QUEUED: 0, IN_PROGRESS: 2, … }. */
export function parseJobCounts(details: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of details.matchAll(JOB_COUNT)) {
    counts[m[1]] = Number(m[2]);
  }
  return counts;
}

/**
 * The derived fields of an entry, handed to `emit` (the caller keeps the entry's own attributes when
 * they have the same name): thing, shadow and job from reserved topics, and the job execution counts.
 */
export function deriveFields(entry: Entry, eventType: string, emit: (key: string, value: unknown) => void): void {
  const topic = entry.topicName;
  if (typeof topic === 'string' && topic.startsWith('$aws/things/')) {
    const parts = parseThingTopic(topic);
    if (parts.thingName !== undefined) {
      emit('thingName', parts.thingName);
    }
    if (parts.shadowName !== undefined) {
      emit('shadowName', parts.shadowName);
    }
    if (parts.jobId !== undefined) {
      emit('jobId', parts.jobId);
    }
  }
  const details = entry.details;
  if (eventType === 'ReportFinalJobExecutionCount' && typeof details === 'string') {
    const counts = parseJobCounts(details);
    for (const status of Object.keys(counts)) {
      emit(status, counts[status]);
    }
  }
}
