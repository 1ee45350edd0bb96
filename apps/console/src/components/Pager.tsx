export function Pager({ start, size, total, onChange }: { start: number; size: number; total: number; onChange: (start: number) => void }) {
  const page = Math.floor(start / size) + 1;
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted">
        {total === 0 ? 'no results' : `${(start + 1).toLocaleString()}–${Math.min(start + size, total).toLocaleString()} of ${total.toLocaleString()}`}
      </span>
      <button type="button" className="small" onClick={() => onChange(0)} disabled={start === 0}>First</button>
      <button type="button" className="small" onClick={() => onChange(Math.max(0, start - size))} disabled={start === 0}>Previous</button>
      <span>Page {page.toLocaleString()} of {pages.toLocaleString()}</span>
      <button type="button" className="small" onClick={() => onChange(start + size)} disabled={start + size >= total}>Next</button>
      <button type="button" className="small" onClick={() => onChange((pages - 1) * size)} disabled={start + size >= total}>Last</button>
    </nav>
  );
}
