import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ErrorMessage } from './ErrorMessage';

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly children?: ReactNode;
  /** Runs the action; the dialog closes when it resolves and shows the error when it throws. */
  readonly onConfirm: () => Promise<unknown>;
  readonly onClose: () => void;
}

/** A modal confirmation (native dialog: focus is kept inside, Escape cancels). */
export function ConfirmDialog({ open, title, confirmLabel, danger, children, onConfirm, onClose }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setError(undefined);
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="confirm-title">
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h2 id="confirm-title">{title}</h2>
        {children}
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" onClick={onClose} disabled={busy}>Cancel</button>
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy} data-testid="confirm">
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
