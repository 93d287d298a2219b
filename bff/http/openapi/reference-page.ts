/**
 * The API reference page (`/api/docs`): rendered on the server from the OpenAPI document, without a single
 * script, so it needs nothing from a CDN and the portal's CSP (`script-src 'self'`, `style-src 'self'`)
 * applies unchanged. docs/decisions/0010-openapi-from-zod.md says why this and not Scalar or Redoc.
 */

interface DocOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; description?: string; example?: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<
    string,
    {
      description: string;
      content?: Record<
        string,
        { schema: unknown; example?: unknown; examples?: Record<string, { value: unknown }> }
      >;
    }
  >;
}

interface Doc {
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: readonly { name: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The document's texts use `code` spans only. */
const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const pretty = (value: unknown) =>
  `<pre>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value, null, 2))}</pre>`;

function security(op: DocOperation): string {
  if (op.security.length === 0) {
    return op.tags.includes('PayU callbacks')
      ? 'Called by PayU; authenticated by the PayU signature in the request.'
      : 'No credential.';
  }
  return "The merchant's apiToken: <code>Authorization: Bearer &lt;apiToken&gt;</code> or <code>x-auth-token: &lt;apiToken&gt;</code>.";
}

function parameters(op: DocOperation): string {
  if (!op.parameters?.length) return '';
  const rows = op.parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}${p.required ? ', required' : ''}</td>` +
        `<td>${inline(p.description ?? '')}</td><td>${p.example === undefined ? '' : `<code>${escapeHtml(String(p.example))}</code>`}</td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>meaning</th><th>example</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function body(content: Record<string, { schema: unknown; example?: unknown }>): string {
  return Object.entries(content)
    .map(
      ([type, media]) =>
        `<p><code>${escapeHtml(type)}</code></p>${media.example === undefined ? '' : pretty(media.example)}` +
        `<details><summary>Schema</summary>${pretty(media.schema)}</details>`,
    )
    .join('');
}

function responses(op: DocOperation): string {
  return Object.entries(op.responses)
    .map(([status, res]) => {
      const media = res.content ? Object.values(res.content)[0] : undefined;
      const examples = media?.examples
        ? Object.values(media.examples)
            .map((e) => pretty(e.value))
            .join('')
        : '';
      const content = res.content && !media?.examples ? body(res.content) : examples;
      return `<div class="response"><h5><span class="status s${status[0]}">${status}</span> ${inline(res.description)}</h5>${content}</div>`;
    })
    .join('');
}

function operation(path: string, method: string, op: DocOperation): string {
  return (
    `<section class="operation" id="${escapeHtml(op.operationId)}">` +
    `<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>` +
    `<p class="summary">${inline(op.summary)} <span class="id">${escapeHtml(op.operationId)}</span></p>` +
    (op.description ? `<p>${inline(op.description)}</p>` : '') +
    `<p class="auth">${security(op)}</p>` +
    parameters(op) +
    (op.requestBody ? `<h4>Request body</h4>${body(op.requestBody.content)}` : '') +
    `<h4>Responses</h4>${responses(op)}</section>`
  );
}

export function renderReferencePage(doc: Doc): string {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as DocOperation })),
  );
  const sections = doc.tags
    .map((tag) => {
      const tagged = ops.filter((o) => o.op.tags.includes(tag.name));
      const toc = tagged
        .map((o) => `<li><a href="#${escapeHtml(o.op.operationId)}">${inline(o.op.summary)}</a></li>`)
        .join('');
      return (
        `<h2>${escapeHtml(tag.name)}</h2><p>${inline(tag.description)}</p><ul>${toc}</ul>` +
        tagged.map((o) => operation(o.path, o.method, o.op)).join('')
      );
    })
    .join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(doc.info.title)}</title><link rel="stylesheet" href="/api/docs/reference.css"></head>` +
    `<body><main><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>` +
    `<p>${inline(doc.info.description)}</p>` +
    `<p>Server: <code>${escapeHtml(doc.servers[0]?.url ?? '')}</code>. The machine-readable document: ` +
    `<a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>` +
    `${sections}</main></body></html>`
  );
}

export const REFERENCE_CSS = `
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1b1f24; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 small { font-size: 0.6em; color: #57606a; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid #d0d7de; }
code, pre { font: 0.875rem/1.4 ui-monospace, monospace; }
pre { background: #f6f8fa; padding: 0.75rem; overflow-x: auto; border-radius: 4px; }
.operation { border: 1px solid #d0d7de; border-radius: 6px; padding: 0 1rem 1rem; margin: 1.5rem 0; }
.method { display: inline-block; min-width: 4rem; text-align: center; color: #fff; border-radius: 4px; padding: 0 0.4rem; }
.get { background: #0b5cad; } .post { background: #1a7f37; } .put, .patch { background: #9a6700; } .delete { background: #cf222e; }
.summary { font-weight: 600; } .id { font-weight: 400; color: #57606a; font-family: ui-monospace, monospace; }
.auth { color: #57606a; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.5rem; vertical-align: top; }
.status { display: inline-block; border-radius: 4px; padding: 0 0.4rem; color: #fff; }
.s2, .s3 { background: #1a7f37; } .s4 { background: #9a6700; } .s5 { background: #cf222e; }
a { color: #0b5cad; }
`;
