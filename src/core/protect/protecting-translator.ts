// Puts protected spans out of the model's reach and proves they came back.
//
// Strategy, measured on test/fixtures/localization-strings.json with the bundled model (bench:protect):
//  1. mask: each span becomes a numbered sentinel `{0}`, `{1}`… that Marian models copy (they were
//     trained on catalogues full of such placeholders); the output is accepted only when every
//     sentinel is there exactly once, and tags keep their order and nesting;
//  2. split: otherwise the text between spans is translated piece by piece and the spans are put
//     back between the pieces, verbatim and in order;
//  3. whatever came out is verified against the source (same multiset of spans, same tag tree,
//     same ICU shape); an output that still fails is returned with the `spans` flag, never silently.
// Texts without spans go to the model as they are: their output is identical to protection off.
// ICU plural/select blocks are one span in their sentence; each branch is translated on its own
// (recursively, `#` protected) and the block rebuilt around the translations.
import type { TranslateRequest, Translation, TranslationFlag, Translator } from '../../shared/translation.js';
import { parseIcuBlock, rebuildIcuBlock, sameIcuShape, type IcuBlock } from './icu.js';
import { findSpans, tagShape, type FindSpansOptions, type Span } from './spans.js';

const SENTINEL = /\{(\d+)\}/g;
// A piece worth a model call: a word of three letters or more (not an ordinal suffix like `#nd`).
const HAS_WORDS = /\p{L}{3,}/u;

interface Protected {
  text: string;
  flags: TranslationFlag[];
  /** The model's answer this output was built from (model id, timing, alternatives). */
  base?: Translation;
}

interface Plan {
  source: string;
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

/** The output keeps the source's spans: same multiset, same tag order and nesting, same ICU shapes. */
export function keepsSpans(source: string, output: string, options: FindSpansOptions = {}): boolean {
  const before = findSpans(source, options);
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

export class ProtectingTranslator implements Translator {
  constructor(private readonly inner: Translator) {}

  warm(request: Omit<TranslateRequest, 'texts'>): Promise<void> {
    return this.inner.warm?.(request) ?? Promise.resolve();
  }

  async translate(request: TranslateRequest, signal?: AbortSignal): Promise<Translation[]> {
    if (request.protect === 'none' || request.texts.length === 0) return this.inner.translate(request, signal);
    const started = performance.now();
    const results = await this.protect(request, request.texts, {}, signal);
    const ms = Math.round(performance.now() - started);
    return results.map((r, i): Translation => {
      const base: Translation = r.base ?? { source: request.texts[i]!, text: r.text, model: '', cached: false, ms };
      const { alternatives: _alternatives, ...rest } = base;
      return { ...rest, source: request.texts[i]!, text: r.text, ms: Math.max(base.ms, ms), ...(r.flags.length ? { flags: r.flags } : {}) };
    });
  }

  /** Translates `texts` keeping their spans; one model call for all the plain texts and masked texts. */
  private async protect(request: TranslateRequest, texts: readonly string[], options: FindSpansOptions, signal?: AbortSignal): Promise<Protected[]> {
    const plans = texts.map((source): Plan => {
      const spans = findSpans(source, options);
      return { source, spans, replacements: spans.map((s) => s.text), icu: spans.map((s) => (s.kind === 'icu' ? parseIcuBlock(s.text) : undefined)) };
    });
    await this.translateIcuBranches(request, plans, signal);

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
      if (slot[i] === -1) return { text: unmask(plan, masked(plan)) ?? plan.source, flags: [] };
      const answer = first[slot[i]!]!;
      if (!plan.spans.length) return { text: answer.text, flags: [], base: answer };
      for (const candidate of [answer.text, ...(answer.alternatives ?? []).map((a) => a.text)]) {
        const text = unmask(plan, candidate);
        if (text !== undefined && keepsSpans(plan.source, text, options)) return { text, flags: [], base: answer };
      }
      return undefined;
    });

    // 2. What failed: translate the pieces between spans and put the spans back between them.
    const failed = plans.map((_, i) => i).filter((i) => results[i] === undefined);
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
        text += this.withSpans(plan, at, piece.start) + second[next++]!.text;
        at = piece.end;
      }
      text += this.withSpans(plan, at, plan.source.length);
      results[i] = { text, flags: [], ...(base ? { base } : {}) };
    });

    // 3. Verify every output with spans against its source.
    return results.map((r, i) => {
      const plan = plans[i]!;
      if (!plan.spans.length || keepsSpans(plan.source, r!.text, options)) return r!;
      return { ...r!, flags: [...r!.flags, 'spans'] };
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
  private async translateIcuBranches(request: TranslateRequest, plans: Plan[], signal?: AbortSignal): Promise<void> {
    const branchTexts: string[] = [];
    for (const plan of plans) for (const block of plan.icu) for (const branch of block?.branches ?? []) branchTexts.push(branch.text);
    if (!branchTexts.length) return;
    const translated = await this.protect(request, branchTexts, { pluralBranch: true }, signal);
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
