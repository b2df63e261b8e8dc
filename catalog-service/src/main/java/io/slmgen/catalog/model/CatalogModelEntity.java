package io.slmgen.catalog.model;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A model_catalog row as Hibernate maps it (catalog/001 and 004 changesets). Read-only here: the registry
 * is written by its migrations (service_role), and the table's policy shows callers the active rows. The
 * API renders {@link CatalogModel}.
 */
@Entity
@Immutable
@Table(schema = "public", name = "model_catalog")
public class CatalogModelEntity {

    @Id
    public String id;
    public String name;
    public String size;
    public int contextWindow;
    public boolean isGated;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> strengths;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> goodForTasks;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> goodForDeploy;
    public int minExamples;
    public Double vramRequiredGb;
    @Column(name = "training_time_per_1k_examples_min")
    public int trainingTimePer1kExamplesMin;
    public String hfModelId;
    public String unslothModelId;
    public String chatTemplate;
    @Column(name = "load_in_4bit")
    public boolean loadIn4bit;
    public String architecture;
    public int registryOrder;
    public boolean isActive;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;

    public CatalogModel toModel() {
        return new CatalogModel(id, name, size, contextWindow, isGated, List.copyOf(strengths), List.copyOf(goodForTasks),
                List.copyOf(goodForDeploy), minExamples, vramRequiredGb, trainingTimePer1kExamplesMin, hfModelId,
                unslothModelId, chatTemplate, loadIn4bit, architecture, registryOrder, isActive, createdAt, updatedAt);
    }
}
