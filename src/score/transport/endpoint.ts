// Pure: SDK options for the `openai-base-url` a user gave. Azure OpenAI deployments take their
// `api-version` as a query parameter and the key in an `api-key` header; a query left inside the
// base URL would be lost when the SDK appends `/chat/completions`.

export interface EndpointOptions {
  readonly baseURL?: string;
  readonly defaultQuery?: Record<string, string>;
  readonly defaultHeaders?: Record<string, string>;
}

const AZURE_HOST =
  /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;

export function endpointOptions(baseUrl: string | undefined, apiKey: string): EndpointOptions {
  if (!baseUrl) return {};
  const url = new URL(baseUrl);
  const query = Object.fromEntries(url.searchParams);
  url.search = '';
  url.hash = '';
  return {
    baseURL: url.toString().replace(/\/+$/, ''),
    ...(Object.keys(query).length > 0 ? { defaultQuery: query } : {}),
    ...(AZURE_HOST.test(url.hostname) ? { defaultHeaders: { 'api-key': apiKey } } : {}),
  };
}
