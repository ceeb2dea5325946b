// Pure: SDK options for the `openai-base-url` a user gave. Azure OpenAI deployments take their
// `api-version` as a query parameter and the key in an `api-key` header only (the SDK's own
// AzureOpenAI client sends that one header and no bearer token); a query left inside the base URL
// would be lost when the SDK appends `/chat/completions`.
import type { JudgeEndpointKind } from '../../constants.ts';

export interface EndpointOptions {
  readonly baseURL?: string;
  readonly defaultQuery?: Record<string, string>;
  /** An Azure OpenAI endpoint: the SDK's AzureOpenAI client, with this `api-version`. */
  readonly azure?: { readonly apiVersion: string | undefined };
}

const AZURE_HOST =
  /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;

export function endpointOptions(baseUrl: string | undefined): EndpointOptions {
  if (!baseUrl) return {};
  const url = new URL(baseUrl);
  const query = Object.fromEntries(url.searchParams);
  url.search = '';
  url.hash = '';
  const baseURL = url.toString().replace(/\/+$/, '');
  if (AZURE_HOST.test(url.hostname)) {
    // AzureOpenAI adds api-version itself; the rest of the query stays on every request.
    const { 'api-version': apiVersion, ...rest } = query;
    return {
      baseURL,
      ...(Object.keys(rest).length > 0 ? { defaultQuery: rest } : {}),
      azure: { apiVersion },
    };
  }
  return { baseURL, ...(Object.keys(query).length > 0 ? { defaultQuery: query } : {}) };
}

/** The kind of endpoint a base URL names (empty: the SDK's default, OpenAI's API). */
export function endpointKind(baseUrl: string | undefined): JudgeEndpointKind {
  if (!baseUrl) return 'openai';
  const host = URL.canParse(baseUrl) ? new URL(baseUrl).hostname : '';
  if (AZURE_HOST.test(host)) return 'azure';
  return host.toLowerCase() === 'api.openai.com' ? 'openai' : 'other';
}
