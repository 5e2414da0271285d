// Puts protected spans out of the model's reach and proves they came back.
//
// Strategy, measured on test/fixtures/localization-strings.json with the bundled model (bench:protect):
//  1. mask: each span becomes a numbered sentinel `{0}`, `{1}`… that Marian models copy (they were
//     trained on catalogues full of such placeholders); the output is accepted only when every
//     sentinel is there exactly once, and tags keep their order and nesting;
//  2. split: otherwise the text between spans is translated piece by piece and the spans are put
//     back between the pieces, verbatim and in order (a piece whose translation invents a span
//     stays as written);
//  3. whatever came out is verified against the source (same multiset of spans, same tag tree,
//     same ICU shape); an output that still fails is returned with the `spans` flag, never silently.
// Texts without spans go to the model as they are: their output is identical to protection off.
// ICU plural/select blocks are one span in their sentence; each branch is translated on its own
// (recursively, `#` protected) and the block rebuilt around the translations. Glossary terms are
// spans too, put back as their target term (a do-not-translate term as written).
import type { GlossaryEntry } from '../../shared/glossary.js';
import type { Alternative, TranslateRequest, Translation, TranslationFlag, Translator } from '../../shared/translation.js';
import { parseIcuBlock, rebuildIcuBlock, sameIcuShape, type IcuBlock } from './icu.js';
import { findSpans, tagShape, type FindSpansOptions, type Span } from './spans.js';
import { TermMatcher } from './terms.js';

const SENTINEL = /\{(\d+)\}/g;
// A piece worth a model call: a word of three letters or more (not an ordinal suffix like `#nd`).
const HAS_WORDS = /\p{L}{3,}/u;

interface Protected {
  text: string;
  flags: TranslationFlag[];
  /** Glossary entries whose target term is in the output. */
  terms: string[];
  /** n-best alternatives that keep every span, spans restored (beam search only). */
  alternatives?: Alternative[];
  /** The model's answer this output was built from (model id, timing). */
  base?: Translation;
}

interface Plan {
  source: string;
  /** The source's protected spans as findSpans gives them: what every output is checked against. */
  found: Span[];
  /** Those and the glossary terms, in order: what is masked. */
  spans: Span[];
  /** Each span's replacement in the output: itself, or for ICU blocks the translated block. */
  replacements: string[];
  icu: (IcuBlock | undefined)[];
}

/** `text` with span i replaced by `{i}`. */
function masked(plan: Plan): string {
  let out = '';
  let at = 0;
  plan.spans.forEach((span, i) => {
    out += plan.source.slice(at, span.start) + `{${i}}`;
    at = span.end;
  });
  return out + plan.source.slice(at);
}

/** Sentinels back to spans; undefined unless each appears exactly once and no unknown one does. */
function unmask(plan: Plan, output: string): string | undefined {
  const seen = new Set<number>();
  let ok = true;
  const text = output.replace(SENTINEL, (whole, n: string) => {
    const i = Number(n);
    if (i >= plan.spans.length || seen.has(i)) {
      ok = false;
      return whole;
    }
    seen.add(i);
    return plan.replacements[i]!;
  });
  return ok && seen.size === plan.spans.length ? text : undefined;
}

/** The pieces of text between spans that hold words, with their offsets in the source. */
function wordPieces(plan: Plan): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  let at = 0;
  for (const span of [...plan.spans, { start: plan.source.length, end: plan.source.length }]) {
    const piece = plan.source.slice(at, span.start);
    if (HAS_WORDS.test(piece)) {
      // Brackets and quotes next to a span belong with it (`'%s'`, `(%d)`), not to the model.
      const lead = /^[\s<>'"`«»‘’“”()[\]{}]*/u.exec(piece)![0].length;
      const trail = /[\s<>'"`«»‘’“”()[\]{}]*$/u.exec(piece)![0].length;
      pieces.push({ start: at + lead, end: span.start - trail });
    }
    at = span.end;
  }
  return pieces;
}

function multiset(spans: readonly Span[]): string {
  return spans
    .filter((s) => s.kind !== 'icu')
    .map((s) => s.text)
    .sort()
    .join('\u0000');
}

/** How often `needle` occurs in `text`. */
function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0 && needle; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/**
 * The output keeps the source's spans: same multiset, same tag order and nesting, same ICU shapes,
 * and each glossary target in `terms` (one per occurrence) is there.
 */
export function keepsSpans(source: string, output: string, options: FindSpansOptions = {}, terms: readonly string[] = []): boolean {
  return spansKept(findSpans(source, options), output, options, terms);
}

/** keepsSpans with the source's spans already found (`before`: findSpans of the source, no terms). */
function spansKept(before: readonly Span[], output: string, options: FindSpansOptions, terms: readonly string[]): boolean {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [target, n] of counts) if (occurrences(output, target) < n) return false;
  const after = findSpans(output, options);
  if (multiset(before) !== multiset(after) || tagShape(before) !== tagShape(after)) return false;
  const blocksBefore = before.filter((s) => s.kind === 'icu');
  const blocksAfter = after.filter((s) => s.kind === 'icu');
  return (
    blocksBefore.length === blocksAfter.length &&
    blocksBefore.every((s, i) => {
      const block = parseIcuBlock(s.text);
      return block ? sameIcuShape(block, blocksAfter[i]!.text) : s.text === blocksAfter[i]!.text;
    })
  );
}

