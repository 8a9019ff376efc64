"""Independent Python port of the upstream frame/pixel logic, used by test/vision/*.test.ts as an oracle.

Written from reading the upstream sources (not copied):
- QwenLM/Qwen3-VL qwen-vl-utils/src/qwen_vl_utils/vision_process.py at 0dcc180d (qwen-vl-utils 0.0.14):
  smart_nframes, smart_resize, the per-frame budget in fetch_video, the torchcodec reader's frame indices.
- huggingface/transformers src/transformers/models/qwen3_vl/video_processing_qwen3_vl.py (v4.57 line):
  smart_resize(num_frames, ...), Qwen3VLVideoProcessor.sample_frames, the temporal padding in _preprocess;
  processing_qwen3_vl.py _calculate_timestamps.
- vllm-project/vllm vllm/model_executor/models/qwen3_vl.py _get_video_second_idx (after PR #27104).

Python's own round (ties to even), math.floor/ceil, int() truncation and numpy linspace/round are used on
purpose: they are what the upstream code runs. Reads JSON on stdin, writes JSON on stdout.
"""
import json
import math
import sys

import numpy as np

FACTOR = 32  # patch 16 x spatial merge 2 (Qwen3-VL)
TEMPORAL = 2


# ---- qwen-vl-utils 0.0.14 ----------------------------------------------------------------------------
def q_round(n, f):
    return round(n / f) * f


def q_ceil(n, f):
    return math.ceil(n / f) * f


def q_floor(n, f):
    return math.floor(n / f) * f


def q_nframes(total, video_fps, fps):
    min_frames = q_ceil(4, 2)
    max_frames = q_floor(min(768, total), 2)
    n = total / video_fps * fps
    n = min(min(max(n, min_frames), max_frames), total)
    n = q_floor(n, 2)
    assert 2 <= n <= total
    return n


def q_resize(h, w, factor, min_pixels, max_pixels):
    assert max_pixels >= min_pixels
    assert max(h, w) / min(h, w) <= 200
    hb = max(factor, q_round(h, factor))
    wb = max(factor, q_round(w, factor))
    if hb * wb > max_pixels:
        beta = math.sqrt((h * w) / max_pixels)
        hb = q_floor(h / beta, factor)
        wb = q_floor(w / beta, factor)
    elif hb * wb < min_pixels:
        beta = math.sqrt(min_pixels / (h * w))
        hb = q_ceil(h * beta, factor)
        wb = q_ceil(w * beta, factor)
    return hb, wb


# ---- transformers Qwen3-VL video processor -------------------------------------------------------------
def hf_resize(t, h, w, min_pixels, max_pixels, factor=FACTOR, tf=TEMPORAL):
    assert t >= tf and h >= factor and w >= factor
    hb = round(h / factor) * factor
    wb = round(w / factor) * factor
    tb = round(t / tf) * tf
    if tb * hb * wb > max_pixels:
        beta = math.sqrt((t * h * w) / max_pixels)
        hb = max(factor, math.floor(h / beta / factor) * factor)
        wb = max(factor, math.floor(w / beta / factor) * factor)
    elif tb * hb * wb < min_pixels:
        beta = math.sqrt(min_pixels / (t * h * w))
        hb = math.ceil(h * beta / factor) * factor
        wb = math.ceil(w * beta / factor) * factor
    return hb, wb


def hf_sample(total, video_fps, fps):
    n = int(total / video_fps * fps)
    n = min(min(max(n, 4), 768), total)
    return np.linspace(0, total - 1, n).round().astype(int).tolist()


def timestamps(indices, fps):
    idx = list(indices)
    if len(idx) % TEMPORAL:
        idx += [idx[-1]] * (TEMPORAL - len(idx) % TEMPORAL)
    secs = [i / fps for i in idx]
    return [(secs[i] + secs[i + TEMPORAL - 1]) / 2 for i in range(0, len(secs), TEMPORAL)]


def result(n, h, w, ts):
    grid_t = -(-n // TEMPORAL)  # the processor pads the last group by repeating the last frame
    return {
        "nframes": n,
        "height": h,
        "width": w,
        "gridT": grid_t,
        "visualTokens": grid_t * (h // FACTOR) * (w // FACTOR),
        "timestamps": ts,
        "labels": [f"{t:.1f}" for t in ts],
    }


def recipe(meta, fps, total_pixels, ckpt_min=4096, ckpt_max=25165824):
    total, vfps = meta["numFrames"], meta["sourceFps"]
    n = q_nframes(total, vfps, fps)
    idx = np.linspace(0, total - 1, n).round().astype(int).tolist()
    min_pixels = 128 * FACTOR * FACTOR
    max_pixels = max(min(768 * FACTOR * FACTOR, total_pixels / n * 2), int(min_pixels * 1.05))
    h, w = q_resize(meta["height"], meta["width"], FACTOR, min_pixels, max_pixels)
    first = (h, w)
    h, w = hf_resize(n, h, w, ckpt_min, ckpt_max)  # offline vLLM: processor with do_sample_frames False
    out = result(n, h, w, timestamps(idx, vfps))
    out["beforeProcessor"] = {"height": first[0], "width": first[1]}
    return out


def server(meta, req, cap=False):
    idx = hf_sample(meta["numFrames"], meta["sourceFps"], req["fps"])
    size = req["size"]
    max_pixels = size["longest_edge"]
    if cap:  # transformers main: Qwen3VLVideoProcessor.resize with cap_pixels_per_frame=True
        n = len(idx)
        per_frame = max(min(768 * FACTOR * FACTOR, size["longest_edge"] // n), int(size["shortest_edge"] * 1.05))
        max_pixels = per_frame * n
    h, w = hf_resize(len(idx), meta["height"], meta["width"], size["shortest_edge"], max_pixels)
    return result(len(idx), h, w, timestamps(idx, meta["sourceFps"]))


def main():
    data = json.load(sys.stdin)
    out = {
        "recipe": [recipe(c["meta"], c["fps"], c["totalPixels"]) for c in data.get("recipe", [])],
        "server": [server(c["meta"], c["request"], c.get("cap", False)) for c in data.get("server", [])],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
