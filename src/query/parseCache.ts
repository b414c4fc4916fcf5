/**
 * Re-running a query whose content did not change must not parse it again: results are kept for the
 * last few distinct contents (a dashboard's queries, and the one being edited).
 */
import { parseLogs, type ParseResult } from '../parsing';

export class ParseCache {
  private entries = new Map<string, ParseResult>();

  constructor(
    private readonly capacity = 8,
    private readonly parse: (content: string) => ParseResult = (content) => parseLogs(content)
  ) {}

  get(content: string): ParseResult {
    let result = this.entries.get(content);
    if (result) {
      // Most recently used last.
      this.entries.delete(content);
    } else {
      result = this.parse(content);
      if (this.entries.size >= this.capacity) {
        this.entries.delete(this.entries.keys().next().value!);
      }
    }
    this.entries.set(content, result);
    return result;
  }
}
