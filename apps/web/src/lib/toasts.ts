import { useSyncExternalStore } from 'react';

/** Short-lived messages at the bottom of the screen, optionally with one action (Undo). */

export interface Toast {
  readonly id: number;
  readonly message: string;
  readonly tone: 'info' | 'error';
  readonly action?: { readonly label: string; readonly run: () => void };
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function showToast(
  toast: Omit<Toast, 'id' | 'tone'> & { tone?: Toast['tone']; timeoutMs?: number },
): number {
  const id = nextId++;
  const entry: Toast = {
    id,
    message: toast.message,
    tone: toast.tone ?? 'info',
    ...(toast.action ? { action: toast.action } : {}),
  };
  toasts = [...toasts.slice(-3), entry];
  emit();
  window.setTimeout(() => dismissToast(id), toast.timeoutMs ?? (toast.action ? 8000 : 4000));
  return id;
}

export function dismissToast(id: number): void {
  if (!toasts.some((t) => t.id === id)) return;
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => toasts,
  );
}

export function showError(error: unknown): void {
  showToast({
    message: error instanceof Error ? error.message : 'Something went wrong.',
    tone: 'error',
  });
}
