"""The review page's stylesheet and script, inline because the page may load nothing."""

SIDE_COLOURS = 4  # the stylesheet colours this many conflict sides; sides beyond it reuse the colours

CSS = """
:root { --ink:#1b1b1b; --muted:#555; --line:#d0d0d0; --bg:#f6f6f4; --focus:#0b57d0;
  --agree:#dcefdc; --single:#fff1b8; --flash:#ffc83d;
  --side-0:#1f5fa8; --side-1:#b3261e; --side-2:#c25e00; --side-3:#7b3fa0;
  --tint-0:#dbe7f6; --tint-1:#f8dcd9; --tint-2:#fde3c8; --tint-3:#eadcf3; }
* { box-sizing:border-box; }
body { margin:0; font:16px/1.5 system-ui, sans-serif; color:var(--ink); background:var(--bg);
  display:flex; flex-direction:column; height:100vh; }
.skip { position:absolute; left:-999px; }
.skip:focus { left:1rem; top:.5rem; background:#fff; padding:.3rem; z-index:2; }
header { padding:.5rem 1rem; border-bottom:1px solid var(--line); background:#fff; display:flex;
  flex-wrap:wrap; gap:.3rem 1.5rem; align-items:baseline; }
header h1 { font-size:1.15rem; margin:0; } .legend { font-size:.85rem; color:var(--muted); }
.legend span { padding:0 .3rem; border-radius:3px; color:var(--ink); }
.key-agree { background:var(--agree); } .key-single { background:var(--single); }
.key-side-0 { background:var(--tint-0); } .key-side-1 { background:var(--tint-1); }
.key-side-2 { background:var(--tint-2); } .key-side-3 { background:var(--tint-3); }
main { display:grid; grid-template-columns:minmax(0,1fr) minmax(0,1fr); flex:1; min-height:0; }
main > section { overflow-y:auto; padding:.5rem 1.2rem 3rem; }
#brief { border-right:1px solid var(--line); background:#fff; }
h2 { font-size:1.05rem; margin:1.3rem 0 .4rem; } h3 { font-size:1rem; margin:.9rem 0 .3rem; }
table { border-collapse:collapse; width:100%; margin:.3rem 0 1rem; font-size:.95rem; }
th, td { border:1px solid var(--line); padding:.3rem .5rem; text-align:left; vertical-align:top; }
tr.side { cursor:pointer; } tr.side:hover { background:#f3f6fc; }
tr.side-0 td:first-child { border-left:6px solid var(--side-0); }
tr.side-1 td:first-child { border-left:6px solid var(--side-1); }
tr.side-2 td:first-child { border-left:6px solid var(--side-2); }
tr.side-3 td:first-child { border-left:6px solid var(--side-3); }
button.claim, a.cite { color:#174ea6; background:none; border:0; padding:0; font:inherit; cursor:pointer;
  text-decoration:underline; text-align:left; }
button.claim[disabled] { color:var(--muted); cursor:default; text-decoration:none; }
a.cite { font-size:.85em; }
:focus-visible { outline:3px solid var(--focus); outline-offset:2px; }
article { border:1px solid var(--line); background:#fff; padding:.5rem .9rem; margin:.8rem 0; }
article h3 { margin:.2rem 0; } .meta { color:var(--muted); font-size:.85rem; }
.text { white-space:pre-wrap; overflow-wrap:anywhere; }
mark.span { background:var(--single); color:inherit; scroll-margin:30vh; border-radius:2px; cursor:pointer; }
mark.span.agree { background:var(--agree); }
mark.span.side-0 { background:var(--tint-0); box-shadow:inset 0 -2px var(--side-0); }
mark.span.side-1 { background:var(--tint-1); box-shadow:inset 0 -2px var(--side-1); }
mark.span.side-2 { background:var(--tint-2); box-shadow:inset 0 -2px var(--side-2); }
mark.span.side-3 { background:var(--tint-3); box-shadow:inset 0 -2px var(--side-3); }
mark.span.active { outline:3px solid #8a5a00; outline-offset:1px; }
.flash { animation:flash 1.2s ease-out 1; }
@keyframes flash { 0%, 40% { background:var(--flash); box-shadow:0 0 0 6px var(--flash); } }
@media (prefers-reduced-motion: reduce) { .flash { animation:none; } }
.muted { color:var(--muted); } ul { padding-left:1.2rem; } li { margin:.15rem 0; }
details pre { white-space:pre-wrap; font-size:.8rem; background:#f4f4f4; padding:.4rem; }
@media print {
  * { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
  body { background:#fff; display:block; height:auto; } main { display:block; height:auto; }
  main > section { overflow:visible; padding:0; }
  #brief { border:0; } #sources { break-before:page; } .skip { display:none; }
  button.claim, a.cite { color:inherit; text-decoration:none; } tr.side { break-inside:avoid; }
  mark.span.active { outline:0; }
}
@media (max-width: 900px) {
  body { display:block; height:auto; } main { display:block; } main > section { overflow:visible; }
}
"""

JS = """
(function () {
  var last = null;
  function show(id, trigger) {
    var el = document.getElementById(id);
    if (!el) return;
    document.querySelectorAll('mark.active').forEach(function (m) { m.classList.remove('active', 'flash'); });
    el.classList.add('active');
    void el.offsetWidth;  // restart the flash when the same span is shown again
    el.classList.add('flash');
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    el.focus({preventScroll: true});
    last = trigger || null;
  }
  function back(mark) {
    var t = document.querySelector('#brief [data-target="' + mark.id + '"]');
    if (!t) return;
    t.scrollIntoView({block: 'center'});
    t.classList.remove('flash'); void t.offsetWidth; t.classList.add('flash');
    t.focus({preventScroll: true});
  }
  document.addEventListener('click', function (e) {
    var t = e.target.closest('[data-target]');
    if (t && !t.disabled) { e.preventDefault(); show(t.getAttribute('data-target'), t); return; }
    var m = e.target.closest('mark.span');
    if (m) back(m);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && last) { last.focus(); last = null; }
  });
})();
"""
