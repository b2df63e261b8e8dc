package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An auth.users row (001-auth-users.sql) for the reads that stand alone (the signed-in user, the admin API, the
 * password sign-in). The columns this service uses are mapped; GoTrue's legacy token columns are not (one-time
 * tokens live in auth.one_time_tokens). Inserts and the changes that share a transaction with session and token
 * SQL stay in UserRepository's SQL.
 */
@Entity
@Table(schema = "auth", name = "users")
// an update writes only what changed: the jsonb columns it did not touch are not re-serialised
@DynamicUpdate
public class UserEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String aud;
    public String role;
    public String email;
    public String encryptedPassword;
    public OffsetDateTime emailConfirmedAt;
    public OffsetDateTime confirmationSentAt;
    public OffsetDateTime recoverySentAt;
    public String emailChange;
    public OffsetDateTime emailChangeSentAt;
    public OffsetDateTime lastSignInAt;
    @Column(name = "raw_app_meta_data")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> rawAppMetaData;
    @Column(name = "raw_user_meta_data")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> rawUserMetaData;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public String phone;
    public OffsetDateTime phoneConfirmedAt;
    /** GENERATED ALWAYS AS (least(email_confirmed_at, phone_confirmed_at)): PostgreSQL's to write. */
    @Column(name = "confirmed_at", insertable = false, updatable = false)
    public OffsetDateTime confirmedAt;
    public OffsetDateTime bannedUntil;
    public OffsetDateTime deletedAt;
    @Column(name = "is_anonymous")
    public boolean anonymous;
    /** Read-only from this side (identities are written by SQL); fetched only by queries that join it. */
    @OneToMany(fetch = FetchType.LAZY)
    @JoinColumn(name = "user_id", referencedColumnName = "id", insertable = false, updatable = false)
    @OrderBy("createdAt ASC, id ASC")
    public List<IdentityEntity> identities;
}
