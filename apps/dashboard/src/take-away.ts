import { text } from './i18n.js';
import { escape } from './views/shared.js';

/** A table's cells as shown and, where a number, as the raw value a spreadsheet should get. */
export type Cell = { text: string; value?: string | number; className?: string };
export type Table = { caption?: string; headers: string[]; rows: (Cell | string)[][] };

const cell = (each: Cell | string): Cell => (typeof each === 'string' ? { text: each } : each);

export function cellHtml(each: Cell | string, tag = 'td'): string {
  const { text: shown, value, className } = cell(each);
  return `<${tag}${value !== undefined ? ` data-value="${escape(String(value))}"` : ''}${className ? ` class="${className}"` : ''}>${escape(shown)}</${tag}>`;
}

export function tableHtml(id: string, table: Table): string {
  return `
    <table id="${id}">
      ${table.caption ? `<caption>${escape(table.caption)}</caption>` : ''}
      <thead><tr>${table.headers.map((header) => `<th scope="col">${escape(header)}</th>`).join('')}</tr></thead>
      <tbody>${table.rows.map((row) => `<tr>${row.map((each) => cellHtml(each)).join('')}</tr>`).join('')}</tbody>
    </table>`;
}

/** RFC 4180, with a byte-order mark so that Excel reads Vietnamese names as UTF-8. */
export function csvOf(table: HTMLTableElement): string {
  const quote = (value: string) =>
    /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = [...table.rows].map((row) =>
    [...row.cells]
      .map((each) => quote(each.dataset.value ?? each.textContent?.trim() ?? ''))
      .join(','),
  );
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function download(name: string, href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

/** A chart's canvas on white: Chart.js leaves the background transparent. */
export function pngOf(canvas: HTMLCanvasElement): string {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, copy.width, copy.height);
  context.drawImage(canvas, 0, 0);
  return copy.toDataURL('image/png');
}

/** The file name: the view's heading and the table or chart, e.g. "hai-phong-31-12-2024-children.csv". */
function fileName(id: string, extension: string): string {
  const heading = document.querySelector('h1')?.textContent ?? 'campaign-ledger';
  const slug = `${heading}-${id}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug}.${extension}`;
}

/** Every CSV, PNG, print and share button on any view, through one listener. */
export function listenForTakeAway(): void {
  document.addEventListener('click', async (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button');
    if (!button) return;
    const { csv, png, action } = button.dataset;
    if (csv) {
      const table = document.getElementById(csv);
      // An empty state stands where the table would be: there is nothing to download.
      if (!(table instanceof HTMLTableElement)) return;
      const blob = new Blob([csvOf(table)], { type: 'text/csv;charset=utf-8' });
      const href = URL.createObjectURL(blob);
      download(fileName(csv, 'csv'), href);
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } else if (png) {
      const canvas = document.getElementById(png);
      if (canvas instanceof HTMLCanvasElement) download(fileName(png, 'png'), pngOf(canvas));
    } else if (action === 'print') {
      window.print();
    } else if (action === 'share') {
      await navigator.clipboard?.writeText(location.href).catch(() => undefined);
      button.textContent = text().copied;
    }
  });
}

/** Print and share: every view's state is in its address, so the link reopens it as it is. */
export function viewTools(): string {
  const t = text();
  return `
    <div class="view-tools">
      <button type="button" data-action="share">${t.share}</button>
      <button type="button" data-action="print">${t.print}</button>
    </div>`;
}
