"""A small, dependency-light BERT encoder (the all-MiniLM-L6-v2 architecture) + mean pooling + linear head.

Written out in plain torch (instead of transformers.BertModel) so that (a) the frozen lower layers can be
run once and cached, and (b) the ONNX export is a plain graph (MatMul/Softmax/LayerNorm/Erf) with no
dependence on a transformers version's masking utilities. Parameter names match the checkpoint's
(embeddings.*, encoder.layer.N.*), so model.safetensors loads directly. export.py compares
the exported model with this PyTorch one on 200 corpus items.
"""

from __future__ import annotations

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file


class Embeddings(nn.Module):
    """BERT's input embeddings: word, position and token type embeddings summed, then LayerNorm and dropout."""

    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=0)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, input_ids, token_type_ids):
        """Embedded tokens (n, L, H) for token ids and token type ids (n, L)."""
        pos = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids) + self.position_embeddings(pos)
        return self.dropout(self.LayerNorm(x))


class _SelfAttn(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)


class _AttnOut(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])


class _Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = _SelfAttn(c)
        self.output = _AttnOut(c)


class _Dense(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.dense = nn.Linear(i, o)


class _Out(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["intermediate_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])


class Layer(nn.Module):
    """Post-LN transformer layer, as in BERT."""

    def __init__(self, c):
        super().__init__()
        self.nh = c["num_attention_heads"]
        self.dh = c["hidden_size"] // self.nh
        self.attention = _Attention(c)
        self.intermediate = _Dense(c["hidden_size"], c["intermediate_size"])
        self.output = _Out(c)
        self.p_attn = c["attention_probs_dropout_prob"]
        self.drop = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, add_mask):
        """Self-attention then the feed-forward block, each with a residual and LayerNorm: (n, L, H) in and out."""
        # x: (n, L, H); add_mask: (n, 1, 1, L) with 0 for real tokens and a large negative for padding
        n, L, H = x.shape
        sa = self.attention.self

        def heads(t):
            return t.view(n, L, self.nh, self.dh).transpose(1, 2)

        q, k, v = heads(sa.query(x)), heads(sa.key(x)), heads(sa.value(x))
        s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh) + add_mask
        p = F.dropout(torch.softmax(s, dim=-1), self.p_attn, self.training)
        a = torch.matmul(p, v).transpose(1, 2).reshape(n, L, H)
        x = self.attention.output.LayerNorm(x + self.drop(self.attention.output.dense(a)))
        f = self.output.dense(F.gelu(self.intermediate.dense(x)))  # exact (erf) GELU, as BERT
        return self.output.LayerNorm(x + self.drop(f))


def additive_mask(attention_mask, dtype=torch.float32):
    """The attention mask as one added to the attention scores: (n, 1, 1, L), 0 for real tokens, -1e4 for padding."""
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * -1e4


class RiskClassifier(nn.Module):
    """Encoder -> mean pooling over attention_mask -> dropout -> Linear(H, 3). forward returns logits.

    frozen_layers = k: embeddings and encoder layers 0..k-1 are frozen (no grad, always eval mode);
    their output can be precomputed with bottom() and fed to top()."""

    def __init__(self, base_dir, n_classes=3, dropout=0.1, frozen_layers=0, load_weights=True):
        super().__init__()
        with open(os.path.join(base_dir, "config.json")) as fh:
            c = json.load(fh)
        self.config = c
        self.embeddings = Embeddings(c)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(c["hidden_size"], n_classes)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)
        if load_weights:
            sd = load_file(os.path.join(base_dir, "model.safetensors"))
            sd = {k: v for k, v in sd.items() if not k.startswith("pooler.") and "position_ids" not in k}
            missing, unexpected = self.load_state_dict(sd, strict=False)
            assert not unexpected, unexpected
            assert set(missing) == {"head.weight", "head.bias"}, missing
        self.frozen_layers = frozen_layers
        for p in self.embeddings.parameters():
            p.requires_grad = frozen_layers == 0
        for i, l in enumerate(self.encoder.layer):
            for p in l.parameters():
                p.requires_grad = i >= frozen_layers

    def train(self, mode=True):
        """Set training mode as nn.Module does, but keep the frozen part in eval mode (no dropout)."""
        super().train(mode)
        if self.frozen_layers > 0:  # frozen part stays deterministic (no dropout)
            self.embeddings.eval()
            for l in self.encoder.layer[: self.frozen_layers]:
                l.eval()
        return self

    def bottom(self, input_ids, attention_mask, token_type_ids, upto=None):
        """Hidden states (n, L, H) after the embeddings and the first `upto` layers (by default the frozen ones)."""
        upto = self.frozen_layers if upto is None else upto
        x = self.embeddings(input_ids, token_type_ids)
        m = additive_mask(attention_mask, x.dtype)
        for l in self.encoder.layer[:upto]:
            x = l(x, m)
        return x

    def top(self, x, attention_mask, start=None):
        """Logits from hidden states, through the layers from `start` (default: the first not frozen) and the head."""
        start = self.frozen_layers if start is None else start
        m = additive_mask(attention_mask, x.dtype)
        for l in self.encoder.layer[start:]:
            x = l(x, m)
        am = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * am).sum(1) / am.sum(1).clamp(min=1e-9)
        return self.head(self.drop(pooled))

    def forward(self, input_ids, attention_mask, token_type_ids):
        """Logits for a batch, through the embeddings and every layer."""
        return self.top(self.bottom(input_ids, attention_mask, token_type_ids, upto=0), attention_mask, start=0)

    def pooled(self, input_ids, attention_mask, token_type_ids):
        """Mean-pooled encoder output (for the equivalence check against transformers)."""
        x = self.bottom(input_ids, attention_mask, token_type_ids, upto=len(self.encoder.layer))
        am = attention_mask.unsqueeze(-1).to(x.dtype)
        return (x * am).sum(1) / am.sum(1).clamp(min=1e-9)
