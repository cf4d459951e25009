import type { IpcError } from "./bindings/IpcError";

/** Code used when a rejection did not carry an `IpcError` payload. */
export const INTERNAL_CODE = "internal";

const INTERNAL_HINT =
  "This looks like a bug in Switchboard. The log folder (see Settings) has details.";

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === "string" &&
    v.code !== "" &&
    typeof v.message === "string" &&
    (v.hint === undefined || typeof v.hint === "string")
  );
}

/**
 * A failed IPC call. UI code switches on `code` (stable, machine-readable),
 * and shows `message` and `hint` to the person; never parse `message`.
 *
 * Kept in its own module (re-exported by `client.ts`) so tests that mock the
 * client can still construct real failures.
 */
export class IpcFailure extends Error {
  readonly code: string;
  readonly hint: string;

  constructor(code: string, message: string, hint: string) {
    super(message);
    this.name = "IpcFailure";
    this.code = code;
    this.hint = hint;
  }

  /** Normalise anything thrown or rejected into an `IpcFailure`. */
  static from(error: unknown): IpcFailure {
    if (error instanceof IpcFailure) return error;
    if (isIpcError(error)) {
      return new IpcFailure(error.code, error.message, error.hint ?? "");
    }
    let message = "Something went wrong.";
    if (error instanceof Error && error.message) message = error.message;
    else if (typeof error === "string" && error) message = error;
    return new IpcFailure(INTERNAL_CODE, message, INTERNAL_HINT);
  }
}
