/**
 * Containers: the shapes AWS IoT entries arrive in once they leave CloudWatch (see log-formats.md §3).
 * A container reader turns a whole text into container records; each record then goes through the same
 * classify → frames steps as a raw entry.
 */

/** One event of a container. Exactly one of `message`, `object`, `fields` is set. */
export interface ContainerRecord {
  /** 1-based line of the container text where the event starts. */
  line: number;
  /** The raw log message as CloudWatch stored it (usually one AWS IoT entry as JSON text). */
  message?: string;
  /** The message was a JSON string in the file: its line breaks are not lines of the file. */
  escaped?: true;
  /** An entry that arrives already parsed (Logs Insights console JSON download, `@message` as object). */
  object?: Record<string, unknown>;
  /**
   * Selected fields without the raw message (Logs Insights rows of `fields eventType, clientId, …`):
   * keys as Insights names them (`resources.RepublishTopic`, `@timestamp`), values as strings.
   */
  fields?: Record<string, unknown>;
}

export interface ContainerOutput {
  records: ContainerRecord[];
  /**
   * Events of the container that could not be read at all (a CSV row cut by an unclosed quote, an
   * event object that is not valid JSON, a payload whose base64 or gzip is broken): each counts as
   * one rejected record, with this line and message.
   */
  broken: Array<{ line: number; message: string }>;
  /** Records the container marks as not being log events, skipped and reported (subscription control messages). */
  skipped: number;
  /** Notes about the whole container for the user ("partial results: the query was still running"). */
  notes: string[];
  /**
   * Stretches of the text that are not this container (raw entries or another output appended to the
   * same file): [start, end) with the line `start` is on. The caller reads each as what it is.
   */
  rest?: Array<{ start: number; end: number; line: number }>;
}

export function emptyOutput(): ContainerOutput {
  return { records: [], broken: [], skipped: 0, notes: [] };
}
