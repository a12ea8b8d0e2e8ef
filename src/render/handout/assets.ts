// The handout's style sheet and script, inline in the file (no network) and allowed by their hashes in its
// Content-Security-Policy. Plain strings, so that the bytes, and with them the hashes, never depend on the build; the
// script's words are the document language's (a JavaScript string literal each).
import type { HandoutText } from '../../text/catalogue.ts';

export const style = `
:root { color-scheme: light; --text: #1b1f24; --muted: #4a525c; --line: #c9d1d9; --accent: #0b57b4; --note: #0b57b4; --warning: #8a4b00; --important: #6e32b4; }
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #fff; }
body { margin: 0 auto; max-width: 62rem; padding: 0 1.25rem 4rem; }
header.handout { border-bottom: 2px solid var(--line); padding: 1rem 0 .75rem; }
h1 { font-size: 1.6rem; margin: .25rem 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h4 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f2b600; outline-offset: 2px; }
code, pre { font-family: ui-monospace, "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: .9em; }
code { background: #eef1f4; padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #eef1f4; padding: .75rem; overflow-x: auto; border-radius: 4px; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
.command { position: relative; margin: .75rem 0; }
.command .copy { position: absolute; top: .4rem; right: .4rem; }
button { font: inherit; font-size: .8rem; color: var(--accent); background: #fff; border: 1px solid var(--accent); border-radius: 4px; padding: .1rem .5rem; cursor: pointer; }
button:hover { background: #e8f0fb; }
table { border-collapse: collapse; margin: .75rem 0; display: block; max-width: 100%; overflow-x: auto; }
body, li, td, th { overflow-wrap: break-word; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
blockquote { margin: .75rem 0; padding: .25rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
aside.alert { margin: .75rem 0; padding: .5rem 1rem; border-left: 4px solid var(--note); background: #f2f7fd; }
aside.alert-warning { border-color: var(--warning); background: #fdf6ec; }
aside.alert-important { border-color: var(--important); background: #f6f1fc; }
aside.alert p { margin: .25rem 0; }
ol.flow li { margin: .25rem 0; }
li.task-list-item { list-style: none; margin: .35rem 0 .35rem -1.5rem; display: flex; gap: .5rem; align-items: baseline; }
li.task-list-item input { width: 1.1rem; height: 1.1rem; flex: none; }
.toolbar { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: .5rem; }
.toolbar nav a { margin-right: .75rem; }
.status { min-height: 1.5em; color: var(--muted); font-size: .9rem; margin: 0; }
@page { margin: 14mm 14mm 16mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  button, .toolbar, .status { display: none !important; }
  a { color: inherit; }
  a[href]:not([href^="#"])::after { content: " <" attr(href) ">"; font-size: .9em; overflow-wrap: anywhere; }
  .step, .after-steps, section.document + section.document { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  tr, pre, aside, li { break-inside: avoid; }
  code, pre, th, aside.alert { background: none; }
  pre { border: 1px solid var(--line); }
  table { display: table; width: 100%; }
}
`.trimStart();

export const scriptFor = (words: HandoutText['script']): string =>
  `
(function () {
  'use strict';
  var key = 'mail-oauth-runbook:' + document.documentElement.getAttribute('data-storage-key');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input.task'));
  var status = document.getElementById('status');
  function say(text) { if (status) status.textContent = text; }
  function stored() {
    try { var v = JSON.parse(window.localStorage.getItem(key) || '[]'); return Array.isArray(v) ? v : []; } catch (e) { return []; }
  }
  function save() {
    var ticked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.id; });
    try { window.localStorage.setItem(key, JSON.stringify(ticked)); } catch (e) { say(${js(words.noStorage)}); }
  }
  var ticked = stored();
  boxes.forEach(function (b) { b.checked = ticked.indexOf(b.id) !== -1; b.addEventListener('change', save); });
  var reset = document.getElementById('reset');
  if (reset) reset.addEventListener('click', function () {
    boxes.forEach(function (b) { b.checked = false; });
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    say(${js(words.resetDone)});
  });
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy'));
      if (!target) return;
      var text = target.textContent;
      if (target.parentNode && target.parentNode.nodeName === 'PRE') text = text.replace(/\\n$/, '');
      var done = function () { say(${js(words.copied)} + text.split('\\n')[0]); };
      var failed = function () { if (fallbackCopy(text)) done(); else say(${js(words.copyFailed)}); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, failed);
      else failed();
    });
  });
})();
`.trimStart();

/** A single-quoted JavaScript string that cannot end the script element (`<` is escaped). */
const js = (text: string): string =>
  `'${text.replace(/[\\'\n\r\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
