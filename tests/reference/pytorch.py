#!/usr/bin/env python3
"""Random comparison of `convscope eval` with PyTorch / torchvision, and the generator of the
extra golden cases in tests/golden/ (a developer tool: it needs torch and torchvision, which
CI does not install; CI checks the cases it wrote).

    python3 tests/reference/pytorch.py compare [--cases N] [--seed S] [--cli PATH]
    python3 tests/reference/pytorch.py golden  [--seed S]
    python3 tests/reference/pytorch.py models

`compare` draws N requests per op from the same argument space PyTorch takes (ints, pairs,
one-item lists, None, strings, unbatched inputs, extreme but cheap values, invalid
combinations), computes each with PyTorch in float64 (or records PyTorch's refusal), runs them
all through one `convscope eval` process and counts agreements: both answer and the numbers
match (|got − expected| ≤ 1e-4 + 1e-4·|expected|, shapes exact), or both refuse.

`golden` writes a fixed, seeded selection of such cases: answered ones are appended to
tests/golden/<op>.jsonl (names `<op>_gen_<i>`), refused ones to tests/golden/refused/<op>.jsonl
with PyTorch's message.

References: torch.nn.functional and torchvision.ops where they exist; for depth_to_space
(ONNX), bilinear_additive_upsample (Wojna et al.), deform_roi_pool (mmcv) and hdc, short
independent reimplementations below, each a composition of PyTorch ops or a plain loop.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
from collections import defaultdict

import torch
import torch.nn.functional as F
import torchvision

torch.set_default_dtype(torch.float64)
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Refused(Exception):
    pass


def tensor(shape, rng, lo=-3, hi=3, halves=True):
    n = 1
    for s in shape:
        n *= s
    vals = [rng.randint(lo * 2, hi * 2) / 2 if halves else rng.randint(lo, hi) for _ in range(n)]
    return torch.tensor(vals, dtype=torch.float64).reshape(shape)


def tolist(t):
    return t.tolist()


def maybe_pair(rng, lo, hi, one=True):
    """An int, a pair or a one-item list, as PyTorch's IntArrayRef[2] takes."""
    r = rng.random()
    if r < 0.5:
        return rng.randint(lo, hi)
    if r < 0.85 or not one:
        return [rng.randint(lo, hi), rng.randint(lo, hi)]
    return [rng.randint(lo, hi)]


def pair(v):
    if isinstance(v, int):
        return (v, v)
    if len(v) == 1:
        return (v[0], v[0])
    return tuple(v)


# ---- request generators: each returns (args_json, callable computing the reference) ----

def conv_kwargs(rng, groups, hi, p_stride, p_dilation, p_groups):
    """F.conv2d's keyword arguments, each drawn with its own chance: stride and dilation up to
    `hi`, padding as a number, a pair, "same" or "valid", and groups when there are several."""
    kw_ = {}
    if rng.random() < p_stride:
        kw_["stride"] = maybe_pair(rng, 1, hi)
    r = rng.random()
    if r < 0.2:
        kw_["padding"] = "same"
    elif r < 0.3:
        kw_["padding"] = "valid"
    elif r < 0.8:
        kw_["padding"] = maybe_pair(rng, 0, hi)
    if rng.random() < p_dilation:
        kw_["dilation"] = maybe_pair(rng, 1, hi)
    if groups > 1 or rng.random() < p_groups:
        kw_["groups"] = groups
    return kw_


