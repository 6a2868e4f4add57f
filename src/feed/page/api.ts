/**
 * Every call to the review API. The token lives in sessionStorage (gone when the tab closes) and
 * travels only in the Authorization header: there is no cookie, so a request forged by another
 * site carries no credential (CSRF has nothing to ride on).
 */
import type { Decision, DecisionKind, MatchDetail, MatchPage, Me, SiteInfo } from './types.js';

const TOKEN_KEY = 'hopwatch.reviewToken';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code: string | null = null) {
    super(message);
    this.name = 'ApiError';
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Called when the server says the token is no good (401): the app goes back to the login form. */
let onUnauthorised: () => void = () => undefined;
export function whenUnauthorised(handler: () => void): void {
  onUnauthorised = handler;
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  let code: string | null = null;
  try {
    const body = (await response.json()) as { message?: unknown; code?: unknown; error?: unknown };
    if (typeof body.message === 'string') message = body.message;
    else if (typeof body.error === 'string') message = body.error;
    if (typeof body.code === 'string') code = body.code;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message, code);
}

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const current = token();
  if (current) headers.set('authorization', `Bearer ${current}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  // same-origin only, no cookies, no referrer leaking the match id
  const response = await fetch(path, { ...init, headers, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
  if (response.status === 401) {
    onUnauthorised();
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await (await call(path, init)).json()) as T;
}

export interface MatchQuery {
  state?: string;
  site?: string;
  verdict?: string;
  since?: string;
  until?: string;
  q?: string;
  sort?: string;
  cursor?: string;
  limit?: number;
}

export function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const api = {
  me: () => json<Me>('/api/me'),
  matches: (query: MatchQuery) => json<MatchPage>(`/api/matches${queryString({ ...query })}`),
  match: (id: string) => json<MatchDetail>(`/api/matches/${encodeURIComponent(id)}`),
  decide: (id: string, decision: DecisionKind, reason: string) =>
    json<{ decision: Decision }>(`/api/matches/${encodeURIComponent(id)}/decisions`, { method: 'POST', body: JSON.stringify({ decision, reason }) }),
  decideMany: (ids: string[], decision: DecisionKind, reason: string) =>
    json<{ decisions: Decision[] }>('/api/decisions/bulk', { method: 'POST', body: JSON.stringify({ ids, decision, reason }) }),
  sites: () => json<SiteInfo[]>('/api/sites'),
};

/** A file behind the token (evidence, exports): fetched with the header, handed to the browser as a download. */
export async function download(path: string, fallbackName: string): Promise<{ name: string; excluded: string | null }> {
  const response = await call(path);
  const disposition = response.headers.get('content-disposition') ?? '';
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const name = named ? decodeURIComponent(named).replace(/[/\\]/g, '_') : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
  return { name, excluded: response.headers.get('x-hopwatch-excluded') };
}

/** An image behind the token: as an object URL for an <img> (CSP allows blob: images only). */
export async function imageUrl(path: string): Promise<string> {
  const response = await call(path);
  const blob = await response.blob();
  // only ever show it as a PNG, whatever the server or the file claims
  return URL.createObjectURL(new Blob([blob], { type: 'image/png' }));
}
