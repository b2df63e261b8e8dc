package io.slmgen.catalog.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.slmgen.catalog.model.TrainingConfig;
import io.slmgen.shared.training.TrainingValues;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL for training_configs. Runs inside the caller's transaction: the seed's policies decide which
 * rows a statement can see or change, so "someone else's config" simply does not exist here.
 */
@ApplicationScoped
public class TrainingConfigRepository {

    static final String COLUMNS = TrainingConfig.COLUMNS;

    /** System presets first (Fast, Balanced, Quality), then the caller's own, oldest first. */
    public Uni<List<TrainingConfig>> listVisible(SqlConnection c, int limit, int offset) {
        return c.preparedQuery("select " + COLUMNS + " from public.training_configs "
                        + "order by is_system desc, case when is_system then lora_rank end, created_at, id limit $1 offset $2")
                .execute(Tuple.of(limit, offset))
                .map(rs -> {
                    List<TrainingConfig> out = new ArrayList<>(rs.rowCount());
                    rs.forEach(r -> out.add(TrainingConfig.of(r)));
                    return out;
                });
    }

    public Uni<Long> countVisible(SqlConnection c) {
        return c.query("select count(*) from public.training_configs").execute()
                .map(rs -> rs.iterator().next().getLong(0));
    }

    public Uni<Optional<TrainingConfig>> find(SqlConnection c, UUID id) {
        return c.preparedQuery("select " + COLUMNS + " from public.training_configs where id = $1")
                .execute(Tuple.of(id))
                .map(TrainingConfigRepository::first);
    }

    /** The caller's default config, if they marked one. */
    public Uni<Optional<TrainingConfig>> findDefault(SqlConnection c, UUID userId) {
        return c.preparedQuery("select " + COLUMNS + " from public.training_configs where user_id = $1 and is_default")
                .execute(Tuple.of(userId))
                .map(TrainingConfigRepository::first);
    }

    public Uni<Optional<TrainingConfig>> findSystemPreset(SqlConnection c, String name) {
        return c.preparedQuery("select " + COLUMNS + " from public.training_configs where is_system and name = $1")
                .execute(Tuple.of(name))
                .map(TrainingConfigRepository::first);
    }

    public Uni<TrainingConfig> insert(SqlConnection c, UUID userId, String name, boolean isDefault, TrainingValues v) {
        return c.preparedQuery("insert into public.training_configs (user_id, name, is_default, is_system, lora_rank, "
                        + "lora_alpha, lora_dropout, learning_rate, num_epochs, batch_size, gradient_accumulation_steps, "
                        + "warmup_ratio, max_seq_length, optimizer, scheduler) "
                        + "values ($1, $2, $3, false, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning " + COLUMNS)
                .execute(Tuple.from(java.util.Arrays.asList(userId, name, isDefault, v.lora_rank(), v.lora_alpha(), v.lora_dropout(),
                        v.learning_rate(), v.num_epochs(), v.batch_size(), v.gradient_accumulation_steps(),
                        v.warmup_ratio(), v.max_seq_length(), v.optimizer(), v.scheduler())))
                .map(rs -> TrainingConfig.of(rs.iterator().next()));
    }

    /** Updates the row if the caller may (policy); empty when the row is not theirs to change. */
    public Uni<Optional<TrainingConfig>> update(SqlConnection c, UUID id, String name, boolean isDefault,
                                                     TrainingValues v) {
        return c.preparedQuery("update public.training_configs set name = $2, is_default = $3, lora_rank = $4, "
                        + "lora_alpha = $5, lora_dropout = $6, learning_rate = $7, num_epochs = $8, batch_size = $9, "
                        + "gradient_accumulation_steps = $10, warmup_ratio = $11, max_seq_length = $12, optimizer = $13, "
                        + "scheduler = $14, updated_at = now() where id = $1 returning " + COLUMNS)
                .execute(Tuple.from(java.util.Arrays.asList(id, name, isDefault, v.lora_rank(), v.lora_alpha(), v.lora_dropout(),
                        v.learning_rate(), v.num_epochs(), v.batch_size(), v.gradient_accumulation_steps(),
                        v.warmup_ratio(), v.max_seq_length(), v.optimizer(), v.scheduler())))
                .map(TrainingConfigRepository::first);
    }

    /** Clears the caller's other default so at most one remains. */
    public Uni<Void> clearDefault(SqlConnection c, UUID userId, UUID except) {
        return c.preparedQuery("update public.training_configs set is_default = false, updated_at = now() "
                        + "where user_id = $1 and is_default and id is distinct from $2")
                .execute(Tuple.of(userId, except))
                .replaceWithVoid();
    }

    private static Optional<TrainingConfig> first(RowSet<Row> rows) {
        RowIterator<Row> it = rows.iterator();
        return it.hasNext() ? Optional.of(TrainingConfig.of(it.next())) : Optional.empty();
    }

    public Uni<Boolean> delete(SqlConnection c, UUID id) {
        return c.preparedQuery("delete from public.training_configs where id = $1")
                .execute(Tuple.of(id))
                .map(rs -> rs.rowCount() == 1);
    }
}
