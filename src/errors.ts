/**
 * One base class for every error hopwatch raises on purpose. Each carries a stable `code`
 * (listed once in docs/errors.md, never reused) and what the caller should do about it,
 * so the CLI, the crawler and the queue can react without parsing messages.
 */
export type ErrorAction =
  /** a passing fault: the same call may succeed later (timeouts, resets, 5xx) */
  | 'retry'
  /** permanent for this input: retrying cannot help (NXDOMAIN, SSRF refusal, bad argument) */
  | 'give-up'
  /** the remote side asks us to back off (429, politeness) */
  | 'slow-down';

export interface HopwatchErrorOptions {
  action?: ErrorAction;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class HopwatchError extends Error {
  readonly code: string;
  readonly action: ErrorAction;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: HopwatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HopwatchError';
    this.code = code;
    this.action = options.action ?? 'give-up';
    this.details = options.details;
  }

  toJSON(): { code: string; message: string; action: ErrorAction; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      action: this.action,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export function isHopwatchError(err: unknown): err is HopwatchError {
  return err instanceof HopwatchError;
}

/** Message for a user: the code and the text, never a stack. */
export function describeError(err: unknown): string {
  if (isHopwatchError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
