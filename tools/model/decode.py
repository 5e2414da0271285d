"""Reference greedy and beam search in torch with Hugging Face `generate` semantics.

These produce the golden outputs the Node engine must reproduce token for token:
pad never generated (bad_words_ids [[pad]]), forced EOS at max_length - 1, beam scores
sum_logprobs / len ** length_penalty, early_stopping false.
"""
import torch

NEG_INF = float("-inf")


class Stepper:
    """Incremental decoder for one batch of encoder states, with the self-attention cache."""

    def __init__(self, model, input_ids, attention_mask):
        self.model = model
        enc = model.model.encoder(input_ids, attention_mask)
        self.enc_kv = model.model.decoder.encoder_kv(enc)
        self.mask = attention_mask
        self.past = None

    def reorder(self, index):
        self.enc_kv = [(k[index], v[index]) for k, v in self.enc_kv]
        self.mask = self.mask[index]
        if self.past is not None:
            self.past = [(k[index], v[index]) for k, v in self.past]

    def logprobs(self, last_tokens, cur_len, max_length, pad, eos):
        h, self.past = self.model.model.decoder(last_tokens[:, None], self.mask, self.enc_kv, self.past)
        lp = torch.log_softmax(self.model.logits(h[:, -1]).double(), dim=-1)
        lp[:, pad] = NEG_INF
        if cur_len == max_length - 1:
            forced = torch.full_like(lp, NEG_INF)
            forced[:, eos] = 0.0
            lp = forced
        return lp


@torch.no_grad()
def greedy(model, input_ids, attention_mask, max_length, pad, eos):
    """Batched greedy decode; returns per-row generated ids (without start token, with eos)."""
    b = input_ids.shape[0]
    step = Stepper(model, input_ids, attention_mask)
    tokens = torch.full((b,), pad, dtype=torch.long, device=input_ids.device)
    out = [[] for _ in range(b)]
    done = [False] * b
    cur_len = 1
    while cur_len < max_length and not all(done):
        lp = step.logprobs(tokens, cur_len, max_length, pad, eos)
        tokens = lp.argmax(dim=-1)
        for r, t in enumerate(tokens.tolist()):  # one device sync per step
            if not done[r]:
                out[r].append(t)
                done[r] = t == eos
        cur_len += 1
    return out


@torch.no_grad()
def beam_search(model, input_ids, max_length, pad, eos, num_beams=4, n_best=2, length_penalty=1.0):
    """Beam search for ONE sentence ([1, src]); returns [(ids, score)] best first."""
    B = num_beams
    ids = input_ids.repeat(B, 1)
    step = Stepper(model, ids, torch.ones_like(ids))
    beam_scores = torch.tensor([0.0] + [-1e9] * (B - 1), dtype=torch.float64)
    seqs = [[] for _ in range(B)]
    last = torch.full((B,), pad, dtype=torch.long)
    hyps = []  # (score, ids)
    cur_len = 1
    while True:
        lp = step.logprobs(last, cur_len, max_length, pad, eos)
        scores = (lp + beam_scores[:, None]).view(-1)
        top_scores, top_idx = torch.topk(scores, 2 * B, largest=True, sorted=True)
        # torch.topk breaks ties arbitrarily; make ties deterministic (lower flat index first)
        order = sorted(range(2 * B), key=lambda i: (-float(top_scores[i]), int(top_idx[i])))
        V = lp.shape[-1]
        next_beams = []
        for rank, i in enumerate(order):
            s, flat = float(top_scores[i]), int(top_idx[i])
            beam, tok = flat // V, flat % V
            if tok == eos:
                if rank >= B:
                    continue
                hyps.append((s / (cur_len ** length_penalty), seqs[beam] + [eos]))
                hyps.sort(key=lambda h: -h[0])
                del hyps[B:]
            else:
                next_beams.append((s, beam, tok))
            if len(next_beams) == B:
                break
        best_next = max(float(x) for x in top_scores)
        done = len(hyps) >= B and hyps[-1][0] >= best_next / (cur_len ** length_penalty)
        index = torch.tensor([b for _, b, _ in next_beams])
        seqs = [seqs[b] + [t] for _, b, t in next_beams]
        beam_scores = torch.tensor([s for s, _, _ in next_beams], dtype=torch.float64)
        last = torch.tensor([t for _, _, t in next_beams])
        step.reorder(index)
        cur_len += 1
        if done:
            break
        if cur_len >= max_length:
            for s, seq in zip(beam_scores.tolist(), seqs):
                hyps.append((s / ((len(seq) + 1) ** length_penalty), list(seq)))
            hyps.sort(key=lambda h: -h[0])
            del hyps[B:]
            break
    return [(seq, score) for score, seq in hyps[:n_best]]
