import { STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * A subgraph's answer, read in full, in the shape the gateway's data source expects from `fetch`. Reading the whole
 * body before handing it over means a connection that breaks mid-body is an attempt failure the fetcher can retry,
 * not an error surfacing later inside the gateway, and the attempt's latency covers the whole answer.
 */
export class BufferedResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly headers: Headers;

  constructor(
    readonly url: string,
    readonly status: number,
    rawHeaders: IncomingHttpHeaders | Headers,
    private readonly body: string,
  ) {
    if (rawHeaders instanceof Headers) {
      this.headers = rawHeaders;
    } else {
      this.headers = new Headers();
      for (const [name, value] of Object.entries(rawHeaders)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const item of value) this.headers.append(name, item);
        else this.headers.set(name, value);
      }
    }
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.body);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.url, this.status, this.headers, this.body);
  }
}
