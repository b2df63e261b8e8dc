package io.slmgen.catalog.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.slmgen.catalog.model.CatalogModel;

/**
 * SLMGEN's recommendation rules (SPEC §8.5): task fit + deployment fit + data fit + bonuses, capped,
 * then the multilingual and small-device overrides, then a stable sort so ties keep registry order.
 * Plain Java: same inputs, same answer.
 */
public final class ModelScorer {

    private final ScoringRules rules;

    public ModelScorer(ScoringRules rules) {
        this.rules = rules;
    }

    /** Every model scored, best first; {@code models} must be in registry order. */
    public List<ScoredModel> rank(List<CatalogModel> models, String task, String target, DatasetProfile data) {
        List<ScoredModel> scored = new ArrayList<>(models.size());
        for (CatalogModel m : models) {
            int total = Math.min(rules.maxScore(),
                    taskFit(m, task) + deploymentFit(m, target) + dataFit(m, data) + bonus(m, data));
            if (data.is_multilingual() && m.id().equals(rules.multilingualModel())) {
                total = Math.min(rules.maxScore(), total + rules.multilingualOverride());
            }
            if (rules.smallDeviceTargets().contains(target) && m.id().equals(rules.smallDeviceModel())) {
                total = Math.min(rules.maxScore(), total + rules.smallDeviceOverride());
            }
            scored.add(new ScoredModel(m, total, reasons(m, task, target, data),
                    trainingMinutes(m.size(), data.total_examples())));
        }
        // List.sort is stable: equal scores keep registry order, as Python's sort does
        scored.sort(Comparator.comparingInt(ScoredModel::score).reversed());
        return scored;
    }

    int taskFit(CatalogModel m, String task) {
        int position = m.good_for_tasks().indexOf(task);
        if (position < 0) {
            return rules.taskUnlisted();
        }
        return Math.max(rules.taskListedFloor(), rules.taskFirstPosition() - position * rules.taskStepPerPosition());
    }

    int deploymentFit(CatalogModel m, String target) {
        if (m.good_for_deploy().contains(target)) {
            return rules.deployListed();
        }
        if (rules.smallDeviceTargets().contains(target)) {
            return rules.smallDeviceSizes().contains(m.size()) ? rules.smallDeviceFitSize() : rules.smallDeviceOtherSize();
        }
        return rules.deployNeutral();
    }

    int dataFit(CatalogModel m, DatasetProfile d) {
        int score = rules.dataBase();
        if (d.is_multilingual() && m.id().equals(rules.multilingualModel())) {
            score += rules.multilingualData();
        }
        if (d.looks_like_json() && rules.jsonModels().contains(m.id())) {
            score += rules.jsonData();
        }
        if (d.is_multi_turn() && m.good_for_tasks().contains("conversation")) {
            score += rules.multiTurnConversationData();
        }
        if (d.total_examples() >= m.min_examples() * 2) {
            score += rules.plentyOfData();
        } else if (d.total_examples() < m.min_examples()) {
            score += rules.tooLittleData();
        }
        return Math.max(rules.dataMin(), Math.min(rules.dataMax(), score));
    }

    int bonus(CatalogModel m, DatasetProfile d) {
        int bonus = 0;
        if (d.is_multi_turn()) {
            bonus += rules.multiTurnBonus();
        }
        if (d.avg_tokens_per_example() > rules.longContextAvgTokens() && m.context_window() >= rules.longContextWindow()) {
            bonus += rules.longContextBonus();
        }
        return bonus;
    }

    List<String> reasons(CatalogModel m, String task, String target, DatasetProfile d) {
        List<String> reasons = new ArrayList<>();
        if (m.good_for_tasks().contains(task)) {
            reasons.add("✅ Excellent for " + task + " tasks");
        }
        if (m.good_for_deploy().contains(target)) {
            reasons.add("✅ Great for " + target + " deployment");
        }
        if (d.is_multilingual() && m.id().equals(rules.multilingualModel())) {
            reasons.add("✅ Best choice for multilingual data");
        }
        if (d.looks_like_json() && rules.jsonModels().contains(m.id())) {
            reasons.add("✅ Excels at structured JSON output");
        }
        if (rules.compactReasonTargets().contains(target) && m.size().equals(rules.compactReasonSize())) {
            reasons.add("✅ Compact size perfect for edge devices");
        }
        for (String strength : m.strengths().subList(0, Math.min(2, m.strengths().size()))) {
            // SLMGEN skips a strength already mentioned in the reasons (a substring test on the list's text)
            if (!pythonListText(reasons).contains(strength)) {
                reasons.add("💪 " + strength);
            }
        }
        return List.copyOf(reasons.subList(0, Math.min(4, reasons.size())));
    }

    /** SLMGEN's estimate: int(base(size) × (n / 100) × 3) minutes. */
    public int trainingMinutes(String size, int examples) {
        int base = rules.trainingBaseMinutesBySize().getOrDefault(size, rules.trainingBaseMinutesOther());
        return (int) (base * (examples / 100.0) * 3);
    }

    private static String pythonListText(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            b.append(i == 0 ? "'" : ", '").append(items.get(i)).append('\'');
        }
        return b.append(']').toString();
    }
}
