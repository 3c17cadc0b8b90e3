export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[] };
  headers: Headers;
}

/** Posts one GraphQL operation the way a browser client would (JSON body, optional bearer token). */
export async function graphql<T = any>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T>['body'], headers: response.headers };
}

/** Posts a raw body, for malformed-request tests. */
export async function postRaw(url: string, body: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, text: await response.text() };
}

/** Error codes of a response, for compact assertions. */
export const errorCodes = (response: GraphQLResponse): (string | undefined)[] => (response.body.errors ?? []).map((e) => e.extensions?.code);
