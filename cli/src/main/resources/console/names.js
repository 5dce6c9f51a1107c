// Event name filters with the server's semantics (POST /api/v3/events "names"):
// an exact name; a glob where '*' matches any run of characters over the whole name
// (e.g. "ns.up.*"); or "/regex/", found anywhere in the name. Several patterns, separated by
// commas or whitespace, select the union. The synthetic stream events are never selected.

/** @typedef {{ok: true, test: (name: string) => boolean, patterns: string[]} | {ok: false, error: string}} NameFilter */

const SYNTHETIC = new Set(['events.stream.start', 'events.stream.lag']);

/** Splits user input into patterns; a /regex/ may contain commas and spaces. */
export function splitPatterns(input) {
  const out = [];
  let i = 0;
  const s = input.trim();
  while (i < s.length) {
    const c = s[i];
    if (c === ',' || /\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/') {
      // a regex runs to the next '/' followed by a separator or the end
      let j = i + 1;
      while (j < s.length) {
        if (s[j] === '\\') {
          j += 2;
          continue;
        }
        if (s[j] === '/' && (j + 1 === s.length || s[j + 1] === ',' || /\s/.test(s[j + 1]))) {
          break;
        }
        j++;
      }
      out.push(s.slice(i, Math.min(j + 1, s.length)));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== ',' && !/\s/.test(s[j])) {
      j++;
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

function globToRegExp(glob) {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp('^' + escaped.join('.*') + '$');
}

/**
 * Compiles a name filter. Empty input selects everything.
 * @returns {NameFilter}
 */
export function compileNameFilter(input) {
  const patterns = splitPatterns(input || '');
  if (patterns.length === 0) {
    return { ok: true, test: () => true, patterns };
  }
  const tests = [];
  for (const p of patterns) {
    if (p.length >= 2 && p.startsWith('/') && p.endsWith('/')) {
      let re;
      try {
        re = new RegExp(p.slice(1, -1));
      } catch (e) {
        return { ok: false, error: `invalid regular expression ${p}: ${e.message}` };
      }
      tests.push((n) => re.test(n));
    } else if (p.startsWith('/')) {
      return { ok: false, error: `regular expression ${p}: expected a closing '/'` };
    } else if (p.includes('*')) {
      const re = globToRegExp(p);
      tests.push((n) => re.test(n));
    } else {
      tests.push((n) => n === p);
    }
  }
  return {
    ok: true,
    patterns,
    test: (name) => !SYNTHETIC.has(name) && tests.some((t) => t(name)),
  };
}

/**
 * Patterns that select none of the defined names (the server would reject them with
 * INVALID_ARGUMENT); used for a warning next to the filter.
 */
export function unmatchedPatterns(filter, definedNames) {
  if (!filter.ok || definedNames.length === 0) {
    return [];
  }
  return filter.patterns.filter((p) => {
    const single = compileNameFilter(p);
    return single.ok && !definedNames.some((n) => single.test(n));
  });
}
