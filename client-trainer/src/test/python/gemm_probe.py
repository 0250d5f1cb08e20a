"""PyTorch side of io.zkpfl.trainer.bench.GemmProbe: CPU time of one linear (addmm) per shape."""
import sys
import time

import torch

torch.set_num_threads(1)
calls = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
with torch.no_grad():
    for n, i, o in ((128, 784, 10), (128, 784, 32), (32, 784, 32), (128, 3136, 64)):
        x = torch.rand(n, i)
        w = torch.rand(o, i) * 0.2 - 0.1
        b = torch.zeros(o)
        for _ in range(calls // 4):
            torch.nn.functional.linear(x, w, b)
        cpu = time.process_time()
        for _ in range(calls):
            torch.nn.functional.linear(x, w, b)
        print("GEMM %d %d %d %.1f" % (n, i, o, (time.process_time() - cpu) * 1e6 / calls))
