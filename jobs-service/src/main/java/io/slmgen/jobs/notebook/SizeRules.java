package io.slmgen.jobs.notebook;

import java.util.Map;

/**
 * The settings that depend on a model's size. Training time is SLMGEN's estimate (SPEC §8.5:
 * ⌊base(size) × examples/100 × 3⌋ minutes on a T4); a custom model's size comes from the parameter count
 * the hub reported, placed in the nearest of SLMGEN's size classes. GPU memory is the catalog's figure,
 * or for a custom model an estimate of 4-bit QLoRA training (weights at ~0.5 byte per parameter plus
 * adapters, optimizer state and activations), which the catalog's own figures roughly follow.
 */
public final class SizeRules {

    /** SLMGEN's base minutes per size label; anything else is 15. */
    static final Map<String, Integer> BASE_MINUTES = Map.of("1B", 5, "1.1B", 5, "1.3B", 6, "1.7B", 7, "2B", 8, "3B", 12,
            "3.8B", 15, "7B", 25);
    static final int OTHER_BASE_MINUTES = 15;
    /** What a Colab T4 offers to PyTorch. */
    public static final double T4_GB = 15.0;

    private SizeRules() {
    }

    /** Minutes on a T4, or null when nothing about the size is known and no estimate is better than none. */
    public static Integer trainingMinutes(ModelTraits t, long examples) {
        int base;
        if (t.parameters() != null) {
            base = baseMinutes(t.parameters());
        } else if (t.size() != null) {
            base = BASE_MINUTES.getOrDefault(t.size(), OTHER_BASE_MINUTES);
        } else {
            return null;
        }
        // SLMGEN: int(base * (n / 100) * 3), in that order of operations
        return (int) (base * (examples / 100.0) * 3);
    }

    /** The base minutes of the SLMGEN size class nearest to a parameter count; beyond 7B, in proportion. */
    static int baseMinutes(long parameters) {
        double b = parameters / 1e9;
        if (b <= 1.2) {
            return 5;
        }
        if (b <= 1.5) {
            return 6;
        }
        if (b <= 1.85) {
            return 7;
        }
        if (b <= 2.5) {
            return 8;
        }
        if (b <= 3.4) {
            return 12;
        }
        if (b <= 5.0) {
            return 15;
        }
        if (b <= 8.5) {
            return 25;
        }
        return (int) Math.round(25 * b / 7);
    }

    /** GB of GPU memory 4-bit LoRA training needs, or null when unknown. */
    public static Double vramGb(ModelTraits t) {
        if (t.vramGb() != null) {
            return t.vramGb();
        }
        if (t.parameters() == null) {
            return null;
        }
        double estimate = 0.85 * (t.parameters() / 1e9) + 2.0;
        return Math.max(2.5, Math.ceil(estimate * 2) / 2);
    }
}
