"use client";

import { useEffect, type RefObject } from "react";

/**
 * After a failed submit, move the focus to the first field marked invalid, so
 * keyboard and screen-reader users land on what needs fixing. `trigger`
 * changes with every failed attempt (the error object or a counter).
 */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, trigger: unknown) {
  useEffect(() => {
    if (!trigger) return;
    const field = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.focus();
  }, [form, trigger]);
}
