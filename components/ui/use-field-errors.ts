"use client";

import { useState, type FormEvent } from "react";
import { fieldError } from "./text-field";

type State = { ok: boolean; fieldErrors?: Record<string, string[]> } | null;
const NONE: ReadonlySet<string> = new Set();

/**
 * A server action's field errors, each hidden once the person edits that field: the message
 * was about what they sent, not what they are typing. Put `onChange` on the <form> (change
 * events bubble from every input); a new result from the action shows its errors afresh.
 */
export function useFieldErrors(state: State) {
  const [edited, setEdited] = useState<{ of: State; names: ReadonlySet<string> }>({ of: state, names: NONE });
  const names = edited.of === state ? edited.names : NONE;
  return {
    onChange(event: FormEvent<HTMLFormElement>) {
      const name = (event.target as { name?: unknown }).name;
      if (typeof name === "string" && name && !names.has(name)) setEdited({ of: state, names: new Set([...names, name]) });
    },
    /** The error for `key` (the command's field), unless `inputName` (the form's input, by default the same) was edited since. */
    error(key: string, inputName = key): string | undefined {
      return names.has(inputName) ? undefined : fieldError(state, key);
    },
    edited: (inputName: string) => names.has(inputName),
  };
}
