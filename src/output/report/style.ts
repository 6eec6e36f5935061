// The page's only stylesheet, inlined so the report opens anywhere with no network and no files beside it.
export const STYLE = `
:root { --ok: #2e9e44; --changed: #d99a00; --failed: #d1342f; --skipped: #4aa3c7; --unreachable: #7b1fa2; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0 auto; padding: 1.5em 2em 3em; max-width: 1400px; }
h1 { font-size: 1.5em; margin: 0 0 .2em; word-break: break-all; }
h2 { font-size: 1.15em; margin: 1.8em 0 .6em; border-bottom: 1px solid var(--line); padding-bottom: .3em; }
.meta { color: var(--muted); margin: 0; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 1em; font-weight: 600; color: #fff; background: var(--muted); }
.badge.exit-0 { background: var(--ok); } .badge.exit-fail { background: var(--failed); }
.notice { border-left: 4px solid var(--failed); background: #fff5f5; padding: .5em .8em; margin: 1em 0; }
.notice.warn { border-color: var(--changed); background: #fffbea; }
.empty { color: var(--muted); font-style: italic; }
.legend .key { margin-right: 1.2em; white-space: nowrap; }
.swatch { display: inline-block; width: 1em; height: 1em; border-radius: 2px; vertical-align: -2px; margin-right: .35em; }
.timeline { border: 1px solid var(--line); border-radius: 4px; padding: .3em 0; }
.row { display: flex; align-items: center; min-height: 1.9em; }
.row + .row { border-top: 1px solid #f0f2f4; }
.row .host { flex: 0 0 12em; padding: 0 .8em; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.row .track { position: relative; flex: 1; height: 1.3em; margin-right: 1.5em; }
.axis .track { height: 1.2em; color: var(--muted); font-size: 12px; }
.tick { position: absolute; top: 0; border-left: 1px solid var(--line); padding-left: 3px; white-space: nowrap; }
.bar { position: absolute; top: 0; height: 100%; min-width: 4px; border-radius: 2px; border-right: 1px solid #fff; cursor: default; }
.bar:hover { outline: 2px solid var(--fg); z-index: 1; }
.s-ok { background: var(--ok); } .s-changed { background: var(--changed); } .s-failed { background: var(--failed); }
.s-skipped { background: var(--skipped); } .s-unreachable { background: var(--unreachable); }
.ignored { background-image: repeating-linear-gradient(45deg, rgba(255,255,255,.55) 0 3px, transparent 3px 6px); }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .25em .6em; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.zero { color: #9aa1a9; }
td.c-ok { color: var(--ok); font-weight: 600; } td.c-changed { color: #a37400; font-weight: 600; }
td.c-failed, td.c-unreachable { color: var(--failed); font-weight: 700; }
td.c-skipped { color: #2b7ea1; } td.c-rescued, td.c-ignored { color: var(--unreachable); }
.s-text-ok { color: var(--ok); } .s-text-changed { color: #a37400; } .s-text-failed, .s-text-unreachable { color: var(--failed); }
.s-text-skipped { color: #2b7ea1; }
td.none { color: #c0c4c8; text-align: center; }
.play { display: block; color: var(--muted); font-size: 12px; }
.loc { display: block; color: var(--muted); font-size: 12px; font-family: ui-monospace, monospace; }
.handler { font-size: 11px; text-transform: uppercase; background: #eef1f4; border-radius: 3px; padding: 0 .3em; }
details.diff { border: 1px solid var(--line); border-radius: 4px; margin: .6em 0; }
details.diff summary { padding: .35em .7em; background: #f6f8fa; cursor: pointer; }
details.diff summary .path { font-family: ui-monospace, monospace; font-weight: 600; }
details.diff summary .task { color: var(--muted); margin-left: .6em; }
pre { margin: 0; padding: .6em .8em; overflow-x: auto; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.d-add { color: #116329; background: #e6ffec; display: inline-block; min-width: 100%; }
.d-del { color: #82071e; background: #ffebe9; display: inline-block; min-width: 100%; }
.d-hunk { color: #0550ae; } .d-file { font-weight: 700; }
`;
