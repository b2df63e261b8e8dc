package io.slmgen.catalog.recommend;

import java.util.Map;
import java.util.Set;

/**
 * SLMGEN's scoring weights as data (SPEC §8.5). The scorer reads these and nothing else, so a change
 * of policy is a change here, not a hunt through conditionals.
 */
public record ScoringRules(
        int taskFirstPosition, int taskStepPerPosition, int taskListedFloor, int taskUnlisted,
        int deployListed, Set<String> smallDeviceTargets, Set<String> smallDeviceSizes, int smallDeviceFitSize,
        int smallDeviceOtherSize, int deployNeutral,
        int dataBase, String multilingualModel, int multilingualData, Set<String> jsonModels, int jsonData,
        int multiTurnConversationData, int plentyOfData, int tooLittleData, int dataMin, int dataMax,
        int multiTurnBonus, int longContextAvgTokens, int longContextWindow, int longContextBonus,
        int multilingualOverride, String smallDeviceModel, int smallDeviceOverride, int maxScore,
        Set<String> compactReasonTargets, String compactReasonSize,
        Map<String, Integer> trainingBaseMinutesBySize, int trainingBaseMinutesOther) {

    /** SLMGEN's own values. */
    public static final ScoringRules SLMGEN = new ScoringRules(
            50, 10, 30, 15,
            30, Set.of("edge", "mobile", "browser"), Set.of("2B", "3B", "3.8B"), 20, 5, 15,
            10, "qwen25", 10, Set.of("qwen25", "phi4"), 5,
            5, 5, -5, 0, 20,
            10, 2000, 16384, 5,
            20, "gemma2", 15, 100,
            Set.of("edge", "mobile"), "2B",
            Map.of("1B", 5, "1.1B", 5, "1.3B", 6, "1.7B", 7, "2B", 8, "3B", 12, "3.8B", 15, "7B", 25), 15);
}
