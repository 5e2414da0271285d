// Characters translated through the compatible APIs since the server started: DeepL's
// `/v2/usage` reports it. Parla has no quota, so the limit is the largest count JSON can hold
// exactly (DeepL's clients read `character_limit` as a number and compare).
export class UsageCounter {
  count = 0;
  readonly limit = Number.MAX_SAFE_INTEGER;

  add(characters: number): void {
    this.count += characters;
  }
}
