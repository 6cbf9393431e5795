import { languageOf } from './findRoutes';
import { type Lang, type Source, matchBracket, position, prepare, splitArgs } from './sourceText';

export interface SymbolPosition {
  /** 0-based line of the declaration. */
  line: number;
  /** 0-based column of its first token (`def`, `async`, `func`, `public`, `fn`, the name…). */
  column: number;
}

/**
 * Where a handler named by a route's symbol is declared in one file: Python `def`/`class`,
 * JS/TS `function`, `const x =`, class methods and object methods, Go `func` (methods too),
 * Java/Kotlin methods and classes, Rust `fn`, Erlang `init(` for "mod:init/2".
 * A qualified symbol ("UsersController.findOne", "views.detail", "handlers::list") looks for the
 * last part, inside the named class when the file declares it. Null when not found.
 */
export function findSymbol(relPath: string, content: string, symbol: string): SymbolPosition | null {
  const lang = languageOf(relPath);
  if (!lang) return null;
  const src = prepare(content, lang);
  if (lang === 'erlang') return erlangFunction(src, symbol);
  const parts = symbol.split(/\.|::/).filter((p) => p !== '');
  const name = parts[parts.length - 1];
  if (!name || !/^[A-Za-z_$][\w$]*$/.test(name)) return null;
  const owner = parts.length > 1 ? parts[parts.length - 2]! : null;
  let from = 0;
  let to = src.skel.length;
  if (owner) {
    const cls = new RegExp(`\\b(?:class|interface|object|struct|impl(?:<[^>]*>)?)\\s+${escape(owner)}\\b[^{;]*\\{`).exec(src.skel);
    if (cls) {
      from = cls.index + cls[0].length - 1;
      const close = matchBracket(src, from);
      if (close > 0) to = close;
    }
  }
  for (const re of patterns(lang, escape(name))) {
    const g = new RegExp(re.source, 'gm');
    g.lastIndex = from;
    const m = g.exec(src.skel);
    if (m && m.index < to) {
      const start = m.index + (m[0].length - m[0].trimStart().length);
      return position(src, start);
    }
  }
  return null;
}

/** "users_handler:init/2" -> "users_handler.erl", the file a resolver should read; null for other symbols. */
export function symbolModuleFile(symbol: string): string | null {
  const m = /^([a-z][\w@]*):[a-z]\w*\/\d+$/.exec(symbol);
  return m ? `${m[1]}.erl` : null;
}

function patterns(lang: Exclude<Lang, 'erlang'>, n: string): RegExp[] {
  switch (lang) {
    case 'python':
      return [new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${n}\\b`), new RegExp(`^[ \\t]*class[ \\t]+${n}\\b`), new RegExp(`^[ \\t]*${n}[ \\t]*=`)];
    case 'js':
      return [
        new RegExp(`^[ \\t]*(?:export[ \\t]+)?(?:default[ \\t]+)?(?:async[ \\t]+)?function[ \\t]*\\*?[ \\t]*${n}\\b`),
        new RegExp(`^[ \\t]*(?:export[ \\t]+)?(?:const|let|var)[ \\t]+${n}\\b[^=\\n]*=`),
        new RegExp(`^[ \\t]*(?:(?:public|private|protected|static|async|override|readonly)[ \\t]+)*${n}[ \\t]*(?:<[^>\\n]*>)?[ \\t]*\\([^;\\n]*$`),
        new RegExp(`^[ \\t]*${n}[ \\t]*:[ \\t]*(?:async[ \\t]+)?(?:function\\b|\\()`),
        new RegExp(`^[ \\t]*(?:module\\.)?exports\\.${n}[ \\t]*=`),
        new RegExp(`^[ \\t]*(?:export[ \\t]+)?(?:default[ \\t]+)?(?:abstract[ \\t]+)?class[ \\t]+${n}\\b`),
      ];
    case 'go':
      return [new RegExp(`^func[ \\t]+(?:\\([^)]*\\)[ \\t]*)?${n}[ \\t]*[(\\[]`), new RegExp(`^[ \\t]*(?:var[ \\t]+)?${n}[ \\t]*:?=[ \\t]*func\\b`), new RegExp(`^type[ \\t]+${n}\\b`)];
    case 'java':
    case 'kotlin':
      return [
        new RegExp(`^[ \\t]*(?:(?:public|protected|private|internal|open|override|suspend|final|inline|operator)[ \\t]+)*fun[ \\t]+(?:<[^>]*>[ \\t]*)?(?:[\\w.]+\\.)?${n}[ \\t]*\\(`),
        new RegExp(`^[ \\t]*(?!(?:return|new|else|throw|await|yield)\\b)(?:(?:public|protected|private|static|final|synchronized|abstract|default|native)[ \\t]+)*(?:<[^>\\n]*>[ \\t]*)?[\\w.$]+(?:[ \\t]*<[^\\n(]*>)?(?:[ \\t]*\\[[ \\t]*\\])*[ \\t]+${n}[ \\t]*\\(`),
        new RegExp(`^[ \\t]*(?:(?:public|protected|private|internal|abstract|final|open|data|static|sealed)[ \\t]+)*(?:class|interface|object)[ \\t]+${n}\\b`),
      ];
    case 'rust':
      return [new RegExp(`^[ \\t]*(?:pub(?:[ \\t]*\\([^)]*\\))?[ \\t]+)?(?:const[ \\t]+)?(?:async[ \\t]+)?(?:unsafe[ \\t]+)?fn[ \\t]+${n}\\b`), new RegExp(`^[ \\t]*(?:pub(?:\\([^)]*\\))?[ \\t]+)?(?:struct|enum)[ \\t]+${n}\\b`)];
  }
}

/** "mod:init/2" (or "init/2", "init"): the first clause of that function with that arity, else any arity. */
function erlangFunction(src: Source, symbol: string): SymbolPosition | null {
  const m = /^(?:[a-z][\w@]*:)?([a-z]\w*)(?:\/(\d+))?$/.exec(symbol);
  if (!m) return null;
  const arity = m[2] === undefined ? null : Number(m[2]);
  let fallback: SymbolPosition | null = null;
  const re = new RegExp(`^${m[1]}[ \\t]*\\(`, 'gm');
  let c: RegExpExecArray | null;
  while ((c = re.exec(src.skel)) !== null) {
    const args = splitArgs(src, c.index + c[0].length - 1);
    const pos = position(src, c.index);
    if (arity === null || args?.args.length === arity) return pos;
    fallback ??= pos;
  }
  return fallback;
}

function escape(s: string): string {
  return s.replace(/[$]/g, '\\$');
}
