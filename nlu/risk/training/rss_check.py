#!/usr/bin/env python3
"""Peak memory of a process that only loads the int8 model and its tokenizer and reads one message (no PyTorch).

rss_check.py MODEL.onnx TOKENIZER.json      -> prints one JSON line: the peak RSS before and after, in MB
"""

import json
import resource
import sys

import numpy as np


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Load the model and tokenizer given as arguments, read one message, and print the peak RSS before and after."""
    model, tokenizer_file = sys.argv[1:3]
    before = peak_mb()
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(tokenizer_file)
    ids = np.array([tokenizer.encode("i have not slept in days and the telly is talking to me").ids], dtype=np.int64)
    session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)})
    print(json.dumps({"peak_rss_mb_before": round(before, 1), "peak_rss_mb_after": round(peak_mb(), 1)}))


if __name__ == "__main__":
    main()
