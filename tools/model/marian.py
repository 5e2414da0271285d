"""A Marian encoder-decoder in torch that mirrors Hugging Face `MarianMTModel`.

Parameter names follow HF (`model.shared.weight`, `model.encoder.layers.0.self_attn.k_proj.weight`,
...) so that `config.json` + these weights load into `MarianMTModel`. Static sinusoidal
positions in the HF Marian layout, embeddings scaled by sqrt(d_model), post-layer-norm blocks,
swish, tied output projection plus `final_logits_bias`.
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn.functional as F
from torch import nn

NEG = -1e9  # additive mask value; finite so that fully masked rows stay finite in fp32


@dataclass
class MarianSize:
    vocab_size: int = 8000
    d_model: int = 256
    encoder_layers: int = 3
    decoder_layers: int = 3
    heads: int = 4
    ffn_dim: int = 1024
    max_position_embeddings: int = 512
    dropout: float = 0.1

    @property
    def pad_id(self) -> int:
        return self.vocab_size - 1


def hf_config(size: MarianSize, max_length: int = 512) -> dict:
    pad, eos = size.pad_id, 0
    return {
        "architectures": ["MarianMTModel"], "model_type": "marian", "transformers_version": "4.40.0",
        "vocab_size": size.vocab_size, "decoder_vocab_size": size.vocab_size,
        "d_model": size.d_model, "encoder_layers": size.encoder_layers, "decoder_layers": size.decoder_layers,
        "encoder_attention_heads": size.heads, "decoder_attention_heads": size.heads,
        "encoder_ffn_dim": size.ffn_dim, "decoder_ffn_dim": size.ffn_dim,
        "activation_function": "swish", "max_position_embeddings": size.max_position_embeddings,
        "scale_embedding": True, "static_position_embeddings": True, "normalize_before": False,
        "add_final_layer_norm": False, "normalize_embedding": False, "share_encoder_decoder_embeddings": True,
        "tie_word_embeddings": True, "dropout": size.dropout, "attention_dropout": 0.0, "activation_dropout": 0.0,
        "init_std": 0.02, "encoder_layerdrop": 0.0, "decoder_layerdrop": 0.0, "use_cache": True,
        "is_encoder_decoder": True, "pad_token_id": pad, "eos_token_id": eos, "decoder_start_token_id": pad,
        "forced_eos_token_id": eos, "bad_words_ids": [[pad]], "num_beams": 4, "max_length": max_length,
        "num_hidden_layers": size.encoder_layers,
    }


def sinusoidal_table(n_pos: int, dim: int) -> torch.Tensor:
    """HF MarianSinusoidalPositionalEmbedding: sin in the first half, cos in the second."""
    pos = torch.arange(n_pos, dtype=torch.float64)[:, None]
    j = torch.arange(dim, dtype=torch.float64)[None, :]
    angle = pos / torch.pow(10000.0, 2 * torch.div(j, 2, rounding_mode="floor") / dim)
    out = torch.zeros(n_pos, dim, dtype=torch.float64)
    half = dim // 2 + dim % 2
    out[:, :half] = torch.sin(angle[:, 0::2])
    out[:, half:] = torch.cos(angle[:, 1::2])
    return out.float()


class PositionalEmbedding(nn.Module):
    def __init__(self, n_pos: int, dim: int):
        super().__init__()
        self.weight = nn.Parameter(sinusoidal_table(n_pos, dim), requires_grad=False)

    def forward(self, seq_len: torch.Tensor | int, offset: torch.Tensor | int = 0) -> torch.Tensor:
        positions = torch.arange(seq_len, device=self.weight.device) + offset
        return self.weight[positions]


class Attention(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj, self.k_proj = nn.Linear(d, d), nn.Linear(d, d)
        self.v_proj, self.out_proj = nn.Linear(d, d), nn.Linear(d, d)

    def split(self, x: torch.Tensor) -> torch.Tensor:  # [b, t, d] -> [b, h, t, hd]
        b = x.shape[0]
        return x.view(b, -1, self.heads, self.head_dim).transpose(1, 2)

    def project_kv(self, x: torch.Tensor):
        return self.split(self.k_proj(x)), self.split(self.v_proj(x))

    def attend(self, x: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        b = x.shape[0]
        q = self.split(self.q_proj(x) * self.scaling)
        w = torch.matmul(q, k.transpose(-1, -2))
        if mask is not None:
            w = w + mask
        w = torch.softmax(w, dim=-1)
        o = torch.matmul(w, v).transpose(1, 2).reshape(b, -1, self.heads * self.head_dim)
        return self.out_proj(o)


class EncoderLayer(nn.Module):
    def __init__(self, s: MarianSize):
        super().__init__()
        self.self_attn = Attention(s.d_model, s.heads)
        self.self_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.fc1, self.fc2 = nn.Linear(s.d_model, s.ffn_dim), nn.Linear(s.ffn_dim, s.d_model)
        self.final_layer_norm = nn.LayerNorm(s.d_model)
        self.dropout = s.dropout

    def forward(self, x, mask):
        k, v = self.self_attn.project_kv(x)
        h = F.dropout(self.self_attn.attend(x, k, v, mask), self.dropout, self.training)
        x = self.self_attn_layer_norm(x + h)
        h = self.fc2(F.silu(self.fc1(x)))
        x = self.final_layer_norm(x + F.dropout(h, self.dropout, self.training))
        return x


class DecoderLayer(nn.Module):
    def __init__(self, s: MarianSize):
        super().__init__()
        self.self_attn = Attention(s.d_model, s.heads)
        self.self_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.encoder_attn = Attention(s.d_model, s.heads)
        self.encoder_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.fc1, self.fc2 = nn.Linear(s.d_model, s.ffn_dim), nn.Linear(s.ffn_dim, s.d_model)
        self.final_layer_norm = nn.LayerNorm(s.d_model)
        self.dropout = s.dropout

    def forward(self, x, self_mask, enc_mask, past_self, enc_kv):
        """past_self: (k, v) of earlier steps or None; enc_kv: (k, v) of the encoder states."""
        k, v = self.self_attn.project_kv(x)
        if past_self is not None:
            k, v = torch.cat([past_self[0], k], dim=2), torch.cat([past_self[1], v], dim=2)
        h = F.dropout(self.self_attn.attend(x, k, v, self_mask), self.dropout, self.training)
        x = self.self_attn_layer_norm(x + h)
        h = F.dropout(self.encoder_attn.attend(x, enc_kv[0], enc_kv[1], enc_mask), self.dropout, self.training)
        x = self.encoder_attn_layer_norm(x + h)
        h = self.fc2(F.silu(self.fc1(x)))
        x = self.final_layer_norm(x + F.dropout(h, self.dropout, self.training))
        return x, (k, v)


class Encoder(nn.Module):
    def __init__(self, s: MarianSize, shared: nn.Embedding):
        super().__init__()
        self.embed_tokens = shared
        self.embed_positions = PositionalEmbedding(s.max_position_embeddings, s.d_model)
        self.layers = nn.ModuleList(EncoderLayer(s) for _ in range(s.encoder_layers))
        self.scale, self.dropout = math.sqrt(s.d_model), s.dropout

    def forward(self, input_ids, attention_mask):
        x = self.embed_tokens(input_ids) * self.scale + self.embed_positions(input_ids.shape[1])
        x = F.dropout(x, self.dropout, self.training)
        mask = key_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, mask)
        return x


class Decoder(nn.Module):
    def __init__(self, s: MarianSize, shared: nn.Embedding):
        super().__init__()
        self.embed_tokens = shared
        self.embed_positions = PositionalEmbedding(s.max_position_embeddings, s.d_model)
        self.layers = nn.ModuleList(DecoderLayer(s) for _ in range(s.decoder_layers))
        self.scale, self.dropout = math.sqrt(s.d_model), s.dropout

    def encoder_kv(self, enc_states):
        return [layer.encoder_attn.project_kv(enc_states) for layer in self.layers]

    def forward(self, input_ids, enc_mask_2d, enc_kv, past_self=None):
        """Returns hidden states and the new self-attention cache (one (k, v) per layer)."""
        tgt = input_ids.shape[1]
        past_len = past_self[0][0].shape[2] if past_self is not None else 0
        x = self.embed_tokens(input_ids) * self.scale + self.embed_positions(tgt, past_len)
        x = F.dropout(x, self.dropout, self.training)
        self_mask = causal_mask(tgt, past_len, x.device)
        enc_mask = key_mask(enc_mask_2d)
        present = []
        for i, layer in enumerate(self.layers):
            x, kv = layer(x, self_mask, enc_mask, None if past_self is None else past_self[i], enc_kv[i])
            present.append(kv)
        return x, present


def key_mask(mask_2d: torch.Tensor) -> torch.Tensor:
    """[b, s] 1/0 -> additive [b, 1, 1, s]."""
    return (1.0 - mask_2d[:, None, None, :].to(torch.float32)) * NEG


def causal_mask(tgt, past_len, device) -> torch.Tensor:
    rows = torch.arange(tgt, device=device)[:, None] + past_len
    cols = torch.arange(tgt + past_len, device=device)[None, :]
    return (cols > rows).to(torch.float32)[None, None] * NEG


class MarianModel(nn.Module):
    def __init__(self, s: MarianSize):
        super().__init__()
        self.shared = nn.Embedding(s.vocab_size, s.d_model, padding_idx=s.pad_id)
        self.encoder = Encoder(s, self.shared)
        self.decoder = Decoder(s, self.shared)


class MarianMT(nn.Module):
    def __init__(self, s: MarianSize):
        super().__init__()
        self.size = s
        self.model = MarianModel(s)
        self.register_buffer("final_logits_bias", torch.zeros(1, s.vocab_size))
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)

    def logits(self, hidden):
        return F.linear(hidden, self.model.shared.weight) + self.final_logits_bias

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        enc = self.model.encoder(input_ids, attention_mask)
        h, _ = self.model.decoder(decoder_input_ids, attention_mask, self.model.decoder.encoder_kv(enc))
        return self.logits(h)

    def hf_state_dict(self) -> dict:
        """State dict under HF names, tied weights written out as HF expects them."""
        sd = {k: v for k, v in self.state_dict().items()}
        sd["lm_head.weight"] = sd["model.shared.weight"]
        return sd


def size_to_dict(s: MarianSize) -> dict:
    return asdict(s)
