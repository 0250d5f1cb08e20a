"""PyTorch side of the trainer's engine benchmark (run by io.zkpfl.trainer.bench.EngineBench).

Trains the built-in models with the same canonical initial weights (a little-endian float32 file
per model, written by the Java harness), the same Fashion-MNIST data, plain SGD and the given batch
size and thread count, and prints one line per measurement:

    RESULT torch <model> <batch> <threads> <samples_per_s> <ms_per_step> <samples_per_cpu_s>
"""
import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, name):
    for candidate in (name, name + ".gz"):
        p = os.path.join(folder, candidate)
        if os.path.exists(p):
            return p
    sys.exit("missing " + name + " in " + folder)


def build(model):
    if model == "logreg":
        return nn.Sequential(nn.Linear(784, 10))
    if model == "mlp":
        return nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    if model == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))
    sys.exit("unknown model " + model)


def load_canonical(net, path):
    """Copies the canonical vector (docs/model-spec.md: layer by layer, W then b, row-major; dense
    W is [in, units], conv W is [filters, in, kh, kw]) into the torch modules."""
    flat = np.fromfile(path, dtype="<f4")
    offset = 0
    with torch.no_grad():
        for m in net:
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                w = m.weight
                n = w.numel()
                block = torch.from_numpy(flat[offset:offset + n].copy())
                if isinstance(m, nn.Linear):
                    w.copy_(block.reshape(w.shape[1], w.shape[0]).t())
                else:
                    w.copy_(block.reshape(w.shape))
                offset += n
                nb = m.bias.numel()
                m.bias.copy_(torch.from_numpy(flat[offset:offset + nb].copy()))
                offset += nb
    if offset != flat.size:
        sys.exit("weights file holds %d values, the model %d" % (flat.size, offset))


def run(net, x, y, batch, samples, lr):
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    steps = 0
    cpu = time.process_time()
    start = time.perf_counter()
    done = 0
    while done < samples:
        order = torch.randperm(n)
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            steps += 1
            done += idx.shape[0]
            if done >= samples:
                break
    seconds = time.perf_counter() - start
    return done / seconds, 1000.0 * seconds / steps, done / (time.process_time() - cpu)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--models", default="mlp,cnn")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--samples", default="mlp=60000,cnn=6000,logreg=60000")
    p.add_argument("--init", required=True, help="folder with <model>.f32 canonical initial weights")
    p.add_argument("--overhead-steps", type=int, default=2000)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    budget = dict(kv.split("=") for kv in a.samples.split(","))
    images = read_idx(find(a.data, "train-images-idx3-ubyte"))
    labels = read_idx(find(a.data, "train-labels-idx1-ubyte"))
    x_all = torch.from_numpy(images.astype(np.float32) / 255.0)
    y_all = torch.from_numpy(labels.astype(np.int64))
    print("torch %s, %d threads, blas %s" % (torch.__version__, torch.get_num_threads(),
          "see /proc/self/maps: " + ",".join(sorted({l.split()[-1].rsplit("/", 1)[-1]
          for l in open("/proc/self/maps") if "blas" in l}))), file=sys.stderr)
    for model in a.models.split(","):
        if model == "overhead":
            net = build("logreg")
            load_canonical(net, os.path.join(a.init, "logreg.f32"))
            x = x_all.reshape(-1, 784)
            run(net, x, y_all, 1, a.overhead_steps // 4, 0.01)
            rate, ms, cpu_rate = run(net, x, y_all, 1, a.overhead_steps, 0.01)
            print("RESULT torch overhead 1 %d %.1f %.4f %.1f" % (a.threads, rate, ms, cpu_rate), flush=True)
            continue
        net = build(model)
        load_canonical(net, os.path.join(a.init, model + ".f32"))
        x = x_all.reshape(-1, 1, 28, 28) if model == "cnn" else x_all.reshape(-1, 784)
        samples = int(budget[model])
        run(net, x, y_all, a.batch, samples // 4, 0.01)
        rate, ms, cpu_rate = run(net, x, y_all, a.batch, samples, 0.01)
        print("RESULT torch %s %d %d %.1f %.4f %.1f" % (model, a.batch, a.threads, rate, ms, cpu_rate), flush=True)


if __name__ == "__main__":
    main()
