#!/usr/bin/env python3
"""Writes a realistic JSONL chat dataset of about SIZE_MB megabytes to OUT (deterministic)."""
import json, random, sys
out, size_mb = sys.argv[1], float(sys.argv[2])
rnd = random.Random(42)
words = ("the model is trained on data and it should answer every question with care while the user "
         "asks about code json python training tokens dataset quality results learning rate epochs").split()
target = int(size_mb * 1_000_000)
written = 0
with open(out, "w", encoding="utf-8") as f:
    i = 0
    while written < target:
        msgs = []
        if i % 4 == 0:
            msgs.append({"role": "system", "content": "You are a helpful assistant."})
        for t in range(1 + (i % 3 == 0)):
            msgs.append({"role": "user", "content": " ".join(rnd.choice(words) for _ in range(rnd.randint(8, 40))) + f" #{i}"})
            msgs.append({"role": "assistant", "content": " ".join(rnd.choice(words) for _ in range(rnd.randint(20, 160)))})
        line = json.dumps({"messages": msgs}, ensure_ascii=False) + "\n"
        f.write(line)
        written += len(line.encode())
        i += 1
print(f"{out}: {written} bytes, {i} examples")
