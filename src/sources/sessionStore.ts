/**
 * Content too large to keep in a query (an uploaded file over the dashboard's cap, big pasted text in
 * Explore, whose URL and history hold the query) is kept here, in this browser tab's memory, and the
 * query holds its key. One store per data source instance; lost on reload, by design (the editor says so).
 */
export type SessionContent = Uint8Array | string;

export class SessionStore {
  private readonly items = new Map<string, SessionContent>();
  private next = 1;

  /** Keeps `content` and returns its key; `replaces` (a previous key of the same query) is dropped. */
  put(content: SessionContent, replaces?: string): string {
    if (replaces !== undefined) {
      this.items.delete(replaces);
    }
    const key = `session-${Date.now().toString(36)}-${this.next++}`;
    this.items.set(key, content);
    return key;
  }

  get(key: string): SessionContent | undefined {
    return this.items.get(key);
  }

  delete(key: string): void {
    this.items.delete(key);
  }
}
