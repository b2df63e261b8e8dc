package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An auth.identities row (003-auth-sessions-tokens.sql): one sign-in method of a user. Written by SQL only (an
 * upsert on (provider_id, provider)); read here for the user's {@code identities}.
 */
@Entity
@Table(schema = "auth", name = "identities")
public class IdentityEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String providerId;
    /** named here too: UserEntity.identities joins on "user_id", and Hibernate refuses two logical names for it */
    @Column(name = "user_id")
    public UUID userId;
    @Column(name = "identity_data")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> identityData;
    public String provider;
    public OffsetDateTime lastSignInAt;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    /** GENERATED ALWAYS AS (lower(identity_data->>'email')): PostgreSQL's to write. */
    @Column(name = "email", insertable = false, updatable = false)
    public String email;

    public UserIdentity toRecord() {
        return new UserIdentity(providerId, email, userId, provider, createdAt, updatedAt, id, identityData,
                lastSignInAt);
    }
}
