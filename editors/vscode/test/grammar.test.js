// The TextMate grammar, run by VS Code's own tokenizer (vscode-textmate + Oniguruma) over
// the shipped rule packs: every pattern compiles, and the parts of a rule get their scopes.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const oniguruma = require("vscode-oniguruma");
const textmate = require("vscode-textmate");

const root = path.join(__dirname, "..", "..", "..");

async function grammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => {
      const file = path.join(__dirname, "..", "syntaxes", "gouji.tmLanguage.json");
      return textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  return registry.loadGrammar("source.gouji");
}

/** Every token of a text: its characters and innermost scope. */
function tokens(g, text) {
  const out = [];
  let state = textmate.INITIAL;
  for (const line of text.split("\n")) {
    const r = g.tokenizeLine(line, state);
    for (const t of r.tokens) {
      out.push({ text: line.slice(t.startIndex, t.endIndex), scope: t.scopes[t.scopes.length - 1] });
    }
    state = r.ruleStack;
  }
  return out;
}

function scopeOf(toks, text) {
  const t = toks.find((t) => t.text === text);
  assert.ok(t, `no token ${text}`);
  return t.scope;
}

test("the shipped rule packs tokenize with the expected scopes", async () => {
  const g = await grammar();
  const text = fs.readFileSync(path.join(root, "rules", "table3.gouji"), "utf8");
  const toks = tokens(g, text);
  assert.strictEqual(scopeOf(toks, "rule"), "storage.type.rule.gouji");
  assert.strictEqual(scopeOf(toks, "table3/row-total"), "entity.name.function.rule.gouji");
  assert.strictEqual(scopeOf(toks, "title"), "keyword.other.field.gouji");
  assert.strictEqual(scopeOf(toks, "error"), "constant.language.severity.gouji");
  assert.strictEqual(scopeOf(toks, "{lhs}"), "variable.parameter.placeholder.gouji");
  assert.strictEqual(scopeOf(toks, "sum"), "support.function.gouji");
  assert.strictEqual(scopeOf(toks, "except"), "keyword.control.gouji");
  assert.strictEqual(scopeOf(toks, "183"), "constant.numeric.gouji");
  assert.strictEqual(scopeOf(toks, "pass"), "keyword.control.example.gouji");
  assert.ok(toks.some((t) => t.scope === "comment.line.number-sign.gouji" && t.text.startsWith("# 表三")));
  // A Chinese path segment is a name, not an error.
  assert.strictEqual(scopeOf(toks, "申请"), "variable.other.path.gouji");
});

test("every rule file in the repository tokenizes", async () => {
  const g = await grammar();
  const dir = path.join(root, "rules");
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".gouji"));
  assert.ok(files.length >= 6);
  for (const f of files) {
    const toks = tokens(g, fs.readFileSync(path.join(dir, String(f)), "utf8"));
    assert.ok(toks.length > 100, f);
  }
});
