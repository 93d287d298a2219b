import { receiptTexts, type Receipt } from './receipt-model';

/**
 * The printable receipt and the verification page (docs/spec/business-payments.md §3): plain server-made
 * HTML with one stylesheet (no script, no inline style: the CSP allows neither), readable on a phone and
 * printable on A4 or Letter.
 */
const escape = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(language: 'es' | 'en', title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<link rel="stylesheet" href="/receipt.css">
</head>
<body>
<main class="receipt">
${body}
</main>
</body>
</html>`;
}

function facts(receipt: Receipt): string {
  const t = receiptTexts(receipt.language);
  const rows: [string, string | null][] = [
    [t.merchant, receipt.merchantName],
    [t.taxId, receipt.merchantTaxId],
    [t.status, t.statuses[receipt.status]],
    [t.reference, receipt.reference],
    [t.payuReference, receipt.payuReference],
    [t.date, `${receipt.when} (${receipt.timeZone})`],
    [t.method, receipt.method],
    [t.payer, receipt.payer],
  ];
  return `<dl class="facts">${rows
    .filter((r): r is [string, string] => r[1] !== null)
    .map(([k, v]) => `<div><dt>${escape(k)}</dt><dd>${escape(v)}</dd></div>`)
    .join('')}</dl>`;
}

function itemsTable(receipt: Receipt): string {
  const t = receiptTexts(receipt.language);
  const rows = receipt.items
    .map((item) => {
      const lines = item.withholdings
        .map(
          (w) =>
            `<li>${escape(w.label)}: ${escape(w.amount)} <span class="note">(${t.base} ${escape(w.base)}, ${t.rate} ${escape(w.rate)})</span></li>`,
        )
        .join('');
      return `<tr><th scope="row">${escape(item.description)} <span class="note">(${escape(item.ref)})</span>${
        lines ? `<ul class="withholdings">${lines}</ul>` : ''
      }</th><td>${escape(item.gross)}</td><td>${escape(item.withheld)}</td><td>${escape(item.cash)}</td></tr>`;
    })
    .join('');
  return `<table class="items">
<thead><tr><th scope="col">${t.item}</th><th scope="col">${t.gross}</th><th scope="col">${t.withheld}</th><th scope="col">${t.cash}</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row">${t.total}</th><td>${escape(receipt.gross)}</td><td>${escape(receipt.withheld)}</td><td>${escape(receipt.cash)}</td></tr></tfoot>
</table>`;
}

export function receiptHtml(receipt: Receipt, pdfA4: string, pdfLetter: string): string {
  const t = receiptTexts(receipt.language);
  return page(
    receipt.language,
    `${t.title} ${receipt.reference}`,
    `<h1>${t.title}</h1>
${facts(receipt)}
${itemsTable(receipt)}
<p class="actions no-print">${t.printHint} <a href="${escape(pdfA4)}">${t.pdfA4}</a> · <a href="${escape(pdfLetter)}">${t.pdfLetter}</a></p>`,
  );
}

export function verifyHtml(receipt: Receipt): string {
  const t = receiptTexts(receipt.language);
  return page(
    receipt.language,
    t.verifyTitle,
    `<h1>${t.verifyTitle}</h1>
<p class="genuine">${t.genuine}</p>
<p class="status status-${receipt.status}">${t.status}: <strong>${t.statuses[receipt.status]}</strong></p>
${facts(receipt)}
${itemsTable(receipt)}`,
  );
}

export const RECEIPT_CSS = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
.receipt{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:0 0 1rem}
.facts{display:grid;gap:.25rem;margin:0 0 1.5rem}
.facts div{display:flex;flex-wrap:wrap;gap:.5rem}
.facts dt{font-weight:600;min-width:11rem}
.facts dd{margin:0;overflow-wrap:anywhere}
.items{width:100%;border-collapse:collapse;font-size:.9rem}
.items th,.items td{padding:.4rem;border-bottom:1px solid #ccc;text-align:right;vertical-align:top}
.items th[scope=row],.items thead th:first-child{text-align:left;font-weight:400}
.items tfoot th,.items tfoot td{font-weight:700}
.withholdings{margin:.25rem 0 0;padding-left:1rem;font-size:.85rem}
.note{color:#555}
.genuine{padding:.75rem;border:2px solid #1b5e20;color:#1b5e20;border-radius:.5rem}
.status-approved strong{color:#1b5e20}
.status-declined strong,.status-error strong,.status-expired strong{color:#b00020}
a{color:#0b57d0}
@media (max-width:30rem){.facts dt{min-width:0}.items{font-size:.8rem}}
@media print{.no-print{display:none}.receipt{max-width:none;padding:0}body{font-size:11pt}}
@page{margin:15mm}`;