/** How the outputs of texts with spans were reached (bench:protect reports them). */
export interface ProtectStats {
  /** Texts with spans whose masked translation kept every span. */
  masked: number;
  /** Texts translated piece by piece around their spans after the masked output failed. */
  split: number;
  /** Outputs returned with the `spans` flag. */
  flagged: number;
}

export interface ProtectOptions {
  /** The glossary of the request's pair (entries and version); no glossary when left out. */
  glossary?(request: TranslateRequest): Promise<{ version: string; entries: readonly GlossaryEntry[] }>;
}

export class ProtectingTranslator implements Translator {
  readonly stats: ProtectStats = { masked: 0, split: 0, flagged: 0 };
  /** The matcher built for the last glossary version seen, per pair: building one is O(entries). */
  private readonly matchers = new Map<string, { version: string; matcher: TermMatcher }>();

  constructor(
    private readonly inner: Translator,
    private readonly options: ProtectOptions = {},
  ) {}

  private async matcherFor(request: TranslateRequest): Promise<TermMatcher | undefined> {
    if (!this.options.glossary) return undefined;
    const { version, entries } = await this.options.glossary(request);
    if (entries.length === 0) return undefined;
    const pair = `${entries[0]!.from}>${entries[0]!.to}`;
    const known = this.matchers.get(pair);
    if (known?.version === version) return known.matcher;
    const matcher = new TermMatcher(entries);
    this.matchers.set(pair, { version, matcher });
    return matcher;
  }

  warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    return this.inner.warm?.(request) ?? Promise.resolve();
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    if (request.protect === 'none' || request.texts.length === 0) return this.inner.translate(request, signal);
    const started = performance.now();
    const results = await this.protect(request, request.texts, {}, await this.matcherFor(request), signal);
    const ms = Math.round(performance.now() - started);
    return results.map((r, i): Translation => {
      const base: Translation = r.base ?? { source: request.texts[i]!, text: r.text, model: '', cached: false, ms };
      const { alternatives: _masked, ...rest } = base;
      return {
        ...rest,
        ...(r.alternatives?.length ? { alternatives: r.alternatives } : {}),
        source: request.texts[i]!,
        text: r.text,
        ms: Math.max(base.ms, ms),
        ...(r.flags.length || base.flags?.length ? { flags: [...new Set([...(base.flags ?? []), ...r.flags])] } : {}),
        ...(r.terms.length ? { glossary: [...new Set(r.terms)] } : {}),
      };
    });
  }

  /** Translates `texts` keeping their spans; one model call for all the plain texts and masked texts. */
  private async protect(
    request: TranslateRequest,
    texts: readonly string[],
    options: FindSpansOptions,
    terms: TermMatcher | undefined,
    signal?: AbortSignal,
  ): Promise<Protected[]> {
    const plans = texts.map((source): Plan => {
      const found = findSpans(source, options);
      const spans = terms ? [...found, ...terms.find(source, found)].sort((a, b) => a.start - b.start) : found;
      return {
        source,
        found,
        spans,
        replacements: spans.map((s) => s.term?.target ?? s.text),
        icu: spans.map((s) => (s.kind === 'icu' ? parseIcuBlock(s.text) : undefined)),
      };
    });
    const targets = (plan: Plan) => plan.spans.flatMap((s) => (s.term ? [s.term.target] : []));
    const entryIds = (plan: Plan) => plan.spans.flatMap((s) => (s.term ? [s.term.entryId] : []));
    await this.translateIcuBranches(request, plans, terms, signal);

    // 1. Plain texts as they are, texts with spans masked; both in one call.
    const toModel: string[] = [];
    const slot = plans.map((plan) => {
      const text = plan.spans.length ? masked(plan) : plan.source;
      if (plan.spans.length && !HAS_WORDS.test(text.replace(SENTINEL, ''))) return -1;
      toModel.push(text);
      return toModel.length - 1;
    });
    const first = toModel.length ? await this.inner.translate({ ...request, texts: toModel }, signal) : [];
    const results: (Protected | undefined)[] = plans.map((plan, i) => {
      if (slot[i] === -1) return { text: unmask(plan, masked(plan)) ?? plan.source, flags: [], terms: entryIds(plan) };
      const answer = first[slot[i]!]!;
      if (!plan.spans.length) return { text: answer.text, flags: [], terms: [], base: answer, ...(answer.alternatives ? { alternatives: answer.alternatives } : {}) };
      const keeps = (candidate: string) => {
        const text = unmask(plan, candidate);
        return text !== undefined && spansKept(plan.found, text, options, targets(plan)) ? text : undefined;
      };
      const alternatives = (answer.alternatives ?? []).flatMap((a) => {
        const text = keeps(a.text);
        return text === undefined ? [] : [{ text, score: a.score }];
      });
      const text = keeps(answer.text) ?? alternatives[0]?.text;
      return text === undefined ? undefined : { text, flags: [], terms: entryIds(plan), base: answer, ...(alternatives.length ? { alternatives } : {}) };
    });

    // 2. What failed: translate the pieces between spans and put the spans back between them.
    const failed = plans.map((_, i) => i).filter((i) => results[i] === undefined);
    this.stats.masked += plans.filter((p, i) => p.spans.length && slot[i] !== -1 && results[i] !== undefined).length;
    this.stats.split += failed.length;
    const pieces = failed.map((i) => wordPieces(plans[i]!));
    const pieceTexts = pieces.flatMap((list, k) => list.map((p) => plans[failed[k]!]!.source.slice(p.start, p.end)));
    const second = pieceTexts.length ? await this.inner.translate({ ...request, texts: pieceTexts }, signal) : [];
    let next = 0;
    failed.forEach((i, k) => {
      const plan = plans[i]!;
      let text = '';
      let at = 0;
      let base: Translation | undefined;
      for (const piece of pieces[k]!) {
        base ??= second[next];
        // A piece holds no span, so one in its translation was made up by the model (`%s`
        // from nowhere): the piece stays as written rather than add a placeholder.
        const out = second[next++]!.text;
        text += this.withSpans(plan, at, piece.start) + (findSpans(out, options).length ? plan.source.slice(piece.start, piece.end) : out);
        at = piece.end;
      }
      text += this.withSpans(plan, at, plan.source.length);
      results[i] = { text, flags: [], terms: entryIds(plan), ...(base ? { base } : {}) };
    });

    // 3. Verify what step 1 did not (its masked outputs were accepted only once they passed).
    const split = new Set(failed);
    const verified = (i: number) => slot[i] !== -1 && !split.has(i);
    return results.map((r, i) => {
      const plan = plans[i]!;
      if (!plan.spans.length || verified(i) || spansKept(plan.found, r!.text, options, targets(plan))) return r!;
      this.stats.flagged++;
      return { ...r!, flags: [...r!.flags, 'spans'], terms: entryIds(plan).filter((_, k) => r!.text.includes(targets(plan)[k]!)) };
    });
  }

  /** Source text from `start` to `end` with each ICU block inside it replaced by its translation. */
  private withSpans(plan: Plan, start: number, end: number): string {
    let out = '';
    let at = start;
    plan.spans.forEach((span, i) => {
      if (span.start < start || span.end > end) return;
      out += plan.source.slice(at, span.start) + plan.replacements[i];
      at = span.end;
    });
    return out + plan.source.slice(at, end);
  }

  /** Translates the branches of every ICU block in `plans` (one recursive call) and rebuilds the blocks. */
  private async translateIcuBranches(request: TranslateRequest, plans: Plan[], terms: TermMatcher | undefined, signal?: AbortSignal): Promise<void> {
    const branchTexts: string[] = [];
    for (const plan of plans) for (const block of plan.icu) for (const branch of block?.branches ?? []) branchTexts.push(branch.text);
    if (!branchTexts.length) return;
    const translated = await this.protect(request, branchTexts, { pluralBranch: true }, terms, signal);
    let next = 0;
    for (const plan of plans) {
      plan.icu.forEach((block, i) => {
        if (!block) return;
        const texts = block.branches.map(() => translated[next++]!);
        if (texts.some((t) => t.flags.length)) return; // keep the block as written rather than break it
        const rebuilt = rebuildIcuBlock(plan.spans[i]!.text, block, texts.map((t) => t.text));
        if (sameIcuShape(block, rebuilt)) plan.replacements[i] = rebuilt;
      });
    }
  }
}
