"""Read the evaluation's JSON line on stdin; exit non-zero when a target is missed."""

import json
import sys

MRR_TARGET, R10_TARGET = 0.20, 0.45

report = json.loads(sys.stdin.read().strip().splitlines()[-1])
product, baselines = report["product"], report["baselines"]
problems = []
if product["mrr"] < MRR_TARGET:
    problems.append(f"MRR {product['mrr']} < {MRR_TARGET}")
if product["r10"] < R10_TARGET:
    problems.append(f"R@10 {product['r10']} < {R10_TARGET}")
for name, scores in baselines.items():
    if product["mrr"] <= scores["mrr"] or product["r10"] <= scores["r10"]:
        problems.append(f"does not beat {name}")
if problems:
    sys.exit("check-expertise: " + "; ".join(problems))
print(f"check-expertise: MRR {product['mrr']}, R@10 {product['r10']}: targets met")
