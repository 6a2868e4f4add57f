/**
 * A loopback HTTP server that counts every request it gets: the URL hostile pages would call.
 * A test that renders such a page asserts the count stays 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Canary {
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  hits(): string[];
  close(): Promise<void>;
}

export async function startCanary(): Promise<Canary> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('canary');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => [...seen],
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A candidate page whose title, body and attributes all try to run script or load something. */
export function hostilePage(canaryUrl: string, title = 'Harbor <script>fetch("CANARY/title")</script>'): string {
  const c = canaryUrl;
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>${title.replaceAll('CANARY', c)}</title>
<meta http-equiv="refresh" content="0; url=${c}/refresh">
<link rel="stylesheet" href="${c}/style.css"><link rel="preconnect" href="${c}"><link rel="dns-prefetch" href="${c}">
<script>fetch("${c}/inline"); alert("inline");</script>
<script src="${c}/external.js"></script>
</head><body onload="fetch('${c}/onload'); alert('onload')">
<h1 onmouseover="fetch('${c}/hover')">Harbor Torrents</h1>
<img src="${c}/pixel.png" alt="x">
<img src="x:broken" onerror="fetch('${c}/onerror'); alert('onerror')">
<a id="jslink" href="javascript:fetch('${c}/jslink');alert('jslink')">open</a>
<iframe src="${c}/frame"></iframe>
<svg><script>fetch("${c}/svg")</script></svg>
<form action="${c}/form" method="post"><input name="q" autofocus onfocus="fetch('${c}/focus')"></form>
</body></html>`;
}

/**
 * A copy of the blocked site (so it is recorded as a match) whose operator added script
 * everywhere a reviewer's browser might run it: in the title, inline, in handlers, in links,
 * in a meta refresh, in an <img onerror>, in an SVG and in a focus handler; and a plain link to
 * the live site on top of everything, which a reviewer may click.
 */
export function hostileMirror(siteHtml: string, canaryUrl: string): string {
  const c = canaryUrl;
  const head = `<meta http-equiv="refresh" content="0; url=${c}/refresh">
<link rel="stylesheet" href="${c}/style.css"><link rel="preconnect" href="${c}"><link rel="dns-prefetch" href="${c}"><link rel="prefetch" href="${c}/prefetch">
<script>fetch("${c}/inline"); alert("inline");</script><script src="${c}/external.js"></script>`;
  const body = `<img src="${c}/pixel.png" alt="x"><img src="x:broken" onerror="fetch('${c}/onerror'); alert('onerror')">
<a id="jslink" href="javascript:fetch('${c}/jslink');alert('jslink')">open</a>
<iframe src="${c}/frame"></iframe><svg><script>fetch("${c}/svg")</script></svg><object data="${c}/object"></object>
<form action="${c}/form" method="post"><input name="q" autofocus onfocus="fetch('${c}/focus')"></form>
<div onmouseover="fetch('${c}/hover')" style="position:fixed;inset:0"></div>
<a id="livelink" href="${c}/link" style="position:fixed;top:0;left:0;z-index:1;display:block;padding:8px;background:#fff">the live site</a>`;
  return siteHtml
    .replace(/<title>([^<]*)<\/title>/, `<title>$1 &lt;script&gt;fetch("${c}/title")&lt;/script&gt;<img src=x onerror=alert(1)></title>`)
    .replace('</head>', `${head}</head>`)
    .replace(/<body([^>]*)>/, `<body$1 onload="fetch('${c}/onload'); alert('onload')">${body}`);
}