def gen_conv2d(rng):
    unbatched = rng.random() < 0.25
    groups = rng.choice([1, 1, 2])
    cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 2)
    h, w = rng.randint(1, 7), rng.randint(1, 7)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    x = tensor(([] if unbatched else [rng.randint(1, 2)]) + [cin, h, w], rng)
    wt = tensor([cout, cin // groups, kh, kw], rng)
    args = {"input": tolist(x), "weight": tolist(wt)}
    if rng.random() < 0.5:
        args["bias"] = tolist(tensor([cout], rng))
    kw_ = conv_kwargs(rng, groups, hi=3, p_stride=0.6, p_dilation=0.5, p_groups=0.2)
    args.update(kw_)
    bias = torch.tensor(args["bias"]) if "bias" in args else None
    return args, lambda: F.conv2d(x, wt, bias, **kw_)


def gen_resize_conv2d(rng):
    groups = rng.choice([1, 1, 2])
    cin, cout = groups * rng.randint(1, 2), groups * rng.randint(1, 2)
    h, w = rng.randint(1, 5), rng.randint(1, 5)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    x = tensor([rng.randint(1, 2), cin, h, w], rng)
    wt = tensor([cout, cin // groups, kh, kw], rng)
    mode = rng.choice(["nearest", "bilinear"])
    scale = rng.choice([1, 2, 2, 3, 1.5, 2.5, [2, 3], [3, 1]])
    args = {"input": tolist(x), "weight": tolist(wt), "scale_factor": scale, "mode": mode}
    align = None
    if (mode == "bilinear" and rng.random() < 0.5) or rng.random() < 0.05:
        align = rng.random() < 0.5
        args["align_corners"] = align
    if rng.random() < 0.5:
        args["bias"] = tolist(tensor([cout], rng))
    kw_ = conv_kwargs(rng, groups, hi=2, p_stride=0.4, p_dilation=0.3, p_groups=0.0)
    args.update(kw_)
    bias = torch.tensor(args["bias"]) if "bias" in args else None
    sf = tuple(scale) if isinstance(scale, list) else scale
    return args, lambda: F.conv2d(F.interpolate(x, scale_factor=sf, mode=mode, align_corners=align), wt, bias, **kw_)


def gen_conv_transpose2d(rng):
    unbatched = rng.random() < 0.25
    groups = rng.choice([1, 1, 2])
    cin, cout_g = groups * rng.randint(1, 2), rng.randint(1, 2)
    h, w = rng.randint(1, 5), rng.randint(1, 5)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    x = tensor(([] if unbatched else [rng.randint(1, 2)]) + [cin, h, w], rng)
    wt = tensor([cin, cout_g, kh, kw], rng)
    args = {"input": tolist(x), "weight": tolist(wt)}
    kw_ = {}
    if rng.random() < 0.5:
        args["bias"] = tolist(tensor([cout_g * groups], rng))
    for name, lo, hi, p in [("stride", 1, 3, 0.7), ("padding", 0, 3, 0.6), ("dilation", 1, 3, 0.4), ("output_padding", 0, 2, 0.4)]:
        if rng.random() < p:
            kw_[name] = maybe_pair(rng, lo, hi)
    if groups > 1:
        kw_["groups"] = groups
    args.update(kw_)
    bias = torch.tensor(args["bias"]) if "bias" in args else None
    return args, lambda: F.conv_transpose2d(x, wt, bias, **kw_)


def gen_pool(rng, kind):
    unbatched = rng.random() < 0.25
    h, w = rng.randint(1, 7), rng.randint(1, 7)
    x = tensor(([] if unbatched else [rng.randint(1, 2)]) + [rng.randint(1, 2), h, w], rng)
    k = maybe_pair(rng, 1, 4)
    kw_ = {"kernel_size": k}
    r = rng.random()
    if r < 0.5:
        kw_["stride"] = maybe_pair(rng, 1, 3)
    elif r < 0.6:
        kw_["stride"] = []
    if rng.random() < 0.6:
        kh, kwid = pair(k)
        kw_["padding"] = [rng.randint(0, kh // 2 + (1 if rng.random() < 0.1 else 0)), rng.randint(0, kwid // 2)]
    if rng.random() < 0.5:
        kw_["ceil_mode"] = rng.random() < 0.7
    if kind == "max":
        if rng.random() < 0.5:
            kw_["dilation"] = maybe_pair(rng, 1, 3)
        if rng.random() < 0.2:
            kw_["return_indices"] = True
    else:
        if rng.random() < 0.5:
            kw_["count_include_pad"] = rng.random() < 0.5
        if rng.random() < 0.2:
            kw_["divisor_override"] = rng.choice([-3, 0, 1, 2, 5])
    args = dict(kw_, input=tolist(x))
    fn = F.max_pool2d if kind == "max" else F.avg_pool2d
    return args, lambda: fn(x, **kw_)


def gen_interpolate(rng):
    dims = rng.choice([3, 4, 4, 4])
    spatial = dims - 2
    shape = [rng.randint(1, 2), rng.randint(1, 2)] + [rng.randint(1, 6) for _ in range(spatial)]
    x = tensor(shape, rng)
    modes = ["nearest", "nearest-exact", "bilinear", "bicubic", "area", "linear"]
    mode = rng.choice(modes)
    kw_ = {"mode": mode}
    if rng.random() < 0.5:
        s = rng.choice([1, 2, 3, 5, 8]) if rng.random() < 0.5 else [rng.randint(1, 8) for _ in range(spatial)]
        kw_["size"] = s
    else:
        def scale():
            return rng.choice([0.5, 1.2, 1.5, 2, 2.1, 3, 0.75, 1.0, 2.5, 4, 0.3])
        kw_["scale_factor"] = scale() if rng.random() < 0.5 else [scale() for _ in range(spatial)]
        if rng.random() < 0.3:
            kw_["recompute_scale_factor"] = rng.random() < 0.5
    if rng.random() < 0.4:
        kw_["align_corners"] = rng.random() < 0.5
    if rng.random() < 0.05:
        kw_["size"], kw_["scale_factor"] = 3, 2.0
    if rng.random() < 0.05:
        kw_["antialias"] = rng.random() < 0.5
    args = dict(kw_, input=tolist(x))
    return args, lambda: F.interpolate(x, **kw_)


def gen_pixel_shuffle(rng):
    r = rng.randint(1, 3)
    lead = rng.choice([[], [2], [1, 2]])
    c = r * r * rng.randint(1, 2) + (1 if rng.random() < 0.1 else 0)
    x = tensor(lead + [c, rng.randint(1, 3), rng.randint(1, 3)], rng)
    return {"input": tolist(x), "upscale_factor": r}, lambda: F.pixel_shuffle(x, r)


def gen_pixel_unshuffle(rng):
    r = rng.randint(1, 3)
    lead = rng.choice([[], [2], [1, 2]])
    h, w = r * rng.randint(1, 2), r * rng.randint(1, 2) + (1 if rng.random() < 0.1 else 0)
    x = tensor(lead + [rng.randint(1, 2), h, w], rng)
    return {"input": tolist(x), "downscale_factor": r}, lambda: F.pixel_unshuffle(x, r)


def depth_to_space(x, b, mode):
    if x.dim() != 4:
        raise Refused("ONNX DepthToSpace takes 4-D input")
    n, c, h, w = x.shape
    if c % (b * b):
        raise Refused("channels not divisible by block_size²")
    if mode == "CRD":
        return F.pixel_shuffle(x, b)
    return x.reshape(n, b, b, c // (b * b), h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c // (b * b), h * b, w * b)


def gen_depth_to_space(rng):
    b = rng.randint(1, 3)
    x = tensor([rng.randint(1, 2), b * b * rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 3)], rng)
    mode = rng.choice(["DCR", "CRD"])
    args = {"input": tolist(x), "block_size": b}
    if rng.random() < 0.7:
        args["mode"] = mode
    return args, lambda: depth_to_space(x, b, args.get("mode", "DCR"))


def gen_bilinear_additive(rng):
    g = rng.randint(1, 3)
    x = tensor([1, g * rng.randint(1, 2), rng.randint(1, 4), rng.randint(1, 4)], rng)
    s = rng.choice([1, 2, 3, 1.5])

    def ref():
        u = F.interpolate(x, scale_factor=s, mode="bilinear", align_corners=False)
        n, c, h, w = u.shape
        return u.reshape(n, c // g, g, h, w).sum(2)

    return {"input": tolist(x), "scale_factor": s, "channel_group": g}, ref


def boxes(rng, n, h, w, k):
    out = []
    for _ in range(k):
        x1, y1 = rng.uniform(-2, w + 1), rng.uniform(-2, h + 1)
        x2, y2 = x1 + rng.uniform(-1, w), y1 + rng.uniform(-1, h)
        out.append([rng.randrange(n), round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2)])
    return out


def gen_roi(rng, kind):
    n, c, h, w = rng.randint(1, 2), rng.randint(1, 2), rng.randint(2, 6), rng.randint(2, 6)
    x = tensor([n, c, h, w], rng)
    bx = boxes(rng, n, h, w, rng.randint(1, 3))
    out = maybe_pair(rng, 1, 3, one=False)
    kw_ = {}
    if rng.random() < 0.5:
        kw_["spatial_scale"] = rng.choice([0.5, 1.0, 2.0, 0.25])
    if kind == "align":
        if rng.random() < 0.6:
            kw_["sampling_ratio"] = rng.choice([-1, 0, 1, 2, 3])
        if rng.random() < 0.6:
            kw_["aligned"] = rng.random() < 0.5
        fn = torchvision.ops.roi_align
    else:
        fn = torchvision.ops.roi_pool
    args = dict(kw_, input=tolist(x), boxes=bx, output_size=out)
    return args, lambda: fn(x, torch.tensor(bx), out, **kw_)


def bilinear_mmcv(plane, h, w, y, x):
    if y < -1.0 or y > h or x < -1.0 or x > w:
        return 0.0
    y, x = max(y, 0.0), max(x, 0.0)
    y0, x0 = int(y), int(x)
    if y0 >= h - 1:
        y0 = y1 = h - 1
        y = float(y0)
    else:
        y1 = y0 + 1
    if x0 >= w - 1:
        x0 = x1 = w - 1
        x = float(x0)
    else:
        x1 = x0 + 1
    ly, lx = y - y0, x - x0
    hy, hx = 1 - ly, 1 - lx
    return hy * hx * plane[y0][x0] + hy * lx * plane[y0][x1] + ly * hx * plane[y1][x0] + ly * lx * plane[y1][x1]


def deform_roi_pool(x, rois, offset, out, scale, ratio, gamma):
    """mmcv's DeformRoIPool forward, as a plain loop (its CPU kernel, line by line)."""
    ph, pw = out
    n, c, h, w = x.shape
    xs = x.tolist()
    res = []
    for k, roi in enumerate(rois):
        b = int(roi[0])
        if not (0 <= roi[0] < n):
            raise Refused("batch index")
        x1, y1 = roi[1] * scale - 0.5, roi[2] * scale - 0.5
        rw, rh = roi[3] * scale - 0.5 - x1, roi[4] * scale - 0.5 - y1
        bh, bw = rh / ph, rw / pw
        gh = ratio if ratio > 0 else int(math.ceil(rh / ph))
        gw = ratio if ratio > 0 else int(math.ceil(rw / pw))
        count = max(gh * gw, 1)
        chans = []
        for ch in range(c):
            rows = []
            for i in range(ph):
                cols = []
                for j in range(pw):
                    sx, sy = x1, y1
                    if offset is not None:
                        sx += gamma * rw * offset[k][0][i][j]
                        sy += gamma * rh * offset[k][1][i][j]
                    acc = 0.0
                    for iy in range(max(gh, 0)):
                        yy = sy + i * bh + (iy + 0.5) * bh / gh
                        for ix in range(max(gw, 0)):
                            xx = sx + j * bw + (ix + 0.5) * bw / gw
                            acc += bilinear_mmcv(xs[b][ch], h, w, yy, xx)
                    cols.append(acc / count)
                rows.append(cols)
            chans.append(rows)
        res.append(chans)
    return torch.tensor(res) if res else torch.zeros(0, c, ph, pw)


def gen_deform_roi_pool(rng):
    n, c, h, w = 1, rng.randint(1, 2), rng.randint(2, 6), rng.randint(2, 6)
    x = tensor([n, c, h, w], rng)
    k = rng.randint(1, 2)
    rois = boxes(rng, n, h, w, k)
    out = maybe_pair(rng, 1, 3, one=False)
    ph, pw = pair(out)
    args = {"input": tolist(x), "rois": rois, "output_size": out}
    offset = None
    if rng.random() < 0.7:
        offset = tensor([k, 2, ph, pw], rng, -2, 2).tolist()
        args["offset"] = offset
    scale = rng.choice([1.0, 0.5])
    ratio = rng.choice([0, 1, 2, -1])
    gamma = rng.choice([0.1, 0.5, 1.0])
    args.update(spatial_scale=scale, sampling_ratio=ratio, gamma=gamma)
    return args, lambda: deform_roi_pool(x, rois, offset, (ph, pw), scale, ratio, gamma)


def gen_deform_conv2d(rng):
    n, cin, h, w = rng.randint(1, 2), rng.randint(1, 2), rng.randint(2, 6), rng.randint(2, 6)
    k = rng.randint(1, 3)
    cout = rng.randint(1, 2)
    x = tensor([n, cin, h, w], rng)
    wt = tensor([cout, cin, k, k], rng)
    s, p, d = rng.randint(1, 2), rng.randint(0, 2), rng.randint(1, 2)
    ho, wo = (h + 2 * p - d * (k - 1) - 1) // s + 1, (w + 2 * p - d * (k - 1) - 1) // s + 1
    if ho < 1 or wo < 1:
        s, p, d = 1, 1, 1
        ho, wo = h + 2 - k + 1, w + 2 - k + 1
    off = tensor([n, 2 * k * k, ho, wo], rng, -2, 2) * 0.75
    args = {"input": tolist(x), "offset": tolist(off), "weight": tolist(wt), "stride": s, "padding": p, "dilation": d}
    mask = None
    if rng.random() < 0.5:
        mask = tensor([n, k * k, ho, wo], rng, 0, 2) / 2
        args["mask"] = tolist(mask)
    bias = None
    if rng.random() < 0.4:
        bias = tensor([cout], rng)
        args["bias"] = tolist(bias)
    return args, lambda: torchvision.ops.deform_conv2d(x, off, wt, bias, (s, s), (p, p), (d, d), mask)


def gen_layers(rng, n):
    layers = []
    for _ in range(n):
        layer = {"kernel_size": rng.randint(1, 5)}
        if rng.random() < 0.4:
            layer["stride"] = rng.randint(1, 3)
        if rng.random() < 0.6:
            layer["padding"] = rng.randint(0, 3)
        if rng.random() < 0.4:
            layer["dilation"] = rng.randint(1, 3)
        layers.append(layer)
    return layers


def path_counts(layers, size, pos):
    """Autograd through stride/padding/dilation convs with all-ones kernels."""
    x = torch.zeros(1, 1, *size, requires_grad=True)
    y = x
    for l in layers:
        k = l["kernel_size"]
        y = F.conv2d(y, torch.ones(1, 1, k, k), stride=l.get("stride", 1), padding=l.get("padding", 0), dilation=l.get("dilation", 1))
    if not (0 <= pos[0] < y.shape[2] and 0 <= pos[1] < y.shape[3]):
        raise Refused("output position outside the output")
    y[0, 0, pos[0], pos[1]].backward()
    return x.grad[0, 0]


def gen_path_counts(rng):
    layers = gen_layers(rng, rng.randint(1, 4))
    size = [rng.randint(5, 20), rng.randint(5, 20)]
    pos = [rng.randint(0, 6), rng.randint(0, 6)]
    return {"layers": layers, "input_size": size, "output_position": pos}, lambda: path_counts(layers, size, pos)


def receptive_field(layers):
    size, stride, padding = 1, 1, 0
    for l in layers:
        d, k = l.get("dilation", 1), l["kernel_size"]
        size += d * (k - 1) * stride
        padding += l.get("padding", 0) * stride
        stride *= l.get("stride", 1)
    return {"size": size, "stride": stride, "padding": padding}


def gen_receptive_field(rng):
    layers = gen_layers(rng, rng.randint(1, 6))
    return {"layers": layers}, lambda: receptive_field(layers)


def hdc(rates, k):
    m = [0] * len(rates)
    m[-1] = rates[-1]
    for i in range(len(rates) - 2, -1, -1):
        nx, r = m[i + 1], rates[i]
        m[i] = max(nx - 2 * r, nx - 2 * (nx - r), r)
    reach = {0}
    for r in rates:
        reach = {a + t * r for a in reach for t in range(k)}
    return {"max_distance": m, "gridding": len(reach) < max(reach) + 1}


def gen_hdc(rng):
    rates = [rng.randint(1, 9) for _ in range(rng.randint(1, 4))]
    k = rng.choice([1, 2, 3, 3, 5])
    return {"dilations": rates, "kernel_size": k}, lambda: hdc(rates, k)


GENERATORS = {
    "conv2d": gen_conv2d,
    "conv_transpose2d": gen_conv_transpose2d,
    "max_pool2d": lambda rng: gen_pool(rng, "max"),
    "avg_pool2d": lambda rng: gen_pool(rng, "avg"),
    "interpolate": gen_interpolate,
    "pixel_shuffle": gen_pixel_shuffle,
    "pixel_unshuffle": gen_pixel_unshuffle,
    "depth_to_space": gen_depth_to_space,
    "bilinear_additive_upsample": gen_bilinear_additive,
    "roi_align": lambda rng: gen_roi(rng, "align"),
    "roi_pool": lambda rng: gen_roi(rng, "pool"),
    "deform_roi_pool": gen_deform_roi_pool,
    "deform_conv2d": gen_deform_conv2d,
    "path_counts": gen_path_counts,
    "receptive_field": gen_receptive_field,
    "hdc": gen_hdc,
    "resize_conv2d": gen_resize_conv2d,
}


def fixed_cases():
    """Hand-picked requests for the arguments the random draw may miss, and the issue's
    examples; PyTorch computes each (or refuses it) like the random ones."""
    x33 = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    x44 = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    w22 = torch.tensor([[[[1.0, -1.0], [2.0, 0.5]]]])
    one = torch.ones(1, 1, 1, 1)
    cases = [
        ("conv2d", {"input": x44, "weight": w22, "padding": "valid"}, lambda: F.conv2d(x44, w22, padding="valid")),
        ("conv2d", {"input": x44, "weight": w22, "padding": "same"}, lambda: F.conv2d(x44, w22, padding="same")),
        ("conv2d", {"input": x44, "weight": w22, "padding": "same", "dilation": [1, 2]}, lambda: F.conv2d(x44, w22, padding="same", dilation=(1, 2))),
        ("conv2d", {"input": x44[0], "weight": w22, "stride": [2]}, lambda: F.conv2d(x44[0], w22, stride=[2])),
        ("conv2d", {"input": x44, "weight": w22, "padding": "same", "stride": 2}, lambda: F.conv2d(x44, w22, padding="same", stride=2)),
        ("conv_transpose2d", {"input": x33[0], "weight": w22, "stride": 2, "output_padding": 1}, lambda: F.conv_transpose2d(x33[0], w22, stride=2, output_padding=1)),
        ("avg_pool2d", {"input": x33, "kernel_size": 2, "padding": 1, "count_include_pad": False}, lambda: F.avg_pool2d(x33, 2, padding=1, count_include_pad=False)),
        ("avg_pool2d", {"input": x33, "kernel_size": 2, "divisor_override": 3}, lambda: F.avg_pool2d(x33, 2, divisor_override=3)),
        ("avg_pool2d", {"input": one, "kernel_size": 3, "stride": 3, "ceil_mode": True}, lambda: F.avg_pool2d(one, 3, 3, ceil_mode=True)),
        ("max_pool2d", {"input": x44, "kernel_size": 2, "dilation": 2}, lambda: F.max_pool2d(x44, 2, dilation=2)),
        ("max_pool2d", {"input": one, "kernel_size": 3, "stride": 3, "ceil_mode": True}, lambda: F.max_pool2d(one, 3, 3, ceil_mode=True)),
        ("max_pool2d", {"input": torch.ones(1, 1, 5, 5), "kernel_size": 2, "stride": 2, "padding": 1, "ceil_mode": True}, lambda: F.max_pool2d(torch.ones(1, 1, 5, 5), 2, 2, 1, ceil_mode=True)),
        ("max_pool2d", {"input": x33[0], "kernel_size": 2, "padding": 1, "return_indices": True}, lambda: F.max_pool2d(x33[0], 2, padding=1, return_indices=True)),
        ("max_pool2d", {"input": one, "kernel_size": 3, "stride": 2, "ceil_mode": True}, lambda: F.max_pool2d(one, 3, 2, ceil_mode=True)),
    ]
    for mode in ["nearest", "nearest-exact", "bilinear", "bicubic", "area"]:
        for scale in [0.5, 1.2, 2.1, 3]:
            cases.append(("interpolate", {"input": x44, "mode": mode, "scale_factor": scale}, lambda m=mode, s=scale: F.interpolate(x44, scale_factor=s, mode=m)))
        cases.append(("interpolate", {"input": x33[0], "mode": mode if mode not in ("bilinear", "bicubic") else "linear", "size": 5},
                      lambda m=mode: F.interpolate(x33[0], size=5, mode=m if m not in ("bilinear", "bicubic") else "linear")))
    for align in [True, False]:
        cases.append(("interpolate", {"input": x33, "mode": "bicubic", "size": [5, 4], "align_corners": align}, lambda a=align: F.interpolate(x33, size=(5, 4), mode="bicubic", align_corners=a)))
    cases.append(("interpolate", {"input": x33, "mode": "bilinear", "scale_factor": 1.5, "recompute_scale_factor": True}, lambda: F.interpolate(x33, scale_factor=1.5, mode="bilinear", recompute_scale_factor=True)))
    cases.append(("interpolate", {"input": x33, "mode": "nearest", "scale_factor": 2, "align_corners": False}, lambda: F.interpolate(x33, scale_factor=2, mode="nearest", align_corners=False)))
    cases.append(("resize_conv2d", {"input": x33, "weight": w22, "scale_factor": 2, "padding": "same"},
                  lambda: F.conv2d(F.interpolate(x33, scale_factor=2), w22, padding="same")))
    cases.append(("resize_conv2d", {"input": x33, "weight": w22, "scale_factor": 2, "mode": "bilinear", "align_corners": True, "padding": 1},
                  lambda: F.conv2d(F.interpolate(x33, scale_factor=2, mode="bilinear", align_corners=True), w22, padding=1)))
    cases.append(("resize_conv2d", {"input": x33, "weight": one, "scale_factor": 2, "mode": "nearest", "align_corners": False},
                  lambda: F.conv2d(F.interpolate(x33, scale_factor=2, mode="nearest", align_corners=False), one)))
    cases.append(("hdc", {"dilations": [3, 3, 8], "kernel_size": 3}, lambda: hdc([3, 3, 8], 3)))
    cases.append(("hdc", {"dilations": [1, 2, 5], "kernel_size": 3}, lambda: hdc([1, 2, 5], 3)))
    return [(op, {k: (v.tolist() if isinstance(v, torch.Tensor) else v) for k, v in a.items()}, reference(fn)) for op, a, fn in cases]


def reference(fn):
    """PyTorch's answer as JSON-ready data, or ('error', message)."""
    try:
        out = fn()
    except Exception as e:  # PyTorch's refusal, whatever its type
        return ("error", str(e).split("\n")[0][:200])
    if isinstance(out, tuple):
        if not torch.isfinite(out[0].double()).all():
            return ("error", "not finite")
        return [o.tolist() for o in out]
    if isinstance(out, torch.Tensor):
        if not torch.isfinite(out.double()).all():
            return ("error", "not finite")
        return out.tolist()
    return out


def close(got, exp):
    if isinstance(exp, dict):
        return isinstance(got, dict) and all(k in got and close(got[k], v) for k, v in exp.items())
    if isinstance(exp, list):
        return isinstance(got, list) and len(got) == len(exp) and all(close(g, e) for g, e in zip(got, exp))
    if isinstance(exp, bool):
        return got is exp
    return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(got - exp) <= 1e-4 + 1e-4 * abs(exp)


def run_cli(cli, requests):
    lines = "".join(json.dumps({"op": op, "args": args}) + "\n" for op, args in requests)
    out = subprocess.run([cli, "eval"], input=lines, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def draw(seed, per_op):
    rng = random.Random(seed)
    cases = []
    for op, gen in GENERATORS.items():
        for _ in range(per_op.get(op, per_op["*"]) if isinstance(per_op, dict) else per_op):
            args, fn = gen(rng)
            cases.append((op, args, reference(fn)))
    return cases


def compare(args):
    cases = draw(args.seed, args.cases)
    answers = run_cli(args.cli, [(op, a) for op, a, _ in cases])
    assert len(answers) == len(cases), f"{len(answers)} answers to {len(cases)} requests"
    stats = defaultdict(lambda: [0, 0, 0, 0])  # agree, total, refused by PyTorch, refused by convscope only
    shown = 0
    for (op, a, exp), ans in zip(cases, answers):
        if args.only and op != args.only:
            continue
        s = stats[op]
        s[1] += 1
        refused = isinstance(exp, tuple)
        s[2] += refused
        ok = ("error" in ans) if refused else ("output" in ans and close(ans["output"], exp))
        s[0] += ok
        # A clear refusal of an argument value convscope does not implement (antialias=True)
        # is counted apart: it is allowed, but reported.
        s[3] += not refused and "error" in ans and "not supported by convscope" in ans["error"]
        if not ok and shown < args.show and "not supported by convscope" not in ans.get("error", ""):
            shown += 1
            print(f"DISAGREE {op}: {json.dumps(a)[:400]}\n  pytorch: {str(exp)[:300]}\n  convscope: {str(ans)[:300]}")
    total = [0, 0, 0, 0]
    for op, (agree, n, refused, unsupported) in sorted(stats.items()):
        print(f"{op:28} {agree:6}/{n:<6} agree   ({refused} refused by both; {unsupported} refused by convscope only, as unsupported)")
        total = [t + v for t, v in zip(total, (agree, n, refused, unsupported))]
    print(f"{'all':28} {total[0]:6}/{total[1]:<6} agree   ({total[2]} refused by both; {total[3]} refused by convscope only)")
    return 0 if total[0] + total[3] == total[1] else 1


def golden(args):
    # More interpolate and conv2d cases: they have the most argument combinations.
    cases = draw(args.seed, {"*": 24, "interpolate": 72, "conv2d": 48})
    counters = defaultdict(int)
    answered, refused = defaultdict(list), defaultdict(list)
    for kind, batch in (("fixed", fixed_cases()), ("gen", cases)):
        for op, a, exp in batch:
            i = counters[(op, kind)]
            counters[(op, kind)] += 1
            case = {"name": f"{op}_{kind}_{i}", "op": op, "args": a}
            if isinstance(exp, tuple):
                refused[op].append(dict(case, pytorch_error=exp[1]))
            else:
                answered[op].append(dict(case, expected=exp))
    golden_dir = os.path.join(ROOT, "tests", "golden")
    os.makedirs(os.path.join(golden_dir, "refused"), exist_ok=True)
    for op in GENERATORS:
        path = os.path.join(golden_dir, f"{op}.jsonl")
        kept = []
        if os.path.exists(path):
            kept = [l for l in open(path) if l.strip() and not any(t in json.loads(l)["name"] for t in ("_gen_", "_fixed_"))]
        with open(path, "w") as f:
            f.writelines(kept)
            f.writelines(json.dumps(c) + "\n" for c in answered[op])
        with open(os.path.join(golden_dir, "refused", f"{op}.jsonl"), "w") as f:
            f.writelines(json.dumps(c) + "\n" for c in refused[op])
    print({op: (len(answered[op]), len(refused[op])) for op in GENERATORS})
    return 0


def models(_args):
    """Writes tests/golden/models/: print(model) of torchvision's VGG-16, AlexNet and VGG-11-BN
    (their feature stacks and the whole models) and each feature stack's exact receptive field
    (size, stride, padding) by autograd: the input pixels one output pixel's gradient reaches."""
    import torch
    import torchvision

    torch.manual_seed(0)
    out = {}
    for name, ctor in [("vgg16", torchvision.models.vgg16), ("alexnet", torchvision.models.alexnet), ("vgg11_bn", torchvision.models.vgg11_bn)]:
        model = ctor(weights=None)
        feats = model.features
        text = str(feats)
        open(os.path.join(ROOT, "tests", "golden", "models", f"{name}_features.txt"), "w").write(text + "\n")
        open(os.path.join(ROOT, "tests", "golden", "models", f"{name}_full.txt"), "w").write(str(model) + "\n")
        # The exact field by autograd: all-ones weights, no bias, pools replaced by their
        # all-ones-kernel conv twins would change nothing about the support; take the gradient of
        # one output pixel of the original stack (with positive weights and ReLU inactive-free).
        stack = torch.nn.Sequential(*[m for m in feats if isinstance(m, (torch.nn.Conv2d, torch.nn.MaxPool2d, torch.nn.AvgPool2d))])
        convs = []
        for m in stack:
            if isinstance(m, torch.nn.Conv2d):
                c = torch.nn.Conv2d(1, 1, m.kernel_size, m.stride, m.padding, m.dilation, bias=False)
                torch.nn.init.ones_(c.weight)
            else:
                c = torch.nn.AvgPool2d(m.kernel_size, m.stride, m.padding, ceil_mode=m.ceil_mode)
            convs.append(c)
        net = torch.nn.Sequential(*convs)
        size = 512
        x = torch.ones(1, 1, size, size, requires_grad=True)
        y = net(x)
        oy, ox = y.shape[2] // 2, y.shape[3] // 2
        y[0, 0, oy, ox].backward()
        g = x.grad[0, 0]
        rows = torch.nonzero(g.sum(1)).flatten()
        lo, hi = int(rows.min()), int(rows.max())
        # output pixel oy sees oy*S - P ... ; S from two neighbouring pixels
        x2 = torch.ones(1, 1, size, size, requires_grad=True)
        net(x2)[0, 0, oy + 1, ox].backward()
        lo2 = int(torch.nonzero(x2.grad[0, 0].sum(1)).flatten().min())
        stride = lo2 - lo
        out[name] = {"size": hi - lo + 1, "stride": stride, "padding": oy * stride - lo}
    os.makedirs(os.path.join(ROOT, "tests", "golden", "models"), exist_ok=True)
    with open(os.path.join(ROOT, "tests", "golden", "models", "fields.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(out)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--cases", type=int, default=300, help="requests per op")
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "convscope"))
    c.add_argument("--show", type=int, default=20, help="disagreements printed")
    c.add_argument("--only", help="report only this op")
    g = sub.add_parser("golden")
    g.add_argument("--seed", type=int, default=2015)
    sub.add_parser("models")
    a = p.parse_args()
    sys.exit({"compare": compare, "golden": golden, "models": models}[a.command](a))


if __name__ == "__main__":
    main()
